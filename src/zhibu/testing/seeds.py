"""Put the data migrations' seed rows back after a transactional test flushed the database.

Browser tests need transactions (the live server reads over its own connection); a flush then removes what the
data migrations seeded (组织类别, 活动类型, default requirements …). Django's serialized rollback should restore
them, but its saved copy is lost once Playwright's event loop gives the test another connection object, so
this runs the seed functions again, in migration order, when the seeds are missing.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython


def ensure_seeded() -> None:
    from zhibu.orgs.models import OrgType

    if OrgType.objects.exists():
        return
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    plan: list[tuple[str, str]] = []
    for leaf in loader.graph.leaf_nodes():
        for node in loader.graph.forwards_plan(leaf):
            if node not in plan:
                plan.append(node)
    editor = SimpleNamespace(connection=connection)
    state_apps = loader.project_state().apps  # historical models: plain managers, as the migrations expect
    for app_label, name in plan:
        if not loader.graph.nodes[(app_label, name)].__module__.startswith("zhibu."):
            continue
        for operation in loader.graph.nodes[(app_label, name)].operations:
            if isinstance(operation, RunPython):
                operation.code(state_apps, editor)
