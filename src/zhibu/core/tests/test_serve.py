"""The production server: worker count and bind from the environment, /healthz, static files, request logs."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from unittest import mock

import pytest
from django.core.management.base import CommandError
from django.db import DatabaseError
from django.urls import reverse

from zhibu.core.management.commands import serve


def test_default_workers_follow_the_cores_and_are_capped():
    assert serve.default_workers(1) == 3
    assert serve.default_workers(2) == 5
    assert serve.default_workers(16) == 12


def test_gunicorn_takes_bind_workers_and_timeout_from_the_environment():
    argv = serve.gunicorn_argv(
        environ={"ZHIBU_BIND": "0.0.0.0:9000", "ZHIBU_WORKERS": "7", "ZHIBU_TIMEOUT": "90"}
    )
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:9000"
    assert argv[argv.index("--workers") + 1] == "7"
    assert argv[argv.index("--timeout") + 1] == "90"
    assert "zhibu.wsgi:application" in argv


def test_command_line_wins_over_the_environment():
    argv = serve.gunicorn_argv(bind="127.0.0.1:1234", workers="2", environ={"ZHIBU_WORKERS": "7"})
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:1234"
    assert argv[argv.index("--workers") + 1] == "2"


def test_a_bad_worker_count_is_refused_in_chinese():
    with pytest.raises(CommandError, match="ZHIBU_WORKERS 必须是正整数，收到：many"):
        serve.gunicorn_argv(environ={"ZHIBU_WORKERS": "many"})


def test_healthz_answers_ok_without_login(client, db):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(client, db):
    with mock.patch("zhibu.core.views.connection.cursor", side_effect=DatabaseError("gone")):
        response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


def test_request_log_has_method_path_status_and_time_but_not_the_query(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="zhibu.requests"):
        client.get("/healthz?name=张三&phone=13800000001")
    [record] = [r for r in caplog.records if r.name == "zhibu.requests"]
    assert (record.method, record.path, record.status) == ("GET", "/healthz", 200)
    assert record.duration_ms >= 0
    assert "13800000001" not in record.getMessage()
    assert record.getMessage().startswith("GET /healthz 200 ")


def test_static_files_are_served_by_the_app(client, db):
    response = client.get("/static/zhibu/app.css")
    assert response.status_code == 200


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_zhibu_serve_runs_gunicorn_that_answers_healthz(tmp_path):
    """The real server (collectstatic skipped: compressing every asset takes minutes on a busy machine)."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ZHIBU_STATIC_ROOT": str(tmp_path / "static"),
        "ZHIBU_WORKERS": "1",
        "ZHIBU_BIND": f"127.0.0.1:{port}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "zhibu.cli", "serve", "--no-collectstatic"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        body = None
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    body = json.loads(response.read())
                    break
            except OSError:
                time.sleep(0.2)
        assert body == {"status": "ok"}
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_workers_fork_from_a_warmed_application():
    assert "--preload" in serve.gunicorn_argv(environ={})


def test_warming_compiles_every_template_and_touches_no_database():
    # No django_db mark: pytest-django refuses any database access in this test.
    from pathlib import Path

    from django.apps import apps

    from zhibu import wsgi

    expected = sum(
        len(list(Path(c.path, "templates").rglob("*.html")))
        for c in apps.get_app_configs()
        if c.name.startswith("zhibu.") and Path(c.path, "templates").is_dir()
    )
    assert wsgi.warm() == expected > 100
