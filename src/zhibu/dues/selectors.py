"""Reads shared by the pages, the API and the command line: the monthly roll (收缴表), the committee's summary,
one member's dues record."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Max

from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.people.models import Member, Status

from . import months
from .brackets import IncomeType
from .ledger import LEVEL_LABELS, Ledger, Profile, Relief, level_of, rounding_map
from .models import DuesBase, DuesPayment, Exemption, ExtraPayment, Transfer

PARTY_STATUSES = (Status.PROBATIONARY, Status.FULL)
INCOME_LABELS = dict(IncomeType.choices)


def member_for(actor, action: str, pk: int) -> Member:
    """A member inside the actor's scope for that action, or 404."""
    member = Member.objects.visible_to(actor, action).select_related("branch", "branch__type").filter(pk=pk).first()
    if member is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return member


def member_for_self_or(actor, action: str, pk: int) -> Member:
    """Like member_for, but a member may also see their own record."""
    member = Member.objects.visible_to(actor, action).select_related("branch").filter(pk=pk).first()
    if member is None and getattr(actor, "pk", None):
        member = Member.internal.select_related("branch").filter(pk=pk, user_id=actor.pk).first()
    if member is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return member


def subtree_filter(org: Organisation, prefix: str = "member__branch") -> dict:
    low, high = org.subtree_bounds()
    return {f"{prefix}__path__gte": low, f"{prefix}__path__lte": high}


@dataclass
class RollRow:
    member_id: int
    name: str
    branch: str
    branch_code: str
    status: str
    income_type: str
    base: Decimal | None
    due: Decimal | None
    paid: Decimal | None
    paid_on: date | None
    late_months: int
    relief: str
    streak: int | None
    level: str
    transfer_out: bool

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, "")

    @property
    def is_paid(self) -> bool:
        return self.paid is not None


@dataclass
class Roll:
    org: Organisation
    month: date
    rows: list[RollRow] = field(default_factory=list)

    @property
    def due_total(self) -> Decimal:
        return sum((r.due for r in self.rows if r.due is not None), Decimal("0.00"))

    @property
    def paid_total(self) -> Decimal:
        return sum((r.paid for r in self.rows if r.paid is not None), Decimal("0.00"))

    @property
    def paid_count(self) -> int:
        return sum(1 for r in self.rows if r.paid is not None)

    @property
    def unpaid_count(self) -> int:
        return sum(1 for r in self.rows if r.paid is None and r.due)

    @property
    def no_base_count(self) -> int:
        return sum(1 for r in self.rows if r.due is None)

    @property
    def warned_count(self) -> int:
        return sum(1 for r in self.rows if r.level)

    @property
    def month_label(self) -> str:
        return months.label(self.month)


def roll(*, actor, org: Organisation, month: date, action: str = Action.VIEW) -> Roll:
    """Every party member of the organisation's subtree for one month: base, amount due, payment, arrears.

    Seven queries whatever the size of the subtree; rows are tuples, not model instances (PERFORMANCE.md)."""
    scoping.require(actor, action, org)
    month = months.first(month)
    in_subtree = subtree_filter(org)
    member_rows = list(
        Member.objects.visible_to(actor, action)
        .filter(**subtree_filter(org, "branch"), status__in=PARTY_STATUSES, left_on__isnull=True,
                standing=Member.Standing.NORMAL)
        .order_by("branch__path", "name_pinyin", "id")
        .values_list("id", "name", "branch__path", "branch__short_name", "branch__name", "branch__code", "status",
                     "joined_on"))
    member_rows = [r for r in member_rows if r[7] is None or months.index(r[7]) <= months.index(month)]
    branch_paths = {r[2] for r in member_rows}
    ledger = Ledger.load(actor=actor, action=action, member_filter=in_subtree, branch_paths=branch_paths, upto=month)
    payments = {row[0]: row[1:] for row in DuesPayment.objects.visible_to(actor, action).filter(
        month=month, **in_subtree).values_list("member_id", "amount", "paid_on", "late_months")}
    last_paid = dict(DuesPayment.objects.visible_to(actor, action).filter(month__lte=month, **in_subtree)
                     .values("member_id").annotate(last=Max("month")).values_list("member_id", "last"))
    leaving = set(Transfer.objects.visible_to(actor, action).filter(status=Transfer.Status.ISSUED, **in_subtree)
                  .values_list("member_id", flat=True))
    status_labels = dict(Status.choices)
    result = Roll(org=org, month=month)
    for member_id, name, path, short, full_name, code, status, joined_on in member_rows:
        profile = ledger.profile(member_id, month)
        relief = ledger.relief(member_id, month)
        payment = payments.get(member_id)
        run = ledger.unpaid_streak(member_id, joined_on, last_paid.get(member_id), month)
        result.rows.append(RollRow(
            member_id=member_id, name=name, branch=short or full_name, branch_code=code,
            status=status_labels.get(status, status),
            income_type=INCOME_LABELS.get(profile.income_type, "") if profile else "",
            base=profile.base if profile else None,
            due=ledger.due(member_id, path, month),
            paid=payment[0] if payment else None, paid_on=payment[1] if payment else None,
            late_months=payment[2] if payment else 0,
            relief=(("免交" if relief.kind == Exemption.Kind.EXEMPT else f"减交至{relief.reduced}元") if relief else ""),
            streak=run, level=level_of(run), transfer_out=member_id in leaving))
    return result


