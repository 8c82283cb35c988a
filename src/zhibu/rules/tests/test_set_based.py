"""The set-based engine gives exactly what the per-branch loop gave (tests/reference.py), on a varied district:
党小组 (one dissolved), committees by election and by the roster, founding, dissolution and 启用日期 inside the
year, a superior's rule replacing a national one from mid-year, a local weekly rule with and without a weekday,
假期 at two levels, annual meetings held after the year (with and without 所属年度), quorum, late entry, low
attendance, the secretary as speaker and per-member heart talks."""

from __future__ import annotations

import random
import threading
from datetime import date, timedelta

import pytest
from django.db import connection, transaction

from zhibu.orgs.models import Election, Organisation, OrgBreak, OrgType
from zhibu.people.models import PartyPost
from zhibu.rules import engine
from zhibu.rules.models import Requirement
from zhibu.testing import factories as f

from .helpers import at
from .reference import evaluate_per_branch

KINDS = [
    "committee-meeting",
    "theme-day",
    "general-meeting",
    "party-lecture",
    "political-study",
    "heart-talk",
]


def _requirement(code: str, owner, kind: str, period: str, **fields) -> Requirement:
    types = list(OrgType.objects.filter(code__in=["branch", "joint-branch"]))
    req = Requirement.objects.unscoped().create(
        code=code,
        name=code,
        kind=f.kind(kind),
        period=period,
        min_count=fields.pop("min_count", 1),
        basis="测试文件",
        owner=owner,
        valid_from=fields.pop("valid_from", date(2018, 1, 1)),
        **fields,
    )
    req.org_types.set(types)
    return req


