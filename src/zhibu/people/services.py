"""Roster writes. Status is a dated history; the member's current status and dates derive from it.

Every write here checks scope first, validates with the same rules whatever the face (page, API, command,
import), and leaves one audit entry. `prepare`, `history_from_dates`, `validate_history` and `derive` run
without queries so that the bulk import can use them row by row.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from pypinyin import Style, lazy_pinyin

from zhibu.audit import services as audit
from zhibu.core import events
from zhibu.core.crypto import digest
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action

from . import idnumber
from .codes import ethnicity_codes
from .models import Member, Status, StatusEvent

STATUS_ORDER: list[str] = [
    Status.APPLICANT,
    Status.ACTIVIST,
    Status.CANDIDATE,
    Status.PROBATIONARY,
    Status.FULL,
]
# The date that marks each status: its name in forms, the API and errors, and its Chinese label (the import
# template uses the same labels as column headers).
STATUS_DATES: dict[str, tuple[str, str]] = {
    Status.APPLICANT: ("applied_on", "申请入党日期"),
    Status.ACTIVIST: ("activist_on", "确定积极分子日期"),
    Status.CANDIDATE: ("candidate_on", "确定发展对象日期"),
    Status.PROBATIONARY: ("joined_on", "入党日期"),
    Status.FULL: ("confirmed_on", "转正日期"),
}
DATE_KEYS = [key for key, _ in STATUS_DATES.values()]
MEMBER_FIELDS = (
    "name",
    "id_number",
    "ethnicity",
    "education",
    "post",
    "phone",
    "address",
    "party_post",
    "party_group",
    "standing",
    "lost_contact",
    "lost_contact_since",
    "mobile",
    "mobile_destination",
)
SECRET_FIELDS = ("id_number", "phone", "address")


def pinyin_of(name: str) -> tuple[str, str]:
    """Full pinyin and initials: 张文慧 → ("zhangwenhui", "zwh")."""
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors="ignore")
    return "".join(syllables).lower(), "".join(s[0] for s in syllables if s).lower()


def _merge(errors: dict[str, list], exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, items in exc.error_dict.items():
            errors.setdefault(field, []).extend(items)
    else:
        errors.setdefault("__all__", []).extend(exc.error_list)


def _apply_identity(member: Member) -> None:
    """Derive birth date and sex from the ID number, refusing a contradiction with what was typed."""
    member.name_pinyin, member.name_initials = pinyin_of(member.name or "")
    try:
        parsed = idnumber.parse(member.id_number)
    except idnumber.IdNumberError as exc:
        raise ValidationError({"id_number": str(exc)}) from exc
    errors = {}
    if member.birth_date and member.birth_date != parsed.birth_date:
        errors["birth_date"] = f"与公民身份号码不一致（号码中为 {parsed.birth_date:%Y-%m-%d}）。"
    if member.gender and member.gender != parsed.gender:
        errors["gender"] = "与公民身份号码不一致（号码第 17 位{}）。".format(
            "为奇数，应为男" if parsed.gender == "1" else "为偶数，应为女"
        )
    if errors:
        raise ValidationError(errors)
    member.id_number = parsed.value
    member.id_digest = digest(parsed.value)
    member.birth_date = parsed.birth_date
    member.gender = parsed.gender


def birth_date_of(member: Member) -> date | None:
    """The birth date to check a history against: the ID number's, when it can be read."""
    try:
        return idnumber.parse(member.id_number).birth_date
    except idnumber.IdNumberError:
        return member.birth_date


def prepare(member: Member) -> None:
    """Derive identity fields and validate one member row, collecting every error. Runs no query when the
    branch and party group are loaded instances (ID uniqueness is checked by the caller)."""
    errors: dict[str, list] = {}
    try:
        _apply_identity(member)
    except ValidationError as exc:
        _merge(errors, exc)
    # Foreign keys hold instances already resolved through scoping; Django's per-field existence check would
    # cost a query per row. clean() checks that the 党小组 belongs to the branch.
    # 民族 is checked against the cached GB/T 3304 set: Django would rebuild the 57 callable choices per row.
    skip = {"id_digest", "user", "branch", "party_group", "ethnicity"}
    if member.ethnicity not in ethnicity_codes():
        errors.setdefault("ethnicity", []).append(ValidationError("不在 GB/T 3304 民族代码表中。"))
    if errors:
        skip |= {"id_number", "birth_date", "gender"}
    try:
        member.full_clean(exclude=sorted(skip), validate_unique=False)
    except ValidationError as exc:
        _merge(errors, exc)
    if errors:
        raise ValidationError(errors)


