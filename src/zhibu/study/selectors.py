"""Study reads shared by pages, the API, the CLI and the annual report.

Rankings are information a superior may switch on for its subtree; they never feed a light or a grade, and
people are never ranked (points are no measure of a member's worth): a branch is ranked by the average points of its members and
by the share of its members who studied in the month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum

from zhibu.core import months
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation, OrgType
from zhibu.orgs.roles import Action
from zhibu.orgs.selectors import nearest
from zhibu.people.models import Member, Status
from zhibu.records.models import Activity

from .models import POLITICAL_STUDY, RankingSetting, StudyNote, StudyPoints, StudyTarget

PARTY_STATUSES = (Status.PROBATIONARY, Status.FULL)


# ---------------------------------------------------------------------------------------------- parameters


def parse_day(raw: str | None, default: date) -> date:
    if not raw:
        return default
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ValidationError({"date": f"日期“{raw}”无效，应为 2022-12-01 这样的格式。"}) from None


def parse_month(raw: str | None, default: tuple[int, int]) -> tuple[int, int]:
    """(year, month) of a typed YYYY-MM (core.months.parse); `default` when empty."""
    if not raw:
        return default
    month = months.parse(raw)
    return month.year, month.month


def parse_year(raw: str | None, default: int) -> int:
    if not raw:
        return default
    if not raw.strip().isdecimal() or not 2000 <= int(raw) <= 2100:
        raise ValidationError({"year": f"年份“{raw}”无效，应为 2000 到 2100 之间的四位数字。"})
    return int(raw)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), months.last_day(date(year, month, 1))


def subtree(org: Organisation) -> Q:
    low, high = org.subtree_bounds()
    return Q(path__gte=low, path__lte=high)


def _in_subtree(prefix: str, org: Organisation) -> Q:
    low, high = org.subtree_bounds()
    return Q(**{f"{prefix}__path__gte": low, f"{prefix}__path__lte": high})


def require_any(actor, org: Organisation) -> None:
    """The study pages of an organisation are open to anyone with a role there (VIEW or SCHEDULE)."""
    if not (scoping.can(actor, Action.VIEW, org) or scoping.can(actor, Action.SCHEDULE, org)):
        raise scoping.NotVisible("不存在或无权访问。")


def get_org_any(actor, code: str) -> Organisation:
    org = Organisation.objects.select_related("type").filter(code=code).first()
    if org is None:
        raise scoping.NotVisible("不存在或无权访问。")
    require_any(actor, org)
    return org


# ------------------------------------------------------------------------------------------ daily sheet


@dataclass(frozen=True)
class DailyRow:
    name: str
    day_points: int
    total_points: int | None
    party_member: bool = True


@dataclass(frozen=True)
class DailySheet:
    org: Organisation
    day: date
    rows: list[DailyRow]
    roster: int  # party members on the roster that day
    target: int | None  # the branch's own monthly average target, if it set one
    month_avg: float  # the branch's average points per member this month up to the day

    @property
    def studied(self) -> int:
        return len(self.rows)

    @property
    def studied_party(self) -> int:
        """Party members who studied (out of `roster`); the others are applicants and activists."""
        return sum(1 for r in self.rows if r.party_member)

    @property
    def studied_others(self) -> int:
        return self.studied - self.studied_party

    @property
    def points(self) -> int:
        return sum(r.day_points for r in self.rows)


def _roster(actor, action: str, start: date, end: date):
    """Party members counted in a period: joined by its end, not left before its start."""
    return (
        Member.objects.visible_to(actor, action)
        .filter(status__in=PARTY_STATUSES, joined_on__lte=end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
    )


def daily(actor, org: Organisation, day: date) -> DailySheet:
    """Who studied on a day and their points, in name order (people are not ranked)."""
    scoping.require(actor, Action.SCHEDULE, org)
    if not org.is_branch:
        raise ValidationError("每日学习情况按党支部公布，请选择党支部。")
    rows = [
        DailyRow(name, day_points, total, status in PARTY_STATUSES and joined is not None and joined <= day)
        for name, day_points, total, status, joined in StudyPoints.objects.visible_to(actor, Action.SCHEDULE)
        .filter(member__branch=org, on=day, day_points__gt=0)
        .order_by("member__name_pinyin", "member_id")
        .values_list("member__name", "day_points", "total_points", "member__status", "member__joined_on")
    ]
    roster = _roster(actor, Action.SCHEDULE, day, day).filter(branch=org).count()
    target = StudyTarget.objects.visible_to(actor, Action.SCHEDULE).filter(org=org).first()
    month_avg = 0.0
    if target is not None and roster:
        start = day.replace(day=1)
        counted = _roster(actor, Action.SCHEDULE, start, day).filter(branch=org)
        total = (
            (
                StudyPoints.objects.visible_to(actor, Action.SCHEDULE)
                .filter(member__in=counted, on__gte=start, on__lte=day)
                .aggregate(s=Sum("day_points"))["s"]
            )
            or 0
        )
        size = counted.count()
        month_avg = round(total / size, 1) if size else 0.0
    return DailySheet(
        org=org,
        day=day,
        rows=rows,
        roster=roster,
        target=target.monthly_avg_points if target else None,
        month_avg=month_avg,
    )


def latest_day(actor, org: Organisation) -> date | None:
    """The last day with imported points for the branch (where the daily page opens by default)."""
    return (
        StudyPoints.objects.visible_to(actor, Action.SCHEDULE)
        .filter(member__branch=org)
        .order_by("-on")
        .values_list("on", flat=True)
        .first()
    )


# --------------------------------------------------------------------------------------------- rankings


def rankings_enabled(org: Organisation) -> bool:
    """The switch of the nearest organisation, from this one up, that has a setting; off if none has."""
    setting = nearest(RankingSetting, org)
    return bool(setting and setting.enabled)


@dataclass(frozen=True)
class RankRow:
    org: Organisation
    members: int
    participants: int
    points: int
    rank: int

    @property
    def avg_exact(self) -> Fraction:
        return Fraction(self.points, self.members)

    @property
    def avg_points(self) -> float:
        return round(self.points / self.members, 2)

    @property
    def participation(self) -> float:
        return round(self.participants / self.members, 4)

    @property
    def participation_percent(self) -> float:
        return round(100 * self.participants / self.members, 1)


def _compute(actor, org: Organisation, year: int, month: int) -> list[RankRow]:
    start, end = month_bounds(year, month)
    branches = {
        o.pk: o
        for o in scoping.organisations(actor, Action.VIEW).filter(
            subtree(org), type__level=OrgType.Level.BRANCH, dissolved_on__isnull=True
        )
    }
    roster = _roster(actor, Action.VIEW, start, end).filter(_in_subtree("branch", org))
    sizes = dict(roster.values("branch_id").annotate(n=Count("id")).values_list("branch_id", "n"))
    figures = {
        b: (points or 0, participants)
        for b, points, participants in StudyPoints.objects.visible_to(actor, Action.VIEW)
        .filter(
            _in_subtree("member__branch", org),
            on__gte=start,
            on__lte=end,
            member__status__in=PARTY_STATUSES,
            member__joined_on__lte=end,
        )
        .filter(Q(member__left_on__isnull=True) | Q(member__left_on__gte=start))
        .values("member__branch_id")
        .annotate(
            points=Sum("day_points"),
            participants=Count("member_id", distinct=True, filter=Q(day_points__gt=0)),
        )
        .values_list("member__branch_id", "points", "participants")
    }
    unranked = []
    for pk, branch in branches.items():
        size = sizes.get(pk, 0)
        if not size:
            continue  # a branch without members on the roster that month has nothing to rank
        points, participants = figures.get(pk, (0, 0))
        unranked.append((branch, size, participants, points))
    unranked.sort(key=lambda r: (-Fraction(r[3], r[1]), -Fraction(r[2], r[1]), r[0].path))
    rows: list[RankRow] = []
    for index, (branch, size, participants, points) in enumerate(unranked):
        rank = index + 1
        if rows:
            prev = rows[-1]
            if prev.avg_exact == Fraction(points, size) and Fraction(
                prev.participants, prev.members
            ) == Fraction(participants, size):
                rank = prev.rank  # ties share a rank (1, 2, 2, 4)
        rows.append(RankRow(org=branch, members=size, participants=participants, points=points, rank=rank))
    return rows


def ranking(actor, org: Organisation, year: int, month: int, *, check_switch: bool = True) -> list[RankRow]:
    """Branches of the organisation's subtree for a month, best first. 404 unless a superior switched the
    ranking on for this subtree (check_switch=False is for callers that show only a branch's own figure)."""
    scoping.require(actor, Action.VIEW, org)
    if check_switch and not rankings_enabled(org):
        raise scoping.NotVisible("本组织未开启学习排名。")
    return _compute(actor, org, year, month)


def branch_rank(org: Organisation, year: int, month: int) -> tuple[int, int] | None:
    """The branch's place among the branches of its parent's subtree in a month, e.g. (1, 12), whatever the
    display switch says (it is the branch's own figure). None when there is nothing to rank."""
    if not org.is_branch:
        return None
    parent = Organisation.objects.get_parent(org)
    if parent is None:
        return None
    with (
        scoping.system_figures()
    ):  # the siblings' points are not the viewer's to read: only the place is shown
        rows = _compute(scoping.SYSTEM, parent, year, month)
    if not any(r.points for r in rows):
        return None
    for row in rows:
        if row.org.pk == org.pk:
            return row.rank, len(rows)
    return None


# ---------------------------------------------------------------------------------------- political study


def political_sessions(actor, org: Organisation, year: int, action: str = Action.VIEW):
    start, end = date(year, 1, 1), date(year, 12, 31)
    return Activity.objects.visible_to(actor, action).filter(
        _in_subtree("org", org), kind__code=POLITICAL_STUDY, held_on__gte=start, held_on__lte=end
    )


def note_chars(actor, org: Organisation, year: int) -> int:
    """Chinese characters of all members' notes on the organisation's political study in a year ("近20000字")."""
    if actor is None:
        raise scoping.MissingActor("统计学习笔记字数须指明查询人。")
    scoping.require(actor, Action.VIEW, org)
    return (
        (
            StudyNote.objects.visible_to(actor, Action.VIEW)
            .filter(
                _in_subtree("activity__org", org),
                activity__kind__code=POLITICAL_STUDY,
                activity__held_on__gte=date(year, 1, 1),
                activity__held_on__lte=date(year, 12, 31),
            )
            .aggregate(n=Sum("han_count"))["n"]
        )
        or 0
    )


@dataclass(frozen=True)
class NoteTotal:
    member_id: int
    name: str
    branch: str
    notes: int
    chars: int


@dataclass(frozen=True)
class BranchNoteTotal:
    org_id: int
    name: str
    members: int
    notes: int
    chars: int


@dataclass(frozen=True)
class NotesSummary:
    org: Organisation
    year: int
    members: list[NoteTotal]  # per member (a branch or a party group)
    branches: list[BranchNoteTotal]  # per branch (a committee: its subtree can be large)
    sessions: list[dict]  # {"activity": Activity, "notes": int, "chars": int} (a branch or a party group)
    session_count: int

    @property
    def total_chars(self) -> int:
        return sum(m.chars for m in self.members) + sum(b.chars for b in self.branches)

    @property
    def total_notes(self) -> int:
        return sum(m.notes for m in self.members) + sum(b.notes for b in self.branches)


def notes_summary(actor, org: Organisation, year: int) -> NotesSummary:
    """Characters of political-study notes in a year: per member and per session for a branch, per branch
    for a committee."""
    scoping.require(actor, Action.VIEW, org)
    notes = StudyNote.objects.visible_to(actor, Action.VIEW).filter(
        _in_subtree("activity__org", org),
        activity__kind__code=POLITICAL_STUDY,
        activity__held_on__gte=date(year, 1, 1),
        activity__held_on__lte=date(year, 12, 31),
    )
    if org.type.level == OrgType.Level.COMMITTEE:
        branches = [
            BranchNoteTotal(
                org_id=row["member__branch_id"],
                name=row["member__branch__name"],
                members=row["people"],
                notes=row["n"],
                chars=row["chars"] or 0,
            )
            for row in notes.values("member__branch_id", "member__branch__name", "member__branch__path")
            .annotate(people=Count("member_id", distinct=True), n=Count("id"), chars=Sum("han_count"))
            .order_by("member__branch__path")
        ]
        return NotesSummary(
            org=org,
            year=year,
            members=[],
            branches=branches,
            sessions=[],
            session_count=political_sessions(actor, org, year).count(),
        )
    members = [
        NoteTotal(
            member_id=row["member_id"],
            name=row["member__name"],
            branch=row["member__branch__short_name"] or row["member__branch__name"],
            notes=row["n"],
            chars=row["chars"] or 0,
        )
        for row in notes.values(
            "member_id",
            "member__name",
            "member__branch__short_name",
            "member__branch__name",
            "member__name_pinyin",
        )
        .annotate(n=Count("id"), chars=Sum("han_count"))
        .order_by("member__name_pinyin", "member_id")
    ]
    per_session = {
        row["activity_id"]: row
        for row in notes.values("activity_id").annotate(n=Count("id"), chars=Sum("han_count"))
    }
    sessions = [
        {
            "activity": a,
            "notes": per_session.get(a.pk, {}).get("n", 0),
            "chars": per_session.get(a.pk, {}).get("chars", 0) or 0,
        }
        for a in political_sessions(actor, org, year).select_related("org").order_by("starts_at", "id")
    ]
    return NotesSummary(
        org=org, year=year, members=members, branches=[], sessions=sessions, session_count=len(sessions)
    )


def session_notes(actor, activity: Activity) -> list[dict]:
    """Every member of the session's organisation with their note (if any): what the notes page lists."""
    org = activity.org
    members = (
        Member.objects.visible_to(actor, Action.SCHEDULE)
        .filter(Q(party_group=org) if org.is_group else Q(branch=org))
        .filter(left_on__isnull=True)
    )
    notes = {
        n.member_id: n for n in StudyNote.objects.visible_to(actor, Action.SCHEDULE).filter(activity=activity)
    }
    return [{"member": m, "note": notes.get(m.pk)} for m in members.order_by("name_pinyin", "id")]


def note_members(actor, activity: Activity):
    """Members whose notes the actor may write on this session: everyone for those who record there, else
    only the actor's own member record."""
    org = activity.org
    members = (
        Member.objects.visible_to(actor, Action.SCHEDULE)
        .filter(Q(party_group=org) if org.is_group else Q(branch=org))
        .filter(left_on__isnull=True)
    )
    if scoping.can(actor, Action.RECORD, org):
        return members.order_by("name_pinyin", "id")
    return members.own(actor)


def yesterday() -> date:
    from django.utils import timezone

    return timezone.localdate() - timedelta(days=1)
