"""Every app of zhibu has its place in the import contract (.importlinter, checked by `make lint`)."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest
from django.apps import apps

CONTRACT = Path(__file__).resolve().parents[4] / ".importlinter"


@pytest.mark.skipif(not CONTRACT.exists(), reason="run from a checkout (the contract is not packaged)")
def test_every_app_has_a_layer():
    config = configparser.ConfigParser()
    config.read(CONTRACT, encoding="utf-8")
    layers = config["importlinter:contract:layers"]["layers"]
    placed = {name.strip() for line in layers.splitlines() for name in line.split("|") if name.strip()}
    ours = {app.name for app in apps.get_app_configs() if app.name.startswith("zhibu.")}
    assert ours - placed == set()
    assert placed - ours == set()
