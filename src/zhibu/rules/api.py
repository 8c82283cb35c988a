"""/api/v1/rules/: lights of a subtree for a month, and requirements (list, read, create, change, retire)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import Http404
from ninja import Router, Schema, Status

from zhibu.core.apischema import Id, SmallInt
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation, OrgType
from zhibu.orgs.roles import Action
from zhibu.records.models import ActivityKind

from . import selectors, services
from .models import Requirement

router = Router(tags=["亮灯与制度要求"])


class RequirementOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    period: str
    min_count: int
    weekday: int | None
    min_attendance: float | None
    speaker_secretary: bool
    per_group: bool
    per_member: bool
    needs_committee: bool
    grace_days: int
    basis: str
    local_rule: bool
    valid_from: date
    valid_to: date | None
    owner: str | None
    replaces: int | None
    org_types: list[str]
    frequency: str


class RequirementIn(Schema):
    org: str | None = None  # owner code (create only)
    code: str = ""
    name: str | None = None
    kind: str | None = None  # activity kind code
    period: str | None = None
    min_count: SmallInt | None = None
    weekday: SmallInt | None = None
    min_attendance: Decimal | None = None
    speaker_secretary: bool | None = None
    per_group: bool | None = None
    per_member: bool | None = None
    needs_committee: bool | None = None
    grace_days: SmallInt | None = None
    basis: str | None = None
    local_rule: bool | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    replaces: Id | None = None
    org_types: list[str] | None = None
    note: str | None = None


def _out(req: Requirement) -> dict:
    return {
        "id": req.pk,
        "code": req.code,
        "name": req.name,
        "kind": req.kind.code,
        "period": req.period,
        "min_count": req.min_count,
        "weekday": req.weekday,
        "min_attendance": float(req.min_attendance) if req.min_attendance is not None else None,
        "speaker_secretary": req.speaker_secretary,
        "per_group": req.per_group,
        "per_member": req.per_member,
        "needs_committee": req.needs_committee,
        "grace_days": req.grace_days,
        "basis": req.basis,
        "local_rule": req.local_rule,
        "valid_from": req.valid_from,
        "valid_to": req.valid_to,
        "owner": req.owner.code if req.owner else None,
        "replaces": req.replaces_id,
        "org_types": [t.code for t in req.org_types.all()],
        "frequency": req.frequency_text(),
    }


def _fields(payload: RequirementIn, owner, *, partial: bool) -> tuple[dict, list | None]:
    data = payload.dict(exclude_unset=partial)
    data.pop("org", None)
    types = data.pop("org_types", None)
    if "kind" in data:
        kind = ActivityKind.objects.shipped().filter(code=data["kind"]).first()
        if kind is None and owner is not None:
            kind = ActivityKind.objects.for_org(owner).filter(code=data["kind"]).first()
        if kind is None:
            from django.core.exceptions import ValidationError

            raise ValidationError({"kind": f"未知的活动类型：{data['kind']}"})
        data["kind"] = kind
    if "replaces" in data:
        data["replaces"] = (
            Requirement.objects.unscoped().filter(pk=data["replaces"]).first() if data["replaces"] else None
        )
    org_types = list(OrgType.objects.filter(code__in=types)) if types is not None else None
    return {
        k: v
        for k, v in data.items()
        if v is not None or k in ("weekday", "min_attendance", "valid_to", "replaces")
    }, org_types


@router.get("/lights", url_name="rules_lights", summary="子树内各组织某月的亮灯及缺项")
def lights(request, org: str, month: str | None = None):
    root = scoping.get_org(request.user, Action.VIEW, org)
    year, m = selectors.parse_month(month)
    rows = selectors.subtree_lights(actor=request.user, root=root, year=year, month=m)
    if any(row.get("pending") for row in rows):  # computed now, not stored yet: a task stores them
        services.store_later(Organisation.parent_path_of(root.path) if root.is_group else root.path, year)
    return {"org": root.code, "month": f"{year}-{m:02d}", "organisations": rows}


@router.get(
    "/requirements",
    response=list[RequirementOut],
    url_name="rules_requirements",
    summary="适用于某组织的制度要求（内置、上级和本级）",
)
def requirements(request, org: str):
    target = scoping.get_org(request.user, Action.VIEW, org)
    return [_out(r) for r in selectors.requirements_for(actor=request.user, org=target)]


@router.get("/requirements/{pk}", response=RequirementOut, url_name="rules_requirement")
def requirement(request, pk: Id):
    return _out(selectors.get_requirement(actor=request.user, pk=pk))


@router.post("/requirements", response={201: RequirementOut}, url_name="rules_requirement_create")
def requirement_create(request, payload: RequirementIn):
    if not payload.org:
        raise Http404("请指定制定要求的党组织（org）。")
    owner = scoping.get_org(request.user, Action.VIEW, payload.org)
    if not selectors.can_manage(request.user, owner):
        raise scoping.NotVisible("不存在或无权访问。")
    fields, org_types = _fields(payload, owner, partial=False)
    fields.setdefault("valid_from", date.today())
    req = services.requirement_save(actor=request.user, owner=owner, org_types=org_types, **fields)
    return Status(201, _out(req))


def _managed(request, pk: Id) -> Requirement:
    req = selectors.get_requirement(actor=request.user, pk=pk)
    if not selectors.can_manage(request.user, req.owner):
        raise scoping.NotVisible("不存在或无权访问。")
    return req


@router.patch("/requirements/{pk}", response=RequirementOut, url_name="rules_requirement_update")
def requirement_update(request, pk: Id, payload: RequirementIn):
    req = _managed(request, pk)
    fields, org_types = _fields(payload, req.owner, partial=True)
    return _out(
        services.requirement_save(
            actor=request.user, owner=req.owner, instance=req, org_types=org_types, **fields
        )
    )


@router.delete(
    "/requirements/{pk}",
    response=RequirementOut,
    url_name="rules_requirement_retire",
    summary="废止（保留历史）",
)
def requirement_retire(request, pk: Id):
    return _out(services.requirement_retire(actor=request.user, requirement=_managed(request, pk)))
