"""扫码签到: open a code for a meeting, members of the meeting's organisation sign in once, nobody else can."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from zhibu.records import checkin
from zhibu.records.models import Activity, Attendance, CheckinSession
from zhibu.testing import factories as f

pytestmark = pytest.mark.django_db


def upcoming(t, days=1):
    m = t.members
    return f.make_activity(
        t.a,
        "general-meeting",
        timezone.localdate() + timedelta(days=days),
        topic="学习党章",
        absent=[m.sec_a, m.member_a, m.a3],
    )


def test_a_member_signs_in_and_the_counts_follow(tree, client):
    activity = upcoming(tree)
    session = checkin.checkin_open(actor=tree.users.sec_a, activity=activity)
    client.force_login(tree.users.member_a)
    url = reverse("records:checkin", args=[session.token])
    page = client.get(url).content.decode()
    assert "学习党章" in page and ">签到</button>" in page
    done = client.post(url).content.decode()
    assert "李慧欣，您已签到。" in done
    client.post(url)  # a second tap changes nothing
    activity.refresh_from_db()
    assert (activity.expected_count, activity.present_count) == (3, 1)
    assert (
        Attendance.objects.unscoped().get(activity=activity, member=tree.members.member_a).presence
        == "present"
    )
    assert checkin.signed_in(session) == ["李慧欣"]


def test_the_secretary_screen_shows_the_code_and_the_live_list(tree, client):
    activity = upcoming(tree)
    client.force_login(tree.users.sec_a)
    assert client.post(reverse("records:checkin_open", args=[activity.pk])).status_code == 302
    page = client.get(reverse("records:checkin_screen", args=[activity.pk])).content.decode()
    session = CheckinSession.objects.unscoped().get(activity=activity)
    assert "<svg" in page and 'hx-trigger="every 3s"' in page
    checkin.checkin_sign(actor=tree.users.member_a, token=session.token)
    partial = client.get(reverse("records:checkin_screen", args=[activity.pk]), HTTP_HX_REQUEST="true")
    assert "已签到 1 人 / 应到 3 人" in partial.content.decode() and "<svg" not in partial.content.decode()


def test_someone_not_expected_at_the_meeting_cannot_sign_in(tree, client):
    activity = upcoming(tree)
    session = checkin.checkin_open(actor=tree.users.sec_a, activity=activity)
    for user in (tree.users.sec_b, tree.users.outsider, tree.users.district):
        client.force_login(user)
        assert client.get(reverse("records:checkin", args=[session.token])).status_code == 404
        assert client.post(reverse("records:checkin", args=[session.token])).status_code == 404
    activity.refresh_from_db()
    assert activity.present_count == 0


def test_an_expired_or_closed_code_is_refused(tree, client):
    activity = upcoming(tree)
    session = checkin.checkin_open(actor=tree.users.sec_a, activity=activity)
    checkin.checkin_close(actor=tree.users.sec_a, activity=activity)
    client.force_login(tree.users.member_a)
    assert client.post(reverse("records:checkin", args=[session.token])).status_code == 404
    reopened = checkin.checkin_open(actor=tree.users.sec_a, activity=activity)
    assert reopened.token != session.token
    CheckinSession.objects.unscoped().filter(pk=reopened.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.post(reverse("records:checkin", args=[reopened.token])).status_code == 404
    assert Activity.objects.unscoped().get(pk=activity.pk).present_count == 0


def test_a_finished_meeting_cannot_open_sign_in(tree):
    activity = upcoming(tree, days=-2)
    with pytest.raises(ValidationError, match="会议已经结束"):
        checkin.checkin_open(actor=tree.users.sec_a, activity=activity)
    assert not CheckinSession.objects.unscoped().exists()


def test_only_those_who_record_may_open(tree):
    from django.http import Http404

    activity = upcoming(tree)
    for user in (tree.users.member_a, tree.users.sec_b, tree.users.district):
        with pytest.raises(Http404):
            checkin.checkin_open(actor=user, activity=activity)
    assert not CheckinSession.objects.unscoped().exists()
