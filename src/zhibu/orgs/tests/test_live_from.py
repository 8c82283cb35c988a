"""Issue 11, point 7: the 启用日期 is read and written where the organisation's settings are — the service, the
API and the edit page — by the superior only, and checked."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhibu.audit.models import AuditEntry
from zhibu.orgs import scoping, services
from zhibu.orgs.models import Organisation


def _patch(client, code: str, data: dict):
    return client.patch(f"/api/v1/orgs/{code}", data=json.dumps(data), content_type="application/json")


def _live(code: str = "branch-a"):
    return Organisation.objects.get(code=code).live_from


def test_api_reads_the_live_date(tree, login):
    services.org_update(actor=tree.users.district, org=tree.a, live_from=date(2022, 5, 1))
    client = login(tree.users.sec_a)
    assert client.get("/api/v1/orgs/branch-a").json()["live_from"] == "2022-05-01"
    listing = {
        o["code"]: o["live_from"]
        for o in login(tree.users.district).get("/api/v1/orgs/?root=district-edu").json()
    }
    assert listing == {"district-edu": None, "branch-a": "2022-05-01", "branch-a-g1": None, "branch-b": None}


def test_superior_sets_and_clears_the_live_date_through_the_api_and_the_months_before_go_dark(tree, login):
    from zhibu.rules import selectors as lights

    client = login(tree.users.district)
    response = _patch(client, "branch-a", {"live_from": "2022-05-01"})
    assert response.status_code == 200 and response.json()["live_from"] == "2022-05-01"
    assert _live() == date(2022, 5, 1)
    entry = AuditEntry.objects.filter(verb="org.update").order_by("-id").first()
    assert "live_from" in json.dumps(entry.detail, default=str)
    view = lights.branch_year(
        actor=scoping.SYSTEM,
        org=Organisation.objects.get(code="branch-a"),
        year=2022,
        today=date(2022, 7, 20),
    )
    assert [m.colour_label for m in view.months[:4]] == ["未启用"] * 4
    assert view.months[4].colour != "off"  # May is judged
    response = _patch(client, "branch-a", {"live_from": None})
    assert response.status_code == 200 and response.json()["live_from"] is None and _live() is None


def test_a_branch_secretary_cannot_set_its_own_live_date(tree, login):
    response = _patch(login(tree.users.sec_a), "branch-a", {"live_from": "2022-05-01"})
    assert response.status_code == 404
    assert _live() is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1999-12-31", "启用日期应在 2000—2100 年之间。"),
        ("2101-01-01", "启用日期应在 2000—2100 年之间。"),
    ],
)
def test_a_live_date_out_of_range_is_refused(tree, login, value, message):
    response = _patch(login(tree.users.district), "branch-a", {"live_from": value})
    assert response.status_code == 422
    assert response.json()["errors"]["live_from"] == [message]
    assert _live() is None


def test_a_live_date_after_dissolution_is_refused(tree):
    Organisation.objects.filter(pk=tree.b.pk).update(dissolved_on=date(2023, 6, 30))
    branch = Organisation.objects.get(pk=tree.b.pk)
    with pytest.raises(ValidationError) as exc:
        services.org_update(actor=tree.users.district, org=branch, live_from=date(2023, 7, 1))
    assert exc.value.message_dict == {"live_from": ["启用日期不能晚于撤销日期。"]}
    assert _live("branch-b") is None


def test_edit_page_writes_the_live_date_and_the_detail_page_shows_it(tree, login):
    client = login(tree.users.district)
    form = {
        "name": tree.a.name,
        "short_name": "",
        "secretary_name": "",
        "contact_name": "",
        "contact_phone": "",
        "founded_on": "",
        "unit_situation": tree.a.unit_situation,
        "unit_names": "",
        "live_from": "2022-09-01",
    }
    response = client.post(reverse("orgs:edit", args=["branch-a"]), form)
    assert response.status_code == 302, response.content.decode()
    assert _live() == date(2022, 9, 1)
    page = client.get(reverse("orgs:detail", args=["branch-a"])).content.decode()
    assert "2022-09-01" in page and "此前的月份不亮灯" in page
    response = client.post(reverse("orgs:edit", args=["branch-a"]), {**form, "live_from": "1999-01-01"})
    assert response.status_code == 400 and "启用日期应在 2000—2100 年之间。" in response.content.decode()
    assert _live() == date(2022, 9, 1)
