"""Reading a 学习强国 points export (.xlsx or .csv) into plain rows. No database access here.

Columns are found by their Chinese header, wherever the header row is among the first rows (exports often
carry a title line above it). Extra columns are ignored; a missing required column is an error that names
what was looked for and what was found.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError

# field → header spellings accepted (after normalisation)
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名",),
    "date": ("日期",),
    "day_points": ("当日积分", "今日积分"),
    "total_points": ("总积分", "累计积分"),
}
REQUIRED = ("name", "date", "day_points")
LABELS = {"name": "姓名", "date": "日期", "day_points": "当日积分（或今日积分）", "total_points": "总积分（或累计积分）"}
MAX_ROWS = 100_000
HEADER_SEARCH_ROWS = 10
MAX_ERRORS_LISTED = 20

_SPACES = re.compile(r"[\s\u3000]+")
_UNIT = re.compile(r"[（(][^)）]*[)）]$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


@dataclass(frozen=True)
class Row:
    line: int  # row number as the user sees it in the file (1-based)
    name: str
    on: date
    day_points: int
    total_points: int | None


@dataclass(frozen=True)
class Parsed:
    rows: list[Row]
    columns: dict[str, str]  # field → header as written in the file
    ignored: list[str]  # headers of extra columns


def normalise_header(value) -> str:
    text = _SPACES.sub("", str(value or "")).strip("*＊:：")
    return _UNIT.sub("", text)


def normalise_name(value) -> str:
    return _SPACES.sub("", str(value or ""))


def read_table(data: bytes, filename: str) -> list[list]:
    """All rows of the first sheet (xlsx) or of the csv file, as lists of cell values."""
    lower = filename.lower()
    if data[:4] == b"\xd0\xcf\x11\xe0" or lower.endswith(".xls"):
        raise ValidationError("不支持旧版 .xls 文件，请在 Excel 或 WPS 中另存为 .xlsx 或 .csv 后再导入。")
    if data[:2] == b"PK" or lower.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data)
    return _read_csv(data)


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValidationError("无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏。") from exc
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            return []
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(list(values))
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise ValidationError(f"文件超过 {MAX_ROWS} 行，请分批导入。")
        return rows
    finally:
        book.close()


def _read_csv(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError("无法识别文件编码，请保存为 UTF-8 或 GB18030 编码的 .csv 文件。")
    if "\x00" in text:
        raise ValidationError("文件不是文本格式的 .csv，请确认文件类型。")
    first_lines = text[:4096].splitlines()[:HEADER_SEARCH_ROWS]
    delimiter = max(",\t;", key=lambda d: sum(line.count(d) for line in first_lines))
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise ValidationError(f"文件超过 {MAX_ROWS} 行，请分批导入。")
    return rows


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def find_columns(rows: list[list]) -> tuple[int, dict[str, int], list[str]]:
    """(index of the header row, field → column index, ignored headers)."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        headers = [normalise_header(cell) for cell in row]
        if "姓名" not in headers:
            continue
        found: dict[str, int] = {}
        for field, spellings in HEADERS.items():
            for col, header in enumerate(headers):
                if header in spellings and field not in found:
                    found[field] = col
        missing = [LABELS[f] for f in REQUIRED if f not in found]
        if missing:
            raise ValidationError(
                f"文件缺少必需的列：{'、'.join(missing)}。找到的列为：{'、'.join(h for h in headers if h) or '（无）'}。"
                "需要的列：姓名、日期、当日积分（或今日积分），可选：总积分（或累计积分）。")
        used = set(found.values())
        ignored = [str(row[c]).strip() for c in range(len(row)) if c not in used and not _empty(row[c])]
        return index, found, ignored
    first = next((r for r in rows if any(not _empty(c) for c in r)), [])
    shown = "、".join(str(c).strip() for c in first if not _empty(c))[:200]
    raise ValidationError(
        "未找到表头：文件中应有“姓名”“日期”“当日积分”（或“今日积分”）列，可选“总积分”（或“累计积分”）。"
        f"文件第一行为：{shown or '（空）'}。")


def parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 30000 <= value <= 80000:
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()  # a date cell stored as an Excel serial number
    text = str(value).strip() if value is not None else ""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if not match:
        raise ValueError(text)
    return date(int(match[1]), int(match[2]), int(match[3]))


def parse_points(value, *, allow_empty: bool) -> int | None:
    if _empty(value):
        if allow_empty:
            return None
        raise ValueError("")
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(str(value))
        number = int(value)
    else:
        text = str(value).strip().replace(",", "")
        if text.endswith("分"):
            text = text[:-1]
        try:
            as_float = float(text)
        except ValueError:
            raise ValueError(text) from None
        if not as_float.is_integer():
            raise ValueError(text)
        number = int(as_float)
    if number < 0:
        raise ValueError(str(value))
    return number


def parse(data: bytes, filename: str, *, today: date) -> Parsed:
    """Every data row checked; any bad row makes the whole file an error (nothing is saved)."""
    table = read_table(data, filename)
    header_at, columns, ignored = find_columns(table)
    header_row = table[header_at]
    errors: list[str] = []
    rows: list[Row] = []
    seen: dict[tuple[str, date], int] = {}

    def cell(values: list, field: str):
        col = columns.get(field)
        return values[col] if col is not None and col < len(values) else None

    for offset, values in enumerate(table[header_at + 1:], start=header_at + 2):
        if all(_empty(v) for v in values):
            continue
        name = normalise_name(cell(values, "name"))
        if not name:
            errors.append(f"第{offset}行：姓名为空。")
            continue
        raw_date = cell(values, "date")
        try:
            on = parse_date(raw_date)
        except (ValueError, TypeError):
            errors.append(f"第{offset}行（{name}）：日期“{'' if raw_date is None else raw_date}”无法识别，"
                          "请使用 2022-12-01 这样的格式。")
            continue
        if on > today:
            errors.append(f"第{offset}行（{name}）：日期 {on:%Y-%m-%d} 晚于今天。")
            continue
        if on.year < 2019:
            errors.append(f"第{offset}行（{name}）：日期 {on:%Y-%m-%d} 早于学习强国上线（2019年）。")
            continue
        try:
            day_points = parse_points(cell(values, "day_points"), allow_empty=False)
        except ValueError as exc:
            errors.append(f"第{offset}行（{name}）：当日积分“{exc}”不是非负整数。")
            continue
        try:
            total_points = parse_points(cell(values, "total_points"), allow_empty=True)
        except ValueError as exc:
            errors.append(f"第{offset}行（{name}）：总积分“{exc}”不是非负整数。")
            continue
        key = (name, on)
        if key in seen:
            errors.append(f"第{offset}行：{name} 在 {on:%Y-%m-%d} 的积分与第{seen[key]}行重复。")
            continue
        seen[key] = offset
        rows.append(Row(line=offset, name=name, on=on, day_points=day_points, total_points=total_points))
    if errors:
        shown = errors[:MAX_ERRORS_LISTED]
        if len(errors) > MAX_ERRORS_LISTED:
            shown.append(f"……另有 {len(errors) - MAX_ERRORS_LISTED} 处错误。")
        raise ValidationError(["文件有错误，未导入任何数据：", *shown])
    if not rows:
        raise ValidationError("文件中没有数据行（表头之下为空）。")
    return Parsed(rows=rows, columns={f: str(header_row[c]).strip() for f, c in columns.items()}, ignored=ignored)
