"""The evaluation engine: records + requirements → per branch and month, what is met, late, low or missing.

Shaped for a district's volume of rows: each record is mapped (in SQL) to its branch and month held, with one
conditional count per requirement (how many, how many recorded in time, how many in time and well attended);
quarterly, half-yearly and yearly periods are then sums of those month rows, and every period falls due in its
last month. Subtrees are path ranges; rows are tuples. Committee size, the secretary as speaker, per-member
talks and weekly/daily requirements each take one extra small query when some requirement needs them.

No scoping here: callers (services, selectors) have checked the actor's scope for the subtree first.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gc
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple, TypeVar

import holidays
from django.db import connection, connections
from django.utils import timezone

from zhibu.core.months import last_day
from zhibu.orgs.models import Organisation, OrgType
from zhibu.orgs.scoping import path_bounds
from zhibu.people.models import COMMITTEE_POSTS, PartyPost, Status

from .models import Period, Requirement

STATE_RANK = {"done": 0, "low": 1, "late": 2, "unmet": 3}
COMMITTEE_MIN = 3
PARTY_STATUSES = (Status.PROBATIONARY.value, Status.FULL.value)
T = TypeVar("T")
SPEAKERS_APART_FROM = 500  # branches in a subtree from which its 书记-speaker counts are a statement apart


@dataclass(frozen=True)
class Rule:
    id: int
    code: str
    name: str
    kind_id: int
    kind_code: str
    kind_name: str
    period: str
    min_count: int
    weekday: int | None
    rate_milli: int | None
    speaker: bool
    per_group: bool
    per_member: bool
    needs_committee: bool
    grace: int
    valid_from: date
    valid_to: date | None
    owner_path: str | None
    owner_id: int | None
    replaces_id: int | None
    type_ids: frozenset
    basis: str
    local: bool
    quorum: bool = False  # the kind checks the 支委会 quorum: a meeting below it does not count
    closes: tuple[int, int] | None = (
        None  # (month, day) of the next year by which a year's annual meeting is held
    )

    @property
    def label(self) -> str:
        return self.name

    def in_force(self, start: date, end: date) -> bool:
        return self.valid_from <= end and (self.valid_to is None or self.valid_to >= start)

    @property
    def annual(self) -> bool:
        return self.closes is not None and self.period == Period.YEAR

    def covers(self, path: str, type_id: int) -> bool:
        return type_id in self.type_ids and (self.owner_path is None or path.startswith(self.owner_path))


@dataclass(frozen=True)
class PeriodSpan:
    start: date
    end: date
    due_month: int
    months: tuple[int, ...]  # months of the year whose month rows add up to this period (month-level periods)


class Item(NamedTuple):
    """One requirement's state in one period. A tuple: immutable, and hashed and compared in C, so storing a
    city's two million items can encode each distinct one once (rules.services._light_rows)."""

    rule_id: int
    state: str  # done / low / late / unmet
    count: int
    needed: int
    deadline: date
    start: date
    end: date

    def as_row(self) -> list:
        return [
            self.rule_id,
            self.state,
            self.count,
            self.needed,
            self.deadline.isoformat(),
            self.start.isoformat(),
            self.end.isoformat(),
        ]

    @classmethod
    def from_row(cls, row: list) -> Item:
        return cls(
            row[0],
            row[1],
            row[2],
            row[3],
            date.fromisoformat(row[4]),
            date.fromisoformat(row[5]),
            date.fromisoformat(row[6]),
        )


@dataclass
class MonthEval:
    month: int
    items: list[Item] = field(default_factory=list)
    off: bool = False  # before the organisation's 启用日期: 未启用, neither red nor yellow

    @property
    def base(self) -> str:
        if self.off:
            return "off"
        if not self.items:
            return "none"
        return "yellow" if any(i.state in ("low", "late") for i in self.items) else "green"

    @property
    def open_deadline(self) -> date | None:
        open_ = [i.deadline for i in self.items if i.state == "unmet"]
        return min(open_) if open_ else None


@dataclass
class Branch:
    id: int
    path: str
    type_id: int
    founded_on: date | None
    dissolved_on: date | None
    groups: list[int] = field(default_factory=list)
    live_from: date | None = None


# ---------------------------------------------------------------- rules and periods


def load_rules() -> list[Rule]:
    """Every requirement (retired ones too: their in-force dates decide where they apply)."""
    types: dict[int, set[int]] = defaultdict(set)
    for req_id, type_id in Requirement.org_types.through.objects.values_list("requirement_id", "orgtype_id"):
        types[req_id].add(type_id)
    rows = Requirement.objects.unscoped().values_list(
        "id",
        "code",
        "name",
        "kind_id",
        "kind__code",
        "kind__name",
        "period",
        "min_count",
        "weekday",
        "min_attendance",
        "speaker_secretary",
        "per_group",
        "per_member",
        "needs_committee",
        "grace_days",
        "valid_from",
        "valid_to",
        "owner__path",
        "owner_id",
        "replaces_id",
        "basis",
        "local_rule",
        "kind__checks_quorum",
        "closes_month",
        "closes_day",
    )
    return [
        Rule(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            None if r[9] is None else int(round(float(r[9]) * 1000)),
            r[10],
            r[11],
            r[12],
            r[13],
            r[14],
            r[15],
            r[16],
            r[17],
            r[18],
            r[19],
            frozenset(types.get(r[0], ())),
            r[20],
            r[21],
            bool(r[22]),
            (r[23], r[24]) if r[23] and r[24] else None,
        )
        for r in rows
    ]


