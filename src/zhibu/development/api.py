"""API of 发展党员纪实: the same selectors and services (and so the same checks) as the pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Router, Schema, Status

from zhibu.core.apischema import Days, Id, SmallInt
from zhibu.orgs import scoping
from zhibu.orgs.roles import Action
from zhibu.people.models import Member

from . import ruleset as rs
from . import selectors, services
from .models import Case

router = Router(tags=["发展党员"])


class OpenIn(Schema):
    applied_on: date
    member: Id | None = None
    name: str = ""
    id_number: str = ""
    post: str = ""
    content: str = ""
    version: str | None = None


class StepIn(Schema):
    step: SmallInt
    on: date
    details: dict[str, Any] = {}
    overdue_reason: str = ""
    note: str = ""


class CorrectIn(Schema):
    on: date
    overdue_reason: str | None = None


def case_data(case: Case) -> dict:
    rules = case.rules
    return {
        "id": case.pk,
        "member": case.member.name,
        "member_id": case.member_id,
        "org": case.org.code,
        "ruleset": case.ruleset,
        "ruleset_confirmed": rules.confirmed,
        "started_on": case.started_on,
        "stage": case.stage,
        "stage_label": case.stage_label,
        "last_step": case.last_step,
        "next_step": case.next_step,
        "next_step_name": case.next_step_name,
        "due_from": case.due_from,
        "due_by": case.due_by,
        "due_label": case.due_label,
        "due_from_label": case.due_from_label,
        "probation_end": case.probation_end,
        "completed_on": case.completed_on,
        "closed_on": case.closed_on,
        "closed_reason": case.closed_reason,
    }


@router.get("/rulesets", url_name="development_rulesets")
def rulesets(request):
    if not scoping.prefixes(request.user, Action.VIEW):
        raise scoping.NotVisible("不存在或无权访问。")
    return [
        {
            "version": r.version,
            "title": r.title,
            "effective_from": r.effective_from,
            "confirmed": r.confirmed,
            "publicity_workdays": r.publicity_workdays,
            "source": r.source,
            "steps": [
                {
                    "number": s.number,
                    "stage": s.stage,
                    "name": s.name,
                    "article": r.cite(s.article),
                    "fields": list(s.fields),
                    "required": list(s.required),
                    "documents": list(s.documents),
                    "rules": [
                        {
                            "code": t.code,
                            "kind": t.kind,
                            "anchor": t.anchor,
                            "months": t.months,
                            "text": t.text,
                            "article": r.cite(t.article),
                        }
                        for t in s.rules
                    ],
                }
                for s in r.steps.values()
            ],
        }
        for r in rs.RULESETS.values()
    ]


@router.get("/orgs/{code}/pipeline", url_name="development_pipeline")
def pipeline(request, code: str, days: Days = 30):
    org = scoping.get_org(request.user, Action.VIEW, code)
    data = selectors.pipeline(request.user, org, days=days)
    return {
        "org": org.code,
        "counts": {key: n for key, _, n in data["counts"]},
        "due_total": data["due_total"],
        "overdue": data["overdue"],
        "due": [item.as_dict() for item in data["due"]],
        "branches": data["branches"],
    }


@router.get("/orgs/{code}/due", url_name="development_due")
def due(request, code: str, days: Days = 30):
    org = scoping.get_org(request.user, Action.VIEW, code)
    items, total = selectors.due(request.user, org, days=days, limit=1000)
    return {"org": org.code, "days": days, "total": total, "items": [i.as_dict() for i in items]}


@router.get("/orgs/{code}/cases", url_name="development_cases")
def cases(request, code: str):
    org = scoping.get_org(request.user, Action.VIEW, code)
    return [
        case_data(c)
        for c in selectors.cases(request.user, org=org).order_by("org__path", "started_on")[:1000]
    ]


@router.post("/orgs/{code}/cases", url_name="development_case_open", response={201: dict})
def case_open(request, code: str, payload: OpenIn):
    org = scoping.get_org(request.user, Action.MEMBERS, code)
    member = None
    if payload.member is not None:
        member = Member.objects.visible_to(request.user, Action.MEMBERS).filter(pk=payload.member).first()
        if member is None:
            raise scoping.NotVisible("不存在或无权访问。")
    person = None if member else {"name": payload.name, "id_number": payload.id_number, "post": payload.post}
    case = services.case_open(
        actor=request.user,
        branch=org,
        applied_on=payload.applied_on,
        member=member,
        person=person,
        content=payload.content,
        version=payload.version,
    )
    return Status(201, case_data(case))


@router.get("/cases/{pk}", url_name="development_case")
def case(request, pk: Id):
    item = selectors.case_get(request.user, pk)
    view = selectors.case_view(request.user, item)
    data = case_data(item)
    data["window"] = (
        {
            "earliest": view.window.earliest,
            "latest": view.window.latest,
            "hard_latest": view.window.hard_latest,
            "reasons": view.window.reasons,
        }
        if view.window
        else None
    )
    data["steps"] = [
        {
            "id": r.pk,
            "step": r.step,
            "round": r.round,
            "name": row.name,
            "on": r.on,
            "details": r.details,
            "facts": dict(r.facts),
            "overdue": r.overdue,
            "overdue_reason": r.overdue_reason,
            "overdue_rules": r.overdue_rules,
            "vote": (
                {
                    "passed": r.vote.passed,
                    "quorum": r.vote.quorum,
                    "expected": r.vote.expected,
                    "roster_expected": r.vote.roster_expected,
                    "derivation": r.vote.derivation,
                    "expected_reason": r.vote.expected_reason,
                }
                if hasattr(r, "vote")
                else None
            ),
        }
        for row in view.rows
        for r in row.records
    ]
    return data


@router.post("/cases/{pk}/steps", url_name="development_step_record", response={201: dict})
def step_record(request, pk: Id, payload: StepIn):
    item = selectors.case_get(request.user, pk, Action.MEMBERS)
    record = services.step_record(
        actor=request.user,
        case=item,
        step=payload.step,
        on=payload.on,
        details=payload.details,
        overdue_reason=payload.overdue_reason,
        note=payload.note,
    )
    item.refresh_from_db()
    return Status(
        201,
        {
            "id": record.pk,
            "step": record.step,
            "round": record.round,
            "on": record.on,
            "overdue": record.overdue,
            "case": case_data(item),
        },
    )


@router.patch("/steps/{pk}", url_name="development_step_correct")
def step_correct(request, pk: Id, payload: CorrectIn):
    record = selectors.record_get(request.user, pk, Action.MEMBERS)
    record = services.step_correct(
        actor=request.user, record=record, on=payload.on, overdue_reason=payload.overdue_reason
    )
    return {"id": record.pk, "step": record.step, "on": record.on, "overdue": record.overdue}