@pytest.fixture
def district(tree):
    """Eight branches under two levels, each with its own way of being unusual, and three years of records."""
    rng = random.Random(12)
    general = f.make_org("general-x", "某中学党总支", parent=tree.district, type_code="general-branch")
    c = f.make_org("branch-c", "丙小学党支部", parent=tree.district)
    d = f.make_org("branch-d", "丁中学党支部", parent=tree.district)
    e = f.make_org("branch-e", "戊中学党支部", parent=general)
    g = f.make_org("branch-g", "己中学联合党支部", parent=general, type_code="joint-branch")
    h = f.make_org("branch-h", "庚中学党支部", parent=general)
    c_group = f.make_org("branch-c-g1", "丙小学第一党小组", parent=c, type_code="group")
    gone = f.make_org("branch-c-g2", "丙小学第二党小组", parent=c, type_code="group")
    Organisation.objects.filter(pk=gone.pk).update(dissolved_on=date(2021, 6, 30))
    Organisation.objects.filter(pk=c.pk).update(founded_on=date(2022, 4, 15))
    Organisation.objects.filter(pk=d.pk).update(dissolved_on=date(2022, 8, 20))
    Organisation.objects.filter(pk=e.pk).update(live_from=date(2022, 5, 1))
    Election.objects.unscoped().create(
        org=tree.a,
        held_on=date(2021, 1, 5),
        term_years=3,
        term_ends_on=date(2024, 1, 5),
        has_committee=True,
        full_members=7,
    )
    Election.objects.unscoped().create(
        org=h,
        held_on=date(2022, 3, 1),
        term_years=3,
        term_ends_on=date(2025, 3, 1),
        has_committee=False,
        full_members=7,
    )
    roster = {}
    for branch in (c, d, e, g, h):
        people = [
            f.make_member(branch, f"{branch.code}成员{i}", party_post=post)
            for i, post in enumerate(
                [PartyPost.SECRETARY, PartyPost.ORGANISER, PartyPost.PROPAGANDA, "", "", "", "", ""]
            )
        ]
        roster[branch.pk] = people
    roster[tree.a.pk] = [tree.members.sec_a, tree.members.member_a, tree.members.a3, tree.members.a4]
    roster[tree.b.pk] = [tree.members.b1]
    left = roster[g.pk][-1]
    type(left).objects.unscoped().filter(pk=left.pk).update(
        left_on=date(2022, 10, 1)
    )  # below 7 after October
    # the district tightens 主题党日 from July 2022; branch A studies every Monday; the general branch every week
    _requirement(
        "QX-07",
        tree.district,
        "theme-day",
        "month",
        min_attendance="0.800",
        valid_from=date(2022, 7, 1),
        replaces=Requirement.objects.unscoped().get(code="ZB-07", owner=None),
    )
    _requirement(
        "QX-08",
        tree.district,
        "life-meeting",
        "year",
        closes_month=1,
        closes_day=31,
        replaces=Requirement.objects.unscoped().get(code="ZB-08", owner=None),
    )
    _requirement("ZZ-01", tree.a, "political-study", "week", weekday=0, valid_from=date(2022, 1, 1))
    _requirement("ZZ-02", general, "political-study", "week", min_count=2, grace_days=3)
    OrgBreak.objects.unscoped().create(
        org=tree.district, name="暑假", starts_on=date(2022, 7, 11), ends_on=date(2022, 8, 28)
    )
    OrgBreak.objects.unscoped().create(
        org=general, name="寒假", starts_on=date(2022, 1, 17), ends_on=date(2022, 2, 13)
    )
    branches = [tree.a, tree.b, c, d, e, g, h]
    for branch in branches:
        people = roster[branch.pk]
        for year in (2021, 2022):
            for month in range(1, 13):
                for code in KINDS:
                    if rng.random() < 0.25:
                        continue
                    day = date(year, month, rng.randint(1, 28))
                    late = rng.random() < 0.15
                    present = [p for p in people if rng.random() < 0.85]
                    absent = [p for p in people if p not in present]
                    fields = {}
                    if code == "committee-meeting":
                        fields = {"committee_size": 3, "committee_present": rng.choice([1, 2, 3])}
                    if code == "party-lecture" and rng.random() < 0.5:
                        fields["speaker"] = people[0]
                    f.make_activity(
                        branch,
                        code,
                        day,
                        present=present,
                        absent=absent,
                        recorded_at=at(day + timedelta(days=40 if late else rng.randint(0, 6))),
                        **fields,
                    )
            for code in ("life-meeting", "democratic-appraisal"):
                day = date(year, 12, 15) if rng.random() < 0.5 else date(year + 1, rng.randint(1, 4), 10)
                for_year = year if day.year > year and rng.random() < 0.5 else None
                f.make_activity(
                    branch,
                    code,
                    day,
                    present=people,
                    for_year=for_year,
                    recorded_at=at(day + timedelta(days=rng.choice([1, 30]))),
                )
    for group in (tree.a_group, c_group):
        for month in range(1, 13):
            if rng.random() < 0.7:
                day = date(2022, month, rng.randint(1, 28))
                f.make_activity(
                    group, "group-meeting", day, recorded_at=at(day + timedelta(days=rng.randint(0, 12)))
                )
    return [tree.district, general, *branches]


def _flat(result: dict) -> dict:
    return {
        bid: [(ev.month, ev.off, ev.base, ev.open_deadline, [i.as_row() for i in ev.items]) for ev in months]
        for bid, months in result.items()
    }


@pytest.mark.parametrize("speakers_apart_from", [500, 1], ids=["one-statement", "speakers-apart"])
@pytest.mark.parametrize("year", [2021, 2022, 2023])
def test_set_based_evaluation_equals_the_per_branch_loop(district, year, speakers_apart_from, monkeypatch):
    # a large subtree on PostgreSQL counts the 书记-speaker lectures in a statement of their own: both ways here
    monkeypatch.setattr(engine, "SPEAKERS_APART_FROM", speakers_apart_from)
    for org in district:
        expected = _flat(evaluate_per_branch(org.path, year))
        assert expected, org.code
        assert _flat(engine.evaluate(org.path, year)) == expected, (org.code, year)


