import json
from datetime import date

from django.urls import reverse

from zhibu.records.models import Activity, Attendance
from zhibu.testing import factories as f

from .helpers import record


def _payload(tree, **extra):
    m = tree.members
    data = {
        "org": tree.a.code,
        "kind": "committee-meeting",
        "topic": "接口录入的支委会",
        "starts_at": "2023-04-03T14:00:00",
        "ends_at": "2023-04-03T15:30:00",
        "location": "会议室",
        "host_id": m.sec_a.pk,
        "attendance": [
            {"member_id": m.sec_a.pk, "presence": "present"},
            {"member_id": m.member_a.pk, "presence": "present"},
            {"member_id": m.a3.pk, "presence": "leave", "reason": "出差"},
        ],
    }
    data.update(extra)
    return data


def _post(client, url, data, method="post"):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


def test_create_then_read(tree, login):
    client = login(tree.users.sec_a)
    response = _post(client, reverse("api:records_create"), _payload(tree))
    assert response.status_code == 201
    body = response.json()
    assert body["held_on"] == "2023-04-03" and body["starts_at"].startswith("2023-04-03T14:00:00+08:00")
    assert (body["expected_count"], body["present_count"], body["committee_present"]) == (3, 2, 2)
    assert body["quorum_met"] is True
    assert sorted((a["name"], a["presence"]) for a in body["attendance"]) == [
        ("张文慧", "present"),
        ("李慧欣", "present"),
        ("陶俊颖", "leave"),
    ]
    listing = client.get(reverse("api:records_list") + "?org=branch-a&year=2023&month=4").json()
    assert [(r["id"], r["topic"], r["present_count"]) for r in listing] == [
        (body["id"], "接口录入的支委会", 2)
    ]


def test_bad_input_is_422_in_chinese_and_saves_nothing(tree, login):
    client = login(tree.users.sec_a)
    m = tree.members
    cases = [
        ({"ends_at": "2023-04-03T13:00:00"}, "ends_at", "结束时间不能早于开始时间。"),
        ({"kind": "no-such-kind"}, "kind", "未知的活动类型：no-such-kind"),
        (
            {"attendance": [{"member_id": m.a3.pk, "presence": "leave"}]},
            "attendance",
            "陶俊颖：请假须填写事由。",
        ),
        (
            {"attendance": [{"member_id": m.b1.pk, "presence": "present"}]},
            "attendance",
            f"编号 {m.b1.pk} 的人员不是本支部党员，不能登记出勤。",
        ),
        ({"host_id": m.b1.pk}, "host", "主持人必须是本支部党员。"),
    ]
    for change, field, message in cases:
        response = _post(client, reverse("api:records_create"), _payload(tree, **change))
        assert response.status_code == 422, change
        assert response.json()["errors"][field] == [message]
    assert not Activity.objects.unscoped().exists() and not Attendance.objects.unscoped().exists()


def test_update_replaces_attendance_or_keeps_it(tree, login):
    m = tree.members
    activity = record(tree, attendance={m.sec_a.pk: ("present", "")})
    client = login(tree.users.sec_a)
    url = reverse("api:records_update", args=[activity.pk])
    payload = _payload(tree)
    payload.pop("org")
    assert _post(client, url, payload, "put").json()["present_count"] == 2
    payload.pop("attendance")
    payload["topic"] = "改了主题"
    body = _post(client, url, payload, "put").json()
    assert body["topic"] == "改了主题" and body["present_count"] == 2


def test_plain_member_gets_schedule_fields_only(tree, login):
    activity = record(tree, content="纪要正文", attendance={tree.members.member_a.pk: ("present", "")})
    client = login(tree.users.member_a)
    body = client.get(reverse("api:records_detail", args=[activity.pk])).json()
    assert body["full"] is False and body["topic"] == "三月支委会" and body["my_presence"] == "present"
    assert body["content"] is None and body["attendance"] is None and body["attachments"] is None
    assert body["present_count"] is None
    rows = client.get(reverse("api:records_list") + "?org=branch-a").json()
    assert rows[0]["expected_count"] is None and rows[0]["location"] == "三楼党员活动室"
    other = f.make_activity(tree.b, "theme-day", date(2023, 3, 1))
    assert client.get(reverse("api:records_detail", args=[other.pk])).status_code == 404


def test_delete_and_kinds(tree, login):
    activity = record(tree)
    client = login(tree.users.sec_a)
    assert client.delete(reverse("api:records_delete", args=[activity.pk])).status_code == 204
    assert not Activity.objects.unscoped().exists()
    created = _post(client, reverse("api:records_kind_create"), {"org": "branch-a", "name": "读书会"})
    assert created.status_code == 201 and created.json()["code"] == "c-dushuhui"
    kinds = client.get(reverse("api:records_kinds") + "?org=branch-a").json()
    assert [k["code"] for k in kinds][:3] == ["general-meeting", "committee-meeting", "group-meeting"]
    assert {
        "code": "c-dushuhui",
        "name": "读书会",
        "org": "branch-a",
        "needs_speaker": False,
        "checks_quorum": False,
    } in kinds
    assert len(kinds) == 13  # 11 built-in kinds, 述职评议 and the new one


def test_token_auth_uses_the_same_scope(tree, client):
    from zhibu.accounts.services import token_create

    activity = record(tree)
    raw = token_create(actor=None, user=tree.users.sec_b)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(reverse("api:records_detail", args=[activity.pk]), **headers).status_code == 404
    assert client.get(reverse("api:records_list") + "?org=branch-b", **headers).json() == []
    assert client.get(reverse("api:records_list") + "?org=branch-a", **headers).status_code == 404
