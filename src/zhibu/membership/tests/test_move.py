from django.db import migrations
from django.db.migrations.loader import MigrationLoader

from zhibu.membership.models import ContactLog, MobileRecord, Transfer


def test_the_moved_models_keep_the_dues_tables():
    assert [m._meta.db_table for m in (Transfer, ContactLog, MobileRecord)] == [
        "dues_transfer",
        "dues_contactlog",
        "dues_mobilerecord",
    ]
    assert [m._meta.app_label for m in (Transfer, ContactLog, MobileRecord)] == ["membership"] * 3


def test_the_move_runs_no_sql():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key in (("dues", "0002_transfers_and_watch_to_membership"), ("membership", "0001_initial")):
        operations = loader.disk_migrations[key].operations
        assert [type(op) for op in operations] == [migrations.SeparateDatabaseAndState], key
        assert operations[0].database_operations == [], key
