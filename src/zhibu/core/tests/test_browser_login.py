"""End to end in headless Chromium: the login page and the home page, at phone and desktop size."""

from __future__ import annotations

import pytest

from zhibu.testing.browser import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_secretary_logs_in_on_a_phone_and_sees_her_branch(phone, live_server, demo_data):
    login(phone, live_server.url, "secretary", "zhibu-demo-2022")
    assert phone.url.endswith("/home/")
    assert phone.locator("h1").inner_text().endswith("要做的事")
    assert phone.locator("section.home-block h2").first.inner_text() == "卧龙山中心幼儿园"
    shot(phone, "phone-home-secretary")
    # the menu folds away on a phone and opens with its button
    assert not phone.locator("nav.nav").is_visible()
    phone.click("label.nav-button")
    assert phone.locator("nav.nav").is_visible()


def test_wrong_password_shows_chinese_error(desktop, live_server, demo_data):
    login(desktop, live_server.url, "secretary", "wrong-password")
    assert "用户名或密码不正确" in desktop.locator(".errorlist").inner_text()
    shot(desktop, "desktop-login-error")


def test_district_sees_the_tree_on_desktop(desktop, live_server, demo_data):
    login(desktop, live_server.url, "district", "zhibu-demo-2022")
    desktop.goto(f"{live_server.url}/org/district-edu/tree/")
    assert desktop.locator("text=卧龙山街道中心幼儿园党支部").count() == 1
    desktop.click('button[hx-get$="/org/vocational-gb/children/"]')
    desktop.wait_for_selector("text=职业中专第一党支部")
    shot(desktop, "desktop-tree-district")
