"""Export templates as data: shipped templates, downloads from records, edits through the page, bad definitions."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhibu.ledger import services
from zhibu.ledger.models import ExportTemplate, TemplateVersion
from zhibu.records.models import Attendance
from zhibu.testing import factories as f

pytestmark = pytest.mark.django_db


def system(name: str) -> ExportTemplate:
    return ExportTemplate.objects.unscoped().get(org__isnull=True, name=name)


def own_copy(t) -> ExportTemplate:
    """The district's own copy of the shipped member-level sheet."""
    source = system("党员参加组织活动情况")
    definition = TemplateVersion.objects.unscoped().get(template=source, number=1).definition
    return services.template_create(
        actor=t.users.district, org=t.district, name="区级组织活动表", definition=definition, based_on=source
    )


def _meetings(t):
    m = t.members
    first = f.make_activity(
        t.a, "general-meeting", date(2022, 3, 8), present=[m.sec_a, m.member_a], absent=[m.a3]
    )
    Attendance.objects.unscoped().filter(activity=first, member=m.a3).update(presence="leave", reason="产假")
    second = f.make_activity(
        t.a,
        "committee-meeting",
        date(2022, 5, 10),
        topic='=HYPERLINK("http://x")',
        present=[m.sec_a, m.member_a, m.a3],
        absent=[m.a4],
    )
    return first, second


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _download(client, t, template, fmt="csv", start="2022-01", end="2022-12", org=None):
    url = reverse("ledger:sheet", args=[(org or t.a).code, template.pk])
    return client.get(url, {"from": start, "to": end, "format": fmt})


def test_three_templates_ship_with_a_first_version():
    names = set(ExportTemplate.objects.unscoped().filter(org__isnull=True).values_list("name", flat=True))
    assert names == {"党员参加组织活动情况", "支部月度组织生活登记表", "“三会一课”落实情况季度汇总表"}
    assert TemplateVersion.objects.unscoped().filter(template__org__isnull=True, number=1).count() == 3


def test_member_sheet_has_a_row_per_member_per_activity(tree, client):
    _meetings(tree)
    client.force_login(tree.users.sec_a)
    rows = _csv(_download(client, tree, system("党员参加组织活动情况")))
    assert rows[0] == [
        "党组织名称",
        "活动类型",
        "活动主题",
        "召开日期",
        "党员姓名",
        "人员类别",
        "参加情况",
        "请假事由",
    ]
    body = rows[1:]
    assert len(body) == 7  # 3 at the first meeting, 4 at the second
    first = [r for r in body if r[3] == "2022-03-08"]
    assert sorted((r[4], r[6], r[7]) for r in first) == sorted(
        [("张文慧", "出席", ""), ("李慧欣", "出席", ""), ("陶俊颖", "请假", "产假")]
    )
    second = [r for r in body if r[3] == "2022-05-10"]
    assert sorted(r[6] for r in second) == ["出席", "出席", "出席", "缺席"]
    # A topic that a spreadsheet would run as a formula is written as text.
    assert second[0][2] == '\'=HYPERLINK("http://x")'


def test_download_is_audited_with_the_version(tree, client):
    from zhibu.audit.models import AuditEntry

    client.force_login(tree.users.sec_a)
    assert _download(client, tree, system("支部月度组织生活登记表")).status_code == 200
    entry = AuditEntry.objects.get(verb="ledger.sheet_export")
    assert entry.detail["version"] == 1 and entry.detail["format"] == "csv"


def test_activity_sheet_lists_names_and_reasons_and_gbk_csv_decodes(tree, client):
    _meetings(tree)
    client.force_login(tree.users.sec_a)
    response = _download(client, tree, system("支部月度组织生活登记表"), fmt="csv-gbk")
    assert response["Content-Type"] == "text/csv; charset=gbk"
    rows = list(csv.reader(io.StringIO(response.content.decode("gbk"))))
    assert rows[0][:4] == ["党组织名称", "活动类型", "召开日期", "起止时间"]
    first = rows[1]
    assert first[1] == "支部党员大会" and first[2] == "2022-03-08" and first[3] == "14:00—15:00"
    assert first[9:13] == ["3", "2", "陶俊颖（产假）", ""]


