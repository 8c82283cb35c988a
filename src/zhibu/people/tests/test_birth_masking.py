"""Without the personal-data permission, the birth year at most: the full date beside the masked number would
leave one candidate for the hidden digits."""

from __future__ import annotations

from django.urls import reverse


def test_auditor_sees_the_birth_year_only(tree, client):
    member = tree.members.a3
    client.force_login(tree.users.auditor)
    body = client.get(reverse("people:detail", args=[member.pk])).content.decode()
    assert f"{member.birth_date.year} 年" in body
    assert member.birth_date.strftime("%Y-%m-%d") not in body


def test_secretary_with_personal_data_sees_the_date(tree, client):
    member = tree.members.a3
    client.force_login(tree.users.sec_a)
    body = client.get(reverse("people:detail", args=[member.pk])).content.decode()
    assert member.birth_date.strftime("%Y-%m-%d") in body


def test_the_api_gives_the_year_while_masked(tree, client):
    member = tree.members.a3
    client.force_login(tree.users.auditor)
    data = client.get(f"/api/v1/people/{member.pk}").json()
    assert data["birth_date"] == str(member.birth_date.year) and data["masked"] is True
