"""The dues roll of a committee's subtree of 20,000 members for one month (800 branches × 25 members), with a
year of payments behind it, on a throw-away SQLite file and PostgreSQL database. Prints the best of three runs."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

BRANCHES = 800
PER_BRANCH = 25
MONTH = date(2022, 12, 1)


def _build():
    from zhibu.accounts.models import User
    from zhibu.core import months
    from zhibu.core.crypto import digest
    from zhibu.orgs.models import RoleAssignment
    from zhibu.orgs.roles import Role
    from zhibu.people.models import Member
    from zhibu.testing.benchdata import bench_district

    from .brackets import IncomeType, monthly_amount
    from .models import DuesBase, DuesPayment

    committee, branches = bench_district(BRANCHES)

    members = []
    for b, branch in enumerate(branches):
        for j in range(PER_BRANCH):
            n = b * PER_BRANCH + j
            members.append(
                Member(
                    branch=branch,
                    name=f"党员{n:05d}",
                    name_pinyin=f"dangyuan{n:05d}",
                    gender="2",
                    id_number=f"bench{n}",
                    id_digest=digest(f"bench{n}"),
                    birth_date=date(1980, 1, 1),
                    status="full",
                    joined_on=date(2010, 7, 1),
                    status_since=date(2011, 7, 1),
                )
            )
    Member.objects.unscoped().bulk_create(members, batch_size=2000)
    members = list(
        Member.objects.unscoped().filter(branch__code__startswith="bench-b").values_list("id", "branch_id")
    )

    amounts = ["2800", "3200", "4500", "5400", "7800", "10000", "11500"]
    bases, payments = [], []
    for k, (member_id, branch_id) in enumerate(members):
        base = Decimal(amounts[k % len(amounts)])
        bases.append(
            DuesBase(
                member_id=member_id,
                effective_month=date(2022, 1, 1),
                income_type=IncomeType.SALARIED,
                base=base,
            )
        )
        due = monthly_amount(income_type=IncomeType.SALARIED, base=base, chosen=None, month=MONTH)
        stop = 12 if k % 10 else 12 - k % 7  # one in ten falls behind by up to six months
        for m in range(1, stop + 1):
            month = date(2022, m, 1)
            payments.append(
                DuesPayment(
                    org_id=branch_id,
                    member_id=member_id,
                    month=month,
                    due=due,
                    amount=due,
                    paid_on=month.replace(day=10),
                    late_months=months.between(month, month),
                )
            )
    DuesBase.objects.unscoped().bulk_create(bases, batch_size=5000)
    DuesPayment.objects.unscoped().bulk_create(payments, batch_size=5000)
    user = User.objects.create(username="bench-district", display_name="区党委")
    RoleAssignment.objects.create(user=user, org=committee, role=Role.SUPERIOR)
    return user, committee


def _time_roll(user, committee) -> float:
    from .selectors import roll

    best = None
    for _ in range(3):
        start = time.perf_counter()
        data = roll(actor=user, org=committee, month=MONTH)
        elapsed = time.perf_counter() - start
        assert len(data.rows) == BRANCHES * PER_BRANCH, len(data.rows)
        best = elapsed if best is None else min(best, elapsed)
    return best


def run(full: bool):
    from zhibu.testing.benchdb import analyse, fresh_database, postgres_available

    kinds = ["sqlite"] + (["postgresql"] if postgres_available() else [])
    for kind in kinds:
        with fresh_database(kind):
            user, committee = _build()
            analyse()
            yield f"dues_roll_20000_{kind}", _time_roll(user, committee), "s"
