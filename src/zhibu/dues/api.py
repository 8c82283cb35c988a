"""党费 over REST: the same selectors and services as the pages, the same scope checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Router, Schema

from zhibu.core import months
from zhibu.core.apischema import Id
from zhibu.orgs import scoping
from zhibu.orgs.roles import Action

from . import selectors, services
from .models import Period

router = Router(tags=["党费"])


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _row(row: selectors.RollRow) -> dict:
    return {
        "member_id": row.member_id,
        "name": row.name,
        "branch": row.branch,
        "status": row.status,
        "income_type": row.income_type,
        "base": _money(row.base),
        "due": _money(row.due),
        "paid": _money(row.paid),
        "paid_on": row.paid_on,
        "late_months": row.late_months,
        "relief": row.relief,
        "unpaid_months": row.streak,
        "warning": row.level_label,
        "transfer_out": row.transfer_out,
    }


@router.get("/orgs/{code}/roll", url_name="dues_roll")
def roll(request, code: str, month: str | None = None):
    org = scoping.get_org(request.user, Action.VIEW, code)
    month_value = months.parse(month) if month else selectors.default_month(request.user, org)
    data = selectors.roll(actor=request.user, org=org, month=month_value)
    return {
        "org": org.code,
        "month": f"{data.month:%Y-%m}",
        "due_total": _money(data.due_total),
        "paid_total": _money(data.paid_total),
        "paid_count": data.paid_count,
        "unpaid_count": data.unpaid_count,
        "rows": [_row(r) for r in data.rows],
    }


@router.get("/orgs/{code}/summary", url_name="dues_summary")
def summary(request, code: str, month: str | None = None):
    org = scoping.get_org(request.user, Action.VIEW, code)
    month_value = months.parse(month) if month else selectors.default_month(request.user, org)
    rows, total = selectors.summary(actor=request.user, org=org, month=month_value)

    def out(row):
        return {
            "org": row.org.code,
            "name": row.org.label,
            "members": row.members,
            "due_total": _money(row.due_total),
            "paid_count": row.paid_count,
            "paid_total": _money(row.paid_total),
            "unpaid_count": row.unpaid_count,
            "warned_count": row.warned_count,
        }

    return {
        "org": org.code,
        "month": f"{month_value:%Y-%m}",
        "rows": [out(r) for r in rows],
        "total": out(total),
    }


@router.get("/members/{pk}", url_name="dues_member")
def member(request, pk: Id):
    target = selectors.member_for_self_or(request.user, Action.VIEW, pk)
    record = selectors.member_dues(actor=request.user, member=target)
    return {
        "member_id": target.pk,
        "name": target.name,
        "branch": target.branch.code,
        "current_due": _money(record.current_due),
        "unpaid_months": record.streak,
        "warning": record.level_label,
        "bases": [
            {
                "effective_month": f"{b.effective_month:%Y-%m}",
                "income_type": b.income_type,
                "base": _money(b.base),
                "chosen_amount": _money(b.chosen_amount),
                "period": b.period,
            }
            for b in record.bases
        ],
        "payments": [
            {
                "month": f"{p.month:%Y-%m}",
                "due": _money(p.due),
                "amount": _money(p.amount),
                "paid_on": p.paid_on,
                "late_months": p.late_months,
                "org": p.org.code,
            }
            for p in record.payments
        ],
    }


class BaseIn(Schema):
    effective_month: str
    income_type: str
    base: Decimal | None = None
    chosen_amount: Decimal | None = None
    period: str = Period.MONTHLY
    period_approved_on: date | None = None
    note: str = ""


@router.post("/members/{pk}/base", url_name="dues_base_set")
def base_set(request, pk: Id, payload: BaseIn):
    target = selectors.member_for(request.user, Action.MEMBERS, pk)
    data = payload.dict()
    data["effective_month"] = months.parse(data["effective_month"], field="effective_month")
    row = services.base_set(actor=request.user, member=target, **data)
    return {"id": row.pk, "effective_month": f"{row.effective_month:%Y-%m}"}


class PaymentIn(Schema):
    month: str
    paid_on: date
    amount: Decimal | None = None
    period: str = Period.MONTHLY
    note: str = ""


@router.post("/members/{pk}/payments", url_name="dues_payment_record")
def payment_record(request, pk: Id, payload: PaymentIn):
    target = selectors.member_for(request.user, Action.MEMBERS, pk)
    data = payload.dict()
    data["month"] = months.parse(data["month"])
    rows = services.payment_record(actor=request.user, member=target, source="api", **data)
    return [
        {
            "id": r.pk,
            "month": f"{r.month:%Y-%m}",
            "due": _money(r.due),
            "amount": _money(r.amount),
            "late_months": r.late_months,
        }
        for r in rows
    ]


class ExemptionIn(Schema):
    kind: str
    from_month: str
    to_month: str
    reason: str
    branch_decided_on: date
    approved_by: str
    approved_on: date
    reduced_amount: Decimal | None = None


@router.post("/members/{pk}/exemptions", url_name="dues_exemption_add")
def exemption_add(request, pk: Id, payload: ExemptionIn):
    target = selectors.member_for(request.user, Action.MEMBERS, pk)
    data = payload.dict()
    data["from_month"] = months.parse(data["from_month"], field="from_month")
    data["to_month"] = months.parse(data["to_month"], field="to_month")
    row = services.exemption_add(actor=request.user, member=target, **data)
    return {"id": row.pk}


class ExtraIn(Schema):
    paid_on: date
    amount: Decimal
    note: str = ""


@router.post("/members/{pk}/extra", url_name="dues_extra_add")
def extra_add(request, pk: Id, payload: ExtraIn):
    target = selectors.member_for(request.user, Action.MEMBERS, pk)
    row = services.extra_add(actor=request.user, member=target, **payload.dict())
    return {"id": row.pk, "to_centre": row.to_centre}
