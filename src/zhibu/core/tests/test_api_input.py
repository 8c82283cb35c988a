"""Bad input to the REST API is refused with 4xx and the one error body, never a 500: each class of input a
schemathesis run found falling over (negative offsets, ids past 64 bits, years out of range, malformed JSON,
NUL characters, a malformed PATCH of a member), and the error responses every operation declares."""

import json

import pytest
from django.urls import reverse

from zhibu.api import api
from zhibu.core.apischema import MAX_ID
from zhibu.people.models import Member
from zhibu.records.models import Activity

NOT_FOUND = {"detail": "不存在或无权访问。", "errors": {}}


def _input_error(errors):
    return {"detail": "请求参数不符合要求。", "errors": errors}


def _member_row(member):
    return Member.objects.unscoped().filter(pk=member.pk).values().get()


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"offset": "-1"}, {"offset": ["不能小于 0。"]}),
        ({"limit": "-61555"}, {"limit": ["不能小于 1。"]}),
        ({"limit": "0"}, {"limit": ["不能小于 1。"]}),
        ({"limit": "501"}, {"limit": ["不能大于 500。"]}),
        ({"offset": str(2**65)}, {"offset": ["不能大于 1000000000。"]}),
        ({"offset": "abc"}, {"offset": ["须为整数。"]}),
    ],
)
def test_people_list_refuses_offsets_and_limits_out_of_range(tree, login, params, errors):
    response = login(tree.users.sec_a).get(reverse("api:people_list"), params)
    assert response.status_code == 422
    assert response.json() == _input_error(errors)


def test_people_list_pages_within_range(tree, login):
    client = login(tree.users.sec_a)
    names = [m["name"] for m in client.get(reverse("api:people_list"), {"org": "branch-a"}).json()]
    page = client.get(reverse("api:people_list"), {"org": "branch-a", "limit": 2, "offset": 1}).json()
    assert [m["name"] for m in page] == names[1:3]


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"org": "branch-a", "offset": "-3"}, {"offset": ["不能小于 0。"]}),
        ({"org": "branch-a", "year": "-1"}, {"year": ["不能小于 1921。"]}),
        ({"org": "branch-a", "year": "114810340"}, {"year": ["不能大于 2100。"]}),
        ({"org": "branch-a", "year": "2024", "month": "13"}, {"month": ["不能大于 12。"]}),
    ],
)
def test_activity_list_refuses_offsets_years_and_months_out_of_range(tree, login, params, errors):
    response = login(tree.users.sec_a).get(reverse("api:records_list"), params)
    assert response.status_code == 422
    assert response.json() == _input_error(errors)


@pytest.mark.parametrize("name", ["people_detail", "people_update"])
def test_member_id_past_64_bits_is_422_and_the_largest_id_is_404(tree, login, name):
    client = login(tree.users.sec_a)

    def call(pk):
        if name == "people_detail":
            return client.get(reverse(f"api:{name}", args=[pk]))
        return client.patch(
            reverse(f"api:{name}", args=[pk]), {"post": "教师"}, content_type="application/json"
        )

    too_big = call(MAX_ID + 1)
    assert too_big.status_code == 422
    assert too_big.json() == _input_error({"member_id": [f"不能大于 {MAX_ID}。"]})
    largest = call(MAX_ID)
    assert largest.status_code == 404
    assert largest.json() == NOT_FOUND


def test_ids_past_64_bits_in_other_apps_and_in_a_body_are_422(tree, login):
    client = login(tree.users.sec_a)
    dues = client.get(f"/api/v1/dues/members/{2**64}")
    assert (dues.status_code, dues.json()) == (422, _input_error({"pk": [f"不能大于 {MAX_ID}。"]}))
    body = {
        "org": "branch-a",
        "kind": "party-lesson",
        "topic": "党课",
        "starts_at": "2024-05-10T09:00:00",
        "ends_at": "2024-05-10T10:00:00",
        "attendance": [{"member_id": 2**64, "presence": "present"}],
    }
    created = client.post(reverse("api:records_create"), body, content_type="application/json")
    assert created.status_code == 422
    assert created.json() == _input_error({"attendance.0.member_id": [f"不能大于 {MAX_ID}。"]})
    assert not Activity.objects.unscoped().exists()


def test_a_negative_id_in_the_path_is_a_json_404(tree, login):
    response = login(tree.users.sec_a).get("/api/v1/people/-1")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize(
    ("year", "message"),
    [("63193", "不能大于 2100。"), ("1920", "不能小于 1921。"), ("54205737903117", "不能大于 2100。")],
)
def test_work_yearly_figures_refuse_a_year_out_of_range(tree, login, year, message):
    response = login(tree.users.sec_a).get(f"/api/v1/work/orgs/branch-a/figures/{year}")
    assert response.status_code == 422
    assert response.json() == _input_error({"year": [message]})


def test_work_yearly_figures_answer_a_year_in_range(tree, login):
    response = login(tree.users.sec_a).get("/api/v1/work/orgs/branch-a/figures/2024")
    assert response.status_code == 200
    assert (response.json()["org"], response.json()["year"]) == ("branch-a", 2024)


