"""The study pages in headless Chromium: the daily sheet on a phone, the district's ranking on a desktop.

One test function on purpose: a transactional test empties the database when it ends (see the report on
serialized rollback), so a second one in the same file could not rely on the seeded organisation types.
"""

from __future__ import annotations

import pytest

from zhibu.testing.browser import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_daily_sheet_on_a_phone_and_december_ranking_on_a_desktop(phone, desktop, live_server, db):
    from zhibu.demo import DemoContext
    from zhibu.demo_core import build_core
    from zhibu.study import demo

    ctx = DemoContext()
    build_core(ctx)
    demo.build(ctx)

    login(phone, live_server.url, "member", "zhibu-demo-2022")
    phone.goto(f"{live_server.url}/study/wolongshan-kg/daily/?date=2022-12-05")
    assert "2022年12月5日" in phone.locator("h2").first.inner_text()
    assert phone.locator("table.stack tbody tr").count() >= 10
    shot(phone, "phone-study-daily")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    login(desktop, live_server.url, "district", "zhibu-demo-2022")
    desktop.goto(f"{live_server.url}/study/district-edu/ranking/?month=2022-12")
    first = desktop.locator("table.stack tbody tr").first.inner_text()
    assert "卧龙山街道中心幼儿园党支部" in first and first.startswith("1")
    shot(desktop, "desktop-study-ranking")
    desktop.goto(f"{live_server.url}/study/wolongshan-kg/notes/?year=2022")
    assert "19" in desktop.locator(".stat").nth(2).inner_text()
    shot(desktop, "desktop-study-notes-summary")
