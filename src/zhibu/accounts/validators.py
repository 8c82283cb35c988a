"""Password rules (Django password validators), Chinese messages: three of four character classes, not derived
from the user name, none of the last five passwords."""

from __future__ import annotations

import re

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

_CLASSES = [re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"[0-9]"), re.compile(r"[^a-zA-Z0-9]")]


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if sum(1 for pattern in _CLASSES if pattern.search(password)) < self.min_classes:
            raise ValidationError(
                f"密码须包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类。",
                code="password_classes",
            )

    def get_help_text(self):
        return f"包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类。"


def _letters(value: str) -> str:
    return re.sub(r"[^a-z]", "", value.lower())


class NotFromUsernameValidator:
    """Refuses a password that contains the user name (or its letters) or is contained in it."""

    def validate(self, password, user=None):
        name = (getattr(user, "username", "") or "").lower()
        if len(name) < 3:
            return
        low = password.lower()
        letters = _letters(name)
        if name in low or low in name or (len(letters) >= 3 and letters in _letters(password)):
            raise ValidationError("密码不能由用户名变化而来。", code="password_from_username")

    def get_help_text(self):
        return "不能由用户名变化而来。"


class HistoryValidator:
    """Refuses the current password and the previous ones, `count` in all."""

    def __init__(self, count: int = 5):
        self.count = count

    def _hashes(self, user) -> list[str]:
        from .models import PasswordHistory

        if user is None or user.pk is None:
            return []
        recent = PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[
            : self.count + 1
        ]
        return list(dict.fromkeys([user.password, *recent]))[: self.count]

    def validate(self, password, user=None):
        if any(encoded and check_password(password, encoded) for encoded in self._hashes(user)):
            raise ValidationError(
                f"新密码不能与最近 {self.count} 次使用过的密码相同。", code="password_reused"
            )

    def password_changed(self, password, user=None):
        from .models import PasswordHistory

        if user is not None and user.pk is not None:
            PasswordHistory.objects.create(user=user, password=user.password)
            stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[self.count :]
            PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self):
        return f"不能与最近 {self.count} 次使用过的密码相同。"
