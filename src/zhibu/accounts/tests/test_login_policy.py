"""Authentication that holds: counting per account and per address, a delay rather than a lockout, an
administrator's reset, password rules, forced change, absolute session lifetime."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhibu.accounts import services
from zhibu.accounts.middleware import LOGIN_AT
from zhibu.accounts.models import LoginThrottle, User
from zhibu.testing import factories as f
from zhibu.testing.factories import PASSWORD

LOGIN = "/accounts/login/"


def _post(ip: str, username: str, password: str):
    client = Client(REMOTE_ADDR=ip)
    return client, client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _expire_delay(user):
    LoginThrottle.objects.filter(key=f"user:{user.pk}").update(
        blocked_until=timezone.now() - timedelta(seconds=1)
    )


def test_phone_and_username_share_one_counter(tree):
    for login in ("sec_a", "13800000001", "sec_a", "13800000001"):
        _post("10.0.0.1", login, "wrong")
    assert LoginThrottle.objects.get(key=f"user:{tree.users.sec_a.pk}").failures == 4
    _client, response = _post("10.0.0.1", "13800000001", "wrong")
    assert "请 " in response.content.decode() or "登录失败次数过多" in response.content.decode()
    assert LoginThrottle.objects.get(key=f"user:{tree.users.sec_a.pk}").blocked_until is not None


def test_an_attacker_delays_but_does_not_lock_out_the_secretary(tree, settings):
    settings.LOGIN_IP_MAX_FAILURES = 8
    for _ in range(12):  # the attacker keeps trying from one address
        _post("203.0.113.9", "sec_a", "guess")
    attacker = LoginThrottle.objects.get(key="ip:203.0.113.9")
    assert attacker.failures == 8 and attacker.blocked_until is not None
    account = LoginThrottle.objects.get(key=f"user:{tree.users.sec_a.pk}")
    assert account.failures == 5  # the delayed attempts were not counted: the delay did not grow
    assert account.blocked_until - timezone.now() <= timedelta(seconds=settings.LOGIN_DELAY_SECONDS)
    client, response = _post("10.1.1.1", "sec_a", PASSWORD)  # the secretary, during the delay
    assert response.status_code == 400 and "_auth_user_id" not in client.session
    _expire_delay(tree.users.sec_a)  # once the delay has passed
    client, response = _post("10.1.1.1", "sec_a", PASSWORD)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(tree.users.sec_a.pk)


def test_the_delay_doubles_with_each_further_failure(tree, settings):
    for _ in range(5):
        _post("10.0.0.2", "sec_a", "wrong")
    first = LoginThrottle.objects.get(key=f"user:{tree.users.sec_a.pk}").blocked_until - timezone.now()
    _expire_delay(tree.users.sec_a)
    _post("10.0.0.2", "sec_a", "wrong")
    second = LoginThrottle.objects.get(key=f"user:{tree.users.sec_a.pk}").blocked_until - timezone.now()
    assert first <= timedelta(seconds=60) < second <= timedelta(seconds=120)


def test_an_administrators_reset_lets_the_person_in(tree):
    for _ in range(5):
        _post("10.0.0.3", "sec_a", "wrong")
    raw = services.password_reset(actor=tree.users.sysadmin, user=tree.users.sec_a)
    client, response = _post("10.0.0.4", "sec_a", raw)
    assert response.status_code == 302
    assert client.get(reverse("core:home"))["Location"] == reverse("accounts:password")  # must change first


def test_a_secretary_cannot_reset_a_password(tree):
    before = User.objects.get(pk=tree.users.member_a.pk).password
    with pytest.raises(Exception, match="不存在或无权访问"):
        services.password_reset(actor=tree.users.sec_a, user=tree.users.member_a)
    assert User.objects.get(pk=tree.users.member_a.pk).password == before


def test_failed_names_are_never_kept_in_clear(tree):
    _post("10.0.0.5", "13912345678", "wrong")
    from zhibu.audit.models import AuditEntry

    assert "13912345678" not in str(list(AuditEntry.objects.values()))
    assert "13912345678" not in str(list(LoginThrottle.objects.values()))


@pytest.mark.parametrize(
    "password, message",
    [
        ("dangjiandangjianx", "至少 3 类"),
        ("pwtest12345", "至少 3 类"),
        ("Pwtest-2026", "不能由用户名变化而来"),
        ("Short-1a", "10"),
    ],
)
def test_password_rules(db, password, message):
    user = f.UserFactory(username="pwtest")
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user)
    assert any(message in text for text in caught.value.messages), caught.value.messages


def test_none_of_the_last_five_passwords_again(db):
    user = f.UserFactory(username="pwtest")
    passwords = ["Erste-Losung1", "Zweite-Losung2", "Dritte-Losung3", "Vierte-Losung4", "Funfte-Losung5"]
    old = PASSWORD
    for new in passwords:
        services.password_change(actor=user, old_password=old, new_password=new)
        old = new
    for reused in passwords:
        with pytest.raises(ValidationError, match="最近 5 次"):
            services.password_change(
                actor=user, old_password=old, new_password=reused
            ) if reused != old else validate_password(reused, user)
    services.password_change(actor=user, old_password=old, new_password="Sechste-Losung6")
    services.password_change(
        actor=user, old_password="Sechste-Losung6", new_password="Erste-Losung1"
    )  # 6th back


def test_expired_password_must_be_changed(tree, client, settings):
    settings.PASSWORD_DAYS = 90
    User.objects.filter(pk=tree.users.sec_a.pk).update(
        password_changed_at=timezone.now() - timedelta(days=91)
    )
    client.force_login(User.objects.get(pk=tree.users.sec_a.pk))
    assert client.get(reverse("core:home"))["Location"] == reverse("accounts:password")
    assert client.get(reverse("accounts:password")).status_code == 200


def test_absolute_session_lifetime(tree, client, settings):
    client.force_login(tree.users.sec_a)
    assert client.get(reverse("accounts:password")).status_code == 200
    session = client.session
    session[LOGIN_AT] = int(timezone.now().timestamp()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_account_phone_is_encrypted_in_the_database(tree):
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, phone_digest FROM accounts_user WHERE id = %s", [tree.users.sec_a.pk])
        stored, stored_digest = cursor.fetchone()
    assert "13800000001" not in stored and stored_digest not in ("", None)
    assert User.objects.get(pk=tree.users.sec_a.pk).phone == "13800000001"


@pytest.mark.django_db(transaction=True)
def test_thirty_parallel_posts_do_not_get_past_the_delay():
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks between threads: PostgreSQL")
    user = f.UserFactory(username="parallel")
    for _ in range(5):
        _post("10.9.0.1", "parallel", "wrong")  # the account is now in its delay
    results: list[int] = [0] * 30
    start = threading.Barrier(30)

    def attempt(i: int) -> None:
        try:
            start.wait()
            password = PASSWORD if i == 25 else f"wrong-{i}"
            client, response = _post(f"10.9.1.{i}", "parallel", password)
            results[i] = 1 if "_auth_user_id" in client.session else 0
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 0
    assert LoginThrottle.objects.get(key=f"user:{user.pk}").failures == 5


@pytest.mark.django_db(transaction=True)
def test_thirty_parallel_wrong_posts_are_counted_one_by_one():
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks between threads: PostgreSQL")
    user = f.UserFactory(username="counted")
    start = threading.Barrier(30)
    statuses: list[str] = [""] * 30

    def attempt(i: int) -> None:
        try:
            start.wait()
            _client, response = _post(f"10.8.1.{i}", "counted", f"wrong-{i}")
            statuses[i] = (
                "checked"
                if "用户名或密码不正确" in response.content.decode()
                or "稍后再试（" in response.content.decode()
                and "请 " not in response.content.decode()
                else "delayed"
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses.count("checked") == 5 and statuses.count("delayed") == 25
    assert LoginThrottle.objects.get(key=f"user:{user.pk}").failures == 5
