"""Reads shared by the pages, the API and the command line: lights, explanations, the board, reminders.

Colours are decided here at read time from the stored (or live) evaluation and today's date: an unmet
requirement is 进行中 until its deadline and 未完成 after it, so no stored colour can go stale by waiting.
"""

from __future__ import annotations

import functools
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import timezone

from zhibu.core.months import MAX_YEAR, MIN_YEAR
from zhibu.core.months import first as first_of_month
from zhibu.core.months import parse as parse_yyyy_mm
from zhibu.notices import selectors as notices
from zhibu.orgs import scoping
from zhibu.orgs import selectors as post_selectors
from zhibu.orgs.models import Organisation, OrgType
from zhibu.orgs.roles import Action
from zhibu.people.models import Member
from zhibu.records.models import Activity, Attendance

from . import engine
from .models import FollowUp, MonthLight, Period, Relight, Requirement, RequirementNotice

COLOURS = {
    "green": "绿灯",
    "yellow": "黄灯",
    "red": "红灯",
    "open": "进行中",
    "none": "无要求",
    "off": "未启用",
}
CODE_COLOUR = {"g": "green", "y": "yellow", "r": "red", "o": "open", "n": "none", "x": "off"}
COLOUR_CODE = {v: k for k, v in CODE_COLOUR.items()}
LIGHT_CLASS = {
    "green": "light-green",
    "yellow": "light-yellow",
    "red": "light-red",
    "open": "light-none",
    "none": "light-none",
    "off": "light-none",
}
STATE_LABELS = {"done": "已完成", "low": "已完成", "late": "逾期补录", "unmet": "未完成", "open": "进行中"}


def late_label(rule: engine.Rule, item: engine.Item, held: list[date] | None) -> str:
    """What a late period is called. Only an annual meeting can be late by being held late (after its closing
    date, still for its year): 逾期召开 when every record of it was held after that date; otherwise the meeting
    was held in time and recorded after the deadline: 逾期补录. Without the records' dates (a subtree's list) an
    annual meeting may be either: 逾期完成."""
    if not rule.annual:
        return "逾期补录"
    if held is None:
        return "逾期完成"
    closes = engine.closes_on(rule, item.end.year)
    return "逾期召开" if held and all(day > closes for day in held) else "逾期补录"


COMMITTEE_ARTICLE = "《中国共产党支部工作条例（试行）》第十二条"
QUARTERS = {3: "第一季度", 6: "第二季度", 9: "第三季度", 12: "第四季度"}


def warn_days() -> int:
    """Days before a deadline from which an open requirement turns the month yellow (ZHIBU_LIGHT_WARN_DAYS)."""
    value = getattr(settings, "ZHIBU_LIGHT_WARN_DAYS", None) or os.environ.get("ZHIBU_LIGHT_WARN_DAYS") or 7
    return int(value)


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------- parsing (clear Chinese errors)


def parse_month(text: str | None, *, default: date | None = None) -> tuple[int, int]:
    """(year, month) of a typed YYYY-MM (core.months.parse); empty text is `default`'s month, or this month."""
    month = parse_yyyy_mm(text, default=first_of_month(default or timezone.localdate()))
    return month.year, month.month


def parse_year(text: str | None) -> int:
    if not text:
        return timezone.localdate().year
    if not re.fullmatch(r"\s*\d{4}\s*", text):
        raise ValidationError({"year": f"年份格式应为四位数字（如 2022），收到：{text}"})
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": f"年份超出范围：{year}（应在 {MIN_YEAR}–{MAX_YEAR} 年之间）。"})
    return year


# ---------------------------------------------------------------- colours


def colour_of(base: str, open_deadline: date | None, today: date, warn: int) -> str:
    if open_deadline is None:
        return base
    if today > open_deadline:
        return "red"
    if (open_deadline - today).days <= warn or base == "yellow":
        return "yellow"
    return "open"


def item_state(item: engine.Item, today: date) -> str:
    if item.state == "unmet":
        return "unmet" if today > item.deadline else "open"
    return item.state


def streaks(codes: str, before: str = "n") -> list[int]:
    """Run length of consecutive yellow/red months ending at each month (`before`: the previous December)."""
    return list(_streaks(codes, before))


@functools.lru_cache(maxsize=8192)
def _streaks(codes: str, before: str) -> tuple[int, ...]:
    # A board of 20,000 branches has only a few hundred distinct colour strings: compute each once.
    runs, run = [], 1 if before in "yr" else 0
    for code in codes:
        run = run + 1 if code in "yr" else 0
        runs.append(run)
    return tuple(runs)


def _colour_sql() -> str:
    return (
        "CASE WHEN l.open_deadline IS NULL THEN (CASE l.base WHEN 'green' THEN 'g' WHEN 'yellow' THEN 'y' "
        "WHEN 'off' THEN 'x' ELSE 'n' END) WHEN l.open_deadline < %s THEN 'r' WHEN l.open_deadline <= %s OR l.base = 'yellow' "
        "THEN 'y' ELSE 'o' END"
    )


def stored_codes(
    root_path: str, year: int, today: date, warn: int, *, month: int | None = None
) -> dict[int, str]:
    """{branch id: twelve colour letters} from the stored lights of a subtree — one grouped query, the colour
    decided in SQL, so even a city's 240,000 cells come back as one short string per branch."""
    low, high = scoping.path_bounds(root_path)
    agg = "string_agg" if connection.vendor == "postgresql" else "group_concat"
    where_month = " AND l.month = %s" if month else ""
    sql = (
        f"SELECT l.org_id, {agg}(substr('ABCDEFGHIJKL', l.month, 1) || {_colour_sql()}, '') "
        "FROM rules_monthlight l JOIN orgs_organisation o ON o.id = l.org_id "
        f"WHERE l.year = %s AND o.path >= %s AND o.path <= %s{where_month} GROUP BY l.org_id"
    )
    params: list[date | int | str] = [today, today + timedelta(days=warn), year, low, high]
    if month:
        params.append(month)
    result = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for org_id, text in cursor.fetchall():
            if text[::2] == "ABCDEFGHIJKL":  # the usual case: all twelve months, in order
                result[org_id] = text[1::2]
                continue
            letters = ["n"] * 12
            for i in range(0, len(text), 2):
                letters[ord(text[i]) - 65] = text[i + 1]
            result[org_id] = "".join(letters)
    return result


