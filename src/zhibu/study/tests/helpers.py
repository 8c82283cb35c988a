"""Test helpers for the study app: export files as a unit administrator would have them, and points rows."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import Workbook

from zhibu.study.models import StudyPoints


def csv_bytes(rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list], title: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def points(member, on: date, day: int, total: int | None = None) -> StudyPoints:
    return StudyPoints.objects.unscoped().create(member=member, on=on, day_points=day, total_points=total)
