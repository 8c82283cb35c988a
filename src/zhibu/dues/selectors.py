"""Reads shared by the pages, the API and the command line: the monthly roll (收缴表), the committee's summary,
one member's dues record."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Max

from zhibu.core import hooks, months
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.people.models import Member, Status

from . import rawrows
from .brackets import IncomeType, cached_amount
from .ledger import LEVEL_LABELS, Ledger, Profile, Relief, level_of, rounding_map
from .models import DuesBase, DuesPayment, Exemption, ExtraPayment

PARTY_STATUSES = (Status.PROBATIONARY, Status.FULL)
INCOME_LABELS = dict(IncomeType.choices)


def member_for(actor, action: str, pk: int) -> Member:
    """A member inside the actor's scope for that action, or 404."""
    member = (
        Member.objects.visible_to(actor, action)
        .select_related("branch", "branch__type")
        .filter(pk=pk)
        .first()
    )
    if member is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return member


def member_for_self_or(actor, action: str, pk: int) -> Member:
    """Like member_for, but a member may also see their own record."""
    member = Member.objects.visible_to(actor, action).select_related("branch").filter(pk=pk).first()
    if member is None:
        member = Member.objects.own(actor).select_related("branch").filter(pk=pk).first()
    if member is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return member


def subtree_filter(org: Organisation, prefix: str = "member__branch") -> dict:
    low, high = org.subtree_bounds()
    return {f"{prefix}__path__gte": low, f"{prefix}__path__lte": high}


