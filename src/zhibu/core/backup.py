"""Encrypted backups of the whole database, and restoring them.

SQLite is copied with its online backup API (a consistent copy while the server runs); PostgreSQL with
`pg_dump --format=custom`. The copy is then encrypted in chunks with a key derived from ZHIBU_DATA_KEY
(core.crypto.backup_fernet), so a backup file is no easier to read than the database's personal data.

File layout: MAGIC, the engine's name and a newline, then chunks — a 4-byte big-endian length and a Fernet token —
ending with a zero length. A file cut short is refused rather than half restored.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cryptography.fernet import InvalidToken
from django.db import connection

from .crypto import backup_fernet

MAGIC = b"ZHIBU-BACKUP/1\n"
CHUNK = 8 * 1024 * 1024
ENGINES = {"django.db.backends.sqlite3": "sqlite", "django.db.backends.postgresql": "postgresql"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator, in Chinese."""


def _engine(settings_dict: dict[str, Any]) -> str:
    try:
        return ENGINES[settings_dict["ENGINE"]]
    except KeyError as exc:
        raise BackupError(f"不支持备份该数据库类型：{settings_dict['ENGINE']}") from exc


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[name] = str(settings_dict[key])
    return env


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(f"找不到 {argv[0]}：请安装与数据库版本相同的 PostgreSQL 客户端工具。") from exc
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"退出码 {done.returncode}"
        raise BackupError(f"{what}失败：{detail}")


def backup(out: Path) -> str:
    """Write an encrypted copy of the default database to `out`; return the engine's name."""
    settings_dict = connection.settings_dict
    engine = _engine(settings_dict)
    out = Path(out)
    if not out.parent.is_dir():
        raise BackupError(f"备份目录不存在：{out.parent}")
    with tempfile.TemporaryDirectory(prefix="zhibu-backup-") as tmp:
        raw = Path(tmp) / "database"
        if engine == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(raw)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(raw),
                    "--dbname",
                    settings_dict["NAME"],
                ],
                _pg_env(settings_dict),
                "pg_dump 导出",
            )
        partial = out.with_name(out.name + ".part")
        try:
            _encrypt(raw, partial, engine)
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    return engine


def _encrypt(raw: Path, out: Path, engine: str) -> None:
    fernet = backup_fernet()
    with raw.open("rb") as source, out.open("wb") as sink:
        sink.write(MAGIC + engine.encode() + b"\n")
        while chunk := source.read(CHUNK):
            token = fernet.encrypt(chunk)
            sink.write(struct.pack(">I", len(token)) + token)
        sink.write(struct.pack(">I", 0))


def _decrypt(path: Path, raw: Path) -> str:
    if not path.is_file():
        raise BackupError(f"备份文件不存在：{path}")
    fernet = backup_fernet()
    with path.open("rb") as source, raw.open("wb") as sink:
        if source.read(len(MAGIC)) != MAGIC:
            raise BackupError(f"不是 zhibu 的备份文件：{path}")
        engine = source.readline().strip().decode("ascii", "replace")
        while True:
            head = source.read(4)
            if len(head) < 4:
                raise BackupError("备份文件不完整（可能在复制时被截断），未恢复任何数据。")
            (size,) = struct.unpack(">I", head)
            if size == 0:
                return engine
            token = source.read(size)
            if len(token) < size:
                raise BackupError("备份文件不完整（可能在复制时被截断），未恢复任何数据。")
            try:
                sink.write(fernet.decrypt(token))
            except InvalidToken as exc:
                raise BackupError(
                    "备份文件无法解密：数据密钥（ZHIBU_DATA_KEY）与备份时不同，或文件已损坏。未恢复任何数据。"
                ) from exc


def restore(path: Path, *, into: dict[str, Any] | None = None) -> str:
    """Replace the database `into` (default: the configured one) with the backup at `path`."""
    settings_dict = into or connection.settings_dict
    engine = _engine(settings_dict)
    with tempfile.TemporaryDirectory(prefix="zhibu-restore-") as tmp:
        raw = Path(tmp) / "database"
        found = _decrypt(Path(path), raw)
        if found != engine:
            raise BackupError(f"备份来自 {found} 数据库，当前数据库是 {engine}，不能恢复。")
        if engine == "sqlite":
            if into is None:
                connection.close()
            source = sqlite3.connect(raw)
            target = sqlite3.connect(settings_dict["NAME"])
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
        else:
            if into is None:
                connection.close()
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    "--dbname",
                    settings_dict["NAME"],
                    str(raw),
                ],
                _pg_env(settings_dict),
                "pg_restore 恢复",
            )
    return engine


def fingerprint(cursor, tables: Iterable[str]) -> dict[str, tuple[int, str]]:
    """Each table's row count and a checksum of its rows (independent of row order), through a DB-API cursor."""
    result = {}
    for table in sorted(tables):
        cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names come from the catalogue
        digests = sorted(hashlib.sha256(repr(tuple(row)).encode()).hexdigest() for row in cursor.fetchall())
        result[table] = (len(digests), hashlib.sha256("".join(digests).encode()).hexdigest())
    return result
