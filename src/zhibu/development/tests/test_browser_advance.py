"""The secretary advances 朱晓彤's case one step from a phone-sized window and sees it recorded."""

from __future__ import annotations

import pytest

from zhibu.testing.browser import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_secretary_advances_a_case_on_phone(phone, live_server, demo_data):
    from zhibu.development.models import Case, StepRecord

    case = Case.objects.unscoped().get(member__name="朱晓彤")
    login(phone, live_server.url, "secretary", "zhibu-demo-2022")
    phone.goto(f"{live_server.url}/development/case/{case.pk}/")
    phone.click("#advance")
    phone.fill("input[name=on]", "2023-06-12")
    phone.fill("textarea[name=content]", "本人提出书面转正申请。")
    shot(phone, "phone-development-advance")
    phone.click("button[type=submit]")
    phone.wait_for_load_state("networkidle")
    assert StepRecord.objects.unscoped().filter(case=case, step=22).count() == 1
    assert phone.locator("text=已记录第22步“提出转正申请”").count() == 1
    assert phone.locator("text=下一步：第23步 支部大会讨论").count() == 1
