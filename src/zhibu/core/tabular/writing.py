"""Exports: one row iterator rendered as .xlsx or .csv (UTF-8 with a byte-order mark, or GBK on request).

No cell of an export is ever read by a spreadsheet as a formula: text beginning with = + - @ (or a tab or a
carriage return) is stored as a text cell in .xlsx, and written with a leading apostrophe in .csv, where a
text cell cannot be marked otherwise. Numbers and dates stay numbers and dates.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def risky(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_safe(value: Any) -> Any:
    """The value for a CSV cell: an apostrophe before text a spreadsheet would take for a formula."""
    return "'" + value if risky(value) else value


@dataclass(frozen=True)
class Cell:
    """A value with its look in .xlsx (ignored in .csv)."""

    value: Any
    fill: str = ""  # RGB hex, e.g. "C8E6C9"
    number_format: str = ""
    bold: bool = False
    wrap: bool = False


@dataclass
class Sheet:
    name: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    titles: Sequence[str] = ()  # rows above the header, merged across it, in bold
    footer: Sequence[Sequence[Any]] = ()  # rows after the data (totals); kept out of .csv
    widths: Sequence[int] = ()
    freeze: bool = True
    count: int = field(default=0, init=False)  # data rows written, known after rendering


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _xlsx_cell(sheet, value: Any):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    look = value if isinstance(value, Cell) else None
    raw = _plain(look.value if look else value)
    cell = WriteOnlyCell(sheet, value=raw)
    if isinstance(raw, str):
        cell.data_type = "s"  # never a formula, whatever the text begins with
    if look:
        if look.fill:
            cell.fill = PatternFill("solid", fgColor=look.fill)
        if look.number_format:
            cell.number_format = look.number_format
        if look.bold:
            cell.font = Font(bold=True)
        if look.wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    elif isinstance(raw, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(raw, date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def xlsx(*sheets: Sheet) -> bytes:
    """A workbook with one worksheet per Sheet, streamed (write-only), so a 20,000-row export stays small."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    for spec in sheets:
        sheet = book.create_sheet(spec.name[:31])
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        span = max(len(spec.headers), 1)
        row_number = 0
        for title in spec.titles:
            row_number += 1
            cell = _xlsx_cell(sheet, title)
            cell.font = Font(bold=True, size=14)
            cell.alignment = Alignment(horizontal="center")
            sheet.append([cell])
            if span > 1:
                sheet.merged_cells.add(f"A{row_number}:{get_column_letter(span)}{row_number}")
        if spec.headers:
            header_cells = []
            for text in spec.headers:
                cell = WriteOnlyCell(sheet, value=str(text))
                cell.data_type = "s"
                cell.font = Font(bold=True)
                header_cells.append(cell)
            sheet.append(header_cells)
            row_number += 1
            if spec.freeze:
                sheet.freeze_panes = f"A{row_number + 1}"
        spec.count = 0
        for row in spec.rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
            spec.count += 1
        for row in spec.footer:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv_value(value: Any) -> Any:
    value = _plain(value.value if isinstance(value, Cell) else value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    return csv_safe(value)


def csv_bytes(spec: Sheet, *, encoding: str = "utf-8-sig") -> bytes:
    """The header and the data rows (no titles, no footer) as CSV; UTF-8 with a byte-order mark by default so
    that Excel opens it in Chinese, or "gbk" for systems that want it."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([_csv_value(h) for h in spec.headers])
    spec.count = 0
    for row in spec.rows:
        writer.writerow([_csv_value(value) for value in row])
        spec.count += 1
    try:
        return text.getvalue().encode(encoding)
    except UnicodeEncodeError as exc:
        bad = text.getvalue()[exc.start : exc.end]
        raise ValidationError(
            f"内容中的「{bad}」无法用 GBK 编码表示，请改为下载 UTF-8 编码的 CSV 或 Excel 文件。"
        ) from None


def render(spec: Sheet, fmt: str) -> bytes:
    """One sheet as "xlsx", "csv" (UTF-8 with a byte-order mark) or "csv-gbk"."""
    if fmt == "xlsx":
        return xlsx(spec)
    if fmt == "csv":
        return csv_bytes(spec)
    if fmt == "csv-gbk":
        return csv_bytes(spec, encoding="gbk")
    raise ValidationError("下载格式只能是 xlsx、csv 或 csv-gbk。")
