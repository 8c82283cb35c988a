"""组织关系转接 (ZB-28, ZJ-01…04): issuing a letter, receiving it, recording one from outside.

The sending branch stays responsible until the receiving one records receipt (ZB-28): until then the member is
still on the old branch's roster, shown as 转出未接收. On receipt inside the system the member moves to the new
branch (Member.branch, party group cleared); on a 回执 from outside the member leaves the system (Member.left_on).
Member belongs to the people app; this module changes only those fields, through Member.objects.unscoped(), with an audit
entry, because the move is the transfer's own effect.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from zhibu.audit import services as audit
from zhibu.core import events, months
from zhibu.dues.ledger import letter_valid_months
from zhibu.dues.models import DuesPayment
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.people.models import Member

from .models import Transfer


def add_months(day: date, count: int) -> date:
    return months.shift(day, count)


def _who(actor):
    return actor if getattr(actor, "pk", None) else None


def _last_paid_month(actor, member: Member) -> date | None:
    return (
        DuesPayment.objects.visible_to(actor, Action.MEMBERS)
        .filter(member=member)
        .aggregate(last=Max("month"))["last"]
    )


def _save(transfer: Transfer) -> None:
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError as exc:
        raise ValidationError({"member": "该党员已有一份尚未接收的组织关系介绍信，请先接收或撤回。"}) from exc


@transaction.atomic
def transfer_issue(
    *,
    actor,
    member: Member,
    issued_on: date,
    to_org: Organisation | None = None,
    outside_org: str = "",
    serial: str = "",
    channel: str = Transfer.Channel.PAPER,
    reason: str = "",
    dues_paid_to: date | None = None,
    valid_until: date | None = None,
) -> Transfer:
    """The member's branch issues a transfer: to another branch in the system (`to_org`) or outside it."""
    scoping.require(actor, Action.MEMBERS, member.branch)
    if not member.is_party_member:
        raise ValidationError(
            {"member": f"{member.name}不是党员（{member.get_status_display()}），没有组织关系可转。"}
        )
    if member.left_on:
        raise ValidationError({"member": f"{member.name}已于{member.left_on:%Y-%m-%d}离开本支部。"})
    if to_org is not None and to_org.pk == member.branch_id:
        raise ValidationError(
            {
                "to_org": "不能把组织关系转到本支部（转出与接收党组织相同；《中国共产党党员教育管理工作条例》第二十五条）。"
            }
        )
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": "开具日期不能晚于今天。"})
    if (
        Transfer.objects.visible_to(actor, Action.MEMBERS)
        .filter(member=member, status=Transfer.Status.ISSUED)
        .exists()
    ):
        raise ValidationError({"member": "该党员已有一份尚未接收的组织关系介绍信，请先接收或撤回。"})
    transfer = Transfer(
        member=member,
        member_name=member.name,
        kind=Transfer.Kind.INTERNAL if to_org else Transfer.Kind.OUT,
        from_org=member.branch,
        to_org=to_org,
        outside_org="" if to_org else outside_org,
        serial=serial,
        channel=channel,
        reason=reason,
        dues_paid_to=months.first(dues_paid_to) if dues_paid_to else _last_paid_month(actor, member),
        issued_on=issued_on,
        valid_until=valid_until or add_months(issued_on, letter_valid_months(member.branch)),
        issued_by=_who(actor),
    )
    transfer.full_clean(validate_constraints=False)
    _save(transfer)
    audit.log(
        actor=actor,
        verb="transfer.issue",
        target=transfer,
        org_path=member.branch.path,
        detail={
            "member": member.pk,
            "to": to_org.code if to_org else outside_org,
            "serial": serial,
            "valid_until": transfer.valid_until,
        },
    )
    return transfer


def _refuse_expired(transfer: Transfer, received_on: date) -> None:
    if received_on > transfer.valid_until:
        raise ValidationError(
            {
                "received_on": f"介绍信已过有效期（有效期至{transfer.valid_until:%Y-%m-%d}），"
                "请转出党组织重新开具（介绍信已过有效期）。"
            }
        )


def _locked(actor, pk: int) -> Transfer:
    transfer = (
        Transfer.objects.visible_to(actor, Action.VIEW)
        .select_for_update(of=("self",))
        .select_related("member", "from_org", "to_org")
        .filter(pk=pk)
        .first()
    )
    if transfer is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return transfer


@transaction.atomic
def transfer_receive(*, actor, transfer: Transfer, received_on: date) -> Transfer:
    """Record receipt. Inside the system the receiving branch does this and the member moves; for a letter to
    outside, the sending branch records the 回执 and the member leaves the roster."""
    transfer = _locked(actor, transfer.pk)
    responsible = transfer.to_org if transfer.kind == Transfer.Kind.INTERNAL else transfer.from_org
    scoping.require(actor, Action.MEMBERS, responsible)
    if transfer.status != Transfer.Status.ISSUED:
        raise ValidationError({"status": f"该介绍信的状态是“{transfer.get_status_display()}”，不能再接收。"})
    if received_on < transfer.issued_on:
        raise ValidationError({"received_on": "接收日期不能早于开具日期。"})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "接收日期不能晚于今天。"})
    _refuse_expired(transfer, received_on)
    transfer.status = Transfer.Status.RECEIVED
    transfer.received_on = received_on
    transfer.received_by = _who(actor)
    transfer.full_clean(validate_constraints=False)
    transfer.save()
    member = transfer.member
    if transfer.kind == Transfer.Kind.INTERNAL:
        Member.objects.unscoped().filter(pk=member.pk).update(
            branch=transfer.to_org, party_group=None, updated_at=timezone.now()
        )
        events.announce(events.ROSTER, org_ids=[transfer.to_org.pk])
        change = {"branch": [transfer.from_org.code, transfer.to_org.code], "party_group": "cleared"}
    else:
        Member.objects.unscoped().filter(pk=member.pk).update(left_on=received_on, updated_at=timezone.now())
        change = {"left_on": received_on}
    events.announce(events.ROSTER, org_ids=[transfer.from_org.pk])
    audit.log(
        actor=actor,
        verb="transfer.receive",
        target=transfer,
        org_path=responsible.path,
        detail={"member": member.pk, "received_on": received_on, **change},
    )
    return transfer


