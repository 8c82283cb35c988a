"""`make demo DEMO_PORT=…` serves on that port, and the demo command prints that address, not 8000."""

from __future__ import annotations

import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

import zhibu
from zhibu import demo

MAKEFILE = Path(zhibu.__file__).resolve().parents[2] / "Makefile"


def test_the_demo_command_prints_the_address_it_is_given(monkeypatch):
    monkeypatch.setattr(demo, "exists", lambda: True)
    out = StringIO()
    call_command("demo", "--address", "127.0.0.1:8123", stdout=out)
    assert "访问 http://127.0.0.1:8123 登录。" in out.getvalue()
    assert "8000" not in out.getvalue()


def test_the_demo_command_defaults_to_port_8000(monkeypatch):
    monkeypatch.setattr(demo, "exists", lambda: True)
    out = StringIO()
    call_command("demo", stdout=out)
    assert "访问 http://127.0.0.1:8000 登录。" in out.getvalue()


@pytest.mark.skipif(not MAKEFILE.exists() or shutil.which("make") is None, reason="没有 Makefile 或 make")
def test_make_demo_passes_its_port_to_the_demo_and_to_the_server():
    lines = subprocess.run(
        ["make", "-n", "-C", str(MAKEFILE.parent), "demo", "DEMO_PORT=8123"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert any(line.endswith("zhibu demo --address 127.0.0.1:8123") for line in lines), lines
    assert any("zhibu runserver 127.0.0.1:8123 --noreload" in line for line in lines), lines
    assert not any("8000" in line for line in lines), lines
