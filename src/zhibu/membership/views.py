"""Pages of 组织关系转接 and the member watch; the contact and 流动党员 forms are panels of the dues member page."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhibu.core.web import form_status, page, submit
from zhibu.dues import selectors
from zhibu.dues.selectors import PARTY_STATUSES, subtree_filter
from zhibu.dues.views import member_form_post
from zhibu.orgs import scoping
from zhibu.orgs.roles import Action
from zhibu.people.models import Member

from . import transfers, watch
from .forms import ContactForm, MobileForm, MobileReturnForm, ReceiveForm, TransferForm, TransferInForm
from .models import MobileRecord, Transfer

PANEL_FORMS = {"contact": ContactForm, "mobile": MobileForm, "mobile_return": MobileReturnForm}


def member_panels(request, member: Member, can_edit: bool, bound: dict) -> list[dict]:
    """The dues member page's panels: the transfer button, the member's letters, the contact and 流动党员 forms."""
    letters = transfers.visible(request.user).filter(member=member)
    panels = [{"where": "history", "template": "membership/_member_letters.html", "letters": letters}]
    if can_edit:
        forms = {name: bound.get(name) or cls(prefix=name) for name, cls in PANEL_FORMS.items()}
        away = (
            MobileRecord.objects.visible_to(request.user, Action.VIEW)
            .filter(member=member, returned_on__isnull=True)
            .first()
        )
        panels.append(
            {"where": "edit", "template": "membership/_member_forms.html", "forms": forms, "away": away}
        )
        if member.is_party_member and not member.left_on:
            panels.append({"where": "actions", "template": "membership/_member_actions.html"})
    return panels


@login_required
@require_POST
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    def call(target, data):
        watch.contact_add(actor=request.user, member=target, **data)
        return "联系记录已保存。"

    return member_form_post(request, pk, "contact", PANEL_FORMS["contact"], call)


@login_required
@require_POST
def mobile_register(request: HttpRequest, pk: int) -> HttpResponse:
    def call(target, data):
        watch.mobile_register(actor=request.user, member=target, **data)
        return "流动党员登记已保存。"

    return member_form_post(request, pk, "mobile", PANEL_FORMS["mobile"], call)


@login_required
@require_POST
def mobile_return(request: HttpRequest, pk: int) -> HttpResponse:
    def call(target, data):
        watch.mobile_return(actor=request.user, member=target, **data)
        return "已登记返回。"

    return member_form_post(request, pk, "mobile_return", PANEL_FORMS["mobile_return"], call)


# Watch -----------------------------------------------------------------------------------------------------


@login_required
def watch_page(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.VIEW, code)
    on, error = timezone.localdate(), ""
    if request.GET.get("on"):
        try:
            on = date.fromisoformat(request.GET["on"])
        except ValueError:
            error = f"日期格式不正确：{request.GET['on']}（应为 YYYY-MM-DD）。"
    warnings = watch.watch(actor=request.user, org=org, on=on)
    topics = {}
    for item in warnings:
        topics.setdefault(item.topic, []).append(item)
    return page(
        request,
        "membership/watch.html",
        {"org": org, "warnings": warnings, "topics": topics, "on": on, "error": error},
        status=400 if error else 200,
    )


# Transfers -------------------------------------------------------------------------------------------------


@login_required
def transfers_index(request: HttpRequest) -> HttpResponse:
    rows = list(transfers.visible(request.user)[:200])
    incoming = [
        t for t in rows if transfers.can_receive(request.user, t) and t.kind == Transfer.Kind.INTERNAL
    ]
    pending = [t for t in rows if t.status == Transfer.Status.ISSUED and t not in incoming]
    history = [t for t in rows if t.status != Transfer.Status.ISSUED]
    branches = [
        o for o in scoping.organisations(request.user, Action.MEMBERS).order_by("path") if o.is_branch
    ]
    return render(
        request,
        "membership/transfers_index.html",
        {"incoming": incoming, "pending": pending, "history": history, "branches": branches},
    )


@login_required
def transfer_new(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.member_for(request.user, Action.MEMBERS, pk)
    form = TransferForm(request.POST or None)

    def issue(data):
        data = {key: value for key, value in data.items() if key not in ("kind", "to_org_code")}
        return transfers.transfer_issue(actor=request.user, member=target, **data)

    done = submit(
        request,
        form,
        issue,
        success="组织关系介绍信已开具，接收前该党员仍在本支部，显示为“转出未接收”。",
        then=lambda transfer: redirect("membership:transfer_detail", pk=transfer.pk),
    )
    return done or render(
        request, "membership/transfer_new.html", {"member": target, "form": form}, status=form_status(form)
    )


@login_required
def transfer_in_new(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.MEMBERS, code)
    members = Member.objects.visible_to(request.user, Action.MEMBERS).filter(
        **subtree_filter(org, "branch"), status__in=PARTY_STATUSES, left_on__isnull=True
    )
    form = TransferInForm(request.POST or None, members=members)
    done = submit(
        request,
        form,
        lambda data: transfers.transfer_in_record(actor=request.user, **data),
        success="已登记从系统外转入的组织关系。",
        then=lambda transfer: redirect("membership:transfer_detail", pk=transfer.pk),
    )
    return done or render(
        request, "membership/transfer_in.html", {"org": org, "form": form}, status=form_status(form)
    )


@login_required
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = transfers.transfer_for(request.user, pk)
    return _transfer_page(request, transfer, ReceiveForm(initial={"received_on": None}))


def _transfer_page(request, transfer: Transfer, form, status: int = 200) -> HttpResponse:
    return render(
        request,
        "membership/transfer_detail.html",
        {
            "transfer": transfer,
            "form": form,
            "can_receive": transfers.can_receive(request.user, transfer),
            "can_cancel": transfers.can_cancel(request.user, transfer),
        },
        status=status,
    )


@login_required
@require_POST
def transfer_receive(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = transfers.transfer_for(request.user, pk)
    responsible = transfer.to_org if transfer.kind == Transfer.Kind.INTERNAL else transfer.from_org
    scoping.require(request.user, Action.MEMBERS, responsible)
    form = ReceiveForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: transfers.transfer_receive(actor=request.user, transfer=transfer, **data),
        success=f"已接收{transfer.member_name}的组织关系。",
        then=lambda _: redirect("membership:transfer_detail", pk=transfer.pk),
    )
    return done or _transfer_page(request, transfer, form, status=400)


@login_required
@require_POST
def transfer_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = transfers.transfer_for(request.user, pk)
    if transfer.from_org is None:
        raise scoping.NotVisible("不存在或无权访问。")
    scoping.require(request.user, Action.MEMBERS, transfer.from_org)
    try:
        transfers.transfer_cancel(actor=request.user, transfer=transfer)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return _transfer_page(request, transfer, ReceiveForm(), status=400)
    messages.success(request, "介绍信已撤回。")
    return redirect("membership:transfer_detail", pk=transfer.pk)
