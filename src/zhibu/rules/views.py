"""Pages of the lights: a branch's checklist and year, the superior's board, requirements, reminders."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from zhibu.audit import services as audit
from zhibu.core import tabular
from zhibu.core.web import apply_errors, flash_saved, page
from zhibu.notices import selectors as notices
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation, OrgType
from zhibu.orgs.roles import Action

from . import ics as ics_format
from . import selectors, services
from .forms import FollowUpForm, RequirementForm
from .models import FeedToken, FollowUp, Requirement, RequirementNotice

MONTH_NAMES = [f"{m}月" for m in range(1, 13)]


def _month_param(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Committees' staff go to their board; everyone else to their branch."""
    user = request.user
    supervise = scoping.prefixes(user, Action.SUPERVISE)
    if supervise:
        root = Organisation.objects.filter(path=min(supervise, key=lambda p: (len(p), p))).first()
        if root is not None:
            return redirect("rules:board", code=root.code)
    branches = [b for b in selectors.my_branches(user) if scoping.can(user, Action.VIEW, b)]
    org = branches[0] if branches else scoping.home_org(user)
    if org is None or not scoping.can(user, Action.VIEW, org):
        raise Http404("没有可查看的党组织。")
    return redirect("rules:branch", code=org.code)


def _bad_input(request, exc: ValidationError, back: str) -> HttpResponse:
    return page(request, "rules/bad_input.html", {"messages_list": exc.messages, "back": back}, status=400)


@login_required
def branch(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.VIEW, code)
    if org.type.level == OrgType.Level.GROUP:
        return redirect("rules:branch", code=org.branch.code)
    try:
        year, month = selectors.parse_month(request.GET.get("month"))
    except ValidationError as exc:
        return _bad_input(request, exc, reverse("rules:branch", args=[org.code]))
    if org.type.level == OrgType.Level.COMMITTEE:
        rows = selectors.subtree_lights(actor=request.user, root=org, year=year, month=month)
        if any(row.get("pending") for row in rows):
            services.store_later(org.path, year)
        return page(
            request,
            "rules/committee.html",
            {
                "org": org,
                "rows": rows,
                "year": year,
                "month": month,
                "month_param": _month_param(year, month),
                "can_supervise": scoping.can(request.user, Action.SUPERVISE, org),
                "relighting": selectors.relighting(org),
            },
        )
    today = timezone.localdate()
    view = selectors.branch_year(actor=request.user, org=org, year=year, today=today)
    if view.stale:
        services.restore_later(org, year)
    first, last = date(year, month, 1), selectors.engine.month_end(year, month)
    checklist, seen = [], set()
    for month_view in view.months:
        for e in month_view.items:
            key = (e.rule.id, e.item.start)
            if e.item.start <= last and e.item.end >= first and key not in seen:
                seen.add(key)
                checklist.append(e)
    checklist.sort(key=lambda e: (e.item.deadline, e.rule.code))
    selectors.attach_notices(request.user, org, checklist)
    can_supervise = scoping.can(request.user, Action.SUPERVISE, org)
    followups = list(FollowUp.objects.visible_to(request.user, Action.VIEW).filter(org=org, year=year))
    months = [
        {
            "view": m,
            "param": _month_param(year, m.month),
            "run": view.streaks[m.month - 1],
            "current": m.month == month,
        }
        for m in view.months
    ]
    flagged = [m for m in months if m["run"] >= 2]
    return page(
        request,
        "rules/branch.html",
        {
            "fixed": _fixed_message(request.GET.get("fixed"), checklist, view.month(month)),
            "org": org,
            "year": year,
            "month": month,
            "month_param": _month_param(year, month),
            "view": view,
            "checklist": checklist,
            "months": months,
            "current": view.month(month),
            "flagged": flagged,
            "followups": followups,
            "can_supervise": can_supervise,
            "followup_form": FollowUpForm(initial={"month": month, "on": today}),
            "can_record": scoping.can(request.user, Action.RECORD, org),
            "prev": _month_param(year - (month == 1), 12 if month == 1 else month - 1),
            "next": _month_param(year + (month == 12), 1 if month == 12 else month + 1),
        },
    )


