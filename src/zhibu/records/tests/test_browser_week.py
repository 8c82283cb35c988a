"""The secretary's week at phone size: 扫码签到 from both sides, and a meeting form that keeps its input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from zhibu.testing.browser import PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "zhibu-demo-2022"


def test_qr_sign_in_secretary_and_member_sides(phone, chromium, live_server, demo_data):
    from zhibu.people.models import Member
    from zhibu.records.models import Attendance
    from zhibu.testing import factories as f

    org = demo_data.orgs["wolongshan-kg"]
    member = Member.objects.unscoped().get(user__username="member")
    everyone = list(Member.objects.unscoped().filter(branch=org, status__in=["full", "probationary"]))
    meeting = f.make_activity(
        org,
        "general-meeting",
        timezone.localdate() + timedelta(days=1),
        topic="扫码签到的支部党员大会",
        absent=everyone,
    )

    login(phone, live_server.url, "secretary", PASSWORD)
    phone.goto(f"{live_server.url}/records/a/{meeting.pk}/")
    phone.click("a.btn:has-text('扫码签到')")
    phone.click("button:has-text('开启扫码签到')")
    phone.wait_for_selector(".qr svg")
    link = phone.locator("section.checkin-code").get_attribute("data-url")
    shot(phone, "phone-checkin-secretary")

    other = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    member_page = other.new_page()
    taps = 0
    member_page.goto(link)  # the scan opens the code's address
    member_page.fill("input[name=username]", "member")
    member_page.fill("input[name=password]", PASSWORD)
    member_page.click("button[type=submit]")
    taps += 1
    member_page.wait_for_load_state("networkidle")
    member_page.click("button:has-text('签到')")
    taps += 1
    member_page.wait_for_selector("text=您已签到")
    shot(member_page, "phone-checkin-member")
    other.close()
    assert taps <= 2
    assert Attendance.objects.unscoped().get(activity=meeting, member=member).presence == "present"
    phone.wait_for_selector(f"text={member.name}", timeout=10000)  # the secretary's list refreshed itself
    assert "已签到 1 人" in phone.inner_text("body")


def test_meeting_form_summarises_errors_and_keeps_a_draft_across_login(phone, live_server, demo_data):
    login(phone, live_server.url, "secretary", PASSWORD)
    form_url = f"{live_server.url}/records/wolongshan-kg/new/?kind=general-meeting"
    phone.goto(form_url)
    phone.fill("input[name=topic]", "学习贯彻全会精神")
    phone.fill("input[name=starts_at]", "")
    phone.click("button[type=submit]")
    phone.wait_for_load_state("networkidle")
    summary = phone.locator(".error-summary")
    assert summary.is_visible() and "未保存" in summary.inner_text()
    assert phone.evaluate("document.activeElement.name") == "starts_at"
    shot(phone, "phone-form-errors")

    phone.goto(form_url)
    phone.fill("input[name=topic]", "一份很长的会议纪要的会议")
    phone.fill("textarea[name=content]", "这里是打了很久的纪要。")
    phone.context.clear_cookies(name="sessionid")  # the session expired while the form was open
    phone.click("button[type=submit]")
    phone.wait_for_load_state("networkidle")
    assert "/accounts/login/" in phone.url
    phone.fill("input[name=username]", "secretary")
    phone.fill("input[name=password]", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_load_state("networkidle")
    assert "/records/wolongshan-kg/new/" in phone.url
    assert phone.input_value("input[name=topic]") == "一份很长的会议纪要的会议"
    assert phone.input_value("textarea[name=content]") == "这里是打了很久的纪要。"
    assert phone.locator(".draft-note").is_visible()
    shot(phone, "phone-form-draft-restored")


def test_the_end_follows_the_start_on_a_phone(phone, live_server, demo_data):
    login(phone, live_server.url, "secretary", PASSWORD)
    phone.goto(f"{live_server.url}/records/wolongshan-kg/new/?kind=committee-meeting&month=2022-10")
    assert phone.input_value("input[name=starts_at]") == "2022-10-15T14:30"
    assert phone.input_value("input[name=ends_at]") == "2022-10-15T15:30"
    phone.focus("input[name=starts_at]")
    phone.fill("input[name=starts_at]", "2022-10-20T09:00")
    phone.dispatch_event("input[name=starts_at]", "change")
    assert phone.input_value("input[name=ends_at]") == "2022-10-20T10:00"