def month_end(year: int, month: int) -> date:
    return last_day(date(year, month, 1))


def periods(rule: Rule, year: int) -> list[PeriodSpan]:
    """The periods of `rule` that fall due in `year` (a period falls due in the month it ends)."""
    if rule.period in PERIOD_SPANS_MONTHS:
        size = PERIOD_SPANS_MONTHS[rule.period]
        return [
            PeriodSpan(
                date(year, last - size + 1, 1),
                month_end(year, last),
                last,
                tuple(range(last - size + 1, last + 1)),
            )
            for last in range(size, 13, size)
        ]
    if rule.period == Period.WEEK:
        first = date(year, 1, 1)
        monday = first - timedelta(days=first.weekday())
        if (monday + timedelta(days=6)).year < year:
            monday += timedelta(days=7)
        spans = []
        while monday.year <= year and (monday + timedelta(days=6)).year == year:
            sunday = monday + timedelta(days=6)
            spans.append(PeriodSpan(monday, sunday, sunday.month, ()))
            monday += timedelta(days=7)
        return spans
    day, spans = date(year, 1, 1), []
    while day.year == year:
        spans.append(PeriodSpan(day, day, day.month, ()))
        day += timedelta(days=1)
    return spans


PERIOD_SPANS_MONTHS = {Period.MONTH: 1, Period.QUARTER: 3, Period.HALF_YEAR: 6, Period.YEAR: 12}


def closes_on(rule: Rule, year: int) -> date:
    """The last day an annual meeting for `year` may be held (the end of the year for other rules)."""
    if rule.closes is None:
        return date(year, 12, 31)
    return date(year + 1, rule.closes[0], rule.closes[1])


def deadline_of(rule: Rule, span: PeriodSpan) -> date:
    if rule.annual:
        return closes_on(rule, span.end.year) + timedelta(days=rule.grace)
    return span.end + timedelta(days=rule.grace)


def year_of(held_on: date, for_year: int | None) -> int:
    """The year an annual record is for: as recorded, else the default (January–March → the year before)."""
    if for_year is not None:
        return for_year
    return held_on.year - 1 if held_on.month <= 3 else held_on.year


QUORUM_SQL = "(a.committee_size = 0 OR a.committee_present * 2 > a.committee_size)"
LIVE_SQL = "(o.live_from IS NOT NULL AND a.held_on < o.live_from)"


def counts_for_quorum(committee_size: int, committee_present: int) -> bool:
    """A 支委会 counts only with more than half of its members present (支部工作条例 第十二条); 0 = not judged."""
    return committee_size == 0 or committee_present * 2 > committee_size


def instant_after(day: date) -> datetime:
    """The first instant after `day` ends in the project's time zone: recorded before it = recorded in time."""
    return timezone.make_aware(
        datetime.combine(day + timedelta(days=1), time.min), timezone.get_current_timezone()
    )


def applicable(rules: list[Rule], branch: Branch) -> list[Rule]:
    return [r for r in rules if r.covers(branch.path, branch.type_id)]


def replaced_in(rule: Rule, span: PeriodSpan, rules: list[Rule]) -> bool:
    return any(other.replaces_id == rule.id and other.in_force(span.start, span.end) for other in rules)


# ---------------------------------------------------------------- SQL


def _sql_parts():
    if connection.vendor == "postgresql":
        return (
            "CAST(EXTRACT(MONTH FROM a.held_on) AS integer)",
            "CAST(EXTRACT(DOW FROM a.held_on) AS integer)",
        )
    return ("CAST(substr(a.held_on, 6, 2) AS integer)", "CAST(strftime('%%w', a.held_on) AS integer)")