def _fixed_message(fixed: str | None, checklist: list, month_view) -> str:
    """After saving from a fix link (`?fixed=<record>`): what the record did to this month, read from the lights
    just evaluated from the stored records — the record's entry, whether it came in late, and the month's light."""
    if not fixed or not fixed.isdigit():
        return ""
    for e in checklist:
        for r in e.records:
            if r["id"] == int(fixed):
                done = "已补录（逾期，" if r["late"] else "已登记（"
                return f"{month_view.month}月：{e.rule.kind_name} {done}{month_view.colour_label}）"
    return f"该记录不计入{month_view.month}月的任何要求，{month_view.month}月仍为{month_view.colour_label}。"


def _remind_url(request: HttpRequest, org: Organisation, year: int, month: int) -> str:
    """For a superior looking at a branch it cannot record for: a notice to that branch, prefilled."""
    home = scoping.home_org(request.user)
    if (
        home is None
        or home.pk == org.pk
        or not scoping.can(request.user, Action.SUPERVISE, home)
        or not org.path.startswith(home.path)
    ):
        return ""
    title = f"提醒：请补录{year}年{month}月组织生活记录"
    return f"{reverse('notices:publish', args=[home.code])}?{urlencode({'to': org.code, 'title': title})}"


@login_required
def explain(request: HttpRequest, code: str) -> HttpResponse:
    """One branch-month explained (the board's cells load this with htmx)."""
    org = scoping.get_org(request.user, Action.VIEW, code)
    if org.type.level != OrgType.Level.BRANCH:
        raise Http404("只有党支部有月度亮灯。")
    try:
        year, month = selectors.parse_month(request.GET.get("month"))
    except ValidationError as exc:
        return _bad_input(request, exc, reverse("rules:branch", args=[org.code]))
    view = selectors.branch_year(actor=request.user, org=org, year=year)
    if view.stale:
        services.restore_later(org, year)
    followups = FollowUp.objects.visible_to(request.user, Action.VIEW).filter(org=org, year=year, month=month)
    ctx = {
        "org": org,
        "m": view.month(month),
        "year": year,
        "month": month,
        "run": view.streaks[month - 1],
        "followups": followups,
        "month_param": _month_param(year, month),
        "can_record": scoping.can(request.user, Action.RECORD, org),
        "remind_url": _remind_url(request, org, year, month),
    }
    return page(request, "rules/explain.html", ctx, partial="rules/_explain.html")


def _board_filters(request):
    colour = request.GET.get("colour", "")
    sub = request.GET.get("sub", "")
    streak = request.GET.get("streak", "")
    return (
        colour if colour in ("green", "yellow", "red") else "",
        sub,
        int(streak) if streak in ("2", "3") else 0,
    )


def _cells(rows, year: int) -> list:
    """The board's cells as ready HTML: 12,000 cells through the template engine would dominate the page."""
    branch_url = reverse("rules:branch", args=["__code__"])
    explain_url = reverse("rules:explain", args=["__code__"])
    kinds = {
        letter: (selectors.LIGHT_CLASS[colour], selectors.COLOURS[colour])
        for letter, colour in selectors.CODE_COLOUR.items()
    }
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    out = []
    for row in rows:
        code = escape(row.code)
        b = branch_url.replace("__code__", code)
        e = explain_url.replace("__code__", code)
        cells = []
        for i, letter in enumerate(row.codes):
            css, label = kinds[letter]
            flag = " flag" if row.runs[i] >= 2 else ""
            cells.append(
                f'<td data-label="{i + 1}月" class="cell{flag}"><a class="light {css}" '
                f'href="{b}?month={months[i]}" hx-get="{e}?month={months[i]}" hx-target="#explain" '
                f'title="{i + 1}月 {label}" aria-label="{i + 1}月 {label}"></a></td>'
            )
        out.append({"row": row, "url": b, "cells": mark_safe("".join(cells))})  # noqa: S308 - escaped above
    return out


