"""On a phone: the secretary searches the roster by pinyin initials, reveals a member's ID number (audited),
and a bad roster file is refused whole with row-level errors."""

from __future__ import annotations

from datetime import date

import pytest

from zhibu.testing.browser import login, shot
from zhibu.testing.factories import PASSWORD

from .helpers import id_for, row, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_roster_on_a_phone(phone, live_server, tree, tmp_path):
    """Kept as one test: run after other database tests, a second live-server test in this file found the
    seeded 组织类别 gone (the serialized rollback did not restore them)."""
    from zhibu.audit.models import AuditEntry
    from zhibu.people.models import Member

    login(phone, live_server.url, "sec_a", PASSWORD)
    phone.goto(f"{live_server.url}/people/")
    assert phone.url.endswith(f"/people/org/{tree.a.code}/")
    phone.fill("input[name=q]", "zwh")
    phone.wait_for_selector("#member-table >> text=李慧欣", state="detached")
    assert phone.locator("#member-table tbody tr").count() == 1
    assert not phone.locator("#member-table thead").is_visible()  # cells stack with their labels on a phone
    shot(phone, "phone-roster-search")
    # a search by ID number is posted: the address holds its digest, never the number
    phone.fill("input[name=q]", tree.members.a3.id_number)
    phone.wait_for_selector("#member-table >> text=陶俊颖")
    phone.wait_for_url("**q=sfz-*")
    assert tree.members.a3.id_number not in phone.url
    assert phone.locator("#member-table tbody tr").count() == 1
    phone.fill("input[name=q]", "zwh")
    phone.wait_for_selector("#member-table >> text=陶俊颖", state="detached")
    phone.click("#member-table >> text=张文慧")
    phone.wait_for_load_state("networkidle")
    number = tree.members.sec_a.id_number
    assert number not in phone.content()
    phone.click("text=显示完整信息")
    phone.wait_for_selector(f"text={number}")
    shot(phone, "phone-member-revealed")
    assert AuditEntry.objects.filter(verb="member.reveal", target_id=str(tree.members.sec_a.pk)).count() == 1

    # a bad roster file is refused whole, with the row, the column and the reason
    good = id_for(date(1990, 1, 2), 12)
    bad = id_for(date(1991, 1, 2), 12)
    bad = bad[:17] + ("0" if bad[17] != "0" else "1")
    path = tmp_path / "名册.xlsx"
    path.write_bytes(xlsx([row("周晓梅", good), row("吴建国", bad)]).getvalue())
    before = Member.objects.unscoped().count()
    phone.goto(f"{live_server.url}/people/org/{tree.a.code}/import/")
    phone.set_input_files("input[name=file]", str(path))
    phone.click("text=校验并导入")
    phone.wait_for_load_state("networkidle")
    assert "第3行「公民身份号码」：校验位不正确" in phone.locator(".errorlist").inner_text()
    shot(phone, "phone-roster-import-refused")
    assert Member.objects.unscoped().count() == before
