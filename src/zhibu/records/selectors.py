"""Reads of organisational-life records shared by the pages, the API and the dashboard.

Two levels of reading exist and are kept apart on purpose:

- **full** (Action.VIEW): everything about a record — minutes, decisions, attendance, attachments;
- **schedule** (Action.SCHEDULE, a plain 党员): only the schedule of their branch — date, time, kind, topic and
  place. Schedule readers get `ActivityRow`s built from those columns only, so a template cannot leak minutes.

An organisation's records are those of its subtree: a branch sees its 党小组, a committee every branch below.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet

from zhibu.orgs import scoping
from zhibu.orgs import selectors as posts
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.people.models import COMMITTEE_POSTS, Member, PartyPost, Status

from .models import Activity, ActivityKind, Attachment, Attendance

FULL = "full"
SCHEDULE = "schedule"
ROSTER_STATUSES = (Status.PROBATIONARY, Status.FULL)

_SCHEDULE_COLUMNS = (
    "pk",
    "held_on",
    "starts_at",
    "ends_at",
    "topic",
    "location",
    "kind__code",
    "kind__name",
    "org__code",
    "org__name",
    "org__short_name",
)
_FULL_COLUMNS = (
    *_SCHEDULE_COLUMNS,
    "kind__checks_quorum",
    "expected_count",
    "present_count",
    "committee_size",
    "committee_present",
    "recorded_at",
)


# ---------------------------------------------------------------------------------------------- access levels


def access_level(actor, org: Organisation) -> str:
    """FULL if the actor may read this organisation's records, SCHEDULE if only its schedule; else 404."""
    if scoping.can(actor, Action.VIEW, org):
        return FULL
    if scoping.can(actor, Action.SCHEDULE, org):
        return SCHEDULE
    raise scoping.NotVisible("不存在或无权访问。")


def get_org(actor, code: str) -> tuple[Organisation, str]:
    """An organisation by code for reading records, with the actor's access level there (404 outside)."""
    org = Organisation.objects.select_related("type").filter(code=code).first()
    if org is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return org, access_level(actor, org)


def get_activity(actor, pk: int) -> tuple[Activity, str]:
    """One record and the access level the actor has to it: FULL, SCHEDULE, or 404."""
    related = ("org", "org__type", "kind", "host", "speaker", "recorder", "recorded_by")
    activity = Activity.objects.visible_to(actor, Action.VIEW).select_related(*related).filter(pk=pk).first()
    if activity is not None:
        return activity, FULL
    activity = (
        Activity.objects.visible_to(actor, Action.SCHEDULE).select_related(*related).filter(pk=pk).first()
    )
    if activity is not None:
        return activity, SCHEDULE
    raise scoping.NotVisible("不存在或无权访问。")


