"""The burden of the secretary's main tasks, measured by browser journeys at phone size (core/tests/
test_burden.py) and printed as burden_<task>_taps / _fields / _pages. Needs Chromium; without it nothing is
printed and the reason goes to stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from zhibu.testing.browser import chromium_missing

TESTS = Path(__file__).parent / "tests" / "test_burden.py"


def run(full: bool):
    reason = chromium_missing()
    if reason:
        print(f"burden: {reason}", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory(prefix="zhibu-burden-") as folder:
        out = Path(folder) / "burden.json"
        env = {
            **os.environ,
            "ZHIBU_BURDEN_OUT": str(out),
            "DATABASE_URL": "sqlite:///:memory:",
            "ZHIBU_SCREENSHOTS": folder,
        }
        done = subprocess.run(
            [sys.executable, "-m", "pytest", str(TESTS), "-q", "-p", "no:randomly", "-p", "no:cacheprovider"],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            print(done.stdout[-3000:], file=sys.stderr)
        figures = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    for task, values in figures.items():
        for measure in ("taps", "fields", "pages"):
            yield f"burden_{task}_{measure}", values[measure], measure
    if done.returncode != 0:
        raise RuntimeError("a burden journey failed (its output is above)")
