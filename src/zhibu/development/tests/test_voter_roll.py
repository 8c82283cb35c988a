"""应到会有表决权党员 from the roster on the meeting date: 正式党员 less 留党察看 (and 停止党籍); 预备党员 have no vote;
a secretary may lower it only with a reason and never raise it above the roster."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhibu.development import services, voters
from zhibu.development.models import StepRecord, Vote
from zhibu.orgs.scoping import SYSTEM
from zhibu.people.models import Member

from .helpers import TODAY, fill, open_case, walk

MEETING = date(2022, 6, 28)


@pytest.fixture
def people(tree):
    return {"contact1": tree.members.sec_a, "contact2": tree.members.a3}


@pytest.fixture
def nine(tree):
    """Branch A with 9 正式党员 (one of them under 留党察看 since 2022-03-01) and 1 预备党员 (王明)."""
    added = fill(tree.a, 9)
    services.discipline_record(actor=SYSTEM, member=added[0], started_on=date(2022, 3, 1))
    return added


def counts(present, written, yes, no=0, abstain=0, **more):
    return {"present": present, "written": written, "yes": yes, "no": no, "abstain": abstain, **more}


def test_roll_counts_full_members_less_discipline_and_names_probationers(tree, nine):
    roll = voters.roll(SYSTEM, tree.a, MEETING)
    assert (roll.full, roll.probationary, roll.disciplined, roll.expected) == (9, 1, [nine[0].name], 8)
    assert roll.text == (
        f"按2022年6月28日的花名册，正式党员9人，其中受留党察看处分尚未恢复党员权利1人（{nine[0].name}），"
        "应到会有表决权党员8人。另有预备党员1人，没有表决权（党章第七条），不计入。"
    )


def test_roll_is_taken_on_the_meeting_date(tree, nine):
    # before the 留党察看 began, and before 王明 became a 预备党员 (2022-06-01): 9 voters, no probationer
    roll = voters.roll(SYSTEM, tree.a, date(2022, 2, 1))
    assert (roll.full, roll.probationary, roll.expected) == (9, 0, 9)
    Member.objects.unscoped().filter(pk=nine[1].pk).update(left_on=date(2022, 6, 1))
    assert voters.roll(SYSTEM, tree.a, MEETING).expected == 7  # left the branch before the meeting
    assert voters.roll(SYSTEM, tree.a, date(2022, 5, 31)).full == 9


def test_suspended_member_has_no_vote(tree, nine):
    Member.objects.unscoped().filter(pk=nine[2].pk).update(standing=Member.Standing.SUSPENDED)
    roll = voters.roll(SYSTEM, tree.a, MEETING)
    assert roll.expected == 7 and roll.suspended == [nine[2].name]


def test_empty_expected_is_derived_and_the_derivation_kept(tree, people, nine):
    case = walk(open_case(tree.a), people, upto=14)
    row = services.step_record(
        actor=SYSTEM, case=case, step=15, on=MEETING, details=counts(5, 0, 5), day=TODAY
    )
    vote = row.vote
    assert (vote.expected, vote.roster_expected, vote.expected_reason) == (8, 8, "")
    assert vote.derivation.startswith("按2022年6月28日的花名册，正式党员9人，其中受留党察看处分")
    assert vote.quorum and vote.passed  # 5 of 8: more than half present, more than half in favour


def test_quorum_and_majority_are_judged_against_the_roster(tree, people, nine):
    case = walk(open_case(tree.a), people, upto=14)
    with pytest.raises(ValidationError) as exc:  # 4 of 8 is not more than half
        services.step_record(actor=SYSTEM, case=case, step=15, on=MEETING, details=counts(4, 0, 4), day=TODAY)
    assert "实到会有表决权党员4人，未超过应到会有表决权党员8人的半数，不能进行表决" in str(exc.value)
    assert "《中国共产党发展党员工作细则》（2014年版）第二十条、第二十一条" in str(exc.value)
    assert Vote.objects.unscoped().count() == 0


def test_expected_above_the_roster_is_refused(tree, people, nine):
    case = walk(open_case(tree.a), people, upto=14)
    with pytest.raises(ValidationError) as exc:
        services.step_record(
            actor=SYSTEM,
            case=case,
            step=15,
            on=MEETING,
            day=TODAY,
            details=counts(9, 0, 9, expected=10, expected_reason="都来了"),
        )
    message = str(exc.value)
    assert (
        "应到会有表决权党员数（10）不能超过花名册计算的人数" in message and "应到会有表决权党员8人" in message
    )
    assert StepRecord.objects.unscoped().filter(case=case, step=15).count() == 0


def test_lower_expected_needs_a_reason(tree, people, nine):
    case = walk(open_case(tree.a), people, upto=14)
    with pytest.raises(ValidationError) as exc:
        services.step_record(
            actor=SYSTEM, case=case, step=15, on=MEETING, day=TODAY, details=counts(4, 0, 4, expected=7)
        )
    assert "少于花名册计算的8人，请说明更正理由" in str(exc.value)
    assert StepRecord.objects.unscoped().filter(case=case, step=15).count() == 0
    row = services.step_record(
        actor=SYSTEM,
        case=case,
        step=15,
        on=MEETING,
        day=TODAY,
        details=counts(4, 0, 4, expected=7, expected_reason="一名党员已出国定居，正办理停止党籍"),
    )
    assert (row.vote.expected, row.vote.roster_expected) == (7, 8)
    assert row.vote.expected_reason == "一名党员已出国定居，正办理停止党籍"


def test_correcting_the_date_derives_the_count_again(tree, people, nine):
    case = walk(open_case(tree.a), people, upto=14)
    row = services.step_record(
        actor=SYSTEM, case=case, step=15, on=MEETING, details=counts(5, 0, 5), day=TODAY
    )
    services.discipline_record(actor=SYSTEM, member=nine[1], started_on=date(2022, 6, 29))
    services.step_correct(actor=SYSTEM, record=row, on=date(2022, 6, 30), day=TODAY)
    row.refresh_from_db()
    assert (row.details["expected"], row.vote.expected, row.vote.roster_expected) == (7, 7, 7)


def test_advance_page_shows_the_derivation(tree, people, nine, login):
    case = walk(open_case(tree.a), people, upto=14)
    client = login(tree.users.sec_a)
    response = client.post(
        reverse("development:advance", args=[case.pk]),
        {"step": 15, "on": "2022-06-28", "present": 9, "written": 0, "yes": 9, "no": 0, "abstain": 0},
    )
    page = response.content.decode()
    assert response.status_code == 400  # 9 present but only 8 may vote
    assert "按2022年6月28日的花名册，正式党员9人，其中受留党察看处分尚未恢复党员权利1人" in page
    assert "应到会有表决权党员8人" in page and StepRecord.objects.unscoped().filter(step=15).count() == 0
    response = client.post(
        reverse("development:advance", args=[case.pk]),
        {"step": 15, "on": "2022-06-28", "present": 8, "written": 0, "yes": 7, "no": 1, "abstain": 0},
    )
    assert response.status_code == 302
    page = client.get(reverse("development:case", args=[case.pk])).content.decode()
    assert "应到会有表决权党员8人。另有预备党员1人，没有表决权" in page


def test_api_reports_the_derivation(tree, people, nine, login):
    case = walk(open_case(tree.a), people, upto=14)
    client = login(tree.users.sec_a)
    response = client.post(
        reverse("api:development_step_record", args=[case.pk]),
        {"step": 15, "on": "2022-06-28", "details": counts(6, 1, 6, abstain=1)},
        content_type="application/json",
    )
    assert response.status_code == 201
    vote = client.get(reverse("api:development_case", args=[case.pk])).json()["steps"][-1]["vote"]
    assert (vote["expected"], vote["roster_expected"], vote["passed"]) == (8, 8, True)
    assert vote["derivation"].endswith("另有预备党员1人，没有表决权（党章第七条），不计入。")
