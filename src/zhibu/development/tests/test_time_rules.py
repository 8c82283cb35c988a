"""Every time rule at its boundary dates, with the article in the message."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from zhibu.development import services
from zhibu.development.models import Case, StepRecord
from zhibu.orgs.scoping import SYSTEM

from .helpers import TODAY, fill, open_case, walk


@pytest.fixture
def people(tree):
    fill(tree.a, 12)  # the votes of the plan and of these tests count 12 voters
    return {"contact1": tree.members.sec_a, "contact2": tree.members.a3}


def record(case, step, on, details=None, reason="", day=TODAY):
    return services.step_record(
        actor=SYSTEM, case=case, step=step, on=on, details=details or {}, overdue_reason=reason, day=day
    )


def steps_of(case):
    return list(StepRecord.objects.unscoped().filter(case=case).values_list("step", "round", "on"))


# -- SJ-08: age on application ------------------------------------------------------------------------------


def test_applicant_one_day_short_of_eighteen_is_refused(tree):
    with pytest.raises(ValidationError) as exc:
        open_case(tree.a, birth=date(2002, 9, 10), applied=date(2020, 9, 9))
    assert "2020年9月10日年满十八周岁" in str(exc.value)
    assert "第五条" in str(exc.value)
    assert Case.objects.unscoped().count() == 0


def test_applicant_on_eighteenth_birthday_is_accepted(tree):
    case = open_case(tree.a, birth=date(2002, 9, 10), applied=date(2020, 9, 10))
    assert steps_of(case) == [(1, 1, date(2020, 9, 10))]
    assert case.member.status == "applicant"
    assert case.next_step == 2


# -- 第七条: 谈话 within one month ----------------------------------------------------------------------------


def test_talk_on_the_last_day_of_the_month_is_in_time(tree):
    case = open_case(tree.a, applied=date(2022, 1, 31))
    assert case.due_by == date(2022, 2, 28)
    row = record(case, 2, date(2022, 2, 28), {"talker": "孙晓梅"})
    assert row.overdue is False


def test_talk_a_day_late_needs_a_reason_and_is_flagged(tree):
    case = open_case(tree.a, applied=date(2022, 1, 31))
    with pytest.raises(ValidationError) as exc:
        record(case, 2, date(2022, 3, 1), {"talker": "孙晓梅"})
    assert "超期" in str(exc.value) and "第七条" in str(exc.value)
    assert steps_of(case) == [(1, 1, date(2022, 1, 31))]
    row = record(case, 2, date(2022, 3, 1), {"talker": "孙晓梅"}, reason="寒假期间谈话人外出")
    assert row.overdue is True
    assert "2022年2月28日" in row.overdue_rules and "第七条" in row.overdue_rules


# -- FZ-03: order -----------------------------------------------------------------------------------------


def test_step_out_of_order_is_refused(tree):
    case = open_case(tree.a)
    with pytest.raises(ValidationError) as exc:
        record(case, 3, date(2021, 3, 15), {"decided_by": "committee"})
    assert "下一步是第2步“党组织派人谈话”" in str(exc.value)
    assert steps_of(case) == [(1, 1, date(2020, 9, 10))]


def test_step_dated_before_the_previous_one_is_refused(tree):
    case = open_case(tree.a)
    with pytest.raises(ValidationError) as exc:
        record(case, 2, date(2020, 9, 9), {"talker": "孙晓梅"})
    assert "依次办理" in str(exc.value)
    record(case, 2, date(2020, 9, 10), {"talker": "孙晓梅"})


def test_step_in_the_future_is_refused(tree):
    case = open_case(tree.a)
    with pytest.raises(ValidationError):
        record(case, 2, date(2020, 9, 12), {"talker": "孙晓梅"}, day=date(2020, 9, 11))


# -- 第十一条: half-yearly 考察 --------------------------------------------------------------------------------


def test_review_six_months_after_activist_is_in_time_one_day_later_is_late(tree, people):
    case = walk(open_case(tree.a), people, upto=5)
    assert case.due_by == date(2021, 9, 15)
    with pytest.raises(ValidationError):
        record(case, 6, date(2021, 9, 16), {"opinion": "表现良好"})
    late = record(case, 6, date(2021, 9, 16), {"opinion": "表现良好"}, reason="暑期")
    assert late.overdue is True and "第十一条" in late.overdue_rules


def test_review_on_the_six_month_day_is_not_late(tree, people):
    case = walk(open_case(tree.a), people, upto=5)
    row = record(case, 6, date(2021, 9, 15), {"opinion": "表现良好"})
    assert row.overdue is False
    case.refresh_from_db()
    assert (case.next_step, case.due_by, case.due_label) == (7, date(2022, 3, 15), "第6步 半年考察")


def test_candidate_needs_one_review_per_half_year(tree, people):
    case = walk(open_case(tree.a), people, upto=5)
    record(case, 6, date(2021, 9, 10), {"opinion": "表现良好"})
    with pytest.raises(ValidationError) as exc:
        record(case, 7, date(2022, 3, 15), {"decided_by": "committee"})
    assert "应有2次半年考察记录，现有1次" in str(exc.value)


# -- FZ-04 / 第十三条: one calendar year as activist -----------------------------------------------------------


def test_candidate_one_day_before_a_year_is_refused_and_on_the_day_accepted(tree, people):
    case = walk(open_case(tree.a), people, upto=6)  # activist 2021-03-15, reviews 2021-09-10, 2022-03-08
    assert case.due_from == date(2022, 3, 15)
    with pytest.raises(ValidationError) as exc:
        record(case, 7, date(2022, 3, 14), {"decided_by": "committee"})
    assert "不早于2022年3月15日" in str(exc.value) and "第十三条" in str(exc.value)
    assert case.member.status == "activist"
    record(case, 7, date(2022, 3, 15), {"decided_by": "committee"})
    case.refresh_from_db()
    assert case.member.status == "candidate" and case.member.status_since == date(2022, 3, 15)


# -- 第九条 / 第十四条 / FZ-07: contacts and introducers -----------------------------------------------------------


def test_contacts_must_be_one_or_two(tree, people):
    case = walk(open_case(tree.a), people, upto=4)
    with pytest.raises(ValidationError) as exc:
        record(
            case,
            5,
            date(2021, 3, 25),
            {"contacts": [tree.members.sec_a.pk, tree.members.a3.pk, tree.members.member_a.pk]},
        )
    assert "1至2名正式党员" in str(exc.value) and "第九条" in str(exc.value)


def test_probationary_introducer_is_refused_citing_the_rule(tree, people):
    case = walk(open_case(tree.a), people, upto=8)
    with pytest.raises(ValidationError) as exc:
        record(case, 9, date(2022, 6, 1), {"introducers": [tree.members.sec_a.pk, tree.members.a4.pk]})
    text = str(exc.value)
    assert "王明在2022年6月1日是预备党员，不能担任入党介绍人" in text and "第十四条" in text
    assert 9 not in [s for s, _, _ in steps_of(case)]


def test_introducer_full_member_from_the_day_of_confirmation(tree, people):
    confirmed = tree.members.a3.confirmed_on
    case = open_case(tree.a)
    ctx = services.context_for(SYSTEM, case)
    before = ctx.standing([tree.members.a3.pk], date.fromordinal(confirmed.toordinal() - 1))
    on = ctx.standing([tree.members.a3.pk], confirmed)
    assert before[tree.members.a3.pk][1] == "probationary"
    assert on[tree.members.a3.pk][1] == "full"


def test_introducer_under_party_probation_is_refused_until_restored(tree, people):
    services.discipline_record(
        actor=SYSTEM, member=tree.members.a3, started_on=date(2021, 1, 1), restored_on=date(2022, 4, 7)
    )
    case = walk(open_case(tree.a), {**people, "contact2": tree.members.member_a}, upto=8)
    with pytest.raises(ValidationError) as exc:
        record(case, 9, date(2022, 4, 6), {"introducers": [tree.members.sec_a.pk, tree.members.a3.pk]})
    assert "留党察看" in str(exc.value)
    record(case, 9, date(2022, 4, 7), {"introducers": [tree.members.sec_a.pk, tree.members.a3.pk]})


def test_one_introducer_is_not_enough(tree, people):
    case = walk(open_case(tree.a), people, upto=8)
    with pytest.raises(ValidationError) as exc:
        record(case, 9, date(2022, 4, 6), {"introducers": [tree.members.sec_a.pk]})
    assert "2名正式党员" in str(exc.value)


# -- 第十八条: 集中培训 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "hours", "ok"), [(2, 23, False), (3, 0, True), (0, 24, True), (2, 24, True)]
)
def test_training_three_days_or_twenty_four_hours(tree, people, days, hours, ok):
    case = walk(open_case(tree.a), people, upto=10)
    details = {"training_days": days, "training_hours": hours, "organiser": "党校"}
    if ok:
        record(case, 11, date(2022, 5, 13), details)
    else:
        with pytest.raises(ValidationError) as exc:
            record(case, 11, date(2022, 5, 13), details)
        assert "第十八条" in str(exc.value)


# -- 审批 within 3 months of the 支部大会, at most 6 ----------------------------------------------------------------


def test_approval_windows(tree, people):
    case = walk(open_case(tree.a), people, upto=16)  # 支部大会 2022-06-28
    assert case.due_by == date(2022, 9, 28)
    with pytest.raises(ValidationError) as exc:
        record(case, 17, date(2022, 12, 29), {"outcome": "approve"}, reason="材料补正")
    assert "不得超过六个月" in str(exc.value)
    with pytest.raises(ValidationError):
        record(case, 17, date(2022, 9, 29), {"outcome": "approve"})  # late without a reason
    row = record(case, 17, date(2022, 12, 28), {"outcome": "approve"}, reason="党委换届，会议推迟")
    assert row.overdue is True
    case.refresh_from_db()
    assert case.member.status == "probationary" and case.member.joined_on == date(2022, 6, 28)
    assert case.probation_end == date(2023, 6, 28)


def test_approval_on_the_three_month_day_is_not_late(tree, people):
    case = walk(open_case(tree.a), people, upto=16)
    assert record(case, 17, date(2022, 9, 28), {"outcome": "approve"}).overdue is False


# -- 预备期 one year; 延长 6–12 months; 转正审批 3 months ------------------------------------------------------------


def test_conversion_meeting_not_before_probation_ends(tree, people):
    case = walk(open_case(tree.a), people, upto=22)
    vote = {
        "expected": 12,
        "present": 11,
        "written": 1,
        "yes": 12,
        "no": 0,
        "abstain": 0,
        "conversion": "confirm",
    }
    with pytest.raises(ValidationError) as exc:
        record(case, 23, date(2023, 6, 27), vote)
    assert "不早于2023年6月28日" in str(exc.value) and "党章第七条" in str(exc.value)
    record(case, 23, date(2023, 6, 28), vote)


@pytest.mark.parametrize(("months", "ok"), [(5, False), (6, True), (12, True), (13, False)])
def test_extension_between_six_and_twelve_months(tree, people, months, ok):
    case = walk(open_case(tree.a), people, upto=22)
    vote = {
        "expected": 12,
        "present": 11,
        "written": 1,
        "yes": 12,
        "no": 0,
        "abstain": 0,
        "conversion": "extend",
        "extension_months": months,
    }
    if ok:
        record(case, 23, date(2023, 6, 28), vote)
    else:
        with pytest.raises(ValidationError) as exc:
            record(case, 23, date(2023, 6, 28), vote)
        assert "不少于六个月、不超过一年" in str(exc.value)


def test_extension_moves_the_end_of_probation_and_repeats_the_conversion(tree, people):
    case = walk(open_case(tree.a), people, upto=22)
    vote = {"expected": 12, "present": 11, "written": 1, "yes": 12, "no": 0, "abstain": 0}
    record(case, 23, date(2023, 6, 28), dict(vote, conversion="extend", extension_months=6))
    record(case, 24, date(2023, 7, 10), {"outcome": "approve"})
    case.refresh_from_db()
    assert (case.next_step, case.next_round, case.probation_end) == (23, 2, date(2023, 12, 28))
    assert case.member.status == "probationary"
    with pytest.raises(ValidationError):
        record(case, 23, date(2023, 12, 27), dict(vote, conversion="confirm"))
    record(case, 23, date(2023, 12, 28), dict(vote, conversion="confirm"))
    record(case, 24, date(2024, 1, 5), {"outcome": "approve"})
    case.refresh_from_db()
    assert case.member.status == "full" and case.member.confirmed_on == date(2023, 12, 28)


def test_conversion_approval_within_three_months(tree, people):
    case = walk(open_case(tree.a), people, upto=23)  # 转正 支部大会 2023-06-28
    assert case.due_by == date(2023, 9, 28)
    with pytest.raises(ValidationError):
        record(case, 24, date(2023, 9, 29), {"outcome": "approve"})
    row = record(case, 24, date(2023, 9, 29), {"outcome": "approve"}, reason="党委会延期")
    assert row.overdue is True
    case.refresh_from_db()
    # FZ-01: 转正日期 is the day the 预备期 ends, not the approval day
    assert case.member.status == "full" and case.member.confirmed_on == date(2023, 6, 28)


def test_full_case_to_archive(tree, people):
    case = walk(open_case(tree.a), people, upto=25)
    assert case.completed_on == date(2023, 8, 10) and case.next_step is None
    assert case.stage_label == "已归档"
    with pytest.raises(ValidationError):
        record(case, 25, date(2023, 8, 11), {})


def test_archive_needs_the_whole_checklist(tree, people):
    case = walk(open_case(tree.a), people, upto=24)
    with pytest.raises(ValidationError) as exc:
        record(case, 25, date(2023, 8, 10), {"archive": ["application"]})
    assert "入党志愿书" in str(exc.value)
