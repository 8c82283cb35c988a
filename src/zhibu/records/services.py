"""Writes of organisational-life records (组织生活纪实): activities with attendance, attachments, custom kinds.

Where a record lives. An activity belongs to a 党支部 or to one of its 党小组 (never to a 党委: members are kept
on branch rosters). A 党小组会 may be recorded at either node: at the 党小组 when one group met (the usual case,
and what ZB-03's monthly obligation per 党小组 counts) — its roster is then that group's members — or at the
branch when the branch has no groups or all groups met together. A 支委会 (a kind that checks the quorum) is
always recorded at the branch. Writing needs Action.RECORD on the node, so a branch's secretary may record for
its groups, and a 党小组长 whose role is held at the group only for that group.

Who is expected (the roster). The 预备党员 and 正式党员 of the branch (or group) in good standing who had joined by
the day of the activity and had not left the branch before it; for a 支委会, only the committee members among
them (a 支委会 is a meeting of the committee: 应到 is the committee). Everyone on the roster gets an attendance row;
anyone not named is 缺席. Naming someone from another branch is refused; naming a member of the branch who was
not on the roster that day is refused too, unless they are marked 缺席 (a default row from the form, ignored).

Counts kept on the record on every write: held_on (local date of starts_at), expected_count, present_count,
and for a 支委会 committee_size and committee_present (committee = the members who held a committee post on the
day held, from the dated posts; 0 for other kinds, where no quorum applies). A 支委会
below quorum (ZB-02) is saved and flagged, never refused. recorded_at is set once, when the record is created.

After every write the lights of the months touched are refreshed inside the same transaction.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhibu.audit import services as audit
from zhibu.core import events, filestore, uploads
from zhibu.core.cn import date_cn
from zhibu.core.months import year_month
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.people.models import Member
from zhibu.people.services import pinyin_of

from . import selectors
from .models import Activity, ActivityKind, Attachment, Attendance, default_year

Presence = Attendance.Presence
AttendanceInput = Mapping[int, tuple[str, str]]  # member id -> (presence, reason)

EDITABLE_FIELDS = (
    "kind",
    "topic",
    "starts_at",
    "ends_at",
    "location",
    "host",
    "speaker",
    "speaker_name",
    "recorder",
    "content",
    "decisions",
    "for_year",
)
_MEMBER_FIELDS = {"host": "主持人", "speaker": "主讲人", "recorder": "记录人"}


# ---------------------------------------------------------------------------------------------- activities

_month = year_month  # (year, month) of a day: the months whose lights a write touches


def _year_end(activity: Activity) -> set[tuple[int, int]]:
    """An annual meeting counts for the December of the year it is for (held perhaps in the next year)."""
    return {(activity.for_year, 12)} if activity.for_year is not None else set()


def _refresh_lights(org_id: int, months: set[tuple[int, int]]) -> None:
    """Announce (on commit) which organisation's months changed: the lights follow (the rules app subscribes)."""
    events.announce(events.RECORDS, org_ids=[org_id], months=months)


def _actor_or_none(actor):
    return actor if getattr(actor, "pk", None) else None


def _check_members(activity: Activity, branch: Organisation, errors: dict[str, list[str]]) -> None:
    for field, label in _MEMBER_FIELDS.items():
        member: Member | None = getattr(activity, field)
        if member is not None and member.branch_id != branch.pk:
            errors.setdefault(field, []).append(f"{label}必须是本支部党员。")


def _attendance_rows(
    actor,
    activity: Activity,
    branch: Organisation,
    attendance: AttendanceInput | None,
    keep: dict[int, tuple[str, str]],
    errors: dict[str, list[str]],
) -> list[Attendance]:
    """Validate the given attendance against the roster of the day and build one row per roster member."""
    kind = activity.kind if activity.kind_id else None
    on_roster = {m.pk: m for m in selectors.roster(actor, activity.org, activity.held_on, kind)}
    given: dict[int, tuple[str, str]] = {}
    if attendance is not None:
        known = selectors.branch_members(actor, activity.org, attendance.keys())
        for raw_id, value in attendance.items():
            member_id = int(raw_id)
            presence, reason = value[0], (value[1] or "").strip()
            if presence not in Presence.values:
                errors.setdefault("attendance", []).append("出勤情况只能是出席、请假或缺席。")
                continue
            member = known.get(member_id)
            if member is None:
                errors.setdefault("attendance", []).append(
                    f"编号 {member_id} 的人员不是本支部党员，不能登记出勤。"
                )
                continue
            if member_id not in on_roster:
                if presence != Presence.ABSENT:
                    errors.setdefault("attendance", []).append(_not_expected(member, activity, kind))
                continue
            if presence == Presence.LEAVE and not reason:
                errors.setdefault("attendance", []).append(f"{member.name}：请假须填写事由。")
                continue
            given[member_id] = (presence, reason[:200])
    rows = []
    for member_id, member in on_roster.items():
        presence, reason = given.get(member_id) or keep.get(member_id) or (Presence.ABSENT, "")
        rows.append(Attendance(activity=activity, member=member, presence=presence, reason=reason))
    return rows


