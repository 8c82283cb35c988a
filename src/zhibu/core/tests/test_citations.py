"""Users see the regulation, not our notes: no page or message shows one of our own rule codes (ZB-02, FZ-07,
DF-11 …). Code comments and docstrings may keep them; templates and string constants may not."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import zhibu

ROOT = Path(zhibu.__file__).parent
CODE = re.compile(r"\b(ZB|FZ|DF|SJ|ZJ|LD|ZY|FD)-\d{2}\b")
CJK = re.compile(r"[\u4e00-\u9fff]")
SKIP = ("/tests/", "/migrations/", "/testing/")


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def test_no_rule_code_in_templates():
    found = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p in ROOT.glob("*/templates/**/*.html")
        for m in CODE.finditer(p.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_no_rule_code_in_string_constants():
    found = []
    for path in ROOT.rglob("*.py"):
        text = str(path)
        if any(part in text for part in SKIP) or path.name == "bench.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
                and CJK.search(node.value)
            ):  # a message or label a person reads (codes alone are keys)
                match = CODE.search(node.value)
                if match:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {match.group(0)}")
    assert found == []
