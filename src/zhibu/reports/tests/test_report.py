from datetime import date

import pytest
from django.core.exceptions import ValidationError

from zhibu.orgs import scoping
from zhibu.records.models import Activity
from zhibu.reports import assemble, services
from zhibu.reports.models import Report
from zhibu.testing import factories as f

from .helpers import draft_report, meetings

pytestmark = pytest.mark.django_db


def _block(content, key):
    return next(b for b in content["blocks"] if b["key"] == key)


def _texts(content):
    return "\n".join(b["text"] for b in content["blocks"])


def test_meeting_count_comes_from_the_records(tree):
    meetings(tree.a, committee=3, general=1)
    f.make_activity(tree.a, "committee-meeting", date(2021, 12, 5))  # another year
    f.make_activity(tree.b, "committee-meeting", date(2022, 2, 5))  # another branch
    content = assemble.build(tree.users.sec_a, tree.a, 2022)
    block = _block(content, "perf.duty.meetings")
    assert "召开支部会4次（其中支部党员大会1次、支部委员会会议3次）" in block["text"]
    fact = next(x for x in block["facts"] if x["key"] == "branch_meetings")
    expected = set(
        Activity.objects.unscoped().filter(org=tree.a, held_on__year=2022).values_list("id", flat=True)
    )
    assert fact["value"] == 4 and {pk for _, pk in fact["refs"]} == expected


def test_one_more_meeting_makes_the_report_say_one_more(tree):
    meetings(tree.a, committee=3, general=1)
    assert "召开支部会4次" in _texts(assemble.build(tree.users.sec_a, tree.a, 2022))
    f.make_activity(tree.a, "committee-meeting", date(2022, 11, 5))
    assert "召开支部会5次" in _texts(assemble.build(tree.users.sec_a, tree.a, 2022))


def test_member_development_counts_status_changes_of_the_year(tree):
    # a4 became 预备党员 on 2022-06-01 (fixture); one applicant becomes an activist in 2022.
    f.make_member(tree.a, "周新", status="activist", joined=date(2024, 3, 1))  # activist on 2022-04-01
    content = assemble.build(tree.users.sec_a, tree.a, 2022)
    block = _block(content, "perf.duty.growth")
    assert (
        block["text"]
        == "2022年，1名入党积极分子转为预备党员，1名同志被确定为入党积极分子，党员队伍持续壮大。"
    )
    assert [x["value"] for x in block["facts"]] == [1, 1]


def test_theme_days_list_their_topics(tree):
    f.make_activity(tree.a, "theme-day", date(2022, 4, 15), topic="清明党员读书会")
    f.make_activity(tree.a, "theme-day", date(2022, 7, 1), topic="重温入党誓词")
    block = _block(assemble.build(tree.users.sec_a, tree.a, 2022), "perf.study.theme_days")
    assert "全年2次" in block["text"] and "“清明党员读书会”、“重温入党誓词”" in block["text"]


def test_title_author_and_date(tree):
    content = assemble.build(tree.users.sec_a, tree.a, 2022)
    assert _block(content, "title")["text"] == "2022年度组织生活会党建工作述职评议报告"
    assert _block(content, "author")["text"] == "甲幼儿园党支部书记 张文慧"
    assert _block(content, "date")["text"] == "二〇二三年三月"
    headings = [b["text"] for b in content["blocks"] if b["kind"] == "h1"]
    assert headings == ["一、履职情况", "二、存在问题", "三、下步工作计划"]


def test_problems_plans_and_last_years_follow_up_come_from_the_ledger(tree):
    from zhibu.work.models import Plan, Problem

    Problem.objects.unscoped().create(
        org=tree.a,
        year=2021,
        order=1,
        category="学习不够深入",
        description="……",
        measures="每周集体学习",
        status="in_progress",
    )
    Problem.objects.unscoped().create(
        org=tree.a, year=2022, order=1, category="党建工作缺少整体架构", description="活动碎片化。"
    )
    Problem.objects.unscoped().create(
        org=tree.a, year=2022, order=2, category="创新工作方法不够", description="缺少亮点。"
    )
    Plan.objects.unscoped().create(
        org=tree.a, year=2023, section="goal", order=1, title="立德铸魂", text="发挥政治建设统领作用。"
    )
    Plan.objects.unscoped().create(org=tree.a, year=2023, section="direction", order=1, title="突出思想引领")
    content = assemble.build(tree.users.sec_a, tree.a, 2022)
    headings = [b["text"] for b in content["blocks"] if b["kind"] == "h1"]
    assert headings == ["一、履职情况", "二、上年度问题整改情况", "三、存在问题", "四、下步工作计划"]
    texts = [b["text"] for b in content["blocks"]]
    assert "（一）党建工作缺少整体架构。活动碎片化。" in texts
    assert "（二）创新工作方法不够。缺少亮点。" in texts
    assert "（一）学习不够深入：整改中。整改措施：每周集体学习。" in texts
    assert "1.立德铸魂。发挥政治建设统领作用。" in texts and "1.突出思想引领。" in texts