def _not_expected(member: Member, activity: Activity, kind: ActivityKind | None) -> str:
    if (
        kind is not None
        and kind.checks_quorum
        and member.pk
        not in selectors.committee_on(selectors.branch_of(activity.org) or activity.org, activity.held_on)
    ):
        return f"{member.name}在{date_cn(activity.held_on)}不是支委会委员：{kind.name}只登记当时委员的出勤。"
    where = "本党小组" if activity.org.is_group else "本支部"
    return f"{member.name}在活动当天不在{where}党员名单中（未入党、已转出或不属于{where}），不能登记为出席或请假。"


def _count(activity: Activity, rows: list[Attendance]) -> None:
    activity.expected_count = len(rows)
    activity.present_count = sum(1 for r in rows if r.presence == Presence.PRESENT)
    if activity.kind.checks_quorum:
        # the roster of a 支委会 is the committee in office on the day held (dated posts), so its size is the
        # committee's then, whatever posts the roster shows today
        activity.committee_size = len(rows)
        activity.committee_present = sum(1 for r in rows if r.presence == Presence.PRESENT)
    else:
        activity.committee_size = activity.committee_present = 0


def _prepare(
    actor, activity: Activity, attendance: AttendanceInput | None, keep: dict[int, tuple[str, str]]
) -> list[Attendance]:
    """Derive and validate everything; raise one ValidationError naming every problem, before any write."""
    errors: dict[str, list[str]] = {}
    branch = selectors.branch_of(activity.org)
    if branch is None:
        raise ValidationError({"org": "组织生活记录只能登记在党支部或党小组。"})
    if activity.starts_at:
        activity.held_on = timezone.localtime(activity.starts_at).date()
    kind_: ActivityKind | None = activity.kind if activity.kind_id else None
    if kind_ is None or not kind_.annual:
        activity.for_year = None
    elif activity.for_year is None and activity.held_on is not None:
        activity.for_year = default_year(activity.held_on)
    try:
        activity.full_clean(exclude=["held_on"] if activity.held_on is None else None)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    kind: ActivityKind | None = activity.kind if activity.kind_id else None
    if kind is not None:
        if kind.checks_quorum and not activity.org.is_branch:
            errors.setdefault("kind", []).append(f"{kind.name}只能登记在党支部。")
        if kind.needs_speaker and activity.speaker_id is None and not activity.speaker_name.strip():
            errors.setdefault("speaker", []).append(f"{kind.name}须填写主讲人。")
    _check_members(activity, branch, errors)
    rows: list[Attendance] = []
    if activity.held_on is not None and "starts_at" not in errors:
        rows = _attendance_rows(actor, activity, branch, attendance, keep, errors)
    if errors:
        raise ValidationError(errors)
    _count(activity, rows)
    return rows


def _write_rows(activity: Activity, rows: list[Attendance]) -> None:
    Attendance.objects.unscoped().filter(activity=activity).delete()
    Attendance.objects.unscoped().bulk_create(rows)


def _summary(activity: Activity) -> dict:
    return {
        "expected": activity.expected_count,
        "present": activity.present_count,
        "committee": [activity.committee_present, activity.committee_size],
        "quorum_met": activity.quorum_met,
    }


