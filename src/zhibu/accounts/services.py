"""Account writes: login throttling, passwords, API tokens.

Failed logins are counted per account (whatever was typed: the user name or the phone) and per address, each on
one row updated under a lock; an attempt is counted *before* its password is checked, so parallel requests cannot
slip past the limit. Past the limit an account is delayed, not locked: the delay doubles with each further failure
up to a cap, an attempt during the delay is refused without checking the password (and without lengthening the
delay), and an administrator's password reset clears it.
"""

from __future__ import annotations

import math
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from zhibu.audit import services as audit
from zhibu.core import crypto
from zhibu.core.middleware import client_ip

from .models import ApiToken, LoginThrottle, User


@dataclass(frozen=True)
class Attempt:
    key: str
    failures: int  # counted so far, this attempt included
    blocked_until: datetime | None  # set when the key was already delayed: the attempt is refused


def _delay(over: int, cap: int) -> timedelta:
    return timedelta(seconds=min(settings.LOGIN_DELAY_SECONDS * 2 ** min(over, 20), cap))


@transaction.atomic
def _count(key: str, limit: int, cap: int) -> Attempt:
    """Count one attempt against `key` under a row lock; refuse it while the key is delayed."""
    now = timezone.now()
    LoginThrottle.objects.get_or_create(key=key)
    row = LoginThrottle.objects.select_for_update().get(key=key)
    if row.blocked_until is not None and row.blocked_until > now:
        return Attempt(key, row.failures, row.blocked_until)
    if row.blocked_until is None and row.updated_at < now - timedelta(minutes=settings.LOGIN_WINDOW_MINUTES):
        row.failures = 0
    row.failures += 1
    row.updated_at = now
    if row.failures >= limit:
        row.blocked_until = now + _delay(row.failures - limit, cap)
    row.save()
    return Attempt(key, row.failures, None)


def _find(login: str) -> User | None:
    login = login.strip()
    users = User._default_manager
    return users.filter(username=login).first() or users.filter(phone_digest=crypto.digest(login)).first()


def home_path(user: User | None) -> str:
    """The organisation an account's events belong to (its highest role), so its auditor sees them."""
    from zhibu.orgs import scoping

    home = scoping.home_org(user) if user is not None else None
    return home.path if home is not None else ""


def _wait_text(until: datetime) -> str:
    seconds = max(math.ceil((until - timezone.now()).total_seconds()), 1)
    return f"{seconds} 秒" if seconds < 120 else f"{(seconds + 59) // 60} 分钟"


def login_attempt(*, request, username: str, password: str) -> User:
    """Check a login; raise ValidationError with a Chinese message on failure or delay."""
    login = (username or "").strip()
    ip = client_ip(request) if request is not None else None
    user = _find(login) if login else None
    hashed = crypto.digest(login)[:16]  # failed names are often phone numbers: never kept in clear
    where = home_path(user)
    if ip:
        by_ip = _count(f"ip:{ip}", settings.LOGIN_IP_MAX_FAILURES, settings.LOGIN_IP_DELAY_MAX_SECONDS)
        if by_ip.blocked_until:
            audit.log(actor=None, verb="login.delayed", detail={"login": hashed, "by": "ip"}, org_path=where)
            raise ValidationError(f"该网络地址登录失败次数过多，请 {_wait_text(by_ip.blocked_until)}后再试。")
    key = f"user:{user.pk}" if user is not None else f"name:{hashed}"
    attempt = _count(key, settings.LOGIN_MAX_FAILURES, settings.LOGIN_DELAY_MAX_SECONDS)
    if attempt.blocked_until:
        audit.log(
            actor=None,
            verb="login.delayed",
            target=user,
            detail={"login": hashed, "by": "account"},
            org_path=where,
        )
        raise ValidationError(
            f"登录失败次数过多，请 {_wait_text(attempt.blocked_until)}后再试"
            "（账号未被锁定；忘记密码请联系系统管理员重置）。"
        )
    if user is None:
        User().set_password(password)  # the same work as a real check: no timing hint
        ok = False
    else:
        ok = user.check_password(password) and user.is_active
    if not ok:
        audit.log(actor=None, verb="login.failed", target=user, detail={"login": hashed}, org_path=where)
        left = settings.LOGIN_MAX_FAILURES - attempt.failures
        if left <= 0:
            raise ValidationError(
                "登录失败次数过多，请稍后再试（账号未被锁定；忘记密码请联系系统管理员重置）。"
            )
        raise ValidationError(f"用户名或密码不正确（还可尝试 {left} 次）。")
    assert user is not None  # a login without a user never succeeds
    LoginThrottle.objects.filter(key=key).update(failures=0, blocked_until=None, updated_at=timezone.now())
    if ip:  # a success was counted as an attempt of the address: give it back
        LoginThrottle.objects.filter(key=f"ip:{ip}", failures__gt=0).update(failures=F("failures") - 1)
    audit.log(actor=user, verb="login.succeeded", target=user, org_path=where)
    return user