def _trend_svg(trend: list[dict]) -> dict:
    width, height, left, top = 600, 200, 36, 10
    inner_w, inner_h = width - left - 10, height - top - 30
    lines = {}
    for key in ("pg", "py", "pr"):
        points = []
        for i, t in enumerate(trend):
            if t[key] is None:
                continue
            x = left + inner_w * i / 11
            y = top + inner_h * (1 - t[key] / 100)
            points.append(f"{x:.1f},{y:.1f}")
        lines[key] = " ".join(points)
    ticks = [{"x": round(left + inner_w * i / 11, 1), "label": f"{i + 1}"} for i in range(12)]
    grid = [{"y": round(top + inner_h * (1 - p / 100), 1), "label": f"{p}%"} for p in (0, 50, 100)]
    return {
        "width": width,
        "height": height,
        "lines": lines,
        "ticks": ticks,
        "grid": grid,
        "base_y": top + inner_h + 18,
        "left": left,
        "right": width - 10,
    }


def _page_number(request) -> int:
    text = request.GET.get("page", "")
    return int(text) if text.isdigit() and 0 < len(text) <= 6 else 1


@login_required
def board(request: HttpRequest, code: str) -> HttpResponse:
    """The superior's board, 50 branches a page (htmx appends the next page); totals cover every branch."""
    root = scoping.get_org(request.user, Action.SUPERVISE, code)
    try:
        year = selectors.parse_year(request.GET.get("year"))
    except ValidationError as exc:
        return _bad_input(request, exc, reverse("rules:board", args=[root.code]))
    colour, sub, streak = _board_filters(request)
    data = selectors.board(
        actor=request.user,
        root=root,
        year=year,
        colour=colour,
        sub=sub,
        streak=streak,
        page=_page_number(request),
    )
    if data["pending"]:
        services.store_later(root.path, year)
    filters = request.GET.copy()
    filters.pop("page", None)
    filters.pop("part", None)
    query = filters.urlencode()
    ctx = {
        "org": root,
        "data": data,
        "rows": _cells(data["rows"], year),
        "year": year,
        "months": MONTH_NAMES,
        "colour": colour,
        "sub": sub,
        "streak": streak,
        "svg": _trend_svg(data["trend"]),
        "query": query,
        "page_query": f"{query}&" if query else "",
        "flagged": data["flagged"],
        "last": (data["page"] - 1) * data["per_page"] + len(data["rows"]),
    }
    if request.htmx and request.GET.get("part") == "rows":
        return page(request, "rules/board.html", ctx, partial="rules/_board_rows.html")
    return page(request, "rules/board.html", ctx, partial="rules/_board_table.html")


@login_required
def board_export(request: HttpRequest, code: str) -> HttpResponse:
    root = scoping.get_org(request.user, Action.SUPERVISE, code)
    scoping.require(request.user, Action.EXPORT, root)
    try:
        year = selectors.parse_year(request.GET.get("year"))
    except ValidationError as exc:
        return _bad_input(request, exc, reverse("rules:board", args=[root.code]))
    colour, sub, streak = _board_filters(request)
    data = selectors.board(
        actor=request.user, root=root, year=year, colour=colour, sub=sub, streak=streak, per_page=None
    )
    if data["pending"]:
        services.store_later(root.path, year)
    fills = {"g": "C8E6C9", "y": "FFE082", "r": "EF9A9A"}
    lights = (
        [
            row.name,
            row.code,
            row.sub_name,
            *[
                tabular.Cell(selectors.COLOURS[selectors.CODE_COLOUR[c]], fill=fills.get(c, ""))
                for c in row.codes
            ],
            row.max_run,
            len(row.followups),
        ]
        for row in data["rows"]
    )
    totals = (
        [t["name"], t["branches"], t["g"], t["y"], t["r"], t["pg"], t["py"], t["pr"], t["flag2"], t["flag3"]]
        for t in data["totals"]
    )
    content = tabular.xlsx(
        tabular.Sheet(
            f"{year}年亮灯",
            ["党支部", "代码", "所属", *MONTH_NAMES, "最长连续黄/红（月）", "跟进次数"],
            lights,
        ),
        tabular.Sheet(
            "汇总",
            [
                "所属",
                "支部数",
                "绿灯（月）",
                "黄灯（月）",
                "红灯（月）",
                "绿灯率%",
                "黄灯率%",
                "红灯率%",
                "连续两月预警支部",
                "连续三月预警支部",
            ],
            totals,
        ),
    )
    audit.log(
        actor=request.user,
        verb="light.board_export",
        target=root,
        detail={"year": year, "rows": len(data["rows"]), "colour": colour, "sub": sub, "streak": streak},
    )
    response = HttpResponse(content, content_type=tabular.XLSX)
    response["Content-Disposition"] = f'attachment; filename="lights-{root.code}-{year}.xlsx"'
    return response


