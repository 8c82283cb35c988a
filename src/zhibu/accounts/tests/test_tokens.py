"""API tokens: expiry, revocation by page, API and command, revoked on password change, audited."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhibu.accounts import services
from zhibu.accounts.models import ApiToken
from zhibu.audit import selectors as audit_selectors
from zhibu.testing.factories import PASSWORD


def _me(_client, raw):
    client = Client()  # no session: the bearer token alone
    return client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code


def test_a_token_expires_after_the_configured_days(tree, client, settings):
    settings.TOKEN_DAYS = 90
    raw = services.token_create(actor=None, user=tree.users.sec_a)
    token = ApiToken.objects.get()
    assert (token.expires_at - token.created_at).days == 90
    assert _me(client, raw) == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _me(client, raw) == 401


def test_changing_the_password_revokes_every_token(tree, client):
    raw = services.token_create(actor=None, user=tree.users.sec_a)
    services.password_change(actor=tree.users.sec_a, old_password=PASSWORD, new_password="Dangjian-2026!")
    assert _me(client, raw) == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_the_owner_revokes_a_token_on_the_page(tree, client):
    raw = services.token_create(actor=None, user=tree.users.sec_a, name="脚本")
    token = ApiToken.objects.get()
    client.force_login(tree.users.sec_a)
    page = client.get(reverse("accounts:tokens"))
    assert [t.prefix for t in page.context["tokens"]] == [token.prefix]
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert _me(client, raw) == 401


def test_another_users_token_is_not_found_and_stays(tree, client):
    raw = services.token_create(actor=None, user=tree.users.sec_a)
    token = ApiToken.objects.get()
    client.force_login(tree.users.sec_b)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    assert client.post(f"/api/v1/accounts/tokens/{token.pk}/revoke").status_code == 404
    assert ApiToken.objects.get().revoked_at is None and _me(client, raw) == 200


def test_the_api_lists_and_revokes_own_tokens(tree, client):
    raw = services.token_create(actor=None, user=tree.users.sec_a, name="甲")
    token = ApiToken.objects.get()
    listed = client.get("/api/v1/accounts/tokens", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert [(t["prefix"], t["name"], t["status"]) for t in listed] == [(token.prefix, "甲", "有效")]
    response = client.post(f"/api/v1/accounts/tokens/{token.pk}/revoke", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and response.json()["status"] == "已撤销"


def test_token_command_lists_and_revokes(tree):
    services.token_create(actor=None, user=tree.users.sec_a, name="备份")
    token = ApiToken.objects.get()
    out = io.StringIO()
    call_command("token", "list", stdout=out)
    assert out.getvalue().startswith(f"{token.prefix}\tsec_a\t备份\t")
    assert out.getvalue().rstrip().endswith("有效")
    call_command("token", "revoke", token.prefix, stdout=io.StringIO())
    assert ApiToken.objects.get().revoked_at is not None
    with pytest.raises(CommandError, match="该令牌已撤销"):
        call_command("token", "revoke", token.prefix)


def test_token_events_are_visible_to_the_auditor(tree):
    services.token_create(actor=None, user=tree.users.sec_a)
    services.token_revoke(actor=tree.users.sec_a, token=ApiToken.objects.get())
    verbs = [e.verb for e in audit_selectors.entries(tree.users.auditor)]
    assert verbs == ["token.revoke", "token.create"]
