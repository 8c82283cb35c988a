"""Every write of a work record. One generic create/update/delete driven by kinds.KINDS, plus the few writes
with rules of their own: problem status transitions, problems found by a superior's 述职评议 (the appraisal app
calls `problems_from_appraisal`), plan progress, space photos and the xlsx import."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from zhibu.audit import services as audit
from zhibu.core import filestore, uploads
from zhibu.core.cn import han_count
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.people.models import Member
from zhibu.records.models import Activity

from .kinds import Kind
from .models import Plan, Problem, Reflection, Space, SpacePhoto

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_LIMIT = 12

# Allowed status changes of a problem (整改台账). Closing needs evidence and a date; reopening clears the date.
PROBLEM_TRANSITIONS: dict[str, frozenset[str]] = {
    Problem.Status.OPEN: frozenset({Problem.Status.IN_PROGRESS, Problem.Status.DONE}),
    Problem.Status.IN_PROGRESS: frozenset({Problem.Status.DONE, Problem.Status.OPEN}),
    Problem.Status.DONE: frozenset({Problem.Status.IN_PROGRESS}),
}


def _snapshot(kind: Kind, obj) -> dict:
    result = {}
    for name in kind.fields:
        if name in kind.member_sets:
            continue
        value = getattr(obj, f"{name}_id", None) if hasattr(obj, f"{name}_id") else getattr(obj, name)
        result[name] = value
    return result


def _check_links(kind: Kind, org: Organisation, obj, sets: dict[str, list]) -> None:
    """Members, parents and activities must belong to the organisation of the record."""
    errors: dict[str, str] = {}
    for name in kind.members:
        member = getattr(obj, name)
        if member is not None and member.branch_id != org.pk:
            errors[name] = "只能选择本组织的党员。"
    for name, members in sets.items():
        if any(member.branch_id != org.pk for member in members):
            errors[name] = "只能选择本组织的党员。"
    for name in ("activity", "training"):
        if name in kind.fields:
            activity: Activity | None = getattr(obj, name)
            if activity is not None and activity.org_id != org.pk:
                errors[name] = "只能选择本组织的组织生活记录。"
    if errors:
        raise ValidationError(errors)


def _prepare(kind: Kind, obj) -> None:
    if isinstance(obj, Reflection):
        obj.han_count = han_count(obj.text)


@transaction.atomic
def record_create(*, actor, kind: Kind, org: Organisation, data: dict[str, Any]):
    """Create a record of `kind` for `org` from cleaned data (M2M fields as lists of members)."""
    scoping.require(actor, Action.RECORD, org)
    obj: Any = kind.model()  # the fields depend on the kind
    if not kind.parent:
        obj.org = org
    sets = _assign(kind, obj, data)
    if kind.parent:
        if getattr(obj, f"{kind.parent}_id", None) is None:
            raise ValidationError({kind.parent: "请选择所属记录。"})
        if getattr(obj, kind.parent).org_id != org.pk:
            raise ValidationError({kind.parent: "只能选择本组织的记录。"})
    _check_links(kind, org, obj, sets)
    _prepare(kind, obj)
    obj.full_clean()
    obj.save()
    for name, members in sets.items():
        getattr(obj, name).set(members)
    audit.log(
        actor=actor,
        verb=f"work.{kind.slug}.create",
        target=obj,
        org_path=org.path,
        detail=_snapshot(kind, obj),
    )
    return obj


@transaction.atomic
def record_update(*, actor, kind: Kind, obj, data: dict[str, Any]):
    org = kind.org_of(obj)
    scoping.require(actor, Action.RECORD, org)
    before = _snapshot(kind, obj)
    sets = _assign(kind, obj, data)
    if kind.parent and getattr(obj, kind.parent).org_id != org.pk:
        raise ValidationError({kind.parent: "不能把记录移到其他组织。"})
    _check_links(kind, org, obj, sets)
    _prepare(kind, obj)
    obj.full_clean()
    obj.save()
    for name, members in sets.items():
        getattr(obj, name).set(members)
    audit.log(
        actor=actor,
        verb=f"work.{kind.slug}.update",
        target=obj,
        org_path=org.path,
        detail=audit.changes(before, _snapshot(kind, obj)),
    )
    return obj


@transaction.atomic
def record_delete(*, actor, kind: Kind, obj) -> None:
    org = kind.org_of(obj)
    scoping.require(actor, Action.RECORD, org)
    audit.log(
        actor=actor,
        verb=f"work.{kind.slug}.delete",
        target=obj,
        org_path=org.path,
        detail=_snapshot(kind, obj),
    )
    if isinstance(obj, Space):
        for photo in obj.photos.all():
            photo.file.delete(save=False)
    obj.delete()


def _assign(kind: Kind, obj, data: dict[str, Any]) -> dict[str, list[Member]]:
    sets: dict[str, list[Member]] = {}
    for name in kind.fields:
        if name not in data:
            continue
        if name in kind.member_sets:
            sets[name] = list(data[name] or [])
        else:
            value = data[name]
            setattr(obj, name, "" if value is None and _is_text(kind, name) else value)
    return sets


def _is_text(kind: Kind, name: str) -> bool:
    return kind.model._meta.get_field(name).get_internal_type() in ("CharField", "TextField", "URLField")


# ---- problems and plans ---------------------------------------------------------------------------------


@transaction.atomic
def problem_set_status(
    *, actor, problem: Problem, status: str, evidence: str | None = None, closed_on: date | None = None
) -> Problem:
    """Move a problem along its rectification: 未整改 → 整改中 → 已整改 (with evidence and date), or reopen."""
    scoping.require(actor, Action.RECORD, problem.org)
    if status not in Problem.Status.values:
        raise ValidationError({"status": "整改状态不正确。"})
    if status == problem.status:
        raise ValidationError({"status": f"该问题已是“{problem.get_status_display()}”状态。"})
    if status not in PROBLEM_TRANSITIONS[problem.status]:
        raise ValidationError(
            {"status": f"不能从“{problem.get_status_display()}”改为“{Problem.Status(status).label}”。"}
        )
    before = {"status": problem.status, "closed_on": problem.closed_on}
    if evidence is not None:
        problem.evidence = evidence.strip()
    if status == Problem.Status.DONE:
        problem.closed_on = closed_on or date.today()
        if problem.closed_on > date.today():
            raise ValidationError({"closed_on": "销号日期不能晚于今天。"})
    else:
        problem.closed_on = None
    problem.status = status
    problem.full_clean()
    problem.save()
    audit.log(
        actor=actor,
        verb="work.problem.status",
        target=problem,
        detail=audit.changes(before, {"status": problem.status, "closed_on": problem.closed_on}),
    )
    return problem


@transaction.atomic
def problems_from_appraisal(
    *,
    actor,
    org: Organisation,
    year: int,
    findings: list[tuple[str, str]],
    detail: dict[str, Any] | None = None,
) -> list[Problem]:
    """Add the findings of a superior's 述职评议 to a branch's problem list (整改台账) for a year, after its
    existing problems: one problem per (category, description), with source 述职评议. The superior writes them,
    so SUPERVISE over the branch is what is required."""
    scoping.require(actor, Action.SUPERVISE, org)
    start = (
        Problem.objects.visible_to(actor, Action.SUPERVISE)
        .filter(org=org, year=year)
        .aggregate(n=Max("order"))["n"]
        or 0
    )
    created = []
    for offset, (category, description) in enumerate(findings, start=1):
        problem = Problem(
            org=org,
            year=year,
            order=start + offset,
            category=category[:100],
            description=description,
            source=Problem.Source.APPRAISAL,
        )
        problem.full_clean()
        problem.save()
        audit.log(
            actor=actor,
            verb="problem.create",
            target=problem,
            detail={"source": "述职评议", **(detail or {})},
        )
        created.append(problem)
    return created


@transaction.atomic
def plan_set_progress(*, actor, plan: Plan, progress: int, note: str | None = None) -> Plan:
    scoping.require(actor, Action.RECORD, plan.org)
    if progress is None or not 0 <= int(progress) <= 100:
        raise ValidationError({"progress": "进度应在 0 到 100 之间。"})
    before = {"progress": plan.progress, "progress_note": plan.progress_note}
    plan.progress = int(progress)
    if note is not None:
        plan.progress_note = note.strip()
    plan.full_clean()
    plan.save()
    audit.log(
        actor=actor,
        verb="work.plan.progress",
        target=plan,
        detail=audit.changes(before, {"progress": plan.progress, "progress_note": plan.progress_note}),
    )
    return plan


# ---- space photos ---------------------------------------------------------------------------------------

PHOTO_TYPES = (uploads.JPEG, uploads.PNG, uploads.GIF, uploads.WEBP)


def space_photo_add(*, actor, space: Space, upload: UploadedFile) -> SpacePhoto:
    """A photo of a space; the whole image is checked by core.uploads (format, pixel count, full decode) before
    the write transaction begins."""
    scoping.require(actor, Action.RECORD, space.org)
    try:
        data, kind = uploads.read(
            upload,
            allowed=PHOTO_TYPES,
            max_bytes=PHOTO_MAX_BYTES,
            what="JPEG、PNG、GIF 或 WebP 图片",
            noun="照片",
        )
    except uploads.Refused as exc:
        raise ValidationError({"file": exc.messages}) from exc
    with transaction.atomic():
        if space.photos.count() >= PHOTO_LIMIT:
            raise ValidationError({"file": f"每个阵地最多 {PHOTO_LIMIT} 张照片。"})
        photo = SpacePhoto(space=space, content_type=kind.content_type, size=len(data))
        filestore.save(photo.file, f"photo{kind.extension}", data)
        photo.full_clean()
        photo.save()
        audit.log(actor=actor, verb="work.space.photo_add", target=space, detail={"photo": photo.pk})
    return photo


@transaction.atomic
def space_photo_delete(*, actor, photo: SpacePhoto) -> None:
    scoping.require(actor, Action.RECORD, photo.space.org)
    audit.log(actor=actor, verb="work.space.photo_delete", target=photo.space, detail={"photo": photo.pk})
    name = photo.file.name
    photo.delete()
    if name:
        transaction.on_commit(lambda: photo.file.storage.delete(name))


# ---- import ---------------------------------------------------------------------------------------------


@transaction.atomic
def record_import(*, actor, kind: Kind, org: Organisation, rows: list[tuple[int, dict[str, Any]]]) -> int:
    """All or nothing: every row (already parsed by a form) is validated; any error rolls everything back and
    is reported with its row number."""
    scoping.require(actor, Action.RECORD, org)
    if not rows:
        raise ValidationError("文件中没有数据行。")
    created = []
    errors: list[str] = []
    for number, data in rows:
        try:
            with transaction.atomic():
                obj: Any = kind.model()  # the fields depend on the kind
                obj.org = org
                _assign(kind, obj, data)
                _check_links(kind, org, obj, {})
                _prepare(kind, obj)
                obj.full_clean()
                obj.save()
                created.append(obj)
        except ValidationError as exc:
            errors.extend(f"第{number}行：{msg}" for msg in exc.messages)
    if errors:
        raise ValidationError(errors)
    audit.log(
        actor=actor,
        verb=f"work.{kind.slug}.import",
        org_path=org.path,
        detail={"count": len(created), "ids": [o.pk for o in created][:200]},
    )
    return len(created)
