"""Phone-sized checks of the attendance checklist: switching the kind redraws it without losing ticks."""

from __future__ import annotations

import pytest

from zhibu.testing.browser import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_kind_change_redraws_checklist_and_keeps_ticks(phone, live_server, demo_data):
    members = demo_data.members["wolongshan-kg"].values()
    committee = [m for m in members if m.on_committee]
    others = [m for m in members if not m.on_committee and m.is_party_member and m.left_on is None]
    login(phone, live_server.url, "secretary", "zhibu-demo-2022")
    phone.goto(f"{live_server.url}/records/wolongshan-kg/new/?kind=committee-meeting")
    assert phone.locator("input[type=radio][value=present]").count() == len(committee)
    phone.check(f"input[name=presence_{committee[0].pk}][value=present]")
    phone.select_option("select[name=kind]", "general-meeting")
    phone.wait_for_selector(f"input[name=presence_{others[0].pk}]")
    assert phone.locator("input[type=radio][value=present]").count() >= len(committee) + 1
    assert phone.is_checked(f"input[name=presence_{committee[0].pk}][value=present]")
    phone.click("[data-check-all=present]")
    assert phone.is_checked(f"input[name=presence_{others[0].pk}][value=present]")
    shot(phone, "phone-record-general-meeting")
