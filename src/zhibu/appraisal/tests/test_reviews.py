import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhibu.appraisal import selectors, services
from zhibu.appraisal.models import MemberGrade, ReviewBallot, ReviewVoter
from zhibu.orgs import scoping
from zhibu.testing import factories as f

from .helpers import review

pytestmark = pytest.mark.django_db


def _everyone(tree, grade="qualified", **special):
    members = [tree.members.sec_a, tree.members.member_a, tree.members.a3, tree.members.a4]
    return {m.pk: special.get(m.name, grade) for m in members}


def test_ballots_are_anonymous_and_once_only(tree):
    r = review(tree)
    services.review_vote(actor=tree.users.member_a, review=r, grades=_everyone(tree, 陶俊颖="excellent"))
    assert ReviewVoter.objects.unscoped().filter(review=r).count() == 1
    ballot_fields = {field.name for field in ReviewBallot._meta.get_fields()}
    assert ballot_fields == {"id", "review", "subject", "grade"}  # no voter, no time
    assert ReviewBallot.objects.unscoped().filter(review=r).count() == 3  # not for oneself
    with pytest.raises(ValidationError, match="不能重复投票"):
        services.review_vote(actor=tree.users.member_a, review=r, grades=_everyone(tree))
    assert ReviewBallot.objects.unscoped().filter(review=r).count() == 3


def test_vote_must_rate_everyone_else(tree):
    r = review(tree)
    grades = _everyone(tree)
    grades.pop(tree.members.a3.pk)
    with pytest.raises(ValidationError, match="还有 1 名党员未评价"):
        services.review_vote(actor=tree.users.member_a, review=r, grades=grades)
    assert ReviewVoter.objects.unscoped().count() == 0 and ReviewBallot.objects.unscoped().count() == 0


def test_only_members_of_the_branch_vote(tree):
    r = review(tree)
    with pytest.raises(scoping.NotVisible):
        services.review_vote(actor=tree.users.district, review=r, grades=_everyone(tree))
    with pytest.raises(scoping.NotVisible):
        services.review_vote(actor=tree.users.sec_b, review=r, grades=_everyone(tree))


def test_tally_hidden_while_voting_then_counted(tree):
    r = review(tree)
    services.review_vote(actor=tree.users.member_a, review=r, grades=_everyone(tree, 陶俊颖="excellent"))
    services.review_vote(actor=tree.users.sec_a, review=r, grades=_everyone(tree, 陶俊颖="excellent"))
    assert selectors.review_tally(tree.users.sec_a, r) == []
    r = services.review_count(actor=tree.users.sec_a, review=r)
    rows = {row["member"].name: row for row in selectors.review_tally(tree.users.sec_a, r)}
    assert rows["陶俊颖"]["counts"] == [2, 0, 0, 0] and rows["陶俊颖"]["suggested"] == "excellent"
    assert rows["张文慧"]["counts"] == [0, 1, 0, 0]
    with pytest.raises(ValidationError, match="自评互评已经结束"):
        services.review_self_assess(actor=tree.users.member_a, review=r, text="补写")


def test_excellent_at_most_one_third(tree):
    r = services.review_count(actor=tree.users.sec_a, review=review(tree))
    with pytest.raises(ValidationError, match="不能超过参评党员的三分之一（4 人中最多 1 人），现为 2 人"):
        services.review_decide(
            actor=tree.users.sec_a, review=r, grades=_everyone(tree, 陶俊颖="excellent", 李慧欣="excellent")
        )
    assert MemberGrade.objects.unscoped().count() == 0
    services.review_decide(actor=tree.users.sec_a, review=r, grades=_everyone(tree, 陶俊颖="excellent"))
    history = {
        g.member.name: g.get_grade_display() for g in selectors.member_grades(tree.users.sec_a, tree.a)
    }
    assert history == {"陶俊颖": "优秀", "张文慧": "合格", "李慧欣": "合格", "王明": "合格"}


def test_decision_needs_counting_first_and_the_committee(tree):
    r = review(tree)
    with pytest.raises(ValidationError, match="请先结束互评并计票"):
        services.review_decide(actor=tree.users.sec_a, review=r, grades=_everyone(tree))
    with pytest.raises(scoping.NotVisible):
        services.review_count(actor=tree.users.member_a, review=r)


def test_self_assessment_saved_and_replaced(tree):
    r = review(tree)
    services.review_self_assess(actor=tree.users.member_a, review=r, text="认真学习。")
    services.review_self_assess(actor=tree.users.member_a, review=r, text="认真学习，积极工作。")
    state = selectors.review_state(tree.users.member_a, r)
    assert state["my_self"].text == "认真学习，积极工作。" and len(state["self_assessments"]) == 1


def test_one_review_a_year(tree):
    review(tree)
    with pytest.raises(ValidationError, match="已经开始"):
        review(tree)


def test_members_who_left_do_not_take_part(tree):
    gone = f.make_member(tree.a, "离开者")
    type(gone).objects.unscoped().filter(pk=gone.pk).update(left_on="2022-05-01")
    r = review(tree)
    assert [m.name for m in services.eligible_members(tree.users.sec_a, r)].count("离开者") == 0


def _vote_api(client, r, grades: dict):
    return client.post(
        reverse("api:appraisal_review_vote", args=[r.pk]),
        data=json.dumps({"grades": {str(pk): grade for pk, grade in grades.items()}}),
        content_type="application/json",
    )


def test_the_api_refuses_an_unknown_grade_with_the_grades_listed_and_keeps_no_ballot(tree, login):
    r = review(tree)
    response = _vote_api(login(tree.users.member_a), r, _everyone(tree, 陶俊颖="great"))
    assert response.status_code == 422
    assert response.json()["errors"] == {
        f"grades.{tree.members.a3.pk}": ["须为以下之一：excellent、qualified、basic、unqualified。"]
    }
    assert ReviewVoter.objects.unscoped().count() == 0 and ReviewBallot.objects.unscoped().count() == 0


def test_the_api_takes_a_ballot(tree, login):
    r = review(tree)
    response = _vote_api(login(tree.users.member_a), r, _everyone(tree, 陶俊颖="excellent"))
    assert (response.status_code, response.json()) == (200, {"voted": True})
    assert ReviewBallot.objects.unscoped().filter(review=r, grade="excellent").count() == 1
