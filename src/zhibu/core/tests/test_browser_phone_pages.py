"""At phone size: the Chinese error pages (403, 404, 500, CSRF), the readable audit filtered by verb, and the
small things of issue 14 (党费 in the member's menu, every report year, reminders most urgent first, the month
navigation on one line, <html lang="zh-CN">, a clear answer to a month that does not exist)."""

from __future__ import annotations

from datetime import date

import pytest

from zhibu.testing.browser import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "zhibu-demo-2022"


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _error_page(page, title: str) -> None:
    main = page.inner_text("main")
    assert title in main and "回到首页" in main, main[:300]
    assert page.locator("nav.nav").count() == 1 and page.get_attribute("html", "lang") == "zh-CN"
    assert "Not Found" not in main and "Forbidden" not in main and "Server Error" not in main
    _fits(page)


def test_error_pages_on_a_phone(phone, live_server, demo_data, settings):
    settings.ROOT_URLCONF = "zhibu.core.tests.failing_urls"
    settings.DEBUG = False
    login(phone, live_server.url, "secretary", PASSWORD)
    assert phone.goto(f"{live_server.url}/no/such/page/").status == 404
    _error_page(phone, "页面不存在")
    shot(phone, "phone-error-404")
    assert phone.goto(f"{live_server.url}/refused/").status == 403
    _error_page(phone, "无权")
    shot(phone, "phone-error-403")
    assert phone.goto(f"{live_server.url}/boom/").status == 500
    assert "系统出错了" in phone.inner_text("body")
    _fits(phone)
    shot(phone, "phone-error-500")
    # A form kept open past its token: the logout form posted with a token that no longer matches.
    phone.goto(f"{live_server.url}/home/")
    with phone.expect_navigation():
        phone.evaluate("""() => { const f = document.querySelector("form[action='/accounts/logout/']");
                                  f.querySelector("input[name=csrfmiddlewaretoken]").value = "x".repeat(64);
                                  f.submit(); }""")
    assert "页面已过期或来自其他网站" in phone.inner_text("main")
    _error_page(phone, "页面已过期")
    assert phone.inner_text("h1") == "页面已过期" and "无权进行此操作" not in phone.inner_text("main")
    shot(phone, "phone-error-csrf")


def test_the_audit_filtered_by_verb_on_a_phone(phone, live_server, demo_data):
    login(phone, live_server.url, "auditor", PASSWORD)
    phone.goto(f"{live_server.url}/audit/")
    phone.select_option("select[name=verb]", "login.succeeded")
    phone.click("button:has-text('筛选')")
    phone.wait_for_load_state("networkidle")
    entries = phone.locator(".audit-entry")
    assert entries.count() >= 1
    for i in range(entries.count()):
        assert "登录" in entries.nth(i).inner_text()
    assert "login.succeeded" not in phone.inner_text(".audit-list")
    _fits(phone)
    shot(phone, "phone-audit-verb")


def test_small_things_on_a_phone(phone, live_server, demo_data):
    login(phone, live_server.url, "member", PASSWORD)
    assert phone.get_attribute("html", "lang") == "zh-CN"
    phone.click("label.nav-button")
    assert phone.locator("nav.nav a:has-text('党费')").is_visible()
    shot(phone, "phone-member-menu")

    phone.context.clear_cookies()
    login(phone, live_server.url, "secretary", PASSWORD)
    phone.goto(f"{live_server.url}/reports/")
    assert phone.locator("a:has-text('2022年度述职报告')").count() >= 1
    _fits(phone)
    shot(phone, "phone-reports-index")

    phone.goto(f"{live_server.url}/rules/reminders/")
    deadlines = phone.locator("td[data-label='截止']").all_inner_texts()
    days = [
        date(*(int(x) for x in t.split("日")[0].replace("年", "-").replace("月", "-").split("-")))
        for t in deadlines
    ]
    assert days and days == sorted(days)  # most urgent first
    _fits(phone)
    shot(phone, "phone-reminders")

    phone.goto(f"{live_server.url}/rules/wolongshan-kg/?month=2022-10")
    parts = phone.locator("form.month-nav > *")
    boxes = [parts.nth(i).bounding_box() for i in range(parts.count())]
    assert len(boxes) == 4
    # ‹ 上月, the month, 查看, 下月 › on one line: every box spans the same band across the screen.
    assert max(b["y"] for b in boxes) < min(b["y"] + b["height"] for b in boxes)
    _fits(phone)

    response = phone.goto(f"{live_server.url}/rules/wolongshan-kg/?month=2022-13")
    assert response.status == 400
    assert "月份超出范围：2022-13（月份应为 1–12）。" in phone.inner_text("main")
    _fits(phone)
    shot(phone, "phone-bad-month")
