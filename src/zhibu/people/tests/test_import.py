from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhibu.audit.models import AuditEntry
from zhibu.orgs.scoping import NotVisible
from zhibu.people.importing import member_import
from zhibu.people.models import Member, Status, StatusEvent

from .helpers import id_for, row, xlsx

ID1 = id_for(date(1985, 3, 7), 123)  # male
ID2 = id_for(date(1990, 11, 30), 246)  # female
ID3 = id_for(date(1978, 1, 15), 358)  # female


def _rows():
    return [
        row("周晓梅", ID2, 工作岗位="教师", 党小组="甲幼儿园第一党小组", 联系电话="13912345678"),
        row(
            "吴建国",
            ID1,
            人员类别="预备党员",
            入党日期="2022-07-01",
            转正日期=None,
            确定发展对象日期="2021-06-30",
        ),
        row(
            "郑丽",
            ID3,
            人员类别="入党积极分子",
            入党日期=None,
            转正日期=None,
            申请入党日期=date(2021, 3, 1),
            确定积极分子日期=date(2021, 9, 1),
        ),
    ]


def _counts():
    return (
        Member.objects.unscoped().count(),
        StatusEvent.objects.unscoped().count(),
        AuditEntry.objects.count(),
    )


def _import(actor, branch, rows, **kwargs):
    return member_import(actor=actor, branch=branch, file=xlsx(rows, **kwargs), filename="名册.xlsx")


def _refused(actor, branch, rows, **kwargs) -> list[str]:
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        _import(actor, branch, rows, **kwargs)
    assert _counts() == before  # nothing saved, nothing audited
    return exc.value.messages


def test_import_creates_members_with_history_and_one_audit_entry(tree):
    before = _counts()
    result = _import(tree.users.sec_a, tree.a, _rows())
    assert (result.created, result.updated, result.unchanged, result.rows) == (3, 0, 0, 3)
    members = {m.name: m for m in Member.objects.visible_to(tree.users.sec_a, "view").filter(branch=tree.a)}
    zhou = members["周晓梅"]
    assert (zhou.status, zhou.joined_on, zhou.confirmed_on, zhou.gender, zhou.birth_date) == (
        Status.FULL,
        date(2015, 6, 1),
        date(2016, 6, 1),
        "2",
        date(1990, 11, 30),
    )
    assert (zhou.post, zhou.party_group_id, zhou.phone, zhou.name_initials) == (
        "教师",
        tree.a_group.pk,
        "13912345678",
        "zxm",
    )
    assert members["吴建国"].status == Status.PROBATIONARY
    assert (members["郑丽"].status, members["郑丽"].status_since) == (Status.ACTIVIST, date(2021, 9, 1))
    assert _counts() == (before[0] + 3, before[1] + 2 + 2 + 2, before[2] + 1)
    entry = AuditEntry.objects.get(verb="member.import")
    assert entry.detail == {"file": "名册.xlsx", "rows": 3, "created": 3, "updated": 0, "unchanged": 0}
    assert entry.org_path == tree.a.path


def test_one_bad_row_refuses_the_whole_file(tree):
    rows = _rows()
    rows[1]["公民身份号码"] = ID1[:17] + ("0" if ID1[17] != "0" else "1")
    assert _refused(tree.users.sec_a, tree.a, rows) == ["第3行「公民身份号码」：校验位不正确"]


def test_every_error_is_reported_with_row_and_column(tree):
    rows = _rows()
    rows[0].update(民族="火星族", 性别="男", 转正日期="2016-05-01")
    rows[1].update(联系电话="12345", 入党日期="2022/13/01")
    rows[2].update(姓名="", 党小组="第九党小组", 人员类别="党员")
    rows.append(row("吴建国", ID1.lower()))
    assert _refused(tree.users.sec_a, tree.a, rows) == [
        "第2行「性别」：与公民身份号码不一致（号码第 17 位为偶数，应为女）",
        "第2行「民族」：“火星族”不在 GB/T 3304 民族代码表中（如 汉族、回族、蒙古族）",
        "第2行「转正日期」：转正日期应在入党日期满一年之后（预备期为一年）",
        # the unreadable 入党日期 is reported once, not again as "预备党员须填写入党日期"
        "第3行「入党日期」：“2022/13/01”不是有效日期，请写成 2022-06-01 的格式",
        "第3行「联系电话」：联系电话应为 11 位手机号，或带区号的固定电话（如 0633-8123456）",
        "第4行「姓名」：必填，不能为空",
        "第4行「人员类别」：“党员”不是可选值，应为：申请人、入党积极分子、发展对象、预备党员、正式党员",
        "第4行「党小组」：本支部没有名为“第九党小组”的党小组",
        "第5行「公民身份号码」：与第3行重复",
    ]