def _ts(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _month_rows(rules: list[Rule], low: str, high: str, year: int) -> dict:
    """{org_id: {month: [counts…]}} — three (or two) numbers per rule in the order of `rules`: how many records
    count for it, how many were recorded in time, how many of those were attended well enough.

    One statement over the subtree: the inner select works out each record's flags once (recorded before the
    deadline of its month under each distinct deadline scheme, attendance at each distinct threshold, quorum,
    weekday, given by the branch's 书记); the outer one adds them up per branch and month with one conditional sum
    per rule and count."""
    if not rules:
        return {}
    month_expr, dow_expr = _sql_parts()
    schemes: dict[tuple, int] = {}  # (month, deadline) pairs → the column ok<i>
    scheme_kinds: dict[int, set[int]] = defaultdict(set)
    rates: dict[int, int] = {}  # attendance threshold (‰) → the column g<j>
    rate_kinds: dict[int, set[int]] = defaultdict(set)
    plan = []
    for rule in rules:
        by_month = {}
        for span in periods(rule, year):
            for m in span.months:
                by_month[m] = _ts(instant_after(deadline_of(rule, span)))
        scheme = schemes.setdefault(tuple(sorted(by_month.items())), len(schemes))
        scheme_kinds[scheme].add(rule.kind_id)
        rate = None
        if rule.rate_milli is not None:
            rate = rates.setdefault(rule.rate_milli, len(rates))
            rate_kinds[rate].add(rule.kind_id)
        plan.append((rule, scheme, rate))
    inner = [f"a.org_id AS org_id, {month_expr} AS m, a.kind_id AS k"]
    inner_params: list = []
    if any(rule.quorum for rule in rules):
        inner.append(f"CASE WHEN {QUORUM_SQL} THEN 1 ELSE 0 END AS q")
    if any(rule.weekday is not None for rule in rules):
        inner.append(f"{dow_expr} AS w")
    joins = "JOIN orgs_organisation o ON o.id = a.org_id"
    if any(rule.speaker for rule in rules):
        # the 书记 of the branch on the day held (dated posts; the roster's undated post where none are recorded)
        joins += " LEFT JOIN people_member s ON s.id = a.speaker_id"
        kinds_in = ", ".join(str(int(k)) for k in sorted({r.kind_id for r in rules if r.speaker}))
        inner.append(
            f"CASE WHEN a.kind_id IN ({kinds_in}) AND (EXISTS (SELECT 1 FROM orgs_post p "
            "WHERE p.org_id = a.org_id AND p.member_id = a.speaker_id AND p.post = %s "
            "AND p.started_on <= a.held_on AND (p.ended_on IS NULL OR p.ended_on >= a.held_on)) "
            "OR (NOT EXISTS (SELECT 1 FROM orgs_post q WHERE q.org_id = a.org_id) "
            "AND s.party_post = %s AND s.branch_id = a.org_id)) THEN 1 ELSE 0 END AS sp"
        )
        inner_params += [PartyPost.SECRETARY.value, PartyPost.SECRETARY.value]
    for key, index in schemes.items():
        kinds_in = ", ".join(str(int(k)) for k in sorted(scheme_kinds[index]))
        case = "CASE " + month_expr + " " + " ".join("WHEN %s THEN %s" for _ in key) + " END"
        inner.append(
            f"CASE WHEN a.kind_id IN ({kinds_in}) AND (a.recorded_at < {case} OR {LIVE_SQL}) "
            f"THEN 1 ELSE 0 END AS ok{index}"
        )
        inner_params += [v for pair in key for v in pair]
    for milli, index in rates.items():
        kinds_in = ", ".join(str(int(k)) for k in sorted(rate_kinds[index]))
        inner.append(
            f"CASE WHEN a.kind_id IN ({kinds_in}) AND (a.expected_count = 0 OR "
            f"a.present_count * 1000 >= {int(milli)} * a.expected_count) THEN 1 ELSE 0 END AS g{index}"
        )
    outer = []
    for rule, scheme, rate in plan:
        cond = f"x.k = {int(rule.kind_id)}"
        if rule.quorum:
            cond += " AND x.q = 1"
        if rule.weekday is not None:
            cond += f" AND x.w = {(int(rule.weekday) + 1) % 7}"
        if rule.speaker:
            cond += " AND x.sp = 1"
        outer.append(f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)")
        outer.append(f"SUM(CASE WHEN {cond} THEN x.ok{scheme} ELSE 0 END)")
        if rate is not None:
            outer.append(f"SUM(CASE WHEN {cond} AND x.g{rate} = 1 THEN x.ok{scheme} ELSE 0 END)")
    kinds = sorted({r.kind_id for r in rules})
    sql = (
        f"SELECT x.org_id, x.m, {', '.join(outer)} FROM (SELECT {', '.join(inner)} FROM records_activity a {joins} "
        f"WHERE o.path >= %s AND o.path <= %s AND a.held_on >= %s AND a.held_on <= %s "
        f"AND a.kind_id IN ({', '.join(str(int(k)) for k in kinds)})) x GROUP BY x.org_id, x.m"
    )
    params = [*inner_params, low, high, date(year, 1, 1), date(year, 12, 31)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    nested: dict[int, dict[int, tuple]] = {}
    for row in rows:
        months = nested.get(row[0])
        if months is None:
            months = nested[row[0]] = {}
        months[row[1]] = row[2:]
    return nested


def _roster(low: str, high: str, on: date) -> dict[int, tuple[int, int, int]]:
    """{branch_id: (committee members, party members, 正式党员 on `on`)}: the first two from the current roster, the
    last as orgs.selectors.committee_branches counts it (a 转正 dated on or before the day, in normal standing, not
    gone by then). One grouped query."""
    posts = ", ".join(f"'{p}'" for p in sorted(str(p) for p in COMMITTEE_POSTS))
    sql = (
        f"SELECT m.branch_id, SUM(CASE WHEN m.left_on IS NULL AND m.party_post IN ({posts}) THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN m.left_on IS NULL AND m.status IN (%s, %s) AND m.standing = %s THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN m.standing = %s AND e.id IS NOT NULL THEN 1 ELSE 0 END) "
        "FROM people_member m JOIN orgs_organisation o ON o.id = m.branch_id "
        "LEFT JOIN people_statusevent e ON e.member_id = m.id AND e.status = %s AND e.on <= %s "
        "WHERE o.path >= %s AND o.path <= %s AND (m.left_on IS NULL OR m.left_on > %s) GROUP BY m.branch_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql.replace("e.on", f"e.{connection.ops.quote_name('on')}"),
            [*PARTY_STATUSES, "normal", "normal", Status.FULL.value, on, low, high, on],
        )
        return {row[0]: (int(row[1] or 0), int(row[2] or 0), int(row[3] or 0)) for row in cursor.fetchall()}


def _committees(low: str, high: str, on: date, roster: dict[int, tuple[int, int, int]]) -> set[int]:
    """The branches with a 支部委员会 on the day — orgs.selectors.committee_branches from the roster query: the
    last election decides; without one, enough 正式党员 and committee posts."""
    from zhibu.orgs.models import Election
    from zhibu.orgs.selectors import COMMITTEE_AT
    from zhibu.orgs.selectors import COMMITTEE_MIN as POSTS_AT

    decided: dict[int, bool] = {}
    for org_id, flag in (
        Election.objects.unscoped()
        .filter(org__path__gte=low, org__path__lte=high, held_on__lte=on)
        .order_by("org_id", "held_on", "id")
        .values_list("org_id", "has_committee")
    ):
        decided[org_id] = flag  # the last one wins
    result = {org_id for org_id, flag in decided.items() if flag}
    result |= {
        branch_id
        for branch_id, (posts, _party, full) in roster.items()
        if branch_id not in decided and full >= COMMITTEE_AT and posts >= POSTS_AT
    }
    return result


def _member_coverage(rule: Rule, low: str, high: str, year: int) -> dict[int, tuple[int, int]]:
    """Per-member rules: {branch_id: (members with enough records, members with enough records in time)}."""
    span = periods(rule, year)[-1]
    deadline = _ts(instant_after(deadline_of(rule, span)))
    # each member's records counted per branch first; the member row is then found by its key alone and whether
    # the member counts (of that branch, present on the roster, a party member in normal standing) is part of the
    # sum — a join on the branch as well let PostgreSQL's planner walk each branch's members once per member
    member_ok = (
        "mm.branch_id = x.org_id AND mm.left_on IS NULL AND mm.status IN (%s, %s) AND mm.standing = %s"
    )
    sql = (
        f"SELECT x.org_id, SUM(CASE WHEN {member_ok} AND x.n >= %s THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {member_ok} AND x.o >= %s THEN 1 ELSE 0 END) "
        "FROM (SELECT a.org_id AS org_id, t.member_id AS member_id, COUNT(*) AS n, "
        f"SUM(CASE WHEN a.recorded_at < %s OR {LIVE_SQL} THEN 1 ELSE 0 END) AS o "
        "FROM records_attendance t JOIN records_activity a ON a.id = t.activity_id "
        "JOIN orgs_organisation o ON o.id = a.org_id "
        "WHERE o.path >= %s AND o.path <= %s AND a.kind_id = %s AND a.held_on >= %s AND a.held_on <= %s "
        "AND t.presence = %s GROUP BY a.org_id, t.member_id) x JOIN people_member mm ON mm.id = x.member_id "
        "GROUP BY x.org_id"
    )
    ok_params = [*PARTY_STATUSES, "normal"]
    params = [
        *ok_params,
        rule.min_count,
        *ok_params,
        rule.min_count,
        deadline,
        low,
        high,
        rule.kind_id,
        span.start,
        span.end,
        "present",
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: (int(row[1] or 0), int(row[2] or 0)) for row in cursor.fetchall()}


def _short_rows(rules: list[Rule], low: str, high: str, year: int) -> dict[int, list[tuple]]:
    """Weekly and daily rules: the records themselves, {org_id: [(held_on, recorded_at, present, expected, kind)]}."""
    kinds = sorted({r.kind_id for r in rules})
    sql = (
        "SELECT a.org_id, a.held_on, a.recorded_at, a.present_count, a.expected_count, a.kind_id "
        "FROM records_activity a JOIN orgs_organisation o ON o.id = a.org_id "
        f"WHERE o.path >= %s AND o.path <= %s AND a.held_on >= %s AND a.held_on <= %s "
        f"AND a.kind_id IN ({', '.join(['%s'] * len(kinds))})"
    )
    result: dict[int, list[tuple]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, [low, high, date(year - 1, 12, 20), date(year, 12, 31), *kinds])
        for org_id, held, recorded, present, expected, kind_id in cursor.fetchall():
            result[org_id].append((_as_date(held), _as_instant(recorded), present, expected, kind_id))
    return result


def _as_date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _as_instant(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if timezone.is_naive(value) else value


def _annual_rows(rules: list[Rule], low: str, high: str, year: int) -> dict[int, list[tuple]]:
    """Annual rules: the records that may be for `year` (held in it or in the next year),
    {org_id: [(kind_id, for_year, held_on, recorded_at, present, expected)]}. A few rows a branch."""
    kinds = sorted({r.kind_id for r in rules})
    last = date(year + 1, 12, 31)  # a meeting for the year held after its closing date is late, not absent
    sql = (
        "SELECT a.org_id, a.kind_id, a.for_year, a.held_on, a.recorded_at, a.present_count, a.expected_count "
        "FROM records_activity a JOIN orgs_organisation o ON o.id = a.org_id "
        "WHERE o.path >= %s AND o.path <= %s AND a.held_on >= %s AND a.held_on <= %s "
        f"AND a.kind_id IN ({', '.join(['%s'] * len(kinds))})"
    )
    result: dict[int, list[tuple]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, [low, high, date(year, 1, 1), last, *kinds])
        for org_id, kind_id, for_year, held, recorded, present, expected in cursor.fetchall():
            held = _as_date(held)
            if year_of(held, for_year) == year:
                result[org_id].append((kind_id, year, held, _as_instant(recorded), present, expected))
    return result


def _annual_item(
    rule: Rule, branch: Branch, span: PeriodSpan, rows: list[tuple], cutoff: datetime | None = None
) -> Item:
    """A year's annual meeting: done when one for the year was held by the closing date and recorded within the
    grace days after it; held or recorded later = late (逾期召开/补录, yellow); none = unmet (进行中 until the
    deadline, red after)."""
    closes = closes_on(rule, span.end.year)
    deadline = deadline_of(rule, span)
    cutoff = instant_after(deadline) if cutoff is None else cutoff
    total = in_time = good = 0
    for kind_id, _year, held, recorded, present, expected in rows:
        if kind_id != rule.kind_id:
            continue
        total += 1
        history = branch.live_from is not None and held < branch.live_from
        if held <= closes and (recorded < cutoff or history):
            in_time += 1
            if rule.rate_milli is None or expected == 0 or present * 1000 >= rule.rate_milli * expected:
                good += 1
    state = _state(total, in_time, good if rule.rate_milli is not None else None, rule.min_count)
    return Item(rule.id, state, total, rule.min_count, deadline, span.start, span.end)


# ---------------------------------------------------------------- weeks off


@functools.lru_cache(maxsize=32)
def national_holidays(year: int) -> frozenset[date]:
    """China's 法定节假日 of a year (python-holidays, as the working-day calendar of 发展党员 uses)."""
    return frozenset(d for d in holidays.country_holidays("CN", years=[year]) if d.year == year)


class Exemptions:
    """Weeks in which a weekly requirement does not fall due: every day it could be held is a 法定节假日 or inside
    a 假期 its organisation (or one above it) marked. One query for a whole subtree's 假期."""

    def __init__(self, low: str, high: str, year: int):
        from django.db.models import Q

        from zhibu.orgs.models import OrgBreak

        ancestors = [low[:i] for i in range(4, len(low) + 1, 4)]
        self.year = year
        self.holidays = national_holidays(year) | national_holidays(year - 1) | national_holidays(year + 1)
        self.breaks: list[tuple[str, date, date, str]] = list(
            OrgBreak.objects.unscoped()
            .filter(
                Q(org__path__in=ancestors) | Q(org__path__gte=low, org__path__lte=high),
                starts_on__lte=date(year + 1, 1, 7),
                ends_on__gte=date(year - 1, 12, 20),
            )
            .order_by("starts_on")
            .values_list("org__path", "starts_on", "ends_on", "name")
        )

    def reason(self, path: str, day: date) -> str | None:
        """Why `day` is off for the organisation at `path` (法定节假日 or the 假期's name), or None."""
        for owner, start, end, name in self.breaks:
            if start <= day <= end and path.startswith(owner):
                return name
        if day in self.holidays:
            return "法定节假日"
        return None

    @staticmethod
    def candidates(span: PeriodSpan, weekday: int | None) -> list[date]:
        if weekday is not None:
            return [span.start + timedelta(days=weekday)]
        return [span.start + timedelta(days=i) for i in range(5)]

    def owners_of(self, path: str) -> tuple[int, ...]:
        """Which of the 假期 can apply to the organisation at `path` (those of its own and of those above it)."""
        return tuple(i for i, (owner, *_rest) in enumerate(self.breaks) if path.startswith(owner))

    def week_off(self, path: str, span: PeriodSpan, weekday: int | None) -> str | None:
        reasons = [self.reason(path, day) for day in self.candidates(span, weekday)]
        if all(reasons):
            return "、".join(dict.fromkeys(r for r in reasons if r))
        return None


# ---------------------------------------------------------------- evaluation


def load_branches(root_path: str) -> list[Branch]:
    low, high = path_bounds(root_path)
    rows = list(
        Organisation.objects.filter(path__gte=low, path__lte=high).values_list(
            "id", "path", "type_id", "type__level", "founded_on", "dissolved_on", "live_from"
        )
    )
    branches = {
        path: Branch(pk, path, type_id, founded, dissolved, live_from=live)
        for pk, path, type_id, level, founded, dissolved, live in rows
        if level == OrgType.Level.BRANCH
    }
    for pk, path, _type_id, level, _f, dissolved, _live in rows:
        if (
            level == OrgType.Level.GROUP
            and dissolved is None
            and Organisation.parent_path_of(path) in branches
        ):
            branches[Organisation.parent_path_of(path)].groups.append(pk)
    return sorted(branches.values(), key=lambda b: b.path)


@contextlib.contextmanager
def _beside(work: Callable[[], T], concurrent: bool) -> Iterator[Callable[[], T]]:
    """Run `work` (some of an evaluation's queries) while the block runs the others; the block calls what it is
    given to have `work`'s answer. Concurrent: in a thread of its own with a database connection of its own
    (closed at the end), so PostgreSQL runs the two sets of queries at once on two cores and one side's rows are
    turned into Python while the other's are still being counted. Otherwise `work` runs when it is asked for."""
    if not concurrent:
        yield work
        return
    context = contextvars.copy_context()  # the thread does the same system work as its caller
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(context.run(work))
        except BaseException as exc:  # handed to the caller, raised there
            outcome.append(exc)
        finally:
            connections.close_all()  # this thread's own connections only

    thread = threading.Thread(target=run, name="zhibu-evaluate-beside", daemon=True)
    thread.start()

    def answer() -> T:
        thread.join()
        if isinstance(outcome[0], BaseException):
            raise outcome[0]
        return outcome[0]

    try:
        yield answer
    finally:
        thread.join()


def _state(total: int, in_time: int, good: int | None, needed: int) -> str:
    if in_time >= needed:
        return "done" if good is None or good >= needed else "low"
    return "late" if total >= needed else "unmet"


def evaluate(
    root_path: str,
    year: int,
    *,
    rules: list[Rule] | None = None,
    branches: list[Branch] | None = None,
    concurrent: bool = False,
) -> dict[int, list[MonthEval]]:
    """{branch id: twelve MonthEval} for every branch under (and including) `root_path` (see _evaluate).

    concurrent=True (PostgreSQL) runs the roster's and the per-member and annual requirements' queries on a second
    connection beside the month counts. That connection sees only what is committed: the caller must not have
    written anything the evaluation reads in its open transaction (a relight at the top of a task holds only its
    branch locks then; see services.relight).

    The cyclic garbage collector is paused meanwhile: the evaluation allocates tens of thousands of small objects
    (no cycles among them), and each collection it would trigger walks all of them again."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return _evaluate(root_path, year, rules=rules, branches=branches, concurrent=concurrent)
    finally:
        if paused:
            gc.enable()


def _evaluate(
    root_path: str,
    year: int,
    *,
    rules: list[Rule] | None = None,
    branches: list[Branch] | None = None,
    concurrent: bool = False,
) -> dict[int, list[MonthEval]]:
    """{branch id: twelve MonthEval} for every branch under (and including) `root_path`.

    Set-based: one grouped query per kind of requirement over the whole subtree (month-level counts, the
    secretary-speaker counts, per-member coverage, the records of weekly/daily and annual requirements, the roster),
    then, per requirement, a pass over the branches it applies to that only looks up small dicts. Everything that
    is the same for many branches — the periods in force and their deadlines, which requirements apply (type and
    owner), the periods left after 启用日期, founding, dissolution and replacement, the weeks off — is worked out
    once per distinct case, not once per branch."""
    rules = load_rules() if rules is None else rules
    branches = load_branches(root_path) if branches is None else branches
    low, high = path_bounds(root_path)
    relevant = [
        r
        for r in rules
        if any(r.covers(b.path, b.type_id) for b in branches)
        and r.in_force(date(year, 1, 1), date(year, 12, 31))
    ]
    annual_rules = [
        r for r in relevant if r.annual and not r.speaker and not r.per_member and not r.per_group
    ]
    relevant_monthly = [r for r in relevant if r not in annual_rules]
    month_rules = [
        r for r in relevant_monthly if r.period in PERIOD_SPANS_MONTHS and not r.speaker and not r.per_member
    ]
    speaker_rules = [
        r for r in relevant if r.period in PERIOD_SPANS_MONTHS and r.speaker and not r.per_member
    ]
    short_rules = [r for r in relevant if r.period not in PERIOD_SPANS_MONTHS]
    member_rules = [r for r in relevant if r.per_member]

    on = min(date(year, 12, 31), timezone.localdate())
    need_members = any(r.needs_committee or r.per_member for r in relevant)
    postgresql = connection.vendor == "postgresql"

    def people() -> tuple[dict[int, tuple[int, int, int]], set[int], dict[int, dict], dict[int, list[tuple]]]:
        """The roster, the committees, per-member coverage and the annual records: beside the month counts."""
        members = _roster(low, high, on) if need_members else {}
        committees = (
            _committees(low, high, on, members) if any(r.needs_committee for r in relevant) else set()
        )
        coverage = {r.id: _member_coverage(r, low, high, year) for r in member_rules}
        annual = _annual_rows(annual_rules, low, high, year) if annual_rules else {}
        return members, committees, coverage, annual

    with _beside(people, concurrent and postgresql) as people_answer:
        # For a large subtree on PostgreSQL the lectures given by the branch's 书记 are counted in a statement of
        # their own: who was 书记 on the day is a correlated subquery, and a statement holding one is not split
        # among parallel workers; the month counts of every other requirement, the larger part, then are. SQLite
        # has no parallel workers, and a few branches are no work to split: one pass over the records there.
        offsets: dict[int, tuple[dict, int, bool]] = {}
        split = postgresql and len(branches) >= SPEAKERS_APART_FROM
        for group in (month_rules, speaker_rules) if split else (month_rules + speaker_rules,):
            counts = _month_rows(group, low, high, year)
            position = 0
            for rule in group:
                offsets[rule.id] = (counts, position, rule.rate_milli is not None)
                position += 3 if rule.rate_milli is not None else 2
        short = _short_rows(short_rules, low, high, year) if short_rules else {}
        members, committees, coverage, annual = people_answer()
    exempt = Exemptions(low, high, year) if any(r.period == Period.WEEK for r in short_rules) else None

    # Once per requirement: its periods in force this year and their deadlines; who may replace it.
    spans_of = {
        r.id: [(s, deadline_of(r, s)) for s in periods(r, year) if r.in_force(s.start, s.end)]
        for r in relevant
    }
    replacers = {r.id: [o for o in relevant if o.replaces_id == r.id] for r in relevant}
    owners = sorted({r.owner_path for r in relevant if r.owner_path is not None})

    # Once per distinct (type, owners above): the requirements that apply, in the order of `relevant`.
    applying: dict[tuple, frozenset[int]] = {}
    mine_of: dict[int, frozenset[int]] = {}
    case_of: dict[int, tuple] = {}
    for branch in branches:
        key = (branch.type_id, tuple(o for o in owners if branch.path.startswith(o)))
        mine = applying.get(key)
        if mine is None:
            mine = applying[key] = frozenset(r.id for r in applicable(relevant, branch))
        mine_of[branch.id] = mine
        case_of[branch.id] = (id(mine), branch.founded_on, branch.dissolved_on, branch.live_from)

    # Once per distinct (requirement, applicable set, founded, dissolved, 启用日期[, weeks off]): its periods due.
    due_cache: dict[tuple, list[tuple[PeriodSpan, date]]] = {}

    def due(rule: Rule, branch: Branch, mine: frozenset[int]) -> list[tuple[PeriodSpan, date]]:
        weekly = rule.period == Period.WEEK and not rule.per_member
        breaks_key = exempt.owners_of(branch.path) if exempt is not None and weekly else None
        key = (rule.id, case_of[branch.id], breaks_key)
        found = due_cache.get(key)
        if found is not None:
            return found
        others = [o for o in replacers[rule.id] if o.id in mine]
        found = [
            (s, d)
            for s, d in spans_of[rule.id]
            if not any(o.in_force(s.start, s.end) for o in others)
            and (branch.founded_on is None or branch.founded_on <= s.end)
            and (branch.dissolved_on is None or branch.dissolved_on >= s.start)
            and (branch.live_from is None or branch.live_from <= s.end)
        ]
        if weekly:
            # a week is due only if the rule was in force on a day it could be held, and the week is not
            # wholly 法定节假日 or 假期
            found = [
                (s, d)
                for s, d in found
                if max(Exemptions.candidates(s, rule.weekday)) >= rule.valid_from
                and (exempt is None or not exempt.week_off(branch.path, s, rule.weekday))
            ]
        due_cache[key] = found
        return found

    result: dict[int, list[MonthEval]] = {}
    months_of: dict[int, list[MonthEval]] = {}
    ends = [month_end(year, m) for m in range(1, 13)]
    for branch in branches:
        live = branch.live_from
        months_of[branch.id] = result[branch.id] = (
            [MonthEval(m) for m in range(1, 13)]
            if live is None
            else [MonthEval(m, off=ends[m - 1] < live) for m in range(1, 13)]
        )

    annual_ids = {r.id for r in annual_rules}
    for rule in relevant:
        takers = [
            b
            for b in branches
            if rule.id in mine_of[b.id]
            and not (rule.needs_committee and b.id not in committees)
            and not (rule.per_group and not b.groups)
        ]
        if not takers:
            continue
        if rule.id in annual_ids:
            cutoffs = {deadline: instant_after(deadline) for _span, deadline in spans_of[rule.id]}
            for branch in takers:
                months = months_of[branch.id]
                rows = annual.get(branch.id, ())
                for span, deadline in due(rule, branch, mine_of[branch.id]):
                    months[span.due_month - 1].items.append(
                        _annual_item(rule, branch, span, rows, cutoffs[deadline])
                    )
        elif rule.per_member:
            cover = coverage[rule.id]
            for branch in takers:
                party = members.get(branch.id, (0, 0, 0))[1]
                if party == 0:
                    continue
                months = months_of[branch.id]
                covered, in_time = cover.get(branch.id, (0, 0))
                state = "done" if in_time >= party else ("late" if covered >= party else "unmet")
                for span, deadline in due(rule, branch, mine_of[branch.id]):
                    months[span.due_month - 1].items.append(
                        Item(rule.id, state, covered, party, deadline, span.start, span.end)
                    )
        elif rule.period in PERIOD_SPANS_MONTHS:
            _month_items(
                rule, takers, offsets[rule.id], months_of, lambda b, r=rule: due(r, b, mine_of[b.id])
            )
        else:
            _short_items(rule, takers, short, months_of, lambda b, r=rule: due(r, b, mine_of[b.id]))
    return result


def _month_items(
    rule: Rule, takers: list[Branch], offset: tuple[dict, int, bool], months_of: dict, due_of
) -> None:
    """Month-level periods (month, quarter, half-year, year) of one requirement over every branch it applies to:
    the period's counts are sums of its months' grouped rows; a branch with no row for a period has none."""
    source, pos, has_rate = offset
    needed, rule_id = rule.min_count, rule.id
    empty = _state(0, 0, 0 if has_rate else None, needed)
    for branch in takers:
        months = months_of[branch.id]
        spans = due_of(branch)
        if not spans:
            continue
        if rule.per_group:
            orgs = branch.groups
            for span, deadline in spans:
                states, met = [], 0
                for org_id in orgs:
                    state = _span_state(source.get(org_id), span.months, pos, has_rate, needed)
                    states.append(state)
                    met += state != "unmet"
                worst = max(states, key=STATE_RANK.__getitem__)
                months[span.due_month - 1].items.append(
                    Item(rule.id, worst, met, len(orgs), deadline, span.start, span.end)
                )
            continue
        rows = source.get(branch.id)
        items = [m.items for m in months]
        if not rows:  # no record of the kind at all: the same state in every period
            for span, deadline in spans:
                items[span.due_month - 1].append(
                    Item(rule_id, empty, 0, needed, deadline, span.start, span.end)
                )
            continue
        for span, deadline in spans:
            total = in_time = good = 0
            for m in span.months:
                row = rows.get(m)
                if row:
                    total += row[pos] or 0
                    in_time += row[pos + 1] or 0
                    if has_rate:
                        good += row[pos + 2] or 0
            state = _state(total, in_time, good if has_rate else None, needed)
            items[span.due_month - 1].append(
                Item(rule_id, state, total, needed, deadline, span.start, span.end)
            )


def _span_state(
    rows: dict | None, span_months: tuple[int, ...], pos: int, has_rate: bool, needed: int
) -> str:
    total = in_time = good = 0
    if rows:
        for m in span_months:
            row = rows.get(m)
            if row:
                total += row[pos] or 0
                in_time += row[pos + 1] or 0
                if has_rate:
                    good += row[pos + 2] or 0
    return _state(total, in_time, good if has_rate else None, needed)


def _short_items(rule: Rule, takers: list[Branch], short: dict, months_of: dict, due_of) -> None:
    """Weekly and daily requirements: several periods fall due in one month; one item per month, the worst."""
    weekly = rule.period == Period.WEEK
    for branch in takers:
        months = months_of[branch.id]
        spans = due_of(branch)
        if not spans:
            continue
        orgs = branch.groups if rule.per_group else [branch.id]
        # each org's records of this kind, by the first day of the period they fall in
        held_in: list[dict[date, list[tuple]]] = []
        for org_id in orgs:
            bucket: dict[date, list[tuple]] = defaultdict(list)
            for row in short.get(org_id, ()):
                held = row[0]
                if row[4] != rule.kind_id or (rule.weekday is not None and held.weekday() != rule.weekday):
                    continue
                bucket[held - timedelta(days=held.weekday()) if weekly else held].append(row)
            held_in.append(bucket)
        by_month: dict[int, list[tuple[str, date, PeriodSpan]]] = defaultdict(list)
        for span, deadline in spans:
            cutoff = instant_after(deadline)
            states = []
            for bucket in held_in:
                total = in_time = good = 0
                for held, recorded, present, expected, _kind in bucket.get(span.start, ()):
                    total += 1
                    if recorded < cutoff or (branch.live_from is not None and held < branch.live_from):
                        in_time += 1
                        if (
                            rule.rate_milli is None
                            or expected == 0
                            or present * 1000 >= rule.rate_milli * expected
                        ):
                            good += 1
                states.append(
                    _state(total, in_time, good if rule.rate_milli is not None else None, rule.min_count)
                )
            by_month[span.due_month].append((max(states, key=STATE_RANK.__getitem__), deadline, span))
        for month, entries in by_month.items():
            worst = max((e[0] for e in entries), key=STATE_RANK.__getitem__)
            unmet = [e[1] for e in entries if e[0] == "unmet"]
            deadline = min(unmet) if unmet else max(e[1] for e in entries)
            months[month - 1].items.append(
                Item(
                    rule.id,
                    worst,
                    sum(e[0] != "unmet" for e in entries),
                    len(entries),
                    deadline,
                    entries[0][2].start,
                    entries[-1][2].end,
                )
            )
