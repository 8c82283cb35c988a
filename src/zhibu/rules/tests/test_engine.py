"""Evaluation of requirements against records: states, deadlines, constraints, due months."""

from __future__ import annotations

from datetime import date

import pytest

from zhibu.orgs import scoping
from zhibu.rules import engine, selectors
from zhibu.rules.models import Requirement
from zhibu.testing import factories as f

from .helpers import colours, rec, with_committee

JUNE = date(2022, 6, 20)


def fill_month(tree, year: int, month: int, *, skip: str = ""):
    """Everything branch A owes in a month (and its quarter's meetings in the quarter's last month)."""
    day = date(year, month, 10)
    present = [tree.members.sec_a, tree.members.member_a, tree.members.a3, tree.members.a4]
    made = {}
    for code in ("committee-meeting", "theme-day"):
        if code != skip:
            made[code] = rec(tree.a, code, day, present=present)
    if skip != "group-meeting":
        made["group-meeting"] = rec(tree.a_group, "group-meeting", day, present=present[1:3])
    if month % 3 == 0:
        for code in ("general-meeting", "party-lecture"):
            if code != skip:
                made[code] = rec(tree.a, code, day, present=present)
    return made


def items(tree, year, month, today=JUNE, org=None):
    view = selectors.branch_year(actor=scoping.SYSTEM, org=org or tree.a, year=year, today=today)
    return {e.rule.code: e for e in view.month(month).items}, view


def test_a_fully_recorded_quarter_is_green_and_later_months_red(tree):
    with_committee(tree.a)
    for month in (1, 2, 3):
        fill_month(tree, 2022, month)
    codes = colours(tree.a, 2022, JUNE)
    assert codes[:3] == "ggg"
    assert codes[3:5] == "rr"  # April and May closed without records
    assert codes[5] == "o"  # June: deadline 7 July, more than 7 days away
    assert codes[6:11] == "ooooo"
    found, _view = items(tree, 2022, 3)
    assert sorted(found) == ["ZB-01", "ZB-02", "ZB-03", "ZB-05", "ZB-07"]
    assert {e.label for e in found.values()} == {"已完成"}
    assert [r["topic"] for r in found["ZB-02"].records] == ["2022年03月支部委员会"]


def test_quarterly_requirements_fall_due_in_the_quarters_last_month(tree):
    rec(tree.a, "general-meeting", date(2022, 2, 14))
    jan, _ = items(tree, 2022, 1)
    feb, _ = items(tree, 2022, 2)
    mar, _ = items(tree, 2022, 3)
    assert "ZB-01" not in jan and "ZB-01" not in feb
    assert mar["ZB-01"].label == "已完成"
    assert mar["ZB-01"].item.deadline == date(2022, 4, 7)
    assert mar["ZB-01"].period == "2022年第一季度"
    assert mar["ZB-05"].label == "未完成"


def test_grace_days_boundary(tree):
    fill_month(tree, 2022, 1, skip="theme-day")
    rec(tree.a, "theme-day", date(2022, 1, 28), recorded=date(2022, 2, 7))  # last day of grace
    assert colours(tree.a, 2022, JUNE)[0] == "g"
    fill_month(tree, 2022, 2, skip="theme-day")
    late = rec(tree.a, "theme-day", date(2022, 2, 20), recorded=date(2022, 3, 8))  # one day after
    assert colours(tree.a, 2022, JUNE)[1] == "y"
    feb, _ = items(tree, 2022, 2)
    assert feb["ZB-07"].label == "逾期补录"
    assert feb["ZB-07"].records[0]["id"] == late.pk and feb["ZB-07"].records[0]["late"] is True
    assert "2022年3月7日" in feb["ZB-07"].problems[0]


def test_open_month_turns_yellow_within_warning_days_and_red_after_the_deadline(tree):
    with_committee(tree.a)
    fill_month(tree, 2022, 1, skip="committee-meeting")
    assert colours(tree.a, 2022, date(2022, 1, 20))[0] == "o"  # deadline 7 Feb: 18 days away
    assert colours(tree.a, 2022, date(2022, 1, 31))[0] == "y"  # 7 days away
    assert colours(tree.a, 2022, date(2022, 2, 7))[0] == "y"  # the deadline itself
    assert colours(tree.a, 2022, date(2022, 2, 8))[0] == "r"
    jan, _ = items(tree, 2022, 1, today=date(2022, 1, 20))
    assert jan["ZB-02"].label == "进行中"
    jan, _ = items(tree, 2022, 1, today=date(2022, 2, 8))
    assert jan["ZB-02"].label == "未完成"
    # The fix link opens the form in January and comes back to January's lights once saved.
    assert jan["ZB-02"].fix_url.endswith(
        "/records/branch-a/new/?kind=committee-meeting&month=2022-01&next=%2Frules%2Fbranch-a%2F%3Fmonth%3D2022-01"
    )


