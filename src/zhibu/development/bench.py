"""The development pipeline (counts per stage, per-branch table, due list) of a committee's subtree of 1,000
branches with 4 cases each, on a throw-away SQLite file and PostgreSQL database, as a district user. Best of three."""

from __future__ import annotations

import time
from datetime import date, timedelta

BRANCHES = 1000
PER_BRANCH = 4
TODAY = date(2024, 6, 1)


def _build():
    from zhibu.accounts.models import User
    from zhibu.core.crypto import digest
    from zhibu.orgs.models import RoleAssignment
    from zhibu.orgs.roles import Role
    from zhibu.people.models import Member
    from zhibu.testing.benchdata import bench_district

    from .models import Case

    committee, branches = bench_district(BRANCHES)
    people = []
    for b, branch in enumerate(branches):
        for j in range(PER_BRANCH):
            n = b * PER_BRANCH + j
            people.append(
                Member(
                    branch=branch,
                    name=f"申请人{n:05d}",
                    name_pinyin=f"shenqingren{n:05d}",
                    gender="2",
                    id_number=f"bench{n}",
                    id_digest=digest(f"bench{n}"),
                    birth_date=date(1995, 1, 1),
                    status="applicant",
                    status_since=date(2023, 1, 1),
                )
            )
    Member.objects.unscoped().bulk_create(people, batch_size=2000)
    members = list(
        Member.objects.unscoped().filter(branch__code__startswith="bench-b").values_list("id", "branch_id")
    )
    cases = []
    for k, (member_id, branch_id) in enumerate(members):
        stage = 1 + k % 5
        due_by = TODAY + timedelta(days=(k % 120) - 40) if k % 3 else None
        due_from = TODAY + timedelta(days=k % 60) if not due_by else None
        cases.append(
            Case(
                member_id=member_id,
                org_id=branch_id,
                ruleset="2014",
                started_on=date(2023, 1, 1),
                stage=stage,
                last_step=stage * 4,
                next_step=stage * 4 + 1,
                due_by=due_by,
                due_from=due_from,
                due_label=f"第{stage * 4 + 1}步",
                completed_on=date(2024, 1, 1) if k % 17 == 0 else None,
            )
        )
    Case.objects.unscoped().bulk_create(cases, batch_size=2000)
    user = User.objects.create(username="bench-district", display_name="区党委")
    RoleAssignment.objects.create(user=user, org=committee, role=Role.SUPERIOR)
    return user, committee


def _time_pipeline(user, committee) -> float:
    from .selectors import pipeline

    best = None
    for _ in range(3):
        start = time.perf_counter()
        data = pipeline(user, committee, today=TODAY)
        elapsed = time.perf_counter() - start
        assert len(data["branches"]) == BRANCHES and data["due_total"] > 0, data["due_total"]
        best = elapsed if best is None else min(best, elapsed)
    return best


def run(full: bool):
    from zhibu.testing.benchdb import fresh_database, postgres_available

    kinds = ["sqlite"] + (["postgresql"] if postgres_available() else [])
    for kind in kinds:
        with fresh_database(kind):
            user, committee = _build()
            yield f"development_pipeline_{BRANCHES}_{kind}", _time_pipeline(user, committee), "s"
