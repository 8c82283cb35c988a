"""Months are stored as the first day of the month (a DateField); these helpers do the arithmetic."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def first(day: date) -> date:
    return day.replace(day=1)


def index(month: date) -> int:
    return month.year * 12 + month.month - 1


def from_index(value: int) -> date:
    return date(value // 12, value % 12 + 1, 1)


def add(month: date, count: int) -> date:
    return from_index(index(month) + count)


def between(earlier: date, later: date) -> int:
    """Whole calendar months from `earlier`'s month to `later`'s month (2022-08 → 2022-12 is 4)."""
    return index(later) - index(earlier)


def this_month() -> date:
    return first(timezone.localdate())


def parse(text: str | None, *, default: date | None = None, field: str = "month") -> date:
    """'2022-09' → date(2022, 9, 1); a bad value is a ValidationError with a Chinese message."""
    if not text:
        if default is not None:
            return default
        raise ValidationError({field: "请填写月份（格式 YYYY-MM）。"})
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise ValidationError({field: f"月份格式不正确：{text}（应为 YYYY-MM，如 2022-09）。"})
    return date(int(match.group(1)), int(match.group(2)), 1)


def label(month: date) -> str:
    return f"{month.year}年{month.month}月"


def quarter_months(month: date) -> list[date]:
    start = (month.month - 1) // 3 * 3 + 1
    return [date(month.year, start + i, 1) for i in range(3)]
