"""The roster's spreadsheet columns, shared by the import template, the import and the export.

One place names each column, says whether it is required, how a cell is read, and what the page tells
the user about it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from zhibu.core import tabular
from zhibu.core.tabular import cells
from zhibu.core.tabular.cells import CellError

from .codes import Education, Gender, ethnicity_code
from .models import Member, PartyPost, Status

__all__ = ["BY_HEADER", "COLUMNS", "HEADER_OF", "IGNORED_HEADERS", "SCHEMA", "CellError", "Column"]

text = cells.text
id_text = cells.identifier
a_date = cells.a_date
choice = cells.choice
yes_no = cells.yes_no


def ethnicity(value) -> str:
    raw = cells.code(value)
    if not raw:
        return ""
    found = ethnicity_code(raw)
    if found is None:
        raise CellError(f"“{cells.text(value)}”不在 GB/T 3304 民族代码表中（如 汉族、回族、蒙古族）。")
    return found


def phone(value) -> str:
    return cells.code(value)


@dataclass(frozen=True)
class Column:
    header: str
    key: str  # the Member field, the status-date key (see services.STATUS_DATES) or "status"
    read: Callable
    required: bool = False
    note: str = ""
    width: int = 14
    choices: tuple[str, ...] = ()  # offered as a drop-down in the template
    aliases: tuple[str, ...] = ()  # other headers people give the column (see ALIASES)


STANDING = [
    (Member.Standing.NORMAL.value, Member.Standing.NORMAL.label),
    (Member.Standing.SUSPENDED.value, Member.Standing.SUSPENDED.label),
]

COLUMNS: list[Column] = [
    Column("姓名", "name", text, True, "与身份证一致。", 10),
    Column(
        "公民身份号码",
        "id_number",
        id_text,
        True,
        "18 位，末位 X 大小写均可；按 GB 11643 核对校验位。请把该列设为文本格式。",
        22,
    ),
    Column(
        "性别",
        "gender",
        choice(Gender.choices),
        False,
        "可不填，按身份证号第 17 位自动判断；填写则须一致。",
        6,
        tuple(Gender.labels),
    ),
    Column("出生日期", "birth_date", a_date, False, "可不填，取自身份证号；填写则须一致。", 12),
    Column("民族", "ethnicity", ethnicity, True, "按 GB/T 3304，如 汉族、回族（也可填代码 01、03）。", 8),
    Column("学历", "education", choice(Education.choices), False, "", 10, tuple(Education.labels)),
    Column(
        "人员类别",
        "status",
        choice(Status.choices),
        True,
        "申请人、入党积极分子、发展对象、预备党员或正式党员。",
        12,
        tuple(Status.labels),
    ),
    Column("申请入党日期", "applied_on", a_date, False, "人员类别为申请人时必填。", 13),
    Column("确定积极分子日期", "activist_on", a_date, False, "入党积极分子时必填。", 15),
    Column("确定发展对象日期", "candidate_on", a_date, False, "发展对象时必填。", 15),
    Column("入党日期", "joined_on", a_date, False, "预备党员、正式党员必填。", 12),
    Column(
        "转正日期", "confirmed_on", a_date, False, "正式党员必填，且在入党日期满一年后；预备党员不填。", 12
    ),
    Column("工作岗位", "post", text, False, "", 14),
    Column("联系电话", "phone", phone, False, "11 位手机号，或带区号的固定电话。", 14),
    Column("家庭住址", "address", text, False, "", 24),
    Column("党小组", "party_group", text, False, "填本支部已建立的党小组名称。", 14),
    Column("党内职务", "party_post", choice(PartyPost.choices), False, "", 10, tuple(PartyPost.labels)),
    Column(
        "党籍状态",
        "standing",
        choice(STANDING),
        False,
        "正常或停止党籍，不填为正常。",
        10,
        tuple(label for _, label in STANDING),
    ),
    Column("是否失联", "lost_contact", yes_no, False, "是/否，不填为否。", 8, ("是", "否")),
    Column("失联日期", "lost_contact_since", a_date, False, "失联党员必填。", 12),
    Column("是否流动党员", "mobile", yes_no, False, "是/否，不填为否。", 10, ("是", "否")),
    Column("外出流向", "mobile_destination", text, False, "流动党员必填。", 16),
]
# Headers found in branches' own rosters, accepted for the template's column.
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("名字",),
    "id_number": ("身份证号", "身份证号码", "公民身份证号码", "身份证", "公民身份证号"),
    "birth_date": ("出生年月日", "生日"),
    "education": ("文化程度",),
    "status": ("类别", "人员身份"),
    "applied_on": ("申请入党时间", "递交入党申请书日期", "递交入党申请书时间", "入党申请日期"),
    "activist_on": (
        "确定为入党积极分子日期",
        "确定入党积极分子日期",
        "确定为入党积极分子时间",
        "确定积极分子时间",
    ),
    "candidate_on": ("确定为发展对象日期", "确定为发展对象时间", "确定发展对象时间"),
    "joined_on": ("入党时间", "加入党组织日期", "发展为预备党员日期"),
    "confirmed_on": ("转正时间",),
    "post": ("岗位",),
    "phone": ("手机号", "手机号码", "手机", "电话", "联系方式", "电话号码"),
    "address": ("住址", "家庭地址", "现居住地"),
    "party_group": ("所在党小组",),
    "lost_contact": ("失联",),
    "lost_contact_since": ("失联时间",),
    "mobile": ("流动党员",),
    "mobile_destination": ("流向", "外出地点"),
}
COLUMNS = [
    Column(c.header, c.key, c.read, c.required, c.note, c.width, c.choices, ALIASES.get(c.key, ()))
    for c in COLUMNS
]
BY_HEADER = {column.header: column for column in COLUMNS}
HEADER_OF = {column.key: column.header for column in COLUMNS}
# Headers an export adds, and columns branches' own rosters commonly carry that the roster does not hold: an
# import reads past them. Any other unknown header is refused (a misspelt column would otherwise be dropped).
IGNORED_HEADERS = frozenset(
    {"序号", "所在党支部", "备注", "籍贯", "工作单位", "所在单位", "参加工作时间", "职称"}
)
SCHEMA = tabular.Schema(
    columns=tuple(tabular.Column(c.key, c.header, c.read, c.aliases, required=c.required) for c in COLUMNS),
    ignored=IGNORED_HEADERS,
    refuse_unknown=True,
    max_records=5000,
)
