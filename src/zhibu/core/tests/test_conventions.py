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
    offenders = [
        f"{path.relative_to(SRC)}:{n}"
        for path, text in _sources()
        for n, line in enumerate(text.splitlines(), 1)
        if re.search(r"\.internal\.", line) and path.name != "scoped.py"
    ]
    assert offenders == []


def test_no_subtree_query_by_startswith_on_paths():
    """On SQLite `path__startswith` scans the table; subtrees are path ranges (scoping.path_bounds)."""
    offenders = [
        f"{path.relative_to(SRC)}:{n}"
        for path, text in _sources()
        for n, line in enumerate(text.splitlines(), 1)
        if "path__startswith" in line
    ]
    assert offenders == []


def test_only_orgs_cuts_tree_paths():
    """A tree path is cut by Organisation's helpers (ancestor_paths, path_chain, parent_path_of, path_at_depth,
    branch) or orgs.selectors.nearest, never by slicing it elsewhere."""
    slicing = re.compile(r"path\s*\[[^\]]*:[^\]]*\]")
    offenders = [
        f"{path.relative_to(SRC)}:{n}"
        for path, text in _sources()
        for n, line in enumerate(text.splitlines(), 1)
        if path.relative_to(SRC).parts[0] != "orgs" and slicing.search(line) and "parsed.path" not in line
    ]
    assert offenders == []


def test_month_arithmetic_lives_in_core_months():
    """relativedelta and month-end arithmetic are core.months' business."""
    offenders = [
        f"{path.relative_to(SRC)}:{n}"
        for path, text in _sources()
        for n, line in enumerate(text.splitlines(), 1)
        if path.relative_to(SRC).as_posix() != "core/months.py"
        and ("relativedelta" in line or "monthrange(" in line)
    ]
    assert offenders == []
