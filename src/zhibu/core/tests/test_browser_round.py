"""述职评议 end to end: the district opens a round, the secretary finalises and submits her report from a phone,
an appraiser rates it, the district closes the round and reads the results."""

from __future__ import annotations

import re

import pytest

from zhibu.testing.browser import DESKTOP, PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _page(chromium, viewport):
    context = chromium.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20000)
    return page


def test_district_runs_an_appraisal_round(chromium, plain_http_cookies, live_server, demo_data):
    from zhibu.appraisal.models import AppraisalRound, RoundRating
    from zhibu.work.models import Problem

    base = live_server.url
    district = _page(chromium, DESKTOP)
    login(district, base, "district", "zhibu-demo-2022")
    district.goto(f"{base}/reports/rounds/new/district-edu/")
    district.fill("input[name=year]", "2022")
    district.fill("input[name=title]", "2022年度党支部书记述职评议")
    district.check("input[name=branches][value=wolongshan-kg]")
    district.fill("textarea[name=appraisers]", "member")
    district.click("button[name=open]")
    district.wait_for_url(re.compile(r"/reports/rounds/\d+/$"))
    round_url = district.url
    assert (
        "进行中" in district.locator("#round-status").inner_text()
        or district.locator("#round-status").count()
    )

    secretary = _page(chromium, PHONE)
    login(secretary, base, "secretary", "zhibu-demo-2022")
    secretary.goto(f"{base}/reports/org/wolongshan-kg/2022/")
    secretary.click("button[name=start]")
    secretary.wait_for_url(re.compile(r"/reports/r/\d+/$"))
    assert "召开支部会18次" in secretary.content().replace(" ", "")
    shot(secretary, "phone-report-draft")
    secretary.click("button[name=finalise]")
    secretary.wait_for_load_state("networkidle")
    secretary.goto(round_url)
    secretary.click("button[name=submit]")
    secretary.wait_for_load_state("networkidle")

    appraiser = _page(chromium, PHONE)
    login(appraiser, base, "member", "zhibu-demo-2022")
    appraiser.goto(round_url)
    appraiser.check("input[name=level][value=good]")
    appraiser.fill("textarea[name=comment]", "材料扎实，数据清楚。")
    appraiser.click("button[name=rate]")
    appraiser.wait_for_load_state("networkidle")
    assert RoundRating.objects.unscoped().count() == 1

    district.goto(round_url)
    pid = district.locator("textarea[name^=findings_]").first.get_attribute("name")
    district.fill(f"textarea[name={pid}]", "党建品牌特色还不够鲜明")
    district.click("button[name=close]")
    district.wait_for_load_state("networkidle")
    assert district.locator("#round-status").inner_text() == "已结束"
    results = district.locator("#round-results").inner_text()
    assert "卧龙山" in results and "好" in results
    shot(district, "desktop-round-results")
    assert AppraisalRound.objects.unscoped().get().is_closed
    assert (
        Problem.objects.unscoped()
        .filter(org__code="wolongshan-kg", description__contains="党建品牌特色")
        .count()
        == 1
    )
