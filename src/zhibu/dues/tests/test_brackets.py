from datetime import date
from decimal import Decimal

import pytest

from zhibu.dues.brackets import IncomeType, monthly_amount, ruleset_for

M = date(2022, 9, 1)


def wage(base: str, rounding: str = "0.01") -> Decimal:
    return monthly_amount(
        income_type=IncomeType.SALARIED, base=Decimal(base), chosen=None, month=M, rounding=Decimal(rounding)
    )


def pension(base: str) -> Decimal:
    return monthly_amount(income_type=IncomeType.RETIRED, base=Decimal(base), chosen=None, month=M)


@pytest.mark.parametrize(
    "base, expected",
    [
        ("3200", "32.00"),
        ("5400", "81.00"),
        ("10000", "150.00"),
        ("11500", "230.00"),  # DF-02 worked examples
    ],
)
def test_worked_examples_for_salaried_members(base, expected):
    assert wage(base) == Decimal(expected)


@pytest.mark.parametrize("base, expected", [("5000", "25.00"), ("5001", "50.01")])
def test_worked_examples_for_retirees(base, expected):
    assert pension(base) == Decimal(expected)


@pytest.mark.parametrize(
    "base, expected",
    [
        ("0", "0.00"),
        ("3000", "15.00"),  # upper bound inclusive: 0.5%
        ("3000.01", "30.00"),  # 1% of 3000.01 = 30.0001
        ("5000", "50.00"),  # inclusive: 1%
        ("5000.01", "75.00"),  # 1.5% of 5000.01 = 75.00015
        ("10000.00", "150.00"),  # inclusive: 1.5%
        ("10000.01", "200.00"),  # 2% of 10000.01 = 200.0002
    ],
)
def test_each_wage_bracket_boundary(base, expected):
    assert wage(base) == Decimal(expected)


def test_retiree_boundary_is_inclusive():
    assert pension("4999.99") == Decimal("25.00")  # 24.99995 rounds half up
    assert pension("5000.00") == Decimal("25.00")
    assert pension("5000.01") == Decimal("50.00")  # 50.0001


def test_rounding_is_half_up_to_the_fen():
    assert wage("2999") == Decimal("15.00")  # 14.995 → 15.00, not banker's 14.99... (14.995 is exact)
    assert wage("2001") == Decimal("10.01")  # 10.005 → 10.01
    assert wage("1001") == Decimal("5.01")  # 5.005 → 5.01


def test_rounding_to_the_jiao_is_configurable():
    assert wage("3210", rounding="0.1") == Decimal("32.1")
    assert wage("3250", rounding="0.1") == Decimal("32.5")
    assert wage("2010", rounding="0.1") == Decimal("10.1")  # 10.05 → 10.1


def test_annual_salary_and_no_fixed_income_use_the_wage_table():
    for kind in (IncomeType.ANNUAL, IncomeType.NO_FIXED):
        assert monthly_amount(income_type=kind, base=Decimal("5400"), chosen=None, month=M) == Decimal(
            "81.00"
        )


def test_flat_categories_pay_two_jiao():
    for kind in (IncomeType.STUDENT, IncomeType.UNEMPLOYED, IncomeType.RELIEF, IncomeType.SUBSISTENCE):
        assert monthly_amount(income_type=kind, base=None, chosen=None, month=M) == Decimal("0.20")


def test_farmers_pay_their_chosen_amount():
    assert monthly_amount(
        income_type=IncomeType.FARMER, base=None, chosen=Decimal("0.5"), month=M
    ) == Decimal("0.50")


def test_the_2008_rules_apply_from_april_2008():
    assert ruleset_for(date(2008, 4, 1)).code == "2008"
    with pytest.raises(ValueError):
        ruleset_for(date(2008, 3, 1))
