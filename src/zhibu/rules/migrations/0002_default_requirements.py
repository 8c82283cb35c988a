"""The built-in requirements of 《中国共产党支部工作条例（试行）》 and 《中国共产党党员教育管理工作条例》 (owner = none: they apply everywhere).

Numbers from the 支部工作条例 (2018, in force from 2018-10-28). ZB-05 (党课 each quarter) is a common local rule,
not a number from the 条例, and is marked as local. ZB-04, ZB-09 and ZB-12…14 are not frequencies of
organisational life and are not lights.
"""

from datetime import date

from django.db import migrations

IN_FORCE = date(2018, 10, 28)
REG = "《中国共产党支部工作条例（试行）》"

DEFAULTS = [
    # code, name, kind code, period, min, flags, basis, local, note
    ("ZB-01", "支部党员大会每季度至少一次", "general-meeting", "quarter", 1, {}, f"{REG}第十一条", False,
     "一般每季度召开 1 次。"),
    ("ZB-02", "支部委员会会议每月至少一次", "committee-meeting", "month", 1, {"needs_committee": True},
     f"{REG}第十二条", False, "仅适用于设立支部委员会的支部（委员不少于 3 人）。"),
    ("ZB-03", "党小组会每月至少一次", "group-meeting", "month", 1, {"per_group": True}, f"{REG}第十三条", False,
     "每个党小组分别计；未划分党小组的支部不适用。"),
    ("ZB-05", "党课每季度至少一次", "party-lecture", "quarter", 1, {},
     "本地惯例：每季度至少 1 次（条例要求经常上党课，未规定次数）", True,
     "地方规定，非条例数字；请按本地组织部门要求调整。"),
    ("ZB-06", "支部书记每年至少讲一次党课", "party-lecture", "year", 1, {"speaker_secretary": True},
     f"{REG}第五章（三会一课）", False, "主讲人须为现任支部书记。"),
    ("ZB-07", "主题党日每月一次", "theme-day", "month", 1, {},
     f"{REG}第五章；《中国共产党党员教育管理工作条例》第十六条", False, "具体日期由本地确定。"),
    ("ZB-08", "组织生活会每年至少一次", "life-meeting", "year", 1, {},
     f"{REG}第十七条；《中国共产党党员教育管理工作条例》第十七条", False, "一般在第四季度召开。"),
    ("ZB-10", "谈心谈话每名党员每年至少一次", "heart-talk", "year", 1, {"per_member": True}, f"{REG}第十九条", False,
     "委员之间、委员和党员之间、党员和党员之间；以出席谈心谈话记录计。"),
    ("ZB-11", "民主评议党员每年一次", "democratic-appraisal", "year", 1, {},
     f"{REG}；《中国共产党党员教育管理工作条例》第十八条", False, ""),
]


def seed(apps, schema_editor):
    Requirement = apps.get_model("rules", "Requirement")
    ActivityKind = apps.get_model("records", "ActivityKind")
    OrgType = apps.get_model("orgs", "OrgType")
    branch_types = list(OrgType.objects.filter(level="branch"))
    for code, name, kind, period, count, flags, basis, local, note in DEFAULTS:
        if Requirement._default_manager.filter(code=code, owner__isnull=True).exists():
            continue
        req = Requirement._default_manager.create(
            code=code, name=name, kind=ActivityKind.objects.get(code=kind, org__isnull=True), period=period,
            min_count=count, basis=basis, local_rule=local, note=note, valid_from=IN_FORCE, grace_days=7,
            **flags)
        req.org_types.set(branch_types)


class Migration(migrations.Migration):
    dependencies = [
        ("rules", "0001_initial"),
        ("records", "0002_seed_activity_kinds"),
        ("orgs", "0002_seed_org_types"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
