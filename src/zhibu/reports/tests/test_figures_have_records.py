"""Every figure in the report has a record behind it: the study ranking and the meeting count (issue 11)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from zhibu.orgs import scoping
from zhibu.reports import assemble, services
from zhibu.study.models import RankingSetting, StudyPoints
from zhibu.testing import factories as f

pytestmark = pytest.mark.django_db

SENTENCE = "在上级党委12月份的学习强国排名中，本支部位列第"


def _points(tree, month: int = 12) -> list[StudyPoints]:
    rows = [
        StudyPoints(member=tree.members.sec_a, on=date(2022, month, 5), day_points=40),
        StudyPoints(member=tree.members.member_a, on=date(2022, month, 5), day_points=30),
        StudyPoints(member=tree.members.b1, on=date(2022, month, 5), day_points=10),
    ]
    return StudyPoints.objects.unscoped().bulk_create(rows)


def _rank_block(tree):
    content = assemble.build(tree.users.sec_a, tree.a, 2022)
    return next((b for b in content["blocks"] if b["key"] == "perf.study.rank"), None)


def test_ranking_sentence_when_the_superior_ranks_and_the_month_has_a_ranking(tree):
    RankingSetting.objects.unscoped().create(org=tree.district, enabled=True)
    rows = _points(tree)
    block = _rank_block(tree)
    assert block is not None and SENTENCE + "一。" in block["text"]
    fact = block["facts"][0]
    assert fact["url"] == reverse("study:ranking", args=[tree.a.code]) + "?month=2022-12"
    assert sorted(pk for _, pk in fact["refs"]) == sorted(r.pk for r in rows[:2])  # branch A's own points


def test_no_ranking_sentence_when_the_ranking_is_switched_off(tree):
    _points(tree)
    assert _rank_block(tree) is None
    RankingSetting.objects.unscoped().create(org=tree.district, enabled=False)
    assert _rank_block(tree) is None


def test_no_ranking_sentence_when_the_month_has_no_ranking(tree):
    RankingSetting.objects.unscoped().create(org=tree.district, enabled=True)
    _points(tree, month=11)  # November only: there is no December ranking
    assert _rank_block(tree) is None


def test_ranking_link_is_shown_with_the_figures_records(tree, login):
    RankingSetting.objects.unscoped().create(org=tree.district, enabled=True)
    _points(tree)
    report = services.report_start(actor=scoping.SYSTEM, org=tree.a, year=2022)
    client = login(tree.users.sec_a)
    page = client.get(reverse("reports:fact", args=[report.pk, "study_rank"])).content.decode()
    assert f'href="{reverse("study:ranking", args=[tree.a.code])}?month=2022-12"' in page
    assert client.get(reverse("study:ranking", args=[tree.a.code]) + "?month=2022-12").status_code == 200


def test_below_quorum_committee_is_not_a_meeting_of_the_report(tree):
    kept = f.make_activity(
        tree.a, "committee-meeting", date(2022, 3, 5), committee_size=3, committee_present=2
    )
    f.make_activity(tree.a, "committee-meeting", date(2022, 4, 5), committee_size=4, committee_present=2)
    content = assemble.build(tree.users.sec_a, tree.a, 2022)
    block = next(b for b in content["blocks"] if b["key"] == "perf.duty.meetings")
    assert "召开支部会1次（其中支部党员大会0次、支部委员会会议1次）" in block["text"]
    assert [pk for _, pk in block["facts"][0]["refs"]] == [kept.pk]