@dataclass
class SubtreeCodes:
    """The colours of a subtree's branches for a year: stored, or for branches with nothing stored yet computed
    now and not stored (`pending`, shown as 计算中 while a task stores them; `live` holds their evaluation)."""

    codes: dict[int, str]
    pending: set[int] = field(default_factory=set)
    live: dict[int, list[engine.MonthEval]] = field(default_factory=dict)


def subtree_codes(
    root: Organisation, year: int, today: date, warn: int, branch_ids: list[int] | None = None
) -> SubtreeCodes:
    """Stored colours of the subtree; branches never stored for the year are evaluated here (a read: nothing is
    written). `branch_ids` (the subtree's branches, when the caller has them) spares loading the tree when none
    is missing."""
    codes = stored_codes(root.path, year, today, warn)
    if branch_ids is not None and all(pk in codes for pk in branch_ids):
        return SubtreeCodes(codes)
    missing = [b for b in engine.load_branches(root.path) if b.id not in codes]
    if not missing:
        return SubtreeCodes(codes)
    live = engine.evaluate(root.path, year, branches=missing)
    for org_id, months in live.items():
        codes[org_id] = "".join(
            COLOUR_CODE[colour_of(ev.base, ev.open_deadline, today, warn)] for ev in months
        )
    return SubtreeCodes(codes, set(live), live)


# ---------------------------------------------------------------- one branch, live


def record_form_url(org: Organisation, kind_code: str, within: date | None = None) -> str:
    """The record form for this kind; for a period being fixed (`within`: a day of it), the form opens in that
    month and, once saved, returns to that month's lights."""
    return record_form_url_code(org.code, kind_code, within)


def record_form_url_code(code: str, kind_code: str, within: date | None = None) -> str:
    return _form_url(get_script_prefix(), code, kind_code, within)


@functools.lru_cache(maxsize=4096)
def _form_url(_prefix: str, code: str, kind_code: str, within: date | None) -> str:
    """Remembered (per script prefix): a lights page names the same few forms again and again."""
    try:
        base = reverse("records:create", args=[code])
        back = reverse("rules:branch", args=[code])
    except NoReverseMatch:
        base, back = f"/records/{code}/new/", f"/rules/{code}/"
    query = {"kind": kind_code}
    if within is not None:
        month = f"{within.year}-{within.month:02d}"
        query.update(month=month, next=f"{back}?month={month}")
    return f"{base}?{urlencode(query)}"


def period_text(rule: engine.Rule, item: engine.Item) -> str:
    start, end = item.start, item.end
    if rule.period == Period.MONTH:
        return f"{end.year}年{end.month}月"
    if rule.period == Period.QUARTER:
        return f"{end.year}年{QUARTERS[end.month]}"
    if rule.period == Period.HALF_YEAR:
        return f"{end.year}年{'上半年' if end.month == 6 else '下半年'}"
    if rule.period == Period.YEAR:
        return f"{end.year}年度" if rule.annual else f"{end.year}年"
    if rule.period == Period.WEEK:
        return f"{start.month}月{start.day}日—{end.month}月{end.day}日各周"
    return f"{start.month}月{start.day}日—{end.month}月{end.day}日每日"


PERIOD_NAMES = dict(Period.choices)


@functools.lru_cache(maxsize=1024)
def frequency_text(rule: engine.Rule) -> str:
    """How often a requirement is owed, in words (a rule is immutable: its text is worked out once)."""
    text = f"{PERIOD_NAMES[rule.period]}至少 {rule.min_count} 次"
    if rule.per_group:
        text = "每个党小组" + text
    if rule.per_member:
        text = "每名党员" + text
    return text


@dataclass
class Explained:
    rule: engine.Rule
    item: engine.Item
    state: str
    label: str
    period: str
    fix_url: str
    records: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    missing: list[dict] = field(
        default_factory=list
    )  # what is still owed: {"period", "start", "end", "deadline"}
    weeks: dict | None = None  # weekly rules: {"due": n, "done": n, "exempt": [(start, end, reason)]}
    notes: list[str] = field(default_factory=list)  # what was counted, shown even when nothing is missing
    notices: list = field(default_factory=list)  # a superior's notices for this period (attach_notices)

    @property
    def frequency(self) -> str:
        return frequency_text(self.rule)

    def as_dict(self) -> dict:
        return {
            "requirement": self.rule.label,
            "requirement_id": self.rule.id,
            "basis": self.rule.basis,
            "local_rule": self.rule.local,
            "frequency": self.frequency,
            "period": self.period,
            "state": self.label,
            "count": self.item.count,
            "needed": self.item.needed,
            "deadline": self.item.deadline.isoformat(),
            "problems": self.problems,
            "fix_url": self.fix_url,
            "records": [
                {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}
                for r in self.records
            ],
            "missing": [
                {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in m.items()}
                for m in self.missing
            ],
            "notes": self.notes,
        }


@dataclass
class MonthView:
    year: int
    month: int
    colour: str
    items: list[Explained]

    @property
    def colour_label(self) -> str:
        return COLOURS[self.colour]

    @property
    def css(self) -> str:
        return LIGHT_CLASS[self.colour]

    @property
    def missing(self) -> list[Explained]:
        return [e for e in self.items if e.state != "done" or e.problems]