def test_attendance_threshold(tree):
    Requirement.objects.unscoped().filter(code="ZB-07").update(min_attendance="0.800")
    m = tree.members
    fill_month(tree, 2022, 1, skip="theme-day")
    rec(tree.a, "theme-day", date(2022, 1, 5), present=[m.sec_a, m.member_a, m.a3], absent=[m.a4])  # 75 %
    assert colours(tree.a, 2022, JUNE)[0] == "y"
    jan, _ = items(tree, 2022, 1)
    assert jan["ZB-07"].label == "已完成"
    assert jan["ZB-07"].problems == ["出席率低于 80% 的要求"]
    assert jan["ZB-07"].records[0]["attendance"] == "3/4" and jan["ZB-07"].records[0]["low"] is True
    fill_month(tree, 2022, 2, skip="theme-day")
    extra = f.make_member(tree.a, "钱多", status="full")
    rec(
        tree.a, "theme-day", date(2022, 2, 5), present=[m.sec_a, m.member_a, m.a3, extra], absent=[m.a4]
    )  # 80 %
    assert colours(tree.a, 2022, JUNE)[1] == "g"


def test_committee_only_rule_applies_only_where_a_committee_exists(tree):
    with_committee(tree.a)
    rec(tree.b, "theme-day", date(2022, 1, 10))
    jan_b, _ = items(tree, 2022, 1, org=tree.b)
    assert sorted(jan_b) == ["ZB-07"]  # no 支委会 (one committee member), no 党小组
    assert colours(tree.b, 2022, JUNE)[0] == "g"
    jan_a, _ = items(tree, 2022, 1)
    assert "ZB-02" in jan_a and "ZB-03" in jan_a


def test_committee_needs_three_members_with_committee_posts(tree):
    from zhibu.people.models import Member

    Member.objects.unscoped().filter(pk=tree.members.a3.pk).update(party_post="")
    jan, _ = items(tree, 2022, 1)
    assert "ZB-02" not in jan


def test_group_meeting_counts_per_group(tree):
    second = f.make_org("branch-a-g2", "甲幼儿园第二党小组", parent=tree.a, type_code="group")
    fill_month(tree, 2022, 1)
    jan, _ = items(tree, 2022, 1)
    assert jan["ZB-03"].label == "未完成"
    assert (jan["ZB-03"].item.count, jan["ZB-03"].item.needed) == (1, 2)
    assert jan["ZB-03"].problems == ["尚无党小组会记录的党小组：甲幼儿园第二党小组"]
    rec(second, "group-meeting", date(2022, 1, 12))
    assert colours(tree.a, 2022, JUNE)[0] == "g"


def test_secretary_lecture_needs_the_secretary_as_speaker(tree):
    rec(tree.a, "party-lecture", date(2022, 11, 3), speaker=tree.members.member_a)
    dec, _ = items(tree, 2022, 12, today=date(2023, 2, 1))
    assert dec["ZB-06"].label == "未完成"
    assert "须由支部书记主讲" in dec["ZB-06"].problems[0]
    rec(tree.a, "party-lecture", date(2022, 12, 3), speaker=tree.members.sec_a)
    dec, _ = items(tree, 2022, 12, today=date(2023, 2, 1))
    assert dec["ZB-06"].label == "已完成"
    assert [r["held_on"] for r in dec["ZB-06"].records] == [date(2022, 12, 3)]


def test_heart_talks_count_per_member(tree):
    m = tree.members
    rec(tree.a, "heart-talk", date(2022, 5, 3), present=[m.sec_a, m.member_a])
    rec(tree.a, "heart-talk", date(2022, 9, 3), present=[m.sec_a, m.a3])
    dec, _ = items(tree, 2022, 12, today=date(2023, 2, 1))
    assert dec["ZB-10"].label == "未完成"
    assert (dec["ZB-10"].item.count, dec["ZB-10"].item.needed) == (3, 4)
    assert dec["ZB-10"].problems == ["尚未谈心谈话的党员：王明"]
    rec(tree.a, "heart-talk", date(2023, 1, 2), present=[m.sec_a, m.a4])  # next year: does not count
    dec, _ = items(tree, 2022, 12, today=date(2023, 2, 1))
    assert dec["ZB-10"].label == "未完成"
    rec(tree.a, "heart-talk", date(2022, 12, 30), recorded=date(2023, 1, 20), present=[m.sec_a, m.a4])
    dec, _ = items(tree, 2022, 12, today=date(2023, 2, 1))
    assert dec["ZB-10"].label == "逾期补录"


def test_stored_lights_equal_a_full_recompute(tree):
    fill_month(tree, 2022, 1)
    fill_month(tree, 2022, 3, skip="group-meeting")
    rec(tree.b, "theme-day", date(2022, 2, 1))
    stored = {
        b: selectors.stored_codes(tree.district.path, 2022, JUNE, 7).get(b) for b in (tree.a.pk, tree.b.pk)
    }
    fresh = engine.evaluate(tree.district.path, 2022)
    recomputed = {
        b: "".join(
            selectors.COLOUR_CODE[selectors.colour_of(ev.base, ev.open_deadline, JUNE, 7)] for ev in fresh[b]
        )
        for b in (tree.a.pk, tree.b.pk)
    }
    assert stored == recomputed
    assert stored[tree.a.pk][:3] == "grr"


@pytest.mark.parametrize(
    "codes,before,expected",
    [
        ("gyrg" + "g" * 8, "n", [0, 1, 2, 0] + [0] * 8),
        ("y" + "g" * 11, "r", [2] + [0] * 11),
        ("ooo" + "n" * 9, "n", [0] * 12),
    ],
)
def test_streaks(codes, before, expected):
    assert selectors.streaks(codes, before) == expected
