"""Storage settings for the stored lights on PostgreSQL: every relight rewrites rows of rules_monthlight, so pages
keep free room for new row versions (fillfactor 75, which lets PostgreSQL update in place — HOT — when no indexed
column changes) and the table is vacuumed and analysed after a few percent of its rows change rather than the
default 20 %, so a board read after a large relight does not wade through dead rows. SQLite has no such settings:
the migration does nothing there."""

from django.db import migrations

SETTINGS = {
    "fillfactor": "75",
    "autovacuum_vacuum_scale_factor": "0.02",
    "autovacuum_vacuum_threshold": "1000",
    "autovacuum_analyze_scale_factor": "0.02",
    "autovacuum_analyze_threshold": "1000",
}


def apply(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    options = ", ".join(f"{name} = {value}" for name, value in SETTINGS.items())
    schema_editor.execute(f"ALTER TABLE rules_monthlight SET ({options})")


def revert(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE rules_monthlight RESET ({', '.join(SETTINGS)})")


class Migration(migrations.Migration):
    dependencies = [("rules", "0009_scoped_default_manager")]

    operations = [migrations.RunPython(apply, revert)]