@dataclass
class BranchYear:
    org: Organisation
    year: int
    months: list[MonthView]
    streaks: list[int]
    rules: dict[int, engine.Rule]
    evals: list[engine.MonthEval]
    stale: bool = (
        False  # the stored lights differ from this evaluation (or are missing): a task should store it
    )

    def month(self, m: int) -> MonthView:
        return self.months[m - 1]


def _branch_of(org: Organisation) -> Organisation:
    return (org.branch or org) if org.is_group else org


def branch_year(
    *, actor, org: Organisation, year: int, today: date | None = None, details: bool = True
) -> BranchYear:
    """A branch's twelve months evaluated live from its records (a read: the stored lights are kept by the rules
    app's services when records change)."""
    scoping.require(actor, Action.SCHEDULE if not details else Action.VIEW, org)
    today = today or timezone.localdate()
    warn = warn_days()
    rules = engine.load_rules()
    evals = engine.evaluate(org.path, year, rules=rules).get(org.pk) or [
        engine.MonthEval(m) for m in range(1, 13)
    ]
    by_id = {r.id: r for r in rules}
    records = _records_for(actor, org, year, by_id) if details else {}
    months = []
    for ev in evals:
        colour = colour_of(ev.base, ev.open_deadline, today, warn)
        items = [_explain(org, by_id[i.rule_id], i, today, records) for i in ev.items]
        months.append(MonthView(year, ev.month, colour, items))
    before, stored = "n", {}
    for row_year, month, base, deadline, items in (
        MonthLight.objects.unscoped()
        .filter(org=org)
        .filter(Q(year=year) | Q(year=year - 1, month=12))
        .values_list("year", "month", "base", "open_deadline", "items")
    ):
        if row_year == year:
            stored[month] = (base, deadline, items)
        else:
            before = COLOUR_CODE[colour_of(base, deadline, today, warn)]
    fresh = {ev.month: (ev.base, ev.open_deadline, [i.as_row() for i in ev.items]) for ev in evals}
    runs = streaks("".join(COLOUR_CODE[m.colour] for m in months), before)
    return BranchYear(org, year, months, runs, by_id, evals, stale=stored != fresh)


def _records_for(actor, org: Organisation, year: int, rules: dict[int, engine.Rule]) -> dict:
    """Everything an explanation names: the records of the year (branch and its groups), group names, and for
    per-member rules who has and has not been covered."""
    low, high = org.subtree_bounds()
    # Annual meetings for the year may be held in the first months of the next (records carry their 年度).
    annual_until = date(year + 1, 12, 31)
    rows = list(
        Activity.objects.visible_to(actor, Action.VIEW)
        .filter(
            Q(held_on__lte=date(year, 12, 31)) | Q(kind__annual=True, held_on__lte=annual_until),
            org__path__gte=low,
            org__path__lte=high,
            held_on__gte=date(year - 1, 12, 20),
        )
        .order_by("held_on", "id")
        .values(
            "id",
            "org_id",
            "org__short_name",
            "org__name",
            "kind_id",
            "held_on",
            "recorded_at",
            "present_count",
            "expected_count",
            "topic",
            "speaker_id",
            "speaker__party_post",
            "speaker__branch_id",
            "speaker__name",
            "for_year",
            "committee_size",
            "committee_present",
        )
    )
    exempt = None
    if any(r.period == Period.WEEK for r in rules.values()):
        exempt = engine.Exemptions(*scoping.path_bounds(org.path), year)
    groups = dict(
        Organisation.objects.filter(
            path__gt=org.path, path__lte=high, dissolved_on__isnull=True, type__level=OrgType.Level.GROUP
        ).values_list("id", "name")
    )
    talked: dict[int, set[int]] = defaultdict(set)
    party: dict[int, str] = {}
    if any(r.per_member for r in rules.values()):
        party = dict(
            Member.objects.visible_to(actor, Action.VIEW)
            .filter(branch=org, left_on__isnull=True, status__in=engine.PARTY_STATUSES, standing="normal")
            .values_list("id", "name")
        )
        for activity_id, member_id in (
            Attendance.objects.visible_to(actor, Action.VIEW)
            .filter(activity__org=org, activity__held_on__year=year, presence="present", member__branch=org)
            .values_list("activity_id", "member_id")
        ):
            talked[activity_id].add(member_id)
    return {
        "rows": rows,
        "groups": groups,
        "party": party,
        "talked": talked,
        "exempt": exempt,
        "live_from": org.live_from,
        "is_secretary": post_selectors.secretary_test(org),
    }


def _matches(rule: engine.Rule, item: engine.Item, row: dict, org, groups: dict, is_secretary=None) -> bool:
    """Whether a record row counts for the item of `org` (an Organisation or its id)."""
    org_id = org if isinstance(org, int) else org.pk
    if row["kind_id"] != rule.kind_id:
        return False
    if rule.annual and not (rule.speaker or rule.per_member or rule.per_group):
        return row["org_id"] == org_id and engine.year_of(row["held_on"], row["for_year"]) == item.end.year
    if not (item.start <= row["held_on"] <= item.end):
        return False
    if rule.weekday is not None and row["held_on"].weekday() != rule.weekday:
        return False
    if rule.per_group:
        return row["org_id"] in groups
    if row["org_id"] != org_id:
        return False
    if rule.speaker:  # the branch's 书记 on the day held (a later 换届 does not change it)
        return is_secretary is not None and is_secretary(row["speaker_id"], row["held_on"])
    return True


