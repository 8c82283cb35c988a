"""A requirement points to a notice (this month's 主题党日 topic): the branches that receive the notice see it
beside the requirement in the period it is about, and no one else does."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from zhibu.audit.models import AuditEntry
from zhibu.notices.models import Notice
from zhibu.notices.services import notice_publish
from zhibu.rules import services
from zhibu.rules.models import Requirement, RequirementNotice

pytestmark = pytest.mark.django_db
TOPIC = "十月主题党日：学习党章第三章"


def _theme_day() -> Requirement:
    return Requirement.objects.unscoped().get(owner=None, kind__code="theme-day")


def _notice(tree, *, title=TOPIC, targets=None, on=date(2022, 10, 8), deadline=None) -> Notice:
    notice = notice_publish(
        actor=tree.users.district,
        org=tree.district,
        title=title,
        body="各支部按此主题开展。",
        targets=targets,
    )
    Notice.objects.unscoped().filter(pk=notice.pk).update(
        published_at=timezone.make_aware(datetime(on.year, on.month, on.day, 9)), deadline=deadline
    )
    notice.refresh_from_db()
    return notice


def _link(tree, notice) -> None:
    client = tree.client
    client.force_login(tree.users.district)
    response = client.post(
        reverse("rules:requirement_notice", args=[tree.district.code, _theme_day().pk]), {"notice": notice.pk}
    )
    assert response.status_code == 302
    assert f"已关联通知「{notice.title}」" in client.get(response["Location"]).content.decode()


@pytest.fixture
def linked(tree, client):
    tree.client = client
    notice = _notice(tree)
    _link(tree, notice)
    return notice


def _lights(client, user, org, month: str) -> str:
    client.force_login(user)
    return client.get(reverse("rules:branch", args=[org.code]), {"month": month}).content.decode()


def test_the_notice_shows_beside_the_requirement_in_its_month(tree, client, linked):
    page = _lights(client, tree.users.sec_a, tree.a, "2022-10")
    card = page.split('class="check-cards"')[1].split("</article>")
    theme = next(c for c in card if "主题党日" in c)
    assert f'上级通知：<a href="{reverse("notices:detail", args=[linked.pk])}">{TOPIC}</a>' in theme
    assert TOPIC not in _lights(client, tree.users.sec_a, tree.a, "2022-11")


def test_the_deadline_decides_the_period(tree, client):
    tree.client = client
    notice = _notice(tree, title="十一月主题党日主题", on=date(2022, 10, 25), deadline=date(2022, 11, 20))
    _link(tree, notice)
    assert "十一月主题党日主题" not in _lights(client, tree.users.sec_a, tree.a, "2022-10")
    assert "十一月主题党日主题" in _lights(client, tree.users.sec_a, tree.a, "2022-11")


def test_a_branch_that_does_not_receive_the_notice_does_not_see_it(tree, client):
    tree.client = client
    _link(tree, _notice(tree, targets=[tree.b]))
    assert TOPIC not in _lights(client, tree.users.sec_a, tree.a, "2022-10")
    assert TOPIC in _lights(client, tree.users.sec_b, tree.b, "2022-10")


def test_the_superior_sees_it_and_can_take_it_away(tree, client, linked):
    assert TOPIC in _lights(client, tree.users.district, tree.a, "2022-10")
    page = client.get(reverse("rules:requirements", args=[tree.district.code])).content.decode()
    assert f'通知：<a href="{reverse("notices:detail", args=[linked.pk])}">{TOPIC}</a>' in page
    link = RequirementNotice.objects.unscoped().get()
    response = client.post(
        reverse("rules:requirement_notice", args=[tree.district.code, _theme_day().pk]), {"remove": link.pk}
    )
    assert response.status_code == 302 and not RequirementNotice.objects.unscoped().exists()
    assert f"所附通知「{TOPIC}」" in client.get(response["Location"]).content.decode()
    assert TOPIC not in _lights(client, tree.users.sec_a, tree.a, "2022-10")
    verbs = list(
        AuditEntry.objects.filter(verb__startswith="requirement.notice")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == ["requirement.notice_link", "requirement.notice_unlink"]


def test_only_the_publishers_own_notices_can_be_linked(tree, client):
    notice = _notice(tree)
    with pytest.raises(ValidationError, match="只能关联本单位发布的通知"):
        services.requirement_notice_link(
            actor=tree.users.district, org=tree.a, requirement=_theme_day(), notice=notice
        )
    client.force_login(tree.users.district)
    response = client.post(
        reverse("rules:requirement_notice", args=[tree.district.code, _theme_day().pk]), {"notice": "999999"}
    )
    assert response.status_code == 400 and "请选择本单位发布的一则通知。" in response.content.decode()


def test_a_secretary_cannot_link(tree, client):
    notice = _notice(tree)
    client.force_login(tree.users.sec_a)
    response = client.post(
        reverse("rules:requirement_notice", args=[tree.district.code, _theme_day().pk]), {"notice": notice.pk}
    )
    assert response.status_code == 404 and not RequirementNotice.objects.unscoped().exists()
