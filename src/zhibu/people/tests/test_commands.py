from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhibu.audit.models import AuditEntry
from zhibu.people.models import Member

from .helpers import id_for, read_xlsx, row, xlsx


def _file(tmp_path, rows):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(xlsx(rows).getvalue())
    return path


def test_import_members_prints_counts(tree, tmp_path):
    out = StringIO()
    call_command(
        "import_members",
        str(_file(tmp_path, [row("甲", id_for(date(1990, 1, 2), 12))])),
        org="branch-a",
        stdout=out,
    )
    assert out.getvalue().strip() == "导入完成（甲幼儿园党支部）。共 1 行：新增 1 人，更新 0 人，0 人无变化。"
    assert Member.objects.unscoped().filter(name="甲").exists()


def test_import_members_reports_row_errors_and_saves_nothing(tree, tmp_path):
    bad = id_for(date(1991, 1, 2), 12)
    bad = bad[:17] + ("0" if bad[17] != "0" else "1")
    err = StringIO()
    before = Member.objects.unscoped().count()
    with pytest.raises(CommandError, match="导入失败：共 1 处问题，未保存任何数据。"):
        call_command(
            "import_members",
            str(_file(tmp_path, [row("甲", id_for(date(1990, 1, 2), 12)), row("乙", bad)])),
            org="branch-a",
            stderr=err,
        )
    assert err.getvalue().strip() == "第3行「公民身份号码」：校验位不正确"
    assert Member.objects.unscoped().count() == before


def test_import_members_respects_user_scope(tree, tmp_path):
    with pytest.raises(CommandError, match="党组织不存在或无权访问：branch-a"):
        call_command(
            "import_members",
            str(_file(tmp_path, [row("甲", id_for(date(1990, 1, 2), 12))])),
            org="branch-a",
            as_user="sec_b",
        )


def test_import_members_missing_file(tree, tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import_members", str(tmp_path / "nope.xlsx"), org="branch-a")


def test_export_members_masked_and_full(tree, tmp_path):
    target = tmp_path / "out.xlsx"
    out = StringIO()
    call_command("export_members", org="branch-a", output=str(target), stdout=out)
    assert out.getvalue().strip() == f"已导出 4 人（已脱敏）到 {target}"
    assert tree.members.a3.id_number not in {r[3] for r in read_xlsx(target.read_bytes())}
    call_command("export_members", org="branch-a", output=str(target), full=True, as_user="sec_a", stdout=out)
    assert tree.members.a3.id_number in {r[3] for r in read_xlsx(target.read_bytes())}
    assert list(AuditEntry.objects.order_by("id").values_list("actor_name", "detail")) == [
        ("系统", {"count": 4, "full": False}),
        ("甲书记", {"count": 4, "full": True}),
    ]


def test_export_members_full_denied_without_right(tree, tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "export_members", org="branch-a", output=str(tmp_path / "x.xlsx"), full=True, as_user="auditor"
        )
    assert not AuditEntry.objects.exists()
