from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from zhibu.appraisal import selectors, services
from zhibu.appraisal.models import AppraisalRound, RoundRating
from zhibu.orgs import scoping

from .helpers import draft_report, final_report, open_round, participant, submitted_round

pytestmark = pytest.mark.django_db


def test_round_without_appraisers_is_refused_and_nothing_saved(tree):
    with pytest.raises(ValidationError) as exc:
        open_round(tree, appraisers=())
    assert exc.value.message_dict["appraisers"] == ["请至少指定一名评议人。"]
    assert AppraisalRound.objects.unscoped().count() == 0


def test_appraiser_must_hold_a_role_in_the_superiors_scope(tree):
    with pytest.raises(ValidationError) as exc:
        open_round(tree, appraisers=("outsider", "sec_b", "nobody"))
    messages = exc.value.message_dict["appraisers"]
    assert "以下用户不存在或已停用：nobody" in messages
    assert "以下用户在本组织范围内没有任何角色，不能担任评议人：outsider" in messages
    assert AppraisalRound.objects.unscoped().count() == 0


def test_branches_must_be_below_the_superior(tree):
    with pytest.raises(ValidationError) as exc:
        open_round(tree, branches=[tree.other_branch])
    assert "另一区丙中学党支部不是本组织下属的党支部。" in exc.value.message_dict["branches"]


def test_window_must_end_after_it_starts(tree):
    with pytest.raises(ValidationError) as exc:
        open_round(tree, opens=5, closes=1)
    assert exc.value.message_dict["closes_at"] == ["评议截止时间必须晚于开始时间。"]


def test_only_supervisors_open_rounds(tree):
    now = timezone.now()
    with pytest.raises(scoping.NotVisible):
        services.round_open(
            actor=tree.users.sec_a,
            org=tree.district,
            year=2022,
            title="x",
            opens_at=now,
            closes_at=now + timedelta(days=1),
            branches=[tree.a],
            appraisers=["sec_b"],
        )


def test_a_draft_cannot_be_submitted(tree):
    the_round = open_round(tree)
    draft = draft_report(tree)
    with pytest.raises(ValidationError, match="草稿不能提交"):
        services.round_submit(
            actor=tree.users.sec_a, participant=participant(the_round, tree.a), report=draft
        )
    with pytest.raises(ValidationError, match="尚未定稿"):
        services.round_submit(actor=tree.users.sec_a, participant=participant(the_round, tree.a))
    assert participant(the_round, tree.a).report_id is None


def test_submit_then_rate_once_only(tree):
    the_round = submitted_round(tree)
    entry = participant(the_round, tree.a)
    assert entry.report.is_final
    services.round_rate(actor=tree.users.sec_b, participant=entry, level="good", comment="扎实")
    with pytest.raises(ValidationError, match="不能重复评议"):
        services.round_rate(actor=tree.users.sec_b, participant=entry, level="poor")
    assert list(RoundRating.objects.unscoped().values_list("level", flat=True)) == ["good"]


def test_rating_outside_the_window_is_refused(tree):
    the_round = submitted_round(tree)
    entry = participant(the_round, tree.a)
    with pytest.raises(ValidationError, match="评议已截止"):
        services.round_rate(
            actor=tree.users.sec_b,
            participant=entry,
            level="good",
            now=the_round.closes_at + timedelta(minutes=1),
        )
    with pytest.raises(ValidationError, match="评议尚未开始"):
        services.round_rate(
            actor=tree.users.sec_b,
            participant=entry,
            level="good",
            now=the_round.opens_at - timedelta(minutes=1),
        )
    assert RoundRating.objects.unscoped().count() == 0


def test_non_appraiser_cannot_rate(tree):
    the_round = submitted_round(tree)
    with pytest.raises(scoping.NotVisible):
        services.round_rate(
            actor=tree.users.district, participant=participant(the_round, tree.a), level="good"
        )
    assert RoundRating.objects.unscoped().count() == 0


def test_unsubmitted_report_cannot_be_rated(tree):
    the_round = submitted_round(tree)
    with pytest.raises(ValidationError, match="尚未提交述职报告"):
        services.round_rate(actor=tree.users.sec_b, participant=participant(the_round, tree.b), level="good")