def test_xlsx_has_title_row_header_and_version_footer(tree, client):
    _meetings(tree)
    client.force_login(tree.users.sec_a)
    response = _download(client, tree, system("党员参加组织活动情况"), fmt="xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "甲幼儿园党支部党员参加组织生活情况（2022年）"
    assert values[1][0] == "党组织名称"
    assert len(values) == 1 + 1 + 7 + 1
    assert values[-1][0] == "依据模板「党员参加组织活动情况」第1版生成，共 7 行。"


def test_quarter_summary_counts_each_kind(tree, client):
    _meetings(tree)
    f.make_activity(tree.a, "party-lecture", date(2022, 6, 1), present=[tree.members.sec_a])
    client.force_login(tree.users.district)
    rows = _csv(_download(client, tree, system("“三会一课”落实情况季度汇总表"), org=tree.district))
    assert rows[0] == [
        "党组织名称",
        "统计期间",
        "支部党员大会",
        "支部委员会",
        "党小组会",
        "党课",
        "主题党日",
        "合计",
    ]
    by_key = {(r[0], r[1]): r[2:] for r in rows[1:]}
    assert by_key[("甲幼儿园党支部", "2022年第1季度")] == ["1", "0", "0", "0", "0", "1"]
    assert by_key[("甲幼儿园党支部", "2022年第2季度")] == ["0", "1", "0", "1", "0", "2"]
    assert by_key[("乙小学党支部", "2022年第4季度")] == ["0", "0", "0", "0", "0", "0"]
    assert len(rows) == 1 + 2 * 4  # two branches × four quarters; the other district is not there


def _post(template_name: str, columns: list[tuple[str, str, str]], *, unit="attendance", note="") -> dict:
    data = {
        "name": template_name,
        "description": "",
        "unit": unit,
        "title_rows": "{组织}活动表",
        "note": note,
        "col-TOTAL_FORMS": str(len(columns)),
        "col-INITIAL_FORMS": "0",
        "col-MIN_NUM_FORMS": "0",
        "col-MAX_NUM_FORMS": "60",
    }
    for i, (header, field, mapping) in enumerate(columns):
        data.update(
            {
                f"col-{i}-header": header,
                f"col-{i}-field": field,
                f"col-{i}-format": "",
                f"col-{i}-mapping": mapping,
            }
        )
    return data


def test_a_template_edited_on_the_page_changes_the_next_download(tree, client):
    _meetings(tree)
    client.force_login(tree.users.district)
    source = system("党员参加组织活动情况")
    response = client.post(
        reverse("ledger:template_new", args=[tree.district.code]) + f"?from={source.pk}",
        _post("区级组织活动表", [("活动类型", "kind_name", ""), ("姓名", "member_name", "")]),
    )
    assert response.status_code == 302
    template = ExportTemplate.objects.unscoped().get(org=tree.district)
    assert template.based_on == source
    client.force_login(tree.users.sec_a)
    before = _csv(_download(client, tree, template))
    assert before[0] == ["活动类型", "姓名"] and before[1][0] == "支部党员大会"

    client.force_login(tree.users.district)
    response = client.post(
        reverse("ledger:template_edit", args=[template.pk]),
        _post(
            "区级组织活动表",
            [("活动类别代码", "kind_name", "支部党员大会=01\n支部委员会=02"), ("姓名", "member_name", "")],
            note="改为省平台代码",
        ),
    )
    assert response.status_code == 302
    assert list(
        TemplateVersion.objects.unscoped()
        .filter(template=template)
        .values_list("number", flat=True)
        .order_by("number")
    ) == [1, 2]
    client.force_login(tree.users.sec_a)
    after = _csv(_download(client, tree, template))
    assert after[0] == ["活动类别代码", "姓名"]
    assert sorted({r[0] for r in after[1:]}) == ["01", "02"]
    # The first version is kept as it was.
    first = TemplateVersion.objects.unscoped().get(template=template, number=1).definition
    assert first["columns"][0]["header"] == "活动类型" and first["columns"][0]["mapping"] == {}


@pytest.mark.parametrize(
    "columns, message",
    [
        (
            [("活动类型", "kind_name", ""), ("党员", "no_such_field", "")],
            "第2列：没有名为「no_such_field」的字段。",
        ),
        ([("姓名", "member_name", ""), ("姓名", "topic", "")], "第2列：表头「姓名」与第1列重复。"),
        ([("统计期间", "period", "")], "第1列：字段「统计期间」不能用于“每名党员每次活动一行”的模板。"),
        ([("类型", "kind_name", "支部党员大会")], "第1列代码对照第1行「支部党员大会」应写成“原值=目标值”。"),
    ],
)
def test_bad_definitions_are_refused_and_nothing_is_saved(tree, client, columns, message):
    client.force_login(tree.users.district)
    response = client.post(
        reverse("ledger:template_new", args=[tree.district.code]), _post("坏模板", columns)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ExportTemplate.objects.unscoped().filter(org=tree.district).exists()


def test_bad_edit_keeps_the_previous_version(tree, client):
    template = own_copy(tree)
    client.force_login(tree.users.district)
    response = client.post(
        reverse("ledger:template_edit", args=[template.pk]),
        _post("区级组织活动表", [("姓名", "member_name", ""), ("姓名", "member_name", "")]),
    )
    assert response.status_code == 400
    assert "第2列：表头「姓名」与第1列重复。" in response.content.decode()
    assert TemplateVersion.objects.unscoped().filter(template=template).count() == 1


def test_a_secretary_cannot_define_templates(tree, client):
    client.force_login(tree.users.sec_a)
    response = client.post(
        reverse("ledger:template_new", args=[tree.a.code]), _post("支部模板", [("姓名", "member_name", "")])
    )
    assert response.status_code == 404
    assert not ExportTemplate.objects.unscoped().filter(org__isnull=False).exists()


def test_a_district_template_serves_its_branches_not_others(tree, client):
    template = own_copy(tree)
    client.force_login(tree.users.sec_a)
    assert _download(client, tree, template).status_code == 200
    other = f.UserFactory(username="sec_other")
    from zhibu.orgs.roles import Role

    f.grant(other, tree.other_branch, Role.SECRETARY)
    client.force_login(other)
    assert _download(client, tree, template, org=tree.other_branch).status_code == 404


@pytest.mark.parametrize(
    "query, message",
    [
        ({"from": "2022-13", "to": "2022-12"}, "月份超出范围：2022-13（月份应为 1–12）。"),
        ({"from": "2022-05", "to": "2022-01"}, "截止月份不能早于起始月份。"),
        ({"from": "2019-01", "to": "2022-12"}, "一次最多下载 36 个月。"),
        ({"from": "2022-01", "to": "2022-12", "format": "pdf"}, "下载格式只能是 xlsx、csv 或 csv-gbk。"),
    ],
)
def test_bad_download_parameters_answer_400_in_chinese(tree, client, query, message):
    client.force_login(tree.users.sec_a)
    url = reverse("ledger:sheet", args=[tree.a.code, system("党员参加组织活动情况").pk])
    response = client.get(url, query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_demo_member_sheet_matches_the_records_attendance(demo_data, client):
    from django.contrib.auth import get_user_model

    from zhibu.orgs.models import Organisation

    secretary = get_user_model()._default_manager.get(username="secretary")
    org = Organisation.objects.get(code="wolongshan-kg")
    template = system("党员参加组织活动情况")
    kinds = TemplateVersion.objects.unscoped().get(template=template, number=1).definition["kinds"]
    client.force_login(secretary)
    response = client.get(
        reverse("ledger:sheet", args=[org.code, template.pk]),
        {"from": "2022-01", "to": "2022-12", "format": "csv"},
    )
    body = _csv(response)[1:]
    records = Attendance.objects.unscoped().filter(
        activity__org=org, activity__held_on__year=2022, activity__kind__code__in=kinds
    )
    assert len(body) == records.count() > 100
    for label, presence in (("出席", "present"), ("请假", "leave"), ("缺席", "absent")):
        assert sum(1 for r in body if r[6] == label) == records.filter(presence=presence).count()