def _check_unique_id(member: Member, actor=None) -> None:
    # Crosses scopes on purpose: an ID number is unique in the whole database. Only a digest is compared.
    # Where the other record lies is said only to an actor who may see that record; anyone else learns neither
    # where it is nor that it exists elsewhere.
    clash = (
        Member.objects.unscoped()
        .filter(id_digest=member.id_digest)
        .exclude(pk=member.pk)
        .select_related("branch")
        .first()
    )
    if clash is None:
        return
    if actor is not None and scoping.can(actor, Action.MEMBERS, clash.branch):
        raise ValidationError({"id_number": f"该公民身份号码已登记在{clash.branch.name}的党员名下。"})
    raise ValidationError(
        {"id_number": "该公民身份号码无法登记，请核对；如号码无误，请与上级党组织联系办理。"}
    )


def history_from_dates(status: str, dates: Mapping[str, date | None]) -> list[tuple[str, date]]:
    """Turn a 人员类别 and the five milestone dates into a history, checking they agree (SJ-09: a 预备党员 has
    an 入党日期 and no 转正日期; a 正式党员 has both)."""
    if status not in Status.values:
        raise ValidationError(
            {"status": "请选择人员类别（申请人、入党积极分子、发展对象、预备党员、正式党员）。"}
        )
    rank = STATUS_ORDER.index(status)
    label = Status(status).label
    errors: dict[str, str] = {}
    key, date_label = STATUS_DATES[status]
    if not dates.get(key):
        errors[key] = f"人员类别为“{label}”时须填写{date_label}。"
    if status == Status.FULL and not dates.get("joined_on"):
        errors["joined_on"] = "正式党员须同时填写入党日期。"
    for later in STATUS_ORDER[rank + 1 :]:
        later_key, later_label = STATUS_DATES[later]
        if dates.get(later_key):
            errors[later_key] = f"人员类别为“{label}”时不应填写{later_label}。"
    if errors:
        raise ValidationError(errors)
    return [(s, day) for s in STATUS_ORDER[: rank + 1] if (day := dates.get(STATUS_DATES[s][0]))]


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def validate_history(birth_date: date, events: list[tuple[str, date]]) -> None:
    """SJ-09 and the order of statuses: each later milestone on or after the earlier ones, none before birth or
    after today, 转正 at least one year after 入党 (the probation year)."""
    by_status = dict(events)
    errors: dict[str, str] = {}
    previous: tuple[str, date] | None = None
    today = date.today()
    for status in STATUS_ORDER:
        on = by_status.get(status)
        if on is None:
            continue
        key, label = STATUS_DATES[status]
        if birth_date and on <= birth_date:
            errors[key] = f"{label}不能早于出生日期。"
        elif on > today:
            errors[key] = f"{label}不能晚于今天。"
        elif previous and on < previous[1]:
            errors[key] = f"{label}不能早于{STATUS_DATES[previous[0]][1]}（{previous[1]:%Y-%m-%d}）。"
        previous = (status, on)
    joined, confirmed = by_status.get(Status.PROBATIONARY), by_status.get(Status.FULL)
    if joined and confirmed and confirmed < _one_year_after(joined) and "confirmed_on" not in errors:
        errors["confirmed_on"] = "转正日期应在入党日期满一年之后（预备期为一年）。"
    if errors:
        raise ValidationError(errors)


def derive(events: list[tuple[str, date]]) -> dict:
    """The fields that follow from a history: current status, since when, 入党日期 and 转正日期."""
    by_status = dict(events)
    current = max(events, key=lambda e: (STATUS_ORDER.index(e[0]), e[1])) if events else None
    return {
        "status": current[0] if current else Status.APPLICANT,
        "status_since": current[1] if current else None,
        "joined_on": by_status.get(Status.PROBATIONARY),
        "confirmed_on": by_status.get(Status.FULL),
    }


def _derive_status(member: Member) -> None:
    events = list(StatusEvent.objects.unscoped().filter(member=member).values_list("status", "on"))
    fields = derive(events)
    for name, value in fields.items():
        setattr(member, name, value)
    Member.objects.unscoped().filter(pk=member.pk).update(**fields)


ROSTER_FIELDS_FOR_LIGHTS = frozenset({"party_post", "party_group", "standing", "left_on"})
PARTY_STATUSES = frozenset({Status.PROBATIONARY, Status.FULL})


def roster_changed(branch: Organisation) -> None:
    """Who is expected at meetings and who sits on the committee changed: announced on commit (the stored lights
    follow; the rules app subscribes)."""
    events.announce(events.ROSTER, org_ids=[branch.pk])


