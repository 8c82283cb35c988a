"""Pages of 组织生活纪实. Each view resolves the organisation or record through scoping first, then parses input,
then calls a selector or a service."""

from __future__ import annotations

import calendar as pycalendar
import re
from collections import defaultdict
from datetime import date, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhibu.audit import services as audit
from zhibu.core import months, uploads
from zhibu.core.web import apply_errors, page, paginate
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action

from . import checkin, selectors, services
from .forms import ActivityForm, AttachmentForm, AttendanceForm, KindForm
from .models import Activity, Attendance

_YEAR = re.compile(r"^\d{4}$")
WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]


def _parse_month(raw: str | None) -> tuple[int, int] | None:
    """(year, month) of a typed YYYY-MM (core.months.parse), or None when it is missing or invalid."""
    try:
        month = months.parse(raw)
    except ValidationError:
        return None
    return month.year, month.month


def _quorum_message(activity: Activity) -> str | None:
    if not activity.kind.checks_quorum:
        return None
    if not activity.committee_size:
        return "本支部未登记支委会委员（党内职务），无法判断支委会是否达到法定人数。"
    if activity.quorum_met:
        return None
    return (
        f"到会委员 {activity.committee_present} 人，支委会共 {activity.committee_size} 人，未超过半数："
        "按《中国共产党支部工作条例（试行）》第十二条，支委会须有半数以上委员到会方可召开。记录已保存，并标为"
        "“未达法定人数”：不计入每月召开支委会的要求，也不计入述职报告的会议次数。"
    )


# ---------------------------------------------------------------------------------------------- reading


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    org = scoping.home_org(request.user)
    if org is None:
        raise Http404("不存在或无权访问。")
    selectors.access_level(request.user, org)
    return redirect("records:list", code=org.code)


