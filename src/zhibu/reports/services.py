"""Every write of the reports app: report drafts and versions (the appraisal app has its own services)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from zhibu.audit import services as audit
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action

from . import assemble
from .models import Report

FINAL_REFUSED = "该报告已定稿，不能修改；如需修改，请基于定稿新建下一版本。"


# ---- reports --------------------------------------------------------------------------------------------


def check_year(year: int) -> None:
    """A report (and a round or a 民主评议 on it) is for a year from 2000 to the current one."""
    if not 2000 <= int(year) <= timezone.localdate().year:
        raise ValidationError({"year": "年度应在 2000 年到今年之间。"})


@transaction.atomic
def report_start(*, actor, org: Organisation, year: int) -> Report:
    """Start a draft for a year: version 1 from the records, or version n+1 from the latest final version
    (keeping its edited paragraphs, with figures refreshed)."""
    scoping.require(actor, Action.REPORT, org)
    check_year(year)
    existing = Report.objects.visible_to(actor, Action.REPORT).filter(org=org, year=year)
    if existing.filter(status=Report.Status.DRAFT).exists():
        raise ValidationError("该年度已有一份草稿，请继续编辑该草稿。")
    latest = existing.filter(status=Report.Status.FINAL).order_by("-version").first()
    fresh = assemble.build(actor, org, year)
    content = assemble.merge(latest.content, fresh) if latest else fresh
    version = (existing.aggregate(v=Max("version"))["v"] or 0) + 1
    report = Report(
        org=org,
        year=year,
        version=version,
        title=_title(content),
        content=content,
        based_on=latest,
        created_by=user_or_none(actor),
        refreshed_at=timezone.now(),
    )
    report.full_clean()
    report.save()
    audit.log(actor=actor, verb="report.start", target=report, detail={"year": year, "version": version})
    return report


def _title(content: dict) -> str:
    return next((b["text"] for b in content.get("blocks", []) if b["kind"] == "title"), "述职报告")[:200]


def user_or_none(actor):
    """The user to record as author: None for the system actor."""
    return actor if getattr(actor, "pk", None) else None


def _editable(actor, report: Report) -> Report:
    scoping.require(actor, Action.REPORT, report.org)
    # Re-read under a row lock so two saves do not interleave.
    locked = Report.objects.visible_to(actor, Action.REPORT).select_for_update().get(pk=report.pk)
    if locked.is_final:
        raise ValidationError(FINAL_REFUSED)
    return locked


@transaction.atomic
def report_edit(*, actor, report: Report, texts: dict[str, str]) -> Report:
    """Save the secretary's text for some blocks (key → text). Unknown keys are refused."""
    report = _editable(actor, report)
    blocks = report.content.get("blocks", [])
    index = {b["key"]: i for i, b in enumerate(blocks)}
    unknown = sorted(set(texts) - set(index))
    if unknown:
        raise ValidationError(f"报告中没有这些段落：{'、'.join(unknown)}")
    changed = []
    for key, text in texts.items():
        if len(text) > 5000:
            raise ValidationError("单个段落不能超过 5000 字。")
        before = blocks[index[key]]
        after = assemble.apply_edit(before, text)
        if after != before:
            blocks[index[key]] = after
            changed.append(key)
    report.content = {**report.content, "blocks": blocks}
    report.title = _title(report.content)
    report.full_clean()
    report.save()
    audit.log(actor=actor, verb="report.edit", target=report, detail={"blocks": changed})
    return report


@transaction.atomic
def report_refresh(*, actor, report: Report) -> Report:
    """刷新数据: regenerate the figures; paragraphs the secretary edited keep their text (see assemble.merge)."""
    report = _editable(actor, report)
    report.content = assemble.merge(report.content, assemble.build(actor, report.org, report.year))
    report.title = _title(report.content)
    report.refreshed_at = timezone.now()
    report.full_clean()
    report.save()
    warnings = [b["key"] for b in report.blocks if assemble.changed_facts(b)]
    audit.log(actor=actor, verb="report.refresh", target=report, detail={"warnings": warnings})
    return report


@transaction.atomic
def report_finalise(*, actor, report: Report) -> Report:
    report = _editable(actor, report)
    pending = [b for b in report.blocks if assemble.changed_facts(b)]
    if pending:
        raise ValidationError(f"有 {len(pending)} 个段落的数据已变化，请核对并保存这些段落后再定稿。")
    report.status = Report.Status.FINAL
    report.finalised_at = timezone.now()
    report.finalised_by = user_or_none(actor)
    report.full_clean()
    report.save()
    audit.log(actor=actor, verb="report.finalise", target=report, detail={"version": report.version})
    return report
