"""Issue 11's boundary cases seen through the lights API as well as the services: a branch of 6 and of 7 正式党员
(point 9), and a 组织生活会 for 2022 held on 2023-02-15 and on 2023-04-02 (point 3)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from freezegun import freeze_time

from zhibu.people.models import Member
from zhibu.rules import services
from zhibu.testing import factories as f

from .helpers import rec


@pytest.fixture(autouse=True)
def urls_loaded():
    reverse("api:rules_lights")


def grow(branch, full: int) -> None:
    have = Member.objects.unscoped().filter(branch=branch, status="full").count()
    for i in range(full - have):
        f.make_member(branch, f"党员{i:02d}", joined=date(2015, 6, 1))


def _requirements(client, month: str) -> dict[str, dict]:
    body = client.get(reverse("api:rules_lights") + f"?org=branch-a&month={month}").json()
    by_id = {r.pk: r.code for r in services.Requirement.objects.unscoped().filter(owner__isnull=True)}
    return {by_id.get(r["requirement_id"]): r for r in body["organisations"][0]["requirements"]}


@pytest.mark.parametrize(("full", "owed"), [(6, False), (7, True)])
def test_monthly_committee_meeting_in_the_api_for_a_branch_of_six_and_of_seven(tree, login, full, owed):
    grow(tree.a, full)
    services.relight(tree.a.path, {2022})
    with freeze_time("2022-06-20 10:00:00"):
        found = _requirements(login(tree.users.district), "2022-01")
    assert ("ZB-02" in found) is owed
    assert "ZB-07" in found  # the 主题党日 is owed either way
    if owed:
        assert (found["ZB-02"]["state"], found["ZB-02"]["deadline"]) == ("未完成", "2022-02-07")


@pytest.mark.parametrize(
    ("held", "for_year", "state"),
    [
        (date(2023, 2, 15), None, "已完成"),
        (date(2023, 4, 2), 2022, "逾期召开"),
    ],
)
def test_life_meeting_for_2022_in_the_api(tree, login, held, for_year, state):
    meeting = rec(tree.a, "life-meeting", held, for_year=for_year or 2022, topic="2022年度组织生活会")
    services.lights_refresh(org_id=tree.a.pk, months={(2022, 12)})
    with freeze_time("2023-04-10 10:00:00"):
        found = _requirements(login(tree.users.district), "2022-12")
    life = found["ZB-08"]
    assert (life["state"], life["period"], life["deadline"]) == (state, "2022年度", "2023-04-07")
    assert [(r["id"], r["held_on"], r["topic"]) for r in life["records"]] == [
        (meeting.pk, held.isoformat(), "2022年度组织生活会")
    ]
    assert life["missing"] == []


def test_life_meeting_for_2022_not_yet_held_is_open_in_the_api_until_its_deadline(tree, login):
    services.relight(tree.a.path, {2022})
    with freeze_time("2023-01-10 10:00:00"):
        found = _requirements(login(tree.users.district), "2022-12")
    life = found["ZB-08"]
    assert (life["state"], life["records"]) == ("进行中", [])
    assert life["missing"][0]["deadline"] == "2023-04-07"
