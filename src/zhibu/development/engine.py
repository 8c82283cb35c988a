"""The checks of a development case, read from the ruleset tables.

Works on plain `Entry` values (one per dated step) so that recording a new step and correcting an old one run the
same code: a correction replays the whole case. Every refusal names the rule and its article.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from zhibu.core.cn import date_cn

from . import ruleset as rs
from .workdays import Calendar

ORDER_RULE = "《中国共产党发展党员工作细则》"


@dataclass
class Entry:
    step: int
    round: int
    on: date
    details: dict = field(default_factory=dict)
    overdue_reason: str = ""


@dataclass
class Window:
    earliest: date | None = None
    latest: date | None = None
    hard_latest: date | None = None
    reasons: list[str] = field(default_factory=list)  # human sentences, each with its citation


@dataclass
class Result:
    errors: dict[str, list[str]] = field(default_factory=dict)
    overdue: list[str] = field(default_factory=list)  # the late rules, cited
    closes: str = ""  # a reason if this entry ends the case (政审不合格, 不批准 …)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Context:
    """What the checks need besides the entries: the person, the calendar, and who was what on a date."""

    ruleset: rs.Ruleset
    birth_date: date
    calendar: Calendar
    today: date
    # member ids → {id: (name, status on the date, under 留党察看 on the date)}
    standing: Callable[[list[int], date], dict[int, tuple[str, str, bool]]] = lambda ids, on: {}
    branch_member_ids: Callable[[], set[int]] = lambda: set()
    group_ids: Callable[[], set[int]] = lambda: set()
    # the branch's voters on a date (voters.Roll), None where no roster is at hand
    voters: Callable[[date], object | None] = lambda on: None


# ---------------------------------------------------------------------------------------------- the case's state


def sequence_key(entry: Entry) -> tuple[int, int, int]:
    """The order steps happen in: by number, except that a second 转正 round (23, 24) follows the first."""
    phase = entry.round if entry.step in (23, 24) else (99 if entry.step == rs.LAST_STEP else 1)
    return (phase, entry.step, entry.round)


def ordered(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=sequence_key)


def last_of(entries: list[Entry], step: int) -> Entry | None:
    found = [e for e in entries if e.step == step]
    return max(found, key=lambda e: e.round) if found else None


def probation_end(entries: list[Entry]) -> date | None:
    """预备期满之日: one year from the 支部大会 (党章第七条), plus approved extensions."""
    assembly, approved = last_of(entries, 15), last_of(entries, 17)
    if assembly is None or approved is None or approved.details.get("outcome") != "approve":
        return None
    end = rs.add_months(assembly.on, 12)
    for entry in entries:
        if entry.step == 23 and entry.details.get("conversion") == "extend":
            approval = next((e for e in entries if e.step == 24 and e.round == entry.round), None)
            if approval is not None and approval.details.get("outcome") == "approve":
                end = rs.add_months(end, int(entry.details.get("extension_months") or 0))
    return end


def extended_months(entries: list[Entry]) -> int:
    return sum(
        int(e.details.get("extension_months") or 0)
        for e in entries
        if e.step == 23 and e.details.get("conversion") == "extend"
    )


def next_position(entries: list[Entry]) -> tuple[int, int] | None:
    """The next (step, round): steps go strictly in order; after an approved 延长预备期 the 转正 round repeats."""
    if not entries:
        return (1, 1)
    last = max(entries, key=sequence_key)
    if last.step == 24 and last.details.get("outcome") == "approve":
        decision = next((e for e in entries if e.step == 23 and e.round == last.round), None)
        if decision is not None and decision.details.get("conversion") == "extend":
            return (23, last.round + 1)
    if last.step >= rs.LAST_STEP:
        return None
    return (last.step + 1, last.round if last.step == 23 else 1)


def allowed_positions(entries: list[Entry]) -> list[tuple[int, int]]:
    """The next step, and another entry of a repeatable step while the step after it is not yet done."""
    positions = []
    nxt = next_position(entries)
    if nxt:
        positions.append(nxt)
    if entries:
        last = max(entries, key=sequence_key)
        if last.step in (6, 21):
            positions.append((last.step, last.round + 1))
    return positions


def stage_of(entries: list[Entry]) -> int:
    return max((rs.RULESET_2014.step(e.step).stage for e in entries), default=1)


def desired_statuses(entries: list[Entry]) -> dict[str, date]:
    """The status history the case implies (people.Status → date)."""
    wanted: dict[str, date] = {}
    for step, status in ((1, "applicant"), (3, "activist"), (7, "candidate")):
        entry = last_of(entries, step)
        if entry is not None:
            wanted[status] = min(e.on for e in entries if e.step == step)
    end = probation_end(entries)
    if end is not None:
        wanted["probationary"] = last_of(entries, 15).on
        for entry in entries:
            if entry.step == 24 and entry.details.get("outcome") == "approve":
                decision = next((e for e in entries if e.step == 23 and e.round == entry.round), None)
                if decision is not None and decision.details.get("conversion") == "confirm":
                    wanted["full"] = end
                if decision is not None and decision.details.get("conversion") == "cancel":
                    wanted.pop("probationary", None)
    return wanted


# ---------------------------------------------------------------------------------------------- windows


def _anchor(entries: list[Entry], anchor) -> date | None:
    if isinstance(anchor, int):
        entry = last_of(entries, anchor)
        return entry.on if entry else None
    if anchor == "previous_review":
        entry = last_of(entries, 6) or last_of(entries, 3)
        return entry.on if entry else None
    if anchor == "probation_end":
        return probation_end(entries)
    raise ValueError(anchor)


def _rule_date(entries: list[Entry], rule: rs.TimeRule) -> date | None:
    base = _anchor(entries, rule.anchor)
    if base is None:
        return None
    return date.fromordinal(rs.add_months(base, rule.months).toordinal() + rule.days)


def window(ruleset: rs.Ruleset, entries: list[Entry], step: int) -> Window:
    """When the step may be done, given the entries before it."""
    result = Window()
    if entries:
        result.earliest = max(e.on for e in entries)
        result.reasons.append(
            f"不早于上一步骤的日期{date_cn(result.earliest)}（{ORDER_RULE}：各步骤依次办理）"
        )
    for rule in ruleset.step(step).rules:
        when = _rule_date(entries, rule)
        if when is None:
            continue
        cited = f"{rule.text}（{ruleset.cite(rule.article)}）"
        if rule.kind == "earliest":
            if result.earliest is None or when > result.earliest:
                result.earliest = when
            result.reasons.append(f"不早于{date_cn(when)}：{cited}")
        elif rule.kind == "latest":
            result.latest = when if result.latest is None else min(result.latest, when)
            result.reasons.append(f"最迟{date_cn(when)}：{cited}")
        else:
            result.hard_latest = when if result.hard_latest is None else min(result.hard_latest, when)
            result.reasons.append(f"至迟不得晚于{date_cn(when)}：{cited}")
    return result


# ---------------------------------------------------------------------------------------------- checks


def check(ctx: Context, entries: list[Entry], entry: Entry, *, replay: bool = False) -> Result:
    """Check one entry against the entries before it. `replay` skips the order check (a correction)."""
    ruleset, result = ctx.ruleset, Result()
    step = ruleset.step(entry.step)
    label = f"第{step.number}步“{step.name}”"
    if not replay and (entry.step, entry.round) not in allowed_positions(entries):
        nxt = next_position(entries)
        expected = f"第{nxt[0]}步“{ruleset.step(nxt[0]).name}”" if nxt else "（已全部完成）"
        result.add(
            "step",
            f"{label}不能在此时记录：应按顺序办理，下一步是{expected}（{ORDER_RULE}规定的步骤依次办理）。",
        )
        return result
    if entry.on > ctx.today:
        result.add("on", f"{label}的日期不能晚于今天。")
    span = window(ruleset, entries, entry.step)
    if span.earliest and entry.on < span.earliest:
        reasons = "；".join(r for r in span.reasons if r.startswith("不早于"))
        result.add("on", f"{label}的日期过早：{reasons}。")
    if span.hard_latest and entry.on > span.hard_latest:
        reasons = "；".join(r for r in span.reasons if r.startswith("至迟"))
        result.add("on", f"{label}的日期已超出最长期限：{reasons}。")
    for rule in step.rules:
        if rule.kind == "latest":
            when = _rule_date(entries, rule)
            if when is not None and entry.on > when:
                result.overdue.append(
                    f"应于{date_cn(when)}前办理：{rule.text}（{ruleset.cite(rule.article)}）"
                )
    if result.overdue and not entry.overdue_reason.strip():
        result.add("overdue_reason", f"{label}已超期（{'；'.join(result.overdue)}），请填写超期原因。")
    _check_fields(ctx, step, entry, result)
    for name in step.checks:
        CHECKS[name](ctx, entries, entry, result)
    return result


def _check_fields(ctx: Context, step: rs.Step, entry: Entry, result: Result) -> None:
    for name in step.required:
        value = entry.details.get(name)
        if value in (None, "", []):
            result.add(name, f"请填写{rs.FIELDS[name][0]}。")
    for name, value in entry.details.items():
        if name not in step.fields:
            result.add(name, f"第{step.number}步没有“{name}”这一项。")
            continue
        kind = rs.FIELDS[name][1]
        if value in (None, "", []):
            continue
        if kind == "int" and (not isinstance(value, int) or value < 0):
            result.add(name, f"{rs.FIELDS[name][0]}应为不小于 0 的整数。")
        elif kind.startswith("choice:") and value not in dict(rs.CHOICES[kind[7:]]):
            result.add(name, f"{rs.FIELDS[name][0]}的取值无效。")
        elif kind == "checklist" and not set(value) <= set(rs.DOCUMENTS):
            result.add(name, "归档材料清单中有未知的材料类别。")
        elif kind == "members" and not set(value) <= ctx.branch_member_ids():
            result.add(name, f"{rs.FIELDS[name][0]}须是本支部的党员。")
        elif kind == "group" and value not in ctx.group_ids():
            result.add(name, "党小组须属于本党支部。")
        elif kind == "date" and not _is_iso(value):
            result.add(name, f"{rs.FIELDS[name][0]}应为日期（如 2022-03-15）。")
        elif kind in ("text", "textarea") and len(str(value)) > 2000:
            result.add(name, f"{rs.FIELDS[name][0]}过长（不超过 2000 字）。")


def _is_iso(value) -> bool:
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _age18(ctx, entries, entry, result):
    turns18 = rs.add_months(ctx.birth_date, 18 * 12)
    if entry.on < turns18:
        result.add(
            "on",
            f"递交入党申请书时须年满十八周岁：申请人{date_cn(turns18)}年满十八周岁"
            f"（{ctx.ruleset.cite(ctx.ruleset.step(1).article)}；党章第一条）。",
        )


def _party_people(ctx, entry, result, name: str, low: int, high: int, what: str, article: str):
    ids = [i for i in entry.details.get(name) or [] if isinstance(i, int)]
    cited = ctx.ruleset.cite(article)
    if len(set(ids)) != len(ids):
        result.add(name, f"{what}不能重复。")
        return
    if not low <= len(ids) <= high:
        count = f"{low}名" if low == high else f"{low}至{high}名"
        result.add(name, f"{what}应为{count}正式党员（{cited}）。")
        return
    for person, status, disciplined in ctx.standing(ids, entry.on).values():
        if status != "full":
            shown = {"probationary": "预备党员"}.get(status, "非正式党员")
            result.add(
                name,
                f"{person}在{date_cn(entry.on)}是{shown}，不能担任{what}：{what}须为正式党员（{cited}）。",
            )
        elif disciplined:
            result.add(
                name,
                f"{person}在{date_cn(entry.on)}受留党察看处分尚未恢复党员权利，不能担任{what}（{cited}）。",
            )


def _contacts(ctx, entries, entry, result):
    _party_people(ctx, entry, result, "contacts", 1, 2, "培养联系人", ctx.ruleset.step(5).article)


def _introducers(ctx, entries, entry, result):
    _party_people(ctx, entry, result, "introducers", 2, 2, "入党介绍人", ctx.ruleset.step(9).article)


def _reviews(ctx, entries, entry, result):
    activist = last_of(entries, 3)
    if activist is None:
        return
    needed = rs.whole_months(activist.on, entry.on) // 6
    done = len([e for e in entries if e.step == 6])
    if done < needed:
        result.add(
            "step",
            f"自确定为入党积极分子（{date_cn(activist.on)}）以来应有{needed}次半年考察记录，现有{done}次"
            f"（{ctx.ruleset.cite(ctx.ruleset.step(6).article)}：每半年考察一次）。",
        )


def _publicity(ctx, entries, entry, result):
    start, end = entry.details.get("publicity_start"), entry.details.get("publicity_end")
    need = ctx.ruleset.publicity_workdays
    cited = ctx.ruleset.cite(ctx.ruleset.step(7).article)
    if not need:
        if start and end and end < start:
            result.add("publicity_end", "公示结束日期不能早于开始日期。")
        return
    if not start or not end:
        result.add(
            "publicity_start", f"列为发展对象前须公示不少于{need}个工作日，请填写公示起止日期（{cited}）。"
        )
        return
    start, end = date.fromisoformat(start), date.fromisoformat(end)
    if end < start:
        result.add("publicity_end", "公示结束日期不能早于开始日期。")
        return
    if end >= entry.on:
        result.add("publicity_end", f"公示应在确定发展对象之前结束（{cited}）。")
    counted = ctx.calendar.count(start, end)
    if counted < need:
        result.add(
            "publicity_end",
            f"公示期{date_cn(start)}至{date_cn(end)}只有{counted}个工作日（已扣除法定节假日、"
            f"计入调休上班日），应不少于{need}个工作日（{cited}）。",
        )


def _political_review(ctx, entries, entry, result):
    if entry.details.get("review_result") == "fail":
        result.closes = f"政治审查不合格，不能发展入党（{ctx.ruleset.cite(ctx.ruleset.step(10).article)}）"


def _training(ctx, entries, entry, result):
    days, hours = entry.details.get("training_days") or 0, entry.details.get("training_hours") or 0
    if not (isinstance(days, int) and isinstance(hours, int)):
        return
    if days < 3 and hours < 24:
        result.add(
            "training_days",
            f"集中培训时间一般不少于三天或二十四个学时，现为{days}天、{hours}学时"
            f"（{ctx.ruleset.cite(ctx.ruleset.step(11).article)}）。",
        )


def _pre_review(ctx, entries, entry, result):
    if entry.details.get("pre_review_result") == "fail":
        result.closes = f"上级党委预审不合格（{ctx.ruleset.cite(ctx.ruleset.step(13).article)}）"


def vote_problems(counts: dict, cite: str) -> list[tuple[str, str]]:
    """Quorum, passing and the sum check. Returns (field, message) pairs; empty means the counts are consistent."""
    values = {name: counts.get(name) for name in rs.VOTE_FIELDS}
    if any(not isinstance(v, int) or v < 0 for v in values.values()):
        return []  # the field checks already complained
    expected, present, written = values["expected"], values["present"], values["written"]
    cast = values["yes"] + values["no"] + values["abstain"]
    problems = []
    if expected == 0:
        problems.append(("expected", "应到会有表决权党员数应大于 0。"))
    if present + written > expected:
        problems.append(
            (
                "present",
                f"实到人数与书面意见数之和（{present + written}）不能超过应到会有表决权党员数（{expected}）。",
            )
        )
    if cast != present + written:
        problems.append(
            (
                "yes",
                f"赞成、反对、弃权合计{cast}票，与实到会有表决权党员数加书面意见数（{present + written}）"
                f"不符，请核对（{cite}）。",
            )
        )
    if expected and present * 2 <= expected:
        problems.append(
            (
                "present",
                f"实到会有表决权党员{present}人，未超过应到会有表决权党员{expected}人的半数，"
                f"不能进行表决（{cite}）。",
            )
        )
    return problems


def _vote(ctx, entries, entry, result):
    step = ctx.ruleset.step(entry.step)
    cite = ctx.ruleset.cite(step.article)
    problems = _roll_problems(ctx, entry, cite) + vote_problems(entry.details, cite)
    for name, message in problems:
        result.add(name, message)
    if problems or any(not isinstance(entry.details.get(n), int) for n in rs.VOTE_FIELDS):
        return
    if entry.details["yes"] * 2 <= entry.details["expected"]:
        message = (
            f"赞成票{entry.details['yes']}票未超过应到会有表决权党员{entry.details['expected']}人的半数，"
            f"未通过（{cite}）"
        )
        if entry.step == 15:
            result.closes = f"支部大会{message}"
        else:
            result.add("yes", f"{message}。转正决议未形成，不能记录。")


def _roll_problems(ctx, entry: Entry, cite: str) -> list[tuple[str, str]]:
    """应到会有表决权党员 comes from the roster on the meeting date: never above it; below it only with a reason."""
    roll = ctx.voters(entry.on)
    expected = entry.details.get("expected")
    if roll is None or not isinstance(expected, int):
        return []
    if expected > roll.expected:
        return [
            ("expected", f"应到会有表决权党员数（{expected}）不能超过花名册计算的人数（{cite}）：{roll.text}")
        ]
    if expected < roll.expected and not str(entry.details.get("expected_reason") or "").strip():
        return [
            (
                "expected_reason",
                f"应到会有表决权党员数（{expected}）少于花名册计算的{roll.expected}人，"
                f"请说明更正理由。{roll.text}",
            )
        ]
    return []


def _conversion(ctx, entries, entry, result):
    if entry.details.get("conversion") != "extend":
        if entry.details.get("extension_months"):
            result.add("extension_months", "只有延长预备期时才填写延长月数。")
        return
    months = entry.details.get("extension_months")
    cite = ctx.ruleset.cite(ctx.ruleset.step(23).article)
    if not isinstance(months, int) or not 6 <= months <= 12:
        result.add(
            "extension_months", f"延长预备期不少于六个月、不超过一年，请填写 6 至 12 之间的月数（{cite}）。"
        )
    elif extended_months(entries) + months > 12:
        result.add("extension_months", f"预备期累计延长不能超过一年（{cite}）。")


def _approval(ctx, entries, entry, result):
    if entry.details.get("outcome") == "reject":
        result.closes = f"上级党委不予批准（{ctx.ruleset.cite(ctx.ruleset.step(entry.step).article)}）"
    elif entry.step == 24:
        decision = next((e for e in entries if e.step == 23 and e.round == entry.round), None)
        if decision is not None and decision.details.get("conversion") == "cancel":
            result.closes = f"取消预备党员资格（{ctx.ruleset.cite(ctx.ruleset.step(23).article)}）"


def _archive(ctx, entries, entry, result):
    missing = [
        rs.DOCUMENTS[c] for c in rs.checklist(ctx.ruleset) if c not in (entry.details.get("archive") or [])
    ]
    if missing:
        result.add(
            "archive",
            f"归档材料不全，尚缺：{'、'.join(missing)}（{ctx.ruleset.cite(ctx.ruleset.step(25).article)}）。",
        )


CHECKS: dict[str, Callable] = {
    "age18": _age18,
    "contacts": _contacts,
    "reviews": _reviews,
    "publicity": _publicity,
    "introducers": _introducers,
    "political_review": _political_review,
    "training": _training,
    "pre_review": _pre_review,
    "vote": _vote,
    "conversion": _conversion,
    "approval": _approval,
    "archive": _archive,
}


def replay(ctx: Context, entries: list[Entry]) -> tuple[dict[str, list[str]], list[list[str]], str]:
    """Check every entry of a case in order (after a correction). Returns errors, overdue per entry, closing."""
    sequence = ordered(entries)
    errors: dict[str, list[str]] = {}
    overdue: list[list[str]] = []
    closes = ""
    for i, entry in enumerate(sequence):
        outcome = check(ctx, sequence[:i], entry, replay=True)
        for name, messages in outcome.errors.items():
            errors.setdefault(name, []).extend(messages)
        overdue.append(outcome.overdue)
        closes = closes or outcome.closes
    return errors, overdue, closes
