"""REST API for the annual reports: the same services and selectors as the pages."""

from __future__ import annotations

from ninja import Router, Schema

from zhibu.core.apischema import Id, Year
from zhibu.orgs import scoping
from zhibu.orgs.roles import Action

from . import assemble, selectors, services

router = Router(tags=["述职报告"])


class ReportOut(Schema):
    id: int
    org: str
    year: int
    version: int
    status: str
    title: str


def _report(r) -> dict:
    return {
        "id": r.pk,
        "org": r.org.code,
        "year": r.year,
        "version": r.version,
        "status": r.status,
        "title": r.title,
    }


def _content(content: dict) -> dict:
    return {
        "blocks": [
            {
                "key": b["key"],
                "kind": b["kind"],
                "text": b["text"],
                "edited": b.get("edited", False),
                "changed": [f["key"] for f in assemble.changed_facts(b)],
                "facts": [
                    {k: v for k, v in f.items() if k != "refs"} | {"records": len(f["refs"])}
                    for f in b.get("facts", [])
                ],
            }
            for b in content.get("blocks", [])
        ],
        "missing": content.get("missing", []),
    }


@router.get("/orgs/{code}/{year}/preview", url_name="reports_preview")
def preview(request, code: str, year: Year):
    """What the report of a year says now (final version, or the draft refreshed in memory, or assembled). Any
    year from 1921 to 2100 is answered (a year without records reads as a report without figures); outside that
    range the answer is 422."""
    org = scoping.get_org(request.user, Action.VIEW, code)
    report, content = selectors.current_content(request.user, org, year)
    return {"report": _report(report) if report else None, **_content(content)}


@router.get("/orgs/{code}/reports", response=list[ReportOut], url_name="reports_list")
def report_list(request, code: str):
    org = scoping.get_org(request.user, Action.VIEW, code)
    return [_report(r) for r in selectors.reports(request.user, org)]


@router.post("/orgs/{code}/{year}/start", response=ReportOut, url_name="reports_start")
def start(request, code: str, year: Year):
    """Start a draft: only for a year from 2000 to the current one (422 otherwise, with the reason)."""
    org = scoping.get_org(request.user, Action.REPORT, code)
    return _report(services.report_start(actor=request.user, org=org, year=year))


@router.get("/{int:pk}", url_name="reports_detail")
def detail(request, pk: Id):
    report = selectors.report_get(request.user, pk)
    return {"report": _report(report), **_content(report.content)}


class EditIn(Schema):
    texts: dict[str, str]


@router.post("/{int:pk}/edit", url_name="reports_edit")
def edit(request, pk: Id, payload: EditIn):
    report = selectors.report_get(request.user, pk, Action.REPORT)
    report = services.report_edit(actor=request.user, report=report, texts=payload.texts)
    return {"report": _report(report), **_content(report.content)}


@router.post("/{int:pk}/refresh", url_name="reports_refresh")
def refresh(request, pk: Id):
    report = selectors.report_get(request.user, pk, Action.REPORT)
    report = services.report_refresh(actor=request.user, report=report)
    return {"report": _report(report), **_content(report.content)}


@router.post("/{int:pk}/finalise", response=ReportOut, url_name="reports_finalise")
def finalise(request, pk: Id):
    report = selectors.report_get(request.user, pk, Action.REPORT)
    return _report(services.report_finalise(actor=request.user, report=report))