def _explain(org, rule: engine.Rule, item: engine.Item, today: date, data: dict) -> Explained:
    state = item_state(item, today)
    label = STATE_LABELS[state]
    explained = Explained(
        rule, item, state, label, period_text(rule, item), record_form_url(org, rule.kind_code, item.end)
    )
    if (
        state in ("unmet", "open")
        and not rule.per_group
        and not rule.per_member
        and rule.period != Period.WEEK
    ):
        explained.missing.append(
            {
                "period": explained.period,
                "start": item.start,
                "end": item.end,
                "deadline": item.deadline,
                "count": item.count,
                "needed": item.needed,
            }
        )
    if not data:
        return explained
    cutoff = engine.instant_after(item.deadline)
    live_from = data.get("live_from")
    seen_groups = set()
    below: list[dict] = []
    for row in data["rows"]:
        if not _matches(rule, item, row, org, data["groups"], data.get("is_secretary")):
            continue
        history = live_from is not None and row["held_on"] < live_from
        late = row["recorded_at"] >= cutoff and not history
        rate = row["present_count"] / row["expected_count"] if row["expected_count"] else None
        low = rule.rate_milli is not None and rate is not None and rate * 1000 < rule.rate_milli
        no_quorum = rule.quorum and not engine.counts_for_quorum(
            row["committee_size"], row["committee_present"]
        )
        seen_groups.add(row["org_id"])
        record = {
            "id": row["id"],
            "held_on": row["held_on"],
            "topic": row["topic"],
            "org": row["org__short_name"] or row["org__name"],
            "recorded_on": timezone.localtime(row["recorded_at"]).date(),
            "late": late,
            "attendance": f"{row['present_count']}/{row['expected_count']}" if row["expected_count"] else "",
            "low": low,
            "below_quorum": no_quorum,
            "history": history,
            "url": _record_url(row["id"]),
        }
        if rule.annual:
            record["for_year"] = engine.year_of(row["held_on"], row["for_year"])
        explained.records.append(record)
        if no_quorum:
            below.append(row)
    noun = rule.kind_name
    for row in below:
        (explained.problems if state != "done" else explained.notes).append(
            f"{cn_date(row['held_on'])}的{noun}到会委员 {row['committee_present']} 人、支委会共 "
            f"{row['committee_size']} 人，未超过半数，未达法定人数，不计入本月要求"
            f"（{COMMITTEE_ARTICLE}：支部委员会会议须有半数以上委员到会方能召开）"
        )
    if rule.period == Period.WEEK and data.get("exempt") is not None:
        _explain_weeks(explained, org, data, today)
        return explained
    if state in ("unmet", "open"):
        if rule.per_group:
            names = [name for gid, name in data["groups"].items() if gid not in seen_groups]
            explained.problems.append(f"尚无{noun}记录的党小组：{'、'.join(names) or '（次数不足）'}")
        elif rule.per_member:
            covered = (
                set().union(*(data["talked"].get(r["id"], set()) for r in explained.records))
                if explained.records
                else set()
            )
            names = [name for mid, name in data["party"].items() if mid not in covered]
            explained.problems.append(f"尚未谈心谈话的党员：{'、'.join(names)}" if names else "谈话记录不足")
        elif rule.annual:
            closes = engine.closes_on(rule, item.end.year)
            explained.problems.append(
                f"缺少{item.end.year}年度{noun}记录：须在{cn_date(closes)}前召开（记录的所属年度填 {item.end.year} 年），"
                f"录入截止 {cn_date(item.deadline)}"
            )
        else:
            extra = "（须由支部书记主讲）" if rule.speaker else ""
            counted = f"已有 {item.count} 次" + (
                f"（另有 {len(below)} 次未达法定人数，不计入）" if below else ""
            )
            explained.problems.append(
                f"缺少{noun}记录{extra}：{counted}，应至少 {rule.min_count} 次，截止 {cn_date(item.deadline)}"
            )
    elif state == "late":
        if rule.annual:
            closes = engine.closes_on(rule, item.end.year)
            held_late = [r for r in explained.records if r["held_on"] > closes]
            explained.label = late_label(rule, item, [r["held_on"] for r in explained.records])
            if held_late and len(held_late) == len(explained.records):
                explained.problems.append(
                    f"{cn_date(held_late[0]['held_on'])}才召开，晚于 {cn_date(closes)} 的截止日期（逾期召开）"
                )
            else:
                explained.problems.append(f"记录在截止日期 {cn_date(item.deadline)} 之后才录入（逾期补录）")
        else:
            explained.problems.append(f"记录在截止日期 {cn_date(item.deadline)} 之后才录入（逾期补录）")
    elif state == "low":
        assert rule.rate_milli is not None  # only a rule with an attendance rate is short of it
        explained.problems.append(f"出席率低于 {rule.rate_milli / 10:g}% 的要求")
    return explained


def _week_text(start: date, end: date) -> str:
    return (
        f"{start.month}月{start.day}日—{end.month}月{end.day}日"
        if start.month != end.month
        else f"{start.month}月{start.day}日—{end.day}日"
    )


def _explain_weeks(explained: Explained, org, data: dict, today: date) -> None:
    """A weekly rule's month counted in weeks: how many were due, how many held, each missing week and its
    deadline, and the weeks not due (法定节假日 or the organisation's 假期)."""
    rule, item = explained.rule, explained.item
    exempt: engine.Exemptions = data["exempt"]
    verb = "学" if "study" in rule.kind_code else "开展"
    due = done = 0
    missing: list[dict[str, Any]] = []
    off: list[dict[str, Any]] = []
    for span in engine.periods(rule, item.end.year):
        if span.end.month != item.end.month:  # the weeks that fall due in the item's month
            continue
        if max(engine.Exemptions.candidates(span, rule.weekday)) < rule.valid_from:
            continue
        reason = exempt.week_off(org.path, span, rule.weekday)
        if reason:
            off.append({"start": span.start, "end": span.end, "reason": reason})
            continue
        due += 1
        held = [
            r
            for r in explained.records
            if span.start <= r["held_on"] <= span.end
            and (rule.weekday is None or r["held_on"].weekday() == rule.weekday)
        ]
        if held:
            done += 1
            continue
        deadline = engine.deadline_of(rule, span)
        missing.append(
            {
                "period": f"{_week_text(span.start, span.end)}那一周",
                "start": span.start,
                "end": span.end,
                "deadline": deadline,
                "overdue": today > deadline,
            }
        )
    explained.weeks = {"due": due, "done": done, "exempt": off}
    explained.missing = missing
    text = f"本月应{verb} {due} 周，已{verb} {done} 周"
    if missing:
        text += "，缺 " + "、".join(f"{m['period']}（截止 {cn_date(m['deadline'])}）" for m in missing)
    (explained.problems if missing else explained.notes).append(text)
    if off:
        explained.notes.append(
            "不作要求的周：" + "、".join(f"{_week_text(o['start'], o['end'])}（{o['reason']}）" for o in off)
        )


