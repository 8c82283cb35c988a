"""The superior's board on a phone: fifty branches, then the next ones with one tap (htmx)."""

from __future__ import annotations

from datetime import date

import pytest

from zhibu.rules import services
from zhibu.testing import factories as f
from zhibu.testing.browser import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_superior_pages_the_board_on_a_phone(phone, live_server, tree):
    from playwright.sync_api import expect

    for i in range(55):
        branch = f.make_org(f"extra-{i:02d}", f"附加党支部{i:02d}", parent=tree.district)
        f.make_activity(branch, "theme-day", date(2022, 1, 10))
    services.relight(tree.district.path, {2022})
    login(phone, live_server.url, "district", f.PASSWORD)
    phone.goto(f"{live_server.url}/rules/{tree.district.code}/board/?year=2022")
    rows = phone.locator("#board-rows > tr:not(.board-more)")
    assert rows.count() == 50
    more = phone.locator("tr.board-more a")
    assert more.inner_text().strip() == "再显示 50 个支部（已显示 50 / 57）"
    more.click()
    expect(rows).to_have_count(57)  # no string evaluation: the page's CSP forbids eval
    assert phone.locator("tr.board-more").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "phone-board-paged")
