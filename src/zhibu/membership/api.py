"""组织关系转接 and the member watch over REST (under /api/v1/dues/, where they were before the split)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from ninja import Router, Schema

from zhibu.core import months
from zhibu.core.apischema import Id
from zhibu.dues import selectors
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action

from . import transfers, watch
from .models import Transfer

router = Router(tags=["组织关系与党员预警"])


@router.get("/orgs/{code}/watch", url_name="dues_watch")
def watch_list(request, code: str, on: date | None = None):
    org = scoping.get_org(request.user, Action.VIEW, code)
    return [
        {
            "member_id": w.member_id,
            "name": w.name,
            "branch": w.branch,
            "topic": w.topic,
            "months": w.months,
            "level": w.level,
            "rule": w.rule,
            "text": w.text,
        }
        for w in watch.watch(actor=request.user, org=org, on=on)
    ]


class ContactIn(Schema):
    contacted_on: date
    way: str = ""
    note: str = ""


@router.post("/members/{pk}/contacts", url_name="dues_contact_add")
def contact_add(request, pk: Id, payload: ContactIn):
    target = selectors.member_for(request.user, Action.MEMBERS, pk)
    row = watch.contact_add(actor=request.user, member=target, **payload.dict())
    return {"id": row.pk}


def _transfer(t: Transfer) -> dict:
    return {
        "id": t.pk,
        "member_id": t.member_id,
        "name": t.member_name,
        "kind": t.kind,
        "from": t.from_org.code if t.from_org_id else t.outside_org,
        "to": t.to_org.code if t.to_org_id else t.outside_org,
        "serial": t.serial,
        "dues_paid_to": f"{t.dues_paid_to:%Y-%m}" if t.dues_paid_to else None,
        "issued_on": t.issued_on,
        "valid_until": t.valid_until,
        "received_on": t.received_on,
        "status": t.status,
        "expired": t.expired,
    }


@router.get("/transfers", url_name="dues_transfers")
def transfer_list(request, status: str | None = None):
    rows = transfers.visible(request.user)
    if status:
        rows = rows.filter(status=status)
    return [_transfer(t) for t in rows[:500]]


class TransferIn(Schema):
    issued_on: date
    to_org: str | None = None
    outside_org: str = ""
    serial: str = ""
    channel: str = Transfer.Channel.PAPER
    reason: str = ""
    dues_paid_to: str | None = None
    valid_until: date | None = None


@router.post("/members/{pk}/transfers", url_name="dues_transfer_issue")
def transfer_issue(request, pk: Id, payload: TransferIn):
    target = selectors.member_for(request.user, Action.MEMBERS, pk)
    data = payload.dict()
    code = data.pop("to_org")
    to_org = None
    if code:
        to_org = Organisation.objects.select_related("type").filter(code=code).first()
        if to_org is None or not to_org.is_branch:
            raise ValidationError({"to_org": f"没有代码为 {code} 的党支部。"})
    if data["dues_paid_to"]:
        data["dues_paid_to"] = months.parse(data["dues_paid_to"], field="dues_paid_to")
    transfer = transfers.transfer_issue(actor=request.user, member=target, to_org=to_org, **data)
    return _transfer(transfer)


class ReceiveIn(Schema):
    received_on: date


@router.post("/transfers/{pk}/receive", url_name="dues_transfer_receive")
def transfer_receive(request, pk: Id, payload: ReceiveIn):
    transfer = transfers.transfer_for(request.user, pk)
    return _transfer(
        transfers.transfer_receive(actor=request.user, transfer=transfer, received_on=payload.received_on)
    )
