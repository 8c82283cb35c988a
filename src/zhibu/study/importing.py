"""Reading a 学习强国 points export (.xlsx or .csv) into plain rows through the tabular core. No database access.

Columns are found by their Chinese header, wherever the header row is among the first rows (exports often carry
a title line above it). Extra columns are listed and ignored; a missing required column is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from zhibu.core import tabular
from zhibu.core.tabular import cells

MAX_ROWS = 100_000
_SPACES = re.compile(r"[\s\u3000]+")


def normalise_name(value) -> str:
    return _SPACES.sub("", cells.text(value))


def _points(value) -> int | None:
    return cells.integer(value, minimum=0, suffixes=("分",))


SCHEMA = tabular.Schema(
    columns=(
        tabular.Column("name", "姓名", normalise_name, required=True),
        tabular.Column("date", "日期", cells.a_date, ("学习日期",), required=True),
        tabular.Column("day_points", "当日积分", _points, ("今日积分",), required=True),
        tabular.Column("total_points", "总积分", _points, ("累计积分",)),
    ),
    max_records=MAX_ROWS,
)


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


def parse(data, filename: str, *, today: date) -> Parsed:
    """Every data row checked; any bad row makes the whole file an error (nothing is saved)."""
    table = tabular.read(data, SCHEMA, filename=filename)
    rows: list[Row] = []
    seen: dict[tuple[str, date], int] = {}
    for record in table.records:
        if record.problems:
            continue
        name, on = record.values["name"], record.values["date"]
        if on > today:
            record.fail("date", f"日期 {on:%Y-%m-%d} 晚于今天")
            continue
        if on.year < 2019:
            record.fail("date", f"日期 {on:%Y-%m-%d} 早于学习强国上线（2019年）")
            continue
        key = (name, on)
        if key in seen:
            record.add("", f"{name} 在 {on:%Y-%m-%d} 的积分与第{seen[key]}行重复")
            continue
        seen[key] = record.number
        rows.append(
            Row(
                line=record.number,
                name=name,
                on=on,
                day_points=record.values["day_points"],
                total_points=record.values.get("total_points"),
            )
        )
    table.raise_errors()
    return Parsed(rows=rows, columns=dict(table.headers), ignored=table.ignored)
