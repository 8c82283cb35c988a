"""Conventions of the code base that no linter checks: the layer modules say what they are for, and nothing in
the repository points at notes that live outside it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import zhibu

ROOT = Path(zhibu.__file__).parent
REPO = ROOT.parent.parent
LAYERS = ("models", "services", "selectors")
# Names of working notes kept beside the repository; a reader of the code has none of them.
OUTSIDE = re.compile(r"\b(?:rules|STYLE|PRODUCT|PERFORMANCE)\.md\b|(?<![\w/])(?:\.\./)*shared/|/work/shared/")
TEXT_SUFFIXES = {
    ".py",
    ".html",
    ".txt",
    ".md",
    ".toml",
    ".cfg",
    ".ini",
    ".yml",
    ".yaml",
    ".sh",
    ".js",
    ".css",
}


def _layer_modules() -> list[Path]:
    found = []
    for name in LAYERS:
        found += ROOT.glob(f"*/{name}.py")
        found += ROOT.glob(f"*/{name}/*.py")
    return sorted(found)


def test_layer_modules_are_found():
    names = {p.relative_to(ROOT).as_posix() for p in _layer_modules()}
    assert {"people/models.py", "people/services.py", "people/selectors.py"} <= names


def test_every_models_services_and_selectors_module_has_a_docstring():
    missing = [
        p.relative_to(ROOT).as_posix()
        for p in _layer_modules()
        if not (ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) or "").strip()
    ]
    assert missing == []


def _repository_files() -> list[Path]:
    roots = [ROOT, REPO / "docs"]
    files = [
        p
        for root in roots
        if root.is_dir()
        for p in root.rglob("*")
        if p.is_file() and p.suffix in TEXT_SUFFIXES and "__pycache__" not in p.parts
    ]
    files += [
        p
        for p in (REPO / "README.md", REPO / "Makefile", REPO / "pyproject.toml", REPO / ".importlinter")
        if p.is_file()
    ]
    return [p for p in files if p.resolve() != Path(__file__).resolve()]


def test_outside_pattern_matches_what_it_should():
    assert OUTSIDE.search("see PERFORMANCE.md") and OUTSIDE.search("(../shared/seed/report.txt)")
    assert OUTSIDE.search("/work/shared/seed/report.txt")
    assert not OUTSIDE.search("/api/v1/work/orgs/branch-a") and not OUTSIDE.search("src/zhibu/shared/x.py")
    assert not OUTSIDE.search("README.md and docs/scale.md")


def test_nothing_cites_a_document_outside_the_repository():
    found = []
    for path in _repository_files():
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            match = OUTSIDE.search(line)
            if match:
                found.append(f"{path.relative_to(REPO).as_posix()}:{number}: {match.group(0)}")
    assert found == []
