"""党内统计 over a district of 1,000 branches × 25 members: the whole table (every count, organisations and
transfers) on a throw-away SQLite file and PostgreSQL database. Prints the best of three runs."""

from __future__ import annotations

import time
from datetime import date

BRANCHES = 1000
PER_BRANCH = 25
ON = date(2022, 12, 31)


def _build():
    from zhibu.accounts.models import User
    from zhibu.core.crypto import digest
    from zhibu.orgs.models import RoleAssignment
    from zhibu.orgs.roles import Role
    from zhibu.people.models import Member
    from zhibu.testing.benchdata import bench_district

    committee, branches = bench_district(BRANCHES)
    educations = ["10", "20", "20", "30", "40", "60", "70", ""]
    members = []
    for b, branch in enumerate(branches):
        for j in range(PER_BRANCH):
            n = b * PER_BRANCH + j
            joined = date(1975 + n % 47, 1 + n % 12, 1)
            probationary = n % 17 == 0
            members.append(
                Member(
                    branch=branch,
                    name=f"党员{n:05d}",
                    name_pinyin=f"dangyuan{n:05d}",
                    gender="1" if n % 3 else "2",
                    ethnicity="01" if n % 11 else "03",
                    id_number=f"bench{n}",
                    id_digest=digest(f"bench{n}"),
                    birth_date=date(1950 + n % 50, 1 + n % 12, 1 + n % 28),
                    education=educations[n % len(educations)],
                    status="probationary" if probationary else "full",
                    joined_on=joined,
                    status_since=joined,
                    confirmed_on=None if probationary else date(joined.year + 1, joined.month, 1),
                    mobile=n % 97 == 0,
                    mobile_destination="外地" if n % 97 == 0 else "",
                )
            )
    Member.objects.unscoped().bulk_create(members, batch_size=2000)
    user = User.objects.create(username="bench-district", display_name="区党委")
    RoleAssignment.objects.create(user=user, org=committee, role=Role.SUPERIOR)
    return user, committee


def _time_table(user, committee) -> float:
    from .stats import table

    best = None
    for _ in range(3):
        start = time.perf_counter()
        result = table(user, committee, ON)
        elapsed = time.perf_counter() - start
        total = result.sections[0].values["all"]
        assert total == BRANCHES * PER_BRANCH, total
        best = elapsed if best is None else min(best, elapsed)
    return best


def run(full: bool):
    from zhibu.testing.benchdb import analyse, fresh_database, postgres_available

    kinds = ["sqlite"] + (["postgresql"] if postgres_available() else [])
    for kind in kinds:
        with fresh_database(kind):
            user, committee = _build()
            analyse()
            yield f"stats_1000_{kind}", _time_table(user, committee), "s"
