from django.db import migrations

MINUTES = {"general-meeting": 90, "committee-meeting": 60, "group-meeting": 60, "party-lecture": 90,
           "theme-day": 120, "life-meeting": 180, "democratic-appraisal": 120, "heart-talk": 30,
           "political-study": 60, "training": 120, "other": 60}


def seed(apps, schema_editor):
    ActivityKind = apps.get_model("records", "ActivityKind")
    for code, minutes in MINUTES.items():
        ActivityKind.objects.filter(code=code, org=None).update(default_minutes=minutes)


class Migration(migrations.Migration):
    dependencies = [("records", "0004_kind_default_minutes")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
