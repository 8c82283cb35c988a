"""Test data for the dues app, written directly (no audit), like zhibu.testing.factories."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zhibu.dues.brackets import IncomeType
from zhibu.dues.models import DuesBase, DuesPayment


def give_base(
    member,
    month: date = date(2022, 1, 1),
    base: str | None = "3200",
    income_type: str = IncomeType.SALARIED,
    **fields,
) -> DuesBase:
    return DuesBase.objects.unscoped().create(
        member=member,
        effective_month=month,
        income_type=income_type,
        base=Decimal(base) if base is not None else None,
        **fields,
    )


def pay(member, month: date, amount: str = "32.00", paid_on: date | None = None, org=None) -> DuesPayment:
    return DuesPayment.objects.unscoped().create(
        org=org or member.branch,
        member=member,
        month=month,
        due=Decimal(amount),
        amount=Decimal(amount),
        paid_on=paid_on or month.replace(day=10),
    )
