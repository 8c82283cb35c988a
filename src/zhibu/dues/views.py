from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhibu.core import hooks, months
from zhibu.core.web import form_status, page, paginate, submit
from zhibu.orgs import scoping
from zhibu.orgs.roles import Action
from zhibu.people.models import Member

from . import selectors, services, xlsx
from .brackets import describe, ruleset_for
from .forms import BaseForm, ExemptionForm, ExtraForm, ImportForm, PaymentForm, SettingsForm
from .models import DuesSettings

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month(request: HttpRequest, org):
    """The ?month= of a page, or the latest month with payments; a bad value answers 400 with the reason."""
    try:
        if request.GET.get("month"):
            return months.parse(request.GET.get("month")), ""
        return selectors.default_month(request.user, org), ""
    except ValidationError as exc:
        return months.this_month(), exc.messages[0]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    orgs = selectors.org_choices(request.user)
    own = scoping.own_member(request.user)
    return render(
        request,
        "dues/index.html",
        {
            "orgs": orgs,
            "own": own,
            "rules": describe(ruleset_for(months.this_month())),
            "ruleset": ruleset_for(months.this_month()),
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The member's own 党费 page, for the menu."""
    own = scoping.own_member(request.user)
    if own is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return redirect("dues:member", pk=own.pk)


@login_required
def roll(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.VIEW, code)
    month, error = _month(request, org)
    data = selectors.roll(actor=request.user, org=org, month=month)
    actions = scoping.actions_at(request.user, org)
    return page(
        request,
        "dues/roll.html",
        {
            "org": org,
            "roll": data,
            "rows": paginate(request, data.rows, per_page=200),
            "error": error,
            "month": month,
            "prev": months.add(month, -1),
            "next": months.add(month, 1),
            "can_export": Action.EXPORT in actions,
            "can_edit": Action.MEMBERS in actions and org.is_branch,
            "can_configure": Action.ORG in actions,
        },
        status=400 if error else 200,
    )


@login_required
def roll_export(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.EXPORT, code)
    month, error = _month(request, org)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    name, content = xlsx.roll_export(actor=request.user, org=org, month=month)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def summary(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.VIEW, code)
    month, error = _month(request, org)
    rows, total = selectors.summary(actor=request.user, org=org, month=month)
    return page(
        request,
        "dues/summary.html",
        {
            "org": org,
            "rows": rows,
            "total": total,
            "month": month,
            "month_label": months.label(month),
            "prev": months.add(month, -1),
            "next": months.add(month, 1),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def payments_import(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.MEMBERS, code)
    if request.GET.get("template"):
        response = HttpResponse(xlsx.import_template(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="dues-import-template.xlsx"'
        return response
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            count = xlsx.payments_import(actor=request.user, org=org, content=form.cleaned_data["file"])
        except xlsx.ImportRejected as exc:
            row_errors = exc.rows
            form.add_error(None, f"导入未完成：共 {len(exc.rows)} 处问题，没有保存任何一行。")
        else:
            messages.success(request, f"已导入 {count} 条党费交纳记录。")
            return redirect("dues:roll", code=org.code)
    return render(
        request,
        "dues/import.html",
        {"org": org, "form": form, "row_errors": row_errors},
        status=400 if form.errors else 200,
    )


@login_required
def org_settings(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.ORG, code)
    current = DuesSettings.objects.for_org(org).filter(org=org).first()
    initial = {
        "rounding": current.rounding if current else "0.01",
        "letter_valid_months": current.letter_valid_months if current else 3,
    }
    form = SettingsForm(request.POST or None, initial=initial)
    done = submit(
        request,
        form,
        lambda data: services.settings_update(actor=request.user, org=org, **data),
        success="党费设置已保存。",
        then=lambda _: redirect("dues:settings", code=org.code),
    )
    return done or render(
        request,
        "dues/settings.html",
        {"org": org, "form": form, "own": current is not None},
        status=form_status(form),
    )


# One member ------------------------------------------------------------------------------------------------

MEMBER_FORMS = {"base": BaseForm, "payment": PaymentForm, "exemption": ExemptionForm, "extra": ExtraForm}


def member_page(request, member: Member, bound: dict | None = None, status: int = 200) -> HttpResponse:
    """One member's dues page. Other apps add panels (transfers, contacts, 流动党员) through a hook; `bound`
    holds a form that failed validation, by its prefix, for this page or for a panel."""
    record = selectors.member_dues(actor=request.user, member=member)
    can_edit = scoping.can(request.user, Action.MEMBERS, member.branch)
    forms = {name: cls(prefix=name) for name, cls in MEMBER_FORMS.items()} if can_edit else {}
    forms.update({name: form for name, form in (bound or {}).items() if name in MEMBER_FORMS})
    panels = [
        panel
        for answer in hooks.answers(hooks.DUES_MEMBER_PANELS, request, member, can_edit, bound or {})
        for panel in answer
    ]
    return render(
        request,
        "dues/member.html",
        {"member": member, "record": record, "forms": forms, "can_edit": can_edit, "panels": panels},
        status=status,
    )


@login_required
def member(request: HttpRequest, pk: int) -> HttpResponse:
    return member_page(request, selectors.member_for_self_or(request.user, Action.VIEW, pk))


def member_form_post(
    request: HttpRequest,
    pk: int,
    name: str,
    form_class: type[forms.Form],
    call: Callable[[Member, dict], str],
) -> HttpResponse:
    """Post one form of the member's dues page (this app's, or a panel's: membership's contact and 流动党员 forms):
    `call(member, cleaned data)` does the work and returns the message; back to the page, or the page again
    with the bound form under its prefix `name` and status 400."""
    target = selectors.member_for(request.user, Action.MEMBERS, pk)
    form = form_class(request.POST, prefix=name)
    done = submit(
        request,
        form,
        lambda data: call(target, data),
        success=lambda text: text,
        then=lambda _: redirect("dues:member", pk=target.pk),
    )
    return done or member_page(request, target, {name: form}, status=400)


@login_required
@require_POST
def base_set(request: HttpRequest, pk: int) -> HttpResponse:
    def call(target, data):
        services.base_set(actor=request.user, member=target, **data)
        return "党费基数已保存。"

    return member_form_post(request, pk, "base", MEMBER_FORMS["base"], call)


@login_required
@require_POST
def payment_record(request: HttpRequest, pk: int) -> HttpResponse:
    def call(target, data):
        rows = services.payment_record(actor=request.user, member=target, **data)
        return f"已登记 {'、'.join(months.label(r.month) for r in rows)} 党费，共 {sum(r.amount for r in rows)} 元。"

    return member_form_post(request, pk, "payment", MEMBER_FORMS["payment"], call)


@login_required
@require_POST
def exemption_add(request: HttpRequest, pk: int) -> HttpResponse:
    def call(target, data):
        services.exemption_add(actor=request.user, member=target, **data)
        return "减免记录已保存。"

    return member_form_post(request, pk, "exemption", MEMBER_FORMS["exemption"], call)


@login_required
@require_POST
def extra_add(request: HttpRequest, pk: int) -> HttpResponse:
    def call(target, data):
        row = services.extra_add(actor=request.user, member=target, **data)
        return "自愿多交党费已登记" + ("，一次 1000 元以上，全额上缴中央。" if row.to_centre else "。")

    return member_form_post(request, pk, "extra", MEMBER_FORMS["extra"], call)
