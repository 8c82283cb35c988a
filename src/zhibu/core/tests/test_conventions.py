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


def test_no_model_keeps_a_second_unscoped_manager():
    """The unscoped rows are reached by `.objects.unscoped()`, a name to grep for, not by another manager."""
    offenders = [
        f"{path.relative_to(SRC)}:{n}"
        for path, text in _sources()
        for n, line in enumerate(text.splitlines(), 1)
        if re.search(r"\.internal\.|^\s+\w+ = models\.Manager\(\)", line)
    ]
    assert offenders == []


# Outside orgs, these read organisations through treebeard's tree manager `Organisation.objects`, which is not
# scoped (treebeard's own operations need it): each looks an organisation up by code before its own access check,
# walks a subtree it has already checked, or is system work (demo, benchmarks, test data). New code reads through
# orgs.scoping (organisations, get_org) or `Organisation.scoped.visible_to(...)`.
TREE_MANAGER_READERS = {
    "demo.py", "demo_core.py", "development/selectors.py", "dues/selectors.py", "loadtest/__main__.py",
    "membership/api.py", "membership/forms.py", "notices/selectors.py", "people/bench.py", "people/selectors.py",
    "records/api.py", "records/selectors.py", "records/views.py", "reports/assemble/gather.py", "reports/bench.py",
    "rules/bench.py", "rules/engine.py", "rules/selectors.py", "rules/services.py", "rules/views.py", "study/demo.py",
    "study/selectors.py", "study/views.py", "testing/benchdata.py", "testing/factories.py",
}  # fmt: skip


def test_the_unscoped_tree_manager_is_read_only_where_listed():
    readers = {
        path.relative_to(SRC).as_posix()
        for path, text in _sources()
        if "Organisation.objects" in text and path.relative_to(SRC).parts[0] != "orgs"
    }
    assert readers - TREE_MANAGER_READERS == set()


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


# Where a rule about "the user's own" may be written outside orgs.scoping, and why.
OWN_RULES_ELSEWHERE = {
    "accounts/services.py": "a user's own account: password and tokens, not a roster record",
    "accounts/api.py": "the user's own roles, read back to them",
    "accounts/views.py": "a user's own API tokens",
    "rules/services.py": "a user's own calendar-feed token",
    "people/for_orgs.py": "the roster's answer behind scoping.own_member",
}


def test_a_members_own_records_are_decided_in_scoping():
    """ "A member sees their own record" is orgs.scoping's rule (own_q, own_member, is_own, `Model.objects.own`)."""
    own = re.compile(r"\buser(_id)?=(actor|request\.user)\b|\.user_id\s*==")
    offenders = [
        f"{path.relative_to(SRC)}:{n}"
        for path, text in _sources()
        for n, line in enumerate(text.splitlines(), 1)
        if own.search(line)
        and path.relative_to(SRC).parts[0] != "orgs"
        and path.relative_to(SRC).as_posix() not in OWN_RULES_ELSEWHERE
        and "bench" not in path.name
    ]
    assert offenders == []
