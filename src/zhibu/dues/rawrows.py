"""Fetch rows of a (scoped) queryset without Django's per-value converters, for the 20,000-member roll.

The queryset is built as usual (through `visible_to`, so the scope is in its SQL); only the execution differs: the
compiled SQL runs on the cursor and values come back as the driver gives them (SQLite: dates as text, decimals as
int/float; PostgreSQL: date and Decimal). The small memoised normalisers below turn them into the same Python values
on both databases. Months and amounts repeat a lot, so each distinct raw value is converted once.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connections

CENT = Decimal("0.01")


def fetch(queryset) -> list[tuple]:
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class Normaliser:
    def __init__(self):
        self._dates: dict = {None: None}
        self._money: dict = {None: None}

    def day(self, raw) -> date | None:
        try:
            return self._dates[raw]
        except KeyError:
            value = raw if isinstance(raw, date) else date.fromisoformat(str(raw)[:10])
            self._dates[raw] = value
            return value

    def month_index(self, raw) -> int | None:
        """The month of a date value as an integer (see months.index), None for NULL."""
        if raw is None:
            return None
        day = self.day(raw)
        return day.year * 12 + day.month - 1

    def money(self, raw) -> Decimal | None:
        try:
            return self._money[raw]
        except KeyError:
            value = (
                raw
                if isinstance(raw, Decimal)
                else Decimal(repr(raw) if isinstance(raw, float) else str(raw))
            )
            value = value.quantize(CENT)
            self._money[raw] = value
            return value
