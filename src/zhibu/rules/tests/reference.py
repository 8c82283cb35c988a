"""The per-branch evaluation the engine used before it became set-based, kept as a reference: the equivalence
test checks that engine.evaluate gives exactly what this loop gives, branch for branch and item for item."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import connection
from django.utils import timezone

from zhibu.orgs.scoping import path_bounds
from zhibu.orgs.selectors import committee_branches
from zhibu.people.models import COMMITTEE_POSTS, PartyPost
from zhibu.rules.engine import (
    LIVE_SQL,
    PARTY_STATUSES,
    PERIOD_SPANS_MONTHS,
    QUORUM_SQL,
    STATE_RANK,
    Branch,
    Exemptions,
    Item,
    MonthEval,
    PeriodSpan,
    Rule,
    _annual_item,
    _annual_rows,
    _member_coverage,
    _short_rows,
    _sql_parts,
    _state,
    _ts,
    applicable,
    deadline_of,
    instant_after,
    load_branches,
    load_rules,
    month_end,
    periods,
    replaced_in,
)
from zhibu.rules.models import Period


def _columns(rules: list[Rule], year: int, month_expr: str, dow_expr: str) -> tuple[list[str], list]:
    """Three conditional counts per rule: all, recorded in time, in time and attended well enough."""
    columns: list[str] = []
    params: list = []
    for rule in rules:
        cond = "a.kind_id = %s"
        cond_params: list = [rule.kind_id]
        if rule.quorum:
            cond += f" AND {QUORUM_SQL}"
        if rule.weekday is not None:
            cond += f" AND {dow_expr} = %s"
            cond_params.append((rule.weekday + 1) % 7)
        by_month = {}
        for span in periods(rule, year):
            for m in span.months:
                by_month[m] = _ts(instant_after(deadline_of(rule, span)))
        case = "CASE " + month_expr + " " + " ".join("WHEN %s THEN %s" for _ in by_month) + " END"
        case_params = [v for m, ts in sorted(by_month.items()) for v in (m, ts)]
        columns.append(f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)")
        params += cond_params
        in_time = f"(a.recorded_at < {case} OR {LIVE_SQL})"
        columns.append(f"SUM(CASE WHEN {cond} AND {in_time} THEN 1 ELSE 0 END)")
        params += cond_params + case_params
        if rule.rate_milli is not None:
            columns.append(
                f"SUM(CASE WHEN {cond} AND {in_time} AND (a.expected_count = 0 OR "
                f"a.present_count * 1000 >= %s * a.expected_count) THEN 1 ELSE 0 END)"
            )
            params += cond_params + case_params + [rule.rate_milli]
    return columns, params


def _month_counts(rules: list[Rule], low: str, high: str, year: int, *, speaker: bool) -> dict:
    """{(org_id, month): [counts…]} — three (or two) numbers per rule in the order of `rules` (the engine's
    SQL before it computed each record's flags once in a subquery)."""
    if not rules:
        return {}
    month_expr, dow_expr = _sql_parts()
    columns, params = _columns(rules, year, month_expr, dow_expr)
    kinds = sorted({r.kind_id for r in rules})
    joins = "JOIN orgs_organisation o ON o.id = a.org_id"
    where = ""
    if speaker:
        # the 书记 of the branch on the day held (dated posts; the roster's undated post where none are recorded)
        joins += " JOIN people_member s ON s.id = a.speaker_id"
        where = (
            " AND (EXISTS (SELECT 1 FROM orgs_post p WHERE p.org_id = a.org_id AND p.member_id = a.speaker_id"
            " AND p.post = %s AND p.started_on <= a.held_on AND (p.ended_on IS NULL OR p.ended_on >= a.held_on))"
            " OR (NOT EXISTS (SELECT 1 FROM orgs_post q WHERE q.org_id = a.org_id)"
            " AND s.party_post = %s AND s.branch_id = a.org_id))"
        )
    sql = (
        f"SELECT a.org_id, {month_expr}, {', '.join(columns)} FROM records_activity a {joins} "
        f"WHERE o.path >= %s AND o.path <= %s AND a.held_on >= %s AND a.held_on <= %s "
        f"AND a.kind_id IN ({', '.join(['%s'] * len(kinds))}){where} GROUP BY a.org_id, {month_expr}"
    )
    params += [low, high, date(year, 1, 1), date(year, 12, 31), *kinds]
    if speaker:
        params += [PartyPost.SECRETARY.value, PartyPost.SECRETARY.value]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(row[0], row[1]): row[2:] for row in cursor.fetchall()}


