"""The lights page renders one month in full; the other months' details load when opened."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from .helpers import rec


def test_only_the_chosen_month_is_explained_in_full_and_the_others_load_on_opening(tree, login):
    rec(tree.a, "theme-day", date(2022, 3, 8))
    rec(tree.a, "theme-day", date(2022, 5, 9))
    client = login(tree.users.sec_a)
    page = client.get(reverse("rules:branch", args=[tree.a.code]), {"month": "2022-05"}).content.decode()
    explain = reverse("rules:explain", args=[tree.a.code])
    assert page.count('class="month-detail" hx-get=') == 11  # the other months, closed
    assert page.count('class="month-detail" open') == 1
    assert f'hx-get="{explain}?month=2022-03"' in page and f'hx-get="{explain}?month=2022-05"' not in page
    assert "2022年05月主题党日" in page and "2022年03月主题党日" not in page
    part = client.get(explain, {"month": "2022-03"}, HTTP_HX_REQUEST="true").content.decode()
    assert "2022年03月主题党日" in part and "<html" not in part
