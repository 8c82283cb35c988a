"""Roster writes. Status is a dated history; the member's current status and dates derive from it."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from pypinyin import Style, lazy_pinyin

from zhibu.audit import services as audit
from zhibu.core.crypto import digest
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action

from . import idnumber
from .models import Member, Status, StatusEvent

STATUS_ORDER = [Status.APPLICANT, Status.ACTIVIST, Status.CANDIDATE, Status.PROBATIONARY, Status.FULL]
MEMBER_FIELDS = ("name", "id_number", "ethnicity", "education", "post", "phone", "address", "party_post",
                 "party_group", "standing", "lost_contact", "lost_contact_since", "mobile", "mobile_destination")


def pinyin_of(name: str) -> tuple[str, str]:
    """Full pinyin and initials: 张文慧 → ("zhangwenhui", "zwh")."""
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors="ignore")
    return "".join(syllables).lower(), "".join(s[0] for s in syllables if s).lower()


def _apply_identity(member: Member) -> None:
    """Derive birth date and sex from the ID number, refusing a contradiction."""
    try:
        parsed = idnumber.parse(member.id_number)
    except idnumber.IdNumberError as exc:
        raise ValidationError({"id_number": str(exc)}) from exc
    member.id_number = parsed.value
    member.id_digest = digest(parsed.value)
    if member.birth_date and member.birth_date != parsed.birth_date:
        raise ValidationError({"birth_date": "出生日期与公民身份号码不一致。"})
    if member.gender and member.gender != parsed.gender:
        raise ValidationError({"gender": "性别与公民身份号码不一致。"})
    member.birth_date = parsed.birth_date
    member.gender = parsed.gender
    member.name_pinyin, member.name_initials = pinyin_of(member.name)


def _check_unique_id(member: Member) -> None:
    clash = Member.objects.unscoped().filter(id_digest=member.id_digest).exclude(pk=member.pk).first()
    if clash is not None:
        raise ValidationError({"id_number": "该公民身份号码已登记在其他党员名下。"})


def validate_history(birth_date: date, events: list[tuple[str, date]]) -> None:
    """SJ-09 and the order of statuses: each later status on or after the earlier ones; 转正 ≥ 入党 + 1 year."""
    by_status = dict(events)
    previous: tuple[str, date] | None = None
    for status in STATUS_ORDER:
        on = by_status.get(status)
        if on is None:
            continue
        if on <= birth_date:
            raise ValidationError({"status": f"{Status(status).label}日期不能早于出生日期。"})
        if on > date.today():
            raise ValidationError({"status": f"{Status(status).label}日期不能晚于今天。"})
        if previous and on < previous[1]:
            raise ValidationError({"status": f"{Status(status).label}日期不能早于{Status(previous[0]).label}日期。"})
        previous = (status, on)
    joined, confirmed = by_status.get(Status.PROBATIONARY), by_status.get(Status.FULL)
    if joined and confirmed:
        try:
            earliest = joined.replace(year=joined.year + 1)
        except ValueError:  # 29 February
            earliest = joined.replace(year=joined.year + 1, day=28)
        if confirmed < earliest:
            raise ValidationError({"status": "转正日期应在入党日期满一年之后（预备期一年）。"})


def _derive_status(member: Member) -> None:
    events = list(StatusEvent.internal.filter(member=member).values_list("status", "on"))
    by_status = dict(events)
    current = max(events, key=lambda e: (STATUS_ORDER.index(e[0]), e[1])) if events else None
    member.status = current[0] if current else Status.APPLICANT
    member.status_since = current[1] if current else None
    member.joined_on = by_status.get(Status.PROBATIONARY)
    member.confirmed_on = by_status.get(Status.FULL)
    Member.internal.filter(pk=member.pk).update(status=member.status, status_since=member.status_since,
                                                joined_on=member.joined_on, confirmed_on=member.confirmed_on)


@transaction.atomic
def member_create(*, actor, branch: Organisation, history: list[tuple[str, date]], source: str = "roster",
                  audit_entry: bool = True, **fields) -> Member:
    """Add a person to a branch with their status history, e.g. [("activist", d1), ("probationary", d2)]."""
    scoping.require(actor, Action.MEMBERS, branch)
    if not history:
        raise ValidationError({"status": "请至少填写一个人员类别及其日期。"})
    member = Member(branch=branch, **fields)
    _apply_identity(member)
    member.status = history[-1][0]
    member.full_clean(exclude=["id_digest"])
    _check_unique_id(member)
    validate_history(member.birth_date, history)
    member.save()
    StatusEvent.objects.unscoped().bulk_create(
        [StatusEvent(member=member, status=status, on=on, source=source) for status, on in history])
    _derive_status(member)
    if audit_entry:
        audit.log(actor=actor, verb="member.create", target=member, detail={"status": member.status})
    return member


@transaction.atomic
def member_update(*, actor, member: Member, **fields) -> Member:
    scoping.require(actor, Action.MEMBERS, member.branch)
    before = {field: getattr(member, field) for field in fields}
    for field, value in fields.items():
        if field not in MEMBER_FIELDS:
            raise ValueError(f"field {field} cannot be edited here")
        setattr(member, field, value)
    if "id_number" in fields:
        member.birth_date = None
        member.gender = ""
    _apply_identity(member)
    member.full_clean(exclude=["id_digest"])
    _check_unique_id(member)
    member.save()
    changed = audit.changes(before, {field: getattr(member, field) for field in fields})
    for secret in ("id_number", "phone", "address"):
        if secret in changed:
            changed[secret] = ["***", "***"]
    audit.log(actor=actor, verb="member.update", target=member, detail=changed)
    return member


@transaction.atomic
def member_status_record(*, actor, member: Member, status: str, on: date, note: str = "",
                         source: str = "roster") -> StatusEvent:
    """Record that a person reached a status on a date; the derived fields follow."""
    scoping.require(actor, Action.MEMBERS, member.branch)
    if status not in Status.values:
        raise ValidationError({"status": "未知的人员类别。"})
    existing = list(StatusEvent.internal.filter(member=member).values_list("status", "on"))
    if any(s == status for s, _ in existing):
        raise ValidationError({"status": f"该党员已有“{Status(status).label}”记录。"})
    validate_history(member.birth_date, [*existing, (status, on)])
    event = StatusEvent(member=member, status=status, on=on, note=note, source=source)
    event.full_clean()
    event.save()
    _derive_status(member)
    audit.log(actor=actor, verb="member.status", target=member, detail={"status": status, "on": on.isoformat()})
    return event


@transaction.atomic
def member_status_remove(*, actor, member: Member, status: str, source: str | None = None) -> None:
    """Take back a status event (used when a development case's step is corrected)."""
    scoping.require(actor, Action.MEMBERS, member.branch)
    events = StatusEvent.internal.filter(member=member, status=status)
    if source is not None:
        events = events.filter(source=source)
    events.delete()
    _derive_status(member)
    audit.log(actor=actor, verb="member.status_remove", target=member, detail={"status": status})
