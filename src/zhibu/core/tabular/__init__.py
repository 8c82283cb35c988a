"""One tabular core for every import and export (roster, study, dues, work, and the exports of every app).

- `cells`: typed converters for one cell (dates as people write them, numbers stored as text, ID numbers that
  Excel turned into floats refused), raising `CellError` with a Chinese reason.
- `reading`: an uploaded .xlsx or .csv into raw rows, within the limits in settings (size, zip ratio, uncompressed
  size, string length, rows counting blank ones), merged cells filled, before any database work.
- `schema`: columns and their accepted headers as data, the header row found below any title rows, every row
  converted; errors as 第5行「入党日期」：…; all or nothing.
- `writing`: one row iterator rendered as .xlsx or .csv, never as a formula.
"""

from .cells import CellError
from .reading import Limits, TooLarge, read_bytes, read_sheet
from .schema import Column, Record, Schema, Table, message, raise_errors, read
from .writing import CSV, XLSX, Cell, Sheet, csv_bytes, csv_safe, render, xlsx

__all__ = [
    "CSV",
    "XLSX",
    "Cell",
    "CellError",
    "Column",
    "Limits",
    "Record",
    "Schema",
    "Sheet",
    "Table",
    "TooLarge",
    "csv_bytes",
    "csv_safe",
    "message",
    "raise_errors",
    "read",
    "read_bytes",
    "read_sheet",
    "render",
    "xlsx",
]
