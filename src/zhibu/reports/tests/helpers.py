"""Test data for the reports app (written directly, no audit)."""

from __future__ import annotations

from datetime import date

from zhibu.orgs import scoping
from zhibu.testing import factories as f

from .. import services
from ..models import Report


def meetings(org, year: int = 2022, *, committee: int = 3, general: int = 1) -> None:
    for i in range(committee):
        f.make_activity(org, "committee-meeting", date(year, 1 + i % 12, 5 + i // 12))
    for i in range(general):
        f.make_activity(org, "general-meeting", date(year, 3 + 3 * i, 25))


def final_report(tree, org=None, year: int = 2022) -> Report:
    org = org or tree.a
    report = services.report_start(actor=scoping.SYSTEM, org=org, year=year)
    return services.report_finalise(actor=scoping.SYSTEM, report=report)


def draft_report(tree, org=None, year: int = 2022) -> Report:
    return services.report_start(actor=scoping.SYSTEM, org=org or tree.a, year=year)
