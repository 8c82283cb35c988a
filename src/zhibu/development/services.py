"""Writes of 发展党员纪实. Each step is checked by engine.py against the case's ruleset; the member's status history
(people.StatusEvent, source "development") follows from the case after every write."""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhibu.audit import services as audit
from zhibu.core import filestore, uploads
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.orgs.selectors import nearest
from zhibu.people import services as people
from zhibu.people.models import Member, Status, StatusEvent

from . import engine, voters
from . import ruleset as rs
from .models import Case, Discipline, Document, HolidayYear, RulesetChoice, StepPerson, StepRecord, Vote
from .workdays import Calendar

SOURCE = "development"
STATUS_ORDER: list[str] = [
    Status.APPLICANT,
    Status.ACTIVIST,
    Status.CANDIDATE,
    Status.PROBATIONARY,
    Status.FULL,
]
STATUS_STEP = {"applicant": 1, "activist": 3, "candidate": 7, "probationary": 17, "full": 24}
PEOPLE_ROLES = {"contacts": StepPerson.Role.CONTACT, "introducers": StepPerson.Role.INTRODUCER}


def today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------------------------------------- reading helpers


def ruleset_for(org: Organisation, day: date) -> rs.Ruleset:
    """The organisation's own choice (self or nearest ancestor), else the ruleset in force on the day."""
    choice = nearest(RulesetChoice, org)
    return rs.get(choice.version) if choice else rs.for_date(day)


def entries_of(case: Case) -> list[engine.Entry]:
    return engine.ordered(
        [engine.Entry(r.step, r.round, r.on, dict(r.details), r.overdue_reason) for r in case.steps.all()]
    )


def context_for(actor, case: Case, *, day: date | None = None) -> engine.Context:
    branch = case.org

    def standing(ids: list[int], on: date) -> dict[int, tuple[str, str, bool]]:
        members = {m.pk: m.name for m in Member.objects.visible_to(actor, Action.VIEW).filter(pk__in=ids)}
        status: dict[int, str] = {}
        for member_id, value in (
            StatusEvent.objects.visible_to(actor, Action.VIEW)
            .filter(member_id__in=ids, on__lte=on)
            .values_list("member_id", "status")
        ):
            if member_id not in status or STATUS_ORDER.index(value) > STATUS_ORDER.index(status[member_id]):
                status[member_id] = value
        disciplined = set(
            Discipline.objects.visible_to(actor, Action.VIEW)
            .filter(member_id__in=ids, started_on__lte=on)
            .filter(Q(restored_on__isnull=True) | Q(restored_on__gt=on))
            .values_list("member_id", flat=True)
        )
        return {i: (members.get(i, str(i)), status.get(i, ""), i in disciplined) for i in ids}

    def branch_member_ids() -> set[int]:
        return set(
            Member.objects.visible_to(actor, Action.VIEW).filter(branch=branch).values_list("pk", flat=True)
        )

    def group_ids() -> set[int]:
        from .selectors import groups_of

        return set(groups_of(branch).values_list("pk", flat=True))

    rolls: dict[date, voters.Roll] = {}

    def roll(on: date) -> voters.Roll:
        if on not in rolls:
            rolls[on] = voters.roll(actor, branch, on)
        return rolls[on]

    return engine.Context(
        ruleset=case.rules,
        birth_date=case.member.birth_date,
        calendar=Calendar(branch),
        today=day or today(),
        standing=standing,
        branch_member_ids=branch_member_ids,
        group_ids=group_ids,
        voters=roll,
    )


def _normalise(details: dict | None) -> dict:
    clean = {}
    for name, value in (details or {}).items():
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, str):
            value = value.strip()
        elif isinstance(value, list | tuple | set):
            value = [getattr(v, "pk", v) for v in value]
        elif hasattr(value, "pk"):
            value = value.pk
        if value in (None, "", []):
            continue
        clean[name] = value
    return clean


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------- derived state


