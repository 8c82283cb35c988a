"""Columns as data, the header row found where people put it, and every row converted with its errors.

An importer declares its columns (key, header, accepted spellings, converter, whether required); `read()` finds
the header row among the first rows of the sheet (a title or notes above it are passed over), maps columns by
header, skips blank rows, converts every cell and records each problem as (row, column, reason). The importer
adds its own checks to the same records and calls `raise_errors()`: all rows are valid or nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from . import cells
from .reading import Limits, RawSheet, read_sheet

MAX_ERRORS = 500


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the header in our template
    read: Callable[[Any], Any] = cells.text
    aliases: tuple[str, ...] = ()  # other spellings people use
    required: bool = False  # the column must be there and every row must fill it
    present: bool = False  # the column must be there (a cell may be blank)

    def spellings(self) -> set[str]:
        return {cells.header(self.header), *(cells.header(a) for a in self.aliases)}


@dataclass(frozen=True)
class Schema:
    columns: tuple[Column, ...]
    ignored: frozenset[str] = frozenset()  # headers read past without a word (an export's 序号)
    refuse_unknown: bool = False  # an unknown header is an error (a typo would otherwise drop a column)
    search_rows: int = 20  # the header row is looked for among this many first rows
    max_records: int | None = None  # data rows, after blank rows are skipped

    def __post_init__(self) -> None:
        seen: dict[str, str] = {}
        for column in self.columns:
            for spelling in column.spellings():
                if seen.setdefault(spelling, column.key) != column.key:
                    raise ValueError(f"header spelling {spelling!r} given to two columns")

    @property
    def by_spelling(self) -> dict[str, Column]:
        return {spelling: column for column in self.columns for spelling in column.spellings()}

    @property
    def order(self) -> dict[str, int]:
        return {column.key: index for index, column in enumerate(self.columns)}


def message(row: int, header: str, reason: str) -> str:
    """第5行「入党日期」：… — or 第5行：… for a problem of the whole row."""
    reason = reason.rstrip("。")
    return f"第{row}行「{header}」：{reason}" if header else f"第{row}行：{reason}"


@dataclass
class Record:
    number: int  # the row number as the spreadsheet shows it
    raw: dict[str, Any]
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column key or "", reason)
    failed: set[str] = field(default_factory=set)  # keys whose cell already has an error

    def add(self, key: str, reason: str) -> None:
        """Record a problem; a second problem on a cell that could not be read is not repeated."""
        if key and key in self.failed:
            return
        if (key, reason) not in self.problems:
            self.problems.append((key, reason))

    def fail(self, key: str, reason: str) -> None:
        self.add(key, reason)
        self.failed.add(key)


@dataclass
class Table:
    schema: Schema
    header_row: int
    headers: dict[str, str]  # column key → the header as written in the file
    ignored: list[str]  # headers of columns nobody reads
    records: list[Record]
    rows_read: int

    def label(self, key: str) -> str:
        if not key:
            return ""
        if key in self.headers:
            return self.headers[key]
        return next((c.header for c in self.schema.columns if c.key == key), key)

    def errors(self) -> list[str]:
        order = self.schema.order
        out = []
        for record in self.records:
            ordered = sorted(record.problems, key=lambda p: order.get(p[0], len(order)))
            out.extend(message(record.number, self.label(key), reason) for key, reason in ordered)
        return out

    def raise_errors(self, extra: list[str] | None = None) -> None:
        """All problems as one ValidationError (the first MAX_ERRORS listed), or nothing."""
        raise_errors([*self.errors(), *(extra or [])])


def raise_errors(errors: list[str]) -> None:
    if not errors:
        return
    if len(errors) > MAX_ERRORS:
        errors = [*errors[:MAX_ERRORS], f"……另有 {len(errors) - MAX_ERRORS} 处错误未列出。"]
    raise ValidationError(errors)


def _listing(names) -> str:
    return "“" + "”“".join(names) + "”"


def locate(raw: RawSheet, schema: Schema) -> tuple[int, dict[str, int], dict[str, str], list[str]]:
    """(header row index, key → column index, key → header as written, ignored headers)."""
    by_spelling = schema.by_spelling
    best: tuple[int, int] | None = None  # (score, row index)
    for index, row in enumerate(raw.rows[: schema.search_rows]):
        score = len({by_spelling[h].key for h in (cells.header(v) for v in row) if h in by_spelling})
        if score and (best is None or score > best[0]):
            best = (score, index)
    if best is None:
        wanted = _listing(c.header for c in schema.columns if c.required or c.present)
        first = next((r for r in raw.rows if any(not cells.is_blank(v) for v in r)), [])
        shown = "、".join(cells.text(v) for v in first if not cells.is_blank(v))[:200]
        raise ValidationError(
            f"未找到表头：应有 {wanted} 等列（标题行、说明行可以保留在表头之上）。"
            f"文件第一个非空行为：{shown or '（空）'}。"
        )
    index = best[1]
    number = index + 1
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    ignored: list[str] = []
    unknown: list[str] = []
    duplicated: list[str] = []
    last: dict[str, int] = {}
    ignored_spellings = {cells.header(h) for h in schema.ignored}
    for col, value in enumerate(raw.rows[index]):
        spelling = cells.header(value)
        if not spelling:
            continue
        column = by_spelling.get(spelling)
        if column is None:
            if spelling not in ignored_spellings:
                (unknown if schema.refuse_unknown else ignored).append(cells.text(value))
            continue
        if column.key in positions:
            if last.get(column.key) == col - 1 and cells.text(value) == written[column.key]:
                last[column.key] = (
                    col  # one header cell merged across columns: the first column holds the data
                )
                continue
            if cells.text(value) not in duplicated:
                duplicated.append(cells.text(value))
            continue
        positions[column.key] = last[column.key] = col
        written[column.key] = cells.text(value)
    problems = []
    if unknown:
        problems.append(f"第{number}行 表头：无法识别的列{_listing(unknown)}，请使用导入模板的列名。")
    missing = [c.header for c in schema.columns if (c.required or c.present) and c.key not in positions]
    if missing:
        problems.append(f"第{number}行 表头：缺少必填列{_listing(missing)}。")
    if duplicated:
        problems.append(f"第{number}行 表头：列{_listing(duplicated)}出现了不止一次。")
    if problems:
        raise ValidationError(problems)
    return index, positions, written, ignored


def convert(record: Record, schema: Schema) -> None:
    for column in schema.columns:
        if column.key not in record.raw:
            continue
        value = record.raw[column.key]
        try:
            converted = column.read(value)
        except cells.CellError as exc:
            record.fail(column.key, str(exc))
            continue
        record.values[column.key] = converted
        if column.required and converted in (None, ""):
            record.fail(column.key, "必填，不能为空")


def read(file, schema: Schema, *, filename: str = "", limits: Limits | None = None) -> Table:
    """Read, locate the header, convert every row. Structural problems raise; cell problems stay on the records
    for the caller to add to and raise with `Table.raise_errors()`."""
    raw = read_sheet(file, filename, limits=limits)
    index, positions, written, ignored = locate(raw, schema)
    records: list[Record] = []
    for offset, row in enumerate(raw.rows[index + 1 :], start=index + 2):
        values = {key: (row[col] if col < len(row) else None) for key, col in positions.items()}
        if all(cells.is_blank(v) for v in values.values()):
            continue
        if schema.max_records is not None and len(records) >= schema.max_records:
            raise ValidationError(f"一次最多导入 {schema.max_records} 行，请拆分文件。")
        record = Record(number=offset, raw=values)
        convert(record, schema)
        records.append(record)
    if not records:
        raise ValidationError(f"表格中没有数据行（表头在第{index + 1}行，其下应每行一条）。")
    return Table(
        schema=schema,
        header_row=index + 1,
        headers=written,
        ignored=ignored,
        records=records,
        rows_read=raw.rows_read,
    )
