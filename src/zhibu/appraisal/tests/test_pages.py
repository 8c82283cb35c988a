"""The appraisal pages: a round end to end (the steps of the browser test), 民主评议 vote, count and decide."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from zhibu.appraisal.models import AppraisalRound, RoundRating
from zhibu.reports.models import Report

from .helpers import meetings, participant

pytestmark = pytest.mark.django_db


def test_round_end_to_end_through_the_pages(tree, client):
    """The steps (and field names) of the browser test: open, submit, rate, close, results."""
    meetings(tree.a)
    now = timezone.localtime()
    client.force_login(tree.users.district)
    response = client.post(
        reverse("appraisal:round_new", args=["district-edu"]),
        {
            "year": 2022,
            "title": "2022年度党支部书记述职评议",
            "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "branches": ["branch-a"],
            "appraisers": "sec_b, auditor",
            "threshold": 60,
        },
    )
    the_round = AppraisalRound.objects.unscoped().get()
    assert response.status_code == 302 and response.url == reverse(
        "appraisal:round_detail", args=[the_round.pk]
    )

    client.force_login(tree.users.sec_a)
    start = client.post(reverse("reports:start", args=["branch-a", 2022]))
    report = Report.objects.unscoped().get()
    assert start.url == reverse("reports:detail", args=[report.pk])
    entry = participant(the_round, tree.a)
    refused = client.post(reverse("appraisal:round_submit", args=[entry.pk]))
    assert refused.status_code == 400 and "尚未定稿" in refused.content.decode()
    client.post(reverse("reports:edit", args=[report.pk]), {"text__intro": "本支部一年来的工作报告如下："})
    assert client.post(reverse("reports:finalise", args=[report.pk])).status_code == 302
    assert client.post(reverse("appraisal:round_submit", args=[entry.pk])).status_code == 302

    client.force_login(tree.users.sec_b)
    page = client.get(reverse("appraisal:round_detail", args=[the_round.pk])).content.decode()
    assert f'action="{reverse("appraisal:round_rate", args=[entry.pk])}"' in page and 'name="level"' in page
    assert (
        client.post(
            reverse("appraisal:round_rate", args=[entry.pk]), {"level": "good", "comment": "扎实"}
        ).status_code
        == 302
    )
    again = client.post(reverse("appraisal:round_rate", args=[entry.pk]), {"level": "poor"})
    assert again.status_code == 400 and RoundRating.objects.unscoped().count() == 1

    client.force_login(tree.users.district)
    before = client.get(reverse("appraisal:round_detail", args=[the_round.pk])).content.decode()
    assert "已收到评议 1 份" in before and "扎实" not in before
    closed = client.post(
        reverse("appraisal:round_close", args=[the_round.pk]), {f"findings_{entry.pk}": "台账不够规范"}
    )
    assert closed.status_code == 302
    results = client.get(reverse("appraisal:round_detail", args=[the_round.pk])).content.decode()
    assert 'id="round-results"' in results and "100.0%" in results and "扎实" in results
    xlsx = client.get(reverse("appraisal:round_xlsx", args=[the_round.pk]))
    sheet = load_workbook(io.BytesIO(xlsx.content))["评议结果"]
    assert [c.value for c in sheet[5]][:9] == ["甲幼儿园党支部", "甲书记", 1, 0, 0, 0, 1, 1, "好"]

    client.force_login(tree.users.sec_a)
    mine = client.get(reverse("appraisal:round_detail", args=[the_round.pk])).content.decode()
    assert (
        "评议结果" in mine and "好" in mine and "乙书记" not in mine
    )  # appraiser names stay with the district


def test_vote_page_field_names(tree, client):
    from .helpers import review

    r = review(tree)
    client.force_login(tree.users.member_a)
    page = client.get(reverse("appraisal:review_vote", args=[r.pk])).content.decode()
    assert (
        f'name="grade_{tree.members.a3.pk}"' in page
        and f'name="grade_{tree.members.member_a.pk}"' not in page
    )


def test_review_pages_count_and_decide(tree, client):
    from zhibu.appraisal import services
    from zhibu.appraisal.models import MemberGrade

    from .helpers import review

    r = review(tree)
    client.force_login(tree.users.member_a)
    grades = {f"grade_{m.pk}": "qualified" for m in (tree.members.sec_a, tree.members.a3, tree.members.a4)}
    assert client.post(reverse("appraisal:review_vote", args=[r.pk]), grades).status_code == 302
    services.review_count(actor=tree.users.sec_a, review=r)
    client.force_login(tree.users.sec_a)
    page = client.get(reverse("appraisal:review_detail", args=[r.pk])).content.decode()
    assert f'name="grade_{tree.members.a3.pk}"' in page and "本次最多 1 人" in page
    too_many = {f"grade_{m.pk}": "excellent" for m in (tree.members.sec_a, tree.members.member_a)}
    too_many.update({f"grade_{m.pk}": "qualified" for m in (tree.members.a3, tree.members.a4)})
    refused = client.post(reverse("appraisal:review_decide", args=[r.pk]), too_many)
    assert refused.status_code == 400 and "三分之一" in refused.content.decode()
    assert MemberGrade.objects.unscoped().count() == 0
    ok = {
        f"grade_{m.pk}": "qualified"
        for m in (tree.members.sec_a, tree.members.member_a, tree.members.a3, tree.members.a4)
    }
    assert (
        client.post(reverse("appraisal:review_decide", args=[r.pk]), {**ok, "body": "支委会"}).status_code
        == 302
    )
    history = client.get(reverse("appraisal:reviews", args=["branch-a"])).content.decode()
    assert "党员历年评议结果" in history and history.count("合格") >= 4
