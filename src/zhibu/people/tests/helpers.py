"""Small builders for roster tests: valid ID numbers and .xlsx files in memory."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook, load_workbook

from zhibu.people import idnumber
from zhibu.people.columns import COLUMNS

HEADERS = [column.header for column in COLUMNS]


def id_for(birth: date, sequence: int, area: str = "371102") -> str:
    return idnumber.make(area, birth, sequence)


def row(name: str, id_number: str, **cells) -> dict:
    """A valid 正式党员 row unless cells say otherwise (keys are the Chinese headers)."""
    base = {
        "姓名": name,
        "公民身份号码": id_number,
        "民族": "汉族",
        "人员类别": "正式党员",
        "入党日期": "2015-06-01",
        "转正日期": "2016-06-01",
    }
    base.update(cells)
    return base


def xlsx(rows: list[dict], headers: list[str] | None = None) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    headers = headers or HEADERS
    sheet.append(headers)
    for cells in rows:
        sheet.append([cells.get(header) for header in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "名册.xlsx"
    return buffer


def read_xlsx(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]
