"""Years in the report API: 1921 (the Party's founding) to 2100 are read; outside that, 422 with the API's one
error body, as the OpenAPI document declares (issue 10, point 5)."""

import pytest
from django.utils import timezone

from zhibu.reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", [1921, 1949, 1999, 2000, 2100])
def test_preview_answers_every_year_from_the_founding(tree, login, year):
    response = login(tree.users.sec_a).get(f"/api/v1/reports/orgs/branch-a/{year}/preview")
    assert response.status_code == 200
    body = response.json()
    assert body["report"] is None
    assert body["blocks"][0]["text"] == f"{year}年度组织生活会党建工作述职评议报告"


@pytest.mark.parametrize(
    ("year", "message"), [(1920, "不能小于 1921。"), (2101, "不能大于 2100。"), (-5, "不能小于 1921。")]
)
def test_preview_refuses_a_year_outside_the_range_with_422(tree, login, year, message):
    response = login(tree.users.sec_a).get(f"/api/v1/reports/orgs/branch-a/{year}/preview")
    assert response.status_code == 422
    assert response.json() == {"detail": "请求参数不符合要求。", "errors": {"year": [message]}}


@pytest.mark.parametrize("year", [1921, 1999, "next"])
def test_starting_a_draft_outside_2000_to_this_year_is_422_not_404(tree, login, year):
    year = timezone.localdate().year + 1 if year == "next" else year
    response = login(tree.users.sec_a).post(f"/api/v1/reports/orgs/branch-a/{year}/start")
    assert response.status_code == 422
    assert response.json() == {
        "detail": "数据校验未通过。",
        "errors": {"year": ["年度应在 2000 年到今年之间。"]},
    }
    assert not Report.objects.unscoped().exists()


def test_the_openapi_document_declares_the_refusals(tree, login):
    paths = login(tree.users.sec_a).get("/api/v1/openapi.json").json()["paths"]
    preview = paths["/api/v1/reports/orgs/{code}/{year}/preview"]["get"]
    start = paths["/api/v1/reports/orgs/{code}/{year}/start"]["post"]
    assert {"200", "401", "404", "422"} <= set(preview["responses"])
    assert {"200", "400", "401", "403", "404", "409", "422"} <= set(start["responses"])
    error = start["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
    assert error == preview["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
    year = next(p for p in preview["parameters"] if p["name"] == "year")["schema"]
    assert (year["minimum"], year["maximum"]) == (1921, 2100)
