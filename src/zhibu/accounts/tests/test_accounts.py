from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhibu.accounts.models import ApiToken, LoginThrottle
from zhibu.audit.models import AuditEntry
from zhibu.core.crypto import digest
from zhibu.testing.factories import PASSWORD


def test_login_with_username_then_phone(tree, client):
    response = client.post(reverse("accounts:login"), {"username": "sec_a", "password": PASSWORD})
    assert response.status_code == 302
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": "13800000001", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(verb="login.succeeded", actor=tree.users.sec_a).count() == 2


def test_wrong_password_is_refused_in_chinese_and_logged(tree, client):
    response = client.post(reverse("accounts:login"), {"username": "sec_a", "password": "nope"})
    assert response.status_code == 400
    assert "用户名或密码不正确（还可尝试 4 次）" in response.content.decode()
    entry = AuditEntry.objects.get(verb="login.failed")
    assert entry.detail == {"login": digest("sec_a")[:16]} and entry.org_path == tree.a.path


def test_delay_after_five_failures_even_with_right_password(tree, client):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "sec_a", "password": "nope"})
    response = client.post(reverse("accounts:login"), {"username": "sec_a", "password": PASSWORD})
    assert response.status_code == 400
    assert re.search(r"登录失败次数过多，请 \d+ 秒后再试（账号未被锁定", response.content.decode())
    assert "_auth_user_id" not in client.session


def test_success_clears_failures(tree, client):
    client.post(reverse("accounts:login"), {"username": "sec_a", "password": "nope"})
    client.post(reverse("accounts:login"), {"username": "sec_a", "password": PASSWORD})
    row = LoginThrottle.objects.get(key=f"user:{tree.users.sec_a.pk}")
    assert (row.failures, row.blocked_until) == (0, None)


def test_open_redirect_is_ignored(tree, client):
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/", {"username": "sec_a", "password": PASSWORD}
    )
    assert response["Location"] == "/"


def test_password_change_checks_old_and_strength(tree, client):
    client.force_login(tree.users.sec_a)
    bad = client.post(
        reverse("accounts:password"),
        {"old_password": "x", "new_password": "Abcdefg12345", "new_password2": "Abcdefg12345"},
    )
    assert bad.status_code == 400 and "原密码不正确" in bad.content.decode()
    weak = client.post(
        reverse("accounts:password"),
        {"old_password": PASSWORD, "new_password": "12345678901", "new_password2": "12345678901"},
    )
    assert weak.status_code == 400
    ok = client.post(
        reverse("accounts:password"),
        {"old_password": PASSWORD, "new_password": "Dangjian-2026!", "new_password2": "Dangjian-2026!"},
    )
    assert ok.status_code == 302
    tree.users.sec_a.refresh_from_db()
    assert tree.users.sec_a.check_password("Dangjian-2026!")


def test_session_cookie_is_secure_httponly_and_short(settings):
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE and settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_AGE == 1800 and settings.SESSION_TOUCH_SECONDS == 60


def test_security_headers_present(tree, client):
    response = client.get(reverse("accounts:login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_token_command_prints_a_token_that_authenticates_the_api(tree, client):
    out = io.StringIO()
    call_command("token", "create", "sec_a", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("zb_") and ApiToken.objects.get().token_hash == ApiToken.hash(raw)
    response = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["username"] == "sec_a"
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Bearer zb_wrong").status_code == 401


def test_token_command_unknown_user_fails_in_chinese(tree):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="用户不存在"):
        call_command("token", "create", "nobody")


def test_api_with_a_session_needs_the_csrf_token(tree):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(tree.users.district)
    payload = {"parent": "district-edu", "type": "branch", "code": "csrf-branch", "name": "跨站请求党支部"}
    response = client.post("/api/v1/orgs/", payload, content_type="application/json")
    assert response.status_code in (401, 403)
    from zhibu.orgs.models import Organisation

    assert not Organisation.objects.filter(code="csrf-branch").exists()


def test_api_with_a_bearer_token_needs_no_csrf(tree):
    from django.test import Client

    from zhibu.accounts.services import token_create

    raw = token_create(actor=None, user=tree.users.district)
    client = Client(enforce_csrf_checks=True)
    payload = {"parent": "district-edu", "type": "branch", "code": "token-branch", "name": "令牌新建党支部"}
    response = client.post(
        "/api/v1/orgs/", payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 201
