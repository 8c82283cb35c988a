"""Reads for the 台账 and exports: rows of each unit for an organisation's subtree and a period, templates
offered to an organisation. Everything goes through `visible_to`; nothing here writes."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhibu.development.models import Case
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation, OrgType
from zhibu.orgs.roles import Action
from zhibu.people.codes import Gender
from zhibu.people.models import Status
from zhibu.records.models import Activity, ActivityKind, Attachment, Attendance

from .fields import ACTIVITY, ATTENDANCE, QUARTER
from .models import ExportTemplate, TemplateVersion

PRESENCE_LABELS = dict(Attendance.Presence.choices)
STATUS_LABELS = dict(Status.choices)
GENDER_LABELS = dict(Gender.choices)


def _subtree(org: Organisation, field: str) -> Q:
    low, high = org.subtree_bounds()
    return Q(**{f"{field}__path__gte": low, f"{field}__path__lte": high})


def kind_names(org: Organisation) -> dict[str, str]:
    """{code: name} of the activity kinds an organisation may use (built-in and its ancestors' own)."""
    kinds = ActivityKind.objects.for_org(org)
    return dict(kinds.order_by("order", "id").values_list("code", "name"))


# ---------------------------------------------------------------------------------------------- templates


def templates_for(actor, org: Organisation) -> list[ExportTemplate]:
    """Templates an organisation's people may download: the system's and those of the organisation and its
    ancestors (a superior defines a sheet once for its whole subtree)."""
    scoping.require(actor, Action.VIEW, org)
    qs = ExportTemplate.objects.unscoped().filter(
        Q(org__isnull=True) | Q(org__path__in=org.ancestor_paths(include_self=True))
    )
    return list(qs.select_related("org").order_by("org__path", "name", "id"))


def template_for(actor, org: Organisation, pk: int) -> ExportTemplate:
    for template in templates_for(actor, org):
        if template.pk == pk:
            return template
    raise scoping.NotVisible("不存在或无权访问。")


def editable_template(actor, pk: int) -> ExportTemplate:
    """A template the actor may change: defined at an organisation the actor supervises."""
    template = (
        ExportTemplate.objects.visible_to(actor, Action.SUPERVISE).select_related("org").filter(pk=pk).first()
    )
    if template is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return template


def latest_version(template: ExportTemplate) -> TemplateVersion | None:
    return TemplateVersion.objects.unscoped().filter(template=template).order_by("-number").first()


def versions_of(template: ExportTemplate) -> QuerySet[TemplateVersion]:
    return TemplateVersion.objects.unscoped().filter(template=template).select_related("created_by")


# ---------------------------------------------------------------------------------------------- rows

_ACTIVITY_COLUMNS = (
    "pk",
    "org__name",
    "org__code",
    "kind__code",
    "kind__name",
    "topic",
    "held_on",
    "starts_at",
    "ends_at",
    "location",
    "host__name",
    "speaker__name",
    "speaker_name",
    "recorder__name",
    "content",
    "decisions",
    "expected_count",
    "present_count",
)


def _activities(actor, org: Organisation, start: date, end: date, kinds: list[str]) -> list[dict]:
    qs = Activity.objects.visible_to(actor, Action.VIEW).filter(
        _subtree(org, "org"), held_on__gte=start, held_on__lte=end
    )
    if kinds:
        qs = qs.filter(kind__code__in=kinds)
    return list(qs.order_by("held_on", "starts_at", "id").values(*_ACTIVITY_COLUMNS))


def _people(actor, org: Organisation, start: date, end: date, kinds: list[str]) -> dict[int, list[dict]]:
    qs = Attendance.objects.visible_to(actor, Action.VIEW).filter(
        _subtree(org, "activity__org"), activity__held_on__gte=start, activity__held_on__lte=end
    )
    if kinds:
        qs = qs.filter(activity__kind__code__in=kinds)
    by_activity: dict[int, list[dict]] = defaultdict(list)
    for row in qs.order_by("member__name_pinyin", "member_id").values(
        "activity_id", "member__name", "member__gender", "member__status", "presence", "reason"
    ):
        by_activity[row["activity_id"]].append(row)
    return by_activity


def _files(actor, org: Organisation, start: date, end: date) -> dict[int, list[str]]:
    qs = Attachment.objects.visible_to(actor, Action.VIEW).filter(
        _subtree(org, "activity__org"), activity__held_on__gte=start, activity__held_on__lte=end
    )
    names: dict[int, list[str]] = defaultdict(list)
    for activity_id, name in qs.order_by("id").values_list("activity_id", "name"):
        names[activity_id].append(name)
    return names


def _clock(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M") if moment else ""


def _activity_values(a: dict, people: list[dict], files: list[str]) -> dict:
    present = [p["member__name"] for p in people if p["presence"] == Attendance.Presence.PRESENT]
    leave = [p for p in people if p["presence"] == Attendance.Presence.LEAVE]
    absent = [p["member__name"] for p in people if p["presence"] == Attendance.Presence.ABSENT]
    return {
        "org_name": a["org__name"],
        "org_code": a["org__code"],
        "kind_code": a["kind__code"],
        "kind_name": a["kind__name"],
        "topic": a["topic"],
        "held_on": a["held_on"],
        "time_range": f"{_clock(a['starts_at'])}—{_clock(a['ends_at'])}",
        "location": a["location"],
        "host": a["host__name"] or "",
        "speaker": a["speaker__name"] or a["speaker_name"] or "",
        "recorder": a["recorder__name"] or "",
        "content": a["content"],
        "decisions": a["decisions"],
        "expected_count": a["expected_count"],
        "present_count": a["present_count"],
        "leave_count": len(leave),
        "absent_count": len(absent),
        "present_names": "、".join(present),
        "leave_names": "、".join(f"{p['member__name']}（{p['reason']}）" for p in leave),
        "absent_names": "、".join(absent),
        "attachments": "、".join(files),
    }


def meeting_rows(
    actor, org: Organisation, start: date, end: date, kinds: list[str] | tuple[str, ...] = ()
) -> list[dict]:
    """One dict per activity of the subtree in [start, end], in date order, with its people and files."""
    scoping.require(actor, Action.VIEW, org)
    kinds = list(kinds)
    people = _people(actor, org, start, end, kinds)
    files = _files(actor, org, start, end)
    return [
        _activity_values(a, people.get(a["pk"], []), files.get(a["pk"], []))
        for a in _activities(actor, org, start, end, kinds)
    ]


def attendance_rows(
    actor, org: Organisation, start: date, end: date, kinds: list[str] | tuple[str, ...] = ()
) -> list[dict]:
    """One dict per member per activity: the activity's values and the member's presence."""
    scoping.require(actor, Action.VIEW, org)
    kinds = list(kinds)
    people = _people(actor, org, start, end, kinds)
    files = _files(actor, org, start, end)
    rows: list[dict] = []
    for a in _activities(actor, org, start, end, kinds):
        base = _activity_values(a, people.get(a["pk"], []), files.get(a["pk"], []))
        for p in people.get(a["pk"], []):
            rows.append(
                {
                    **base,
                    "member_name": p["member__name"],
                    "member_gender": GENDER_LABELS.get(p["member__gender"], ""),
                    "member_status": STATUS_LABELS.get(p["member__status"], ""),
                    "presence": PRESENCE_LABELS[p["presence"]],
                    "reason": p["reason"],
                }
            )
    return rows


def quarter_rows(
    actor, org: Organisation, start: date, end: date, kinds: list[str] | tuple[str, ...] = ()
) -> list[dict]:
    """One dict per organisation that holds activities (branches and groups below `org`) per quarter in the
    period, with a count per kind; organisations that held nothing in a quarter are listed with zeros."""
    scoping.require(actor, Action.VIEW, org)
    kinds = list(kinds)
    counts: dict[tuple[int, int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for a in _activities(actor, org, start, end, kinds):
        held = a["held_on"]
        counts[(a["org__code"], held.year, (held.month - 1) // 3 + 1)][a["kind__code"]] += 1
    low, high = org.subtree_bounds()
    units = list(
        scoping.organisations(actor, Action.VIEW)
        .filter(path__gte=low, path__lte=high, dissolved_on__isnull=True, type__level=OrgType.Level.BRANCH)
        .order_by("path")
        .values_list("code", "name")
    )
    quarters = []
    year, quarter = start.year, (start.month - 1) // 3 + 1
    while date(year, quarter * 3 - 2, 1) <= end:
        quarters.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    rows = []
    for code, name in units:
        for year, quarter in quarters:
            by_kind = counts.get((code, year, quarter), {})
            row = {
                "org_name": name,
                "org_code": code,
                "period": f"{year}年第{quarter}季度",
                "count_total": sum(by_kind.values()),
            }
            row.update({f"count:{kind}": n for kind, n in by_kind.items()})
            rows.append(row)
    return rows


ROWS = {ATTENDANCE: attendance_rows, ACTIVITY: meeting_rows, QUARTER: quarter_rows}


def cases_in(actor, org: Organisation, limit: int = 50) -> list:
    """The subtree's 发展党员 cases, newest first, for links to their 纪实."""
    return list(
        Case.objects.visible_to(actor, Action.VIEW)
        .filter(_subtree(org, "org"))
        .select_related("member")
        .order_by("-started_on", "-id")[:limit]
    )
