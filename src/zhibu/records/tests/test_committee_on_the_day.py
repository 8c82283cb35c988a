"""Issue 11, points 4 and 8: a 支委会's quorum is judged against the committee in office on the day it was held
(the dated posts), not against today's 党内职务 on the roster — through the service, the API and the lights."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhibu.orgs import services as org_services
from zhibu.orgs.scoping import SYSTEM
from zhibu.people.models import Member
from zhibu.records import selectors
from zhibu.testing import factories as f

from .helpers import at, record

P, A = "present", "absent"


@pytest.fixture
def two_terms(tree):
    """Branch A (8 正式党员) elected a committee of five in 2022 (周委员, 吴委员 among them) and, at the 2024 换届,
    a committee of three: today's roster shows only sec_a, member_a and a3 with committee posts."""
    m = tree.members
    zhou = f.make_member(tree.a, "周委员", joined=date(2015, 6, 1))
    wu = f.make_member(tree.a, "吴委员", joined=date(2015, 6, 1))
    for i in range(3):
        f.make_member(tree.a, f"党员{i}", joined=date(2015, 6, 1))
    org_services.committee_elect(
        actor=SYSTEM,
        org=tree.a,
        held_on=date(2022, 1, 5),
        day=date(2026, 11, 1),
        posts=[
            (m.sec_a, "secretary"),
            (m.member_a, "organiser"),
            (m.a3, "propaganda"),
            (zhou, "discipline"),
            (wu, "committee"),
        ],
    )
    org_services.committee_elect(
        actor=SYSTEM,
        org=tree.a,
        held_on=date(2024, 3, 1),
        day=date(2026, 11, 1),
        posts=[(m.sec_a, "secretary"), (m.member_a, "organiser"), (m.a3, "propaganda")],
    )
    assert Member.objects.unscoped().get(pk=zhou.pk).party_post == ""
    return zhou, wu


def test_roster_of_a_2023_committee_meeting_is_the_committee_of_2023(tree, two_terms):
    zhou, wu = two_terms
    m = tree.members
    roster = selectors.roster(tree.users.sec_a, tree.a, date(2023, 3, 6), f.kind("committee-meeting"))
    assert {x.pk for x in roster} == {m.sec_a.pk, m.member_a.pk, m.a3.pk, zhou.pk, wu.pk}
    later = selectors.roster(tree.users.sec_a, tree.a, date(2024, 4, 1), f.kind("committee-meeting"))
    assert {x.pk for x in later} == {m.sec_a.pk, m.member_a.pk, m.a3.pk}


def test_two_of_the_five_then_in_office_is_below_quorum_although_two_of_todays_three_would_not_be(
    tree, two_terms
):
    m = tree.members
    activity = record(tree, start=at(2023, 3, 6), attendance={m.sec_a.pk: (P, ""), m.member_a.pk: (P, "")})
    activity.refresh_from_db()
    assert (activity.committee_size, activity.committee_present, activity.quorum_met) == (5, 2, False)
    zhou, _wu = two_terms
    activity = record(
        tree,
        start=at(2023, 3, 20),
        attendance={m.sec_a.pk: (P, ""), m.member_a.pk: (P, ""), zhou.pk: (P, "")},
    )
    activity.refresh_from_db()
    assert (activity.committee_size, activity.committee_present, activity.quorum_met) == (5, 3, True)


def test_a_member_who_left_the_committee_is_refused_at_a_later_meeting(tree, two_terms):
    zhou, _wu = two_terms
    with pytest.raises(ValidationError) as exc:
        record(tree, start=at(2024, 4, 1), attendance={zhou.pk: (P, "")})
    assert exc.value.message_dict["attendance"] == [
        "周委员在2024年4月1日不是支委会委员：支部委员会只登记当时委员的出勤。"
    ]
    activity = record(
        tree, start=at(2024, 4, 1), attendance={tree.members.sec_a.pk: (P, ""), tree.members.a3.pk: (P, "")}
    )
    assert (activity.committee_size, activity.committee_present, activity.quorum_met) == (3, 2, True)


def test_api_records_the_committee_of_the_day_and_the_lights_leave_it_out(tree, two_terms, login):
    from zhibu.rules import selectors as lights

    m = tree.members
    client = login(tree.users.sec_a)
    payload = {
        "org": tree.a.code,
        "kind": "committee-meeting",
        "topic": "三月支委会",
        "starts_at": "2023-03-06T14:00:00",
        "ends_at": "2023-03-06T15:00:00",
        "attendance": [
            {"member_id": m.sec_a.pk, "presence": "present"},
            {"member_id": m.member_a.pk, "presence": "present"},
        ],
    }
    response = client.post(
        reverse("api:records_create"), data=json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["committee_size"], body["committee_present"], body["quorum_met"]) == (5, 2, False)
    view = lights.branch_year(actor=SYSTEM, org=tree.a, year=2023, today=date(2023, 6, 1))
    march = next(e for e in view.month(3).items if e.rule.code == "ZB-02")
    assert (march.label, march.item.count) == ("未完成", 0)
    assert march.problems[0].startswith(
        "2023年3月6日的支部委员会到会委员 2 人、支委会共 5 人，未超过半数，未达法定人数"
    )


