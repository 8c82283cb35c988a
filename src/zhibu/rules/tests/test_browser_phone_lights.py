"""The lights page on a phone: cards, nothing wider than the screen; the board as a compact list."""

from __future__ import annotations

import pytest

from zhibu.testing.browser import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_lights_page_fits_a_phone(phone, live_server, demo_data):
    login(phone, live_server.url, "secretary", "zhibu-demo-2022")
    phone.goto(f"{live_server.url}/rules/wolongshan-kg/?month=2022-10")
    assert phone.locator(".check-card").first.is_visible()
    assert not phone.locator(".check-table").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "phone-lights-cards")


def test_lights_page_keeps_the_table_on_desktop(desktop, live_server, demo_data):
    login(desktop, live_server.url, "secretary", "zhibu-demo-2022")
    desktop.goto(f"{live_server.url}/rules/wolongshan-kg/?month=2022-10")
    assert (
        desktop.locator(".check-table").is_visible() and not desktop.locator(".check-card").first.is_visible()
    )
    shot(desktop, "desktop-lights-table")


def test_board_is_a_compact_list_on_a_phone_and_a_dot_opens_its_month(phone, live_server, demo_data):
    login(phone, live_server.url, "district", "zhibu-demo-2022")
    phone.goto(f"{live_server.url}/rules/district-edu/board/?year=2022")
    first = phone.locator("#board-rows tr").first
    dots = first.locator("td.cell")
    assert dots.count() == 12
    tops = {round(dots.nth(i).bounding_box()["y"]) for i in range(12)}
    assert len(tops) == 1  # twelve dots on one line
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    dots.nth(9).locator("a").click()
    phone.wait_for_selector("#explain .explain")
    assert "2022年10月" in phone.inner_text("#explain")
    # The district cannot record for the branch: on a red month it is offered a reminder, never a form it would
    # be refused.
    phone.locator("#board-rows a.light-red").first.click()
    phone.wait_for_selector("#explain a:has-text('提醒支部')")
    assert phone.locator("#explain a:has-text('去录入')").count() == 0
    shot(phone, "phone-board-list")