def refresh(
    case: Case, entries: list[engine.Entry], *, closes: str = "", closed_on: date | None = None
) -> None:
    """Recompute the case's stage, next step and its window (kept on the row for the pipeline)."""
    rules = case.rules
    sequence = engine.ordered(entries)
    case.last_step = sequence[-1].step if sequence else 0
    case.stage = engine.stage_of(entries)
    case.probation_end = engine.probation_end(entries)
    if closes:
        case.closed_on, case.closed_reason = closed_on, closes[:200]
    finished = engine.last_of(entries, rs.LAST_STEP)
    case.completed_on = finished.on if finished else None
    position = None if (case.closed_on or case.completed_on) else engine.next_position(entries)
    case.next_step, case.next_round = position or (None, 1)
    case.due_from = case.due_by = None
    case.due_label = case.due_from_label = ""
    if position:
        step = position[0]
        label = f"第{step}步 {rules.step(step).name}"
        span = engine.window(rules, entries, step)
        last_on = max(e.on for e in entries)
        case.due_from = span.earliest if span.earliest and span.earliest > last_on else None
        case.due_by = span.latest or span.hard_latest
        if step in (22, 23) and case.probation_end:
            # 预备期满时提出转正申请并讨论转正 (党章第七条): from the day after 预备期满 the 转正 is overdue
            case.due_from = case.probation_end if step == 22 else case.due_from
            case.due_by = case.probation_end if case.due_by is None else min(case.due_by, case.probation_end)
        if case.due_from and case.due_by and case.due_from > case.due_by:
            case.due_from = None  # the step is late already: no window whose earliest day follows its latest
        case.due_label = case.due_from_label = label
        if case.last_step == 6:
            last_review = engine.last_of(entries, 6)
            assert last_review is not None  # last_step is 6
            review = rs.add_months(last_review.on, 6)
            if case.due_by is None or review < case.due_by:
                case.due_by, case.due_label = review, "第6步 半年考察"
    case.save()


def _sync_status(actor, case: Case, entries: list[engine.Entry]) -> None:
    """Make the member's status history say what the case says."""
    member = case.member
    wanted = engine.desired_statuses(entries)
    existing = {
        s: (on, source)
        for s, on, source in StatusEvent.objects.visible_to(actor, Action.MEMBERS)
        .filter(member=member)
        .values_list("status", "on", "source")
    }
    for status in reversed(STATUS_ORDER):
        if status not in existing:
            continue
        on, source = existing[status]
        if (status in wanted and wanted[status] != on) or (status not in wanted and source == SOURCE):
            people.member_status_remove(actor=actor, member=member, status=status)
            existing.pop(status)
    for status in STATUS_ORDER:
        if status in wanted and status not in existing:
            people.member_status_record(
                actor=actor,
                member=member,
                status=status,
                on=wanted[status],
                source=SOURCE,
                note=f"发展党员纪实第{STATUS_STEP[status]}步",
            )
    member.refresh_from_db()


def _derive_expected(ctx: engine.Context, step: rs.Step, entry: engine.Entry, *, again: bool = False) -> None:
    """An empty 应到会有表决权党员数 is the roster's count on the meeting date (after a date correction, a count
    that was not corrected by hand is derived again)."""
    if "expected" not in step.fields:
        return
    if entry.details.get("expected") in (None, "") or (again and not entry.details.get("expected_reason")):
        roll = ctx.voters(entry.on)
        assert isinstance(roll, voters.Roll)  # the services' context always reads the roster
        entry.details["expected"] = roll.expected


def _write_vote(ctx: engine.Context, record: StepRecord) -> None:
    roll = ctx.voters(record.on)
    assert isinstance(roll, voters.Roll)
    counts = {n: record.details[n] for n in rs.VOTE_FIELDS}
    Vote.objects.unscoped().update_or_create(
        record=record,
        defaults={
            **counts,
            "roster_expected": roll.expected,
            "derivation": roll.text[:400],
            "expected_reason": str(record.details.get("expected_reason") or "")[:200],
        },
    )