@transaction.atomic
def member_create(
    *,
    actor,
    branch: Organisation,
    history: list[tuple[str, date]],
    source: str = "roster",
    audit_entry: bool = True,
    **fields,
) -> Member:
    """Add a person to a branch with their status history, e.g. [("activist", d1), ("probationary", d2)].

    `fields` may carry birth_date and gender as typed by the user: they are cross-checked with the ID number.
    """
    scoping.require(actor, Action.MEMBERS, branch)
    unknown = set(fields) - set(MEMBER_FIELDS) - {"birth_date", "gender", "user"}
    if unknown:
        raise ValueError(f"fields {sorted(unknown)} cannot be set here")
    errors: dict[str, list] = {}
    if not history:
        errors["status"] = [ValidationError("请至少填写一个人员类别及其日期。")]
    member = Member(branch=branch, **fields)
    try:
        prepare(member)
    except ValidationError as exc:
        _merge(errors, exc)
    birth = birth_date_of(member)
    if history and birth:
        try:
            validate_history(birth, history)
        except ValidationError as exc:
            _merge(errors, exc)
    if errors:
        raise ValidationError(errors)
    _check_unique_id(member, actor)
    for name, value in derive(history).items():
        setattr(member, name, value)
    member.save()
    StatusEvent.objects.unscoped().bulk_create(
        [StatusEvent(member=member, status=status, on=on, source=source) for status, on in history]
    )
    if audit_entry:
        audit.log(actor=actor, verb="member.create", target=member, detail={"status": member.status})
    if any(status in PARTY_STATUSES for status, _ in history):
        roster_changed(branch)
    return member


@transaction.atomic
def member_update(*, actor, member: Member, **fields) -> Member:
    """Change roster fields. Birth date and sex follow the ID number; status changes go through
    member_status_record. Nothing is written (and nothing audited) when no value changes."""
    scoping.require(actor, Action.MEMBERS, member.branch)
    for field in fields:
        if field not in MEMBER_FIELDS:
            raise ValueError(f"field {field} cannot be edited here")
    before = {field: getattr(member, field) for field in fields}
    for field, value in fields.items():
        setattr(member, field, value)
    if "id_number" in fields:
        # Cleared for a moment so that prepare() derives both again from the new ID number.
        member.birth_date = None  # type: ignore[assignment]
        member.gender = ""
    prepare(member)
    if "id_number" in fields:
        _check_unique_id(member, actor)
    changed = audit.changes(before, {field: getattr(member, field) for field in fields})
    if not changed:
        return member
    member.save()
    for secret in SECRET_FIELDS:
        if secret in changed:
            changed[secret] = ["***", "***"]
    audit.log(actor=actor, verb="member.update", target=member, detail=changed)
    if ROSTER_FIELDS_FOR_LIGHTS & set(changed):
        roster_changed(member.branch)
    return member


@transaction.atomic
def member_status_record(
    *, actor, member: Member, status: str, on: date, note: str = "", source: str = "roster"
) -> StatusEvent:
    """Record that a person reached a status on a date; the derived fields follow."""
    scoping.require(actor, Action.MEMBERS, member.branch)
    if status not in Status.values:
        raise ValidationError({"status": "未知的人员类别。"})
    if on is None:
        raise ValidationError({"on": "请填写日期。"})
    existing = list(StatusEvent.objects.unscoped().filter(member=member).values_list("status", "on"))
    if any(s == status for s, _ in existing):
        raise ValidationError({"status": f"该党员已有“{Status(status).label}”记录。"})
    validate_history(member.birth_date, [*existing, (status, on)])
    event = StatusEvent(member=member, status=status, on=on, note=note, source=source)
    event.full_clean()
    event.save()
    _derive_status(member)
    audit.log(
        actor=actor, verb="member.status", target=member, detail={"status": status, "on": on.isoformat()}
    )
    if status in PARTY_STATUSES:
        roster_changed(member.branch)
    return event


@transaction.atomic
def member_status_remove(*, actor, member: Member, status: str, source: str | None = None) -> None:
    """Take back a status event (used when a development case's step is corrected)."""
    scoping.require(actor, Action.MEMBERS, member.branch)
    events = StatusEvent.objects.unscoped().filter(member=member, status=status)
    if source is not None:
        events = events.filter(source=source)
    events.delete()
    _derive_status(member)
    audit.log(actor=actor, verb="member.status_remove", target=member, detail={"status": status})
    if status in PARTY_STATUSES:
        roster_changed(member.branch)


def member_reveal(*, actor, member: Member) -> dict[str, str]:
    """The unmasked personal data of one member, for an actor with Action.PII; every call is audited."""
    scoping.require(actor, Action.PII, member.branch)
    audit.log(actor=actor, verb="member.reveal", target=member, detail={"fields": list(SECRET_FIELDS)})
    return {"id_number": member.id_number, "phone": member.phone, "address": member.address}
