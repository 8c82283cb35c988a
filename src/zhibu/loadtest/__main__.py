"""`make bench-load`: a load test of the production setup.

1. a fresh PostgreSQL database, migrated, holding the bench's district (rules.bench.build: LOAD_BRANCHES
   branches, default 1,000, 25 members each, a year of records) with its lights stored for the bench year and
   this year;
2. people: secretaries of the first branches and superiors of the whole district, each with a session (the
   logins themselves are not what is measured) and the secretaries with an API token for recording;
3. `zhibu serve`'s gunicorn (ZHIBU_WORKERS, default as `zhibu serve`) and a `zhibu worker`;
4. Locust, headless: LOAD_USERS (200) users for LOAD_SECONDS (60) — four secretaries to one superior;
5. everything stopped, the database dropped, and the figures printed:
   load_200u_p95_ms, load_200u_errors, load_200u_rps.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _people(data: dict, users: int, year: int) -> dict:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from zhibu.accounts.models import User
    from zhibu.accounts.services import token_create
    from zhibu.orgs.models import Organisation
    from zhibu.orgs.roles import Role
    from zhibu.orgs.scoping import path_bounds
    from zhibu.testing.factories import grant

    def session(user: User) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.set_expiry(3600)
        store.create()
        return store.session_key

    root = data["root"]
    low, high = path_bounds(root.path)
    branches = list(
        Organisation.objects.filter(path__gte=low, path__lte=high, type__code="branch")
        .order_by("path")
        .values_list("code", flat=True)
    )
    secretaries, superiors = [], []
    for i in range(users * 4 // 5 + 1):
        code = branches[i % len(branches)]
        user = User.objects.create_user(username=f"load-sec-{i}", password=None, display_name=f"书记{i}")
        grant(user, Organisation.objects.get(code=code), Role.SECRETARY)
        secretaries.append(
            {
                "branch": code,
                "session": session(user),
                "token": token_create(actor=None, user=user, name="load"),
            }
        )
    for i in range(users // 5 + 1):
        user = User.objects.create_user(username=f"load-sup-{i}", password=None, display_name=f"上级{i}")
        grant(user, root, Role.SUPERIOR)
        superiors.append({"root": root.code, "session": session(user)})
    return {
        "cookie": settings.SESSION_COOKIE_NAME,
        "year": year,
        "branches": branches,
        "secretaries": secretaries,
        "superiors": superiors,
    }


def _wait_healthy(url: str, process: subprocess.Popen, seconds: int = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited before answering /healthz")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz in time")


def _summary(prefix: str) -> dict:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        print(
            f"  {row['Type']:6} {row['Name']:36} n={row['Request Count']:>6} fail={row['Failure Count']:>4} "
            f"p50={row['50%']:>6} p95={row['95%']:>6} ms",
            file=sys.stderr,
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    return {
        "p95": float(total["95%"]),
        "errors": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "requests": int(total["Request Count"]),
    }


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibu.settings")
    os.environ["ZHIBU_TASKS"] = "database"
    import django

    django.setup()
    from zhibu.core import system

    system.enter_for_process()
    from django.db import connections

    from zhibu.core.management.commands.serve import gunicorn_argv
    from zhibu.rules import bench, services
    from zhibu.testing.benchdb import PG_URL, fresh_database, postgres_available

    users = int(os.environ.get("LOAD_USERS", "200"))
    seconds = int(os.environ.get("LOAD_SECONDS", "60"))
    branches = int(os.environ.get("LOAD_BRANCHES", "1000"))
    if not postgres_available():
        print(f"PostgreSQL not reachable at {PG_URL}", file=sys.stderr)
        return 1
    this_year = date.today().year
    with fresh_database("postgresql"), tempfile.TemporaryDirectory(prefix="zhibu-load-") as tmp:
        started = time.perf_counter()
        data = bench.build(1, branches, subs=10 if branches >= 100 else 0)
        services.relight(data["root"].path, {bench.YEAR, this_year})
        from zhibu.core.crypto import encrypt

        with connections["default"].cursor() as cursor:  # the bench stores a placeholder; pages decrypt it
            cursor.execute("UPDATE people_member SET id_number = %s", [encrypt("110101198501010011")])
        with connections["default"].cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        people = _people(data, users, bench.YEAR)
        Path(tmp, "people.json").write_text(json.dumps(people), encoding="utf-8")
        print(f"load_build_{branches}_branches: {time.perf_counter() - started:.1f} s", file=sys.stderr)

        name = connections["default"].settings_dict["NAME"]
        connections["default"].close()
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "DATABASE_URL": PG_URL.rsplit("/", 1)[0] + "/" + name,
            "ZHIBU_COOKIE_SECURE": "false",
            "ZHIBU_STATIC_MANIFEST": "false",
            "ZHIBU_REQUEST_LOG_LEVEL": "WARNING",
            "ZHIBU_ALLOWED_HOSTS": "127.0.0.1",
            "ZHIBU_DB_CONN_MAX_AGE": "60",
        }
        server = subprocess.Popen(
            gunicorn_argv(bind=f"127.0.0.1:{port}", environ=env),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(Path(tmp, "gunicorn.log"), "w"),
        )
        worker = subprocess.Popen(
            [sys.executable, "-m", "zhibu.cli", "worker", "-v0"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_healthy(url, server)
            prefix = str(Path(tmp, "locust"))
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(Path(__file__).with_name("locustfile.py")),
                    "--headless",
                    "-u",
                    str(users),
                    "-r",
                    str(max(1, users // 10)),
                    "-t",
                    f"{seconds}s",
                    "--host",
                    url,
                    "--csv",
                    prefix,
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                env={**env, "LOAD_PEOPLE": str(Path(tmp, "people.json"))},
                check=False,
                stdout=subprocess.DEVNULL,
            )
            result = _summary(prefix)
            if result["errors"]:
                log = Path(tmp, "gunicorn.log").read_text(encoding="utf-8", errors="replace").splitlines()
                print("\n".join(["-- last lines of gunicorn's log --", *log[-30:]]), file=sys.stderr)
        finally:
            for process in (worker, server):
                process.send_signal(signal.SIGTERM)
            for process in (worker, server):
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
    print(f"load_{users}u_p95_ms: {result['p95']:.0f} ms")
    print(f"load_{users}u_errors: {result['errors']}")
    print(f"load_{users}u_rps: {result['rps']:.1f} rps")
    print(f"load_{users}u_requests: {result['requests']}")
    from .pace import THINK_SECONDS

    think = sum(THINK_SECONDS) / 2
    print(
        f"load_{users}u_offered_rps: {users / think:.1f} rps ({users} users, {think:.0f} s between pages on average)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
