from __future__ import annotations

import os
import subprocess
import sys

from zhibu.settings import database_from_url


def _run(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "zhibu.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_the_default_keys():
    result = _run({"ZHIBU_ENV": "production", "ZHIBU_SECRET_KEY": "", "ZHIBU_DATA_KEY": ""})
    assert result.returncode != 0
    assert "生产环境必须设置 ZHIBU_SECRET_KEY，至少 32 个字符，不能使用默认密钥。" in result.stderr
    assert "生产环境必须设置 ZHIBU_DATA_KEY，至少 32 个字符，不能使用默认密钥。" in result.stderr


def test_production_starts_with_real_keys():
    result = _run(
        {
            "ZHIBU_ENV": "production",
            "ZHIBU_SECRET_KEY": "k" * 50,
            "ZHIBU_DATA_KEY": "d" * 40,
            "ZHIBU_ALLOWED_HOSTS": "zhibu.example.cn",
            "DATABASE_URL": "sqlite:///:memory:",
        }
    )
    assert result.returncode == 0, result.stderr


def test_database_urls():
    pg = database_from_url("postgres://zb:s%40cret@db.example:5433/zhibu?sslmode=require")
    assert (pg["ENGINE"], pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "django.db.backends.postgresql",
        "zhibu",
        "zb",
        "s@cret",
        "db.example",
        "5433",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}
    assert database_from_url("sqlite:////tmp/zb-test/x.sqlite3")["NAME"] == "/tmp/zb-test/x.sqlite3"
    assert database_from_url("sqlite:///:memory:")["NAME"] == ":memory:"


def test_debug_is_off_by_default(settings):
    assert os.environ.get("ZHIBU_DEBUG") or settings.DEBUG is False
