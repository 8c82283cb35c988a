"""The demo's accounts and their published password: usable as documented on a development server; on a
production server the published password opens nothing but the forced password change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhibu.accounts.models import User
from zhibu.demo import DEMO_PASSWORD, DemoContext
from zhibu.demo_core import build_core

pytestmark = pytest.mark.django_db
ACCOUNTS = ["auditor", "district", "member", "secretary"]


def _log_in(client, username):
    response = client.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[-800:]
    return client.get(reverse("people:index"))


def test_demo_accounts_log_in_with_the_documented_password_outside_production(client, settings):
    settings.PRODUCTION = False
    build_core(DemoContext())
    assert (
        sorted(User.objects.filter(must_change_password=False).values_list("username", flat=True)) == ACCOUNTS
    )
    assert _log_in(client, "secretary").status_code == 302  # on to the roster, not to the password page
    assert client.get(reverse("people:index"))["Location"] != reverse("accounts:password")


def test_in_production_the_published_password_must_be_changed_first(client, settings):
    settings.PRODUCTION = True
    build_core(DemoContext())
    assert (
        sorted(User.objects.filter(must_change_password=True).values_list("username", flat=True)) == ACCOUNTS
    )
    response = _log_in(client, "secretary")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:password"))