def password_expired(user: User) -> bool:
    days = settings.PASSWORD_DAYS
    return bool(days) and user.password_changed_at < timezone.now() - timedelta(days=days)


def _set_password(user: User, raw: str, *, must_change: bool) -> None:
    user.set_password(raw)
    user.must_change_password = must_change
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])


def _revoke_all(*, actor, user: User, reason: str) -> int:
    now = timezone.now()
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    if count:
        audit.log(
            actor=actor,
            verb="token.revoke",
            target=user,
            detail={"count": count, "reason": reason},
            org_path=home_path(user),
        )
    return count


@transaction.atomic
def password_change(*, actor: User, old_password: str, new_password: str) -> None:
    if not actor.check_password(old_password):
        raise ValidationError("原密码不正确。")
    if old_password == new_password:
        raise ValidationError("新密码不能与原密码相同。")
    validate_password(new_password, actor)
    _set_password(actor, new_password, must_change=False)
    audit.log(actor=actor, verb="password.change", target=actor, org_path=home_path(actor))
    _revoke_all(actor=actor, user=actor, reason="修改密码")


def _initial_password() -> str:
    alphabet = string.ascii_letters + string.digits
    while True:
        raw = "".join(secrets.choice(alphabet) for _ in range(12)) + "-" + secrets.choice(string.digits)
        if any(c.islower() for c in raw) and any(c.isupper() for c in raw):
            return raw


@transaction.atomic
def password_reset(*, actor, user: User) -> str:
    """An administrator's reset: a new initial password (shown once) that must be changed at the next login;
    clears the login delay and revokes the user's tokens. The system administrator (or a superior) over the
    user's organisation may do it; nobody resets their own."""
    from zhibu.orgs import scoping
    from zhibu.orgs.roles import Action

    if user.pk == getattr(actor, "pk", None):
        raise ValidationError("不能重置自己的密码，请使用“修改密码”。")
    home = scoping.home_org(user)
    if actor is not scoping.SYSTEM and not scoping.can(actor, Action.ORG, home):
        raise scoping.NotVisible("不存在或无权访问。")
    raw = _initial_password()
    _set_password(user, raw, must_change=True)
    LoginThrottle.objects.filter(key=f"user:{user.pk}").delete()
    audit.log(actor=actor, verb="password.reset", target=user, org_path=home_path(user))
    _revoke_all(actor=actor, user=user, reason="重置密码")
    return raw


@transaction.atomic
def token_create(*, actor: User | None, user: User, name: str = "", days: int | None = None) -> str:
    raw = ApiToken.new_raw()
    now = timezone.now()
    expires = now + timedelta(days=days or settings.TOKEN_DAYS)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[3:11],
        token_hash=ApiToken.hash(raw),
        created_at=now,
        expires_at=expires,
    )
    audit.log(
        actor=actor or user,
        verb="token.create",
        target=user,
        detail={"name": name, "prefix": token.prefix, "expires": expires.date().isoformat()},
        org_path=home_path(user),
    )
    return raw


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> None:
    """Revoke one token: its owner, or the operator (the system actor) from the command line."""
    from zhibu.orgs import scoping

    if actor is not scoping.SYSTEM and token.user_id != getattr(actor, "pk", None):
        raise scoping.NotVisible("不存在或无权访问。")
    if token.revoked_at is not None:
        raise ValidationError("该令牌已撤销。")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.log(
        actor=actor,
        verb="token.revoke",
        target=token.user,
        detail={"prefix": token.prefix, "name": token.name},
        org_path=home_path(token.user),
    )


def token_user(raw: str) -> User | None:
    token = ApiToken.objects.active().select_related("user").filter(token_hash=ApiToken.hash(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
