"""The fix loop: a link naming a kind and a month opens the form inside that month, saving returns to it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhibu.records.models import Activity

pytestmark = pytest.mark.django_db


def _form(client, tree, **query):
    return client.get(reverse("records:create", args=[tree.a.code]), query).content.decode()


def test_a_fix_link_opens_the_form_inside_the_month_with_the_kinds_length(tree, client):
    client.force_login(tree.users.sec_a)
    page = _form(client, tree, kind="committee-meeting", month="2022-10")
    assert 'name="starts_at" value="2022-10-15T14:30"' in page
    assert 'name="ends_at" value="2022-10-15T15:30"' in page and 'data-default-minutes="60"' in page
    page = _form(client, tree, kind="general-meeting", month="2022-10")
    assert 'name="ends_at" value="2022-10-15T16:00"' in page  # a 党员大会 usually takes 90 minutes


@pytest.mark.parametrize("month", ["2022-13", "abc", "0999-01"])
def test_a_bad_month_falls_back_to_the_coming_hour(tree, client, month):
    client.force_login(tree.users.sec_a)
    assert "2022-13-15" not in _form(client, tree, kind="committee-meeting", month=month)


def _post(tree, **extra):
    m = tree.members
    return {
        "kind": "committee-meeting",
        "topic": "补录十月支委会",
        "starts_at": "2022-10-15T14:30",
        "ends_at": "2022-10-15T15:30",
        f"presence_{m.sec_a.pk}": "present",
        f"presence_{m.member_a.pk}": "present",
        f"presence_{m.a3.pk}": "present",
        **extra,
    }


def test_saving_from_a_fix_link_returns_to_the_lights_of_that_month(tree, client):
    client.force_login(tree.users.sec_a)
    back = "/rules/branch-a/?month=2022-10"
    response = client.post(
        reverse("records:create", args=[tree.a.code]) + f"?next={back}",
        _post(tree, kind="theme-day", next=back),
    )
    activity = Activity.objects.unscoped().get(topic="补录十月支委会")
    assert response.status_code == 302 and response["Location"] == f"{back}&fixed={activity.pk}"
    page = client.get(response["Location"]).content.decode()
    # (甲 has fewer than three committee members, so its 支部委员会 owes nothing: a 主题党日 here.)
    # Recorded long after October's deadline: counted, but late, and the month's light says so.
    assert "10月：主题党日 已补录（逾期，" in page


def test_the_message_after_a_fix_is_read_from_the_lights(tree, client):
    from zhibu.rules import selectors as lights

    client.force_login(tree.users.sec_a)
    back = "/rules/branch-a/?month=2022-10"
    response = client.post(
        reverse("records:create", args=[tree.a.code]), _post(tree, kind="theme-day", next=back)
    )
    view = lights.branch_year(actor=tree.users.sec_a, org=tree.a, year=2022).month(10)
    page = client.get(response["Location"]).content.decode()
    assert f"10月：主题党日 已补录（逾期，{view.colour_label}）" in page


def test_a_record_outside_the_month_says_so(tree, client):
    client.force_login(tree.users.sec_a)
    back = "/rules/branch-a/?month=2022-09"
    response = client.post(
        reverse("records:create", args=[tree.a.code]), _post(tree, kind="theme-day", next=back)
    )
    page = client.get(response["Location"]).content.decode()
    assert "该记录不计入9月的任何要求，9月仍为" in page


def test_a_record_made_in_time_is_registered_without_late(tree, client):
    from datetime import datetime

    from django.utils import timezone

    client.force_login(tree.users.sec_a)
    back = "/rules/branch-a/?month=2022-10"
    response = client.post(
        reverse("records:create", args=[tree.a.code]), _post(tree, kind="theme-day", next=back)
    )
    # As if it had been entered the day of the meeting.
    Activity.objects.unscoped().filter(topic="补录十月支委会").update(
        recorded_at=timezone.make_aware(datetime(2022, 10, 15, 18, 0))
    )
    page = client.get(response["Location"]).content.decode()
    assert "10月：主题党日 已登记（" in page and "已补录" not in page


def test_a_foreign_next_is_ignored(tree, client):
    client.force_login(tree.users.sec_a)
    response = client.post(
        reverse("records:create", args=[tree.a.code]), _post(tree, next="https://evil.example/")
    )
    activity = Activity.objects.unscoped().get(topic="补录十月支委会")
    assert response["Location"] == reverse("records:detail", args=[activity.pk])


def test_an_end_more_than_a_day_after_the_start_is_refused(tree, client):
    client.force_login(tree.users.sec_a)
    response = client.post(
        reverse("records:create", args=[tree.a.code]), _post(tree, ends_at="2022-11-28T15:30")
    )
    assert response.status_code == 400
    assert "结束时间比开始时间晚一天以上，请核对日期。" in response.content.decode()
    assert not Activity.objects.unscoped().filter(topic="补录十月支委会").exists()
