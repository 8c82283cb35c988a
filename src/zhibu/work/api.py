"""API of 工作纪实: a generic list / create / read / update / delete for every record type (the `kind` path
segment: publicity, service, pair, lesson, post, team, talk, award, selection, winner, reflection, space,
problem, plan), the year's figures, and the ledger actions. Input goes through the same forms and services as
the web pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.shortcuts import get_object_or_404
from ninja import Body, Router, Schema, Status

from zhibu.core.apischema import Id, SmallInt, Year
from zhibu.orgs import scoping
from zhibu.orgs.roles import Action

from . import forms, kinds, selectors, services
from .models import Plan, Problem

router = Router(tags=["工作纪实"])
LIST_LIMIT = 1000


def serialize(kind: kinds.Kind, obj) -> dict[str, Any]:
    data: dict[str, Any] = {"id": obj.pk, "kind": kind.slug, "display": str(obj)}
    for name in kind.fields:
        field = kind.model._meta.get_field(name)
        if field.many_to_many:
            data[name] = [m.pk for m in getattr(obj, name).all()]
        elif field.is_relation:
            data[name] = getattr(obj, f"{name}_id")
        else:
            value = getattr(obj, name)
            data[name] = value.name if isinstance(value, FieldFile) else value
    for extra in ("han_count", "status", "evidence", "closed_on", "progress", "progress_note"):
        if hasattr(obj, extra) and extra not in data:
            data[extra] = getattr(obj, extra)
    if not kind.parent:
        data["org"] = obj.org.code
    return data


def _form_errors(form) -> ValidationError:
    return ValidationError({field: list(messages) for field, messages in form.errors.items()})


def _get(request, kind: kinds.Kind, pk: int, action: str):
    return get_object_or_404(
        kind.model.objects.visible_to(request.user, action).select_related(*kind.select), pk=pk
    )


@router.get("/orgs/{code}/records/{kind}", url_name="work_records")
def records(request, code: str, kind: str, year: Year | None = None):
    org = scoping.get_org(request.user, Action.VIEW, code)
    spec = kinds.get(kind)
    qs = (
        spec.model.objects.visible_to(request.user, Action.VIEW)
        .filter(**{spec.scope_field: org})
        .select_related(*spec.select)
        .prefetch_related(*spec.member_sets, *spec.prefetch)
    )
    if year is not None and spec.year is not None:
        qs = qs.filter(spec.year(year))
    if not spec.parent:
        qs = qs.select_related("org")
    return [serialize(spec, obj) for obj in qs[:LIST_LIMIT]]


@router.post("/orgs/{code}/records/{kind}", url_name="work_record_create", response={201: dict})
def record_create(request, code: str, kind: str, payload: Body[dict]):
    org = scoping.get_org(request.user, Action.RECORD, code)
    spec = kinds.get(kind)
    form = forms.record_form(spec, actor=request.user, org=org, data=payload)
    if not form.is_valid():
        raise _form_errors(form)
    obj = services.record_create(actor=request.user, kind=spec, org=org, data=forms.cleaned(form, spec))
    return Status(201, serialize(spec, obj))


@router.get("/records/{kind}/{pk}", url_name="work_record")
def record(request, kind: str, pk: Id):
    spec = kinds.get(kind)
    return serialize(spec, _get(request, spec, pk, Action.VIEW))


@router.put("/records/{kind}/{pk}", url_name="work_record_update")
def record_update(request, kind: str, pk: Id, payload: Body[dict]):
    spec = kinds.get(kind)
    obj = _get(request, spec, pk, Action.RECORD)
    current = serialize(spec, obj)
    data = {name: current[name] for name in spec.fields} | payload  # PUT with some fields keeps the others
    form = forms.record_form(spec, actor=request.user, org=spec.org_of(obj), instance=obj, data=data)
    if not form.is_valid():
        raise _form_errors(form)
    obj = services.record_update(actor=request.user, kind=spec, obj=obj, data=forms.cleaned(form, spec))
    return serialize(spec, obj)


@router.delete("/records/{kind}/{pk}", url_name="work_record_delete", response={204: None})
def record_delete(request, kind: str, pk: Id):
    spec = kinds.get(kind)
    services.record_delete(actor=request.user, kind=spec, obj=_get(request, spec, pk, Action.RECORD))
    return Status(204, None)


@router.get("/orgs/{code}/figures/{year}", url_name="work_figures")
def figures(request, code: str, year: Year):
    """The year's figures and, for each, the records they were counted from (as [label, id] pairs)."""
    org = scoping.get_org(request.user, Action.VIEW, code)
    result = selectors.year_figures(request.user, org, year)
    values = dict(result["values"])
    values["showcase_months"] = sorted(values["showcase_months"])
    return {"org": org.code, "year": year, "values": values, "sources": result["sources"]}


@router.get("/orgs/{code}/problems", url_name="work_problems")
def problems(request, code: str, year: Year):
    org = scoping.get_org(request.user, Action.VIEW, code)
    return {
        "year": year,
        "problems": selectors.problems(request.user, org, year),
        "previous_year": selectors.previous_year_problems(request.user, org, year),
    }


class StatusIn(Schema):
    status: Problem.Status  # the schema lists the three states; anything else is refused before the service
    evidence: str | None = None
    closed_on: date | None = None


@router.post("/problems/{pk}/status", url_name="work_problem_status")
def problem_status(request, pk: Id, payload: StatusIn):
    problem = get_object_or_404(
        Problem.objects.visible_to(request.user, Action.RECORD).select_related("org"), pk=pk
    )
    services.problem_set_status(
        actor=request.user,
        problem=problem,
        status=payload.status,
        evidence=payload.evidence,
        closed_on=payload.closed_on,
    )
    return serialize(kinds.get("problem"), problem)


@router.get("/orgs/{code}/plans", url_name="work_plans")
def plans(request, code: str, year: Year):
    org = scoping.get_org(request.user, Action.VIEW, code)
    return {"year": year, "plans": selectors.plans(request.user, org, year)}


class ProgressIn(Schema):
    progress: SmallInt
    progress_note: str | None = None


@router.post("/plans/{pk}/progress", url_name="work_plan_progress")
def plan_progress(request, pk: Id, payload: ProgressIn):
    plan = get_object_or_404(
        Plan.objects.visible_to(request.user, Action.RECORD).select_related("org"), pk=pk
    )
    services.plan_set_progress(
        actor=request.user, plan=plan, progress=payload.progress, note=payload.progress_note
    )
    return serialize(kinds.get("plan"), plan)


@router.get("/orgs/{code}/platforms", url_name="work_platforms")
def platforms(request, code: str):
    org = scoping.get_org(request.user, Action.VIEW, code)
    return [
        {"id": p.pk, "name": p.name, "kind": p.kind, "kind_label": p.get_kind_display()}
        for p in selectors.platforms_for(org)
    ]
