"""Judgements of issue 11: quorum, annual meetings for a year, weeks off, 启用日期, and complete machine-readable
lights — through the services and through the pages and the API."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from zhibu.orgs import scoping
from zhibu.orgs import services as org_services
from zhibu.orgs.models import Organisation, OrgBreak
from zhibu.people.models import PartyPost
from zhibu.records import services as record_services
from zhibu.records.models import Activity
from zhibu.rules import selectors, services
from zhibu.testing import factories as f

from .helpers import colours, rec

JUNE = date(2022, 6, 20)
ARTICLE_12 = "《中国共产党支部工作条例（试行）》第十二条"


@pytest.fixture(autouse=True)
def urls_loaded():
    """Load the URL conf (and the API's schemas) before any test freezes the clock."""
    reverse("api:rules_lights")


def aware(day: date, hour: int = 14) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)), timezone.get_current_timezone())


def items(org, year: int, month: int, today: date) -> dict:
    view = selectors.branch_year(actor=scoping.SYSTEM, org=org, year=year, today=today)
    return {e.rule.code: e for e in view.month(month).items}


def record(actor, org, kind_code: str, day: date, *, present=(), for_year=None, topic=""):
    return record_services.activity_record(
        actor=actor,
        org=org,
        kind=f.kind(kind_code),
        topic=topic or f"{day} {kind_code}",
        starts_at=aware(day),
        ends_at=aware(day, 15),
        for_year=for_year,
        attendance={m.pk: ("present", "") for m in present},
    )


def zb(code: str) -> int:
    return services.Requirement.objects.unscoped().get(code=code, owner__isnull=True).pk


# ---------------------------------------------------------------- 4. quorum


@pytest.fixture
def seven_full(tree):
    """Branch A with 7 正式党员: it has a 支部委员会, so a monthly 支委会 is required of it."""
    for name in ("周一", "吴二", "郑三", "冯四"):
        f.make_member(tree.a, name)


@pytest.fixture
def committee_of_four(tree, seven_full):
    tree.members.a5 = f.make_member(tree.a, "刘纪检", party_post=PartyPost.DISCIPLINE)
    return [tree.members.sec_a, tree.members.member_a, tree.members.a3, tree.members.a5]


