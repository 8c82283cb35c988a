from datetime import date
from decimal import Decimal

import pytest

from zhibu.demo import DemoContext
from zhibu.dues import demo, selectors
from zhibu.orgs.scoping import SYSTEM


@pytest.fixture
def ctx(db):
    from zhibu.demo_core import build_core

    context = DemoContext()
    build_core(context)
    demo.build(context)
    return context


def test_kindergarten_2022_dues_with_one_member_in_arrears(ctx):
    kg = ctx.orgs["wolongshan-kg"]
    december = selectors.roll(actor=SYSTEM, org=kg, month=date(2022, 12, 1))
    warned = [(r.name, r.streak, r.level) for r in december.rows if r.level]
    assert warned == [("韩冰洁", 4, "warn3")]
    assert december.unpaid_count == 1
    assert december.no_base_count == 0
    for month in range(1, 13):
        data = selectors.roll(actor=SYSTEM, org=kg, month=date(2022, month, 1))
        expected_unpaid = 1 if month >= 9 else 0
        assert data.unpaid_count == expected_unpaid, month
    chen = next(r for r in december.rows if r.name == "陈思雨")
    assert (chen.base, chen.due) == (Decimal("3500.00"), Decimal("35.00"))


def test_other_branches_have_a_few_months(ctx):
    rows, total = selectors.summary(actor=SYSTEM, org=ctx.orgs["district-edu"], month=date(2022, 11, 1))
    assert all(r.paid_count == r.members for r in rows if r.org.code != "wolongshan-kg")
    assert total.paid_count > 0
