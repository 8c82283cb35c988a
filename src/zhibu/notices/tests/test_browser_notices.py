"""Notices at phone size: the district publishes, a branch secretary reads it from her home page, the district
sees who has read it; a notice the district points the 主题党日 requirement to shows on the branch's lights."""

from __future__ import annotations

import pytest
from django.utils import timezone

from zhibu.testing.browser import PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "zhibu-demo-2022"
TITLE = "关于本月主题党日学习党章的通知"


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_publish_read_and_who_has_read_on_phones(phone, chromium, plain_http_cookies, live_server, demo_data):
    from zhibu.notices.models import Notice, NoticeRead

    login(phone, live_server.url, "district", PASSWORD)
    phone.goto(f"{live_server.url}/notices/org/district-edu/new/")
    phone.fill("input[name=title]", TITLE)
    phone.fill("textarea[name=body]", "各支部本月主题党日学习党章第三章，月底前完成。")
    _fits(phone)
    shot(phone, "phone-notice-publish")
    phone.click("button:has-text('发布')")
    phone.wait_for_load_state("networkidle")
    notice = Notice.objects.unscoped().get(title=TITLE)
    assert "阅读情况（0/" in phone.inner_text("main")

    # The district points this month's 主题党日 to the notice, from its requirements page.
    phone.goto(f"{live_server.url}/rules/district-edu/requirements/")
    row = phone.locator("tr", has=phone.locator("strong", has_text="主题党日")).first
    row.locator("select[name=notice]").select_option(str(notice.pk))
    row.locator("button:has-text('关联')").click()
    phone.wait_for_load_state("networkidle")
    assert f"已关联通知「{TITLE}」" in phone.inner_text("main")
    _fits(phone)
    shot(phone, "phone-requirement-notice")

    context = chromium.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN", device_scale_factor=2
    )
    secretary = context.new_page()
    secretary.set_default_timeout(15000)
    login(secretary, live_server.url, "secretary", PASSWORD)
    assert "未读通知（1）" in secretary.inner_text("main")
    month = timezone.localdate().strftime("%Y-%m")
    secretary.goto(f"{live_server.url}/rules/wolongshan-kg/?month={month}")
    card = secretary.locator(".check-card", has=secretary.locator("strong", has_text="主题党日")).first
    assert f"上级通知：{TITLE}" in card.inner_text()
    _fits(secretary)
    shot(secretary, "phone-lights-notice")
    card.locator(f"a:has-text('{TITLE}')").click()
    secretary.wait_for_load_state("networkidle")
    secretary.click("button:has-text('标记为已读')")
    secretary.wait_for_load_state("networkidle")
    assert "已于" in secretary.inner_text("main")
    _fits(secretary)
    shot(secretary, "phone-notice-read")
    context.close()
    assert NoticeRead.objects.unscoped().filter(notice=notice, org__code="wolongshan-kg").count() == 1

    phone.goto(f"{live_server.url}/notices/{notice.pk}/")
    status = phone.inner_text("main")
    assert "阅读情况（1/" in status and "已读" in status and "未读" in status
    _fits(phone)
    shot(phone, "phone-notice-who-read")
