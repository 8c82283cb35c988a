"""The lights on a phone and the fix loop from the rules side: cards, links that name the month, and no
button for someone who would be refused behind it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_checklist_is_cards_with_fix_links_that_name_the_month(tree, client):
    client.force_login(tree.users.sec_a)
    page = client.get(reverse("rules:branch", args=[tree.a.code]), {"month": "2022-10"}).content.decode()
    assert page.count('class="check-card') >= 3
    assert '<form class="month-nav"' in page
    link = next(
        part.split('"')[0] for part in page.split('href="') if part.startswith("/records/branch-a/new/")
    )
    query = parse_qs(urlparse(link.replace("&amp;", "&")).query)
    assert query["month"] == ["2022-10"] and query["next"] == ["/rules/branch-a/?month=2022-10"]


def test_a_superior_is_offered_a_reminder_not_a_form_it_cannot_use(tree, client):
    url = reverse("rules:explain", args=[tree.a.code])
    client.force_login(tree.users.district)
    page = client.get(url, {"month": "2022-10"}).content.decode()
    assert "去录入" not in page and "提醒支部" in page
    remind = next(part.split('"')[0] for part in page.split('href="') if part.startswith("/notices/org/"))
    response = client.get(remind.replace("&amp;", "&"))
    assert response.status_code == 200, (remind, response.status_code)
    form = response.content.decode()
    assert 'value="提醒：请补录2022年10月组织生活记录"' in form
    assert f'value="{tree.a.pk}" id="id_targets_0" checked' in form or f'value="{tree.a.pk}" checked' in form
    client.force_login(tree.users.sec_a)
    page = client.get(url, {"month": "2022-10"}).content.decode()
    assert "去录入" in page and "提醒支部" not in page


def test_an_auditor_sees_neither_button(tree, client):
    client.force_login(tree.users.auditor)
    page = client.get(reverse("rules:explain", args=[tree.a.code]), {"month": "2022-10"}).content.decode()
    assert "去录入" not in page and "提醒支部" not in page
