"""Rosters as branches keep them: a title and a note above two rows of merged headers, dates written four
ways, full-width digits and stray spaces, formatted empty rows at the end; CSV in GBK; ID numbers that Excel
turned into floats."""

import io
from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from zhibu.audit.models import AuditEntry
from zhibu.core.tabular.cells import FLOAT_ID
from zhibu.people.importing import member_import
from zhibu.people.models import Member, Status, StatusEvent

from .helpers import id_for

ID1 = id_for(date(1985, 3, 7), 123)  # male
ID2 = id_for(date(1990, 11, 30), 246)  # female
ID3 = id_for(date(1978, 1, 15), 358)  # female


def _kept_roster() -> bytes:
    """Row 1 a merged title, row 2 a note, rows 3-4 headers (姓名… merged down two rows, "党龄信息" merged
    across 入党日期 and 转正日期, "联系电话" merged across two columns), data from row 5."""
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "甲幼儿园党支部党员名册"
    sheet.merge_cells("A1:I1")
    sheet["A2"] = "填报日期：2024年3月1日　（身份证号请设为文本格式）"
    for letter, header in zip("ABCD", ("姓 名", "身份证号码", "民族", "人员类别"), strict=True):
        sheet[f"{letter}3"] = header
        sheet.merge_cells(f"{letter}3:{letter}4")
    sheet["E3"] = "党龄信息"
    sheet.merge_cells("E3:F3")
    sheet["E4"], sheet["F4"] = "入党时间", "转正日期"
    sheet["G3"] = "联系电话"
    sheet.merge_cells("G3:H4")
    sheet["I3"] = "工作岗位"
    sheet.merge_cells("I3:I4")
    sheet.append(
        [
            " 周晓梅 ",
            ID2,
            "汉族",
            "正式党员",
            "2015.06.01",
            "2016年6月1日",
            "１３９ １２３４ ５６７８",
            None,
            "教师",
        ]
    )
    sheet.append(["吴建国", ID1, "回族", "正式党员", "2019/7/1", date(2020, 7, 1), None, None, "保育员"])
    sheet.append(
        [
            "郑丽",
            ID3.lower() if ID3.endswith("X") else ID3,
            "汉族",
            "预备党员",
            "２０２３年７月１日",
            None,
            None,
            None,
            None,
        ]
    )
    for column in "ABCDEFGHI":  # formatted but empty rows below the data, as spreadsheets keep them
        sheet[f"{column}40"].fill = PatternFill("solid", fgColor="FFFF00")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _check_imported(tree) -> None:
    members = {
        m.name: m
        for m in Member.objects.visible_to(tree.users.sec_a, "view")
        .filter(branch=tree.a)
        .filter(name__in=["周晓梅", "吴建国", "郑丽"])
    }
    assert sorted(members) == ["吴建国", "周晓梅", "郑丽"]
    zhou, wu, zheng = members["周晓梅"], members["吴建国"], members["郑丽"]
    assert (zhou.status, zhou.joined_on, zhou.confirmed_on, zhou.phone, zhou.post) == (
        Status.FULL,
        date(2015, 6, 1),
        date(2016, 6, 1),
        "13912345678",
        "教师",
    )
    assert (wu.status, wu.joined_on, wu.confirmed_on, wu.ethnicity) == (
        Status.FULL,
        date(2019, 7, 1),
        date(2020, 7, 1),
        "03",
    )
    assert (zheng.status, zheng.joined_on, zheng.confirmed_on) == (
        Status.PROBATIONARY,
        date(2023, 7, 1),
        None,
    )


def test_kept_roster_imports_through_the_command(tree, tmp_path):
    path = tmp_path / "支部名册.xlsx"
    path.write_bytes(_kept_roster())
    out = StringIO()
    call_command("import_members", str(path), org="branch-a", stdout=out)
    assert out.getvalue().strip() == "导入完成（甲幼儿园党支部）。共 3 行：新增 3 人，更新 0 人，0 人无变化。"
    _check_imported(tree)


def test_kept_roster_imports_through_the_page(tree, login):
    upload = io.BytesIO(_kept_roster())
    upload.name = "支部名册.xlsx"
    response = login(tree.users.sec_a).post(reverse("people:import", args=[tree.a.code]), {"file": upload})
    assert response.status_code == 302
    _check_imported(tree)
    assert AuditEntry.objects.get(verb="member.import").detail["created"] == 3


def _csv(encoding: str, id2: str = ID2) -> bytes:
    lines = [
        "甲幼儿园党支部党员名册,,,,,",
        "姓名,公民身份号码,民族,人员类别,入党日期,转正日期",
        f"周晓梅,{id2},汉族,正式党员,2015年6月1日,2016.6.1",
        f"吴建国,{ID1},回族,预备党员,2023-07-01,",
        ",,,,,",
        "",
    ]
    return "\r\n".join(lines).encode(encoding)


@pytest.mark.parametrize("encoding", ["gbk", "utf-8", "utf-8-sig"])
def test_csv_roster_imports_in_gbk_and_utf8(tree, encoding):
    result = member_import(
        actor=tree.users.sec_a, branch=tree.a, file=io.BytesIO(_csv(encoding)), filename="名册.csv"
    )
    assert (result.created, result.rows) == (2, 2)
    zhou = Member.objects.unscoped().get(name="周晓梅")
    assert (zhou.joined_on, zhou.confirmed_on, zhou.status) == (
        date(2015, 6, 1),
        date(2016, 6, 1),
        Status.FULL,
    )
    assert Member.objects.unscoped().get(name="吴建国").status == Status.PROBATIONARY


def test_gbk_csv_roster_imports_through_the_page(tree, login):
    upload = io.BytesIO(_csv("gbk"))
    upload.name = "名册.csv"
    response = login(tree.users.sec_a).post(reverse("people:import", args=[tree.a.code]), {"file": upload})
    assert response.status_code == 302
    assert set(
        Member.objects.unscoped().filter(name__in=["周晓梅", "吴建国"]).values_list("name", flat=True)
    ) == {"周晓梅", "吴建国"}


def _counts():
    return (
        Member.objects.unscoped().count(),
        StatusEvent.objects.unscoped().count(),
        AuditEntry.objects.count(),
    )


def test_id_number_turned_into_a_float_is_refused_with_the_reason(tree):
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "公民身份号码", "民族", "人员类别", "入党日期", "转正日期"])
    sheet.append(["周晓梅", float(ID2[:17] + "0"), "汉族", "正式党员", "2015-06-01", "2016-06-01"])
    buffer = io.BytesIO()
    book.save(buffer)
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        member_import(
            actor=tree.users.sec_a, branch=tree.a, file=io.BytesIO(buffer.getvalue()), filename="a.xlsx"
        )
    assert exc.value.messages == ["第2行「公民身份号码」：" + FLOAT_ID.rstrip("。")]
    assert "科学计数法" in FLOAT_ID and "文本格式" in FLOAT_ID
    assert _counts() == before


def test_id_number_in_scientific_notation_in_a_csv_is_refused(tree, tmp_path):
    path = tmp_path / "名册.csv"
    path.write_bytes(_csv("gbk", id2="1.10105E+17"))
    err = StringIO()
    before = _counts()
    with pytest.raises(CommandError, match="导入失败：共 1 处问题，未保存任何数据。"):
        call_command("import_members", str(path), org="branch-a", stderr=err)
    assert err.getvalue().strip() == "第3行「公民身份号码」：" + FLOAT_ID.rstrip("。")
    assert _counts() == before
