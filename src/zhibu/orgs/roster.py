"""What the organisation app needs from the roster, which sits above it in the layers (people builds on orgs).

The tree's services and reads count members (dissolving an organisation), read who held a branch's posts before
any 换届 was recorded, who were 正式党员 on a day, and write the roster's 党内职务 after an election. orgs does not
import people for this: the people app registers its answers here in its AppConfig.ready() (`register`), and
`roster()` refuses to answer when nothing is registered rather than pretend the roster is empty.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured


class Roster(Protocol):
    def active_count(self, low: str, high: str) -> int:
        """Members on the roll of the branches with paths in [low, high] who have not left."""

    def status_counts(self, actor, org) -> list[tuple[str, int]]:
        """(status label, count) of the organisation's current members, every status in order."""

    def undated_posts(self, org, posts: list[str]) -> list[tuple[int, str, str]]:
        """(member id, name, post) of the branch's current members holding one of `posts` on the roster."""

    def holder_ids(self, org, post: str) -> set[int]:
        """Ids of the members the roster shows with `post` at the branch (whether or not they have left)."""

    def holders_in(self, low: str, high: str, post: str) -> set[tuple[int, int]]:
        """(branch id, member id) of the members the roster shows with `post` at the branches in [low, high]."""

    def full_members_on(self, org, on: date) -> list[tuple[int, str, date | None]]:
        """The branch's 正式党员 on the day: (member id, name, 转正日期), by member id."""

    def committee_counts(self, low: str, high: str, on: date, posts: list[str]) -> tuple[dict, dict]:
        """Per branch in [low, high]: the count of 正式党员 on the day, and of current holders of `posts`."""

    def manageable(self, actor, action: str, ids: list[int]) -> dict[int, Any]:
        """The members with these ids that the actor may manage, by id."""

    def post_holders(self, actor, action: str, org, posts: list[str]) -> list[Any]:
        """The branch's current members holding one of `posts` on the roster (members, with party_post)."""

    def set_posts(self, actor, action: str, org, posts: list[str], holders: list[tuple[Any, str]]) -> None:
        """Clear the roster's 党内职务 in `posts` at the branch, then give each (member, post) its post."""

    def linked_member(self, user_id: int) -> Any | None:
        """The roster record linked to this user account (with its branch), or None."""


_registered: list[Roster] = []


def register(roster: Roster) -> None:
    _registered[:] = [roster]


def roster() -> Roster:
    if not _registered:
        raise ImproperlyConfigured(
            "no roster registered for the organisation app (the people app registers it)"
        )
    return _registered[0]
