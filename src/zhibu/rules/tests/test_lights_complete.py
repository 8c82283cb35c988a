"""Issue 11, point 11: the machine-readable lights name, for every requirement, the records that satisfied it —
书记讲党课 included, judged with the 书记 in office on the day held — for a branch read and for a subtree read,
through the selector, the API and `zhibu lights --json`."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhibu.orgs import services as org_services
from zhibu.orgs.scoping import SYSTEM
from zhibu.people.models import Member
from zhibu.rules import selectors, services
from zhibu.testing import factories as f

from .helpers import rec

DECEMBER_READ = date(2023, 1, 20)


def zb06() -> int:
    return services.Requirement.objects.unscoped().get(code="ZB-06", owner__isnull=True).pk


@pytest.fixture
def lectures(tree):
    """Branch A (7 正式党员): 张文慧 was 书记 in 2022 and lectured; 李慧欣 (组织委员 then) also lectured; a 2024 换届
    made 李慧欣 书记. Branch B has no lecture by its 书记."""
    for i in range(4):
        f.make_member(tree.a, f"党员{i}", joined=date(2015, 6, 1))
    m = tree.members
    by_secretary = rec(tree.a, "party-lecture", date(2022, 5, 10), speaker=m.sec_a, topic="学习党章")
    by_organiser = rec(tree.a, "party-lecture", date(2022, 6, 14), speaker=m.member_a, topic="党史一课")
    org_services.committee_elect(
        actor=SYSTEM,
        org=tree.a,
        held_on=date(2024, 3, 1),
        day=date(2026, 11, 1),
        posts=[(m.member_a, "secretary"), (m.sec_a, "organiser"), (m.a3, "propaganda")],
    )
    services.relight(tree.district.path, {2022})
    return by_secretary, by_organiser


def _lecture(organisations: list[dict], code: str) -> dict:
    branch = next(o for o in organisations if o["code"] == code)
    return next(r for r in branch["requirements"] if r["requirement_id"] == zb06())


@pytest.mark.parametrize("root", ["branch-a", "district-edu"])
def test_secretary_lecture_lists_the_lecture_of_the_then_secretary(tree, lectures, login, root):
    by_secretary, _by_organiser = lectures
    assert (
        Member.objects.unscoped().get(pk=tree.members.member_a.pk).party_post == "secretary"
    )  # today's 书记
    org = tree.a if root == "branch-a" else tree.district
    rows = selectors.subtree_lights(
        actor=tree.users.district, root=org, year=2022, month=12, today=DECEMBER_READ
    )
    lecture = _lecture(rows, "branch-a")
    assert (lecture["state"], lecture["count"], lecture["needed"]) == ("已完成", 1, 1)
    assert lecture["records"] == [
        {
            "id": by_secretary.pk,
            "held_on": "2022-05-10",
            "topic": "学习党章",
            "url": f"/records/a/{by_secretary.pk}/",
            "late": False,
            "counted": True,
        }
    ]
    assert lecture["missing"] == [] and lecture["deadline"] == "2023-01-07"

    client = login(tree.users.district)
    response = client.get(reverse("api:rules_lights") + f"?org={root}&month=2022-12")
    assert response.status_code == 200
    assert _lecture(response.json()["organisations"], "branch-a")["records"] == lecture["records"]
    out = StringIO()
    call_command("lights", "--org", root, "--month", "2022-12", "--json", "--user", "district", stdout=out)
    assert _lecture(json.loads(out.getvalue())["organisations"], "branch-a")["records"] == lecture["records"]


def test_secretary_lecture_missing_gives_deadline_and_fix_link_in_a_subtree_read(tree, lectures, login):
    client = login(tree.users.district)
    organisations = client.get(reverse("api:rules_lights") + "?org=district-edu&month=2022-12").json()[
        "organisations"
    ]
    lecture = _lecture(organisations, "branch-b")
    assert (lecture["state"], lecture["records"]) == ("未完成", [])
    assert lecture["missing"] == [
        {
            "count": 0,
            "needed": 1,
            "period_start": "2022-01-01",
            "period_end": "2022-12-31",
            "deadline": "2023-01-07",
            "text": "还差 1 次（须由支部书记主讲）",
        }
    ]
    assert lecture["fix_url"] == (
        reverse("records:create", args=["branch-b"])
        + "?kind=party-lecture&month=2022-12&next=%2Frules%2Fbranch-b%2F%3Fmonth%3D2022-12"
    )


def test_a_lecture_by_someone_not_secretary_that_day_is_not_listed(tree, login):
    """李慧欣 lectured in 2022 as 组织委员 and became 书记 only in 2024: her 2022 lecture is not the 书记's."""
    for i in range(4):
        f.make_member(tree.a, f"党员{i}", joined=date(2015, 6, 1))
    m = tree.members
    rec(tree.a, "party-lecture", date(2022, 6, 14), speaker=m.member_a, topic="党史一课")
    org_services.committee_elect(
        actor=SYSTEM,
        org=tree.a,
        held_on=date(2022, 1, 5),
        day=date(2026, 11, 1),
        posts=[(m.sec_a, "secretary"), (m.member_a, "organiser"), (m.a3, "propaganda")],
    )
    org_services.committee_elect(
        actor=SYSTEM,
        org=tree.a,
        held_on=date(2024, 3, 1),
        day=date(2026, 11, 1),
        posts=[(m.member_a, "secretary"), (m.sec_a, "organiser"), (m.a3, "propaganda")],
    )
    services.relight(tree.a.path, {2022})
    lecture = _lecture(
        selectors.subtree_lights(
            actor=tree.users.district, root=tree.district, year=2022, month=12, today=DECEMBER_READ
        ),
        "branch-a",
    )
    assert (lecture["state"], lecture["records"]) == ("未完成", [])
