from __future__ import annotations

from datetime import date

import pytest

from zhibu.orgs import scoping
from zhibu.orgs.scoping import NotVisible
from zhibu.testing import factories as f
from zhibu.work import selectors
from zhibu.work.models import Problem

from . import factories as wf


@pytest.fixture
def year(tree):
    """A small year of branch-a's work, plus noise that must not count (other years, other branches)."""
    a, members = tree.a, tree.members
    training = f.make_activity(a, "training", date(2022, 8, 20), topic="师德师风培训")
    wf.service(a, date(2022, 3, 1))
    wf.service(a, date(2022, 12, 31))
    wf.service(a, date(2021, 12, 31))  # other year
    wf.service(tree.b, date(2022, 5, 1))  # other branch
    wf.publicity(a, "学习强国", date(2022, 1, 1))
    wf.publicity(a, "学习强国", date(2022, 6, 1), status="submitted")
    wf.publicity(a, "视频号", date(2022, 6, 2))
    wf.publicity(a, "日照教育发布", date(2022, 10, 9), title="红心向党 倾情幼教")
    wf.publicity(a, "日照数字报", date(2022, 10, 10), title="红心向党 倾情幼教")
    wf.publicity(a, "日照数字报", date(2022, 10, 11), title="未采用的稿件", status="submitted")
    wf.publicity(a, "学习强国", date(2023, 1, 1))
    p1 = wf.pair(a, members.sec_a, date(2021, 9, 1))  # still active
    p2 = wf.pair(a, members.member_a, date(2022, 9, 1), date(2023, 6, 30))
    wf.pair(a, members.a3, date(2020, 9, 1), date(2021, 7, 1))  # ended before 2022
    wf.lesson(p1, date(2022, 11, 8))
    wf.lesson(p2, date(2022, 11, 15))
    wf.lesson(p2, date(2022, 5, 15))
    wf.post(a, members.a3, date(2022, 3, 1))
    team = wf.team(a, "巾帼宣讲小组", [members.sec_a, members.member_a, members.a3], leader=members.sec_a)
    wf.talk(team, date(2022, 11, 1), "让青春闪光", [members.member_a])
    wf.talk(team, date(2021, 11, 1), "旧宣讲")
    wf.award(team, date(2022, 12, 5))
    wf.selection(a, date(2022, 6, 1), "温馨班级", ["大一班", "中二班"])
    wf.selection(a, date(2022, 9, 1), "最美教师", [members.a3])
    wf.reflection(a, members.a3, training, "有光自思想来。abc")  # 6 han
    wf.reflection(a, members.member_a, training, "学习心得十个汉字整整")  # 10 han
    wf.space(a, "党员活动室", date(2021, 5, 1))
    wf.space(a, "教师书屋")
    wf.space(a, "新阵地", date(2023, 2, 1))
    return tree


def test_year_figures_exact_values(year):
    result = selectors.year_figures(year.users.sec_a, year.a, 2022)
    values = result["values"]
    assert values["service_count"] == 2
    assert values["publicity_by_platform"] == {"学习强国": 2, "视频号": 1, "日照教育发布": 1, "日照数字报": 2}
    assert values["publicity_national_study"] == 2
    assert values["publicity_other"] == 4
    assert values["publicity_total"] == 6
    assert values["local_media_titles"] == ["红心向党 倾情幼教"]
    assert values["mentoring_pairs"] == 2
    assert values["showcase_lessons"] == [(5, 1), (11, 2)]
    assert values["showcase_months"] == {5, 11}
    assert values["showcase_lesson_count"] == 3
    assert values["model_posts"] == 1
    [team] = values["propaganda_teams"]
    assert team["name"] == "巾帼宣讲小组"
    assert team["leader"] == "张文慧"
    assert sorted(team["members"]) == ["张文慧", "李慧欣", "陶俊颖"]
    assert [t["title"] for t in team["talks"]] == ["让青春闪光"]
    assert team["talks"][0]["speakers"] == ["李慧欣"]
    assert [(a["level"], a["prize"]) for a in team["awards"]] == [("区级", "优秀奖")]
    assert [(s["name"], s["winners"]) for s in values["selections"]] == [("温馨班级", 2), ("最美教师", 1)]
    assert values["selections"][1]["winner_names"] == ["陶俊颖"]
    assert values["reflection_count"] == 2
    assert values["reflection_chars"] == 16
    assert values["spaces"] == ["党员活动室", "教师书屋"]


def test_year_figures_sources_name_the_records(year):
    sources = selectors.year_figures(scoping.SYSTEM, year.a, 2022)["sources"]
    assert len(sources["service_count"]) == 2
    assert {label for label, _ in sources["publicity_national_study"]} == {"work.publicity"}
    assert len(sources["publicity_other"]) == 4
    assert len(sources["local_media_titles"]) == 2
    labels = [label for label, _ in sources["propaganda_teams"]]
    assert labels == ["work.propagandateam", "work.teamtalk", "work.teamaward"]


def test_adding_one_record_changes_the_figure(year):
    before = selectors.year_figures(scoping.SYSTEM, year.a, 2022)["values"]["service_count"]
    wf.service(year.a, date(2022, 7, 7))
    after = selectors.year_figures(scoping.SYSTEM, year.a, 2022)["values"]["service_count"]
    assert (before, after) == (2, 3)


def test_year_figures_out_of_scope_is_404(year):
    with pytest.raises(NotVisible):
        selectors.year_figures(year.users.sec_b, year.a, 2022)
    with pytest.raises(NotVisible):
        selectors.year_figures(year.users.member_a, year.a, 2022)


def test_year_figures_query_count(year, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        selectors.year_figures(year.users.district, year.a, 2022)


def test_problems_and_previous_year(tree):
    wf.problem(
        tree.a, 2021, "学习不深", status=Problem.Status.DONE, evidence="已整改", closed_on=date(2022, 3, 1)
    )
    wf.problem(tree.a, 2022, "架构不全", order=1)
    wf.problem(tree.a, 2022, "实效不足", order=2, status=Problem.Status.IN_PROGRESS)
    wf.problem(tree.b, 2022, "别的支部")
    rows = selectors.problems(tree.users.sec_a, tree.a, 2022)
    assert [(r["category"], r["status_label"]) for r in rows] == [
        ("架构不全", "未整改"),
        ("实效不足", "整改中"),
    ]
    previous = selectors.previous_year_problems(tree.users.sec_a, tree.a, 2022)
    assert [(r["category"], r["status"], r["closed_on"]) for r in previous] == [
        ("学习不深", "done", date(2022, 3, 1))
    ]
    assert selectors.problem_status_counts(tree.users.sec_a, tree.a, 2022) == {
        "open": 1,
        "in_progress": 1,
        "done": 0,
    }


def test_plans_goals_before_directions(tree):
    wf.plan(tree.a, 2023, "direction", 1, "思想引领", progress=40)
    wf.plan(tree.a, 2023, "goal", 2, "强基固本")
    wf.plan(tree.a, 2023, "goal", 1, "立德铸魂", progress=100)
    rows = selectors.plans(tree.users.sec_a, tree.a, 2023)
    assert [(r["section_label"], r["title"], r["progress_label"]) for r in rows] == [
        ("工作目标", "立德铸魂", "已完成"),
        ("工作目标", "强基固本", "未开始"),
        ("工作方向", "思想引领", "进行中"),
    ]
    assert selectors.plan_progress(tree.users.sec_a, tree.a, 2023) == 47
    assert selectors.plan_progress(tree.users.sec_a, tree.a, 2024) is None
