"""Backups restore: every table's rows come back; a wrong key, a missing or cut file give a Chinese error."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from zhibu.core import backup

pytestmark = pytest.mark.django_db(transaction=True)

TABLES_SQL = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
}


def _fingerprint(cursor, vendor: str) -> dict[str, tuple[int, str]]:
    cursor.execute(TABLES_SQL[vendor])
    return backup.fingerprint(cursor, [row[0] for row in cursor.fetchall()])


def _source() -> dict[str, tuple[int, str]]:
    with connection.cursor() as cursor:
        return _fingerprint(cursor, connection.vendor)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite restore")
def test_sqlite_backup_restores_every_row_into_a_fresh_database(tree, tmp_path):
    call_command("backup", "-o", str(tmp_path / "zhibu.zbk"), stdout=open("/dev/null", "w"))
    fresh = tmp_path / "fresh.sqlite3"
    backup.restore(tmp_path / "zhibu.zbk", into={"ENGINE": "django.db.backends.sqlite3", "NAME": str(fresh)})

    target = sqlite3.connect(fresh, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
    try:
        restored = _fingerprint(target.cursor(), "sqlite")
    finally:
        target.close()
    assert restored == _source()
    assert restored["orgs_organisation"][0] == 6
    assert restored["people_member"][0] == 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL restore")
def test_postgresql_backup_restores_every_row_into_a_scratch_database(tree, tmp_path):
    import psycopg

    call_command("backup", "-o", str(tmp_path / "zhibu.zbk"), stdout=open("/dev/null", "w"))
    settings_dict = dict(connection.settings_dict)
    scratch = f"{settings_dict['NAME']}_restore"
    params = {
        "host": settings_dict["HOST"] or None,
        "port": settings_dict["PORT"] or None,
        "user": settings_dict["USER"] or None,
        "password": settings_dict["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        backup.restore(tmp_path / "zhibu.zbk", into={**settings_dict, "NAME": scratch})
        # Both sides read through the same plain driver, so values compare as they are stored.
        with psycopg.connect(dbname=scratch, **params) as target:
            restored = _fingerprint(target.cursor(), "postgresql")
        with psycopg.connect(dbname=settings_dict["NAME"], **params) as source:
            assert restored == _fingerprint(source.cursor(), "postgresql")
        assert restored["orgs_organisation"][0] == 6
        assert restored["people_member"][0] == 6
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')


def test_the_backup_file_holds_no_readable_data(tree, tmp_path):
    backup.backup(tmp_path / "zhibu.zbk")
    content = (tmp_path / "zhibu.zbk").read_bytes()
    assert content.startswith(backup.MAGIC + connection.vendor.encode())
    assert "甲幼儿园党支部".encode() not in content
    assert b"sec_a" not in content


def test_a_wrong_key_is_refused_and_nothing_is_restored(tree, tmp_path, settings):
    backup.backup(tmp_path / "zhibu.zbk")
    before = _source()
    settings.DATA_KEY = "another-data-key"
    with pytest.raises(CommandError) as caught:
        call_command("restore", str(tmp_path / "zhibu.zbk"), "--noinput")
    assert (
        str(caught.value)
        == "备份文件无法解密：数据密钥（ZHIBU_DATA_KEY）与备份时不同，或文件已损坏。未恢复任何数据。"
    )
    assert _source() == before


def test_a_previous_key_still_opens_an_older_backup(tree, tmp_path, settings):
    backup.backup(tmp_path / "zhibu.zbk")
    old_key = settings.DATA_KEY
    settings.DATA_KEY = "the-rotated-data-key"
    settings.DATA_KEYS_OLD = [old_key]
    raw = tmp_path / "raw"
    assert backup._decrypt(tmp_path / "zhibu.zbk", raw) == connection.vendor
    assert raw.stat().st_size > 0


def test_a_cut_file_is_refused(tree, tmp_path):
    backup.backup(tmp_path / "zhibu.zbk")
    whole = (tmp_path / "zhibu.zbk").read_bytes()
    (tmp_path / "cut.zbk").write_bytes(whole[: len(whole) // 2])
    with pytest.raises(CommandError, match="^备份文件不完整（可能在复制时被截断），未恢复任何数据。$"):
        call_command("restore", str(tmp_path / "cut.zbk"), "--noinput")


def test_not_a_backup_file_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(CommandError, match="^不是 zhibu 的备份文件："):
        call_command("restore", str(tmp_path / "notes.txt"), "--noinput")


def test_a_missing_file_gives_a_chinese_error_without_traceback(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "zhibu.cli", "restore", str(tmp_path / "none.zbk"), "--noinput"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == f"zhibu restore：错误：备份文件不存在：{tmp_path / 'none.zbk'}"
    assert "Traceback" not in done.stderr


def test_restore_without_a_terminal_to_confirm_refuses_in_chinese_and_changes_nothing(
    tree, tmp_path, monkeypatch
):
    """Run from a script or a timer without --noinput, no one can type yes: a clear refusal, not a traceback."""
    backup.backup(tmp_path / "zhibu.zbk")
    before = _source()

    def closed_stdin(prompt=""):
        raise EOFError

    monkeypatch.setattr("builtins.input", closed_stdin)
    with pytest.raises(CommandError) as caught:
        call_command("restore", str(tmp_path / "zhibu.zbk"))
    assert str(caught.value) == "无法确认（没有可输入的终端），数据库未改动；在脚本中请加 --noinput。"
    assert _source() == before


def test_backup_into_a_missing_directory_gives_a_chinese_error(tmp_path):
    with pytest.raises(CommandError, match="^备份目录不存在："):
        call_command("backup", "-o", str(tmp_path / "no" / "zhibu.zbk"))
