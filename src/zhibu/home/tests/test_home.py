"""Home pages that say what to do: the secretary's owed and overdue items, the superior's totals, the member's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhibu.notices.services import notice_publish
from zhibu.testing import factories as f

pytestmark = pytest.mark.django_db


def test_login_lands_on_the_home_page(tree, client):
    client.force_login(tree.users.sec_a)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"] == reverse("home:index")


def test_secretary_sees_what_the_month_still_needs_and_can_record_in_one_tap(tree, client):
    client.force_login(tree.users.sec_a)
    page = client.get(reverse("home:index")).content.decode()
    assert "甲幼儿园党支部" in page
    assert f'href="/records/{tree.a.code}/new/?kind=general-meeting"' in page
    assert "还需完成" in page and "逾期和待办" in page and "补录" in page


def test_secretary_sees_the_next_meeting_and_unread_notices(tree, client):
    f.make_activity(
        tree.a,
        "theme-day",
        timezone.localdate() + timedelta(days=3),
        topic="下周主题党日",
        absent=[tree.members.sec_a],
    )
    notice_publish(actor=tree.users.district, org=tree.district, title="关于报送材料的通知", body="请报送。")
    client.force_login(tree.users.sec_a)
    page = client.get(reverse("home:index")).content.decode()
    assert "下周主题党日" in page
    assert "未读通知（1）" in page and "关于报送材料的通知" in page


def test_superior_sees_totals_for_the_month(tree, client):
    client.force_login(tree.users.district)
    page = client.get(reverse("home:index")).content.decode()
    today = timezone.localdate()
    assert f"{tree.district.label} · {today.month}月" in page
    assert '<div class="stat">2</div><div class="muted">党支部</div>' in page
    assert "连续两个月以上红黄灯" in page


def test_member_sees_own_attendance_and_dues(tree, client):
    year = timezone.localdate().year
    f.make_activity(tree.a, "general-meeting", date(year, 1, 10), present=[tree.members.member_a])
    client.force_login(tree.users.member_a)
    page = client.get(reverse("home:index")).content.decode()
    assert f"{year}年参加组织生活" in page and "应参加 1 次，出席 1 次，请假 0 次。" in page
    assert "还需完成" not in page  # a plain member records nothing


def test_outsider_gets_the_no_role_page(tree, client):
    client.force_login(tree.users.outsider)
    response = client.get(reverse("home:index"))
    assert response.status_code == 200 and "要做的事" not in response.content.decode()
