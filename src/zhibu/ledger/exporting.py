"""Rendering a template over rows: .xlsx with the title rows merged above the header, or .csv (UTF-8 with a
byte-order mark, or GBK) with the header and data only, as systems that import CSV expect.

No cell is read by a spreadsheet as a formula: the tabular core stores such text as text in .xlsx and prefixes
an apostrophe in .csv."""

from __future__ import annotations

from datetime import date

from zhibu.core import tabular

FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "csv-gbk": ("text/csv; charset=gbk", "csv"),
}


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
            line.append(value)
        out.append(line)
    return out


def titles(definition: dict, *, org_name: str, period: str) -> list[str]:
    return [t.replace("{组织}", org_name).replace("{期间}", period) for t in definition["title_rows"]]


def render(
    definition: dict, rows: list[dict], *, fmt: str, org_name: str, period: str, footer: str = ""
) -> bytes:
    """The template over the rows through the tabular core: .xlsx with the titles above the header and the footer
    below, or .csv (UTF-8 with a byte-order mark, or GBK) with the header and data only."""
    headers = [c["header"] for c in definition["columns"]]
    body = cells(definition, rows)
    widths = [
        min(max(8, max([len(str(header))] + [len(str(line[index])) for line in body[:200]]) * 2 + 2), 60)
        for index, header in enumerate(headers)
    ]
    sheet = tabular.Sheet(
        "Sheet1",
        headers,
        body,
        titles=titles(definition, org_name=org_name, period=period),
        footer=[[footer]] if footer else [],
        widths=widths,
    )
    return tabular.render(sheet, fmt)
