"""Pages of 工作纪实: an overview per organisation and year, and one generic list / form / detail / delete for
every record type in kinds.KINDS, plus the ledger actions (problem status, plan progress) and space photos."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhibu.core import uploads
from zhibu.core.web import apply_errors, flash_saved, page, paginate
from zhibu.orgs import scoping
from zhibu.orgs.roles import Action

from . import forms, imports, kinds, selectors, services
from .models import Plan, Problem, Space, SpacePhoto


def _year(request: HttpRequest, default: int | None = None) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return default or date.today().year


def _object(actor, kind: kinds.Kind, pk: int, action: str):
    """A record through the scope (404 outside it)."""
    return get_object_or_404(kind.model.objects.visible_to(actor, action).select_related(*kind.select), pk=pk)


def _list_url(kind: kinds.Kind, org, year: int | None) -> str:
    url = reverse("work:list", args=[org.code, kind.slug])
    return f"{url}?year={year}" if year else url


@login_required
def index(request: HttpRequest) -> HttpResponse:
    org = scoping.home_org(request.user)
    if org is None or not scoping.can(request.user, Action.VIEW, org):
        org = scoping.organisations(request.user, Action.VIEW).order_by("depth", "path").first()
    if org is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return redirect("work:overview", org.code)


@login_required
def overview(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.VIEW, code)
    year = _year(request)
    figures = selectors.year_figures(request.user, org, year)["values"]
    counts = []
    for kind in kinds.KINDS.values():
        qs = kind.model.objects.visible_to(request.user, Action.VIEW).filter(**{kind.scope_field: org})
        if kind.year is not None:
            qs = qs.filter(kind.year(year))
        counts.append(
            {
                "kind": kind,
                "count": qs.count(),
                "by_year": kind.year is not None,
                "url": _list_url(kind, org, year if kind.year else None),
            }
        )
    context = {
        "org": org,
        "year": year,
        "years": range(date.today().year + 1, date.today().year - 5, -1),
        "figures": figures,
        "counts": counts,
        "can_record": scoping.can(request.user, Action.RECORD, org),
        "previous_problems": selectors.previous_year_problems(request.user, org, year),
        "plan_progress": selectors.plan_progress(request.user, org, year),
    }
    return page(request, "work/overview.html", context)


@login_required
def record_list(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.VIEW, code)
    kind = kinds.get(slug)
    year = _year(request) if kind.year is not None else None
    qs = (
        kind.model.objects.visible_to(request.user, Action.VIEW)
        .filter(**{kind.scope_field: org})
        .select_related(*kind.select)
        .prefetch_related(*kind.prefetch)
    )
    if year is not None:
        qs = qs.filter(kind.year(year))
    rows = paginate(request, qs)
    context = {
        "org": org,
        "kind": kind,
        "year": year,
        "page_obj": rows,
        "rows": [{"obj": obj, "cells": [(c.label, c.value(obj)) for c in kind.columns]} for obj in rows],
        "can_record": scoping.can(request.user, Action.RECORD, org),
        "status_choices": Problem.Status.choices,
    }
    if kind.slug == "problem" and year is not None:
        context["previous_problems"] = selectors.previous_year_problems(request.user, org, year)
    return page(request, "work/record_list.html", context, partial="work/_record_rows.html")


@login_required
def record_create(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.RECORD, code)
    kind = kinds.get(slug)
    form = forms.record_form(kind, actor=request.user, org=org, data=request.POST or None)
    if kind.parent and request.method == "GET" and request.GET.get(kind.parent, "").isdigit():
        form.initial[kind.parent] = int(request.GET[kind.parent])
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.record_create(
                actor=request.user, kind=kind, org=org, data=forms.cleaned(form, kind)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash_saved(request, f"已添加{kind.label}。")
            return redirect("work:detail", kind.slug, obj.pk)
    return page(
        request,
        "work/record_form.html",
        {"org": org, "kind": kind, "form": form, "obj": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def record_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    kind = kinds.get(slug)
    obj = _object(request.user, kind, pk, Action.VIEW)
    org = kind.org_of(obj)
    form = forms.record_form(kind, actor=request.user, org=org, instance=obj)
    facts = []
    for name in kind.fields:
        field = form.fields[name]
        if name in kind.member_sets:
            value = "、".join(m.name for m in getattr(obj, name).all()) or "—"
        elif hasattr(obj, f"get_{name}_display"):
            value = getattr(obj, f"get_{name}_display")()
        else:
            value = getattr(obj, name)
        facts.append((field.label, value if value not in (None, "") else "—"))
    context = {
        "org": org,
        "kind": kind,
        "obj": obj,
        "facts": facts,
        "can_record": scoping.can(request.user, Action.RECORD, org),
    }
    if isinstance(obj, Space):
        context["photos"] = obj.photos.all()
        context["photo_form"] = forms.PhotoForm()
    if kind.slug in ("pair", "team", "selection"):
        context["children"] = _children(request.user, kind, obj)
    if isinstance(obj, Problem):
        context["status_form"] = forms.ProblemStatusForm(
            initial={"status": obj.status, "evidence": obj.evidence}
        )
    if isinstance(obj, Plan):
        context["progress_form"] = forms.PlanProgressForm(
            initial={"progress": obj.progress, "progress_note": obj.progress_note}
        )
    return page(request, "work/record_detail.html", context)


def _children(actor, kind: kinds.Kind, obj) -> list[dict]:
    result = []
    for child in kinds.KINDS.values():
        if child.parent and child.model._meta.get_field(child.parent).related_model is kind.model:
            rows = (
                child.model.objects.visible_to(actor, Action.VIEW)
                .filter(**{child.parent: obj})
                .select_related(*child.select)
                .prefetch_related(*child.prefetch)
            )
            result.append(
                {
                    "kind": child,
                    "rows": [(r, [(c.label, c.value(r)) for c in child.columns]) for r in rows],
                    "add_url": reverse("work:create", args=[kind.org_of(obj).code, child.slug])
                    + f"?{child.parent}={obj.pk}",
                }
            )
    return result


@login_required
def record_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    kind = kinds.get(slug)
    obj = _object(request.user, kind, pk, Action.RECORD)
    org = kind.org_of(obj)
    form = forms.record_form(kind, actor=request.user, org=org, instance=obj, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_update(actor=request.user, kind=kind, obj=obj, data=forms.cleaned(form, kind))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash_saved(request, f"已保存{kind.label}。")
            return redirect("work:detail", kind.slug, obj.pk)
    return page(
        request,
        "work/record_form.html",
        {"org": org, "kind": kind, "form": form, "obj": obj},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def record_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    kind = kinds.get(slug)
    obj = _object(request.user, kind, pk, Action.RECORD)
    org = kind.org_of(obj)
    if request.method == "POST":
        services.record_delete(actor=request.user, kind=kind, obj=obj)
        flash_saved(request, f"已删除{kind.label}。")
        return redirect(_list_url(kind, org, None))
    return page(request, "work/record_delete.html", {"org": org, "kind": kind, "obj": obj})


@login_required
@require_POST
def problem_status(request: HttpRequest, pk: int) -> HttpResponse:
    problem = get_object_or_404(
        Problem.objects.visible_to(request.user, Action.RECORD).select_related("org"), pk=pk
    )
    form = forms.ProblemStatusForm(request.POST)
    if form.is_valid():
        try:
            services.problem_set_status(
                actor=request.user,
                problem=problem,
                status=form.cleaned_data["status"],
                evidence=form.cleaned_data["evidence"] or None,
                closed_on=form.cleaned_data["closed_on"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash_saved(request, f"整改状态已改为“{problem.get_status_display()}”。")
            return redirect("work:detail", "problem", problem.pk)
    problem.refresh_from_db()
    return page(
        request,
        "work/ledger_form.html",
        {
            "org": problem.org,
            "obj": problem,
            "form": form,
            "title": "更新整改状态",
            "action": reverse("work:problem_status", args=[problem.pk]),
            "kind": kinds.get("problem"),
        },
        status=400,
    )


@login_required
@require_POST
def plan_progress(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(
        Plan.objects.visible_to(request.user, Action.RECORD).select_related("org"), pk=pk
    )
    form = forms.PlanProgressForm(request.POST)
    if form.is_valid():
        try:
            services.plan_set_progress(
                actor=request.user,
                plan=plan,
                progress=form.cleaned_data["progress"],
                note=form.cleaned_data["progress_note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash_saved(request, f"进度已更新为 {plan.progress}%。")
            return redirect("work:detail", "plan", plan.pk)
    return page(
        request,
        "work/ledger_form.html",
        {
            "org": plan.org,
            "obj": plan,
            "form": form,
            "title": "更新进度",
            "action": reverse("work:plan_progress", args=[plan.pk]),
            "kind": kinds.get("plan"),
        },
        status=400,
    )


@login_required
@require_POST
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    space = get_object_or_404(
        Space.objects.visible_to(request.user, Action.RECORD).select_related("org"), pk=pk
    )
    form = forms.PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.space_photo_add(actor=request.user, space=space, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash_saved(request, "照片已上传。")
            return redirect("work:detail", "space", space.pk)
    return page(
        request,
        "work/ledger_form.html",
        {
            "org": space.org,
            "obj": space,
            "form": form,
            "title": "上传照片",
            "multipart": True,
            "action": reverse("work:photo_add", args=[space.pk]),
            "kind": kinds.get("space"),
        },
        status=400,
    )


@login_required
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(SpacePhoto.objects.visible_to(request.user, Action.VIEW), pk=pk)
    kind = uploads.BY_CONTENT_TYPE.get(item.content_type)
    return uploads.serve(
        item.file,
        content_type=item.content_type,
        inline=True,
        filename=f"photo-{item.pk}{kind.extension if kind else ''}",
    )


@login_required
@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        SpacePhoto.objects.visible_to(request.user, Action.RECORD).select_related("space__org"), pk=pk
    )
    services.space_photo_delete(actor=request.user, photo=item)
    flash_saved(request, "照片已删除。")
    return redirect("work:detail", "space", item.space_id)


@login_required
def record_import(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.RECORD, code)
    kind = kinds.get(slug)
    if not kind.importable:
        raise Http404("该记录不支持导入。")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            rows = imports.read_rows(kind, actor=request.user, org=org, upload=form.cleaned_data["file"])
            count = services.record_import(actor=request.user, kind=kind, org=org, rows=rows)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash_saved(request, f"已导入 {count} 条{kind.label}。")
            return redirect(_list_url(kind, org, None))
    return page(
        request,
        "work/record_import.html",
        {"org": org, "kind": kind, "form": form, "columns": imports.headers(kind)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def import_template(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.RECORD, code)
    kind = kinds.get(slug)
    if not kind.importable:
        raise Http404("该记录不支持导入。")
    response = HttpResponse(
        imports.template_bytes(kind, org),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="work-{kind.slug}-template.xlsx"'
    return response
