"""党费 writes: bases, payments, exemptions, voluntary extra, organisation settings, and the .xlsx import."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhibu.audit import services as audit
from zhibu.core import months
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.people.models import Member

from .ledger import Ledger
from .models import DuesBase, DuesPayment, DuesSettings, Exemption, ExtraPayment, Period


def _party_member(member: Member) -> None:
    if not member.is_party_member:
        raise ValidationError(
            {"member": f"{member.name}不是党员（{member.get_status_display()}），无需交纳党费。"}
        )
    if member.left_on:
        raise ValidationError({"member": f"{member.name}已于{member.left_on:%Y-%m-%d}离开本支部。"})


def _who(actor):
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def settings_update(*, actor, org: Organisation, rounding: str, letter_valid_months: int) -> DuesSettings:
    scoping.require(actor, Action.ORG, org)
    current = DuesSettings.objects.for_org(org).filter(org=org).first() or DuesSettings(org=org)
    before = {"rounding": current.rounding, "letter_valid_months": current.letter_valid_months}
    current.rounding = rounding
    current.letter_valid_months = letter_valid_months
    current.full_clean()
    current.save()
    audit.log(
        actor=actor,
        verb="dues.settings",
        target=current,
        detail=audit.changes(before, {"rounding": rounding, "letter_valid_months": letter_valid_months}),
    )
    return current


@transaction.atomic
def base_set(
    *,
    actor,
    member: Member,
    effective_month: date,
    income_type: str,
    base: Decimal | None = None,
    chosen_amount: Decimal | None = None,
    period: str = Period.MONTHLY,
    period_approved_on: date | None = None,
    note: str = "",
) -> DuesBase:
    """Record the base that applies from a month on (DF-07). The same month again corrects that row."""
    scoping.require(actor, Action.MEMBERS, member.branch)
    if base is not None and base < 0:
        raise ValidationError({"base": "党费计算基数不能为负数。"})
    effective_month = months.first(effective_month)
    row = (
        DuesBase.objects.visible_to(actor, Action.MEMBERS)
        .filter(member=member, effective_month=effective_month)
        .first()
    )
    verb = "dues.base_update" if row else "dues.base_set"
    row = row or DuesBase(member=member, effective_month=effective_month)
    row.income_type, row.base, row.chosen_amount = income_type, base, chosen_amount
    row.period, row.period_approved_on, row.note = period, period_approved_on, note
    row.recorded_by = _who(actor)
    row.full_clean()
    row.save()
    audit.log(
        actor=actor,
        verb=verb,
        target=row,
        org_path=member.branch.path,
        detail={
            "member": member.pk,
            "month": months.label(effective_month),
            "income_type": income_type,
            "base": base,
            "chosen_amount": row.chosen_amount,
            "period": period,
        },
    )
    return row


def _ledger_for(actor, member: Member) -> Ledger:
    return Ledger.load(
        actor=actor,
        action=Action.MEMBERS,
        member_filter={"member_id": member.pk},
        branch_paths=[member.branch.path],
    )


def _check_payable(member: Member, ledger: Ledger, month: date) -> Decimal:
    if member.joined_on and months.index(month) < months.index(member.joined_on):
        raise ValidationError(
            {
                "month": f"{member.name}的入党日期是{member.joined_on:%Y-%m-%d}，预备党员从入党当月起交纳党费"
                f"（《关于中国共产党党费收缴、使用和管理的规定》），{months.label(month)}无需交纳。"
            }
        )
    due = ledger.due(member.pk, member.branch.path, month)
    if due is None:
        raise ValidationError(
            {"month": f"{member.name}在{months.label(month)}还没有核定的党费计算基数，请先填写基数。"}
        )
    return due


def _save_payment(payment: DuesPayment) -> None:
    try:
        payment.full_clean()
        with transaction.atomic():
            payment.save()
    except IntegrityError as exc:
        raise ValidationError(
            {
                "month": f"{payment.member.name}{months.label(payment.month)}的党费已经交过，"
                "不能重复交纳（每人每月只交一次）。"
            }
        ) from exc


@transaction.atomic
def payment_record(
    *,
    actor,
    member: Member,
    month: date,
    paid_on: date,
    amount: Decimal | None = None,
    period: str = Period.MONTHLY,
    note: str = "",
    source: str = DuesPayment.Source.WEB,
) -> list[DuesPayment]:
    """A member pays one month, or a calendar quarter at once where the branch agreed (DF-10). Paying a month
    that is already paid is refused and nothing is saved."""
    scoping.require(actor, Action.MEMBERS, member.branch)
    _party_member(member)
    month = months.first(month)
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": "交纳日期不能晚于今天。"})
    if amount is not None and amount < 0:
        raise ValidationError({"amount": "实缴金额不能为负数。"})
    ledger = _ledger_for(actor, member)
    if period == Period.QUARTERLY:
        profile = ledger.profile(member.pk, month)
        if profile is None or profile.period != Period.QUARTERLY:
            raise ValidationError(
                {
                    "period": "按季度交纳须经支部同意：请先在党费基数中登记“按季度交纳”及支部同意日期（《关于中国共产党党费收缴、使用和管理的规定》）。"
                }
            )
        paid_months = months.quarter_months(month)
    else:
        paid_months = [month]
    paid = set(
        DuesPayment.objects.visible_to(actor, Action.MEMBERS)
        .filter(member=member, month__in=paid_months)
        .values_list("month", flat=True)
    )
    if paid:
        taken = "、".join(months.label(m) for m in sorted(paid))
        raise ValidationError(
            {"month": f"{member.name}{taken}的党费已经交过，不能重复交纳（每人每月只交一次）。"}
        )
    payments = []
    for each in paid_months:
        due = _check_payable(member, ledger, each)
        payment = DuesPayment(
            org=member.branch,
            member=member,
            month=each,
            due=due,
            amount=due if amount is None else amount,
            paid_on=paid_on,
            period=period,
            note=note,
            source=source,
            recorded_by=_who(actor),
        )
        _save_payment(payment)
        payments.append(payment)
    audit.log(
        actor=actor,
        verb="dues.payment",
        target=payments[0],
        detail={
            "member": member.pk,
            "months": [m.isoformat()[:7] for m in paid_months],
            "amount": sum((p.amount for p in payments), Decimal("0")),
            "period": period,
            "late_months": max(p.late_months for p in payments),
        },
    )
    return payments


@transaction.atomic
def exemption_add(
    *,
    actor,
    member: Member,
    kind: str,
    from_month: date,
    to_month: date,
    reason: str,
    branch_decided_on: date,
    approved_by: str,
    approved_on: date,
    reduced_amount: Decimal | None = None,
) -> Exemption:
    """免交 / 减交 for a period, with the branch's discussion and the committee's approval (DF-06)."""
    scoping.require(actor, Action.MEMBERS, member.branch)
    _party_member(member)
    row = Exemption(
        org=member.branch,
        member=member,
        kind=kind,
        reduced_amount=reduced_amount,
        from_month=from_month,
        to_month=to_month,
        reason=reason,
        branch_decided_on=branch_decided_on,
        approved_by=approved_by,
        approved_on=approved_on,
        recorded_by=_who(actor),
    )
    row.full_clean()
    overlap = (
        Exemption.objects.visible_to(actor, Action.MEMBERS)
        .filter(member=member, from_month__lte=row.to_month, to_month__gte=row.from_month)
        .exists()
    )
    if overlap:
        raise ValidationError({"from_month": "该期间与已有的减免记录重叠。"})
    row.save()
    audit.log(
        actor=actor,
        verb="dues.exemption",
        target=row,
        detail={
            "member": member.pk,
            "kind": kind,
            "from": months.label(row.from_month),
            "to": months.label(row.to_month),
            "reduced_amount": row.reduced_amount,
        },
    )
    return row


@transaction.atomic
def extra_add(*, actor, member: Member, paid_on: date, amount: Decimal, note: str = "") -> ExtraPayment:
    """Voluntary extra dues; 1000 元 or more in one payment is marked for the Centre (DF-08)."""
    scoping.require(actor, Action.MEMBERS, member.branch)
    _party_member(member)
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": "交纳日期不能晚于今天。"})
    row = ExtraPayment(
        org=member.branch, member=member, paid_on=paid_on, amount=amount, note=note, recorded_by=_who(actor)
    )
    row.full_clean()
    row.save()
    audit.log(
        actor=actor,
        verb="dues.extra",
        target=row,
        detail={"member": member.pk, "amount": amount, "to_centre": row.to_centre},
    )
    return row
