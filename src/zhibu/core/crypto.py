"""Encryption at rest for personal data, and keyed digests for looking it up.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under a key derived from ZHIBU_DATA_KEY.
A separate HMAC digest ("blind index") lets the database find a row by an exact value without holding it.
Rotation: set the new key as ZHIBU_DATA_KEY and the old one in ZHIBU_DATA_KEY_OLD, run `zhibu rotate-key` (it
re-encrypts every value and recomputes the digests in one transaction), then drop the old key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


def _derive(purpose: str, key: str | None = None) -> bytes:
    return hashlib.sha256(f"{purpose}:{settings.DATA_KEY if key is None else key}".encode()).digest()


@lru_cache(maxsize=4)
def _fernet(key: str, old: tuple[str, ...] = ()) -> MultiFernet:
    """The current key encrypts; the old ones (ZHIBU_DATA_KEY_OLD) still decrypt until `zhibu rotate-key`."""
    return MultiFernet([Fernet(base64.urlsafe_b64encode(_derive("encrypt", k))) for k in (key, *old)])


def _keys() -> MultiFernet:
    return _fernet(settings.DATA_KEY, tuple(getattr(settings, "DATA_KEYS_OLD", ())))


def encrypt(value: str) -> str:
    return _keys().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _keys().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a wrong key must fail loudly, never show ciphertext
        raise ValueError("个人信息无法解密：数据密钥不匹配") from exc


def encrypt_bytes(data: bytes) -> bytes:
    """A file's content under the current data key (the same key set as the fields, so rotation covers both)."""
    return _keys().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _keys().decrypt(token)
    except InvalidToken as exc:
        raise ValueError("文件无法解密：数据密钥不匹配") from exc


def rotate_bytes(token: bytes) -> bytes:
    """The same content re-encrypted under the current key (it may have been written under an old one)."""
    try:
        return _keys().rotate(token)
    except InvalidToken as exc:
        raise ValueError("文件无法解密：数据密钥不匹配") from exc


def digest(value: str) -> str:
    """A stable keyed digest of a normalised value, for unique constraints and exact lookups."""
    return hmac.new(_derive("index"), value.strip().upper().encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column holding ciphertext; Python code sees the plain value."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


def mask_id_number(value: str) -> str:
    """3711**********123X: first four and last four characters stay."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """138****5678 for mobiles; landlines keep the area code and the last two digits."""
    if not value:
        return ""
    digits = value.replace("-", "")
    if len(digits) == 11 and digits.startswith("1"):
        return digits[:3] + "****" + digits[-4:]
    return value[: max(len(value) - 6, 0)] + "****" + value[-2:]


def backup_fernet() -> MultiFernet:
    """The key of backup files: derived from ZHIBU_DATA_KEY (purpose "backup"); keys listed in
    ZHIBU_DATA_KEY_OLD still open files written before a rotation."""
    keys = [settings.DATA_KEY, *settings.DATA_KEYS_OLD]
    return MultiFernet(
        [Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"backup:{key}".encode()).digest())) for key in keys]
    )