def test_assembly_needs_view_of_the_organisation(tree):
    with pytest.raises(scoping.NotVisible):
        assemble.build(tree.users.sec_b, tree.a, 2022)


def test_assembly_query_count_does_not_grow_with_records(tree, django_assert_max_num_queries):
    meetings(tree.a, committee=12, general=4)
    for m in range(1, 13):
        f.make_activity(tree.a, "theme-day", date(2022, m, 15))
    with django_assert_max_num_queries(60):
        assemble.build(tree.users.sec_a, tree.a, 2022)


# ---- editing and versions -----------------------------------------------------------------------------------


def test_edit_survives_refresh_and_warns_when_its_figure_changes(tree):
    meetings(tree.a, committee=3, general=1)
    f.make_activity(tree.a, "theme-day", date(2022, 4, 15), topic="读书会")
    report = draft_report(tree)
    services.report_edit(
        actor=tree.users.sec_a,
        report=report,
        texts={"perf.duty.meetings": "全年召开支部会4次，研究了园所发展的大事。"},
    )
    f.make_activity(tree.a, "committee-meeting", date(2022, 11, 5))
    f.make_activity(tree.a, "theme-day", date(2022, 5, 15), topic="演讲")
    report = services.report_refresh(
        actor=tree.users.sec_a, report=Report.objects.unscoped().get(pk=report.pk)
    )
    meetings_block = _block(report.content, "perf.duty.meetings")
    assert meetings_block["text"] == "全年召开支部会4次，研究了园所发展的大事。"  # the secretary's words kept
    assert [(x["key"], x["value"]) for x in assemble.changed_facts(meetings_block)][0] == (
        "branch_meetings",
        5,
    )
    assert "全年2次" in _block(report.content, "perf.study.theme_days")["text"]  # unedited: regenerated
    with pytest.raises(ValidationError, match="数据已变化"):
        services.report_finalise(actor=tree.users.sec_a, report=report)
    # Saving the paragraph again acknowledges the new figures.
    services.report_edit(
        actor=tree.users.sec_a,
        report=report,
        texts={"perf.duty.meetings": "全年召开支部会5次，研究了园所发展的大事。"},
    )
    report = services.report_finalise(
        actor=tree.users.sec_a, report=Report.objects.unscoped().get(pk=report.pk)
    )
    assert report.status == "final"


def test_saving_the_generated_text_is_not_an_edit(tree):
    meetings(tree.a)
    report = draft_report(tree)
    text = _block(report.content, "perf.duty.meetings")["text"]
    report = services.report_edit(actor=tree.users.sec_a, report=report, texts={"perf.duty.meetings": text})
    assert _block(report.content, "perf.duty.meetings")["edited"] is False


def test_finalised_report_refuses_edits_and_refresh(tree):
    meetings(tree.a)
    report = services.report_finalise(actor=tree.users.sec_a, report=draft_report(tree))
    before = Report.objects.unscoped().get(pk=report.pk).content
    with pytest.raises(ValidationError, match="已定稿，不能修改"):
        services.report_edit(actor=tree.users.sec_a, report=report, texts={"intro": "改一改"})
    with pytest.raises(ValidationError, match="已定稿，不能修改"):
        services.report_refresh(actor=tree.users.sec_a, report=report)
    assert Report.objects.unscoped().get(pk=report.pk).content == before


def test_new_version_starts_from_the_final_one_with_its_edits(tree):
    meetings(tree.a)
    report = draft_report(tree)
    services.report_edit(actor=tree.users.sec_a, report=report, texts={"intro": "我们的开头。"})
    first = services.report_finalise(
        actor=tree.users.sec_a, report=Report.objects.unscoped().get(pk=report.pk)
    )
    second = services.report_start(actor=tree.users.sec_a, org=tree.a, year=2022)
    assert (second.version, second.status, second.based_on_id) == (2, "draft", first.pk)
    assert _block(second.content, "intro")["text"] == "我们的开头。"
    with pytest.raises(ValidationError, match="已有一份草稿"):
        services.report_start(actor=tree.users.sec_a, org=tree.a, year=2022)
    assert Report.objects.unscoped().filter(org=tree.a).count() == 2


def test_only_report_writers_start_drafts(tree):
    with pytest.raises(scoping.NotVisible):
        services.report_start(actor=tree.users.district, org=tree.a, year=2022)
    with pytest.raises(scoping.NotVisible):
        services.report_start(actor=tree.users.member_a, org=tree.a, year=2022)
    assert Report.objects.unscoped().count() == 0


def test_unknown_paragraph_is_refused(tree):
    report = draft_report(tree)
    with pytest.raises(ValidationError, match="没有这些段落"):
        services.report_edit(actor=tree.users.sec_a, report=report, texts={"nope": "x"})