def late_entry_notice(org: Organisation, today: date | None = None) -> str:
    """What the record form says before the secretary starts: which held dates are now past their month's
    deadline, so a record for them will make that month yellow (逾期补录), not green; months before the
    organisation's 启用日期 are history and are not lit at all."""
    today = today or timezone.localdate()
    branch = _branch_of(org)
    graces = [
        r.grace
        for r in engine.load_rules()
        if r.period == Period.MONTH and r.covers(branch.path, branch.type_id) and r.in_force(today, today)
    ]
    if not graces:
        return ""
    grace = min(graces)
    # The last month whose deadline (month end + grace days) has passed.
    last = today.replace(day=1) - timedelta(days=1)
    while last + timedelta(days=grace) >= today:
        last = last.replace(day=1) - timedelta(days=1)
    text = (
        f"按时录入：每月的活动须在次月 {grace} 日前录入。现在录入 {cn_date(last)} 及以前举行的活动，"
        "将记为逾期补录，所属月份亮黄灯，不会变为绿灯。"
    )
    live = branch.live_from
    if live is not None:
        text += f"本组织 {cn_date(live)} 启用本系统，此前举行的活动作为历史资料录入，不算逾期。"
    return text


def _record_url(pk: int) -> str:
    return _record_url_in(get_script_prefix(), pk)


@functools.lru_cache(maxsize=8192)
def _record_url_in(_prefix: str, pk: int) -> str:
    try:
        return reverse("records:detail", args=[pk])
    except NoReverseMatch:
        return f"/records/{pk}/"


def streak_at(actor, org: Organisation, year: int, month: int) -> int:
    view = branch_year(actor=actor, org=org, year=year, details=False)
    return view.streaks[month - 1]


# ---------------------------------------------------------------- the superior's board

BOARD_PAGE = 50


@dataclass
class BoardRow:
    org_id: int
    code: str
    name: str
    sub_code: str
    sub_name: str
    codes: str
    runs: list[int]
    followups: list = field(default_factory=list)
    pending: bool = False  # computed for this page, not stored yet (计算中)

    @property
    def max_run(self) -> int:
        return max(self.runs) if self.runs else 0


