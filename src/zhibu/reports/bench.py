"""Benchmark: assembling one branch-year's annual report on demo-sized data (target < 0.5 s)."""

from __future__ import annotations

import time
from datetime import date, timedelta


def _data():
    """A district with one kindergarten-sized branch: 14 people, about 90 records of organisational life."""
    from zhibu.orgs.models import Organisation
    from zhibu.testing import factories as f

    district = f.make_org("bench-district", "基准测试党委", type_code="committee")
    branch = f.make_org("bench-kg", "基准测试幼儿园党支部", parent=district)
    members = [f.make_member(branch, f"成员{i}", party_post="secretary" if i == 0 else "") for i in range(12)]
    f.make_member(branch, "积极分子甲", status="activist", joined=date(2024, 3, 1))
    for month in range(1, 13):
        f.make_activity(branch, "committee-meeting", date(2022, month, 5), present=members[:5])
        f.make_activity(branch, "theme-day", date(2022, month, 15), present=members)
        if month % 3 == 0:
            f.make_activity(branch, "general-meeting", date(2022, month, 25), present=members)
            f.make_activity(
                branch, "party-lecture", date(2022, month, 20), present=members, speaker=members[0]
            )
    day = date(2022, 1, 3)
    while day.year == 2022:
        f.make_activity(branch, "political-study", day, present=members)
        day += timedelta(days=7)
    return Organisation.objects.select_related("type").get(pk=branch.pk)


def run(full: bool):
    from zhibu.orgs import scoping
    from zhibu.reports import assemble
    from zhibu.testing.benchdb import fresh_database

    with fresh_database("sqlite"):
        org = _data()
        assemble.build(scoping.SYSTEM, org, 2022)  # warm-up (imports, first evaluation of the lights)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            assemble.build(scoping.SYSTEM, org, 2022)
            times.append(time.perf_counter() - started)
        yield "report_build_branch_year_sqlite", sorted(times)[len(times) // 2], "s"
