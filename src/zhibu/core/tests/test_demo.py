"""The demo's three accounts each see exactly their part of the tree."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from zhibu import demo
from zhibu.orgs import scoping
from zhibu.orgs.roles import Action
from zhibu.people.models import Member


def _user(name):
    return get_user_model()._default_manager.get(username=name)


def codes(user, action):
    return set(scoping.organisations(user, action).values_list("code", flat=True))


def test_demo_builds_once_and_accounts_see_their_part(demo_data, client):
    assert demo.exists()
    secretary, district, member = _user("secretary"), _user("district"), _user("member")
    assert codes(secretary, Action.VIEW) == {"wolongshan-kg"}
    assert codes(member, Action.VIEW) == set()
    assert codes(member, Action.SCHEDULE) == {"wolongshan-kg"}
    assert codes(district, Action.VIEW) == {code for code, *_ in __import__("zhibu.demo_core").demo_core.ORGS}
    assert all(m.branch.code == "wolongshan-kg" for m in Member.objects.visible_to(secretary, Action.VIEW))
    for user, url, status in [
        (secretary, reverse("orgs:dashboard", args=["wolongshan-kg"]), 200),
        (secretary, reverse("orgs:dashboard", args=["qinghe-ps"]), 404),
        (member, reverse("orgs:dashboard", args=["wolongshan-kg"]), 200),
        (member, reverse("orgs:detail", args=["wolongshan-kg"]), 404),
        (district, reverse("orgs:tree", args=["district-edu"]), 200),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, (user, url)


def test_demo_password_works_on_the_login_page(demo_data, client):
    response = client.post(
        reverse("accounts:login"), {"username": "district", "password": demo.DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_kindergarten_2022_has_eighteen_branch_meetings(demo_data):
    from zhibu.records.models import Activity

    meetings = Activity.objects.unscoped().filter(
        org__code="wolongshan-kg", held_on__year=2022, kind__code__in=["general-meeting", "committee-meeting"]
    )
    assert meetings.count() == 18
    assert (
        Activity.objects.unscoped()
        .filter(org__code="wolongshan-kg", held_on__year=2022, kind__code="theme-day")
        .count()
        == 12
    )


def test_demo_report_counts_come_from_records(demo_data):
    """One more branch meeting in the demo makes the 2022 report say 19: nothing is typed in as a number."""
    from datetime import datetime

    from django.utils import timezone

    from zhibu.records.models import ActivityKind
    from zhibu.records.services import activity_record
    from zhibu.reports import assemble

    secretary = _user("secretary")
    kg = demo_data.orgs["wolongshan-kg"]

    def text():
        return "".join(b["text"] for b in assemble.build(secretary, kg, 2022)["blocks"])

    before = text()
    for phrase in (
        "召开支部会18次",
        "解决实际困难12次",
        "学习强国平台供稿377篇",
        "438篇",
        "第一",
        "近20000字",
        "16000多字",
        "6对",
        "1名入党积极分子转为预备党员",
    ):
        assert phrase in before.replace(" ", ""), phrase
    tz = timezone.get_current_timezone()
    kind = ActivityKind.objects.unscoped().get(code="committee-meeting", org=None)
    when = {
        "starts_at": datetime(2022, 12, 29, 16, 30, tzinfo=tz),
        "ends_at": datetime(2022, 12, 29, 17, 30, tzinfo=tz),
    }
    # A 支委会 with no member present is below quorum (支部工作条例 第十二条): recorded, but not one of the meetings.
    activity_record(actor=secretary, org=kg, kind=kind, topic="支委会专题会：无人到会", **when)
    assert "召开支部会18次" in text().replace(" ", "")
    present = {m.pk: ("present", "") for m in demo_data.members["wolongshan-kg"].values() if m.party_post}
    activity_record(
        actor=secretary, org=kg, kind=kind, topic="支委会专题会：研究年终考核", attendance=present, **when
    )
    assert "召开支部会19次" in text().replace(" ", "")
