"""The stored lights' table keeps room for updates and is vacuumed early on PostgreSQL (migration 0010)."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_lights_table_has_its_storage_settings():
    if connection.vendor != "postgresql":
        pytest.skip("storage parameters exist on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'rules_monthlight'")
        (options,) = cursor.fetchone()
    assert sorted(options) == [
        "autovacuum_analyze_scale_factor=0.02",
        "autovacuum_analyze_threshold=1000",
        "autovacuum_vacuum_scale_factor=0.02",
        "autovacuum_vacuum_threshold=1000",
        "fillfactor=75",
    ]