def _member_counts(low: str, high: str) -> dict[int, tuple[int, int]]:
    """{branch_id: (committee members, party members)} from the current roster."""
    posts = sorted(str(p) for p in COMMITTEE_POSTS)
    sql = (
        f"SELECT m.branch_id, SUM(CASE WHEN m.party_post IN ({', '.join(['%s'] * len(posts))}) THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN m.status IN (%s, %s) AND m.standing = %s THEN 1 ELSE 0 END) "
        "FROM people_member m JOIN orgs_organisation o ON o.id = m.branch_id "
        "WHERE o.path >= %s AND o.path <= %s AND m.left_on IS NULL GROUP BY m.branch_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*posts, *PARTY_STATUSES, "normal", low, high])
        return {row[0]: (int(row[1] or 0), int(row[2] or 0)) for row in cursor.fetchall()}


def evaluate_per_branch(
    root_path: str, year: int, *, rules: list[Rule] | None = None, branches: list[Branch] | None = None
) -> dict[int, list[MonthEval]]:
    """{branch id: twelve MonthEval} for every branch under (and including) `root_path`."""
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

    counts = _month_counts(month_rules, low, high, year, speaker=False)
    speaker_counts = _month_counts(speaker_rules, low, high, year, speaker=True)
    offsets: dict[int, tuple[dict, int, bool]] = {}
    for source, rule_list in ((counts, month_rules), (speaker_counts, speaker_rules)):
        position = 0
        for rule in rule_list:
            offsets[rule.id] = (source, position, rule.rate_milli is not None)
            position += 3 if rule.rate_milli is not None else 2
    need_members = any(r.needs_committee or r.per_member for r in relevant)
    members = _member_counts(low, high) if need_members else {}
    committees = (
        committee_branches(root_path, on=min(date(year, 12, 31), timezone.localdate()))
        if any(r.needs_committee for r in relevant)
        else set()
    )
    coverage = {r.id: _member_coverage(r, low, high, year) for r in member_rules}
    short = _short_rows(short_rules, low, high, year) if short_rules else {}
    annual = _annual_rows(annual_rules, low, high, year) if annual_rules else {}
    exempt = Exemptions(low, high, year) if any(r.period == Period.WEEK for r in short_rules) else None

    result: dict[int, list[MonthEval]] = {}
    for branch in branches:
        months = [
            MonthEval(m, off=branch.live_from is not None and month_end(year, m) < branch.live_from)
            for m in range(1, 13)
        ]
        mine = applicable(relevant, branch)
        committee, party = members.get(branch.id, (0, 0))
        for rule in mine:
            if rule.needs_committee and branch.id not in committees:
                continue
            if rule.per_group and not branch.groups:
                continue
            orgs = branch.groups if rule.per_group else [branch.id]
            spans = [
                s
                for s in periods(rule, year)
                if rule.in_force(s.start, s.end)
                and not replaced_in(rule, s, mine)
                and (branch.founded_on is None or branch.founded_on <= s.end)
                and (branch.dissolved_on is None or branch.dissolved_on >= s.start)
                and (branch.live_from is None or branch.live_from <= s.end)
            ]
            if rule.annual and rule in annual_rules:
                for span in spans:
                    months[span.due_month - 1].items.append(
                        _annual_item(rule, branch, span, annual.get(branch.id, []))
                    )
                continue
            if rule.per_member:
                if party == 0:
                    continue
                for span in spans:
                    covered, in_time = coverage[rule.id].get(branch.id, (0, 0))
                    state = "done" if in_time >= party else ("late" if covered >= party else "unmet")
                    months[span.due_month - 1].items.append(
                        Item(rule.id, state, covered, party, deadline_of(rule, span), span.start, span.end)
                    )
                continue
            if rule.period in PERIOD_SPANS_MONTHS:
                source, pos, has_rate = offsets[rule.id]
                for span in spans:
                    states, met = [], 0
                    for org_id in orgs:
                        total = in_time = good = 0
                        for m in span.months:
                            row = source.get((org_id, m))
                            if row:
                                total += int(row[pos] or 0)
                                in_time += int(row[pos + 1] or 0)
                                if has_rate:
                                    good += int(row[pos + 2] or 0)
                        state = _state(total, in_time, good if has_rate else None, rule.min_count)
                        states.append(state)
                        if rule.per_group:
                            met += state != "unmet"
                        else:
                            met = total
                    worst = max(states, key=STATE_RANK.__getitem__)
                    months[span.due_month - 1].items.append(
                        Item(
                            rule.id,
                            worst,
                            met,
                            len(orgs) if rule.per_group else rule.min_count,
                            deadline_of(rule, span),
                            span.start,
                            span.end,
                        )
                    )
                continue
            # weekly / daily: several periods fall due in one month; one item per month, the worst of them
            by_month: dict[int, list[tuple[str, date, PeriodSpan]]] = defaultdict(list)
            limit = instant_after
            if rule.period == Period.WEEK:
                # a week is due only if the rule was in force on a day it could be held, and the week is not
                # wholly 法定节假日 or 假期
                spans = [
                    s
                    for s in spans
                    if max(Exemptions.candidates(s, rule.weekday)) >= rule.valid_from
                    and (exempt is None or not exempt.week_off(branch.path, s, rule.weekday))
                ]
            for span in spans:
                deadline = deadline_of(rule, span)
                cutoff = limit(deadline)
                states = []
                for org_id in orgs:
                    total = in_time = good = 0
                    for held, recorded, present, expected, kind_id in short.get(org_id, ()):
                        if kind_id != rule.kind_id or not (span.start <= held <= span.end):
                            continue
                        if rule.weekday is not None and held.weekday() != rule.weekday:
                            continue
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
        result[branch.id] = months
    return result
