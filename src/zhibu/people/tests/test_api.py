from datetime import date

from django.urls import reverse

from zhibu.audit.models import AuditEntry
from zhibu.people.models import Member, Status

from .helpers import id_for


def _body(**overrides):
    data = {
        "org": "branch-a",
        "name": "周晓梅",
        "id_number": id_for(date(1988, 5, 20), 246),
        "ethnicity": "汉族",
        "status": "正式党员",
        "joined_on": "2015-06-01",
        "confirmed_on": "2016-06-01",
        "party_group": "branch-a-g1",
        "phone": "13912345678",
    }
    data.update(overrides)
    return data


def test_list_is_scoped_searched_and_masked(tree, login):
    client = login(tree.users.sec_a)
    data = client.get(reverse("api:people_list"), {"org": "branch-a", "q": "zwh"}).json()
    assert [(m["name"], m["masked"]) for m in data] == [("张文慧", True)]
    assert data[0]["id_number"] == tree.members.sec_a.id_number_masked
    everyone = client.get(reverse("api:people_list")).json()
    assert sorted(m["name"] for m in everyone) == ["张文慧", "李慧欣", "王明", "陶俊颖"]
    assert client.get(reverse("api:people_list"), {"org": "branch-b"}).status_code == 404


def test_plain_member_lists_only_self(tree, login):
    data = login(tree.users.member_a).get(reverse("api:people_list")).json()
    assert [m["name"] for m in data] == ["李慧欣"]


def test_detail_full_needs_pii_and_is_audited(tree, login):
    a3 = tree.members.a3
    masked = login(tree.users.auditor).get(reverse("api:people_detail", args=[a3.pk])).json()
    assert masked["id_number"] == a3.id_number_masked
    assert [h["status"] for h in masked["history"]] == [
        "applicant",
        "activist",
        "candidate",
        "probationary",
        "full",
    ]
    assert (
        login(tree.users.auditor)
        .get(reverse("api:people_detail", args=[a3.pk]), {"full": "true"})
        .status_code
        == 404
    )
    full = login(tree.users.sec_a).get(reverse("api:people_detail", args=[a3.pk]), {"full": "true"}).json()
    assert (full["id_number"], full["masked"]) == (a3.id_number, False)
    assert AuditEntry.objects.filter(verb="member.reveal").count() == 1


def test_create_and_validation_errors_in_chinese(tree, login):
    client = login(tree.users.sec_a)
    bad = _body(id_number=_body()["id_number"][:17] + "0")
    if bad["id_number"] == _body()["id_number"]:
        bad["id_number"] = bad["id_number"][:17] + "1"
    refused = client.post(reverse("api:people_create"), bad, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"id_number": ["校验位不正确。"]}
    wrong_date = client.post(
        reverse("api:people_create"), _body(joined_on="2015-13-01"), content_type="application/json"
    )
    assert wrong_date.status_code == 422
    assert wrong_date.json()["errors"] == {
        "joined_on": ["“2015-13-01”不是有效日期，请写成 2022-06-01 的格式。"]
    }
    assert not Member.objects.unscoped().filter(name="周晓梅").exists()
    created = client.post(reverse("api:people_create"), _body(), content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["party_group"], body["gender"], body["phone"]) == (
        "full",
        "branch-a-g1",
        "2",
        "139****5678",
    )


def test_create_out_of_scope_is_404(tree, login):
    response = login(tree.users.sec_b).post(
        reverse("api:people_create"), _body(), content_type="application/json"
    )
    assert response.status_code == 404
    assert not Member.objects.unscoped().filter(name="周晓梅").exists()


def test_update_and_status(tree, login):
    client = login(tree.users.sec_a)
    a4 = tree.members.a4
    updated = client.patch(
        reverse("api:people_update", args=[a4.pk]),
        {"post": "教师", "education": "大学本科"},
        content_type="application/json",
    )
    assert updated.status_code == 200 and (updated.json()["post"], updated.json()["education"]) == (
        "教师",
        "20",
    )
    early = client.post(
        reverse("api:people_status_add", args=[a4.pk]),
        {"status": "full", "on": "2023-01-01"},
        content_type="application/json",
    )
    assert early.status_code == 422
    assert early.json()["errors"] == {"confirmed_on": ["转正日期应在入党日期满一年之后（预备期为一年）。"]}
    done = client.post(
        reverse("api:people_status_add", args=[a4.pk]),
        {"status": "full", "on": "2023-06-01"},
        content_type="application/json",
    )
    assert done.status_code == 201 and done.json()["status"] == Status.FULL