def board(
    *,
    actor,
    root: Organisation,
    year: int,
    today: date | None = None,
    colour: str = "",
    sub: str = "",
    streak: int = 0,
    page: int = 1,
    per_page: int | None = BOARD_PAGE,
) -> dict:
    """Every branch under `root` × 12 months, from the stored lights (a read), with filters; totals and the
    trend cover every branch the filters keep, `rows` one page of them (per_page=None: all, for the export).

    Branches with nothing stored for the year are computed here and marked pending: the caller schedules
    storing them (services.store_later)."""
    scoping.require(actor, Action.SUPERVISE, root)
    today = today or timezone.localdate()
    warn = warn_days()
    low, high = root.subtree_bounds()
    orgs = list(
        Organisation.objects.filter(path__gte=low, path__lte=high).values_list(
            "id", "code", "name", "short_name", "path", "type__level"
        )
    )
    by_path = {o[4]: o for o in orgs}
    found = subtree_codes(
        root, year, today, warn, branch_ids=[o[0] for o in orgs if o[5] == OrgType.Level.BRANCH]
    )
    codes = found.codes
    before: dict[int, str] = {}
    if year > MIN_YEAR:
        before = {k: v[11] for k, v in stored_codes(root.path, year - 1, today, warn, month=12).items()}
    rows: list[BoardRow] = []
    subs: dict[str, str] = {}
    depth = root.depth + 1
    for pk, code, name, short, path, level in orgs:
        if level != OrgType.Level.BRANCH:
            continue
        top = by_path.get(Organisation.path_at_depth(path, depth))
        sub_org = root if top is None or top[4] == path else None
        sub_code = root.code if sub_org or top is None else top[1]
        sub_name = "直属党支部" if sub_org or top is None else (top[3] or top[2])
        subs[sub_code] = sub_name
        letters = codes.get(pk, "n" * 12)
        rows.append(
            BoardRow(
                pk,
                code,
                short or name,
                sub_code,
                sub_name,
                letters,
                streaks(letters, before.get(pk, "n")),
                pending=pk in found.pending,
            )
        )
    shown = rows
    if sub:
        shown = [r for r in shown if r.sub_code == sub]
    if colour in ("green", "yellow", "red"):
        letter = COLOUR_CODE[colour]
        shown = [r for r in shown if letter in r.codes]
    if streak:
        shown = [r for r in shown if r.max_run >= streak]
    pages = max(1, -(-len(shown) // per_page)) if per_page else 1
    page = min(max(1, page), pages)
    page_rows = shown[(page - 1) * per_page : page * per_page] if per_page else shown
    if page_rows:
        follow: dict[int, list] = defaultdict(list)
        for row in (
            FollowUp.objects.visible_to(actor, Action.SUPERVISE)
            .filter(org_id__in=[r.org_id for r in page_rows], year=year)
            .values_list("org_id", "month", "kind", "on", "by_name", "note")
        ):
            follow[row[0]].append(row)
        for row in page_rows:
            row.followups = follow.get(row.org_id, [])
    return {
        "rows": page_rows,
        "all_count": len(rows),
        "shown_count": len(shown),
        "page": page,
        "pages": pages,
        "per_page": per_page,
        "subs": subs,
        "totals": _totals(shown),
        "trend": _trend(shown),
        "year": year,
        "today": today,
        "pending": len(found.pending),
        "flagged": sum(1 for r in shown if r.max_run >= 2),
        "relighting": relighting(root),
    }


def relighting(root: Organisation) -> Relight | None:
    """The oldest unfinished relight that covers part of `root`'s subtree (its lights are being recomputed)."""
    low, high = root.subtree_bounds()
    ancestors = root.ancestor_paths(include_self=True)
    return (
        Relight.objects.unscoped()
        .filter(finished_at__isnull=True)
        .filter(Q(org__isnull=True) | Q(org__path__in=ancestors) | Q(org__path__gte=low, org__path__lte=high))
        .order_by("requested_at")
        .first()
    )


def _totals(rows: list[BoardRow]) -> list[dict]:
    groups: dict[str, dict] = {}
    for row in rows:
        entry = groups.setdefault(
            row.sub_code,
            {
                "code": row.sub_code,
                "name": row.sub_name,
                "branches": 0,
                "g": 0,
                "y": 0,
                "r": 0,
                "flag2": 0,
                "flag3": 0,
            },
        )
        entry["branches"] += 1
        codes = row.codes
        entry["g"] += codes.count("g")
        entry["y"] += codes.count("y")
        entry["r"] += codes.count("r")
        run = row.max_run
        entry["flag2"] += run >= 2
        entry["flag3"] += run >= 3
    result = []
    for entry in sorted(groups.values(), key=lambda e: e["name"]):
        judged = entry["g"] + entry["y"] + entry["r"]
        for letter, name in (("g", "pg"), ("y", "py"), ("r", "pr")):
            entry[name] = round(100 * entry[letter] / judged, 1) if judged else 0.0
        result.append(entry)
    return result


def _trend(rows: list[BoardRow]) -> list[dict]:
    trend = []
    columns = (
        ["".join(column) for column in zip(*(row.codes for row in rows), strict=True)] if rows else [""] * 12
    )
    for m in range(12):
        counts = {letter: columns[m].count(letter) for letter in "gyr"}
        judged = sum(counts.values())
        trend.append(
            {
                "month": m + 1,
                **counts,
                "judged": judged,
                **{f"p{k}": (100 * v / judged if judged else None) for k, v in counts.items()},
            }
        )
    return trend


# ---------------------------------------------------------------- subtree lights (API and CLI)


def subtree_lights(
    *, actor, root: Organisation, year: int, month: int, today: date | None = None
) -> list[dict]:
    """Every organisation of the subtree for one month: its colour and what is missing.

    Branches carry their own light; a committee shows the worst colour below it and how many branches are
    red or yellow; a 党小组's meetings count for its branch, so it shows its branch's colour."""
    scoping.require(actor, Action.VIEW, root)
    today = today or timezone.localdate()
    warn = warn_days()
    anchor = root if root.type.level != OrgType.Level.GROUP else _branch_of(root)
    found = subtree_codes(anchor, year, today, warn)
    codes = found.codes
    low, high = anchor.subtree_bounds()
    stored = {
        org_id: items
        for org_id, items in MonthLight.objects.unscoped()
        .filter(org__path__gte=low, org__path__lte=high, year=year, month=month)
        .values_list("org_id", "items")
    }
    for org_id, months in found.live.items():
        stored[org_id] = [i.as_row() for i in months[month - 1].items]
    rules = {r.id: r for r in engine.load_rules()}
    orgs = list(
        Organisation.objects.filter(path__gte=low, path__lte=high).values_list(
            "id", "code", "name", "path", "type__level", "depth"
        )
    )
    if root.type.level == OrgType.Level.GROUP:
        orgs = [o for o in orgs if o[0] in (root.pk, anchor.pk)]
    branch_colour = {
        pk: CODE_COLOUR[codes.get(pk, "n" * 12)[month - 1]]
        for pk, _c, _n, _p, level, _d in orgs
        if level == OrgType.Level.BRANCH
    }
    requirements = _subtree_requirements(actor, orgs, stored, rules, year, today, (low, high))
    branch_paths = {path: pk for pk, _c, _n, path, level, _d in orgs if level == OrgType.Level.BRANCH}
    order = ["red", "yellow", "open", "green", "none"]
    result = []
    for pk, code, name, path, level, depth in orgs:
        entry = {"code": code, "name": name, "level": level, "depth": depth - root.depth}
        if level == OrgType.Level.BRANCH:
            colour = branch_colour[pk]
            missing: list[dict[str, Any]] = []
            for row in stored.get(pk, []):
                item = engine.Item.from_row(row)
                state = item_state(item, today)
                if state != "done":
                    rule = rules.get(item.rule_id)
                    missing.append(
                        {
                            "requirement": rule.label if rule else str(item.rule_id),
                            "basis": rule.basis if rule else "",
                            "state": (
                                late_label(rule, item, None)
                                if state == "late" and rule
                                else STATE_LABELS[state] + ("（出席率不足）" if state == "low" else "")
                            ),
                            "count": item.count,
                            "needed": item.needed,
                            "deadline": item.deadline.isoformat(),
                            "kind_code": rule.kind_code if rule else "",
                            "within": item.end,
                        }
                    )
            for entry_missing in missing:
                entry_missing["fix_url"] = record_form_url_code(
                    code, entry_missing.pop("kind_code"), entry_missing.pop("within")
                )
            entry.update(
                colour=colour,
                colour_label=COLOURS[colour],
                missing=missing,
                pending=pk in found.pending,
                requirements=requirements.get(pk, []),
            )
        elif level == OrgType.Level.GROUP:
            parent = branch_paths.get(Organisation.parent_path_of(path))
            colour = branch_colour.get(parent, "none")
            entry.update(
                colour=colour, colour_label=COLOURS[colour], missing=[], note="党小组的会议计入所属党支部"
            )
        else:
            below = [c for p, bid in branch_paths.items() if p.startswith(path) for c in [branch_colour[bid]]]
            colour = min(below, key=order.index) if below else "none"
            entry.update(
                colour=colour,
                colour_label=COLOURS[colour],
                missing=[],
                summary={
                    "branches": len(below),
                    "red": below.count("red"),
                    "yellow": below.count("yellow"),
                    "green": below.count("green"),
                },
            )
        result.append(entry)
    return result


def _subtree_requirements(
    actor,
    orgs: list,
    stored: dict,
    rules: dict[int, engine.Rule],
    year: int,
    today: date,
    bounds: tuple[str, str],
) -> dict[int, list[dict]]:
    """Per branch, every requirement of the month as complete as the branch page: state, the records that
    counted (id, date, topic, link), what is missing with its deadline, and the form that fixes it. One
    query for the records of the whole subtree (no query per branch)."""
    branches = {pk: (code, path) for pk, code, _n, path, level, _d in orgs if level == OrgType.Level.BRANCH}
    items = {pk: [engine.Item.from_row(r) for r in stored.get(pk, [])] for pk in branches}
    spans = [i for its in items.values() for i in its if i.rule_id in rules]
    if not spans:
        return {}
    groups: dict[int, dict[int, str]] = defaultdict(dict)
    by_path = {path: pk for pk, (_code, path) in branches.items()}
    for pk, _code, name, path, level, _d in orgs:
        if level == OrgType.Level.GROUP and Organisation.parent_path_of(path) in by_path:
            groups[by_path[Organisation.parent_path_of(path)]][pk] = name
    first = min(i.start for i in spans)
    last = max(i.end for i in spans)
    annual_until = date(year + 1, 12, 31) if any(r.annual for r in rules.values()) else last
    low, high = bounds
    rows = list(
        Activity.objects.visible_to(actor, Action.VIEW)
        .filter(
            Q(held_on__lte=last) | Q(kind__annual=True, held_on__lte=annual_until),
            org__path__gte=low,
            org__path__lte=high,
            held_on__gte=first,
        )
        .order_by("held_on", "id")
        .values(
            "id",
            "org_id",
            "kind_id",
            "held_on",
            "recorded_at",
            "topic",
            "for_year",
            "speaker_id",
            "committee_size",
            "committee_present",
            "present_count",
            "expected_count",
        )
    )
    # 书记讲党课: the speaker must have been the branch's 书记 on the day held (dated posts, one read for the subtree)
    secretary = post_selectors.secretary_tests(low) if any(r.speaker for r in rules.values()) else None
    org_of_row: dict[int, list[dict]] = defaultdict(list)
    branch_of_group = {gid: bid for bid, gs in groups.items() for gid in gs}
    for row in rows:
        owner = branch_of_group.get(row["org_id"], row["org_id"])
        org_of_row[owner].append(row)
    result: dict[int, list[dict]] = {}
    exempt: engine.Exemptions | None = None
    for pk, (code, _path) in branches.items():
        entries = []
        is_secretary = functools.partial(secretary, pk) if secretary is not None else None
        for item in items[pk]:
            rule = rules.get(item.rule_id)
            if rule is None:
                continue
            state = item_state(item, today)
            cutoff = engine.instant_after(item.deadline)
            records = []
            for row in org_of_row.get(pk, ()):
                if not _matches(rule, item, row, pk, groups.get(pk, {}), is_secretary):
                    continue
                below = rule.quorum and not engine.counts_for_quorum(
                    row["committee_size"], row["committee_present"]
                )
                records.append(
                    {
                        "id": row["id"],
                        "held_on": row["held_on"].isoformat(),
                        "topic": row["topic"],
                        "url": _record_url(row["id"]),
                        "late": row["recorded_at"] >= cutoff,
                        "counted": not below,
                        **({"below_quorum": True} if below else {}),
                    }
                )
            missing = []
            if state in ("open", "unmet") and rule.period == Period.WEEK:
                if exempt is None:
                    exempt = engine.Exemptions(low, high, year)
                missing = _missing_weeks(rule, item, records, exempt, _path)
            elif state in ("open", "unmet"):
                missing.append(
                    {
                        "count": item.count,
                        "needed": item.needed,
                        "period_start": item.start.isoformat(),
                        "period_end": item.end.isoformat(),
                        "deadline": item.deadline.isoformat(),
                        "text": f"还差 {item.needed - item.count} "
                        f"{'个党小组' if rule.per_group else ('名党员' if rule.per_member else '次')}"
                        + ("（须由支部书记主讲）" if rule.speaker else ""),
                    }
                )
            entries.append(
                {
                    "requirement": rule.label,
                    "requirement_id": rule.id,
                    "basis": rule.basis,
                    "period": period_text(rule, item),
                    "state": (
                        late_label(
                            rule, item, [date.fromisoformat(r["held_on"]) for r in records if r["counted"]]
                        )
                        if state == "late"
                        else STATE_LABELS[state] + ("（出席率不足）" if state == "low" else "")
                    ),
                    "count": item.count,
                    "needed": item.needed,
                    "deadline": item.deadline.isoformat(),
                    "records": records,
                    "missing": missing,
                    "fix_url": record_form_url_code(code, rule.kind_code, item.end),
                }
            )
        result[pk] = entries
    return result


def _missing_weeks(
    rule: engine.Rule, item: engine.Item, records: list[dict], exempt: engine.Exemptions, path: str
) -> list[dict]:
    """The due weeks of a weekly item that have no record, each with its own deadline."""
    held = {date.fromisoformat(r["held_on"]) for r in records if r["counted"]}
    missing = []
    for span in engine.periods(rule, item.end.year):
        if (
            span.end.month != item.end.month
            or max(engine.Exemptions.candidates(span, rule.weekday)) < rule.valid_from
        ):
            continue
        if exempt.week_off(path, span, rule.weekday) or any(span.start <= d <= span.end for d in held):
            continue
        missing.append(
            {
                "count": 0,
                "needed": rule.min_count,
                "period_start": span.start.isoformat(),
                "period_end": span.end.isoformat(),
                "deadline": engine.deadline_of(rule, span).isoformat(),
                "text": f"缺 {_week_text(span.start, span.end)}那一周",
            }
        )
    return missing


# ---------------------------------------------------------------- requirements


def can_manage(user, owner: Organisation | None) -> bool:
    """Committees' requirements: SUPERVISE there; a branch's own: RECORD there; built-ins: not from a face."""
    if owner is None:
        return False
    if owner.type.level == OrgType.Level.COMMITTEE:
        return scoping.can(user, Action.SUPERVISE, owner)
    if owner.type.level == OrgType.Level.BRANCH:
        return scoping.can(user, Action.RECORD, owner)
    return False


def requirement_visible(actor, req: Requirement) -> bool:
    """Built-ins are visible to anyone with a role; an organisation's own to those who see it or its subtree."""
    if req.owner is None:
        return bool(scoping.prefixes(actor, Action.VIEW) or scoping.prefixes(actor, Action.SCHEDULE))
    owner_path = req.owner.path
    return any(
        owner_path.startswith(p) or p.startswith(owner_path) for p in scoping.prefixes(actor, Action.VIEW)
    )


def requirements_for(*, actor, org: Organisation) -> list[Requirement]:
    """The requirements that apply to `org` (inherited and built-in) plus those it set for its subtree."""
    scoping.require(actor, Action.VIEW, org)
    ancestors = org.ancestor_paths(include_self=True)
    # Requirements of ancestors are visible to anyone who sees the organisation: they bind it.
    qs = (
        Requirement.objects.unscoped()
        .select_related("kind", "owner", "replaces")
        .prefetch_related("org_types")
    )
    found = [r for r in qs.filter(owner__isnull=True)] + [r for r in qs.filter(owner__path__in=ancestors)]
    return sorted(found, key=lambda r: (r.kind.order, r.owner.depth if r.owner else 0, r.code, r.pk))


def attach_notices(actor, org: Organisation, entries: list[Explained]) -> None:
    """Give each entry of `org`'s lights the notices its requirement points to for that period — only notices
    `org` receives, and only for a viewer who can open them (a person of the branch, or the publisher's
    supervisor)."""
    links = list(
        RequirementNotice.objects.unscoped()
        .filter(requirement_id__in={e.rule.id for e in entries})
        .order_by("notice__published_at", "id")
    )
    if not links:
        return
    got = {n.pk: n for n in notices.received(org, [link.notice_id for link in links])}
    reader = scoping.can(actor, Action.SCHEDULE, org)
    for e in entries:
        for link in links:
            n = got.get(link.notice_id)
            if (
                n is None
                or link.requirement_id != e.rule.id
                or not e.item.start <= notices.dated(n) <= e.item.end
            ):
                continue
            if reader or scoping.can(actor, Action.SUPERVISE, n.org):
                e.notices.append(n)


def notice_links(*, actor, org: Organisation) -> dict[int, list[RequirementNotice]]:
    """The notices `org` has pointed its subtree's requirements to, by requirement."""
    scoping.require(actor, Action.SUPERVISE, org)
    found: dict[int, list[RequirementNotice]] = defaultdict(list)
    for link in (
        RequirementNotice.objects.unscoped()
        .filter(org=org)
        .select_related("notice")
        .order_by("-notice__published_at", "-id")
    ):
        found[link.requirement_id].append(link)
    return found


def get_requirement(*, actor, pk: int) -> Requirement:
    req = (
        Requirement.objects.unscoped()
        .select_related("kind", "owner", "owner__type", "replaces")
        .filter(pk=pk)
        .first()
    )
    if req is None or not requirement_visible(actor, req):
        raise scoping.NotVisible("不存在或无权访问。")
    return req


# ---------------------------------------------------------------- reminders


def my_branches(actor) -> list[Organisation]:
    """The branches a user belongs to: where they hold a role at branch level, or their member record."""
    if not getattr(actor, "pk", None):
        return []
    ids = set(
        Organisation.objects.filter(
            path__in=scoping.role_paths(actor), type__level=OrgType.Level.BRANCH, dissolved_on__isnull=True
        ).values_list("pk", flat=True)
    )
    member_branch = (
        Member.objects.own(actor).filter(left_on__isnull=True).values_list("branch_id", flat=True).first()
    )
    if member_branch:
        ids.add(member_branch)
    orgs = Organisation.objects.select_related("type").filter(pk__in=ids).order_by("path")
    return [o for o in orgs if scoping.can(actor, Action.SCHEDULE, o)]


def owed(*, actor, today: date | None = None) -> list[dict]:
    """What the user's branches still owe this year: unmet requirements whose period has begun."""
    today = today or timezone.localdate()
    result: list[dict[str, Any]] = []
    for org in my_branches(actor):
        view = branch_year(actor=actor, org=org, year=today.year, today=today, details=False)
        for month in view.months:
            for e in month.items:
                if e.state in ("open", "unmet") and e.item.start <= today:
                    result.append(
                        {
                            "org": org,
                            "rule": e.rule,
                            "period": e.period,
                            "deadline": e.item.deadline,
                            "overdue": e.state == "unmet",
                            "count": e.item.count,
                            "needed": e.item.needed,
                            "fix_url": e.fix_url,
                        }
                    )
    result.sort(key=lambda r: (r["deadline"], r["org"].path))
    return result
