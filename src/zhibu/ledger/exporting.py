"""Rendering a template over rows: .xlsx with the title rows merged above the header, or .csv (UTF-8 with a
byte-order mark, or GBK) with the header and data only, as systems that import CSV expect.

Cells that begin with = + - @ (or a tab or carriage return) are written with a leading apostrophe so that no
spreadsheet reads them as a formula."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "csv-gbk": ("text/csv; charset=gbk", "csv"),
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def cells(definition: dict, rows: list[dict]) -> list[list]:
    """The data rows as lists of cell values, in column order, with formats and code mappings applied."""
    out = []
    for row in rows:
        line = []
        for column in definition["columns"]:
            value = row.get(column["field"], 0 if column["field"].startswith("count:") else "")
            if isinstance(value, date):
                value = value.strftime(column["format"] or "%Y-%m-%d")
            if column["mapping"]:
                value = column["mapping"].get(str(value), value)
            line.append(safe(value))
        out.append(line)
    return out


def titles(definition: dict, *, org_name: str, period: str) -> list[str]:
    return [t.replace("{组织}", org_name).replace("{期间}", period) for t in definition["title_rows"]]


def render(definition: dict, rows: list[dict], *, fmt: str, org_name: str, period: str,
           footer: str = "") -> bytes:
    headers = [c["header"] for c in definition["columns"]]
    body = cells(definition, rows)
    if fmt == "xlsx":
        return _xlsx(headers, body, titles(definition, org_name=org_name, period=period), footer)
    if fmt in ("csv", "csv-gbk"):
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows(body)
        if fmt == "csv":
            return text.getvalue().encode("utf-8-sig")
        try:
            return text.getvalue().encode("gbk")
        except UnicodeEncodeError as exc:
            bad = text.getvalue()[exc.start:exc.end]
            raise ValidationError(
                f"内容中的「{bad}」无法用 GBK 编码表示，请改为下载 UTF-8 编码的 CSV 或 Excel 文件。") from None
    raise ValidationError("下载格式只能是 xlsx、csv 或 csv-gbk。")


def _xlsx(headers: list[str], body: list[list], title_rows: list[str], footer: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    width = max(len(headers), 1)
    for text in title_rows:
        ws.append([safe(text)])
        row = ws.max_row
        if width > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        ws.cell(row=row, column=1).font = Font(bold=True, size=14)
        ws.cell(row=row, column=1).alignment = Alignment(horizontal="center")
    ws.append(headers)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    header_row = ws.max_row
    for line in body:
        ws.append(line)
    if footer:
        ws.append([footer])
    for index, header in enumerate(headers, start=1):
        longest = max([len(str(header))] + [len(str(line[index - 1])) for line in body[:200]])
        ws.column_dimensions[get_column_letter(index)].width = min(max(8, longest * 2 + 2), 60)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
