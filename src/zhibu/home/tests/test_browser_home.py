"""The home page at phone size, for a secretary, a superior and a member: what to do, nothing wider than the
screen."""

from __future__ import annotations

import pytest

from zhibu.testing.browser import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "zhibu-demo-2022"


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_secretary_home_on_a_phone(phone, live_server, demo_data):
    login(phone, live_server.url, "secretary", PASSWORD)
    assert phone.url.rstrip("/") == f"{live_server.url}/home"
    main = phone.inner_text("main")
    assert "要做的事" in main and "还需完成" in main and "即将召开" in main
    assert "逾期和待办" in main and "发展党员 朱晓彤" in main  # her 转正 is overdue in the demo
    assert phone.locator("a.btn:has-text('记录支部党员大会')").is_visible()
    _fits(phone)
    shot(phone, "phone-home-secretary")


def test_superior_home_on_a_phone(phone, live_server, demo_data):
    login(phone, live_server.url, "district", PASSWORD)
    main = phone.inner_text("main")
    assert "党支部" in main and "绿灯" in main and "红灯" in main
    assert "连续两个月以上红黄灯" in main and "30天内到期的发展党员步骤" in main
    boxes = phone.locator(".stat-box")
    assert boxes.count() == 5 and "进行中" in boxes.nth(4).inner_text()
    assert len({round(boxes.nth(i).bounding_box()["y"]) for i in range(5)}) == 1  # one row
    _fits(phone)
    shot(phone, "phone-home-superior")


def test_member_home_on_a_phone(phone, live_server, demo_data):
    login(phone, live_server.url, "member", PASSWORD)
    main = phone.inner_text("main")
    assert "即将参加" in main and "参加组织生活" in main and "党费" in main
    assert phone.locator("main a:has-text('查看')").get_attribute("href") == "/dues/me/"
    _fits(phone)
    shot(phone, "phone-home-member")