def _write_related(ctx: engine.Context, record: StepRecord, step: rs.Step) -> None:
    for name, role in PEOPLE_ROLES.items():
        if name in step.fields:
            record.people.all().delete()
            StepPerson.objects.unscoped().bulk_create(
                [StepPerson(record=record, member_id=i, role=role) for i in record.details.get(name, [])]
            )
    if "yes" in step.fields:
        _write_vote(ctx, record)


# ---------------------------------------------------------------------------------------------- writes


@transaction.atomic
def case_open(
    *,
    actor,
    branch: Organisation,
    applied_on: date,
    member: Member | None = None,
    person: dict | None = None,
    content: str = "",
    version: str | None = None,
    day: date | None = None,
) -> Case:
    """Start a case at step 1 (递交入党申请书): for someone on the roster as 申请人, or a new person, who is then
    added to the roster as 申请人."""
    scoping.require(actor, Action.MEMBERS, branch)
    if not branch.is_branch:
        raise ValidationError({"branch": "发展党员纪实须建在党支部（联合党支部）。"})
    if version is not None and version not in rs.RULESETS:
        raise ValidationError({"version": "未知的细则版本。"})
    if applied_on > (day or today()):
        raise ValidationError({"applied_on": "递交入党申请书日期不能晚于今天。"})
    if member is not None:
        scoping.require(actor, Action.MEMBERS, member.branch)
        if member.branch_id != branch.pk:
            raise ValidationError({"member": "该人员不在本党支部。"})
        if Case.objects.visible_to(actor, Action.MEMBERS).filter(member=member).exists():
            raise ValidationError({"member": f"{member.name}已有发展党员纪实。"})
        if member.status != Status.APPLICANT:
            raise ValidationError(
                {"member": f"{member.name}已是{member.get_status_display()}，只能为申请人新建发展党员纪实。"}
            )
    else:
        if not person or not person.get("name") or not person.get("id_number"):
            raise ValidationError({"name": "请填写申请人的姓名和公民身份号码。"})
        fields = {k: v for k, v in person.items() if k in ("name", "id_number", "post", "phone", "education")}
        member = people.member_create(
            actor=actor,
            branch=branch,
            history=[(Status.APPLICANT, applied_on)],
            source=SOURCE,
            audit_entry=False,
            **fields,
        )
    chosen = rs.get(version) if version else ruleset_for(branch, applied_on)
    case = Case(member=member, org=branch, ruleset=chosen.version, started_on=applied_on)
    case.full_clean()
    case.save()
    entry = engine.Entry(1, 1, applied_on, _normalise({"content": content}))
    result = engine.check(context_for(actor, case, day=day), [], entry)
    _raise(result.errors)
    StepRecord.objects.unscoped().create(
        case=case,
        step=1,
        round=1,
        on=applied_on,
        details=entry.details,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    entries = [entry]
    _sync_status(actor, case, entries)
    refresh(case, entries)
    audit.log(
        actor=actor,
        verb="development.open",
        target=case,
        detail={"member": member.name, "ruleset": case.ruleset, "applied_on": applied_on.isoformat()},
    )
    return case


@transaction.atomic
def step_record(
    *,
    actor,
    case: Case,
    step: int,
    on: date,
    details: dict | None = None,
    overdue_reason: str = "",
    note: str = "",
    day: date | None = None,
) -> StepRecord:
    """Record the next step of a case (or one more 考察 entry). Refuses a step out of order, too early or breaking a
    rule; a late step is saved, flagged 超期, and must say why."""
    scoping.require(actor, Action.MEMBERS, case.org)
    case = Case.objects.visible_to(actor, Action.MEMBERS).select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise ValidationError(
            {"step": f"该发展党员纪实已{'归档' if case.completed_on else '终止'}，不能继续记录。"}
        )
    if step not in case.rules.steps:
        raise ValidationError({"step": "没有这一步骤。"})
    entries = entries_of(case)
    positions = engine.allowed_positions(entries)
    round_ = next((r for s, r in positions if s == step), 1)
    entry = engine.Entry(step, round_, on, _normalise(details), overdue_reason.strip())
    ctx = context_for(actor, case, day=day)
    _derive_expected(ctx, case.rules.step(step), entry)
    result = engine.check(ctx, entries, entry)
    _raise(result.errors)
    record = StepRecord(
        case=case,
        step=step,
        round=round_,
        on=on,
        details=entry.details,
        overdue=bool(result.overdue),
        overdue_reason=entry.overdue_reason if result.overdue else "",
        overdue_rules="；".join(result.overdue)[:300],
        note=note.strip()[:300],
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    record.full_clean(exclude=["case"])
    record.save()
    _write_related(ctx, record, case.rules.step(step))
    entries.append(entry)
    _sync_status(actor, case, entries)
    refresh(case, entries, closes=result.closes, closed_on=on)
    audit.log(
        actor=actor,
        verb="development.step",
        target=case,
        detail={
            "step": step,
            "round": round_,
            "on": on.isoformat(),
            "overdue": record.overdue,
            "closed": result.closes,
        },
    )
    return record


@transaction.atomic
def step_correct(
    *, actor, record: StepRecord, on: date, overdue_reason: str | None = None, day: date | None = None
) -> StepRecord:
    """Correct the date of a recorded step. The whole case is checked again, and the status history follows
    (a 支部大会 moved into the next year moves the 入党日期 with it)."""
    case = record.case
    scoping.require(actor, Action.MEMBERS, case.org)
    case = Case.objects.visible_to(actor, Action.MEMBERS).select_for_update().get(pk=case.pk)
    entries = entries_of(case)
    target = next(e for e in entries if (e.step, e.round) == (record.step, record.round))
    before = target.on
    target.on = on
    if overdue_reason is not None:
        target.overdue_reason = overdue_reason.strip()
    ctx = context_for(actor, case, day=day)
    _derive_expected(ctx, case.rules.step(target.step), target, again=True)
    errors, overdue, closes = engine.replay(ctx, entries)
    _raise(errors)
    ordered = engine.ordered(entries)
    rows = {(r.step, r.round): r for r in case.steps.all()}
    for entry, late in zip(ordered, overdue, strict=True):
        row = rows[(entry.step, entry.round)]
        row.on, row.overdue, row.overdue_rules = entry.on, bool(late), "；".join(late)[:300]
        row.overdue_reason, row.details = entry.overdue_reason, entry.details
        row.save(update_fields=["on", "overdue", "overdue_rules", "overdue_reason", "details"])
        if entry is target and "yes" in case.rules.step(entry.step).fields:
            _write_vote(ctx, row)
    _sync_status(actor, case, entries)
    if case.closed_on:
        case.closed_on = ordered[-1].on
    refresh(case, entries)
    audit.log(
        actor=actor,
        verb="development.correct",
        target=case,
        detail={"step": record.step, "round": record.round, "on": [before.isoformat(), on.isoformat()]},
    )
    record.refresh_from_db()
    return record


UPLOAD_TYPES = (uploads.PDF, uploads.JPEG, uploads.PNG, uploads.DOCX, uploads.DOC)
UPLOAD_TEXT = "PDF、JPG、PNG 或 Word 文件"
MAX_UPLOAD = 10 * 1024 * 1024


def document_upload(
    *, actor, case: Case, kind: str, upload: UploadedFile, record: StepRecord | None = None
) -> Document:
    """Keep a scanned or typed document of the case; only PDF, JPEG, PNG and Word files, whose whole content
    is checked by core.uploads before the write transaction begins. The stored content type is the one the
    content proved, never the browser's."""
    scoping.require(actor, Action.MEMBERS, case.org)
    if kind not in rs.DOCUMENTS:
        raise ValidationError({"kind": "未知的材料类别。"})
    try:
        data, file_type = uploads.read(upload, allowed=UPLOAD_TYPES, max_bytes=MAX_UPLOAD, what=UPLOAD_TEXT)
    except uploads.Refused as exc:
        raise ValidationError({"file": exc.messages}) from exc
    with transaction.atomic():
        return _document_save(
            actor=actor,
            case=case,
            kind=kind,
            record=record,
            data=data,
            file_type=file_type,
            name=uploads.clean_name(upload.name or "", file_type),
        )


def _document_save(
    *,
    actor,
    case: Case,
    kind: str,
    record: StepRecord | None,
    data: bytes,
    file_type: uploads.FileType,
    name: str,
) -> Document:
    if record is not None and record.case_id != case.pk:
        raise ValidationError({"record": "该步骤不属于本纪实。"})
    document = Document(
        case=case,
        record=record,
        kind=kind,
        name=name,
        size=len(data),
        content_type=file_type.content_type,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    filestore.save(document.file, f"{uuid.uuid4().hex}{file_type.extension}", data)
    document.full_clean()
    document.save()
    audit.log(
        actor=actor, verb="development.document", target=case, detail={"kind": kind, "name": document.name}
    )
    return document


@transaction.atomic
def ruleset_choose(*, actor, org: Organisation, version: str | None) -> RulesetChoice | None:
    """Set which ruleset new cases in the organisation's subtree use (None: by the date the case starts)."""
    scoping.require(actor, Action.SUPERVISE, org)
    if version is not None and version not in rs.RULESETS:
        raise ValidationError({"version": "未知的细则版本。"})
    RulesetChoice.objects.visible_to(actor, Action.SUPERVISE).filter(org=org).delete()
    choice = None
    if version is not None:
        choice = RulesetChoice(org=org, version=version)
        choice.full_clean()
        choice.save()
    audit.log(actor=actor, verb="development.ruleset", target=org, detail={"version": version})
    return choice


@transaction.atomic
def holidays_set(
    *, actor, org: Organisation, year: int, holidays: list[date], workdays: list[date]
) -> HolidayYear:
    """An organisation's own calendar for a year (法定节假日 and 调休 as announced locally)."""
    scoping.require(actor, Action.SUPERVISE, org)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "年份不在合理范围内。"})
    for day in [*holidays, *workdays]:
        if day.year != year:
            raise ValidationError({"holidays": f"{day.isoformat()}不在{year}年。"})
    if set(holidays) & set(workdays):
        raise ValidationError({"workdays": "同一天不能既放假又上班。"})
    row = HolidayYear.objects.visible_to(actor, Action.SUPERVISE).filter(org=org, year=year).first()
    row = row or HolidayYear(org=org, year=year)
    row.holidays = sorted(d.isoformat() for d in set(holidays))
    row.workdays = sorted(d.isoformat() for d in set(workdays))
    row.changed_at = timezone.now()
    row.full_clean()
    row.save()
    audit.log(
        actor=actor,
        verb="development.holidays",
        target=org,
        detail={"year": year, "holidays": len(row.holidays), "workdays": len(row.workdays)},
    )
    return row


@transaction.atomic
def discipline_record(
    *, actor, member: Member, started_on: date, restored_on: date | None = None, note: str = ""
) -> Discipline:
    """Record a 留党察看 period (it bars the member from being 培养联系人 or 入党介绍人 until restored)."""
    scoping.require(actor, Action.MEMBERS, member.branch)
    row = Discipline(member=member, started_on=started_on, restored_on=restored_on, note=note)
    row.full_clean()
    row.save()
    audit.log(
        actor=actor,
        verb="development.discipline",
        target=member,
        detail={"started_on": started_on.isoformat(), "restored_on": restored_on and restored_on.isoformat()},
    )
    return row


@transaction.atomic
def cases_refresh(*, actor, org: Organisation) -> int:
    """Recompute the stored next step and window of every open case in a subtree (after the due rules change;
    derived fields only). Used by `zhibu development refresh`."""
    scoping.require(actor, Action.MEMBERS, org)
    low, high = org.subtree_bounds()
    count = 0
    for case in (
        Case.objects.visible_to(actor, Action.MEMBERS)
        .select_related("member")
        .filter(org__path__gte=low, org__path__lte=high, closed_on__isnull=True, completed_on__isnull=True)
    ):
        refresh(case, entries_of(case))
        count += 1
    audit.log(actor=actor, verb="development.refresh", target=org, detail={"cases": count})
    return count
