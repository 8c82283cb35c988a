"""Nothing overdue disappears: a step past its date stays listed (due list, case page, branch home, CLI) with the
days overdue until done or the case ends — 预备期满 → 转正 included; windows never end before they begin."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhibu.development import selectors, services
from zhibu.orgs.scoping import SYSTEM

from .helpers import open_case, walk

PROBATION_END = date(2023, 6, 28)  # the plan's 支部大会 2022-06-28 + one year


@pytest.fixture
def people(tree):
    return {"contact1": tree.members.sec_a, "contact2": tree.members.a3}


@pytest.fixture
def probationer(tree, people):
    """朱晓彤, 预备党员 since 2022-06-28, all steps up to 21 done; nobody has recorded her 转正 application."""
    return walk(open_case(tree.a), people, upto=21)


def test_conversion_is_due_on_the_day_probation_ends(tree, probationer):
    assert (probationer.next_step, probationer.due_from, probationer.due_by) == (
        22,
        PROBATION_END,
        PROBATION_END,
    )
    items, total = selectors.due(SYSTEM, tree.a, days=30, today=PROBATION_END)
    assert total == 1 and items[0].overdue is False and items[0].days_left == 0
    assert items[0].what == "第22步 提出转正申请"


def test_probation_ended_yesterday_is_overdue_by_one_day(tree, probationer):
    items, total = selectors.due(SYSTEM, tree.a, days=30, today=PROBATION_END + timedelta(days=1))
    assert total == 1
    assert (items[0].member, items[0].overdue, items[0].days_overdue) == ("朱晓彤", True, 1)
    assert selectors.overdue_count(SYSTEM, tree.a, today=PROBATION_END + timedelta(days=1)) == 1


def test_probation_ended_three_years_ago_is_still_listed(tree, probationer):
    today = date(2026, 6, 28)
    items, total = selectors.due(SYSTEM, tree.a, days=1, today=today)
    assert total == 1 and items[0].overdue is True
    assert items[0].days_overdue == (today - PROBATION_END).days == 1096
    assert items[0].as_dict()["days_overdue"] == 1096


def test_an_overdue_step_leaves_the_list_once_done(tree, probationer):
    services.step_record(actor=SYSTEM, case=probationer, step=22, on=date(2023, 7, 2), day=date(2024, 1, 10))
    probationer.refresh_from_db()
    # 第23步: not before 预备期满, and already late (its deadline was 预备期满): no window ending before it starts
    assert (probationer.next_step, probationer.due_from, probationer.due_by) == (23, None, PROBATION_END)
    items, _ = selectors.due(SYSTEM, tree.a, days=1, today=date(2023, 7, 3))
    assert [(i.what, i.days_overdue) for i in items] == [("第23步 支部大会讨论", 5)]


def test_a_closed_case_is_not_overdue(tree, probationer):
    probationer.closed_on, probationer.closed_reason = date(2023, 7, 1), "转出"
    probationer.save()
    assert selectors.due(SYSTEM, tree.a, days=1, today=date(2026, 6, 28)) == ([], 0)


def test_dates_of_two_steps_say_which_step_they_belong_to(tree, people):
    case = walk(open_case(tree.a), people, upto=5)
    services.step_record(
        actor=SYSTEM,
        case=case,
        step=6,
        on=date(2021, 9, 10),
        details={"opinion": "良好"},
        day=date(2024, 1, 10),
    )
    case.refresh_from_db()
    assert (case.due_from, case.due_from_label) == (date(2022, 3, 15), "第7步 确定发展对象")
    assert (case.due_by, case.due_label) == (date(2022, 3, 10), "第6步 半年考察")
    items, _ = selectors.due(SYSTEM, tree.a, days=30, today=date(2022, 3, 1))
    assert (items[0].what, items[0].due_by, items[0].from_what, items[0].due_from) == (
        "第6步 半年考察",
        date(2022, 3, 10),
        "第7步 确定发展对象",
        date(2022, 3, 15),
    )


def test_case_page_dashboard_pipeline_and_cli_show_the_overdue_conversion(tree, probationer, login, capsys):
    days = (services.today() - PROBATION_END).days  # well over three years by the machine's clock
    client = login(tree.users.sec_a)
    page = client.get(reverse("development:case", args=[probationer.pk])).content.decode()
    assert f"已超期 {days} 天" in page and "第22步 提出转正申请 应于 2023-06-28 前办理" in page
    home = client.get(reverse("home:index")).content.decode()
    assert f'发展党员 朱晓彤：第22步 提出转正申请 <span class="muted">已逾期 {days} 天</span>' in home
    pipeline = client.get(reverse("development:pipeline", args=[tree.a.code])).content.decode()
    assert f"超期 {days} 天" in pipeline
    call_command("development", "due", "--org", tree.a.code, "--days", "1", "--json")
    data = json.loads(capsys.readouterr().out)
    assert [(i["member"], i["overdue"], i["days_overdue"]) for i in data["items"]] == [("朱晓彤", True, days)]


def test_refresh_command_recomputes_stored_windows(tree, probationer, capsys):
    from zhibu.development.models import Case

    Case.objects.unscoped().filter(pk=probationer.pk).update(due_by=None, due_from=None, due_label="")
    call_command("development", "refresh", "--org", tree.a.code)
    assert "已重新计算 1 件发展党员纪实" in capsys.readouterr().out
    probationer.refresh_from_db()
    assert (probationer.due_by, probationer.due_label) == (PROBATION_END, "第22步 提出转正申请")
