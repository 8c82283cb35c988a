"""Working days for 公示: China's 法定节假日 and 调休 from python-holidays, unless an organisation (or one above it)
has written its own list for that year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from zhibu.orgs.models import Organisation


@dataclass(frozen=True)
class YearCalendar:
    year: int
    off: frozenset[date]  # holidays and substituted days off
    on: frozenset[date]  # weekend days that are working days (调休上班)
    source: str  # "national" or the code of the organisation whose list is used

    def is_workday(self, day: date) -> bool:
        if day in self.on:
            return True
        if day in self.off:
            return False
        return day.weekday() < 5


@lru_cache(maxsize=64)
def national(year: int) -> YearCalendar:
    cn = holidays.country_holidays("CN", years=[year])
    off = frozenset(d for d in cn if d.year == year)
    on = frozenset(d for d in getattr(cn, "weekend_workdays", ()) if d.year == year)
    return YearCalendar(year, off, on, "national")


def for_org(org: Organisation | None, year: int) -> YearCalendar:
    """The nearest organisation's own list for the year (self, then ancestors), else the national calendar."""
    if org is not None:
        from zhibu.orgs.selectors import nearest

        from .models import HolidayYear

        row = nearest(HolidayYear, org, year=year)
        if row is not None:
            return YearCalendar(
                year,
                frozenset(date.fromisoformat(d) for d in row.holidays),
                frozenset(date.fromisoformat(d) for d in row.workdays),
                row.org.code,
            )
    return national(year)


class Calendar:
    """Working-day arithmetic across years for one organisation."""

    def __init__(self, org: Organisation | None = None):
        self.org = org
        self._years: dict[int, YearCalendar] = {}

    def year(self, year: int) -> YearCalendar:
        if year not in self._years:
            self._years[year] = for_org(self.org, year)
        return self._years[year]

    def is_workday(self, day: date) -> bool:
        return self.year(day.year).is_workday(day)

    def count(self, start: date, end: date) -> int:
        """Working days from start to end, both included."""
        total, day = 0, start
        while day <= end:
            total += self.is_workday(day)
            day += timedelta(days=1)
        return total

    def end_of(self, start: date, workdays: int) -> date:
        """The last day of a period of `workdays` working days starting on (or after) `start`."""
        day, counted = start, 0
        while True:
            if self.is_workday(day):
                counted += 1
                if counted == workdays:
                    return day
            day += timedelta(days=1)

    def sources(self, start: date, end: date) -> set[str]:
        return {self.year(y).source for y in range(start.year, end.year + 1)}
