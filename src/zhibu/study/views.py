"""Study pages: parse, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from zhibu.core.web import apply_errors, page, paginate
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation, OrgType
from zhibu.orgs.roles import Action
from zhibu.records.models import Activity

from . import selectors, services
from .forms import ImportForm, NoteForm, RankingSwitchForm, TargetForm
from .models import POLITICAL_STUDY, RankingSetting, StudyTarget


def _previous_month() -> tuple[int, int]:
    today = timezone.localdate()
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def _bad_input(request, template: str, context: dict, exc: ValidationError) -> HttpResponse:
    return page(request, template, {**context, "input_errors": exc.messages}, status=400)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    org = scoping.home_org(request.user)
    if org is None or not scoping.can(request.user, Action.SCHEDULE, org):
        raise Http404("没有可访问的党组织。")
    return redirect("study:overview", code=org.code)


@login_required
def overview(request: HttpRequest, code: str) -> HttpResponse:
    org = selectors.get_org_any(request.user, code)
    actions = scoping.actions_at(request.user, org)
    year, month = _previous_month()
    context = {
        "org": org,
        "actions": actions,
        "year": year,
        "month": month,
        "rankings_on": selectors.rankings_enabled(org),
        "this_year": timezone.localdate().year,
    }
    if org.is_branch:
        context["latest"] = selectors.latest_day(request.user, org) if Action.SCHEDULE in actions else None
        context["own_rank"] = selectors.branch_rank(org, year, month) if context["rankings_on"] else None
        context["target"] = (
            StudyTarget.objects.visible_to(request.user, Action.SCHEDULE).filter(org=org).first()
        )
    else:
        branches = (
            scoping.organisations(request.user, Action.SCHEDULE)
            .filter(selectors.subtree(org), type__level=OrgType.Level.BRANCH, dissolved_on__isnull=True)
            .order_by("path")
        )
        context["branches"] = paginate(request, branches, 50)
    return page(request, "study/overview.html", context)


@login_required
def import_view(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.RECORD, code)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.study_import(actor=request.user, org=org, file=upload, filename=upload.name)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已导入 {report.saved} 条积分记录。")
    return page(
        request,
        "study/import.html",
        {"org": org, "form": form, "report": report},
        status=400 if form.errors else 200,
    )


def _daily_context(request: HttpRequest, code: str):
    org = scoping.get_org(request.user, Action.SCHEDULE, code)
    if not org.is_branch:
        return org, None
    default = selectors.latest_day(request.user, org) or timezone.localdate()
    day = selectors.parse_day(request.GET.get("date"), default)
    return org, selectors.daily(request.user, org, day)


@login_required
def daily(request: HttpRequest, code: str) -> HttpResponse:
    try:
        org, sheet = _daily_context(request, code)
    except ValidationError as exc:
        org = scoping.get_org(request.user, Action.SCHEDULE, code)
        return _bad_input(request, "study/daily.html", {"org": org, "sheet": None}, exc)
    if sheet is None:
        return redirect("study:overview", code=org.code)
    context = {
        "org": org,
        "sheet": sheet,
        "previous": sheet.day.fromordinal(sheet.day.toordinal() - 1),
        "next": sheet.day.fromordinal(sheet.day.toordinal() + 1),
        "today": timezone.localdate(),
        "share_url": request.build_absolute_uri(
            reverse("study:daily", args=[org.code]) + f"?date={sheet.day:%Y-%m-%d}"
        ),
    }
    return page(request, "study/daily.html", context, partial="study/_daily.html")


@login_required
def daily_svg(request: HttpRequest, code: str) -> HttpResponse:
    try:
        org, sheet = _daily_context(request, code)
    except ValidationError as exc:
        return HttpResponse("；".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    if sheet is None:
        raise Http404("每日学习情况按党支部公布。")
    line = 30
    rows = [{"y": 120 + i * line, **vars(r)} for i, r in enumerate(sheet.rows)]
    height = 150 + max(len(rows), 1) * line
    response = page(request, "study/daily.svg", {"org": org, "sheet": sheet, "rows": rows, "height": height})
    response["Content-Type"] = "image/svg+xml; charset=utf-8"
    response["Content-Disposition"] = f'inline; filename="study-{org.code}-{sheet.day:%Y%m%d}.svg"'
    return response


@login_required
def ranking(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.VIEW, code)
    if not selectors.rankings_enabled(org):
        raise Http404("本组织未开启学习排名。")
    context = {"org": org}
    try:
        year, month = selectors.parse_month(request.GET.get("month"), _previous_month())
    except ValidationError as exc:
        return _bad_input(request, "study/ranking.html", {**context, "rows": None}, exc)
    rows = selectors.ranking(request.user, org, year, month)
    context.update(
        rows=rows,
        year=year,
        month=month,
        month_value=f"{year:04d}-{month:02d}",
        own_rank=selectors.branch_rank(org, year, month) if org.is_branch else None,
        parent=Organisation.objects.get_parent(org) if org.is_branch else None,
    )
    return page(request, "study/ranking.html", context, partial="study/_ranking.html")


@login_required
def ranking_switch(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.SUPERVISE, code)
    own = RankingSetting.objects.visible_to(request.user, Action.SUPERVISE).filter(org=org).first()
    form = RankingSwitchForm(
        request.POST or None, initial={"enabled": own.enabled if own else selectors.rankings_enabled(org)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.ranking_switch(actor=request.user, org=org, enabled=form.cleaned_data["enabled"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, "学习排名已开启。" if form.cleaned_data["enabled"] else "学习排名已关闭。"
            )
            return redirect("study:ranking_switch", code=org.code)
    return page(
        request,
        "study/ranking_switch.html",
        {"org": org, "form": form, "own": own, "effective": selectors.rankings_enabled(org)},
        status=400 if form.errors else 200,
    )


@login_required
def target(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.RECORD, code)
    current = StudyTarget.objects.visible_to(request.user, Action.RECORD).filter(org=org).first()
    form = TargetForm(
        request.POST or None, initial={"monthly_avg_points": current.monthly_avg_points if current else None}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.target_set(
                actor=request.user, org=org, monthly_avg_points=form.cleaned_data["monthly_avg_points"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "支部学习目标已保存。")
            return redirect("study:overview", code=org.code)
    return page(request, "study/target.html", {"org": org, "form": form}, status=400 if form.errors else 200)


@login_required
def notes(request: HttpRequest, pk: int) -> HttpResponse:
    activity = (
        Activity.objects.visible_to(request.user, Action.SCHEDULE)
        .select_related("org", "org__type", "kind")
        .filter(pk=pk, kind__code=POLITICAL_STUDY)
        .first()
    )
    if activity is None:
        raise Http404("政治学习记录不存在或无权访问。")
    members = selectors.note_members(request.user, activity)
    chosen = None
    if request.method == "GET" and request.GET.get("member", "").isdigit():
        chosen = members.filter(pk=int(request.GET["member"])).first()
    elif request.method == "GET":
        chosen = members.first() if members.count() == 1 else None
    initial = {}
    if chosen is not None:
        entry = next(
            (e for e in selectors.session_notes(request.user, activity) if e["member"].pk == chosen.pk), None
        )
        initial = {"member": chosen.pk, "text": entry["note"].text if entry and entry["note"] else ""}
    form = NoteForm(request.POST or None, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.note_save(
                actor=request.user,
                activity=activity,
                member=form.cleaned_data["member"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已保存 {form.cleaned_data['member'].name} 的学习笔记。")
            return redirect("study:notes", pk=activity.pk)
    editable = {m.pk for m in members}
    entries = selectors.session_notes(request.user, activity)
    for entry in entries:
        entry["editable"] = entry["member"].pk in editable
    return page(
        request,
        "study/notes.html",
        {
            "activity": activity,
            "form": form,
            "entries": entries,
            "can_write": bool(editable),
            "total": sum(e["note"].han_count for e in entries if e["note"]),
        },
        status=400 if form.errors else 200,
    )


@login_required
def notes_summary(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.VIEW, code)
    try:
        year = selectors.parse_year(request.GET.get("year"), timezone.localdate().year)
    except ValidationError as exc:
        return _bad_input(request, "study/notes_summary.html", {"org": org, "summary": None}, exc)
    summary = selectors.notes_summary(request.user, org, year)
    return page(
        request,
        "study/notes_summary.html",
        {"org": org, "summary": summary, "year": year, "previous_year": year - 1, "next_year": year + 1},
    )
