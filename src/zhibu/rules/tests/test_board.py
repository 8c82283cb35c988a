"""The superior's board, follow-ups, the API, the command line and the calendar feed."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from zhibu.audit.models import AuditEntry
from zhibu.rules import selectors, services
from zhibu.rules.models import FollowUp, MonthLight, Requirement
from zhibu.testing import factories as f

from .helpers import rec, with_committee


@pytest.fixture
def year_2022(tree):
    """Branch A: 支委会 missing in October and November 2022, everything else done each month; B: theme days
    only (it has neither committee nor groups), with March missing."""
    m = tree.members
    everyone = [m.sec_a, m.member_a, m.a3, m.a4]
    with_committee(tree.a)
    for month in range(1, 13):
        day = date(2022, month, 12)
        if month not in (10, 11):
            rec(tree.a, "committee-meeting", day, refresh=False)
        rec(tree.a, "theme-day", day, refresh=False)
        rec(tree.a_group, "group-meeting", day, refresh=False)
        if month % 3 == 0:
            rec(tree.a, "general-meeting", day, refresh=False)
            rec(tree.a, "party-lecture", day, speaker=m.sec_a, refresh=False)
        if month != 3:
            rec(tree.b, "theme-day", day, refresh=False)
    for code in ("life-meeting", "democratic-appraisal"):
        rec(tree.a, code, date(2022, 12, 20), refresh=False)
        rec(tree.b, code, date(2022, 12, 20), refresh=False)
    rec(tree.a, "heart-talk", date(2022, 11, 20), present=everyone, refresh=False)
    rec(tree.b, "heart-talk", date(2022, 11, 20), present=[m.b1], refresh=False)
    rec(tree.b, "party-lecture", date(2022, 12, 1), speaker=m.b1, refresh=False)
    for q in (3, 6, 9, 12):
        rec(tree.b, "general-meeting", date(2022, q, 2), refresh=False)
        rec(tree.b, "party-lecture", date(2022, q, 3), refresh=False)
    services.relight(tree.district.path, {2022})
    return tree


def test_board_shows_colours_flags_and_totals(year_2022, tree):
    data = selectors.board(actor=tree.users.district, root=tree.district, year=2022, today=date(2023, 3, 1))
    rows = {r.code: r for r in data["rows"]}
    assert rows["branch-a"].codes == "gggggggggrrg"
    assert rows["branch-b"].codes == "ggrggggggggg"
    assert rows["branch-a"].max_run == 2 and rows["branch-b"].max_run == 1
    assert data["totals"] == [
        {
            "code": "district-edu",
            "name": "直属党支部",
            "branches": 2,
            "g": 21,
            "y": 0,
            "r": 3,
            "flag2": 1,
            "flag3": 0,
            "pg": 87.5,
            "py": 0.0,
            "pr": 12.5,
        }
    ]
    flagged = selectors.board(
        actor=tree.users.district, root=tree.district, year=2022, today=date(2023, 3, 1), streak=2
    )
    assert [r.code for r in flagged["rows"]] == ["branch-a"]
    assert [
        r.code
        for r in selectors.board(
            actor=tree.users.district, root=tree.district, year=2022, today=date(2023, 3, 1), colour="red"
        )["rows"]
    ] == ["branch-a", "branch-b"]


def test_followup_is_recorded_against_a_two_in_a_row_flag_and_shown(year_2022, tree, login):
    client = login(tree.users.district)
    response = client.post(
        reverse("rules:followup_add", args=[tree.a.code]),
        {
            "year": "2022",
            "month": "11",
            "kind": "talk",
            "on": "2022-12-05",
            "note": "约谈支部书记，要求按月召开支委会",
        },
    )
    assert response.status_code == 302
    followup = FollowUp.objects.visible_to(tree.users.district, "supervise").get()
    assert (followup.month, followup.kind, followup.by_name) == (11, "talk", "区党委管理员")
    assert AuditEntry.objects.filter(verb="light.followup").count() == 1
    page = client.get(reverse("rules:branch", args=[tree.a.code]) + "?month=2022-11").content.decode()
    assert "约谈支部书记，要求按月召开支委会" in page
    board = client.get(reverse("rules:board", args=[tree.district.code]) + "?year=2022").content.decode()
    assert "已跟进 1" in board
    # not flagged in March for branch B (one red month only): refused, nothing saved
    response = client.post(
        reverse("rules:followup_add", args=[tree.b.code]),
        {"year": "2022", "month": "3", "kind": "rectify", "on": "2022-04-05", "note": "整改"},
    )
    assert response.status_code == 400
    assert "没有连续两个月亮黄灯或红灯" in response.content.decode()
    assert FollowUp.objects.visible_to(tree.users.district, "supervise").count() == 1


def test_branch_secretary_cannot_record_followups(year_2022, tree, login):
    response = login(tree.users.sec_a).post(
        reverse("rules:followup_add", args=[tree.a.code]),
        {"year": "2022", "month": "11", "kind": "talk", "on": "2022-12-05", "note": "x"},
    )
    assert response.status_code == 404
    assert FollowUp.objects.visible_to(tree.users.district, "supervise").count() == 0


def test_board_page_explains_a_cell_with_htmx(year_2022, tree, login):
    client = login(tree.users.district)
    html = client.get(
        reverse("rules:explain", args=[tree.a.code]) + "?month=2022-10", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in html
    assert "支部委员会会议每月至少一次" in html and "ZB-02" not in html
    assert "《中国共产党支部工作条例（试行）》第十二条" in html
    assert "缺少支部委员会记录：已有 0 次，应至少 1 次，截止 2022年11月7日" in html
    # The superior cannot record for the branch: it is offered a reminder to it instead of the form.
    assert "/records/branch-a/new/" not in html and "提醒支部" in html


def test_board_export_is_an_audited_xlsx(year_2022, tree, login):
    response = login(tree.users.district).get(
        reverse("rules:board_export", args=[tree.district.code]) + "?year=2022"
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["2022年亮灯"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("党支部", "代码", "所属", "1月")
    by_code = {r[1]: r for r in rows[1:]}
    assert by_code["branch-a"][12:14] == ("红灯", "红灯") and by_code["branch-a"][15] == 2
    assert AuditEntry.objects.filter(verb="light.board_export").count() == 1


def _branches(tree, n):
    for i in range(n):
        branch = f.make_org(f"extra-{i:02d}", f"附加党支部{i:02d}", parent=tree.district)
        rec(branch, "theme-day", date(2022, 1, 10), refresh=False)


BOARD_QUERIES = {}


@pytest.mark.parametrize("extra", [1, 60])
def test_board_page_query_count_does_not_grow_with_branches(tree, login, extra):
    _branches(tree, extra)  # 3 branches in the district's subtree, then 62 (two pages)
    services.relight(tree.district.path, {2021, 2022})
    client = login(tree.users.district)
    url = reverse("rules:board", args=[tree.district.code]) + "?year=2022"
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    # the same for 3 branches and for 62: session and user (and the session's save: 3), the organisation and
    # the actor's roles (scoping), the subtree, the stored colours of the year and of the previous December,
    # the page's follow-ups, whether a relight is running, the navigation's organisation
    assert len(ctx.captured_queries) == BOARD_QUERIES.setdefault("n", len(ctx.captured_queries))
    assert len(ctx.captured_queries) == 13, "\n".join(q["sql"][:150] for q in ctx.captured_queries)


def test_board_shows_fifty_branches_a_page_and_totals_for_all(tree, login):
    _branches(tree, 60)
    services.relight(tree.district.path, {2022})
    client = login(tree.users.district)
    url = reverse("rules:board", args=[tree.district.code]) + "?year=2022"
    first = client.get(url).content.decode()
    assert first.count('<td data-label="党支部">') == 50
    assert "各党支部（62 / 62）" in first
    assert "第 1 / 2 页（每页 50 个支部）" in first
    assert "再显示 50 个支部（已显示 50 / 62）" in first
    # the totals count every branch of the subtree, not only the page
    assert '<td data-label="支部">62</td>' in first
    # htmx "more": only the next page's rows, and no further "more" on the last page
    more = client.get(url + "&page=2&part=rows", HTTP_HX_REQUEST="true").content.decode()
    assert more.count('<td data-label="党支部">') == 12 and "<table" not in more and "再显示" not in more
    data = selectors.board(
        actor=tree.users.district, root=tree.district, year=2022, today=date(2023, 3, 1), page=2
    )
    assert (data["page"], data["pages"], len(data["rows"]), data["shown_count"]) == (2, 2, 12, 62)
    assert data["totals"][0]["branches"] == 62
    # a page past the end shows the last page
    assert selectors.board(actor=tree.users.district, root=tree.district, year=2022, page=9)["page"] == 2


def test_board_export_holds_every_branch_not_one_page(tree, login):
    _branches(tree, 60)
    services.relight(tree.district.path, {2022})
    response = login(tree.users.district).get(
        reverse("rules:board_export", args=[tree.district.code]) + "?year=2022"
    )
    rows = list(load_workbook(io.BytesIO(response.content))["2022年亮灯"].iter_rows(values_only=True))
    assert len(rows) == 1 + 62


def test_board_of_a_year_not_stored_is_computed_marked_and_stored_by_a_task(tree, login, tasks_dummy):
    rec(tree.b, "theme-day", date(2021, 1, 10), refresh=False)
    client = login(tree.users.district)
    url = reverse("rules:board", args=[tree.district.code]) + "?year=2021"
    html = client.get(url).content.decode()
    # shown at once, computed from the records, and written nowhere
    assert MonthLight.objects.unscoped().count() == 0
    assert "2 个党支部2021年的亮灯尚未保存" in html and html.count(">计算中</span>") == 3
    assert html.count('<a class="light light-green"') == 1  # branch B's January theme day
    # one task enqueued to store the year, however often the page is opened meanwhile
    client.get(url)
    assert [(r.task.name, r.args) for r in tasks_dummy.results] == [
        ("store_year", [tree.district.path, 2021])
    ]
    tasks_dummy.results[0].task.call(*tasks_dummy.results[0].args)
    assert MonthLight.objects.unscoped().filter(year=2021).count() == 24
    html = client.get(url).content.decode()
    assert "计算中" not in html and html.count('<a class="light light-green"') == 1


def test_lights_pages_and_api_read_without_writing(tree, login, tasks_dummy):
    rec(tree.a, "theme-day", date(2021, 3, 10), refresh=False)
    client = login(tree.users.district)
    urls = [
        reverse("rules:branch", args=[tree.a.code]) + "?month=2021-03",
        reverse("rules:explain", args=[tree.a.code]) + "?month=2021-03",
        reverse("rules:branch", args=[tree.district.code]) + "?month=2021-03",
        reverse("rules:board", args=[tree.district.code]) + "?year=2021",
        reverse("rules:board_export", args=[tree.district.code]) + "?year=2021",
        "/api/v1/rules/lights?org=district-edu&month=2021-03",
    ]
    with CaptureQueriesContext(connection) as ctx:
        for url in urls:
            assert client.get(url).status_code == 200, url
    writes = [
        q["sql"][:60]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    # the session's save, and the export's audit entry: nothing else
    assert all("django_session" in w or "audit_auditentry" in w for w in writes), writes
    assert MonthLight.objects.unscoped().count() == 0
    rows = {r["code"]: r for r in client.get(urls[-1]).json()["organisations"]}
    assert rows["branch-a"]["pending"] is True and rows["branch-a"]["colour"] == "red"  # no 支委会 in March
    # the branch pages asked for branch A's year to be stored, the committee page, the board and the API for the
    # subtree's; one task each is enough
    assert [(r.task.name, r.args) for r in tasks_dummy.results] == [
        ("relight_records", [tree.a.pk, [[2021, 1]]]),
        ("store_year", [tree.district.path, 2021]),
    ]


def test_a_stale_stored_year_is_noticed_by_the_branch_page_and_restored_by_a_task(tree, login, tasks_dummy):
    rec(tree.a, "theme-day", date(2021, 3, 10))
    MonthLight.objects.unscoped().filter(org=tree.a, year=2021, month=3).update(items=[], base="none")
    client = login(tree.users.sec_a)
    url = reverse("rules:branch", args=[tree.a.code]) + "?month=2021-03"
    client.get(url)
    assert (
        MonthLight.objects.unscoped().get(org=tree.a, year=2021, month=3).base == "none"
    )  # a GET wrote nothing
    [task] = tasks_dummy.results
    assert (task.task.name, task.args) == ("relight_records", [tree.a.pk, [[2021, 1]]])
    task.task.call(*task.args)
    assert MonthLight.objects.unscoped().get(org=tree.a, year=2021, month=3).base == "green"
    selectors_view = selectors.branch_year(actor=tree.users.sec_a, org=tree.a, year=2021)
    assert selectors_view.stale is False


def test_api_lights_lists_every_org_of_the_subtree(year_2022, tree, login):
    response = login(tree.users.district).get("/api/v1/rules/lights?org=district-edu&month=2022-10")
    assert response.status_code == 200
    rows = {r["code"]: r for r in response.json()["organisations"]}
    assert set(rows) == {"district-edu", "branch-a", "branch-a-g1", "branch-b"}
    assert rows["branch-a"]["colour"] == "red"
    assert [x["requirement"] for x in rows["branch-a"]["missing"]] == ["支部委员会会议每月至少一次"]
    assert rows["district-edu"]["summary"] == {"branches": 2, "red": 1, "yellow": 0, "green": 1}


@pytest.mark.parametrize("month", ["2022-13", "2022-00", "1999-05", "22-5", "abc"])
def test_api_month_out_of_range_is_a_clear_chinese_error(tree, login, month):
    response = login(tree.users.district).get(f"/api/v1/rules/lights?org=district-edu&month={month}")
    assert response.status_code == 422
    message = response.json()["errors"]["month"][0]
    assert message.startswith(("月份超出范围", "年份超出范围", "月份格式应为"))


def test_page_month_out_of_range_is_400_in_chinese(tree, login):
    response = login(tree.users.sec_a).get(reverse("rules:branch", args=[tree.a.code]) + "?month=2022-13")
    assert response.status_code == 400
    assert "月份超出范围：2022-13（月份应为 1–12）。" in response.content.decode()


def test_cli_lights_prints_the_subtree(year_2022, tree):
    out = io.StringIO()
    call_command("lights", "--org", "district-edu", "--month", "2022-10", stdout=out)
    text = out.getvalue()
    assert "[红] 甲幼儿园党支部（branch-a）红灯" in text
    assert "· 支部委员会会议每月至少一次：未完成，0/1，截止 2022-11-07" in text
    out = io.StringIO()
    call_command("lights", "--org", "branch-b", "--month", "2022-10", "--json", "--user", "sec_b", stdout=out)
    assert json.loads(out.getvalue())["organisations"][0]["colour"] == "green"


def test_cli_refuses_bad_month_and_foreign_org(tree):
    with pytest.raises(CommandError, match="月份超出范围"):
        call_command("lights", "--org", "district-edu", "--month", "2022-13")
    with pytest.raises(CommandError, match="党组织不存在或无权访问：other-branch"):
        call_command("lights", "--org", "other-branch", "--month", "2022-10", "--user", "sec_a")


def test_month_parser():
    assert selectors.parse_month("2022-3") == (2022, 3)
    with pytest.raises(ValidationError):
        selectors.parse_month("2022-03-01")


def test_calendar_feed_lists_what_the_branch_owes(tree, client):
    Requirement.objects.unscoped().exclude(code="ZB-07").delete()
    token = services.feed_token(actor=tree.users.member_a).token
    response = client.get(reverse("rules:ics", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:甲幼儿园党支部：主题党日（" in unfolded
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert client.get(reverse("rules:ics", args=["wrong-token"])).status_code == 404
    services.feed_token_reset(actor=tree.users.member_a)
    assert client.get(reverse("rules:ics", args=[token])).status_code == 404


def test_reminders_page_lists_owed_items(tree, login):
    Requirement.objects.unscoped().exclude(code="ZB-07").delete()
    html = login(tree.users.sec_a).get(reverse("rules:reminders")).content.decode()
    assert "主题党日每月一次" in html
    assert "/rules/ics/" in html


def test_index_sends_superiors_to_the_board_and_secretaries_to_their_branch(tree, login):
    assert login(tree.users.district).get(reverse("rules:index")).url == reverse(
        "rules:board", args=["district-edu"]
    )
    assert login(tree.users.sec_b).get(reverse("rules:index")).url == reverse(
        "rules:branch", args=["branch-b"]
    )
