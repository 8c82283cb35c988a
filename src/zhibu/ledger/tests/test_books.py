"""The record book of a year and the member archive, written from records."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document

from zhibu.records.models import Activity, Attendance
from zhibu.testing import factories as f

pytestmark = pytest.mark.django_db


def _year(t):
    m = t.members
    later = f.make_activity(
        t.a,
        "committee-meeting",
        date(2022, 9, 6),
        topic="研究发展对象",
        present=[m.sec_a],
        absent=[m.member_a],
        location="三楼会议室",
        content="讨论了发展计划。",
        decisions="同意列为发展对象。",
    )
    Attendance.objects.unscoped().filter(activity=later, member=m.member_a).update(
        presence="leave", reason="病假"
    )
    earlier = f.make_activity(
        t.a,
        "general-meeting",
        date(2022, 2, 15),
        topic="传达全会精神",
        present=[m.sec_a, m.member_a, m.a3],
        host=m.sec_a,
        recorder=m.member_a,
    )
    f.make_activity(t.a, "heart-talk", date(2022, 3, 1), present=[m.a3])  # not a meeting of the book
    f.make_activity(t.a, "general-meeting", date(2023, 1, 10), present=[m.sec_a])  # another year
    return earlier, later


def test_book_page_lists_the_years_meetings_in_date_order_with_people(tree, client):
    _year(tree)
    client.force_login(tree.users.sec_a)
    page = client.get(reverse("ledger:book", args=[tree.a.code]), {"year": 2022}).content.decode()
    assert page.index("传达全会精神") < page.index("研究发展对象")
    assert "主持人：张文慧　记录人：李慧欣" in page
    assert "应到2人，实到1人，请假1人，缺席0人。" in page
    assert "请假：李慧欣（病假）" in page
    assert "决议事项：同意列为发展对象。" in page
    assert "2022年03月01日" not in page and "2023年01月10日" not in page


def test_book_docx_has_one_heading_per_meeting(tree, client):
    _year(tree)
    client.force_login(tree.users.sec_a)
    response = client.get(reverse("ledger:book", args=[tree.a.code]), {"year": 2022, "as": "docx"})
    assert response.status_code == 200
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs if p.text]
    assert texts[0] == "甲幼儿园党支部2022年“三会一课”及组织生活记录"
    assert texts[1] == "共2次，按召开日期排列"
    assert [t for t in texts if "　支部" in t and "月" in t[:6]] == [
        "2月15日　支部党员大会",
        "9月6日　支部委员会",
    ]
    assert "议题：研究发展对象" in texts


def test_book_follows_the_records(tree, client):
    """One more meeting recorded: the book says so."""
    _year(tree)
    client.force_login(tree.users.sec_a)
    url = reverse("ledger:book", args=[tree.a.code])
    before = client.get(url, {"year": 2022}).content.decode().count('class="card book-entry"')
    f.make_activity(tree.a, "party-lecture", date(2022, 11, 3), present=[tree.members.sec_a])
    after = client.get(url, {"year": 2022}).content.decode().count('class="card book-entry"')
    assert (before, after) == (2, 3)


@pytest.mark.parametrize("year", ["20x2", "1800", "-1"])
def test_book_refuses_a_bad_year(tree, client, year):
    client.force_login(tree.users.sec_a)
    response = client.get(reverse("ledger:book", args=[tree.a.code]), {"year": year})
    assert response.status_code == 400
    assert "无效" in response.content.decode()


def test_demo_book_lists_every_2022_meeting(demo_data, client):
    from django.contrib.auth import get_user_model

    from zhibu.orgs.models import Organisation

    org = Organisation.objects.get(code="wolongshan-kg")
    client.force_login(get_user_model()._default_manager.get(username="secretary"))
    response = client.get(reverse("ledger:book", args=[org.code]), {"year": 2022, "as": "docx"})
    headings = [
        p.text
        for p in Document(io.BytesIO(response.content)).paragraphs
        if "　" in p.text[:7] and p.text.split("　")[0].endswith("日")
    ]
    expected = (
        Activity.objects.unscoped().filter(org=org, held_on__year=2022).exclude(kind__code="heart-talk")
    )
    assert len(headings) == expected.count() > 50


def test_archive_shows_every_section_to_the_member_and_the_secretary(tree, client):
    _year(tree)
    for user in (tree.users.member_a, tree.users.sec_a):
        client.force_login(user)
        page = client.get(reverse("ledger:archive", args=[tree.members.member_a.pk])).content.decode()
        for heading in (
            "基本情况",
            "人员类别变化",
            "发展过程",
            "参加组织生活",
            "交纳党费",
            "民主评议",
            "组织关系转接",
        ):
            assert f"<h2>{heading}</h2>" in page
        assert "2022年：应参加 2 次，出席 1 次，请假 1 次，缺席 0 次" in page
        assert tree.members.member_a.id_number not in page  # masked


def test_archive_docx_downloads_and_is_audited(tree, client):
    from zhibu.audit.models import AuditEntry

    client.force_login(tree.users.member_a)
    response = client.get(reverse("ledger:archive", args=[tree.members.member_a.pk]), {"as": "docx"})
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs if p.text]
    assert texts[0] == "党员电子档案：李慧欣"
    assert "七、组织关系转接" in texts
    assert AuditEntry.objects.filter(verb="ledger.archive_export").count() == 1


def test_a_member_cannot_open_another_members_archive(tree, client):
    client.force_login(tree.users.member_a)
    assert client.get(reverse("ledger:archive", args=[tree.members.a3.pk])).status_code == 404
