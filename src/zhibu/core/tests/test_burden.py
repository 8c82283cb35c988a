"""The secretary's main tasks at phone size, measured: taps, typed fields and page loads (`make bench` prints
them as burden_<task>_*). Each journey also holds its target."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from zhibu.testing.browser import PHONE, login, shot
from zhibu.testing.burden import Burden

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "zhibu-demo-2022"


def test_record_a_general_meeting_with_one_leave(phone, live_server, demo_data):
    from zhibu.records.models import Activity

    login(phone, live_server.url, "secretary", PASSWORD)  # lands on the home page
    b = Burden(phone, "meeting_leave")
    b.tap("a:has-text('记录支部党员大会')")
    b.settle()
    b.type("input[name=topic]", "学习贯彻全会精神")
    b.tap("button[data-check-all=present]")
    reason = phone.locator(".attendance-row >> nth=0 >> input[name^=reason_]")
    assert not reason.is_visible()  # a reason box only for 请假
    b.check(".attendance-row >> nth=0 >> input[type=radio][value=leave]")
    assert reason.is_visible()
    b.type(".attendance-row >> nth=0 >> input[name^=reason_]", "外出培训")
    b.tap("button:has-text('保存记录')")
    b.settle()
    figures = b.record()
    saved = Activity.objects.unscoped().get(topic="学习贯彻全会精神")
    assert saved.expected_count - saved.present_count == 1
    assert figures["taps"] <= 5 and figures["fields"] <= 2


def test_qr_sign_in_both_sides(phone, chromium, live_server, demo_data):
    from zhibu.people.models import Member
    from zhibu.testing import factories as f

    org = demo_data.orgs["wolongshan-kg"]
    everyone = list(Member.objects.unscoped().filter(branch=org, status__in=["full", "probationary"]))
    meeting = f.make_activity(
        org, "general-meeting", timezone.localdate() + timedelta(days=1), absent=everyone
    )
    login(phone, live_server.url, "secretary", PASSWORD)
    phone.goto(f"{live_server.url}/records/a/{meeting.pk}/")
    secretary = Burden(phone, "qr_secretary")
    secretary.tap("a.btn:has-text('扫码签到')")
    secretary.tap("button:has-text('开启扫码签到')")
    phone.wait_for_selector(".qr svg")
    link = phone.locator("section.checkin-code").get_attribute("data-url")
    secretary.record()

    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    page.goto(link)  # the scan
    member = Burden(page, "qr_member")
    member.type("input[name=username]", "member")
    member.type("input[name=password]", PASSWORD)
    member.tap("button[type=submit]")
    member.settle()
    member.tap("button:has-text('签到')")
    page.wait_for_selector("text=您已签到")
    figures = member.record()
    context.close()
    assert figures["taps"] <= 2


def test_fix_one_missing_record_from_the_lights_page(phone, live_server, demo_data):
    from zhibu.records.models import Activity

    org = demo_data.orgs["wolongshan-kg"]
    Activity.objects.unscoped().filter(
        org=org, kind__code="committee-meeting", held_on__year=2022, held_on__month=10
    ).delete()
    login(phone, live_server.url, "secretary", PASSWORD)
    phone.goto(f"{live_server.url}/rules/wolongshan-kg/?month=2022-10")
    b = Burden(phone, "fix_month")
    b.tap(".check-card a:has-text('去录入支部委员会')")
    b.settle()
    b.type("input[name=topic]", "补记十月支委会")
    b.tap("button[data-check-all=present]")
    b.tap("button:has-text('保存记录')")
    b.settle()
    figures = b.record()
    assert "/rules/wolongshan-kg/" in phone.url and "month=2022-10" in phone.url
    assert "10月：支部委员会 已补录（逾期，" in phone.inner_text("body")
    shot(phone, "phone-fix-message")
    saved = Activity.objects.unscoped().get(topic="补记十月支委会")
    assert saved.held_on.month == 10
    assert figures["taps"] <= 4 and figures["fields"] <= 1


def test_produce_the_annual_report_docx(phone, live_server, demo_data):
    login(phone, live_server.url, "secretary", PASSWORD)
    phone.goto(f"{live_server.url}/reports/")
    b = Burden(phone, "annual_report")
    b.tap("a:has-text('2022年度述职报告')")
    b.settle()
    b.tap("button:has-text('生成报告草稿')")
    b.settle()
    with phone.expect_download() as download:
        b.tap("a:has-text('导出 Word')")
    assert download.value.suggested_filename.endswith(".docx")
    b.record()


def test_import_a_roster(phone, live_server, demo_data, tmp_path):
    from openpyxl import Workbook

    from zhibu.people import idnumber
    from zhibu.people.models import Member

    book = Workbook()
    sheet = book.active
    sheet.append(
        ["2023年卧龙山中心幼儿园党员名册"]
    )  # a title row above the headers, as secretaries keep them
    sheet.append(["姓名", "公民身份号码", "民族", "人员类别", "入党日期", "转正日期"])
    sheet.append(
        [
            "新来的党员",
            idnumber.make("371102", date(1990, 5, 6), 31),
            "汉族",
            "正式党员",
            "2015-06-01",
            "2016-06-01",
        ]
    )
    path = tmp_path / "名册.xlsx"
    book.save(path)
    login(phone, live_server.url, "secretary", PASSWORD)
    phone.goto(f"{live_server.url}/people/org/wolongshan-kg/")
    b = Burden(phone, "roster_import")
    b.tap("a:has-text('从 Excel 导入')")
    b.settle()
    b.choose_file("input[type=file]", str(path))
    b.tap("button:has-text('校验并导入')")
    b.settle()
    b.record()
    assert Member.objects.unscoped().filter(name="新来的党员").exists(), phone.inner_text("main")[:500]


def test_record_a_development_step_with_its_vote(phone, live_server, demo_data):
    """朱晓彤's 支部大会 discusses her 转正: the meeting day, the vote and the decision."""
    from zhibu.development import services as development
    from zhibu.development import voters
    from zhibu.development.models import Case, StepRecord
    from zhibu.orgs.scoping import SYSTEM

    case = Case.objects.unscoped().get(member__name="朱晓彤")
    development.step_record(
        actor=SYSTEM, case=case, step=22, on=date(2023, 6, 12), details={"content": "本人提出书面转正申请。"}
    )
    voting = voters.roll(SYSTEM, case.org, date(2023, 6, 30)).full
    login(phone, live_server.url, "secretary", PASSWORD)
    phone.goto(f"{live_server.url}/development/case/{case.pk}/")
    b = Burden(phone, "development_vote")
    b.tap("#advance")
    b.settle()
    b.type("input[name=on]", "2023-06-30")
    b.type("input[name=present]", str(voting))
    b.type("input[name=written]", "0")
    b.type("input[name=yes]", str(voting))
    b.type("input[name=no]", "0")
    b.type("input[name=abstain]", "0")
    b.choose("select[name=conversion]", "confirm")
    b.tap("#advance-form button[type=submit]")
    b.settle()
    figures = b.record()
    step = StepRecord.objects.unscoped().get(case=case, step=23)
    assert step.details["yes"] == voting and step.details["conversion"] == "confirm", phone.inner_text(
        "main"
    )[:800]
    assert figures == {"taps": 4, "fields": 6, "pages": 2}
