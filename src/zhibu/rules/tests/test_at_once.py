"""A record's write or removal changes the light at once — through records' services and through the pages."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhibu.records import services as records
from zhibu.records.models import Activity
from zhibu.rules import selectors
from zhibu.rules.models import Requirement
from zhibu.testing import factories as f

from .helpers import colours


@pytest.fixture
def theme_day_only(tree, settings):
    """Only ZB-07 (主题党日 each month) in force, and a warning window long enough that a missing record in
    the current month already shows yellow: the test then does not depend on the day of the month it runs."""
    Requirement.objects.unscoped().exclude(code="ZB-07").delete()
    settings.ZHIBU_LIGHT_WARN_DAYS = 60
    today = timezone.localdate()
    return today


def _record_now(tree):
    today = timezone.localdate()
    starts = timezone.make_aware(datetime.combine(today, time(0, 0, 1)))
    return records.activity_record(
        actor=tree.users.sec_a,
        org=tree.a,
        kind=f.kind("theme-day"),
        topic="主题党日",
        starts_at=starts,
        ends_at=starts + timedelta(seconds=1),
        attendance={tree.members.sec_a.pk: ("present", "")},
    )


def test_service_delete_turns_green_month_yellow_and_adding_back_green(
    tree, theme_day_only, django_capture_on_commit_callbacks
):
    """The records' writes announce on commit; the rules app stores the light then."""
    today = theme_day_only
    m = today.month - 1
    with django_capture_on_commit_callbacks(execute=True):
        activity = _record_now(tree)
    assert colours(tree.a, today.year, today)[m] == "g"
    with django_capture_on_commit_callbacks(execute=True):
        records.activity_delete(actor=tree.users.sec_a, activity=activity)
    assert colours(tree.a, today.year, today)[m] == "y"
    after_deadline = selectors.engine.month_end(today.year, today.month) + timedelta(days=8)
    assert colours(tree.a, today.year, after_deadline)[m] == "r"
    with django_capture_on_commit_callbacks(execute=True):
        _record_now(tree)
    assert colours(tree.a, today.year, today)[m] == "g"
    assert colours(tree.a, today.year, after_deadline)[m] == "g"


def test_a_write_rolled_back_announces_nothing(tree, theme_day_only, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            _record_now(tree)
            raise RuntimeError("undone")
    assert callbacks == []
    assert colours(tree.a, theme_day_only.year, theme_day_only) == ""


def test_page_delete_and_record_change_the_branch_page_at_once(tree, theme_day_only, login):
    today = theme_day_only
    month = f"{today.year}-{today.month:02d}"
    client = login(tree.users.sec_a)
    page_url = reverse("rules:branch", args=[tree.a.code]) + f"?month={month}"
    activity = _record_now(tree)
    assert "绿灯" in _checklist_heading(client.get(page_url))

    response = client.post(reverse("records:delete", args=[activity.pk]))
    assert response.status_code == 302
    assert not Activity.objects.visible_to(tree.users.sec_a, "view").filter(pk=activity.pk).exists()
    assert "黄灯" in _checklist_heading(client.get(page_url))

    starts = f"{today:%Y-%m-%d}T00:01"
    response = client.post(
        reverse("records:create", args=[tree.a.code]),
        {
            "kind": "theme-day",
            "topic": "主题党日（补）",
            "starts_at": starts,
            "ends_at": f"{today:%Y-%m-%d}T00:02",
            f"presence_{tree.members.sec_a.pk}": "present",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert "绿灯" in _checklist_heading(client.get(page_url))


def _checklist_heading(response) -> str:
    html = response.content.decode()
    start = html.index("月清单")
    return html[start : start + 200]
