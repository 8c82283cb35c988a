"""The templates zhibu ships. Where no official column set is published, the description says the layout is
ours; a superior copies one and edits the copy when an official layout arrives."""

from django.db import migrations

KINDS = ["general-meeting", "committee-meeting", "group-meeting", "party-lecture", "theme-day", "life-meeting",
         "democratic-appraisal"]


def _columns(*pairs):
    return [{"header": header, "field": field, "format": "", "mapping": {}} for header, field in pairs]


TEMPLATES = [
    (
        "党员参加组织活动情况",
        "每名党员每次活动一行：出席、请假（含事由）或缺席，供录入全国党员管理信息系统的组织生活记录。"
        "官方导入列未公开发布，本模板的列由本系统按其常见项目整理；如上级下发正式格式，可复制本模板后修改列和代码对照。",
        {"unit": "attendance", "title_rows": ["{组织}党员参加组织生活情况（{期间}）"], "kinds": KINDS,
         "columns": _columns(("党组织名称", "org_name"), ("活动类型", "kind_name"), ("活动主题", "topic"),
                             ("召开日期", "held_on"), ("党员姓名", "member_name"), ("人员类别", "member_status"),
                             ("参加情况", "presence"), ("请假事由", "reason"))},
    ),
    (
        "支部月度组织生活登记表",
        "每次活动一行，列出时间、地点、主持人、记录人、议题、应到实到和请假缺席名单，供向省级智慧党建平台补录时对照。"
        "本表格式为本系统自定（平台列项各地不一），可复制后按平台要求修改列名和活动类型代码。",
        {"unit": "activity", "title_rows": ["{组织}组织生活登记表（{期间}）"], "kinds": [],
         "columns": _columns(("党组织名称", "org_name"), ("活动类型", "kind_name"), ("召开日期", "held_on"),
                             ("起止时间", "time_range"), ("地点", "location"), ("主持人", "host"),
                             ("主讲人", "speaker"), ("记录人", "recorder"), ("议题", "topic"),
                             ("应到人数", "expected_count"), ("实到人数", "present_count"),
                             ("请假人员及事由", "leave_names"), ("缺席人员", "absent_names"),
                             ("主要内容", "content"), ("附件", "attachments"))},
    ),
    (
        "“三会一课”落实情况季度汇总表",
        "每个党支部每季度一行，统计支部党员大会、支部委员会、党小组会、党课、主题党日的次数，供上级党委季度汇总。"
        "本表格式为本系统自定。",
        {"unit": "quarter", "title_rows": ["{组织}“三会一课”落实情况汇总（{期间}）"], "kinds": [],
         "columns": _columns(("党组织名称", "org_name"), ("统计期间", "period"),
                             ("支部党员大会", "count:general-meeting"), ("支部委员会", "count:committee-meeting"),
                             ("党小组会", "count:group-meeting"), ("党课", "count:party-lecture"),
                             ("主题党日", "count:theme-day"), ("合计", "count_total"))},
    ),
]


def ship(apps, schema_editor):
    ExportTemplate = apps.get_model("ledger", "ExportTemplate")
    TemplateVersion = apps.get_model("ledger", "TemplateVersion")
    for name, description, definition in TEMPLATES:
        template, _ = ExportTemplate._default_manager.get_or_create(org=None, name=name,
                                                          defaults={"description": description})
        if not TemplateVersion._default_manager.filter(template=template).exists():
            TemplateVersion._default_manager.create(template=template, number=1, definition=definition, note="系统内置")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial"), ("records", "0002_seed_activity_kinds")]
    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
