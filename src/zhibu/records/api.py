"""REST face of 组织生活纪实 at /api/v1/records/: the same selectors and services as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from zhibu.core.apischema import Id, Limit, Month, Offset, Year
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action

from . import selectors, services
from .models import Activity

router = Router(tags=["组织生活"])

PresenceValue = Literal["present", "leave", "absent"]


class AttendanceIn(Schema):
    member_id: Id
    presence: PresenceValue
    reason: str = ""


class ActivityIn(Schema):
    kind: str = Field(description="活动类型代码，如 committee-meeting")
    topic: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    host_id: Id | None = None
    speaker_id: Id | None = None
    speaker_name: str = ""
    recorder_id: Id | None = None
    content: str = ""
    decisions: str = ""
    for_year: int | None = Field(
        None, description="组织生活会、民主评议党员、述职评议的所属年度；省略时 1—3 月召开的记为上一年度"
    )
    attendance: list[AttendanceIn] | None = Field(
        None, description="每位党员的出勤；未列出的按缺席登记。修改时省略则保留原有出勤。"
    )


class ActivityCreateIn(ActivityIn):
    org: str = Field(description="党支部或党小组代码")


class ActivityOut(Schema):
    id: int
    org: str
    org_name: str
    kind: str
    kind_name: str
    topic: str
    starts_at: datetime
    ends_at: datetime
    held_on: date
    for_year: int | None = None
    location: str
    expected_count: int | None = None
    present_count: int | None = None
    committee_size: int | None = None
    committee_present: int | None = None
    quorum_met: bool | None = None
    recorded_at: datetime | None = None


class AttendanceOut(Schema):
    member_id: int
    name: str
    presence: str
    reason: str


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int


class ActivityDetailOut(ActivityOut):
    full: bool
    host_id: int | None = None
    speaker_id: int | None = None
    speaker_name: str | None = None
    recorder_id: int | None = None
    content: str | None = None
    decisions: str | None = None
    attendance: list[AttendanceOut] | None = None
    attachments: list[AttachmentOut] | None = None
    my_presence: str | None = None


class KindOut(Schema):
    code: str
    name: str
    org: str | None
    needs_speaker: bool
    checks_quorum: bool


class KindIn(Schema):
    org: str
    name: str
    needs_speaker: bool = False


def _row_out(row: selectors.ActivityRow) -> dict:
    return {
        "id": row.pk,
        "org": row.org_code,
        "org_name": row.org_label,
        "kind": row.kind_code,
        "kind_name": row.kind_name,
        "topic": row.topic,
        "starts_at": row.starts_at,
        "ends_at": row.ends_at,
        "held_on": row.held_on,
        "location": row.location,
        "expected_count": row.expected_count,
        "present_count": row.present_count,
        "committee_size": row.committee_size,
        "committee_present": row.committee_present,
        "quorum_met": row.quorum_met,
        "recorded_at": row.recorded_at,
    }


def _detail_out(request, activity: Activity, level: str) -> dict:
    full = level == selectors.FULL
    out = {
        "id": activity.pk,
        "org": activity.org.code,
        "org_name": activity.org.label,
        "kind": activity.kind.code,
        "kind_name": activity.kind.name,
        "topic": activity.topic,
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "held_on": activity.held_on,
        "for_year": activity.for_year,
        "location": activity.location,
        "full": full,
    }
    if full:
        out.update(
            expected_count=activity.expected_count,
            present_count=activity.present_count,
            committee_size=activity.committee_size,
            committee_present=activity.committee_present,
            quorum_met=activity.quorum_met,
            recorded_at=activity.recorded_at,
            host_id=activity.host_id,
            speaker_id=activity.speaker_id,
            speaker_name=activity.speaker_name,
            recorder_id=activity.recorder_id,
            content=activity.content,
            decisions=activity.decisions,
            attendance=[
                {"member_id": a.member_id, "name": a.member.name, "presence": a.presence, "reason": a.reason}
                for a in selectors.attendance_of(request.user, activity)
            ],
            attachments=[
                {"id": f.pk, "name": f.name, "content_type": f.content_type, "size": f.size}
                for f in selectors.attachments_of(request.user, activity)
            ],
        )
    else:
        mine = selectors.own_attendance(request.user, activity)
        out["my_presence"] = mine.presence if mine else None
    return out


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _fields(request, org: Organisation, payload: ActivityIn) -> dict:
    kind = selectors.kind_by_code(org, payload.kind)
    if kind is None:
        raise ValidationError({"kind": f"未知的活动类型：{payload.kind}"})
    ids = {"host": payload.host_id, "speaker": payload.speaker_id, "recorder": payload.recorder_id}
    members = selectors.branch_members(request.user, org, [i for i in ids.values() if i])
    fields = {
        "kind": kind,
        "topic": payload.topic,
        "starts_at": _aware(payload.starts_at),
        "ends_at": _aware(payload.ends_at),
        "location": payload.location,
        "speaker_name": payload.speaker_name,
        "content": payload.content,
        "decisions": payload.decisions,
        "for_year": payload.for_year,
    }
    labels = {"host": "主持人", "speaker": "主讲人", "recorder": "记录人"}
    for name, member_id in ids.items():
        if member_id and member_id not in members:
            raise ValidationError({name: f"{labels[name]}必须是本支部党员。"})
        fields[name] = members.get(member_id) if member_id else None
    return fields


def _attendance(payload: ActivityIn) -> dict[int, tuple[str, str]] | None:
    if payload.attendance is None:
        return None
    result: dict[int, tuple[str, str]] = {}
    for entry in payload.attendance:
        if entry.member_id in result:
            raise ValidationError({"attendance": f"编号 {entry.member_id} 的人员重复出现。"})
        result[entry.member_id] = (entry.presence, entry.reason)
    return result


@router.get(
    "/activities",
    response=list[ActivityOut],
    url_name="records_list",
    summary="组织生活记录列表（含下级组织）",
)
def activity_list(
    request,
    org: str,
    year: Year | None = None,
    month: Month | None = None,
    kind: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
):
    organisation, _level = selectors.get_org(request.user, org)
    if month is not None and (year is None or not 1 <= month <= 12):
        raise ValidationError({"month": "按月筛选须同时给出年份，月份为 1–12。"})
    rows = selectors.rows(request.user, organisation, year=year, month=month, kind=kind)
    return [_row_out(row) for row in rows[offset : offset + limit]]


@router.get(
    "/activities/{activity_id}",
    response=ActivityDetailOut,
    url_name="records_detail",
    summary="一条记录；普通党员只看到日程信息",
)
def activity_detail(request, activity_id: Id):
    activity, level = selectors.get_activity(request.user, activity_id)
    return _detail_out(request, activity, level)


@router.post(
    "/activities", response={201: ActivityDetailOut}, url_name="records_create", summary="新建记录与出勤"
)
def activity_create(request, payload: ActivityCreateIn):
    org = scoping.get_org(request.user, Action.RECORD, payload.org)
    activity = services.activity_record(
        actor=request.user, org=org, **_fields(request, org, payload), attendance=_attendance(payload) or {}
    )
    return Status(201, _detail_out(request, activity, selectors.FULL))


@router.put(
    "/activities/{activity_id}",
    response=ActivityDetailOut,
    url_name="records_update",
    summary="修改记录；给出 attendance 时整体替换出勤",
)
def activity_update(request, activity_id: Id, payload: ActivityIn):
    activity = selectors.get_activity_for(request.user, activity_id, Action.RECORD)
    services.activity_update(
        actor=request.user,
        activity=activity,
        **_fields(request, activity.org, payload),
        attendance=_attendance(payload),
    )
    return _detail_out(request, activity, selectors.FULL)


@router.delete(
    "/activities/{activity_id}", response={204: None}, url_name="records_delete", summary="删除记录"
)
def activity_delete(request, activity_id: Id):
    activity = selectors.get_activity_for(request.user, activity_id, Action.RECORD)
    services.activity_delete(actor=request.user, activity=activity)
    return Status(204, None)


@router.get("/kinds", response=list[KindOut], url_name="records_kinds", summary="某组织可用的活动类型")
def kind_list(request, org: str):
    organisation, _level = selectors.get_org(request.user, org)
    return [
        {
            "code": k.code,
            "name": k.name,
            "org": k.org.code if k.org else None,
            "needs_speaker": k.needs_speaker,
            "checks_quorum": k.checks_quorum,
        }
        for k in selectors.kinds_for(organisation)
    ]


@router.post(
    "/kinds", response={201: KindOut}, url_name="records_kind_create", summary="添加本组织的活动类型"
)
def kind_create(request, payload: KindIn):
    organisation = Organisation.objects.select_related("type").filter(code=payload.org).first()
    if organisation is None:
        raise scoping.NotVisible("不存在或无权访问。")
    kind = services.kind_create(
        actor=request.user, org=organisation, name=payload.name, needs_speaker=payload.needs_speaker
    )
    return Status(
        201,
        {
            "code": kind.code,
            "name": kind.name,
            "org": organisation.code,
            "needs_speaker": kind.needs_speaker,
            "checks_quorum": kind.checks_quorum,
        },
    )
