"""The demo: a district education committee with school branches, built around 卧龙山街道中心幼儿园党支部's
2022 as its annual report tells it. Every figure the report shows comes from the records made here.

`build()` makes the organisations, accounts, members and organisational-life records (core part, below), then
calls `build(ctx)` of each app's `demo.py` in INSTALLED_APPS order, so that each domain adds its own records.
Running it again changes nothing: the demo is built once (the district's code marks it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db import transaction

DEMO_PASSWORD = "zhibu-demo-2022"
DISTRICT = "district-edu"
KINDERGARTEN = "wolongshan-kg"


@dataclass
class DemoContext:
    year: int = 2022
    orgs: dict = field(default_factory=dict)  # code → Organisation
    users: dict = field(default_factory=dict)  # "secretary", "district", "member", … → User
    members: dict = field(default_factory=dict)  # branch code → {name → Member}
    notes: list = field(default_factory=list)  # lines printed after the build


def exists() -> bool:
    from zhibu.orgs.models import Organisation

    return Organisation.objects.filter(code=DISTRICT).exists()


@transaction.atomic
def build() -> DemoContext:
    from zhibu.demo_core import build_core

    ctx = DemoContext()
    build_core(ctx)
    for config in apps.get_app_configs():
        module = f"{config.name}.demo"
        if config.name.startswith("zhibu.") and find_spec(module) is not None:
            import_module(module).build(ctx)
    return ctx