def default_month(actor, org: Organisation) -> date:
    """The month a roll opens on: the latest month with a recorded payment in the subtree, or this month."""
    latest = (
        DuesPayment.objects.visible_to(actor, Action.VIEW)
        .filter(**subtree_filter(org))
        .order_by()
        .aggregate(latest=Max("month"))["latest"]
    )
    now = months.this_month()
    return min(latest, now) if latest else now


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

    Six queries whatever the size of the subtree. The querysets are scoped as everywhere else; their rows are
    fetched as plain tuples (rawrows) and the rules applied inline, because this list reaches 20,000 members
    (tuples cost far less than model instances at that size). The rules are the same as in ledger.Ledger, which the tests
    cross-check."""
    scoping.require(actor, action, org)
    month = months.first(month)
    limit = months.index(month)
    low, high = org.subtree_bounds()
    in_subtree = subtree_filter(org)
    norm = rawrows.Normaliser()
    branches = {
        pk: (path, short or name, code)
        for pk, path, short, name, code in Organisation.objects.filter(
            path__gte=low, path__lte=high
        ).values_list("id", "path", "short_name", "name", "code")
    }
    # The last month paid up to this one, per member: one grouped query over the subtree's payments (a
    # correlated subquery per member behind the scope's joins took minutes on PostgreSQL at 20,000 members).
    last_paid = dict(
        rawrows.fetch(
            DuesPayment.objects.visible_to(actor, action)
            .filter(month__lte=month, **in_subtree)
            .order_by()
            .values("member_id")
            .annotate(last=Max("month"))
            .values_list("member_id", "last")
        )
    )
    member_rows = rawrows.fetch(
        Member.objects.visible_to(actor, action)
        .filter(
            branch__path__gte=low,
            branch__path__lte=high,
            status__in=PARTY_STATUSES,
            left_on__isnull=True,
            standing=Member.Standing.NORMAL,
        )
        .order_by("branch__path", "name_pinyin", "id")
        .values_list("id", "name", "branch_id", "status", "joined_on")
    )
    # The base in force (latest effective month up to this one) and the first base on record, per member.
    current: dict[int, tuple] = {}
    first_base: dict[int, int] = {}
    for member_id, effective, income_type, base, chosen in rawrows.fetch(
        DuesBase.objects.visible_to(actor, action)
        .filter(effective_month__lte=month, **in_subtree)
        .order_by()
        .values_list("member_id", "effective_month", "income_type", "base", "chosen_amount")
    ):
        index = norm.month_index(effective)
        assert index is not None  # effective_month is NOT NULL
        held = current.get(member_id)
        if held is None or index > held[0]:
            current[member_id] = (index, income_type, norm.money(base), norm.money(chosen))
        if index < first_base.get(member_id, index + 1):
            first_base[member_id] = index
    reliefs: dict[int, list] = {}
    for member_id, kind, reduced, start, end in (
        Exemption.objects.visible_to(actor, action)
        .filter(from_month__lte=month, **in_subtree)
        .values_list("member_id", "kind", "reduced_amount", "from_month", "to_month")
    ):
        reliefs.setdefault(member_id, []).append((kind, reduced, months.index(start), months.index(end)))
    rounding = rounding_map({branches[row[2]][0] for row in member_rows}, under=org)
    payments = {
        row[0]: row[1:]
        for row in rawrows.fetch(
            DuesPayment.objects.visible_to(actor, action)
            .filter(month=month, **in_subtree)
            .order_by()
            .values_list("member_id", "amount", "paid_on", "late_months")
        )
    }
    leaving = set().union(*hooks.answers(hooks.MEMBERS_LEAVING, actor, action, org))  # 转出未接收
    status_labels = dict(Status.choices)
    result = Roll(org=org, month=month)
    append = result.rows.append
    nothing = (None, None, 0)
    for member_id, name, branch_id, status, joined_on in member_rows:
        last = last_paid.get(member_id)
        joined = norm.month_index(joined_on)
        if joined is not None and joined > limit:
            continue  # not yet a member that month (DF-09)
        path, branch_label, code = branches[branch_id]
        paid, paid_on, late = payments.get(member_id, nothing)
        covered = norm.month_index(last)
        profile = current.get(member_id)
        due = relief_text = None
        if profile is not None:
            due = cached_amount(profile[1], profile[2], profile[3], month, rounding[path])
        for kind, reduced, start, end in reliefs.get(member_id, ()):
            if kind == Exemption.Kind.EXEMPT:
                covered = max(covered if covered is not None else -1, min(end, limit))
            if start <= limit <= end and due is not None:
                due = Decimal("0.00") if kind == Exemption.Kind.EXEMPT else min(due, reduced)
                relief_text = "免交" if kind == Exemption.Kind.EXEMPT else f"减交至{reduced}元"
        run = None
        if member_id in first_base:
            start = first_base[member_id] if joined is None else max(first_base[member_id], joined)
            first_open = start if covered is None else max(start, covered + 1)
            run = max(0, limit - first_open + 1)
        append(
            RollRow(
                member_id=member_id,
                name=name,
                branch=branch_label,
                branch_code=code,
                status=status_labels.get(status, status),
                income_type=INCOME_LABELS.get(profile[1], "") if profile else "",
                base=profile[2] if profile else None,
                due=due,
                paid=norm.money(paid),
                paid_on=norm.day(paid_on),
                late_months=late or 0,
                relief=relief_text or "",
                streak=run,
                level=level_of(run),
                transfer_out=member_id in leaving,
            )
        )
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
    children = list(
        Organisation.objects.filter(depth=org.depth + 1, path__gte=low, path__lte=high)
        .select_related("type")
        .order_by("path")
    )
    rows = {child.path: SummaryRow(org=child) for child in children if not child.is_group}
    total = SummaryRow(org=org)
    data = roll(actor=actor, org=org, month=month)
    branch_paths = dict(
        Organisation.objects.filter(code__in={r.branch_code for r in data.rows}).values_list("code", "path")
    )
    own = SummaryRow(org=org)
    for row in data.rows:
        path = branch_paths[row.branch_code]
        target = rows.get(Organisation.path_at_depth(path, org.depth + 1), own)
        for bucket in (target, total):
            bucket.members += 1
            bucket.due_total += row.due or Decimal("0")
            if row.paid is not None:
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
    own = scoping.is_own(actor, member)
    if own and not scoping.can(actor, action, member.branch):
        bases = list(DuesBase.objects.unscoped().filter(member=member))
        payments = list(DuesPayment.objects.unscoped().filter(member=member).select_related("org"))
        exemptions = list(Exemption.objects.unscoped().filter(member=member))
        extra = list(ExtraPayment.objects.unscoped().filter(member=member))
    else:
        bases = list(DuesBase.objects.visible_to(actor, action).filter(member=member))
        payments = list(
            DuesPayment.objects.visible_to(actor, action).filter(member=member).select_related("org")
        )
        exemptions = list(Exemption.objects.visible_to(actor, action).filter(member=member))
        extra = list(ExtraPayment.objects.visible_to(actor, action).filter(member=member))
    reliefs = [Relief(e.kind, e.reduced_amount, e.from_month, e.to_month) for e in exemptions]
    profiles = [
        Profile(b.effective_month, b.income_type, b.base, b.chosen_amount, b.period, b.period_approved_on)
        for b in sorted(bases, key=lambda b: b.effective_month)
    ]
    ledger = Ledger(
        bases={member.pk: profiles}, reliefs={member.pk: reliefs}, rounding=rounding_map([member.branch.path])
    )
    last_paid = max((p.month for p in payments if p.month <= upto), default=None)
    run = ledger.unpaid_streak(member.pk, member.joined_on, last_paid, upto)
    return MemberDues(
        member=member,
        bases=bases,
        payments=payments,
        exemptions=exemptions,
        extra=extra,
        current_due=ledger.due(member.pk, member.branch.path, upto),
        streak=run,
        level=level_of(run),
    )


def org_choices(actor, action: str = Action.VIEW):
    """Committees and branches the actor can open dues pages for (not party groups)."""
    return [org for org in scoping.organisations(actor, action).order_by("path") if not org.is_group]


def payments_by_month(payments) -> dict:
    grouped = defaultdict(list)
    for payment in payments:
        grouped[payment.month].append(payment)
    return grouped
