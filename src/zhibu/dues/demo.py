"""Demo dues for 2022: the kindergarten's bases and monthly payments (one member in arrears since September),
and a few months for the district's other branches."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zhibu.core import months
from zhibu.people.models import Member

from .brackets import IncomeType, monthly_amount
from .models import DuesBase, DuesPayment

YEAR = 2022
# After-tax fixed monthly pay of the kindergarten's members (invented); 陈思雨 gets a rise in July (DF-07).
KG_BASES = {
    "周静怡": "5800",
    "钱佳宁": "5400",
    "孙晓梅": "4800",
    "吴丽娟": "4300",
    "郑雅琴": "5000",
    "冯雨萱": "3600",
    "陈思雨": "3200",
    "褚文静": "3900",
    "卫晓燕": "4100",
    "蒋欣然": "3000",
    "沈梦瑶": "3400",
    "韩冰洁": "3800",
}
KG_RISE = ("陈思雨", date(YEAR, 7, 1), "3500")
KG_ARREARS = "韩冰洁"  # pays January to August, nothing from September: 4 months by December → 提醒
KG_LATE = {("褚文静", 3): date(YEAR, 4, 12)}  # March paid with April's (补交 one month)
SCHOOL_BASES = ["3300", "4200", "5200", "6100", "3800", "4700", "2900", "5500", "4400"]


def _base(member: Member, month: date, amount: str) -> DuesBase:
    return DuesBase(
        member=member,
        effective_month=month,
        income_type=IncomeType.SALARIED,
        base=Decimal(amount),
        note="演示数据",
    )


def _payments(member: Member, bases: list[DuesBase], paid_months, *, late=None) -> list[DuesPayment]:
    rows = []
    for month in paid_months:
        base = max((b for b in bases if b.effective_month <= month), key=lambda b: b.effective_month)
        due = monthly_amount(income_type=base.income_type, base=base.base, chosen=None, month=month)
        paid_on = (late or {}).get((member.name, month.month), month.replace(day=10))
        rows.append(
            DuesPayment(
                org=member.branch,
                member=member,
                month=month,
                due=due,
                amount=due,
                paid_on=paid_on,
                late_months=months.between(month, paid_on),
                source=DuesPayment.Source.DEMO,
            )
        )
    return rows


def _party(members: dict) -> list[Member]:
    """Party members as they stand after the other demos ran (the development demo admits one in 2022)."""
    ids = [m.pk for m in members.values()]
    return list(
        Member.objects.unscoped()
        .filter(pk__in=ids, status__in=("probationary", "full"))
        .select_related("branch")
        .order_by("id")
    )


def _first_month(member: Member) -> date:
    start = date(YEAR, 1, 1)
    return max(start, months.first(member.joined_on)) if member.joined_on else start


def build(ctx) -> None:
    bases: list[DuesBase] = []
    payments: list[DuesPayment] = []
    kg = _party(ctx.members["wolongshan-kg"])
    for member in kg:
        start = _first_month(member)
        own = [_base(member, start, KG_BASES.get(member.name, "3300"))]
        if member.name == KG_RISE[0]:
            own.append(_base(member, KG_RISE[1], KG_RISE[2]))
        bases.extend(own)
        last = 8 if member.name == KG_ARREARS else 12
        paid = [date(YEAR, n, 1) for n in range(start.month, last + 1)]
        payments.extend(_payments(member, own, paid, late=KG_LATE))

    for code, org in ctx.orgs.items():
        if code == "wolongshan-kg" or code not in ctx.members or not org.is_branch:
            continue
        for i, member in enumerate(_party(ctx.members[code])):
            start = _first_month(member)
            own = [_base(member, start, SCHOOL_BASES[i % len(SCHOOL_BASES)])]
            bases.extend(own)
            paid = [date(YEAR, n, 1) for n in range(max(10, start.month), 13)]
            payments.extend(_payments(member, own, paid))

    DuesBase.objects.unscoped().bulk_create(bases)
    DuesPayment.objects.unscoped().bulk_create(payments)

    ctx.notes.append(
        f"党费：卧龙山街道中心幼儿园党支部 2022 年党费已登记，{KG_ARREARS}自 2022 年 9 月起未交"
        "（连续 4 个月，收缴表和党员预警页提示；预警页请选“截至 2022-12-31”：/dues/org/wolongshan-kg/watch/"
        "?on=2022-12-31）。"
    )