def get_activity_for(actor, pk: int, action: str = Action.RECORD) -> Activity:
    """A record the actor may act on (by default: change), or 404."""
    activity = (
        Activity.objects.visible_to(actor, action)
        .select_related("org", "org__type", "kind")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return activity


# ---------------------------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class ActivityRow:
    """One line of a list, calendar or dashboard. Counts are None for schedule readers."""

    pk: int
    held_on: date
    starts_at: datetime
    ends_at: datetime
    topic: str
    location: str
    kind_code: str
    kind_name: str
    org_code: str
    org_label: str
    full: bool = False
    checks_quorum: bool = False
    expected_count: int | None = None
    present_count: int | None = None
    committee_size: int | None = None
    committee_present: int | None = None
    recorded_at: datetime | None = None

    @classmethod
    def from_values(cls, v: dict, full: bool) -> ActivityRow:
        row = dict(
            pk=v["pk"],
            held_on=v["held_on"],
            starts_at=v["starts_at"],
            ends_at=v["ends_at"],
            topic=v["topic"],
            location=v["location"],
            kind_code=v["kind__code"],
            kind_name=v["kind__name"],
            org_code=v["org__code"],
            org_label=v["org__short_name"] or v["org__name"],
            full=full,
        )
        if full:
            row.update(
                checks_quorum=v["kind__checks_quorum"],
                expected_count=v["expected_count"],
                present_count=v["present_count"],
                committee_size=v["committee_size"],
                committee_present=v["committee_present"],
                recorded_at=v["recorded_at"],
            )
        return cls(**row)

    @property
    def quorum_met(self) -> bool | None:
        return quorum(self.checks_quorum, self.committee_size, self.committee_present)


def quorum(checks: bool, size: int | None, present: int | None) -> bool | None:
    """ZB-02: a 支委会 is valid only with more than half of its members present. None: not applicable."""
    if not checks or not size:
        return None
    return (present or 0) * 2 > size


class RowList:
    """A lazily sliced list of ActivityRow over a values() query; Paginator-compatible (count + slicing)."""

    def __init__(self, values: QuerySet, full: bool):
        self.values = values
        self.full = full
        self.ordered = True

    def count(self) -> int:
        return self.values.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [ActivityRow.from_values(v, self.full) for v in self.values[index]]
        return ActivityRow.from_values(self.values[index], self.full)

    def __iter__(self) -> Iterator[ActivityRow]:
        return (ActivityRow.from_values(v, self.full) for v in self.values)


def _subtree(org: Organisation) -> Q:
    low, high = org.subtree_bounds()
    return Q(org__path__gte=low, org__path__lte=high)


def _period(year: int | None, month: int | None) -> Q:
    if year and month:
        end = date(year + (month == 12), month % 12 + 1, 1)
        return Q(held_on__gte=date(year, month, 1), held_on__lt=end)
    if year:
        return Q(held_on__gte=date(year, 1, 1), held_on__lt=date(year + 1, 1, 1))
    return Q()


def activities(
    actor, org: Organisation, *, year: int | None = None, month: int | None = None, kind: str | None = None
) -> QuerySet[Activity]:
    """Full records of an organisation's subtree (Action.VIEW), newest first."""
    scoping.require(actor, Action.VIEW, org)
    qs = Activity.objects.visible_to(actor, Action.VIEW).filter(_subtree(org), _period(year, month))
    if kind:
        qs = qs.filter(kind__code=kind)
    return qs.select_related("kind", "org").order_by("-starts_at", "-id")


def rows(
    actor,
    org: Organisation,
    *,
    year: int | None = None,
    month: int | None = None,
    kind: str | None = None,
    oldest_first: bool = False,
) -> RowList:
    """List rows for anyone who may read the organisation's schedule; counts only for full readers."""
    level = access_level(actor, org)
    action = Action.VIEW if level == FULL else Action.SCHEDULE
    qs = Activity.objects.visible_to(actor, action).filter(_subtree(org), _period(year, month))
    if kind:
        qs = qs.filter(kind__code=kind)
    order = ("starts_at", "id") if oldest_first else ("-starts_at", "-id")
    columns = _FULL_COLUMNS if level == FULL else _SCHEDULE_COLUMNS
    return RowList(qs.order_by(*order).values(*columns), level == FULL)


def month_activities(actor, org: Organisation, year: int, month: int) -> list[ActivityRow]:
    """The month's activities of an organisation's subtree for the dashboard, in date order."""
    return list(rows(actor, org, year=year, month=month, oldest_first=True))


def count_by_kind(actor, org: Organisation, year: int) -> dict[str, int]:
    """{kind code: number of records held in the year} for the organisation's subtree, in one query."""
    level = access_level(actor, org)
    action = Action.VIEW if level == FULL else Action.SCHEDULE
    counted = (
        Activity.objects.visible_to(actor, action)
        .filter(_subtree(org), _period(year, None))
        .values_list("kind__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(counted)


# ---------------------------------------------------------------------------------------------- one record


def attendance_of(actor, activity: Activity) -> list[Attendance]:
    """Attendance rows of a record with their members (full readers only), each carrying `post_label`, the
    党内职务 held on the day of the activity — a later 换届 does not rewrite an old record — with the 党小组长 (a post
    kept without dates) from the roster. That day's committee first, then by name."""
    scoping.require(actor, Action.VIEW, activity.org)
    rows_ = list(
        Attendance.objects.visible_to(actor, Action.VIEW).filter(activity=activity).select_related("member")
    )
    branch = branch_of(activity.org)
    held = posts_on(branch, activity.held_on) if branch is not None else {}
    for row in rows_:
        post = held.get(row.member_id)
        if post is None and row.member.party_post == PartyPost.GROUP_LEADER:
            post = PartyPost.GROUP_LEADER
        row.post_label = PartyPost(post).label if post else ""
    rows_.sort(
        key=lambda a: (held.get(a.member_id) not in COMMITTEE_POSTS, a.member.name_pinyin, a.member_id)
    )
    return rows_


def attachments_of(actor, activity: Activity) -> list[Attachment]:
    scoping.require(actor, Action.VIEW, activity.org)
    return list(
        Attachment.objects.visible_to(actor, Action.VIEW)
        .filter(activity=activity)
        .order_by("uploaded_at", "id")
    )


def get_attachment(actor, pk: int) -> Attachment:
    """An attachment for reading (Action.VIEW; a schedule reader never sees attachments), or 404."""
    attachment = (
        Attachment.objects.visible_to(actor, Action.VIEW)
        .select_related("activity", "activity__org")
        .filter(pk=pk)
        .first()
    )
    if attachment is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return attachment


def get_attachment_for(actor, pk: int) -> Attachment:
    """An attachment the actor may delete (Action.RECORD), or 404."""
    attachment = (
        Attachment.objects.visible_to(actor, Action.RECORD)
        .select_related("activity", "activity__org")
        .filter(pk=pk)
        .first()
    )
    if attachment is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return attachment


def own_attendance(actor, activity: Activity) -> Attendance | None:
    """The actor's own attendance row on a record (what a plain member may see of the attendance)."""
    member = linked_member(actor)
    if member is None:
        return None
    return (
        Attendance.objects.visible_to(actor, Action.SCHEDULE).filter(activity=activity, member=member).first()
    )


# ---------------------------------------------------------------------------------------------- a member's own


def linked_member(actor) -> Member | None:
    """The roster entry linked to the user's account, if any."""
    return Member.objects.visible_to(actor, Action.SCHEDULE).own(actor).select_related("branch").first()


def member_attendance(actor, *, year: int | None = None) -> list[Attendance]:
    """The actor's own attendance, newest first: what they attended, were excused from or missed."""
    member = linked_member(actor)
    if member is None:
        return []
    qs = (
        Attendance.objects.visible_to(actor, Action.SCHEDULE)
        .filter(member=member)
        .select_related("activity", "activity__kind", "activity__org")
    )
    if year:
        qs = qs.filter(activity__held_on__gte=date(year, 1, 1), activity__held_on__lt=date(year + 1, 1, 1))
    return list(qs.order_by("-activity__starts_at", "-id"))


# ---------------------------------------------------------------------------------------------- kinds


def kinds_for(org: Organisation) -> QuerySet[ActivityKind]:
    """Kinds usable at an organisation: the built-in ones and those added by it or an organisation above it."""
    return ActivityKind.objects.for_org(org).select_related("org").order_by("order", "id")


def kinds_around(org: Organisation) -> QuerySet[ActivityKind]:
    """Kinds that share a form with this organisation's: built-in, above it, or below it (codes must not clash)."""
    low, high = org.subtree_bounds()
    # A uniqueness question across the whole neighbourhood, answered for a form's validation, not listed.
    return ActivityKind.objects.unscoped().filter(
        Q(org__isnull=True)
        | Q(org__path__in=org.ancestor_paths(include_self=True))
        | Q(org__path__gte=low, org__path__lte=high)
    )


def kind_by_code(org: Organisation, code: str) -> ActivityKind | None:
    return kinds_for(org).filter(code=code).first()


# ---------------------------------------------------------------------------------------------- roster


def branch_of(org: Organisation) -> Organisation | None:
    """The branch an activity of `org` belongs to: the branch itself, or a 党小组's parent branch."""
    return org.branch


def _members_of(branch: Organisation) -> QuerySet[Member]:
    # The caller has already checked the actor's scope on the organisation. A 党小组长 holds their role at the
    # 党小组 while Member rows are scoped by branch, so the roster is narrowed to the branch explicitly here.
    return Member.objects.unscoped().filter(branch=branch)


def posts_on(branch: Organisation, on: date) -> dict[int, str]:
    """{member id: the highest post held in the branch on the day} (a later 换届 does not change who held what at
    an earlier meeting); the roster's undated 党内职务 only for a branch with no post recorded yet."""
    held: dict[int, str] = {}
    for holder in posts.post_holders(branch, on=on):
        held.setdefault(holder.member_id, holder.post)  # 书记 first
    return held


def committee_on(branch: Organisation, on: date) -> set[int]:
    """Member ids of the branch's 支部委员会 on the day (see posts_on)."""
    return {member_id for member_id, post in posts_on(branch, on).items() if post in COMMITTEE_POSTS}


@dataclass(frozen=True)
class Expected:
    """Who is expected at an activity, committee members first, and which of them sat on the branch's 支部委员会
    that day (the 委员 badge on the attendance checklist)."""

    members: list[Member]
    committee: frozenset[int]


def expected(actor, org: Organisation, on: date, kind: ActivityKind | None = None) -> Expected:
    """Who is expected at an activity of `org` held on `on`: the 预备党员 and 正式党员 of the branch (or of the
    党小组) who had joined by that day, had not left the branch before it, and are in good standing. For a
    支委会 (a kind that checks the quorum) only those among them who sat on the committee that day."""
    if not (scoping.can(actor, Action.RECORD, org) or scoping.can(actor, Action.VIEW, org)):
        raise scoping.NotVisible("不存在或无权访问。")
    branch = branch_of(org)
    if branch is None:
        return Expected([], frozenset())
    qs = (
        _members_of(branch)
        .filter(status__in=ROSTER_STATUSES, standing=Member.Standing.NORMAL)
        .filter(Q(joined_on__isnull=True) | Q(joined_on__lte=on))
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
    )
    if org.is_group:
        qs = qs.filter(party_group=org)
    committee = committee_on(branch, on)
    if kind is not None and kind.checks_quorum:
        qs = qs.filter(pk__in=committee)
    members = list(qs)
    members.sort(key=lambda m: (m.pk not in committee, m.name_pinyin, m.pk))
    return Expected(members, frozenset(committee & {m.pk for m in members}))


def roster(actor, org: Organisation, on: date, kind: ActivityKind | None = None) -> list[Member]:
    """The members of `expected` (committee members of that day first, then by name)."""
    return expected(actor, org, on, kind).members


def branch_members(actor, org: Organisation, ids: Iterable[int]) -> dict[int, Member]:
    """Members of the activity's branch among the given ids (anything else is simply missing from the result)."""
    if not (scoping.can(actor, Action.RECORD, org) or scoping.can(actor, Action.VIEW, org)):
        raise scoping.NotVisible("不存在或无权访问。")
    branch = branch_of(org)
    ids = {int(i) for i in ids if i is not None}
    if branch is None or not ids:
        return {}
    return {m.pk: m for m in _members_of(branch).filter(pk__in=ids)}


def dashboard_activities(actor, action: str, org: Organisation, month_start: date, next_month: date) -> dict:
    """The organisation home page's activities of the month in its subtree (orgs asks through core.hooks)."""
    low, high = scoping.path_bounds(org.path)
    return {
        "activities": list(
            Activity.objects.visible_to(actor, action)
            .filter(org__path__gte=low, org__path__lte=high, held_on__gte=month_start, held_on__lt=next_month)
            .select_related("kind", "org")
            .order_by("starts_at")[:50]
        )
    }
