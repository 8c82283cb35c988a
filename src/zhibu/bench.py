"""`make bench` / `make bench-quick`: every app's benchmarks, printed as `name: value unit` lines.

Each app may have a module `zhibu.<app>.bench` with `run(full: bool) -> Iterable[tuple[str, float, str]]`.
Benchmarks build their own data in throw-away databases (a temporary SQLite file, and a PostgreSQL database
created for the run when a server answers at BENCH_PG_URL) and never touch var/.
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib import import_module
from importlib.util import find_spec

APPS = [
    "core",
    "orgs",
    "people",
    "records",
    "rules",
    "study",
    "work",
    "reports",
    "development",
    "dues",
    "ledger",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zhibu.bench")
    parser.add_argument("--full", action="store_true", help="include the city-sized (20,000-branch) runs")
    parser.add_argument("--only", nargs="*", default=None, help="apps to run")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibu.settings")
    import django

    django.setup()
    from zhibu.core import system

    system.enter_for_process()
    failures = 0
    for app in args.only or APPS:
        module = f"zhibu.{app}.bench"
        if find_spec(f"zhibu.{app}") is None or find_spec(module) is None:
            continue
        try:
            for name, value, unit in import_module(module).run(full=args.full):
                print(
                    f"{name}: {value:.3f} {unit}" if isinstance(value, float) else f"{name}: {value} {unit}",
                    flush=True,
                )
        except Exception as exc:  # report and go on: one broken benchmark must not hide the others
            failures += 1
            print(f"{app}_error: {exc!r}", file=sys.stderr, flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