def _badges(html: str) -> dict[str, bool]:
    """Each checklist line's name, and whether it carries the 委员 badge."""
    return {
        name: bool(badge)
        for name, badge in re.findall(
            r'<span class="who">([^<]+?)( <span class="badge">委员</span>)?</span>', html
        )
    }


def test_the_checklist_marks_the_committee_of_the_meetings_day_not_todays(tree, two_terms, login):
    zhou, wu = two_terms
    m = tree.members
    client = login(tree.users.sec_a)
    url = reverse("records:create", args=[tree.a.code])

    # 2023: the committee of five sat, 周委员 and 吴委员 among them (their posts ended at the 2024 换届)
    during = _badges(
        client.get(url, {"kind": "general-meeting", "starts_at": "2023-03-06T14:00"}).content.decode()
    )
    assert during[zhou.name] is True and during[wu.name] is True and during[m.sec_a.name] is True
    assert during[m.a4.name] is False
    # 2024, after the 换届: only today's three
    after = _badges(
        client.get(url, {"kind": "general-meeting", "starts_at": "2024-04-01T14:00"}).content.decode()
    )
    assert {name for name, badge in after.items() if badge} == {m.sec_a.name, m.member_a.name, m.a3.name}
    # 2021, before the 2022 换届: 周委员 and 吴委员 were not yet on the committee (their posts started in 2022)
    before = _badges(
        client.get(url, {"kind": "general-meeting", "starts_at": "2021-06-07T14:00"}).content.decode()
    )
    assert {name for name, badge in before.items() if badge} == {m.sec_a.name, m.member_a.name, m.a3.name}
    assert before[zhou.name] is False and before[wu.name] is False
    # the committee members of the day come first
    assert list(during.values()) == [True] * 5 + [False] * (len(during) - 5)


def test_the_edit_page_and_a_refused_post_mark_the_committee_of_the_day(tree, two_terms, login):
    zhou, _wu = two_terms
    m = tree.members
    activity = record(tree, kind="general-meeting", start=at(2023, 3, 6), attendance={m.sec_a.pk: (P, "")})
    client = login(tree.users.sec_a)
    edit = _badges(client.get(reverse("records:edit", args=[activity.pk])).content.decode())
    assert edit[zhou.name] is True
    refused = client.post(
        reverse("records:create", args=[tree.a.code]),
        {
            "kind": "general-meeting",
            "topic": "",
            "starts_at": "2023-03-06T14:00",
            "ends_at": "2023-03-06T15:00",
        },
    )
    assert refused.status_code == 400
    assert _badges(refused.content.decode())[zhou.name] is True


def _post_column(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<td data-label="姓名">([^<]+)</td>\s*<td data-label="当日职务">([^<]+)</td>', page)


def test_the_record_page_shows_the_posts_held_on_the_day_of_the_meeting(tree, two_terms, login):
    """A 2023 支委会 lists 周委员 and 吴委员 with the posts they held then (they left the committee at the 2024
    换届, so today's roster has none), that day's committee first; a 2024 meeting shows them without a post."""
    zhou, wu = two_terms
    m = tree.members
    present = {pk: (P, "") for pk in (m.sec_a.pk, m.member_a.pk, m.a3.pk, zhou.pk, wu.pk)}
    then = record(tree, start=at(2023, 3, 6), attendance=present)
    client = login(tree.users.sec_a)
    rows = _post_column(client.get(reverse("records:detail", args=[then.pk])).content.decode())
    assert dict(rows) == {
        "张文慧": "书记",
        "李慧欣": "组织委员",
        "陶俊颖": "宣传委员",
        "周委员": "纪检委员",
        "吴委员": "委员",
    }
    assert len(rows) == 5
    later = record(
        tree,
        kind="general-meeting",
        start=at(2024, 4, 1),
        attendance={pk: (P, "") for pk in (m.sec_a.pk, zhou.pk)},
    )
    rows = _post_column(client.get(reverse("records:detail", args=[later.pk])).content.decode())
    assert ("张文慧", "书记") in rows and ("周委员", "—") in rows
    assert rows.index(("张文慧", "书记")) < rows.index(("周委员", "—"))  # that day's committee first
