"""Reading an uploaded spreadsheet into raw rows, within limits, before any database work.

Every check that can refuse a file runs before the part it protects: the byte size before reading, the zip's
entry sizes and compression ratios before openpyxl opens it, the shared strings' lengths before openpyxl loads
them, and a cap on rows (blank rows counted) while the sheet streams, so that a sheet claiming ten million rows
stops at the cap. CSV is read as UTF-8 (with or without a byte-order mark), UTF-16 with a mark, or GBK/GB18030.
Merged cells take the value of their top-left cell, as a reader of the sheet sees them.
"""

from __future__ import annotations

import codecs
import csv
import io
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError

from zhibu.core import uploads

from .cells import is_blank


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_uncompressed: int
    max_ratio: int
    max_string: int
    max_rows: int
    max_columns: int

    @classmethod
    def from_settings(cls, **overrides: int) -> Limits:
        values = {
            "max_bytes": settings.IMPORT_MAX_BYTES,
            "max_uncompressed": settings.IMPORT_MAX_UNCOMPRESSED,
            "max_ratio": settings.IMPORT_MAX_RATIO,
            "max_string": settings.IMPORT_MAX_STRING,
            "max_rows": settings.IMPORT_MAX_ROWS,
            "max_columns": settings.IMPORT_MAX_COLUMNS,
        }
        values.update(overrides)
        return cls(**values)


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n / 1024:g} KB"


class TooLarge(ValidationError):
    """A file refused by a limit (size, ratio, string length, rows); nothing was parsed past the limit."""


@dataclass
class RawSheet:
    rows: list[list]  # cell values as read, merged cells filled; rows[0] is the file's row 1
    rows_read: int  # how many rows the reader consumed (blank ones included)


def read_bytes(file, limits: Limits) -> bytes:
    """The upload's bytes, refusing a file over the size limit without reading it all."""
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        size = getattr(file, "size", None)
        if size is not None and size > limits.max_bytes:
            raise TooLarge(f"文件过大：导入文件不能超过 {_size(limits.max_bytes)}，请拆分后分批导入。")
        if hasattr(file, "seek"):
            file.seek(0)
        if hasattr(file, "chunks"):
            parts, total = [], 0
            for chunk in file.chunks():
                total += len(chunk)
                if total > limits.max_bytes:
                    break
                parts.append(chunk)
            data = b"".join(parts) if total <= limits.max_bytes else b"\0" * (limits.max_bytes + 1)
        else:
            data = file.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise TooLarge(f"文件过大：导入文件不能超过 {_size(limits.max_bytes)}，请拆分后分批导入。")
    if not data:
        raise ValidationError("文件是空的。")
    return data


def read_sheet(file, filename: str = "", *, limits: Limits | None = None) -> RawSheet:
    """The first sheet of an .xlsx file, or a .csv file, as raw rows (see the module docstring)."""
    limits = limits or Limits.from_settings()
    data = read_bytes(file, limits)
    lower = (filename or "").lower()
    claimed = uploads.by_signature(data)  # the one place that knows file signatures
    if claimed == uploads.DOC or lower.endswith((".xls", ".et")):  # an OLE2 container: an old .xls
        raise ValidationError("不支持旧版 .xls 文件，请在 Excel 或 WPS 中另存为 .xlsx 或 .csv 后再导入。")
    if claimed == uploads.DOCX:  # a zip package
        return _read_xlsx(data, limits)
    if lower.endswith((".xlsx", ".xlsm")):
        raise ValidationError("无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏（可先下载导入模板）。")
    return _read_csv(data, limits)


# ---------------------------------------------------------------------------------------------- xlsx

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_UNREADABLE = "无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏（可先下载导入模板）。"


