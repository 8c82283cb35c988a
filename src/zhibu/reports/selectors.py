"""Reads of the reports app shared by the pages, the API and the command line."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import QuerySet

from zhibu.core.scoped import ScopedModel
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.records.models import Activity

from . import assemble
from .models import Report

# ---- reports --------------------------------------------------------------------------------------------


def reports(actor, org: Organisation | None = None, year: int | None = None) -> QuerySet[Report]:
    qs = Report.objects.visible_to(actor, Action.VIEW).select_related("org")
    if org is not None:
        qs = qs.filter(org=org)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("org__path", "-year", "-version")


def report_get(actor, pk: int, action: str = Action.VIEW) -> Report:
    report = Report.objects.visible_to(actor, action).select_related("org", "org__type").filter(pk=pk).first()
    if report is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return report


def current_content(actor, org: Organisation, year: int) -> tuple[Report | None, dict]:
    """What the report of a year says now: the latest final version as it was frozen; otherwise the draft
    refreshed in memory (edits kept, figures current); otherwise freshly assembled. Nothing is saved."""
    scoping.require(actor, Action.VIEW, org)
    versions = list(reports(actor, org, year))
    final = next((r for r in versions if r.is_final), None)
    if final is not None:
        return final, final.content
    fresh = assemble.build(actor, org, year)
    draft = next((r for r in versions if not r.is_final), None)
    if draft is not None:
        return draft, assemble.merge(draft.content, fresh)
    return None, fresh


def block_view(b: dict) -> dict:
    """A block with what the page shows beside it: changed figures and the kind of its text box."""
    changed = assemble.changed_facts(b)
    return {
        **b,
        "changed": [{**f, "was": b.get("seen", {}).get(f["key"])} for f in changed],
        "lines": max(2, min(12, len(b["text"]) // 40 + 1)),
    }


def figures(content: dict) -> list[dict]:
    """Every fact of a report, in order, with the block it belongs to (for --json and the API)."""
    return [
        {**{k: v for k, v in f.items() if k != "refs"}, "block": b["key"], "records": len(f["refs"])}
        for b in content.get("blocks", [])
        for f in b.get("facts", [])
    ]


@dataclass
class FactRecords:
    fact: dict
    groups: list = field(default_factory=list)  # [(verbose name, [(str(obj), obj date or None)], total)]


def fact_records(actor, report: Report, key: str, limit: int = 200) -> FactRecords:
    """The records behind one figure, read again through scoping (a record deleted or out of scope is
    simply not shown)."""
    fact = next((f for b in report.blocks for f in b.get("facts", []) if f["key"] == key), None)
    if fact is None:
        raise scoping.NotVisible("不存在或无权访问。")
    by_label: dict[str, list[int]] = defaultdict(list)
    for label, pk in fact["refs"]:
        by_label[label].append(pk)
    result = FactRecords(fact=fact)
    for label, ids in by_label.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        if not issubclass(model, ScopedModel):
            continue
        qs = model.objects.visible_to(actor, Action.VIEW).filter(pk__in=ids)
        rows = []
        for obj in qs.order_by("pk")[:limit]:
            when = next(
                (getattr(obj, a) for a in ("held_on", "date", "on", "starts_on") if hasattr(obj, a)), None
            )
            rows.append((str(obj), when))
        rows.sort(key=lambda r: (r[1] is None, r[1] or 0, r[0]) if r[1] else (True, 0, r[0]))
        result.groups.append((model._meta.verbose_name, rows, len(ids)))
    return result


def report_orgs(actor) -> QuerySet[Organisation]:
    """Organisations the actor writes reports for."""
    return scoping.organisations(actor, Action.REPORT).filter(type__level="branch").order_by("path")


def report_years(actor, orgs: list[Organisation]) -> dict[int, list[int]]:
    """{organisation id: the years, newest first, for which it has a report or any organisational-life record}
    — so the reports page offers every year there is something to report on, not only the last one."""
    ids = [org.pk for org in orgs]
    years: dict[int, set[int]] = {pk: set() for pk in ids}
    for org_id, year in (
        Activity.objects.visible_to(actor, Action.VIEW)
        .filter(org_id__in=ids)
        .values_list("org_id", "held_on__year")
        .distinct()
    ):
        years[org_id].add(year)
    for org_id, year in (
        Report.objects.visible_to(actor, Action.VIEW)
        .filter(org_id__in=ids)
        .values_list("org_id", "year")
        .distinct()
    ):
        years[org_id].add(year)
    return {pk: sorted(found, reverse=True) for pk, found in years.items()}