@transaction.atomic
def transfer_cancel(*, actor, transfer: Transfer) -> Transfer:
    """The sending branch withdraws a letter not yet received (e.g. expired, to be issued again)."""
    transfer = _locked(actor, transfer.pk)
    if transfer.from_org is None:
        raise ValidationError({"status": "从系统外转入的记录不能撤回。"})
    scoping.require(actor, Action.MEMBERS, transfer.from_org)
    if transfer.status != Transfer.Status.ISSUED:
        raise ValidationError({"status": f"该介绍信的状态是“{transfer.get_status_display()}”，不能撤回。"})
    transfer.status = Transfer.Status.CANCELLED
    transfer.save(update_fields=["status"])
    audit.log(
        actor=actor,
        verb="transfer.cancel",
        target=transfer,
        org_path=transfer.from_org.path,
        detail={"member": transfer.member_id},
    )
    return transfer


@transaction.atomic
def transfer_in_record(
    *,
    actor,
    member: Member,
    outside_org: str,
    issued_on: date,
    received_on: date,
    serial: str = "",
    channel: str = Transfer.Channel.PAPER,
    dues_paid_to: date | None = None,
    valid_until: date | None = None,
    reason: str = "",
) -> Transfer:
    """A letter from an organisation outside the system, for a member already added to the receiving roster."""
    scoping.require(actor, Action.MEMBERS, member.branch)
    transfer = Transfer(
        member=member,
        member_name=member.name,
        kind=Transfer.Kind.IN,
        from_org=None,
        to_org=member.branch,
        outside_org=outside_org,
        serial=serial,
        channel=channel,
        reason=reason,
        dues_paid_to=months.first(dues_paid_to) if dues_paid_to else None,
        issued_on=issued_on,
        valid_until=valid_until or add_months(issued_on, letter_valid_months(member.branch)),
        received_on=received_on,
        status=Transfer.Status.RECEIVED,
        received_by=_who(actor),
        issued_by=_who(actor),
    )
    transfer.full_clean(validate_constraints=False)
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "接收日期不能晚于今天。"})
    _refuse_expired(transfer, received_on)
    transfer.save()
    audit.log(
        actor=actor,
        verb="transfer.in",
        target=transfer,
        org_path=member.branch.path,
        detail={"member": member.pk, "from": outside_org, "serial": serial},
    )
    return transfer


# Reads -------------------------------------------------------------------------------------------------------


def visible(actor) -> QuerySet[Transfer]:
    return Transfer.objects.visible_to(actor, Action.VIEW).select_related("from_org", "to_org", "member")


def transfer_for(actor, pk: int) -> Transfer:
    transfer = visible(actor).filter(pk=pk).first()
    if transfer is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return transfer


def can_receive(actor, transfer: Transfer) -> bool:
    if transfer.status != Transfer.Status.ISSUED:
        return False
    responsible = transfer.to_org if transfer.kind == Transfer.Kind.INTERNAL else transfer.from_org
    return scoping.can(actor, Action.MEMBERS, responsible)


def can_cancel(actor, transfer: Transfer) -> bool:
    return (
        transfer.status == Transfer.Status.ISSUED
        and transfer.from_org is not None
        and scoping.can(actor, Action.MEMBERS, transfer.from_org)
    )


def incoming_pending(actor) -> list[Transfer]:
    """Letters waiting for the actor's branches to receive them."""
    rows = visible(actor).filter(status=Transfer.Status.ISSUED, kind=Transfer.Kind.INTERNAL)
    return [t for t in rows if scoping.can(actor, Action.MEMBERS, t.to_org)]


def leaving_member_ids(actor, action: str, org: Organisation) -> set[int]:
    """Members of the organisation's subtree (by their branch) with a letter issued and not yet received, among
    the transfers the actor may see for `action`: the dues roll's 转出未接收 mark."""
    low, high = org.subtree_bounds()
    return set(
        Transfer.objects.visible_to(actor, action)
        .filter(
            status=Transfer.Status.ISSUED,
            member__branch__path__gte=low,
            member__branch__path__lte=high,
        )
        .values_list("member_id", flat=True)
    )


def pending_member_ids(actor, org: Organisation) -> set[int]:
    """Members of the organisation's subtree with a letter issued and not yet received: 转出未接收."""
    low, high = org.subtree_bounds()
    return set(
        Transfer.objects.visible_to(actor, Action.VIEW)
        .filter(
            status=Transfer.Status.ISSUED,
            from_org__path__gte=low,
            from_org__path__lte=high,
        )
        .values_list("member_id", flat=True)
    )
