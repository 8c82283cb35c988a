"""Test helpers of the rules app: records made at a chosen time, and the month colour after a refresh."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from zhibu.rules import selectors, services
from zhibu.testing import factories as f


def at(day: date, hour: int = 20) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)), timezone.get_current_timezone())


def rec(org, kind_code: str, day: date, *, recorded: date | None = None, refresh: bool = True, **fields):
    """A record held on `day` and entered the same evening (or on `recorded`), then the lights refreshed
    the way a record write does."""
    activity = f.make_activity(org, kind_code, day, recorded_at=at(recorded or day), **fields)
    if refresh:
        services.lights_refresh(org_id=org.pk, months={(day.year, day.month)})
    return activity


def colours(org, year: int, today: date) -> str:
    """The twelve stored colours of a branch as letters (g y r o n)."""
    return selectors.stored_codes(org.path, year, today, selectors.warn_days()).get(org.pk, "")


def with_committee(branch, on: date = date(2021, 1, 5)):
    """The branch elected a 支部委员会 at its last 换届 (when it had 7 正式党员), so the monthly 支委会 is owed —
    test data written directly, as the roster of the `tree` fixture is smaller than that."""
    from zhibu.orgs.models import Election

    return Election.objects.unscoped().create(
        org=branch,
        held_on=on,
        term_years=3,
        term_ends_on=date(on.year + 3, on.month, on.day),
        has_committee=True,
        full_members=7,
    )