@login_required
@require_GET
def activity_list(request: HttpRequest, code: str) -> HttpResponse:
    org, level = selectors.get_org(request.user, code)
    kinds = list(selectors.kinds_for(org))
    kind = request.GET.get("kind") or ""
    if kind and kind not in {k.code for k in kinds}:
        kind = ""
    month_raw = request.GET.get("month") or ""
    ym = _parse_month(month_raw)
    year_raw = request.GET.get("year") or ""
    year = ym[0] if ym else (int(year_raw) if _YEAR.match(year_raw) else None)
    notice = "月份格式应为“年-月”，如 2022-03；已显示全部月份。" if month_raw and not ym else ""
    rows = selectors.rows(request.user, org, year=year, month=ym[1] if ym else None, kind=kind or None)
    page_obj = paginate(request, rows, per_page=30)
    summary_year = year or timezone.localdate().year
    counts = selectors.count_by_kind(request.user, org, summary_year)
    context = {
        "org": org,
        "full": level == selectors.FULL,
        "page": page_obj,
        "kinds": kinds,
        "kind": kind,
        "month": f"{ym[0]:04d}-{ym[1]:02d}" if ym else "",
        "year": year or "",
        "notice": notice,
        "summary_year": summary_year,
        "summary": [(k, counts[k.code]) for k in kinds if counts.get(k.code)],
        "can_record": scoping.can(request.user, Action.RECORD, org) and (org.is_branch or org.is_group),
        "query": _query_without_page(request),
    }
    return page(request, "records/activity_list.html", context, partial="records/_activity_rows.html")


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
@require_GET
def activity_calendar(request: HttpRequest, code: str) -> HttpResponse:
    org, level = selectors.get_org(request.user, code)
    today = timezone.localdate()
    month_raw = request.GET.get("month")
    ym = _parse_month(month_raw) or (today.year, today.month)
    year, month = ym
    by_day: dict[date, list] = defaultdict(list)
    for row in selectors.rows(request.user, org, year=year, month=month, oldest_first=True):
        by_day[row.held_on].append(row)
    weeks = [
        [{"day": d, "other": d.month != month, "today": d == today, "rows": by_day.get(d, [])} for d in week]
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    first = date(year, month, 1)
    previous = first - timedelta(days=1)
    following = first + timedelta(days=32)
    context = {
        "org": org,
        "full": level == selectors.FULL,
        "year": year,
        "month": month,
        "weeks": weeks,
        "weekdays": WEEKDAYS,
        "days": [(d, WEEKDAYS[d.weekday()], by_day[d]) for d in sorted(by_day)],
        "notice": "月份格式应为“年-月”，如 2022-03。" if month_raw and not _parse_month(month_raw) else "",
        "previous": f"{previous.year:04d}-{previous.month:02d}",
        "next": f"{following.year:04d}-{following.month:02d}",
        "can_record": scoping.can(request.user, Action.RECORD, org) and (org.is_branch or org.is_group),
    }
    return page(request, "records/activity_calendar.html", context)


def _detail_context(request: HttpRequest, activity: Activity, level: str, attachment_form=None) -> dict:
    full = level == selectors.FULL
    context = {
        "activity": activity,
        "full": full,
        "quorum_message": _quorum_message(activity) if full else None,
    }
    if full:
        attendance = selectors.attendance_of(request.user, activity)
        context.update(
            attendance=attendance,
            on_leave=[a for a in attendance if a.presence == Attendance.Presence.LEAVE],
            attachments=selectors.attachments_of(request.user, activity),
            can_record=scoping.can(request.user, Action.RECORD, activity.org),
            checkin_possible=timezone.now() < activity.ends_at + checkin.GRACE,
            attachment_form=attachment_form or AttachmentForm(),
        )
    else:
        context["mine"] = selectors.own_attendance(request.user, activity)
    return context


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity, level = selectors.get_activity(request.user, pk)
    return page(request, "records/activity_detail.html", _detail_context(request, activity, level))


# ---------------------------------------------------------------------------------------------- writing


def _start_in(month: str | None, now) -> datetime:
    """The form's first start time: the coming hour this month, or, for a fix link naming a past or future
    month (?month=2022-10), the 15th of that month at 14:30 — a date inside the period being fixed."""
    local = timezone.localtime(now)
    try:
        year, number = (int(part) for part in (month or "").split("-"))
        first = date(year, number, 1)
    except ValueError:
        first = None
    if (
        first is None
        or (first.year, first.month) == (local.year, local.month)
        or not 1921 <= first.year <= 2100
    ):
        return local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return timezone.make_aware(datetime(first.year, first.month, 15, 14, 30))


def _parse_day(raw: str | None, fallback: date) -> date:
    """The day whose roster the checklist shows: the given start if it parses, else the fallback."""
    field = ActivityForm.base_fields["starts_at"]
    try:
        value = field.clean(raw) if raw else None
    except ValidationError:
        value = None
    return timezone.localtime(value).date() if value else fallback


def _presence_from(params) -> dict[int, tuple[str, str]]:
    """Ticks carried over when the checklist is re-drawn (kind or date changed before saving)."""
    result = {}
    for key in params:
        if key.startswith("presence_") and key[9:].isdigit():
            value = params.get(key)
            if value in Attendance.Presence.values:
                result[int(key[9:])] = (value, params.get(f"reason_{key[9:]}", ""))
    return result


def _kind(kinds, code: str | None):
    return (kinds.filter(code=code).first() if code else None) or kinds.first()


def _apply_service_errors(form: ActivityForm, attendance_form: AttendanceForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            if field == "attendance":
                for error in errors:
                    attendance_form.add_error(None, error)
            else:
                apply_errors(form, ValidationError({field: errors}))
    else:
        apply_errors(form, exc)


def _render_form(request, org, form, attendance_form, kind, activity=None, status=200) -> HttpResponse:
    # Changing the kind re-draws the checklist (a 支委会 lists the committee only), keeping the ticks made.
    form.fields["kind"].widget.attrs.update(
        {
            "hx-get": request.path,
            "hx-trigger": "change",
            "hx-target": "#attendance-card",
            "hx-swap": "outerHTML",
            "hx-include": "closest form",
        }
    )
    # The end follows the start: the kind's usual length, or the length already set (core app.js).
    form.fields["ends_at"].widget.attrs["data-default-minutes"] = kind.default_minutes if kind else 60
    context = {
        "org": org,
        "form": form,
        "attendance_form": attendance_form,
        "lines": attendance_form.lines(),
        "activity": activity,
        "kind": kind,
    }
    return page(
        request, "records/activity_form.html", context, partial="records/_attendance.html", status=status
    )


def _kinds_at(org):
    kinds = selectors.kinds_for(org)
    return kinds if org.is_branch else kinds.exclude(checks_quorum=True)


def _post_form(request, org, kinds, fallback_day: date):
    kind = _kind(kinds, request.POST.get("kind"))
    expected = selectors.expected(
        request.user, org, _parse_day(request.POST.get("starts_at"), fallback_day), kind
    )
    form = ActivityForm(request.POST, kinds=kinds, members=expected.members)
    return kind, form, AttendanceForm(request.POST, members=expected.members, committee=expected.committee)


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.RECORD, code)
    if not (org.is_branch or org.is_group):
        raise Http404("组织生活记录只能登记在党支部或党小组。")
    kinds = _kinds_at(org)
    if request.method == "POST":
        kind, form, attendance_form = _post_form(request, org, kinds, timezone.localdate())
        if form.is_valid() & attendance_form.is_valid():
            try:
                activity = services.activity_record(
                    actor=request.user, org=org, **form.service_fields(), attendance=attendance_form.entries()
                )
            except ValidationError as exc:
                _apply_service_errors(form, attendance_form, exc)
            else:
                return _saved(request, activity, "组织生活记录已保存。")
        return _render_form(request, org, form, attendance_form, kind, status=400)
    kind = _kind(kinds, request.GET.get("kind"))
    starts = _start_in(request.GET.get("month"), timezone.now())
    ends = starts + timedelta(minutes=kind.default_minutes if kind else 60)
    initial = {"starts_at": starts, "ends_at": ends, "kind": kind.code if kind else None}
    expected = selectors.expected(
        request.user, org, _parse_day(request.GET.get("starts_at"), timezone.localdate()), kind
    )
    form = ActivityForm(initial=initial, kinds=kinds, members=expected.members)
    attendance_form = AttendanceForm(
        members=expected.members, committee=expected.committee, initial=_presence_from(request.GET)
    )
    return _render_form(request, org, form, attendance_form, kind)


def _with_query(url: str, **extra) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in extra]
    return urlunsplit(parts._replace(query=urlencode(query + [(k, str(v)) for k, v in extra.items()])))


