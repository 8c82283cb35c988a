"""Accounts: the user (who logs in with a user name or a phone number), the counters that slow down
repeated failed logins, the passwords a user may not reuse, and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from zhibu.core.crypto import EncryptedTextField, digest

phone_validator = RegexValidator(r"^1[3-9]\d{9}$", "手机号码应为 11 位数字，以 1 开头。")


class User(AbstractUser):
    """A person who logs in. Party data about the person lives in people.Member."""

    # Encrypted at rest; the keyed digest finds the account when someone logs in by phone.
    phone = EncryptedTextField("手机号码", null=True, blank=True, validators=[phone_validator])
    phone_digest = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001 (many NULLs, unique)
    display_name = models.CharField("姓名", max_length=50, blank=True)
    # An initial or reset password must be changed at the next login (and an expired one, see PASSWORD_DAYS).
    must_change_password = models.BooleanField("须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", default=timezone.now)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    def save(self, *args, **kwargs):
        self.phone_digest = digest(self.phone) if self.phone else None
        if kwargs.get("update_fields") is not None and "phone" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "phone_digest"}
        super().save(*args, **kwargs)


class LoginThrottle(models.Model):
    """Failed-login counting for one key: an account ("user:<id>"), an unknown name ("name:<digest>") or an
    address ("ip:<address>"). Updated under a row lock, so parallel attempts are counted one by one."""

    key = models.CharField(max_length=100, unique=True)
    failures = models.PositiveIntegerField(default=0)
    blocked_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.key} {self.failures}"


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords, so that none of the last five is used again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    password = models.CharField(max_length=128)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.at:%Y-%m-%d}"


def token_expiry():
    return timezone.now() + timedelta(days=settings.TOKEN_DAYS)


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once when created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100, blank=True)
    prefix = models.CharField(max_length=8)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField("过期时间", default=token_expiry)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API 令牌"

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "已撤销"
        return "已过期" if self.expires_at <= timezone.now() else "有效"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def new_raw(cls) -> str:
        return "zb_" + secrets.token_urlsafe(32)
