"""党费 rates as data (中组发〔2008〕3号, DF-02, DF-04, DF-05), versioned by the month they take effect.

A rule table is a list of (upper bound inclusive or None for "no upper bound", rate). The rate applies to the
whole base, not progressively: 3200 → 1% of 3200 = 32.00. Flat categories pay a fixed monthly amount; farmers
choose theirs within a range. A later version is added as another `RuleSet` with its own `effective_from`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.db import models


class IncomeType(models.TextChoices):
    SALARIED = "salaried", "在职（按月工资）"
    ANNUAL = "annual", "年薪制"
    NO_FIXED = "no_fixed", "无固定月收入"
    RETIRED = "retired", "离退休"
    FARMER = "farmer", "农民"
    STUDENT = "student", "学生"
    UNEMPLOYED = "unemployed", "下岗失业"
    RELIEF = "relief", "依靠抚恤或救济生活"
    SUBSISTENCE = "subsistence", "领取最低生活保障金"


# Which table a type uses; types not listed here pay a flat amount.
WAGE_TYPES = frozenset({IncomeType.SALARIED, IncomeType.ANNUAL, IncomeType.NO_FIXED})
PENSION_TYPES = frozenset({IncomeType.RETIRED})
BASE_TYPES = WAGE_TYPES | PENSION_TYPES

BASE_HELP = {
    IncomeType.SALARIED: "每月工资收入中相对固定、经常性的部分（税后）（《关于中国共产党党费收缴、使用和管理的规定》第一条）",
    IncomeType.ANNUAL: "当月实际领取的薪酬（《关于中国共产党党费收缴、使用和管理的规定》第三、四条）",
    IncomeType.NO_FIXED: "上一季度月平均纯收入（《关于中国共产党党费收缴、使用和管理的规定》第三、四条）",
    IncomeType.RETIRED: "实际领取的基本离退休费（不含津补贴）（《关于中国共产党党费收缴、使用和管理的规定》第五条）",
}

ROUNDING_CHOICES = [("0.01", "四舍五入到分（0.01 元）"), ("0.1", "四舍五入到角（0.1 元）")]
DEFAULT_ROUNDING = Decimal("0.01")


@dataclass(frozen=True)
class RuleSet:
    code: str
    effective_from: date
    basis: str
    wage: tuple[tuple[Decimal | None, Decimal], ...]
    pension: tuple[tuple[Decimal | None, Decimal], ...]
    flat: dict[str, Decimal] = field(default_factory=dict)
    farmer_range: tuple[Decimal, Decimal] = (Decimal("0.2"), Decimal("1"))


def _d(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


RULESETS: tuple[RuleSet, ...] = (
    RuleSet(
        code="2008",
        effective_from=date(2008, 4, 1),
        basis="中组部《关于中国共产党党费收缴、使用和管理的规定》（中组发〔2008〕3号）第二、五、六条",
        wage=(
            (_d("3000"), Decimal("0.005")),
            (_d("5000"), Decimal("0.01")),
            (_d("10000"), Decimal("0.015")),
            (None, Decimal("0.02")),
        ),
        pension=((_d("5000"), Decimal("0.005")), (None, Decimal("0.01"))),
        flat={
            IncomeType.STUDENT: Decimal("0.2"),
            IncomeType.UNEMPLOYED: Decimal("0.2"),
            IncomeType.RELIEF: Decimal("0.2"),
            IncomeType.SUBSISTENCE: Decimal("0.2"),
        },
    ),
)


@lru_cache(maxsize=512)
def ruleset_for(month: date) -> RuleSet:
    """The rule set in force in that month (the latest one that took effect on or before it)."""
    chosen = None
    for ruleset in sorted(RULESETS, key=lambda r: r.effective_from):
        if ruleset.effective_from <= month.replace(day=28):
            chosen = ruleset
    if chosen is None:
        raise ValueError(f"no dues rules for {month:%Y-%m}")
    return chosen


def rate_for(table, base: Decimal) -> Decimal:
    for upper, rate in table:
        if upper is None or base <= upper:
            return rate
    raise ValueError("bracket table without an open upper bracket")


def monthly_amount(
    *,
    income_type: str,
    base: Decimal | None,
    chosen: Decimal | None,
    month: date,
    rounding: Decimal = DEFAULT_ROUNDING,
) -> Decimal:
    """The amount due for one month. Raises ValueError for missing inputs (the model's clean reports them)."""
    rules = ruleset_for(month)
    if income_type in BASE_TYPES:
        if base is None:
            raise ValueError("base required")
        table = rules.pension if income_type in PENSION_TYPES else rules.wage
        amount = base * rate_for(table, base)
    elif income_type == IncomeType.FARMER:
        if chosen is None:
            raise ValueError("farmer amount required")
        amount = chosen
    else:
        amount = rules.flat[income_type]
    return amount.quantize(rounding, rounding=ROUND_HALF_UP)


@lru_cache(maxsize=4096)
def cached_amount(
    income_type: str, base: Decimal | None, chosen: Decimal | None, month: date, rounding: Decimal
) -> Decimal:
    """monthly_amount for the roll: many members share a base, and a month's rules do not change."""
    return monthly_amount(income_type=income_type, base=base, chosen=chosen, month=month, rounding=rounding)


def describe(ruleset: RuleSet) -> list[tuple[str, str]]:
    """Rows for showing a table on a page: (bracket, rate or amount)."""

    def rows(table, prefix):
        out, lower = [], None
        for upper, rate in table:
            if upper is None:
                text = f"{prefix}{lower} 元以上"
            elif lower is None:
                text = f"{prefix}{upper} 元及以下"
            else:
                text = f"{prefix}{lower} 元以上至 {upper} 元"
            out.append((text, f"{(rate * 100).normalize()}%"))
            lower = upper
        return out

    result = rows(ruleset.wage, "月工资收入 ") + rows(ruleset.pension, "离退休费 ")
    low, high = ruleset.farmer_range
    result.append(("农民党员", f"每月 {low}–{high} 元"))
    result.append(("学生、下岗失业、依靠抚恤或救济、领取低保", f"每月 {ruleset.flat[IncomeType.STUDENT]} 元"))
    return result
