"""Fuzz the REST API with schemathesis, as CI does (`make api-fuzz`).

Builds a throwaway SQLite database with the demo data in a temporary directory (write operations change it, so it
is never a real one), starts the server on 127.0.0.1, runs schemathesis over /api/v1/openapi.json once per persona
with the checks `not_a_server_error` and `status_code_conformance`, then stops the server and removes the copy.
Exits non-zero when schemathesis finds a failure or the setup fails; the server never outlives this process.

    python -m zhibu.testing.schemathesis_run [--port 8711] [--max-time 120] [--personas secretary,district]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
CHECKS = "not_a_server_error,status_code_conformance"
# Printed by `zhibu shell` in the throwaway database: values that lead the fuzzer past the 404s into the views.
KNOWN_VALUES = """
import json
from django.db import connection
from zhibu.orgs.models import Organisation
from zhibu.work.kinds import KINDS
with connection.cursor() as cursor:
    cursor.execute(f"SELECT code FROM {Organisation._meta.db_table} ORDER BY code")
    codes = [row[0] for row in cursor.fetchall()]
print(json.dumps({"orgs": codes, "kinds": sorted(KINDS)}))
"""


def _config(known: dict) -> str:
    """A schemathesis.toml binding parameters to the demo's organisation codes, record kinds, small ids and
    recent years most of the time (the rest stays random, so unknown values are still tried)."""

    def values(items) -> str:
        return "[" + ", ".join(json.dumps(item, ensure_ascii=False) for item in items) + "]"

    lines = [
        f"[dictionaries.orgs]\nvalues = {values(known['orgs'])}",
        f"[dictionaries.kinds]\nvalues = {values(known['kinds'])}",
        f"[dictionaries.ids]\nvalues = {values(range(1, 41))}",
        "[dictionaries.years]\nvalues = [2023, 2024, 2025]",
        "[parameters]",
    ]
    bindings = {
        "orgs": ["path.code", "query.org", "query.root", "body.org", "body.parent", "body.new_parent"],
        "kinds": ["path.kind"],
        "ids": ["path.pk", "path.member_id", "path.activity_id", "body.member"],
        "years": ["path.year", "body.year"],
    }
    for dictionary, keys in bindings.items():
        lines += [f'"{key}" = {{ dictionary = "{dictionary}", probability = 0.8 }}' for key in keys]
    return "\n".join(lines) + "\n"


def _zhibu(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([str(BIN / "zhibu"), *args], env=env, check=True, capture_output=True, text=True)
    return result.stdout


def _wait_until_up(url: str, server: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited early with code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"server did not answer {url} within {timeout:.0f} s")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def run(
    *,
    port: int,
    max_time: int,
    max_examples: int,
    personas: list[str],
    workers: int,
    seed: int | None,
    report_dir: Path | None,
) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="zhibu-api-fuzz-"))
    env = dict(
        os.environ,
        ZHIBU_VAR_DIR=str(workdir),
        DATABASE_URL=f"sqlite:///{workdir / 'zhibu.sqlite3'}",
        ZHIBU_COOKIE_SECURE="false",
        ZHIBU_DEBUG="false",
        PYTHONUNBUFFERED="1",
    )
    env.pop("ZHIBU_PRODUCTION", None)
    server: subprocess.Popen | None = None
    failed = []
    try:
        print(f"api-fuzz: building the demo database in {workdir}", flush=True)
        _zhibu(env, "migrate", "--noinput", "-v0")
        _zhibu(env, "demo")
        known = json.loads(_zhibu(env, "shell", "-c", KNOWN_VALUES).strip().splitlines()[-1])
        config = workdir / "schemathesis.toml"
        config.write_text(_config(known), encoding="utf-8")
        tokens = {
            name: _zhibu(env, "token", "create", name, "--name", "schemathesis").strip().splitlines()[-1]
            for name in personas
        }
        base = f"http://127.0.0.1:{port}"
        log = open(workdir / "server.log", "w")  # noqa: SIM115 - closed with the directory below
        server = subprocess.Popen(
            [str(BIN / "zhibu"), "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait_until_up(f"{base}/healthz", server)
        for name in personas:
            print(f"api-fuzz: schemathesis as {name} ({max_time} s at most)", flush=True)
            command = [
                str(BIN / "schemathesis"),
                "--config-file",
                str(config),
                "run",
                f"{base}/api/v1/openapi.json",
                "--url",
                base,
                "-H",
                f"Authorization: Bearer {tokens[name]}",
                "--checks",
                CHECKS,
                "--max-time",
                str(max_time),
                "--max-examples",
                str(max_examples),
                "--workers",
                str(workers),
                "--generation-database",
                "none",
                "--request-timeout",
                "30",
                "--no-color",
            ]
            if seed is not None:
                command += ["--seed", str(seed)]
            if report_dir is not None:
                command += [
                    "--report",
                    "junit",
                    "--report-junit-path",
                    str(report_dir / f"api-fuzz-{name}.xml"),
                ]
            if subprocess.run(command, env=env).returncode != 0:
                failed.append(name)
        if server.poll() is not None:
            failed.append("server (exited during the run)")
    except (subprocess.CalledProcessError, RuntimeError, OSError) as exc:
        print(f"api-fuzz: setup failed: {exc}", file=sys.stderr)
        if isinstance(exc, subprocess.CalledProcessError):
            print(exc.stderr, file=sys.stderr)
        failed.append("setup")
    finally:
        if server is not None:
            _stop(server)
            errors = (workdir / "server.log").read_text(errors="replace")
            if "Traceback" in errors:
                print("api-fuzz: server log (tracebacks):", file=sys.stderr)
                print(errors[-20000:], file=sys.stderr)
        shutil.rmtree(workdir, ignore_errors=True)
    if failed:
        print(f"api-fuzz: FAILED for {', '.join(failed)}", file=sys.stderr)
        return 1
    print("api-fuzz: no server error and no undocumented status", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("API_FUZZ_PORT", "8711")))
    parser.add_argument("--max-time", type=int, default=120, help="seconds per persona")
    parser.add_argument("--max-examples", type=int, default=40, help="test cases per operation and phase")
    parser.add_argument("--personas", default="secretary,district")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--report-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    # A CI timeout sends SIGTERM: leave through `finally`, so that the server is stopped and the copy removed.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    return run(
        port=args.port,
        max_time=args.max_time,
        max_examples=args.max_examples,
        personas=[p for p in args.personas.split(",") if p],
        workers=args.workers,
        seed=args.seed,
        report_dir=args.report_dir,
    )


if __name__ == "__main__":
    sys.exit(main())
