from django.db import migrations

KINDS = [
    # code, name, order, needs_speaker, checks_quorum
    ("general-meeting", "支部党员大会", 10, False, False),
    ("committee-meeting", "支部委员会", 20, False, True),
    ("group-meeting", "党小组会", 30, False, False),
    ("party-lecture", "党课", 40, True, False),
    ("theme-day", "主题党日", 50, False, False),
    ("life-meeting", "组织生活会", 60, False, False),
    ("democratic-appraisal", "民主评议党员", 70, False, False),
    ("heart-talk", "谈心谈话", 80, False, False),
    ("political-study", "政治学习", 90, False, False),
    ("training", "专题培训", 100, True, False),
    ("other", "其他", 200, False, False),
]


def seed(apps, schema_editor):
    ActivityKind = apps.get_model("records", "ActivityKind")
    for code, name, order, speaker, quorum in KINDS:
        ActivityKind.objects.update_or_create(
            code=code, org=None,
            defaults={"name": name, "order": order, "needs_speaker": speaker, "checks_quorum": quorum},
        )


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