@freeze_time("2022-03-08 20:00:00")
def test_committee_with_exactly_half_present_is_recorded_but_does_not_count(
    tree, committee_of_four, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the lights follow the record once it commits
        half = record(
            tree.users.sec_a,
            tree.a,
            "committee-meeting",
            date(2022, 3, 8),
            present=committee_of_four[:2],
            topic="三月支委会",
        )
    half.refresh_from_db()
    assert (half.committee_size, half.committee_present, half.quorum_met) == (4, 2, False)
    found = items(tree.a, 2022, 3, JUNE)["ZB-02"]
    assert (found.label, found.item.count, found.item.needed) == ("未完成", 0, 1)
    assert [r["below_quorum"] for r in found.records] == [True]
    assert found.problems == [
        f"2022年3月8日的支部委员会到会委员 2 人、支委会共 4 人，未超过半数，未达法定人数，不计入本月要求（{ARTICLE_12}："
        "支部委员会会议须有半数以上委员到会方能召开）",
        "缺少支部委员会记录：已有 0 次（另有 1 次未达法定人数，不计入），应至少 1 次，截止 2022年4月7日",
    ]
    # the stored light agrees: March closed without a lawful 支委会
    assert colours(tree.a, 2022, JUNE)[2] == "r"


@freeze_time("2022-03-08 20:00:00")
def test_committee_with_more_than_half_present_counts(tree, committee_of_four):
    record(tree.users.sec_a, tree.a, "committee-meeting", date(2022, 3, 8), present=committee_of_four[:3])
    found = items(tree.a, 2022, 3, JUNE)["ZB-02"]
    assert (found.label, found.item.count, found.problems) == ("已完成", 1, [])
    assert [r["below_quorum"] for r in found.records] == [False]


@freeze_time("2022-03-08 20:00:00")
def test_below_quorum_committee_is_shown_on_the_pages_and_left_out_of_the_report(
    tree, committee_of_four, login
):
    from zhibu.reports import assemble

    record(tree.users.sec_a, tree.a, "committee-meeting", date(2022, 3, 8), present=committee_of_four[:2])
    client = login(tree.users.sec_a)
    page = client.get(reverse("rules:branch", args=[tree.a.code]) + "?month=2022-03").content.decode()
    assert "未达法定人数" in page and ARTICLE_12 in page
    text = "".join(b["text"] for b in assemble.build(tree.users.sec_a, tree.a, 2022)["blocks"])
    assert "召开支部会" not in text  # the only 支委会 of the year was below quorum: no meeting figure at all
    record(tree.users.sec_a, tree.a, "committee-meeting", date(2022, 3, 8), present=committee_of_four[:3])
    text = "".join(b["text"] for b in assemble.build(tree.users.sec_a, tree.a, 2022)["blocks"])
    assert "全年召开支部会1次（其中支部党员大会0次、支部委员会会议1次）" in text


# ---------------------------------------------------------------- 3. annual meetings belong to a year


def _fill_december(tree):
    """Everything branch A owes in December 2022 except the annual meetings (组织生活会, 民主评议)."""
    day = date(2022, 12, 10)
    everyone = [tree.members.sec_a, tree.members.member_a, tree.members.a3, tree.members.a4]
    for code in ("committee-meeting", "theme-day", "general-meeting"):
        rec(tree.a, code, day, present=everyone, refresh=False)
    rec(tree.a, "party-lecture", day, present=everyone, speaker=tree.members.sec_a, refresh=False)
    rec(tree.a_group, "group-meeting", day, present=everyone[1:3], refresh=False)
    rec(tree.a, "heart-talk", day, present=everyone, refresh=False)
    rec(tree.a, "democratic-appraisal", date(2022, 12, 28), present=everyone)


def test_life_meeting_for_2022_held_on_2023_02_15_meets_2022(tree, django_capture_on_commit_callbacks):
    _fill_december(tree)
    # before it is held: 进行中 until the deadline, December not red for it
    found = items(tree.a, 2022, 12, date(2023, 1, 10))["ZB-08"]
    assert (found.label, found.period, found.item.deadline) == ("进行中", "2022年度", date(2023, 4, 7))
    assert found.problems == [
        "缺少2022年度组织生活会记录：须在2023年3月31日前召开（记录的所属年度填 2022 年），"
        "录入截止 2023年4月7日"
    ]
    assert colours(tree.a, 2022, date(2023, 1, 10))[11] == "o"
    with freeze_time("2023-02-15 20:00:00"), django_capture_on_commit_callbacks(execute=True):
        meeting = record(tree.users.sec_a, tree.a, "life-meeting", date(2023, 2, 15))
    assert meeting.for_year == 2022  # held in January–March: for the year before unless said otherwise
    found = items(tree.a, 2022, 12, date(2023, 2, 16))["ZB-08"]
    assert (found.label, [r["id"] for r in found.records]) == ("已完成", [meeting.pk])
    assert colours(tree.a, 2022, date(2023, 2, 16))[11] == "g"  # the record write relit 2022's December
    # and it does not count for 2023
    assert items(tree.a, 2023, 12, date(2023, 2, 16))["ZB-08"].item.count == 0


def test_life_meeting_for_2022_held_on_2023_04_02_is_late_and_none_is_red(
    tree, django_capture_on_commit_callbacks
):
    """Held after 31 March: the meeting happened, so the year is not 红 (long not held) but 黄 — the existing
    meaning of a requirement met later than its deadline (逾期); with none at all the year is red after it."""
    _fill_december(tree)
    assert colours(tree.a, 2022, date(2023, 4, 8))[11] == "r"
    with freeze_time("2023-04-02 20:00:00"), django_capture_on_commit_callbacks(execute=True):
        # held in April: the form defaults to 2023, the secretary says it is the meeting for 2022
        record(tree.users.sec_a, tree.a, "life-meeting", date(2023, 4, 2), for_year=2022)
    found = items(tree.a, 2022, 12, date(2023, 4, 10))["ZB-08"]
    assert (found.label, found.problems) == (
        "逾期召开",
        ["2023年4月2日才召开，晚于 2023年3月31日 的截止日期（逾期召开）"],
    )
    assert colours(tree.a, 2022, date(2023, 4, 10))[11] == "y"


def test_life_meeting_held_in_time_and_recorded_late_is_called_late_entry_and_the_subtree_list_says_late(
    tree,
):
    """Held on 15 March 2023 for 2022 (before its 31 March closing date) but entered on 20 April, after the
    deadline: 逾期补录 on the lights page; the superior's subtree list, which has no record dates, says 逾期完成."""
    _fill_december(tree)
    rec(tree.a, "life-meeting", date(2023, 3, 15), recorded=date(2023, 4, 20), for_year=2022)
    services.lights_refresh(org_id=tree.a.pk, months={(2022, 12)})  # the year it is for
    found = items(tree.a, 2022, 12, date(2023, 4, 25))["ZB-08"]
    assert (found.label, found.problems) == (
        "逾期补录",
        ["记录在截止日期 2023年4月7日 之后才录入（逾期补录）"],
    )
    listed = selectors.subtree_lights(
        actor=scoping.SYSTEM, root=tree.district, year=2022, month=12, today=date(2023, 4, 25)
    )
    branch_a = next(row for row in listed if row["code"] == tree.a.code)
    assert [m["state"] for m in branch_a["missing"] if m["requirement"].startswith("组织生活会")] == [
        "逾期完成"
    ]


def test_for_year_may_be_set_and_is_checked(tree):
    with freeze_time("2023-03-20 20:00:00"):
        meeting = record(tree.users.sec_a, tree.a, "life-meeting", date(2023, 3, 20), for_year=2023)
        assert meeting.for_year == 2023
        with pytest.raises(ValidationError) as exc:
            record(tree.users.sec_a, tree.a, "democratic-appraisal", date(2023, 3, 21), for_year=2021)
    assert "所属年度应为举行当年或上一年" in str(exc.value)
    assert Activity.objects.unscoped().filter(kind__code="democratic-appraisal").count() == 0
    # kinds that are not annual carry no year
    with freeze_time("2023-03-20 20:00:00"):
        assert (
            record(tree.users.sec_a, tree.a, "theme-day", date(2023, 3, 20), for_year=2022).for_year is None
        )


def test_a_superior_sets_an_earlier_closing_date(tree):
    zb08 = services.Requirement.objects.unscoped().get(code="ZB-08", owner__isnull=True)
    own = services.requirement_save(
        actor=tree.users.district,
        owner=tree.district,
        code="QX-08",
        name="组织生活会（1月底前）",
        kind=zb08.kind,
        period="year",
        min_count=1,
        closes_month=1,
        closes_day=31,
        basis="区委组织部通知",
        valid_from=date(2018, 1, 1),
        replaces=zb08,
    )
    assert own.closes_text == "次年1月31日"
    _fill_december(tree)
    rec(tree.a, "life-meeting", date(2023, 2, 15))
    found = items(tree.a, 2022, 12, date(2023, 3, 1))["QX-08"]
    assert (found.label, found.item.deadline) == ("逾期召开", date(2023, 2, 7))  # held after 31 January
    with pytest.raises(ValidationError) as exc:
        services.requirement_save(
            actor=tree.users.sec_a,
            owner=tree.a,
            code="A-08",
            name="组织生活会（4月底前）",
            kind=zb08.kind,
            period="year",
            min_count=1,
            closes_month=4,
            closes_day=30,
            basis="x",
            valid_from=date(2018, 1, 1),
            replaces=own,
        )
    assert "截止日期" in str(exc.value)


# ---------------------------------------------------------------- 6. weeks off


@pytest.fixture
def weekly(tree):
    return services.requirement_save(
        actor=tree.users.sec_a,
        owner=tree.a,
        code="ZZ-01",
        name="每周一政治学习",
        kind=f.kind("political-study"),
        period="week",
        min_count=1,
        weekday=0,
        basis="本支部“五个一”目标管理",
        valid_from=date(2022, 1, 1),
    )


def test_week_with_national_day_is_not_due_and_weeks_are_counted(tree, weekly):
    for day in (date(2022, 9, 26), date(2022, 10, 17), date(2022, 10, 24)):
        rec(tree.a, "political-study", day)
    found = items(tree.a, 2022, 10, date(2022, 11, 20))["ZZ-01"]
    assert (found.label, found.item.count, found.item.needed) == ("未完成", 3, 4)
    assert found.problems == ["本月应学 4 周，已学 3 周，缺 10月10日—16日那一周（截止 2022年10月23日）"]
    assert found.notes == ["不作要求的周：10月3日—9日（法定节假日）"]
    assert [(m["start"], m["deadline"]) for m in found.missing] == [(date(2022, 10, 10), date(2022, 10, 23))]
    api = selectors.subtree_lights(
        actor=tree.users.sec_a, root=tree.a, year=2022, month=10, today=date(2022, 11, 20)
    )
    weekly_entry = next(r for r in api[0]["requirements"] if r["requirement_id"] == weekly.pk)
    assert weekly_entry["missing"] == [
        {
            "count": 0,
            "needed": 1,
            "period_start": "2022-10-10",
            "period_end": "2022-10-16",
            "deadline": "2022-10-23",
            "text": "缺 10月10日—16日那一周",
        }
    ]
    rec(tree.a, "political-study", date(2022, 10, 10))
    found = items(tree.a, 2022, 10, date(2022, 11, 20))["ZZ-01"]
    assert (found.label, found.problems, found.notes[0]) == ("已完成", [], "本月应学 4 周，已学 4 周")


def test_district_summer_break_is_inherited_by_its_branches(tree, weekly, login):
    rec(tree.a, "political-study", date(2022, 6, 27))
    rec(tree.a, "political-study", date(2022, 7, 4))
    client = login(tree.users.district)
    response = client.post(
        reverse("orgs:breaks", args=[tree.district.code]),
        {"name": "暑假", "starts_on": "2022-07-11", "ends_on": "2022-08-28"},
    )
    assert response.status_code == 302
    july = items(tree.a, 2022, 7, date(2022, 9, 30))
    assert (july["ZZ-01"].label, july["ZZ-01"].item.needed) == ("已完成", 2)
    assert july["ZZ-01"].notes[0] == "本月应学 2 周，已学 2 周"
    assert (
        july["ZZ-01"].notes[1]
        == "不作要求的周：7月11日—17日（暑假）、7月18日—24日（暑假）、7月25日—31日（暑假）"
    )
    assert "ZZ-01" not in items(
        tree.a, 2022, 8, date(2022, 9, 30)
    )  # every week of August is inside the break
    page = login(tree.users.sec_a).get(reverse("orgs:breaks", args=[tree.a.code])).content.decode()
    assert "暑假" in page and "（上级）" in page


def test_break_denials_change_nothing(tree):
    for actor in (tree.users.sec_b, tree.users.member_a):
        with pytest.raises((scoping.NotVisible, ValidationError)):
            org_services.break_add(
                actor=actor, org=tree.a, name="寒假", starts_on=date(2022, 1, 24), ends_on=date(2022, 2, 13)
            )
    with pytest.raises(ValidationError):
        org_services.break_add(
            actor=tree.users.sec_a,
            org=tree.a,
            name="寒假",
            starts_on=date(2022, 2, 13),
            ends_on=date(2022, 1, 24),
        )
    assert OrgBreak.objects.unscoped().count() == 0


# ---------------------------------------------------------------- 7. going live mid-year


def test_months_before_the_live_date_are_not_lit_and_records_for_them_are_history(tree, seven_full):
    org_services.org_update(actor=tree.users.district, org=tree.a, live_from=date(2022, 5, 1))
    today = date(2022, 7, 20)
    rec(tree.a, "committee-meeting", date(2022, 3, 10), recorded=today)
    rec(tree.a, "general-meeting", date(2022, 4, 20), recorded=today)  # Q2 straddles the live date
    rec(tree.a, "committee-meeting", date(2022, 6, 10), recorded=today)  # after it: late as ever
    codes = colours(tree.a, 2022, today)
    assert codes[:4] == "xxxx"
    view = selectors.branch_year(actor=scoping.SYSTEM, org=tree.a, year=2022, today=today)
    assert [m.colour_label for m in view.months[:4]] == ["未启用"] * 4
    assert view.month(3).items == []
    june = {e.rule.code: e for e in view.month(6).items}
    assert june["ZB-01"].label == "已完成" and june["ZB-01"].records[0]["history"] is True
    assert june["ZB-02"].label == "逾期补录"


def test_record_form_says_before_saving_that_a_late_record_makes_the_month_yellow(tree, login):
    org_services.org_update(actor=tree.users.district, org=tree.a, live_from=date(2022, 5, 1))
    with freeze_time("2022-07-20 10:00:00"):
        page = login(tree.users.sec_a).get(reverse("records:create", args=[tree.a.code])).content.decode()
    assert (
        "现在录入 2022年6月30日 及以前举行的活动，将记为逾期补录，所属月份亮黄灯，不会变为绿灯。"
        "本组织 2022年5月1日 启用本系统，此前举行的活动作为历史资料录入，不算逾期。"
    ) in page


def test_live_date_is_set_by_the_superior_only(tree):
    with pytest.raises(scoping.NotVisible):
        org_services.org_update(actor=tree.users.sec_b, org=tree.a, live_from=date(2022, 5, 1))
    assert Organisation.objects.get(pk=tree.a.pk).live_from is None


# ---------------------------------------------------------------- 11. machine-readable lights


def test_lights_api_and_cli_give_records_missing_deadline_and_fix_link(tree, seven_full, login):
    meeting = rec(tree.a, "committee-meeting", date(2022, 3, 10), topic="三月支委会")
    response = login(tree.users.district).get(reverse("api:rules_lights") + "?org=branch-a&month=2022-03")
    assert response.status_code == 200
    branch = response.json()["organisations"][0]
    by_code = {r["requirement_id"]: r for r in branch["requirements"]}
    assert by_code[zb("ZB-02")]["records"] == [
        {
            "id": meeting.pk,
            "held_on": "2022-03-10",
            "topic": "三月支委会",
            "url": f"/records/a/{meeting.pk}/",
            "late": False,
            "counted": True,
        }
    ]
    assert by_code[zb("ZB-02")]["missing"] == [] and by_code[zb("ZB-02")]["state"] == "已完成"
    assert by_code[zb("ZB-07")]["missing"] == [
        {
            "count": 0,
            "needed": 1,
            "period_start": "2022-03-01",
            "period_end": "2022-03-31",
            "deadline": "2022-04-07",
            "text": "还差 1 次",
        }
    ]
    assert by_code[zb("ZB-07")]["fix_url"] == (
        reverse("records:create", args=["branch-a"])
        + "?kind=theme-day&month=2022-03&next=%2Frules%2Fbranch-a%2F%3Fmonth%3D2022-03"
    )
    out = StringIO()
    call_command("lights", "--org", "branch-a", "--month", "2022-03", "--json", "--user", "sec_a", stdout=out)
    assert json.loads(out.getvalue())["organisations"][0]["requirements"] == branch["requirements"]


def test_lights_api_reads_records_in_one_query_whatever_the_number_of_branches(tree):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            selectors.subtree_lights(
                actor=tree.users.district, root=tree.district, year=2022, month=3, today=JUNE
            )
        return len(ctx.captured_queries)

    rec(tree.a, "committee-meeting", date(2022, 3, 10))
    rec(tree.b, "committee-meeting", date(2022, 3, 10))
    services.relight(tree.district.path, {2022})
    queries()  # first read of the year (caches)
    two = queries()
    f.make_org("branch-c", "丙中学党支部", parent=Organisation.objects.get(pk=tree.district.pk))
    rec(Organisation.objects.get(code="branch-c"), "committee-meeting", date(2022, 3, 10))
    services.relight(tree.district.path, {2022})
    queries()
    assert queries() == two


# ---------------------------------------------------------------- the same judgements on the branch page


def test_branch_page_shows_the_year_a_meeting_is_for_the_weeks_off_and_months_not_live(tree, weekly, login):
    org_services.org_update(actor=tree.users.district, org=tree.a, live_from=date(2022, 3, 1))
    meeting = rec(tree.a, "life-meeting", date(2023, 2, 15))
    rec(tree.a, "political-study", date(2022, 10, 10))
    client = login(tree.users.sec_a)
    with freeze_time("2022-11-20 10:00:00"):
        october = client.get(reverse("rules:branch", args=[tree.a.code]) + "?month=2022-10").content.decode()
    assert "不作要求的周：10月3日—9日（法定节假日）" in october
    assert (
        "缺 9月26日—10月2日那一周（截止 2022年10月9日）、10月17日—23日那一周（截止 2022年10月30日）"
        in october
    )
    assert "1月 未启用" in october and "2月 未启用" in october and "3月 未启用" not in october
    client = login(tree.users.sec_a)  # the session aged while the clock was frozen in 2022
    response = client.get(reverse("rules:branch", args=[tree.a.code]) + "?month=2022-12")
    assert response.status_code == 200, response
    december = response.content.decode()
    assert f'<a href="/records/a/{meeting.pk}/">2023年2月15日 ' in december and "（2022年度）" in december
