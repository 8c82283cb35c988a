"""Pages of 发展党员纪实: parse → selector/service → render. Scope is resolved before any input is read."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from zhibu.audit import services as audit
from zhibu.core import uploads
from zhibu.core.web import apply_errors, flash_saved, page
from zhibu.orgs import scoping
from zhibu.orgs.roles import Action

from . import documents, forms, selectors, services, voters
from . import ruleset as rs
from .models import HolidayYear, RulesetChoice

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _int(value, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(value)))
    except (TypeError, ValueError):
        return default


@login_required
def index(request: HttpRequest) -> HttpResponse:
    roots = scoping.prefixes(request.user, Action.VIEW)
    if not roots:
        raise Http404("不存在或无权访问。")
    org = scoping.organisations(request.user, Action.VIEW).order_by("depth", "path").first()
    return redirect("development:pipeline", code=org.code)


@login_required
def pipeline(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.VIEW, code)
    days = _int(request.GET.get("days"), 30, 1, 366)
    data = selectors.pipeline(request.user, org, days=days)
    actions = scoping.actions_at(request.user, org)
    return page(
        request,
        "development/pipeline.html",
        {
            **data,
            "can_open": Action.MEMBERS in actions and org.is_branch,
            "can_settings": Action.SUPERVISE in actions,
            "today": services.today(),
        },
    )


@login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.case_get(request.user, pk)
    view = selectors.case_view(request.user, item)
    actions = scoping.actions_at(request.user, item.org)
    return page(
        request,
        "development/case.html",
        {
            "view": view,
            "case": item,
            "can_edit": Action.MEMBERS in actions,
            "can_export": Action.EXPORT in actions,
            "upload_form": forms.UploadForm(),
            "show_id": Action.PII in actions,
        },
    )


def _advance_form(request, item, step_number: int, data=None):
    rules = item.rules
    step = rules.step(step_number)
    groups = selectors.groups_of(item.org)
    return forms.AdvanceForm(
        data,
        step=step,
        ruleset=rules,
        party_members=selectors.party_members(request.user, item.org),
        groups=groups,
        initial={"step": step_number, "on": services.today()},
    )


@login_required
def advance(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.case_get(request.user, pk, Action.MEMBERS)
    view = selectors.case_view(request.user, item)
    if not item.is_open:
        return page(
            request, "development/advance.html", {"case": item, "view": view, "form": None}, status=400
        )
    wanted = _int(request.POST.get("step") or request.GET.get("step"), item.next_step, 1, rs.LAST_STEP)
    allowed = {item.next_step} | ({view.repeat.number} if view.repeat else set())
    step_number = wanted if wanted in allowed else item.next_step
    form = _advance_form(request, item, step_number, request.POST if request.method == "POST" else None)
    roll = None
    if "expected" in item.rules.step(step_number).fields:
        try:
            meeting = date.fromisoformat(request.POST.get("on") or "")
        except ValueError:
            meeting = services.today()
        roll = voters.roll(request.user, item.org, meeting)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.step_record(
                    actor=request.user,
                    case=item,
                    step=step_number,
                    on=form.cleaned_data["on"],
                    details=form.details(),
                    overdue_reason=form.cleaned_data["overdue_reason"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                flash_saved(request, f"已记录第{step_number}步“{item.rules.step(step_number).name}”。")
                return redirect("development:case", pk=item.pk)
        return page(
            request,
            "development/advance.html",
            {"case": item, "view": view, "form": form, "roll": roll, "step": item.rules.step(step_number)},
            status=400,
        )
    return page(
        request,
        "development/advance.html",
        {"case": item, "view": view, "form": form, "roll": roll, "step": item.rules.step(step_number)},
    )


@login_required
def open_case(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.MEMBERS, code)
    applicants = selectors.applicants_without_case(request.user, org)
    form = forms.OpenForm(
        request.POST or None, applicants=applicants, initial={"applied_on": services.today()}
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            person = (
                None
                if data["member"]
                else {"name": data["name"], "id_number": data["id_number"], "post": data["post"]}
            )
            try:
                item = services.case_open(
                    actor=request.user,
                    branch=org,
                    applied_on=data["applied_on"],
                    member=data["member"],
                    person=person,
                    content=data["content"],
                    version=data["version"] or None,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                flash_saved(request, f"已为{item.member.name}建立发展党员纪实。")
                return redirect("development:case", pk=item.pk)
        return page(request, "development/open.html", {"org": org, "form": form}, status=400)
    return page(request, "development/open.html", {"org": org, "form": form})


@login_required
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.record_get(request.user, pk, Action.MEMBERS)
    form = forms.CorrectForm(
        request.POST or None, initial={"on": record.on, "overdue_reason": record.overdue_reason}
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.step_correct(
                    actor=request.user,
                    record=record,
                    on=form.cleaned_data["on"],
                    overdue_reason=form.cleaned_data["overdue_reason"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                flash_saved(request, f"已更正第{record.step}步的日期。")
                return redirect("development:case", pk=record.case_id)
        return page(request, "development/correct.html", {"record": record, "form": form}, status=400)
    return page(request, "development/correct.html", {"record": record, "form": form})


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.case_get(request.user, pk, Action.MEMBERS)
    form = forms.UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_upload(
                actor=request.user,
                case=item,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash_saved(request, "材料已上传。")
            return redirect("development:case", pk=item.pk)
    view = selectors.case_view(request.user, item)
    actions = scoping.actions_at(request.user, item.org)
    return page(
        request,
        "development/case.html",
        {
            "view": view,
            "case": item,
            "can_edit": True,
            "can_export": Action.EXPORT in actions,
            "upload_form": form,
            "show_id": Action.PII in actions,
        },
        status=400,
    )


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.document_get(request.user, pk, Action.MEMBERS)
    audit.log(
        actor=request.user,
        verb="development.document_view",
        target=item.case,
        detail={"document": item.pk, "kind": item.kind},
    )
    return uploads.serve(item.file, content_type=item.content_type, filename=item.name)


def _docx(request, item, data: bytes, name: str, verb: str) -> HttpResponse:
    audit.log(actor=request.user, verb=verb, target=item, detail={"member": item.member.name})
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def register_docx(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.case_get(request.user, pk, Action.EXPORT)
    return _docx(
        request,
        item,
        documents.register(request.user, item),
        f"入党积极分子培养教育考察登记表-{item.member.name}.docx",
        "development.export_register",
    )


@login_required
def notice_docx(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.case_get(request.user, pk, Action.EXPORT)
    start = None
    if request.GET.get("start"):
        try:
            start = date.fromisoformat(request.GET["start"])
        except ValueError:
            start = None
    return _docx(
        request,
        item,
        documents.notice(item, start),
        f"发展对象公示-{item.member.name}.docx",
        "development.export_notice",
    )


@login_required
def rulesets(request: HttpRequest) -> HttpResponse:
    if not scoping.prefixes(request.user, Action.VIEW):
        raise Http404("不存在或无权访问。")
    tables = []
    for rules in rs.RULESETS.values():
        tables.append(
            {
                "rules": rules,
                "steps": [
                    {
                        "step": step,
                        "stage": rs.STAGES[step.stage],
                        "article": rules.cite(step.article),
                        "fields": [rs.FIELDS[f][0] for f in step.fields],
                        "documents": [rs.DOCUMENTS[d] for d in step.documents],
                        "rules": [(r, rules.cite(r.article)) for r in step.rules],
                    }
                    for step in rules.steps.values()
                ],
            }
        )
    return page(request, "development/rulesets.html", {"tables": tables})


@login_required
def org_settings(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.SUPERVISE, code)
    choice = RulesetChoice.objects.visible_to(request.user, Action.SUPERVISE).filter(org=org).first()
    settings_form = forms.SettingsForm(initial={"version": choice.version if choice else ""})
    holiday_form = forms.HolidayForm(initial={"year": services.today().year})
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("form") == "holidays":
                holiday_form = forms.HolidayForm(request.POST)
                if holiday_form.is_valid():
                    data = holiday_form.cleaned_data
                    services.holidays_set(
                        actor=request.user,
                        org=org,
                        year=data["year"],
                        holidays=data["holidays"],
                        workdays=data["workdays"],
                    )
                    flash_saved(request, f"已保存{data['year']}年的节假日安排。")
                    return redirect("development:settings", code=org.code)
            else:
                settings_form = forms.SettingsForm(request.POST)
                if settings_form.is_valid():
                    services.ruleset_choose(
                        actor=request.user, org=org, version=settings_form.cleaned_data["version"] or None
                    )
                    flash_saved(request, "已保存适用细则。")
                    return redirect("development:settings", code=org.code)
        except ValidationError as exc:
            apply_errors(holiday_form if request.POST.get("form") == "holidays" else settings_form, exc)
        status = 400
    years = HolidayYear.objects.visible_to(request.user, Action.SUPERVISE).filter(org=org).order_by("-year")
    return page(
        request,
        "development/settings.html",
        {
            "org": org,
            "settings_form": settings_form,
            "holiday_form": holiday_form,
            "years": years,
            "choice": choice,
        },
        status=status,
    )