def _saved(request: HttpRequest, activity: Activity, text: str) -> HttpResponse:
    messages.success(request, f"{text}应到 {activity.expected_count} 人，实到 {activity.present_count} 人。")
    warning = _quorum_message(activity)
    if warning:
        messages.warning(request, warning)
    back = request.POST.get("next") or request.GET.get("next")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        # A fix link: back to the lights of the month it fixed; that page names the record and the light it left.
        return redirect(_with_query(back, fixed=activity.pk))
    return redirect("records:detail", pk=activity.pk)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.get_activity_for(request.user, pk, Action.RECORD)
    org = activity.org
    kinds = _kinds_at(org)
    if request.method == "POST":
        kind, form, attendance_form = _post_form(request, org, kinds, activity.held_on)
        if form.is_valid() & attendance_form.is_valid():
            try:
                services.activity_update(
                    actor=request.user,
                    activity=activity,
                    **form.service_fields(),
                    attendance=attendance_form.entries(),
                )
            except ValidationError as exc:
                _apply_service_errors(form, attendance_form, exc)
                activity.refresh_from_db()
            else:
                return _saved(request, activity, "修改已保存。")
        return _render_form(request, org, form, attendance_form, kind, activity=activity, status=400)
    kind = _kind(kinds, request.GET.get("kind") or activity.kind.code)
    expected = selectors.expected(
        request.user, org, _parse_day(request.GET.get("starts_at"), activity.held_on), kind
    )
    initial = {
        "kind": kind.code if kind else None,
        "topic": activity.topic,
        "starts_at": timezone.localtime(activity.starts_at),
        "ends_at": timezone.localtime(activity.ends_at),
        "location": activity.location,
        "host": activity.host_id,
        "speaker": activity.speaker_id,
        "speaker_name": activity.speaker_name,
        "recorder": activity.recorder_id,
        "content": activity.content,
        "decisions": activity.decisions,
        "for_year": activity.for_year,
    }
    presence = {a.member_id: (a.presence, a.reason) for a in selectors.attendance_of(request.user, activity)}
    presence.update(_presence_from(request.GET))
    form = ActivityForm(initial=initial, kinds=kinds, members=expected.members)
    attendance_form = AttendanceForm(members=expected.members, committee=expected.committee, initial=presence)
    return _render_form(request, org, form, attendance_form, kind, activity=activity)


