"""Test helpers: open a case and walk it along the standard plan."""

from __future__ import annotations

from datetime import date

from zhibu.development import plan, services, voters
from zhibu.development import ruleset as rs
from zhibu.orgs.scoping import SYSTEM
from zhibu.people import idnumber

TODAY = date(2024, 1, 10)


def person(name: str, birth: date, seq: int = 2) -> dict:
    return {"name": name, "id_number": idnumber.make("371102", birth, seq), "post": "教师"}


def open_case(
    branch,
    *,
    name="朱晓彤",
    birth=date(1996, 6, 18),
    applied=date(2020, 9, 10),
    version=None,
    actor=SYSTEM,
    seq=2,
    day=TODAY,
):
    return services.case_open(
        actor=actor,
        branch=branch,
        applied_on=applied,
        person=person(name, birth, seq),
        version=version,
        day=day,
    )


def walk(
    case,
    people: dict,
    *,
    upto: int,
    actor=SYSTEM,
    day=TODAY,
    skip_first=True,
    overrides=None,
    from_step: int = 1,
):
    """Record the plan's steps after step 1 up to and including `upto` (both step 6 entries count as step 6)."""
    overrides = overrides or {}
    archive = rs.checklist(case.rules)
    for index, (step, on, details) in enumerate(plan.PLAN_2014):
        if step > upto:
            break
        if (step == 1 and skip_first) or step < from_step:
            continue
        on, details = overrides.get(index, (on, details))

        def count(on=on):
            return voters.roll(SYSTEM, case.org, on).expected

        services.step_record(
            actor=actor,
            case=case,
            step=step,
            on=on,
            details=plan.resolve(details, people, archive, count),
            day=day,
        )
        case.refresh_from_db()
    return case


def fill(branch, full: int, *, joined: date = date(2015, 6, 1)) -> list:
    """Add 正式党员 to a branch until it has `full` of them on the roster (test data, no audit)."""
    from zhibu.people.models import Member, Status
    from zhibu.testing import factories as f

    have = Member.objects.unscoped().filter(branch=branch, status=Status.FULL, left_on__isnull=True).count()
    return [f.make_member(branch, f"党员{branch.pk}-{have + i}", joined=joined) for i in range(full - have)]