@transaction.atomic
def activity_record(
    *,
    actor,
    org: Organisation,
    kind: ActivityKind,
    topic: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str = "",
    host: Member | None = None,
    speaker: Member | None = None,
    speaker_name: str = "",
    recorder: Member | None = None,
    content: str = "",
    decisions: str = "",
    for_year: int | None = None,
    attendance: AttendanceInput | None = None,
) -> Activity:
    """Record a piece of organisational life with its attendance. See the module docstring for the rules."""
    scoping.require(actor, Action.RECORD, org)
    activity = Activity(
        org=org,
        kind=kind,
        topic=(topic or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        location=(location or "").strip(),
        host=host,
        speaker=speaker,
        speaker_name=(speaker_name or "").strip(),
        recorder=recorder,
        content=content or "",
        decisions=decisions or "",
        recorded_at=timezone.now(),
        recorded_by=_actor_or_none(actor),
        for_year=for_year,
    )
    rows = _prepare(actor, activity, attendance, keep={})
    activity.save()
    _write_rows(activity, rows)
    audit.log(
        actor=actor,
        verb="activity.record",
        target=activity,
        detail={"kind": kind.code, "held_on": activity.held_on.isoformat(), **_summary(activity)},
    )
    _refresh_lights(activity.org_id, {_month(activity.held_on), *_year_end(activity)})
    return activity


def _snapshot(activity: Activity) -> dict:
    values = {}
    for field in EDITABLE_FIELDS:
        value = (
            getattr(activity, f"{field}_id")
            if field in ("kind", *_MEMBER_FIELDS)
            else getattr(activity, field)
        )
        values[field] = value.isoformat() if isinstance(value, datetime) else value
    return values


@transaction.atomic
def activity_update(
    *, actor, activity: Activity, attendance: AttendanceInput | None = None, **fields
) -> Activity:
    """Change a record. `attendance=None` keeps everyone's presence (the roster is still re-derived, e.g. when
    the date moved); a mapping replaces it, anyone not named becoming 缺席."""
    scoping.require(actor, Action.RECORD, activity.org)
    before = _snapshot(activity)
    before_summary = _summary(activity)
    old_month = _month(activity.held_on)
    old_year_end = _year_end(activity)
    for field, value in fields.items():
        if field not in EDITABLE_FIELDS:
            raise ValueError(f"field {field} cannot be edited here")
        if isinstance(value, str) and field not in ("content", "decisions"):
            value = value.strip()
        setattr(activity, field, value)
    keep = {}
    if attendance is None:
        keep = {
            a.member_id: (a.presence, a.reason)
            for a in Attendance.objects.visible_to(actor, Action.RECORD).filter(activity=activity)
        }
    rows = _prepare(actor, activity, attendance, keep=keep)
    activity.save()
    _write_rows(activity, rows)
    detail = audit.changes(before, _snapshot(activity))
    if attendance is not None or _summary(activity) != before_summary:
        detail["attendance"] = [before_summary, _summary(activity)]
    audit.log(actor=actor, verb="activity.update", target=activity, detail=detail)
    _refresh_lights(
        activity.org_id, {old_month, _month(activity.held_on), *old_year_end, *_year_end(activity)}
    )
    return activity


@transaction.atomic
def activity_delete(*, actor, activity: Activity) -> None:
    scoping.require(actor, Action.RECORD, activity.org)
    files = [
        name
        for att in Attachment.objects.visible_to(actor, Action.RECORD).filter(activity=activity)
        for name in (att.file.name, att.thumbnail.name)
        if name
    ]
    month, org_id, year_end = _month(activity.held_on), activity.org_id, _year_end(activity)
    audit.log(
        actor=actor,
        verb="activity.delete",
        target=activity,
        detail={
            "kind": activity.kind.code,
            "topic": activity.topic,
            "held_on": activity.held_on.isoformat(),
            "attachments": len(files),
        },
    )
    activity.delete()
    transaction.on_commit(lambda: _remove_files(files))
    _refresh_lights(org_id, {month, *year_end})


# ---------------------------------------------------------------------------------------------- attachments

FileType = uploads.FileType
JPEG, PNG, WEBP, PDF, DOC, DOCX = (
    uploads.JPEG,
    uploads.PNG,
    uploads.WEBP,
    uploads.PDF,
    uploads.DOC,
    uploads.DOCX,
)
ALLOWED = (JPEG, PNG, WEBP, PDF, DOC, DOCX)
ALLOWED_TEXT = "照片（JPG、PNG、WebP）、PDF 或 Word 文档（.doc、.docx）"
THUMBNAIL_BOX = (480, 360)


def _thumbnail(data: bytes, kind: FileType) -> bytes:
    """A small JPEG of an image that core.uploads has already checked (format, pixel count, whole decode)."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as opened:
        image = ImageOps.exif_transpose(opened)
        image.thumbnail(THUMBNAIL_BOX)
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, "white")
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        out = io.BytesIO()
        image.save(out, "JPEG", quality=82)
        return out.getvalue()


def _remove_files(names: Iterable[str | None]) -> None:
    from django.core.files.storage import default_storage

    for name in filter(None, names):
        try:
            default_storage.delete(name)
        except OSError:
            pass


def attachment_add(*, actor, activity: Activity, upload) -> Attachment:
    """Attach a photo, PDF or Word file to a record. The type is read from the content, not the name, and the
    whole file must parse as that type (core.uploads); that check and the thumbnail run before the write
    transaction begins."""
    scoping.require(actor, Action.RECORD, activity.org)
    try:
        data, kind = uploads.read(
            upload,
            allowed=ALLOWED,
            max_bytes=settings.ATTACHMENT_MAX_BYTES,
            what=ALLOWED_TEXT,
            noun="单个附件",
        )
    except uploads.Refused as exc:
        raise ValidationError({"file": exc.messages}) from exc
    thumb = _thumbnail(data, kind) if kind.is_image else None
    with transaction.atomic():
        return _attachment_save(
            actor=actor, activity=activity, upload=upload, data=data, kind=kind, thumb=thumb
        )


def _attachment_save(
    *, actor, activity: Activity, upload, data: bytes, kind: FileType, thumb: bytes | None
) -> Attachment:
    scoping.require(actor, Action.RECORD, activity.org)
    stem = uuid.uuid4().hex
    attachment = Attachment(
        activity=activity,
        name=uploads.clean_name(getattr(upload, "name", "")),
        content_type=kind.content_type,
        size=len(data),
        uploaded_by=_actor_or_none(actor),
    )
    written = [filestore.save(attachment.file, f"{stem}{kind.extension}", data)]
    try:
        if thumb is not None:
            written.append(filestore.save(attachment.thumbnail, f"{stem}-thumb.jpg", thumb))
        attachment.full_clean()
        attachment.save()
    except Exception:
        _remove_files(written)
        raise
    audit.log(
        actor=actor,
        verb="attachment.add",
        target=attachment,
        org_path=activity.org.path,
        detail={
            "activity": activity.pk,
            "name": attachment.name,
            "type": kind.content_type,
            "size": len(data),
        },
    )
    _refresh_lights(activity.org_id, {_month(activity.held_on)})
    return attachment


@transaction.atomic
def attachment_delete(*, actor, attachment: Attachment) -> None:
    activity = attachment.activity
    scoping.require(actor, Action.RECORD, activity.org)
    files = [name for name in (attachment.file.name, attachment.thumbnail.name) if name]
    audit.log(
        actor=actor,
        verb="attachment.delete",
        target=attachment,
        org_path=activity.org.path,
        detail={"activity": activity.pk, "name": attachment.name},
    )
    attachment.delete()
    transaction.on_commit(lambda: _remove_files(files))
    _refresh_lights(activity.org_id, {_month(activity.held_on)})


# ---------------------------------------------------------------------------------------------- kinds


def _may_add_kind(actor, org: Organisation) -> bool:
    return scoping.can(actor, Action.RECORD, org) or scoping.can(actor, Action.SUPERVISE, org)


def require_kind_scope(actor, org: Organisation) -> None:
    """A branch that records, or a committee that supervises, may add kinds for its subtree."""
    if not _may_add_kind(actor, org):
        raise scoping.NotVisible("不存在或无权访问。")


@transaction.atomic
def kind_create(
    *, actor, org: Organisation, name: str, needs_speaker: bool = False, order: int = 150
) -> ActivityKind:
    """Add an organisation's own activity kind; its subtree may use it too."""
    require_kind_scope(actor, org)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写类型名称。"})
    nearby = selectors.kinds_around(org)
    if nearby.filter(name=name).exists():
        raise ValidationError({"name": f"已有名为“{name}”的活动类型。"})
    slug = "-".join(filter(None, [pinyin_of(name)[0][:30]])) or "kind"
    base = f"c-{slug}"
    taken = set(nearby.filter(code__startswith=base).values_list("code", flat=True))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    kind = ActivityKind(org=org, code=code, name=name, order=order, needs_speaker=bool(needs_speaker))
    kind.full_clean()
    kind.save()
    audit.log(actor=actor, verb="activity_kind.create", target=kind, detail={"name": name, "code": code})
    return kind