@login_required
@require_POST
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.get_activity_for(request.user, pk, Action.RECORD)
    code, topic = activity.org.code, activity.topic
    services.activity_delete(actor=request.user, activity=activity)
    messages.success(request, f"已删除记录“{topic}”。")
    return redirect("records:list", code=code)


# ---------------------------------------------------------------------------------------------- attachments


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.get_activity_for(request.user, pk, Action.RECORD)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.attachment_add(
                actor=request.user, activity=activity, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已上传附件“{attachment.name}”。")
            return redirect("records:detail", pk=activity.pk)
    context = _detail_context(request, activity, selectors.FULL, attachment_form=form)
    return page(request, "records/activity_detail.html", context, status=400)


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """Attachments are served only through this scoped view, never from a public media URL."""
    item = selectors.get_attachment(request.user, pk)
    thumb = request.GET.get("thumb") == "1" and bool(item.thumbnail)
    if not thumb:
        audit.log(
            actor=request.user,
            verb="attachment.download",
            target=item,
            org_path=item.activity.org.path,
            detail={"activity": item.activity_id, "name": item.name},
        )
    return uploads.serve(
        item.thumbnail if thumb else item.file,
        content_type="image/jpeg" if thumb else item.content_type,
        filename=item.name,
        inline=True,
    )


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_attachment_for(request.user, pk)
    activity_pk, name = item.activity_id, item.name
    services.attachment_delete(actor=request.user, attachment=item)
    messages.success(request, f"已删除附件“{name}”。")
    return redirect("records:detail", pk=activity_pk)


# ---------------------------------------------------------------------------------------------- kinds, mine


@login_required
@require_http_methods(["GET", "POST"])
def kinds(request: HttpRequest, code: str) -> HttpResponse:
    if request.method == "POST":
        org = _kind_org(request, code)
        form = KindForm(request.POST)
        if form.is_valid():
            try:
                kind = services.kind_create(
                    actor=request.user,
                    org=org,
                    name=form.cleaned_data["name"],
                    needs_speaker=form.cleaned_data["needs_speaker"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已添加活动类型“{kind.name}”，{org.label}及其下级组织均可使用。")
                return redirect("records:kinds", code=org.code)
        return _render_kinds(request, org, form, status=400)
    org = scoping.get_org(request.user, Action.VIEW, code)
    return _render_kinds(request, org, KindForm())


def _kind_org(request: HttpRequest, code: str):
    org = Organisation.objects.select_related("type").filter(code=code).first()
    if org is None:
        raise scoping.NotVisible("不存在或无权访问。")
    services.require_kind_scope(request.user, org)
    return org


def _render_kinds(request: HttpRequest, org, form, status: int = 200) -> HttpResponse:
    context = {
        "org": org,
        "kinds": selectors.kinds_for(org),
        "form": form,
        "can_add": scoping.can(request.user, Action.RECORD, org)
        or scoping.can(request.user, Action.SUPERVISE, org),
    }
    return page(request, "records/kind_list.html", context, status=status)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    if not scoping.prefixes(request.user, Action.SCHEDULE):
        raise Http404("不存在或无权访问。")
    member = selectors.linked_member(request.user)
    year_raw = request.GET.get("year") or ""
    year = int(year_raw) if _YEAR.match(year_raw) else None
    everything = selectors.member_attendance(request.user)
    years = sorted({r.activity.held_on.year for r in everything}, reverse=True)
    rows = [r for r in everything if year is None or r.activity.held_on.year == year]
    totals = {value: sum(1 for r in rows if r.presence == value) for value in Attendance.Presence.values}
    context = {
        "member": member,
        "rows": rows,
        "totals": totals,
        "year": year,
        "years": years,
        "schedule_url": reverse("records:calendar", args=[member.branch.code]) if member else None,
    }
    return page(request, "records/mine.html", context)