def check_zip(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a zip whose entries would expand beyond the limits (a decompression bomb), before reading any."""
    entries = archive.infolist()
    if len(entries) > 2000:
        raise TooLarge("文件结构异常（压缩包内文件过多），已拒绝。")
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > 1024 * 1024 and entry.file_size > limits.max_ratio * max(entry.compress_size, 1):
            raise TooLarge("文件解压后体积异常（压缩比过高），疑似压缩炸弹，已拒绝。")
    if total > limits.max_uncompressed:
        raise TooLarge(f"文件解压后超过 {_size(limits.max_uncompressed)}，请删除多余的内容或拆分后分批导入。")


def _check_strings(archive: zipfile.ZipFile, limits: Limits) -> None:
    """No shared string longer than the limit (Excel's own cell limit by default); read in a stream."""
    names = set(archive.namelist())
    if "xl/sharedStrings.xml" not in names:
        return
    with archive.open("xl/sharedStrings.xml") as stream:
        for _, element in ElementTree.iterparse(stream, events=("end",)):
            if element.tag == f"{_NS}t" and element.text and len(element.text) > limits.max_string:
                raise TooLarge(
                    f"文件中有单元格内容超过 {limits.max_string} 个字符，已拒绝（Excel 单元格本身也不允许）。"
                )
            if element.tag == f"{_NS}si":
                element.clear()


def _first_sheet_path(archive: zipfile.ZipFile) -> str | None:
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    pkg_ns = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    sheet = workbook.find(f"{_NS}sheets/{_NS}sheet")
    if sheet is None:
        return None
    target_id = sheet.get(f"{rel_ns}id")
    for rel in rels.iter(f"{pkg_ns}Relationship"):
        if rel.get("Id") == target_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    return None


def _merges(archive: zipfile.ZipFile, path: str | None, limit: int) -> list[tuple[int, int, int, int]]:
    """Merged ranges of the sheet as (first row, first column, last row, last column), 1-based."""
    from openpyxl.utils.cell import range_boundaries

    if path is None or path not in archive.namelist():
        return []
    found: list[tuple[int, int, int, int]] = []
    with archive.open(path) as stream:
        for _, element in ElementTree.iterparse(stream, events=("end",)):
            if element.tag == f"{_NS}mergeCell":
                try:
                    min_col, min_row, max_col, max_row = range_boundaries(element.get("ref", ""))
                except (TypeError, ValueError):
                    continue
                found.append((min_row, min_col, max_row, max_col))
                if len(found) > limit:
                    break
            elif element.tag == f"{_NS}row":
                element.clear()
    return found


def _read_xlsx(data: bytes, limits: Limits) -> RawSheet:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ValidationError(_UNREADABLE) from exc
    with archive:
        check_zip(archive, limits)
        try:
            _check_strings(archive, limits)
        except ElementTree.ParseError as exc:
            raise ValidationError(_UNREADABLE) from exc
        sheet_path = _first_sheet_path(archive)
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds of errors for a damaged or foreign file
            raise ValidationError(_UNREADABLE) from exc
        try:
            if not book.worksheets:
                return RawSheet(rows=[], rows_read=0)
            sheet = book.worksheets[0]
            # Rows are padded to the sheet's stated width: never wider than the column limit.
            width = min(sheet.max_column or limits.max_columns, limits.max_columns)
            rows, count = _capped(sheet.iter_rows(values_only=True, max_col=width), limits)
        except TooLarge:
            raise
        except Exception as exc:  # a damaged sheet inside a readable zip
            raise ValidationError(_UNREADABLE) from exc
        finally:
            book.close()
        try:
            merges = _merges(archive, sheet_path, limit=10_000)
        except ElementTree.ParseError:
            merges = []
    _fill_merges(rows, merges)
    return RawSheet(rows=rows, rows_read=count)


def _too_many_rows(limits: Limits) -> TooLarge:
    return TooLarge(
        f"文件超过 {limits.max_rows} 行（空白行也计算在内）：请删除表格末尾多余的空行，或拆分后分批导入。"
    )


def _capped(lines: Iterator, limits: Limits) -> tuple[list[list], int]:
    """Rows as lists, trailing blank rows dropped; refused as soon as the row count passes the cap."""
    rows: list[list] = []
    last_filled = 0
    count = 0
    for line in lines:
        count += 1
        if count > limits.max_rows:
            raise _too_many_rows(limits)
        values = list(line)
        while values and values[-1] is None:
            values.pop()
        for value in values:
            if isinstance(value, str) and len(value) > limits.max_string:
                raise TooLarge(f"第{count}行有单元格内容超过 {limits.max_string} 个字符，已拒绝。")
        rows.append(values)
        if any(not is_blank(v) for v in values):
            last_filled = count
    del rows[last_filled:]
    return rows, count


def _fill_merges(rows: list[list], merges: list[tuple[int, int, int, int]]) -> None:
    for first_row, first_col, last_row, last_col in merges:
        if first_row > len(rows):
            continue
        anchor_row = rows[first_row - 1]
        value = anchor_row[first_col - 1] if first_col - 1 < len(anchor_row) else None
        if value is None:
            continue
        for r in range(first_row, min(last_row, len(rows)) + 1):
            row = rows[r - 1]
            if len(row) < last_col:
                row.extend([None] * (last_col - len(row)))
            for c in range(first_col, last_col + 1):
                if row[c - 1] is None:
                    row[c - 1] = value


# ---------------------------------------------------------------------------------------------- csv


def decode(data: bytes) -> str:
    """Text of a CSV file: UTF-8 (with or without a byte-order mark), UTF-16 with a mark, else GB18030 (GBK)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 .csv 文件，或 .xlsx 文件。")


def _read_csv(data: bytes, limits: Limits) -> RawSheet:
    text = decode(data)
    if "\x00" in text:
        raise ValidationError("文件不是文本格式的 .csv，也不是 .xlsx，请确认文件类型。")
    first_lines = text[:8192].splitlines()[:20]
    delimiter = max(",\t;", key=lambda d: sum(line.count(d) for line in first_lines))
    csv.field_size_limit(max(limits.max_string, 1024))
    try:
        rows, count = _capped(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), limits)
    except csv.Error as exc:
        raise ValidationError("无法读取该 .csv 文件（引号不配对，或单元格内容过长）。") from exc
    return RawSheet(rows=rows, rows_read=count)