def test_report_preview_refuses_a_year_out_of_range(tree, login):
    response = login(tree.users.sec_a).get("/api/v1/reports/orgs/branch-a/99999/preview")
    assert response.status_code == 422
    assert response.json() == _input_error({"year": ["不能大于 2100。"]})


def test_malformed_json_is_400_and_saves_nothing(tree, login):
    before = Member.objects.unscoped().count()
    response = login(tree.users.sec_a).post(
        reverse("api:people_create"), '{"org": "branch-a", "name": ', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "请求内容无法解析，请发送有效的 JSON。", "errors": {}}
    assert Member.objects.unscoped().count() == before


NUL_ERROR = ["不能含有空字符（\\u0000）。"]


def test_nul_in_a_json_string_is_422_and_saves_nothing(tree, login):
    before = Member.objects.unscoped().count()
    body = json.dumps({"org": "branch-a", "name": "周\u0000晓梅"})
    response = login(tree.users.sec_a).post(
        reverse("api:people_create"), body, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json() == {"detail": "数据校验未通过。", "errors": {"name": NUL_ERROR}}
    assert Member.objects.unscoped().count() == before


def test_nul_in_a_nested_string_a_query_and_a_patch_is_422(tree, login):
    client = login(tree.users.sec_a)
    body = {
        "org": "branch-a",
        "kind": "party-lesson",
        "topic": "党课",
        "starts_at": "2024-05-10T09:00:00",
        "ends_at": "2024-05-10T10:00:00",
        "attendance": [{"member_id": 1, "presence": "leave", "reason": "\x00"}],
    }
    nested = client.post(reverse("api:records_create"), body, content_type="application/json")
    assert (nested.status_code, nested.json()["errors"]) == (422, {"attendance.0.reason": NUL_ERROR})
    assert not Activity.objects.unscoped().exists()
    query = client.get(reverse("api:people_list"), {"q": "张\x00"})
    assert (query.status_code, query.json()["errors"]) == (422, {"q": NUL_ERROR})
    member = tree.members.a3
    before = _member_row(member)
    patch = client.patch(
        reverse("api:people_update", args=[member.pk]),
        {"address": "幸福路\x001号"},
        content_type="application/json",
    )
    assert (patch.status_code, patch.json()["errors"]) == (422, {"address": NUL_ERROR})
    assert _member_row(member) == before


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"address": None, "standing": "normal"}, {"address": ["不能为 null；不修改请省略该字段。"]}),
        (
            {"name": None, "mobile": None},
            {"name": ["不能为 null；不修改请省略该字段。"], "mobile": ["不能为 null；不修改请省略该字段。"]},
        ),
        ({"lost_contact": "maybe"}, {"lost_contact": ["须为 true 或 false。"]}),
        ({"phone": 12}, {"phone": ["须为文本。"]}),
        ([1, 2], {"__all__": ["请求内容须为 JSON 对象（{...}）。"]}),
        ('"a string"', {"__all__": ["请求内容须为 JSON 对象（{...}）。"]}),
    ],
)
def test_a_malformed_patch_of_a_member_is_422_and_changes_nothing(tree, login, body, errors):
    member = tree.members.a3
    before = _member_row(member)
    response = login(tree.users.sec_a).patch(
        reverse("api:people_update", args=[member.pk]), body, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == errors
    assert set(response.json()) == {"detail", "errors"}
    assert _member_row(member) == before


def test_a_patch_may_clear_the_nullable_fields(tree, login):
    member = tree.members.a3
    response = login(tree.users.sec_a).patch(
        reverse("api:people_update", args=[member.pk]),
        {"party_group": None, "lost_contact_since": None},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["party_group"] is None
    assert Member.objects.unscoped().get(pk=member.pk).party_group_id is None


def test_without_a_token_the_answer_is_401_in_the_error_body(db, client):
    response = client.get(reverse("api:people_list"))
    assert response.status_code == 401
    assert response.json() == {"detail": "未登录或令牌无效。", "errors": {}}


def test_every_operation_declares_its_errors_with_the_one_error_schema(db):
    schema = api.get_openapi_schema()
    assert set(schema["components"]["schemas"]["ErrorOut"]["properties"]) == {"detail", "errors"}
    undeclared = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            expected = {"401", "404"}
            if operation.get("parameters") or operation.get("requestBody"):
                expected.add("422")
            if method != "get":
                expected |= {"400", "403", "409", "422"}
            responses = {str(code): response for code, response in operation["responses"].items()}
            for code in expected:
                content = responses.get(code, {}).get("content", {})
                ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
                if ref != "#/components/schemas/ErrorOut":
                    undeclared.append((method, path, code))
    assert undeclared == []
    assert len(schema["paths"]) > 50


def test_an_upload_without_a_multipart_boundary_is_400(tree, login):
    response = login(tree.users.sec_a).post(
        "/api/v1/study/branch-a/import", b"--x\r\n", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "上传内容无法解析，请以 multipart/form-data 发送文件。",
        "errors": {},
    }