def test_header_problems_are_reported(tree):
    headers = ["姓名", "证件", "人员类别", "入党日期"]
    assert _refused(tree.users.sec_a, tree.a, [{"姓名": "甲"}], headers=headers) == [
        "第1行 表头：无法识别的列“证件”，请使用导入模板的列名。",
        "第1行 表头：缺少必填列“公民身份号码”“民族”。",
    ]


def test_not_a_spreadsheet(tree):
    import io

    before = _counts()
    with pytest.raises(ValidationError) as exc:
        member_import(actor=tree.users.sec_a, branch=tree.a, file=io.BytesIO(b"name,id\n"), filename="a.xlsx")
    assert exc.value.messages == ["无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏（可先下载导入模板）。"]
    assert _counts() == before


def test_reimport_is_idempotent(tree):
    _import(tree.users.sec_a, tree.a, _rows())
    members = list(Member.objects.unscoped().order_by("pk").values_list("pk", "updated_at", "status"))
    before = _counts()
    result = _import(tree.users.sec_a, tree.a, _rows())
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert list(Member.objects.unscoped().order_by("pk").values_list("pk", "updated_at", "status")) == members
    assert _counts() == (before[0], before[1], before[2] + 1)
    assert list(AuditEntry.objects.values_list("verb", flat=True)) == ["member.import", "member.import"]


def test_reimport_updates_changed_cells_only_and_blank_keeps(tree):
    _import(tree.users.sec_a, tree.a, _rows())
    rows = _rows()
    rows[0].update(工作岗位="保教主任", 联系电话=None)
    rows[1].update(人员类别="正式党员", 转正日期="2023-07-01")
    result = _import(tree.users.sec_a, tree.a, rows)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    zhou = Member.objects.unscoped().get(name="周晓梅")
    assert (zhou.post, zhou.phone) == ("保教主任", "13912345678")
    wu = Member.objects.unscoped().get(name="吴建国")
    assert (wu.status, wu.confirmed_on) == (Status.FULL, date(2023, 7, 1))


def test_reimport_cannot_contradict_stored_history(tree):
    _import(tree.users.sec_a, tree.a, _rows())
    rows = _rows()
    rows[0].update(人员类别="预备党员", 转正日期=None)
    assert _refused(tree.users.sec_a, tree.a, rows) == [
        "第2行「人员类别」：与已登记的类别记录不符（已登记为正式党员）"
    ]


def test_existing_tree_members_match_by_id_number(tree):
    a3 = tree.members.a3
    rows = [row("陶俊颖", a3.id_number, 工作岗位="园长", 入党日期=a3.joined_on, 转正日期=a3.confirmed_on)]
    result = _import(tree.users.sec_a, tree.a, rows)
    assert (result.created, result.updated) == (0, 1)
    a3.refresh_from_db()
    assert a3.post == "园长"


@pytest.mark.parametrize("who", ["b1", "other1"])
def test_person_registered_elsewhere_is_refused(tree, who):
    person = getattr(tree.members, who)
    rows = [*_rows(), row("冒名", person.id_number)]
    assert _refused(tree.users.district if who == "b1" else tree.users.sec_a, tree.a, rows) == [
        "第5行「公民身份号码」：该人员已在其他党组织登记，不能导入到本支部（如需转入，请先办理组织关系转接）"
    ]
    person.refresh_from_db()
    assert person.name != "冒名"


def test_import_needs_members_right_on_the_branch(tree):
    before = _counts()
    with pytest.raises(NotVisible):
        _import(tree.users.sec_b, tree.a, _rows())
    with pytest.raises(NotVisible):
        _import(tree.users.auditor, tree.a, _rows())
    assert _counts() == before


def test_import_into_a_committee_is_refused(tree):
    assert _refused(tree.users.district, tree.district, _rows()) == ["只能导入到党支部或联合党支部。"]


def test_query_count_does_not_grow_with_rows(tree):
    def rows(n, offset):
        return [
            row(f"测试{i}", id_for(date(1970 + i % 30, 1 + i % 12, 1 + i % 28), 100 + i))
            for i in range(offset, offset + n)
        ]

    with CaptureQueriesContext(connection) as small:
        _import(tree.users.sec_a, tree.a, rows(5, 0))
    with CaptureQueriesContext(connection) as large:
        _import(tree.users.sec_a, tree.a, rows(60, 100))
    # Inserts are batched by the database backend (SQLite: about 30 members per statement); nothing per row.
    assert len(large.captured_queries) - len(small.captured_queries) <= 4
    with CaptureQueriesContext(connection) as again:
        _import(tree.users.sec_a, tree.a, rows(60, 100))
    assert len(again.captured_queries) <= len(small.captured_queries)