@dataclass
class SummaryRow:
    org: Organisation
    members: int = 0
    due_total: Decimal = Decimal("0.00")
    paid_count: int = 0
    paid_total: Decimal = Decimal("0.00")
    unpaid_count: int = 0
    warned_count: int = 0

    @property
    def rate(self) -> str:
        return f"{self.paid_count * 100 // self.members}%" if self.members else "—"


def summary(*, actor, org: Organisation, month: date) -> tuple[list[SummaryRow], SummaryRow]:
    """The committee's view: one row per direct sub-organisation, totals at the end."""
    scoping.require(actor, Action.VIEW, org)
    low, high = org.subtree_bounds()
    children = list(Organisation.objects.filter(depth=org.depth + 1, path__gte=low, path__lte=high)
                    .select_related("type").order_by("path"))
    rows = {child.path: SummaryRow(org=child) for child in children if not child.is_group}
    total = SummaryRow(org=org)
    data = roll(actor=actor, org=org, month=month)
    branch_paths = dict(Organisation.objects.filter(
        code__in={r.branch_code for r in data.rows}).values_list("code", "path"))
    own = SummaryRow(org=org)
    for row in data.rows:
        path = branch_paths[row.branch_code]
        target = rows.get(path[: len(org.path) + Organisation.steplen], own)
        for bucket in (target, total):
            bucket.members += 1
            bucket.due_total += row.due or Decimal("0")
            if row.is_paid:
                bucket.paid_count += 1
                bucket.paid_total += row.paid
            elif row.due:
                bucket.unpaid_count += 1
            if row.level:
                bucket.warned_count += 1
    result = list(rows.values())
    if own.members:
        result.insert(0, own)
    return result, total


@dataclass
class MemberDues:
    member: Member
    bases: list
    payments: list
    exemptions: list
    extra: list
    current_due: Decimal | None
    streak: int | None
    level: str

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, "")


def member_dues(*, actor, member: Member, upto: date | None = None) -> MemberDues:
    """A member's whole dues record as the actor may see it. A member reading their own record (found through
    member_for_self_or) sees all of it even without a role at the branch."""
    upto = upto or months.this_month()
    action = Action.VIEW
    own = bool(getattr(actor, "pk", None)) and member.user_id == actor.pk
    if own and not scoping.can(actor, action, member.branch):
        bases = list(DuesBase.internal.filter(member=member))
        payments = list(DuesPayment.internal.filter(member=member).select_related("org"))
        exemptions = list(Exemption.internal.filter(member=member))
        extra = list(ExtraPayment.internal.filter(member=member))
    else:
        bases = list(DuesBase.objects.visible_to(actor, action).filter(member=member))
        payments = list(DuesPayment.objects.visible_to(actor, action).filter(member=member).select_related("org"))
        exemptions = list(Exemption.objects.visible_to(actor, action).filter(member=member))
        extra = list(ExtraPayment.objects.visible_to(actor, action).filter(member=member))
    reliefs = [Relief(e.kind, e.reduced_amount, e.from_month, e.to_month) for e in exemptions]
    profiles = [Profile(b.effective_month, b.income_type, b.base, b.chosen_amount, b.period, b.period_approved_on)
                for b in sorted(bases, key=lambda b: b.effective_month)]
    ledger = Ledger(bases={member.pk: profiles}, reliefs={member.pk: reliefs},
                    rounding=rounding_map([member.branch.path]))
    last_paid = max((p.month for p in payments if p.month <= upto), default=None)
    run = ledger.unpaid_streak(member.pk, member.joined_on, last_paid, upto)
    return MemberDues(member=member, bases=bases, payments=payments, exemptions=exemptions, extra=extra,
                      current_due=ledger.due(member.pk, member.branch.path, upto), streak=run, level=level_of(run))


def org_choices(actor, action: str = Action.VIEW):
    """Committees and branches the actor can open dues pages for (not party groups)."""
    return [org for org in scoping.organisations(actor, action).order_by("path") if not org.is_group]


def payments_by_month(payments) -> dict:
    grouped = defaultdict(list)
    for payment in payments:
        grouped[payment.month].append(payment)
    return grouped
