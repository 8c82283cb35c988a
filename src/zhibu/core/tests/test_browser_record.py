"""The secretary records a 支部委员会 with attendance from a phone-sized window and sees it listed."""

from __future__ import annotations

import pytest

from zhibu.testing.browser import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_secretary_records_committee_meeting_on_phone(phone, live_server, demo_data):
    from zhibu.records.models import Activity

    committee = [m for m in demo_data.members["wolongshan-kg"].values() if m.on_committee]
    login(phone, live_server.url, "secretary", "zhibu-demo-2022")
    phone.goto(f"{live_server.url}/records/wolongshan-kg/new/?kind=committee-meeting")
    phone.fill("input[name=topic]", "研究十二月党建工作安排")
    phone.fill("input[name=starts_at]", "2022-12-28T16:30")
    phone.fill("input[name=ends_at]", "2022-12-28T17:30")
    phone.fill("input[name=location]", "党员活动室")
    for member in committee[:3]:
        phone.check(f"input[name=presence_{member.pk}][value=present]")
    phone.check(f"input[name=presence_{committee[3].pk}][value=leave]")
    phone.fill(f"input[name=reason_{committee[3].pk}]", "外出参加区级培训")
    shot(phone, "phone-record-form")
    phone.click("button[type=submit]")
    phone.wait_for_load_state("networkidle")
    saved = Activity.objects.unscoped().get(topic="研究十二月党建工作安排")
    assert saved.kind.code == "committee-meeting" and saved.present_count == 3
    assert saved.committee_size == 5 and saved.committee_present == 3
    phone.goto(f"{live_server.url}/records/wolongshan-kg/?month=2022-12")
    assert phone.locator("text=研究十二月党建工作安排").count() >= 1
    shot(phone, "phone-record-listed")