@login_required
@require_POST
def followup_add(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.SUPERVISE, code)
    try:
        year = selectors.parse_year(request.POST.get("year"))
    except ValidationError as exc:
        return _bad_input(request, exc, reverse("rules:branch", args=[org.code]))
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.followup_record(actor=request.user, org=org, year=year, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash_saved(request, "已记录跟进。")
            month = form.cleaned_data["month"]
            return redirect(reverse("rules:branch", args=[org.code]) + f"?month={_month_param(year, month)}")
    return page(request, "rules/followup.html", {"org": org, "form": form, "year": year}, status=400)


# ---------------------------------------------------------------- requirements


@login_required
def requirement_list(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.VIEW, code)
    reqs = selectors.requirements_for(actor=request.user, org=org)
    today = timezone.localdate()
    replaced = {r.replaces_id for r in reqs if r.replaces_id and r.in_force(today, today)}
    supervises = org.type.level == OrgType.Level.COMMITTEE and scoping.can(
        request.user, Action.SUPERVISE, org
    )
    links = selectors.notice_links(actor=request.user, org=org) if supervises else {}
    rows = [
        {
            "req": r,
            "manage": selectors.can_manage(request.user, r.owner) and r.owner_id == org.pk,
            "in_force": r.in_force(today, today),
            "replaced": r.pk in replaced,
            "links": links.get(r.pk, []),
        }
        for r in reqs
    ]
    own_notices = list(notices.published(request.user, org)[:30]) if supervises else []
    return page(
        request,
        "rules/requirements.html",
        {
            "org": org,
            "rows": rows,
            "relighting": selectors.relighting(org),
            "can_add": selectors.can_manage(request.user, org),
            "supervises": supervises,
            "own_notices": own_notices,
        },
    )


@login_required
@require_POST
def requirement_notice(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A committee points a requirement binding its subtree to one of its notices, or takes the pointer away."""
    org = scoping.get_org(request.user, Action.SUPERVISE, code)
    back = reverse("rules:requirements", args=[org.code])
    remove = request.POST.get("remove", "")
    if remove:
        link = (
            RequirementNotice.objects.visible_to(request.user, Action.SUPERVISE)
            .filter(org=org, requirement_id=pk, pk=int(remove) if remove.isdigit() else 0)
            .select_related("org", "notice", "requirement")
            .first()
        )
        if link is None:
            raise Http404("不存在或无权访问。")
        services.requirement_notice_unlink(actor=request.user, link=link)
        flash_saved(request, f"已取消「{link.requirement.label}」所附通知「{link.notice.title}」。")
        return redirect(back)
    req = next((r for r in selectors.requirements_for(actor=request.user, org=org) if r.pk == pk), None)
    if req is None:
        raise Http404("不存在或无权访问。")
    chosen = request.POST.get("notice", "")
    notice = notices.published(request.user, org).filter(pk=int(chosen)).first() if chosen.isdigit() else None
    if notice is None:
        return _bad_input(request, ValidationError("请选择本单位发布的一则通知。"), back)
    try:
        services.requirement_notice_link(actor=request.user, org=org, requirement=req, notice=notice)
    except ValidationError as exc:
        return _bad_input(request, exc, back)
    flash_saved(
        request,
        f"「{req.label}」已关联通知「{notice.title}」：收到该通知的支部，在通知期限所在周期的亮灯清单里"
        "这项要求旁会看到它。",
    )
    return redirect(back)


def _inherited(org: Organisation):
    ancestors = org.ancestor_paths()
    from django.db.models import Q

    return (
        Requirement.objects.for_org(org)
        .filter(Q(owner__isnull=True) | Q(owner__path__in=ancestors))
        .select_related("kind")
        .order_by("kind__order", "code")
    )


def _form_kwargs(org):
    return {
        "owner": org,
        "inherited": _inherited(org),
        "branch_owner": org.type.level == OrgType.Level.BRANCH,
    }


def _save_requirement(request, org, form, instance=None):
    data = dict(form.cleaned_data)
    org_types = data.pop("org_types", None)
    if org_types is not None and not org_types:
        org_types = None if instance else []
    try:
        return services.requirement_save(
            actor=request.user,
            owner=org,
            instance=instance,
            org_types=list(org_types) if org_types is not None else None,
            **data,
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return None


@login_required
def requirement_add(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.VIEW, code)
    if not selectors.can_manage(request.user, org):
        raise Http404("不存在或无权访问。")
    if request.method == "POST":
        form = RequirementForm(request.POST, **_form_kwargs(org))
        if form.is_valid() and _save_requirement(request, org, form):
            flash_saved(request, "已添加制度要求。亮灯正在后台按新要求重新计算，稍后刷新看板即可看到结果。")
            return redirect("rules:requirements", code=org.code)
        return page(
            request, "rules/requirement_form.html", {"org": org, "form": form, "adding": True}, status=400
        )
    form = RequirementForm(
        initial={"valid_from": timezone.localdate(), "grace_days": 7, "min_count": 1}, **_form_kwargs(org)
    )
    return page(request, "rules/requirement_form.html", {"org": org, "form": form, "adding": True})


def _managed_requirement(request, pk: int) -> Requirement:
    req = selectors.get_requirement(actor=request.user, pk=pk)
    if not selectors.can_manage(request.user, req.owner):
        raise Http404("不存在或无权访问。")
    return req


@login_required
def requirement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    req = _managed_requirement(request, pk)
    org = req.owner
    if request.method == "POST":
        form = RequirementForm(request.POST, **_form_kwargs(org))
        if form.is_valid() and _save_requirement(request, org, form, instance=req):
            flash_saved(request, "已保存。亮灯正在后台按修改后的要求重新计算，稍后刷新看板即可看到结果。")
            return redirect("rules:requirements", code=org.code)
        return page(
            request, "rules/requirement_form.html", {"org": org, "form": form, "req": req}, status=400
        )
    initial = {name: getattr(req, name) for name in services.EDITABLE}
    initial["org_types"] = list(req.org_types.all())
    form = RequirementForm(initial=initial, **_form_kwargs(org))
    return page(request, "rules/requirement_form.html", {"org": org, "form": form, "req": req})


@login_required
@require_POST
def requirement_retire(request: HttpRequest, pk: int) -> HttpResponse:
    req = _managed_requirement(request, pk)
    try:
        services.requirement_retire(actor=request.user, requirement=req)
    except ValidationError as exc:
        return _bad_input(request, exc, reverse("rules:requirements", args=[req.owner.code]))
    flash_saved(request, f"已废止：{req.label}。亮灯正在后台重新计算。")
    return redirect("rules:requirements", code=req.owner.code)


# ---------------------------------------------------------------- reminders


@login_required
def reminders(request: HttpRequest) -> HttpResponse:
    token = services.feed_token(actor=request.user)
    feed_url = request.build_absolute_uri(reverse("rules:ics", args=[token.token]))
    return page(
        request,
        "rules/reminders.html",
        {
            "items": selectors.owed(actor=request.user),
            "feed_url": feed_url,
            "email": bool(settings.EMAIL_HOST),
        },
    )


@login_required
@require_POST
def feed_reset(request: HttpRequest) -> HttpResponse:
    services.feed_token_reset(actor=request.user)
    flash_saved(request, "已生成新的订阅地址，旧地址立即失效。")
    return redirect("rules:reminders")


def ics(request: HttpRequest, token: str) -> HttpResponse:
    """A user's calendar feed. The token in the URL is the credential: no session needed."""
    feed = FeedToken.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404("订阅地址无效。")
    items = selectors.owed(actor=feed.user)
    body = ics_format.calendar(items, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="zhibu-lights.ics"'
    return response
