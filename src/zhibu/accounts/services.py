"""Account writes: lockout bookkeeping, password changes, API tokens."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhibu.audit import services as audit

from .models import ApiToken, LoginFailure, User


def _window_start():
    return timezone.now() - timedelta(minutes=settings.LOGIN_LOCK_MINUTES)


def is_locked(username: str) -> bool:
    recent = LoginFailure.objects.filter(username=username.strip().lower(), at__gte=_window_start()).count()
    return recent >= settings.LOGIN_MAX_FAILURES


def login_attempt(*, request, username: str, password: str) -> User:
    """Check a login; raise ValidationError with a Chinese message on failure or lockout."""
    key = (username or "").strip().lower()
    if is_locked(key):
        audit.log(actor=None, verb="login.locked", detail={"username": key})
        raise ValidationError(f"登录失败次数过多，账号已锁定 {settings.LOGIN_LOCK_MINUTES} 分钟，请稍后再试。")
    user = authenticate(request, username=username, password=password)
    if user is None:
        LoginFailure.objects.create(username=key, ip=request.META.get("REMOTE_ADDR") if request else None)
        audit.log(actor=None, verb="login.failed", detail={"username": key})
        left = settings.LOGIN_MAX_FAILURES - LoginFailure.objects.filter(username=key, at__gte=_window_start()).count()
        if left <= 0:
            raise ValidationError(f"登录失败次数过多，账号已锁定 {settings.LOGIN_LOCK_MINUTES} 分钟，请稍后再试。")
        raise ValidationError(f"用户名或密码不正确（还可尝试 {left} 次）。")
    LoginFailure.objects.filter(username__in={key, user.username.lower()}).delete()
    from zhibu.orgs import scoping

    home = scoping.home_org(user)
    audit.log(actor=user, verb="login.succeeded", target=user, org_path=home.path if home else "")
    return user


@transaction.atomic
def password_change(*, actor: User, old_password: str, new_password: str) -> None:
    from django.contrib.auth.password_validation import validate_password

    if not actor.check_password(old_password):
        raise ValidationError("原密码不正确。")
    validate_password(new_password, actor)
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    audit.log(actor=actor, verb="password.change", target=actor)


@transaction.atomic
def token_create(*, actor: User | None, user: User, name: str = "") -> str:
    raw = ApiToken.new_raw()
    ApiToken.objects.create(user=user, name=name, prefix=raw[3:11], token_hash=ApiToken.hash(raw))
    audit.log(actor=actor or user, verb="token.create", target=user, detail={"name": name})
    return raw


def token_user(raw: str) -> User | None:
    token = ApiToken.objects.active().select_related("user").filter(token_hash=ApiToken.hash(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