def test_ratings_hidden_until_close_then_results_published(tree):
    from zhibu.testing.factories import UserFactory, grant

    helpers = [UserFactory(username=f"app{i}") for i in range(4)]
    for user in helpers:
        grant(user, tree.b, "member")
    the_round = submitted_round(tree, appraisers=[u.username for u in helpers] + ["sec_b"])
    entry = participant(the_round, tree.a)
    for user, level in zip(
        helpers + [tree.users.sec_b], ["good", "good", "fairly_good", "average", "good"], strict=True
    ):
        services.round_rate(actor=user, participant=entry, level=level, comment=f"{user.username}意见")
    supervisor = selectors.round_access(tree.users.district, the_round.pk)
    secretary = selectors.round_access(tree.users.sec_a, the_round.pk)
    assert selectors.round_ratings(supervisor) == {} and selectors.round_ratings(secretary) == {}
    assert selectors.rating_progress(the_round) == {entry.pk: 5}
    assert entry.grade == "" and entry.counts == {}

    services.round_close(
        actor=tree.users.district,
        the_round=the_round,
        findings={entry.pk: "理论学习：学习形式单一\n台账不够规范"},
    )
    entry = participant(the_round, tree.a)
    assert entry.counts == {"good": 3, "fairly_good": 1, "average": 1, "poor": 0}
    assert entry.grade == "good"  # 3 of 5 = 60 % 好
    assert round(entry.good_share, 2) == 0.8
    secretary = selectors.round_access(tree.users.sec_a, the_round.pk)
    assert [r.level for r in selectors.round_ratings(secretary)[entry.pk]] == [
        "good",
        "good",
        "fairly_good",
        "average",
        "good",
    ]
    rows = selectors.result_rows(the_round, selectors.round_participants(secretary))
    assert [(r["org"].code, r["counts"], r["share_text"], r["grade"]) for r in rows] == [
        ("branch-a", [3, 1, 1, 0], "80.0%", "好")
    ]
    # Findings became problems in branch a's ledger.
    from zhibu.work.models import Problem

    problems = list(
        Problem.objects.unscoped()
        .filter(org=tree.a, year=2022)
        .values_list("category", "description", "source")
    )
    assert problems == [
        ("理论学习", "学习形式单一", "appraisal"),
        ("述职评议意见", "台账不够规范", "appraisal"),
    ]
    with pytest.raises(ValidationError, match="已经结束"):
        services.round_close(actor=tree.users.district, the_round=the_round)
    with pytest.raises(ValidationError, match="已结束"):
        services.round_rate(actor=tree.users.sec_b, participant=participant(the_round, tree.b), level="good")


@pytest.mark.parametrize(
    "counts, grade",
    [
        ({"good": 6, "fairly_good": 4}, "good"),
        ({"good": 5, "fairly_good": 1, "average": 4}, "fairly_good"),
        ({"good": 2, "fairly_good": 2, "average": 2, "poor": 4}, "average"),
        ({"good": 1, "average": 4, "poor": 5}, "poor"),
        ({}, ""),
    ],
)
def test_default_grading_rule(counts, grade):
    assert services.grade_for(counts, 60) == grade


def test_secretary_of_another_branch_cannot_submit(tree):
    the_round = open_round(tree)
    final_report(tree)
    with pytest.raises(scoping.NotVisible):
        services.round_submit(actor=tree.users.sec_b, participant=participant(the_round, tree.a))


def test_findings_are_written_by_the_work_app_and_need_supervision(tree):
    from zhibu.work import services as work_services
    from zhibu.work.models import Problem

    with pytest.raises(scoping.NotVisible):
        work_services.problems_from_appraisal(
            actor=tree.users.sec_b, org=tree.a, year=2022, findings=[("台账", "不够规范")]
        )
    created = work_services.problems_from_appraisal(
        actor=tree.users.district,
        org=tree.a,
        year=2022,
        findings=[("台账", "不够规范"), ("述职评议意见", "学习不深")],
    )
    assert [(p.order, p.category, p.description, p.source) for p in created] == [
        (1, "台账", "不够规范", Problem.Source.APPRAISAL),
        (2, "述职评议意见", "学习不深", Problem.Source.APPRAISAL),
    ]