def test_the_tree_is_varied_enough_to_mean_something(district):
    """Every kind of item and state the comparison covers actually occurs."""
    found = _flat(engine.evaluate(district[0].path, 2022))
    states = {row[1] for months in found.values() for month in months for row in month[4]}
    assert states == {"done", "low", "late", "unmet"}
    bases = {month[2] for months in found.values() for month in months}
    assert bases == {"green", "yellow", "off", "none"}
    codes = {r.id: r.code for r in engine.load_rules()}
    covered = {codes[row[0]] for months in found.values() for month in months for row in month[4]}
    assert {
        "ZB-02",
        "ZB-03",
        "ZB-06",
        "ZB-07",
        "QX-07",
        "QX-08",
        "ZB-10",
        "ZB-11",
        "ZZ-01",
        "ZZ-02",
    } <= covered


def test_a_subset_of_branches_is_evaluated_alike(district):
    branches = engine.load_branches(district[0].path)[::2]
    assert _flat(engine.evaluate(district[0].path, 2022, branches=branches)) == _flat(
        evaluate_per_branch(district[0].path, 2022, branches=branches)
    )


@pytest.mark.parametrize("copy_from", [1000, 1], ids=["bound", "copied"])
def test_a_relight_that_changes_nothing_writes_nothing(district, monkeypatch, copy_from):
    from zhibu.rules import services
    from zhibu.rules.models import MonthLight

    # PostgreSQL binds a branch's rows as arrays and copies a subtree's into a temporary table: both ways here
    monkeypatch.setattr(services, "COPY_FROM", copy_from)

    root = district[0]
    first = services.relight(root.path, {2021, 2022})
    assert first == MonthLight.objects.unscoped().count() == 2 * 12 * 7  # every month of the seven branches
    assert services.relight(root.path, {2021, 2022}) == 0  # the stored text equals the fresh evaluation's
    Requirement.objects.unscoped().filter(code="QX-07").update(min_attendance="0.990")
    changed = services.relight(root.path, {2022})
    assert 0 < changed <= 6 * 7  # only months from July, where the tightened 主题党日 applies
    assert services.relight(root.path, {2022}) == 0
    stored = {(row.org_id, row.month): row.items for row in MonthLight.objects.unscoped().filter(year=2022)}
    fresh = {
        (bid, ev.month): [i.as_row() for i in ev.items]
        for bid, months in engine.evaluate(root.path, 2022).items()
        for ev in months
    }
    assert stored == fresh


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a second connection reading beside: PostgreSQL"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reading_beside_on_a_second_connection_evaluates_alike_and_a_relight_uses_it_only_at_the_top(
    district, monkeypatch
):
    """With the records committed, the evaluation that reads the roster, per-member and annual records on a second
    connection equals the one that reads everything on one. A relight uses it at the top of a task, never inside
    a transaction a caller opened (whose writes a second connection would not see)."""
    from zhibu.rules import services

    root = district[0]
    threads: list[str] = []
    real_roster = engine._roster

    def roster(*args):
        threads.append(threading.current_thread().name)
        return real_roster(*args)

    monkeypatch.setattr(engine, "_roster", roster)
    for year in (2021, 2022):
        assert _flat(engine.evaluate(root.path, year, concurrent=True)) == _flat(
            engine.evaluate(root.path, year)
        )
    assert threads == ["zhibu-evaluate-beside", "MainThread"] * 2

    threads.clear()
    services.relight(root.path, {2022})
    assert threads == ["zhibu-evaluate-beside"]
    threads.clear()
    with transaction.atomic():
        services.relight(root.path, {2022})
    assert threads == ["MainThread"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a second connection reading beside: PostgreSQL"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failure_on_the_second_connection_reaches_the_caller(district, monkeypatch):
    def broken(*args):
        raise RuntimeError("名册查询失败")

    monkeypatch.setattr(engine, "_roster", broken)
    with pytest.raises(RuntimeError, match="名册查询失败"):
        engine.evaluate(district[0].path, 2022, concurrent=True)
    assert not [t for t in threading.enumerate() if t.name == "zhibu-evaluate-beside"]
