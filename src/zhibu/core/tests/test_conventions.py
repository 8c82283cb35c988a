"""Code conventions that keep scoping honest."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2]


def _sources():
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC).parts
        if "migrations" in parts or "tests" in parts:
            continue
        yield path, path.read_text(encoding="utf-8")


def test_application_code_never_uses_the_internal_manager():
    """`Model.internal` is for Django's own machinery; code that crosses scopes says `.objects.unscoped()`."""
    offenders = [f"{path.relative_to(SRC)}:{n}" for path, text in _sources()
                 for n, line in enumerate(text.splitlines(), 1)
                 if re.search(r"\.internal\.", line) and path.name != "scoped.py"]
    assert offenders == []


def test_no_subtree_query_by_startswith_on_paths():
    """On SQLite `path__startswith` scans the table; subtrees are path ranges (scoping.path_bounds)."""
    offenders = [f"{path.relative_to(SRC)}:{n}" for path, text in _sources()
                 for n, line in enumerate(text.splitlines(), 1) if "path__startswith" in line]
    assert offenders == []
