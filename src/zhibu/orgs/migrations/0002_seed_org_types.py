from django.db import migrations

TYPES = [
    ("committee", "党委", "committee", 10),
    ("general-branch", "党总支", "committee", 20),
    ("branch", "党支部", "branch", 30),
    ("joint-branch", "联合党支部", "branch", 40),
    ("group", "党小组", "group", 50),
]


def seed(apps, schema_editor):
    OrgType = apps.get_model("orgs", "OrgType")
    for code, name, level, order in TYPES:
        OrgType.objects.update_or_create(code=code, defaults={"name": name, "level": level, "order": order})


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
