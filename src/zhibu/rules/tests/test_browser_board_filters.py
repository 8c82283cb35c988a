"""The board's filters: one row on a desktop (from 768 px), one select under another on a phone."""

from __future__ import annotations

import pytest

from zhibu.testing import factories as f
from zhibu.testing.browser import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FILTERS = ["input[name=year]", "select[name=colour]", "select[name=sub]", "select[name=streak]", "button.btn"]


def _boxes(page) -> list[dict]:
    return [page.locator(f"form.toolbar {selector}").bounding_box() for selector in FILTERS]


def _board(chromium, live_server, tree, width: int):
    context = chromium.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    login(page, live_server.url, "district", f.PASSWORD)
    page.goto(f"{live_server.url}/rules/{tree.district.code}/board/?year=2022")
    return context, page


@pytest.mark.parametrize("width", [768, 1024, 1366])
def test_the_board_filters_sit_in_one_row_on_a_desktop(
    chromium, plain_http_cookies, live_server, tree, width
):
    # a 党总支 with a long name among the 所属 choices: its select narrows rather than pushing the button down
    general = f.make_org(
        "long-name",
        "卧龙山街道中心幼儿园及东西两个分园、第二实验小学联合党总支部委员会",
        parent=tree.district,
        type_code="committee",
    )
    f.make_org("long-name-1", "分园党支部", parent=general)
    context, page = _board(chromium, live_server, tree, width)
    try:
        boxes = _boxes(page)
        middles = {round(b["y"] + b["height"] / 2) for b in boxes}
        assert max(middles) - min(middles) <= 1, boxes  # one row
        assert all(a["x"] + a["width"] <= b["x"] for a, b in zip(boxes, boxes[1:], strict=False)), boxes
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, f"board-filters-{width}")
    finally:
        context.close()


def test_the_board_filters_stack_on_a_phone(phone, live_server, tree):
    login(phone, live_server.url, "district", f.PASSWORD)
    phone.goto(f"{live_server.url}/rules/{tree.district.code}/board/?year=2022")
    form = phone.locator("form.toolbar").bounding_box()
    selects = _boxes(phone)[1:4]
    assert selects[0]["y"] < selects[1]["y"] < selects[2]["y"], selects  # one under another
    assert all(abs(s["width"] - form["width"]) <= 1 for s in selects), (form, selects)  # each the full width
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "phone-board-filters")
