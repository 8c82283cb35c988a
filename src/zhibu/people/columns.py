"""The roster's spreadsheet columns, shared by the import template, the import and the export.

One place names each column, says whether it is required, how a cell is read, and what the page tells
the user about it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from .codes import Education, Gender, ethnicity_code
from .models import Member, PartyPost, Status


class CellError(ValueError):
    """A cell that cannot be read; the message is Chinese and does not repeat the column name."""


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def id_text(value) -> str:
    if isinstance(value, float):
        raise CellError("单元格是数字格式，Excel 可能已改动号码末几位；请把该列设为文本格式后重新填写。")
    return text(value).upper()


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def a_date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value).replace(" ", "")
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise CellError(f"“{raw}”不是有效日期，请写成 2022-06-01 的格式。")


def choice(choices: list[tuple[str, str]]) -> Callable:
    by_label = {label: value for value, label in choices}
    values = {value for value, _ in choices}

    def read(value) -> str:
        raw = text(value)
        if not raw:
            return ""
        if raw in by_label:
            return by_label[raw]
        if raw in values:
            return raw
        raise CellError(f"“{raw}”不是可选值，应为：{'、'.join(by_label)}。")

    return read


def ethnicity(value) -> str:
    raw = text(value)
    if not raw:
        return ""
    code = ethnicity_code(raw)
    if code is None:
        raise CellError(f"“{raw}”不在 GB/T 3304 民族代码表中（如 汉族、回族、蒙古族）。")
    return code


_YES = {"是", "Y", "YES", "TRUE", "1", "√"}
_NO = {"否", "N", "NO", "FALSE", "0", ""}


def yes_no(value) -> bool | None:
    if value is True or value is False:
        return value
    raw = text(value).upper()
    if raw in _YES:
        return True
    if raw in _NO:
        return None if raw == "" else False
    raise CellError(f"“{text(value)}”应填“是”或“否”。")


def phone(value) -> str:
    return re.sub(r"\s", "", text(value))


@dataclass(frozen=True)
class Column:
    header: str
    key: str  # the Member field, the status-date key (see services.STATUS_DATES) or "status"
    read: Callable
    required: bool = False
    note: str = ""
    width: int = 14
    choices: tuple[str, ...] = ()  # offered as a drop-down in the template


STANDING = [(Member.Standing.NORMAL.value, Member.Standing.NORMAL.label),
            (Member.Standing.SUSPENDED.value, Member.Standing.SUSPENDED.label)]

COLUMNS: list[Column] = [
    Column("姓名", "name", text, True, "与身份证一致。", 10),
    Column("公民身份号码", "id_number", id_text, True,
           "18 位，末位 X 大小写均可；按 GB 11643 核对校验位。请把该列设为文本格式。", 22),
    Column("性别", "gender", choice(Gender.choices), False, "可不填，按身份证号第 17 位自动判断；填写则须一致。", 6,
           tuple(Gender.labels)),
    Column("出生日期", "birth_date", a_date, False, "可不填，取自身份证号；填写则须一致。", 12),
    Column("民族", "ethnicity", ethnicity, True, "按 GB/T 3304，如 汉族、回族（也可填代码 01、03）。", 8),
    Column("学历", "education", choice(Education.choices), False, "", 10, tuple(Education.labels)),
    Column("人员类别", "status", choice(Status.choices), True, "申请人、入党积极分子、发展对象、预备党员或正式党员。",
           12, tuple(Status.labels)),
    Column("申请入党日期", "applied_on", a_date, False, "人员类别为申请人时必填。", 13),
    Column("确定积极分子日期", "activist_on", a_date, False, "入党积极分子时必填。", 15),
    Column("确定发展对象日期", "candidate_on", a_date, False, "发展对象时必填。", 15),
    Column("入党日期", "joined_on", a_date, False, "预备党员、正式党员必填。", 12),
    Column("转正日期", "confirmed_on", a_date, False, "正式党员必填，且在入党日期满一年后；预备党员不填。", 12),
    Column("工作岗位", "post", text, False, "", 14),
    Column("联系电话", "phone", phone, False, "11 位手机号，或带区号的固定电话。", 14),
    Column("家庭住址", "address", text, False, "", 24),
    Column("党小组", "party_group", text, False, "填本支部已建立的党小组名称。", 14),
    Column("党内职务", "party_post", choice(PartyPost.choices), False, "", 10, tuple(PartyPost.labels)),
    Column("党籍状态", "standing", choice(STANDING), False, "正常或停止党籍，不填为正常。", 10,
           tuple(label for _, label in STANDING)),
    Column("是否失联", "lost_contact", yes_no, False, "是/否，不填为否。", 8, ("是", "否")),
    Column("失联日期", "lost_contact_since", a_date, False, "失联党员必填。", 12),
    Column("是否流动党员", "mobile", yes_no, False, "是/否，不填为否。", 10, ("是", "否")),
    Column("外出流向", "mobile_destination", text, False, "流动党员必填。", 16),
]
BY_HEADER = {column.header: column for column in COLUMNS}
HEADER_OF = {column.key: column.header for column in COLUMNS}
# Headers an export adds that an import reads past.
IGNORED_HEADERS = frozenset({"序号", "所在党支部"})
