"""The roster's answers to the organisation app (registered in PeopleConfig.ready as orgs.roster): the member
counts and post holders orgs needs, without orgs importing people. Unscoped reads serve services and reads that
have already checked the actor's scope for the organisation (as the rules engine does); writes are scoped."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from zhibu.orgs.roles import Action

from .models import Member, Status, StatusEvent
from .selectors import status_counts as _status_counts


def active_count(low: str, high: str) -> int:
    return (
        Member.objects.unscoped()
        .filter(branch__path__gte=low, branch__path__lte=high, left_on__isnull=True)
        .count()
    )


def dashboard_counts(actor, action: str, org, month_start: date, next_month: date) -> dict:
    """The organisation home page's members by status, for those who may see the roster."""
    return {"status_counts": status_counts(actor, org)} if action == Action.VIEW else {}


def status_counts(actor, org) -> list[tuple[str, int]]:
    by_status = _status_counts(actor, org)  # the roster's own count (a 党小组 counts its group members)
    return [(label, by_status[value]) for value, label in Status.choices]


def undated_posts(org, posts: list[str]) -> list[tuple[int, str, str]]:
    return list(
        Member.objects.unscoped()
        .filter(branch=org, left_on__isnull=True, party_post__in=posts)
        .values_list("pk", "name", "party_post")
    )


def holder_ids(org, post: str) -> set[int]:
    return set(Member.objects.unscoped().filter(branch=org, party_post=post).values_list("pk", flat=True))


def holders_in(low: str, high: str, post: str) -> set[tuple[int, int]]:
    return {
        (branch_id, pk)
        for pk, branch_id in (
            Member.objects.unscoped()
            .filter(branch__path__gte=low, branch__path__lte=high, party_post=post)
            .values_list("pk", "branch_id")
        )
    }


def full_members_on(org, on: date) -> list[tuple[int, str, date | None]]:
    became = dict(
        StatusEvent.objects.unscoped()
        .filter(member__branch=org, status=Status.FULL, on__lte=on)
        .filter(Q(member__left_on__isnull=True) | Q(member__left_on__gt=on))
        .filter(member__standing=Member.Standing.NORMAL)
        .values_list("member_id", "on")
    )
    names = dict(Member.objects.unscoped().filter(pk__in=became).values_list("pk", "name"))
    return sorted(((pk, names[pk], became[pk]) for pk in became), key=lambda row: row[0])


def committee_counts(low: str, high: str, on: date, posts: list[str]) -> tuple[dict, dict]:
    full: dict[int, int] = {}
    for branch_id, count in (
        StatusEvent.objects.unscoped()
        .filter(
            member__branch__path__gte=low,
            member__branch__path__lte=high,
            status=Status.FULL,
            on__lte=on,
            member__standing=Member.Standing.NORMAL,
        )
        .filter(Q(member__left_on__isnull=True) | Q(member__left_on__gt=on))
        .values("member__branch_id")
        .annotate(n=Count("id"))
        .values_list("member__branch_id", "n")
    ):
        full[branch_id] = count
    held: dict[int, int] = {}
    for branch_id, count in (
        Member.objects.unscoped()
        .filter(branch__path__gte=low, branch__path__lte=high, left_on__isnull=True, party_post__in=posts)
        .values("branch_id")
        .annotate(n=Count("id"))
        .values_list("branch_id", "n")
    ):
        held[branch_id] = count
    return full, held


def manageable(actor, action: str, ids: list[int]) -> dict[int, Member]:
    return {m.pk: m for m in Member.objects.visible_to(actor, action).filter(pk__in=ids)}


def post_holders(actor, action: str, org, posts: list[str]) -> list[Member]:
    return list(
        Member.objects.visible_to(actor, action).filter(
            branch=org, left_on__isnull=True, party_post__in=posts
        )
    )


def set_posts(actor, action: str, org, posts: list[str], holders: list[tuple[Member, str]]) -> None:
    Member.objects.visible_to(actor, action).filter(branch=org, party_post__in=posts).update(party_post="")
    for member, post in holders:
        Member.objects.visible_to(actor, action).filter(pk=member.pk).update(party_post=post)


def linked_member(user_id: int) -> Member | None:
    # The link itself is the grant (orgs.scoping.own_member decides who may ask).
    return Member.objects.unscoped().select_related("branch__type").filter(user_id=user_id).first()
