"""Announcements between apps: a write in one app says what changed; the apps that keep derived data subscribe.

The writer does not import its subscribers (records know nothing of lights): it calls `announce` inside its
transaction, and the subscribers run once that transaction has committed — never for a write that was rolled
back. A subscriber registers in its AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction

RECORDS = "records"  # activities of these organisations held in these (year, month)s were written or removed
ROSTER = "roster"  # who is on these branches' rolls, their party standing or committee posts changed
CALENDAR = "calendar"  # these organisations' 启用日期 or 假期 changed (they bind their whole subtree)
KINDS = frozenset({RECORDS, ROSTER, CALENDAR})


@dataclass(frozen=True)
class Change:
    kind: str
    org_ids: tuple[int, ...]
    months: tuple[tuple[int, int], ...] = ()


Handler = Callable[[Change], None]
_handlers: dict[str, list[Handler]] = {kind: [] for kind in KINDS}


def subscribe(kind: str, handler: Handler) -> None:
    """Call `handler(change)` after every committed announcement of `kind` (registering twice is harmless)."""
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    if handler not in _handlers[kind]:
        _handlers[kind].append(handler)


def unsubscribe(kind: str, handler: Handler) -> None:
    if handler in _handlers.get(kind, []):
        _handlers[kind].remove(handler)


def announce(kind: str, *, org_ids: Iterable[int], months: Iterable[tuple[int, int]] = ()) -> Change:
    """Tell the subscribers of `kind` about this change once the current transaction commits (at once when
    there is none)."""
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    change = Change(kind, tuple(sorted(set(org_ids))), tuple(sorted(set(months))))
    if change.org_ids:
        transaction.on_commit(lambda: dispatch(change))
    return change


def dispatch(change: Change) -> None:
    for handler in list(_handlers[change.kind]):
        handler(change)
