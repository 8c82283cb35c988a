"""Throw-away databases for benchmarks: a temporary SQLite file, or a fresh PostgreSQL database."""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid

from django.conf import settings
from django.core.management import call_command
from django.db import connections

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_URL.replace("postgres://", "postgresql://"), connect_timeout=3):
            return True
    except Exception:
        return False


@contextlib.contextmanager
def fresh_database(kind: str):
    """Point the default connection at a new, migrated database for the block; drop it afterwards."""
    from zhibu.settings import database_from_url

    old = settings.DATABASES["default"]
    connections["default"].close()
    if kind == "sqlite":
        folder = tempfile.mkdtemp(prefix="zhibu-bench-")
        config = database_from_url(f"sqlite:///{folder}/bench.sqlite3")
        drop = None
    else:
        import psycopg

        name = f"zhibu_bench_{uuid.uuid4().hex[:8]}"
        admin = PG_URL.replace("postgres://", "postgresql://")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        config = database_from_url(PG_URL.rsplit("/", 1)[0] + "/" + name)

        def drop():
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    config.setdefault("TIME_ZONE", None)
    config.setdefault("ATOMIC_REQUESTS", False)
    config.setdefault("AUTOCOMMIT", True)
    config.setdefault("CONN_MAX_AGE", 0)
    config.setdefault("CONN_HEALTH_CHECKS", False)
    config.setdefault("TEST", {})
    _switch(config)
    try:
        assert connections["default"].vendor == ("sqlite" if kind == "sqlite" else "postgresql")
        call_command("migrate", verbosity=0, interactive=False)
        yield
    finally:
        connections["default"].close()
        _switch(old)
        if drop is not None:
            drop()


def _switch(config: dict) -> None:
    """Point the default alias at another database, with a connection object of that database's backend."""
    connections["default"].close()
    settings.DATABASES["default"] = config
    connections.settings["default"] = config
    connections["default"] = connections.create_connection("default")


def analyse() -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum would in a running system."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
