from django.db import migrations

PLATFORMS = [
    # name, kind, order
    ("学习强国", "national_study", 10),
    ("视频号", "video", 20),
    ("公众号", "official", 30),
    ("日照教育发布", "local_media", 40),
    ("日照数字报", "local_media", 50),
    ("其他", "other", 200),
]


def seed(apps, schema_editor):
    Platform = apps.get_model("work", "Platform")
    for name, kind, order in PLATFORMS:
        Platform.objects.update_or_create(name=name, org=None, defaults={"kind": kind, "order": order})


class Migration(migrations.Migration):
    dependencies = [("work", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
