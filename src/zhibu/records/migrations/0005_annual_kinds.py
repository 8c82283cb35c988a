"""Annual meetings carry the year they are for: mark the built-in annual kinds, add 述职评议, and fill 所属年度 of
existing records (held January–March → the year before, as the record form defaults)."""

from django.db import migrations

ANNUAL = ("life-meeting", "democratic-appraisal", "duty-review")


def forward(apps, schema_editor):
    ActivityKind = apps.get_model("records", "ActivityKind")
    Activity = apps.get_model("records", "Activity")
    ActivityKind.objects.update_or_create(code="duty-review", org=None,
                                          defaults={"name": "述职评议", "order": 75, "annual": True})
    ActivityKind.objects.filter(code__in=ANNUAL, org__isnull=True).update(annual=True)
    rows = Activity._default_manager.filter(kind__annual=True, for_year__isnull=True).values_list("id", "held_on")
    for pk, held_on in rows.iterator():
        year = held_on.year - 1 if held_on.month <= 3 else held_on.year
        Activity._default_manager.filter(pk=pk).update(for_year=year)


class Migration(migrations.Migration):
    dependencies = [("records", "0004_activity_for_year_activitykind_annual")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
