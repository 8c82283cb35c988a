"""Roster reads shared by the pages, the API and the commands. Every function takes the actor first."""

from __future__ import annotations

import re
from datetime import date

from django.db.models import Count, Q, QuerySet

from zhibu.core.crypto import digest
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation, OrgType
from zhibu.orgs.roles import Action

from . import idnumber
from .models import Member, Status, StatusEvent

_LATIN = re.compile(r"^[a-z]+$")
_DIGITS = re.compile(r"\d")
# A search by ID number travels as this prefix and the number's keyed digest (the roster's blind index), so the
# number itself is never part of an address, a browser history or an access log.
ID_TOKEN = "sfz-"
_TOKEN = re.compile(r"^sfz-[0-9a-f]{64}$")


def id_search_token(text: str) -> str | None:
    """The digest token standing for a full ID number typed in the search box; None for any other text."""
    try:
        return ID_TOKEN + digest(idnumber.parse((text or "").strip()).value)
    except idnumber.IdNumberError:
        return None


def is_id_search_token(text: str) -> bool:
    return bool(_TOKEN.match(text or ""))


def may_go_in_address(text: str) -> bool:
    """A search text that may appear in a URL: names and pinyin, never digits (a whole or partial number)."""
    return not _DIGITS.search(text or "") or is_id_search_token(text)


def visible(actor, action: str = Action.VIEW) -> QuerySet[Member]:
    """Members the actor may see: the roster of their scope, and for anyone their own record (a plain 党员
    holds only SCHEDULE and sees nothing else of the roster)."""
    members = Member.objects.visible_to(actor, action)
    if action == Action.VIEW:
        members = members | Member.objects.visible_to(actor, Action.SCHEDULE).own(actor)
    return members


def _within(members: QuerySet[Member], org: Organisation) -> QuerySet[Member]:
    if org.is_group:
        return members.filter(party_group=org)
    low, high = scoping.path_bounds(org.path)
    return members.filter(branch__path__gte=low, branch__path__lte=high)


def search(members: QuerySet[Member], text: str) -> QuerySet[Member]:
    """By name (汉字), full pinyin or pinyin initials (`zwh` finds 张文慧), an exact ID number, or the digest
    token standing for one (`id_search_token`)."""
    text = (text or "").strip()
    if not text:
        return members
    if is_id_search_token(text):
        return members.filter(id_digest=text[len(ID_TOKEN) :])
    lowered = text.lower().replace(" ", "")
    if _LATIN.match(lowered):
        return members.filter(Q(name_initials__startswith=lowered) | Q(name_pinyin__contains=lowered))
    try:
        return members.filter(id_digest=digest(idnumber.parse(text).value))
    except idnumber.IdNumberError:
        return members.filter(name__contains=text)


def member_list(
    actor,
    org: Organisation | None = None,
    *,
    q: str = "",
    status: str = "",
    group: Organisation | None = None,
    post: str = "",
    action: str = Action.VIEW,
    include_left: bool = False,
) -> QuerySet[Member]:
    """The roster of an organisation (a committee: its subtree; a branch: its members; a 党小组: its
    members), or everything visible when org is None; filtered and ordered by pinyin."""
    if org is not None:
        scoping.require(actor, action, org)
        members = _within(Member.objects.visible_to(actor, action), org)
    else:
        members = visible(actor, action)
    if not include_left:
        members = members.filter(left_on__isnull=True)
    members = search(members, q)
    if status:
        members = members.filter(status=status)
    if group is not None:
        members = members.filter(party_group=group)
    if post:
        members = members.filter(post=post)
    return members.select_related("branch", "party_group").order_by("name_pinyin", "id")


def member_get(actor, pk: int, action: str = Action.VIEW) -> Member:
    """One member by id, or 404 when outside the actor's scope for the action (own record included for VIEW)."""
    member = (
        visible(actor, action)
        .filter(pk=pk)
        .select_related("branch__type", "party_group", "user")
        .prefetch_related("status_events")
        .first()
    )
    if member is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return member


def own_member(actor) -> Member | None:
    """The roster record linked to the actor's account, seen through their SCHEDULE scope."""
    return (
        Member.objects.visible_to(actor, Action.SCHEDULE)
        .own(actor)
        .select_related("branch__type", "party_group")
        .prefetch_related("status_events")
        .first()
    )


def status_counts(actor, org: Organisation) -> dict[str, int]:
    """Current members of an organisation's subtree by status (every status present, zero if none)."""
    scoping.require(actor, Action.VIEW, org)
    rows = (
        _within(Member.objects.visible_to(actor, Action.VIEW), org)
        .filter(left_on__isnull=True)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
    )
    counts = dict.fromkeys(Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def became(actor, org: Organisation, status: str, year: int) -> int:
    """How many people in the organisation's subtree reached a status in a year (e.g. became 预备党员 in
    2022): one query over the status history."""
    scoping.require(actor, Action.VIEW, org)
    events = StatusEvent.objects.visible_to(actor, Action.VIEW).filter(
        status=status, on__gte=date(year, 1, 1), on__lt=date(year + 1, 1, 1)
    )
    if org.is_group:
        events = events.filter(member__party_group=org)
    else:
        low, high = scoping.path_bounds(org.path)
        events = events.filter(member__branch__path__gte=low, member__branch__path__lte=high)
    return events.count()


def party_groups(branch: Organisation) -> QuerySet[Organisation]:
    """The 党小组 directly under a branch (the caller has already resolved the branch through scoping)."""
    low, high = scoping.path_bounds(branch.path)
    return (
        Organisation.objects.filter(
            path__gte=low,
            path__lte=high,
            depth=branch.depth + 1,
            type__level=OrgType.Level.GROUP,
            dissolved_on__isnull=True,
        )
        .select_related("type")
        .order_by("path")
    )


def groups_in(actor, org: Organisation) -> QuerySet[Organisation]:
    """Every 党小组 in an organisation's subtree (for the list filter)."""
    scoping.require(actor, Action.VIEW, org)
    low, high = scoping.path_bounds(org.path)
    return (
        Organisation.objects.filter(
            path__gte=low, path__lte=high, type__level=OrgType.Level.GROUP, dissolved_on__isnull=True
        )
        .select_related("type")
        .order_by("path")
    )


def posts_in(actor, org: Organisation) -> list[str]:
    """The distinct 工作岗位 in an organisation's roster (for the list filter)."""
    members = _within(Member.objects.visible_to(actor, Action.VIEW), org).filter(left_on__isnull=True)
    return list(members.exclude(post="").order_by("post").values_list("post", flat=True).distinct()[:200])
