"""支部大会 votes (ZB-21), 公示 working days with 法定节假日 and 调休, the 2026 ruleset, and the status history."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from zhibu.development import ruleset as rs
from zhibu.development import services
from zhibu.development.models import Case, StepRecord, Vote
from zhibu.development.workdays import Calendar, national
from zhibu.orgs.scoping import SYSTEM
from zhibu.people.models import StatusEvent

from .helpers import TODAY, fill, open_case, walk


@pytest.fixture
def people(tree):
    return {"contact1": tree.members.sec_a, "contact2": tree.members.a3}


def vote(expected, present, written, yes, no, abstain, **more):
    return {
        "expected": expected,
        "present": present,
        "written": written,
        "yes": yes,
        "no": no,
        "abstain": abstain,
        **more,
    }


def assembly(case, details):
    fill(case.org, details["expected"])  # the roster holds exactly as many voters as the vote expects
    return services.step_record(
        actor=SYSTEM, case=case, step=15, on=date(2022, 6, 28), details=details, day=TODAY
    )


# -- ZB-21 -------------------------------------------------------------------------------------------------------


def test_vote_without_quorum_is_refused(tree, people):
    case = walk(open_case(tree.a), people, upto=14)
    with pytest.raises(ValidationError) as exc:
        assembly(case, vote(9, 4, 0, 4, 0, 0))
    assert "未超过应到会有表决权党员9人的半数，不能进行表决" in str(exc.value)
    assert Vote.objects.unscoped().count() == 0


def test_vote_with_bare_quorum_passes_with_bare_majority(tree, people):
    case = walk(open_case(tree.a), people, upto=14)
    row = assembly(case, vote(9, 5, 0, 5, 0, 0))
    assert row.vote.quorum and row.vote.passed
    case.refresh_from_db()
    assert case.is_open and case.next_step == 16


def test_even_expected_needs_more_than_half(tree, people):
    case = walk(open_case(tree.a), people, upto=14)
    with pytest.raises(ValidationError):
        assembly(case, vote(10, 5, 0, 5, 0, 0))


def test_written_opinions_count_as_votes(tree, people):
    case = walk(open_case(tree.a), people, upto=14)
    row = assembly(case, vote(10, 6, 2, 6, 1, 1))
    assert row.vote.passed is True  # 6 of 10 in favour, 2 of them by written opinion among the 8 cast


def test_counts_that_do_not_add_up_are_refused(tree, people):
    case = walk(open_case(tree.a), people, upto=14)
    with pytest.raises(ValidationError) as exc:
        assembly(case, vote(12, 10, 1, 9, 1, 0))
    assert "合计10票，与实到会有表决权党员数加书面意见数（11）不符" in str(exc.value)
    assert StepRecord.objects.unscoped().filter(case=case, step=15).count() == 0


def test_more_voters_than_entitled_is_refused(tree, people):
    case = walk(open_case(tree.a), people, upto=14)
    with pytest.raises(ValidationError):
        assembly(case, vote(5, 5, 1, 6, 0, 0))


def test_vote_failing_the_majority_ends_the_case(tree, people):
    case = walk(open_case(tree.a), people, upto=14)
    row = assembly(case, vote(9, 8, 0, 4, 3, 1))
    assert row.vote.passed is False
    case.refresh_from_db()
    assert case.closed_on == date(2022, 6, 28) and "未通过" in case.closed_reason
    assert case.stage_label == "已终止" and case.member.status == "candidate"


# -- working days ------------------------------------------------------------------------------------------------


def test_national_calendar_knows_holidays_and_weekend_workdays():
    cal = national(2022)
    assert cal.is_workday(date(2022, 10, 8)) is True  # Saturday, 调休上班
    assert cal.is_workday(date(2022, 10, 3)) is False  # 国庆节
    assert cal.is_workday(date(2022, 10, 15)) is False  # ordinary Saturday
    assert Calendar().count(date(2022, 9, 29), date(2022, 10, 10)) == 5


def test_organisation_override_replaces_the_national_year(tree):
    services.holidays_set(
        actor=SYSTEM, org=tree.district, year=2022, holidays=[date(2022, 9, 30)], workdays=[]
    )
    assert Calendar(tree.a).count(date(2022, 9, 29), date(2022, 10, 10)) == 7
    assert Calendar(tree.other_branch).count(date(2022, 9, 29), date(2022, 10, 10)) == 5
    services.holidays_set(actor=SYSTEM, org=tree.a, year=2022, holidays=[], workdays=[date(2022, 10, 1)])
    assert Calendar(tree.a).count(date(2022, 9, 29), date(2022, 10, 1)) == 3  # the nearest list wins
    assert Calendar(tree.b).count(date(2022, 9, 29), date(2022, 10, 1)) == 1


# -- 2026 ruleset ------------------------------------------------------------------------------------------------


def _to_candidate_2026(tree, people, start, end, on=date(2022, 10, 11)):
    case = walk(open_case(tree.a, version="2026"), people, upto=6)
    services.step_record(
        actor=SYSTEM, case=case, step=6, on=date(2022, 9, 5), details={"opinion": "表现良好"}, day=TODAY
    )
    return services.step_record(
        actor=SYSTEM,
        case=case,
        step=7,
        on=on,
        day=TODAY,
        details={"decided_by": "committee", "publicity_start": start, "publicity_end": end},
    )


def test_2026_publicity_of_four_working_days_over_national_day_is_refused(tree, people):
    with pytest.raises(ValidationError) as exc:
        _to_candidate_2026(tree, people, date(2022, 9, 29), date(2022, 10, 9))
    assert "只有4个工作日" in str(exc.value) and "应不少于5个工作日" in str(exc.value)
    assert "第十三条" in str(exc.value)


def test_2026_publicity_of_five_working_days_is_accepted(tree, people):
    row = _to_candidate_2026(tree, people, date(2022, 9, 29), date(2022, 10, 10))
    assert row.details["publicity_end"] == "2022-10-10"


def test_2026_publicity_is_required_and_must_end_before_the_decision(tree, people):
    with pytest.raises(ValidationError) as exc:
        _to_candidate_2026(tree, people, None, None)
    assert "请填写公示起止日期" in str(exc.value)
    with pytest.raises(ValidationError):
        _to_candidate_2026(tree, people, date(2022, 9, 29), date(2022, 10, 11))


def test_2014_does_not_ask_for_publicity(tree, people):
    case = walk(open_case(tree.a), people, upto=7)
    assert case.last_step == 7


def test_2026_assembly_within_a_month_of_the_pre_review(tree, people):
    from zhibu.development import plan as p

    case = walk(open_case(tree.a, version="2026"), people, upto=6)
    services.step_record(
        actor=SYSTEM, case=case, step=6, on=date(2022, 9, 5), details={"opinion": "良好"}, day=TODAY
    )
    shifted = {
        7: date(2022, 10, 12),
        8: date(2022, 10, 13),
        9: date(2022, 10, 14),
        10: date(2022, 10, 17),
        11: date(2022, 10, 18),
        12: date(2022, 10, 19),
        13: date(2022, 10, 20),
        14: date(2022, 10, 21),
    }
    for step, _, details in p.PLAN_2014:
        if step in shifted:
            if step == 7:
                details = {
                    "decided_by": "committee",
                    "publicity_start": date(2022, 9, 29),
                    "publicity_end": date(2022, 10, 10),
                }
            services.step_record(
                actor=SYSTEM,
                case=case,
                step=step,
                on=shifted[step],
                day=TODAY,
                details=p.resolve(details, people, [], lambda: 3),
            )  # 3 正式党员 in branch A
    case.refresh_from_db()
    details = vote(12, 11, 1, 12, 0, 0)
    fill(case.org, 12)
    assert case.due_by == date(2022, 11, 20)
    with pytest.raises(ValidationError) as exc:
        services.step_record(
            actor=SYSTEM, case=case, step=15, on=date(2022, 11, 21), details=details, day=TODAY
        )
    assert "第十九条" in str(exc.value)
    row = services.step_record(
        actor=SYSTEM, case=case, step=15, on=date(2022, 11, 20), details=details, day=TODAY
    )
    assert row.overdue is False


def test_2026_oath_within_a_month_of_approval(tree, people):
    case = walk(open_case(tree.a, version="2026"), people, upto=6)
    from zhibu.development import plan as p

    overrides = {
        7: (
            date(2022, 3, 22),
            {
                "decided_by": "committee",
                "publicity_start": date(2022, 3, 14),
                "publicity_end": date(2022, 3, 18),
            },
        )
    }
    for index, (step, on, details) in enumerate(p.PLAN_2014):
        if 7 <= step <= 19:
            on, details = overrides.get(index, (on, details))
            services.step_record(
                actor=SYSTEM,
                case=case,
                step=step,
                on=on,
                day=TODAY,
                details=p.resolve(details, people, [], lambda: 3),
            )  # 3 正式党员 in branch A
    case.refresh_from_db()
    assert case.due_by == date(2022, 8, 19)  # 审批 2022-07-19 + 1 month
    with pytest.raises(ValidationError) as exc:
        services.step_record(actor=SYSTEM, case=case, step=20, on=date(2022, 8, 20), details={}, day=TODAY)
    assert "第二十九条" in str(exc.value)
    services.step_record(actor=SYSTEM, case=case, step=20, on=date(2022, 8, 19), details={}, day=TODAY)


# -- ruleset choice ----------------------------------------------------------------------------------------------


def test_ruleset_by_start_date_and_by_organisation(tree):
    assert rs.for_date(date(2026, 5, 18)).version == "2014"
    assert rs.for_date(date(2026, 5, 19)).version == "2026"
    assert services.ruleset_for(tree.a, date(2026, 6, 1)).version == "2026"
    services.ruleset_choose(actor=SYSTEM, org=tree.district, version="2014")
    assert services.ruleset_for(tree.a, date(2026, 6, 1)).version == "2014"
    assert services.ruleset_for(tree.other_branch, date(2026, 6, 1)).version == "2026"
    services.ruleset_choose(actor=SYSTEM, org=tree.a, version="2026")
    assert services.ruleset_for(tree.a, date(2022, 1, 1)).version == "2026"
    assert rs.RULESET_2026.label.endswith("【待核实】")


def test_both_rulesets_have_the_25_steps_in_order():
    for rules in rs.RULESETS.values():
        assert list(rules.steps) == list(range(1, 26))
        assert [s.stage for s in rules.steps.values()] == [1] * 2 + [2] * 4 + [3] * 5 + [4] * 7 + [5] * 7
    assert rs.RULESET_2014.step(15).name == rs.RULESET_2014.step(23).name == "支部大会讨论"
    assert rs.RULESET_2014.step(11).article == "第十八条" and rs.RULESET_2026.step(11).article == "第十七条"


# -- status history ----------------------------------------------------------------------------------------------


def test_case_writes_the_status_history(tree, people):
    case = walk(open_case(tree.a), people, upto=24)
    events = list(
        StatusEvent.objects.unscoped()
        .filter(member=case.member)
        .order_by("on")
        .values_list("status", "on", "source")
    )
    assert events == [
        ("applicant", date(2020, 9, 10), "development"),
        ("activist", date(2021, 3, 15), "development"),
        ("candidate", date(2022, 3, 22), "development"),
        ("probationary", date(2022, 6, 28), "development"),
        ("full", date(2023, 6, 28), "development"),
    ]
    case.member.refresh_from_db()
    assert (case.member.joined_on, case.member.confirmed_on) == (date(2022, 6, 28), date(2023, 6, 28))


def test_probationary_only_once_approved(tree, people):
    case = walk(open_case(tree.a), people, upto=16)
    assert case.member.status == "candidate"
    case = walk(case, people, upto=17, from_step=17)
    assert case.member.status == "probationary"


def test_rejected_approval_ends_the_case_without_membership(tree, people):
    case = walk(open_case(tree.a), people, upto=16)
    services.step_record(
        actor=SYSTEM, case=case, step=17, on=date(2022, 7, 19), details={"outcome": "reject"}, day=TODAY
    )
    case.refresh_from_db()
    assert case.closed_on and case.member.status == "candidate"


def test_existing_applicant_on_the_roster_gets_a_case(tree):
    from zhibu.testing import factories as f

    applicant = f.make_member(
        tree.a, "朱晓彤", status="applicant", joined=date(2022, 11, 28), birth=date(1996, 6, 18)
    )
    applied = applicant.status_since
    case = services.case_open(actor=SYSTEM, branch=tree.a, applied_on=applied, member=applicant, day=TODAY)
    assert case.member_id == applicant.pk and case.next_step == 2
    with pytest.raises(ValidationError):
        services.case_open(actor=SYSTEM, branch=tree.a, applied_on=applied, member=applicant, day=TODAY)
    with pytest.raises(ValidationError):  # a full member cannot start a case
        services.case_open(actor=SYSTEM, branch=tree.a, applied_on=applied, member=tree.members.a3, day=TODAY)
    assert Case.objects.unscoped().count() == 1


def report_text(org) -> str:
    from zhibu.reports import assemble

    return "".join(b["text"] for b in assemble.build(SYSTEM, org, 2022)["blocks"])


def test_moving_the_assembly_into_2023_drops_a_2022_probationary(tree, people):
    def probationary_2022():
        return StatusEvent.objects.unscoped().filter(status="probationary", on__year=2022).count()

    before = probationary_2022()  # a4 (王明) joined in 2022 already
    overrides = {}
    from zhibu.development import plan as p

    for index, (step, _on, details) in enumerate(p.PLAN_2014):
        if step == 15:
            overrides[index] = (date(2022, 12, 20), details)
        elif step == 16:
            overrides[index] = (date(2023, 1, 5), details)
        elif step == 17:
            overrides[index] = (date(2023, 1, 10), details)
    case = walk(open_case(tree.a), people, upto=17, overrides=overrides)
    assert probationary_2022() == before + 1
    assert "2名入党积极分子转为预备党员" in report_text(tree.a)  # 王明 and this case
    record = StepRecord.objects.unscoped().get(case=case, step=15)
    services.step_correct(actor=SYSTEM, record=record, on=date(2023, 1, 3), day=TODAY)
    assert probationary_2022() == before
    assert "1名入党积极分子转为预备党员" in report_text(tree.a)  # the annual report follows the case
    case.member.refresh_from_db()
    assert case.member.joined_on == date(2023, 1, 3)


def test_correction_that_breaks_a_later_rule_is_refused(tree, people):
    case = walk(open_case(tree.a), people, upto=17)  # 支部大会 2022-06-28, 审批 2022-07-19
    record = StepRecord.objects.unscoped().get(case=case, step=3)
    with pytest.raises(ValidationError) as exc:  # 积极分子 later → 发展对象 2022-03-22 less than a year after
        services.step_correct(actor=SYSTEM, record=record, on=date(2021, 3, 23), day=TODAY)
    assert "第十三条" in str(exc.value)
    record.refresh_from_db()
    assert record.on == date(2021, 3, 15)
