"""Pages: the annual report (edit, refresh, finalise, export, print). 述职评议 and 民主评议党员 are the
appraisal app's pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhibu.audit import services as audit
from zhibu.core.apischema import MAX_YEAR, MIN_YEAR
from zhibu.core.web import page
from zhibu.jobs import services as jobs
from zhibu.orgs import scoping
from zhibu.orgs.roles import Action

from . import assemble, export, selectors, services
from .models import Report

TEXT_PREFIX = "text__"


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError) as exc:
        raise scoping.NotVisible("不存在或无权访问。") from exc
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise scoping.NotVisible("不存在或无权访问。")
    return year


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


# ---- index ----------------------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    actor = request.user
    last_year = timezone.localdate().year - 1
    writable = list(selectors.report_orgs(actor)[:50])
    years = selectors.report_years(actor, writable)
    for org in writable:
        org.report_years = sorted(
            set(years[org.pk]) | {last_year}, reverse=True
        )  # the year just ended, always
    return page(
        request,
        "reports/index.html",
        {
            "writable": writable,
            "last_year": last_year,
            "reports": list(selectors.reports(actor).filter(org__in=writable)[:30])
            if writable
            else list(selectors.reports(actor)[:30]),
            "review_orgs": list(
                scoping.organisations(actor, Action.SCHEDULE)
                .filter(type__level="branch")
                .order_by("path")[:30]
            ),
        },
    )


# ---- reports --------------------------------------------------------------------------------------------


@login_required
@require_POST
def subtree_zip(request: HttpRequest, code: str, year: str) -> HttpResponse:
    """Every branch's report of a year under a committee, as .docx files in a zip, made by a background job."""
    org = scoping.get_org(request.user, Action.VIEW, code)
    year = _year(year)
    job = jobs.start(
        actor=request.user,
        org=org,
        label=f"{org.name} 下属党支部 {year} 年度述职报告（打包下载）",
        task="zhibu.reports.jobs.subtree_reports_zip",
        year=year,
    )
    return redirect("jobs:detail", job.pk)


@login_required
def org_year(request: HttpRequest, code: str, year: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.VIEW, code)
    year = _year(year)
    versions = list(selectors.reports(request.user, org, year))
    can_write = scoping.can(request.user, Action.REPORT, org)
    _, content = selectors.current_content(request.user, org, year)
    return page(
        request,
        "reports/org_year.html",
        {
            "org": org,
            "year": year,
            "versions": versions,
            "can_write": can_write,
            "draft": next((r for r in versions if not r.is_final), None),
            "blocks": [selectors.block_view(b) for b in content["blocks"]],
            "missing": content.get("missing", []),
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        },
    )


@login_required
@require_POST
def start(request: HttpRequest, code: str, year: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.REPORT, code)
    year = _year(year)
    try:
        report = services.report_start(actor=request.user, org=org, year=year)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
        return redirect("reports:org_year", code=org.code, year=year)
    messages.success(request, f"已生成第{report.version}版草稿，数字均取自记录。")
    return redirect("reports:detail", pk=report.pk)


def _detail_context(request, report: Report, errors=()) -> dict:
    can_write = not report.is_final and scoping.can(request.user, Action.REPORT, report.org)
    blocks = [selectors.block_view(b) for b in report.blocks]
    return {
        "report": report,
        "org": report.org,
        "blocks": blocks,
        "can_write": can_write,
        "can_start": report.is_final and scoping.can(request.user, Action.REPORT, report.org),
        "warnings": sum(1 for b in blocks if b["changed"]),
        "errors": errors,
        "prefix": TEXT_PREFIX,
        "missing": report.content.get("missing", []),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    return page(request, "reports/detail.html", _detail_context(request, report))


@login_required
@require_POST
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk, Action.REPORT)
    texts = {
        key[len(TEXT_PREFIX) :]: value for key, value in request.POST.items() if key.startswith(TEXT_PREFIX)
    }
    try:
        services.report_edit(actor=request.user, report=report, texts=texts)
    except ValidationError as exc:
        report.refresh_from_db()
        return page(
            request, "reports/detail.html", _detail_context(request, report, _errors(exc)), status=400
        )
    messages.success(request, "已保存。")
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def refresh(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk, Action.REPORT)
    try:
        report = services.report_refresh(actor=request.user, report=report)
    except ValidationError as exc:
        return page(
            request, "reports/detail.html", _detail_context(request, report, _errors(exc)), status=400
        )
    warned = sum(1 for b in report.blocks if assemble.changed_facts(b))
    messages.success(
        request, "数据已刷新。" + (f"有 {warned} 个已修改的段落数据发生变化，请核对。" if warned else "")
    )
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk, Action.REPORT)
    try:
        services.report_finalise(actor=request.user, report=report)
    except ValidationError as exc:
        return page(
            request, "reports/detail.html", _detail_context(request, report, _errors(exc)), status=400
        )
    messages.success(request, f"第{report.version}版已定稿。")
    return redirect("reports:detail", pk=report.pk)


@login_required
def fact(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    records = selectors.fact_records(request.user, report, key)
    return page(
        request, "reports/fact.html", {"report": report, "records": records}, partial="reports/_fact.html"
    )


@login_required
def docx(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    data = export.report_docx(report.content, title=report.title, author=report.org.name)
    audit.log(actor=request.user, verb="report.export", target=report, detail={"format": "docx"})
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    filename = f"{report.org.code}-{report.year}-v{report.version}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def print_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    paragraphs = []
    for b in report.blocks:
        for line in (b["text"] or "").split("\n"):
            if line.strip():
                paragraphs.append({"kind": b["kind"], "text": line.strip()})
    return render(request, "reports/print.html", {"report": report, "paragraphs": paragraphs})
