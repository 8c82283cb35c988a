"""Months and month arithmetic, for every app.

A month is stored as the first day of the month (a DateField) or handled as a (year, month) pair; `parse` is the
one reader of a typed `YYYY-MM` (years 2000–2100, a Chinese message naming what is wrong). The arithmetic uses
dateutil's relativedelta, so a day shifted into a shorter month lands on its last day.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

MIN_YEAR, MAX_YEAR = 2000, 2100
_MONTH = re.compile(r"\s*(\d{4})-(\d{1,2})\s*")


def first(day: date) -> date:
    return day.replace(day=1)


def last_day(day: date) -> date:
    """The last day of `day`'s month."""
    return first(day) + relativedelta(months=1) - timedelta(days=1)


def index(month: date) -> int:
    return month.year * 12 + month.month - 1


def from_index(value: int) -> date:
    return date(value // 12, value % 12 + 1, 1)


def add(month: date, count: int) -> date:
    """The first day of the month `count` months after `month`'s (before it when negative)."""
    return first(month) + relativedelta(months=count)


def shift(day: date, count: int) -> date:
    """The same day `count` months later; the month's last day when it is shorter (2022-08-31 + 1 → 2022-09-30)."""
    return day + relativedelta(months=count)


def year_month(day: date) -> tuple[int, int]:
    return day.year, day.month


def between(earlier: date, later: date) -> int:
    """Whole calendar months from `earlier`'s month to `later`'s month (2022-08 → 2022-12 is 4)."""
    return index(later) - index(earlier)


def this_month() -> date:
    return first(timezone.localdate())


def parse(text: str | None, *, default: date | None = None, field: str = "month") -> date:
    """'2022-09' → date(2022, 9, 1). Empty text gives `default` (an error when there is none); a bad value is a
    ValidationError on `field` saying what is wrong."""
    if not text or not text.strip():
        if default is not None:
            return default
        raise ValidationError({field: "请填写月份（格式 YYYY-MM，如 2022-03）。"})
    match = _MONTH.fullmatch(text)
    if not match:
        raise ValidationError({field: f"月份格式应为 YYYY-MM（如 2022-03），收到：{text}"})
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValidationError({field: f"月份超出范围：{text}（月份应为 1–12）。"})
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({field: f"年份超出范围：{text}（应在 {MIN_YEAR}–{MAX_YEAR} 年之间）。"})
    return date(year, month, 1)


def label(month: date) -> str:
    return f"{month.year}年{month.month}月"


def quarter_months(month: date) -> list[date]:
    start = (month.month - 1) // 3 * 3 + 1
    return [date(month.year, start + i, 1) for i in range(3)]
