"""组织生活会 (ZB-08) and 民主评议党员 (ZB-11) for year N are commonly held in the first quarter of N+1: the
built-in requirements close on 31 March of the next year (a superior may set an earlier date of its own)."""

from django.db import migrations


def forward(apps, schema_editor):
    Requirement = apps.get_model("rules", "Requirement")
    Requirement._default_manager.filter(code__in=("ZB-08", "ZB-11"), owner__isnull=True).update(
        closes_month=3, closes_day=31)
    Requirement._default_manager.filter(code="ZB-08", owner__isnull=True).update(
        note="一般在第四季度召开，也可在次年第一季度为上一年度召开（记录注明所属年度）。")


class Migration(migrations.Migration):
    dependencies = [("rules", "0003_requirement_closes_day_requirement_closes_month"),
                    ("records", "0005_annual_kinds")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
