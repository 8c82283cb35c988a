"""PostgreSQL storage for the lights table, rewritten by relights: room on each page for updated rows
(fillfactor 70: the new version can stay on its page, without new index entries when no indexed column changed)
and vacuum/analyze after a few thousand changed rows rather than a fifth of the table. Nothing to do elsewhere."""

from django.db import migrations

FORWARD = ("ALTER TABLE rules_monthlight SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02, "
           "autovacuum_vacuum_threshold = 2000, autovacuum_analyze_scale_factor = 0.02, "
           "autovacuum_analyze_threshold = 2000)")
BACKWARD = ("ALTER TABLE rules_monthlight RESET (fillfactor, autovacuum_vacuum_scale_factor, "
            "autovacuum_vacuum_threshold, autovacuum_analyze_scale_factor, autovacuum_analyze_threshold)")


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that runs only when the database is PostgreSQL (storage parameters do not exist elsewhere)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("rules", "0002_default_requirements")]

    operations = [PostgreSQLOnly(FORWARD, BACKWARD)]
