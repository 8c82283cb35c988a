"""Writes of the ledger app: templates and their versions, and the audited downloads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from zhibu.audit import services as audit
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action

from . import definition as definitions
from . import exporting, selectors
from .models import ExportTemplate, TemplateVersion


@transaction.atomic
def template_create(
    *,
    actor,
    org: Organisation,
    name: str,
    description: str = "",
    definition: dict,
    based_on: ExportTemplate | None = None,
) -> ExportTemplate:
    """A new template defined at `org` for its subtree (a superior's), with its first version."""
    scoping.require(actor, Action.SUPERVISE, org)
    cleaned = definitions.check(definition, selectors.kind_names(org))
    template = ExportTemplate(org=org, name=name.strip(), description=description.strip(), based_on=based_on)
    template.full_clean()
    template.save()
    version = TemplateVersion(
        template=template,
        number=1,
        definition=cleaned,
        created_by=actor,
        note=f"由「{based_on.name}」复制" if based_on else "新建",
    )
    version.full_clean()
    version.save()
    audit.log(
        actor=actor,
        verb="ledger.template_create",
        target=template,
        org_path=org.path,
        detail={"name": template.name},
    )
    return template


@transaction.atomic
def template_revise(
    *, actor, template: ExportTemplate, name: str, description: str, definition: dict, note: str = ""
) -> TemplateVersion:
    """A new version of a template; earlier versions stay as they were."""
    locked = (
        ExportTemplate.objects.visible_to(actor, Action.SUPERVISE)
        .select_for_update()
        .filter(pk=template.pk)
        .first()
    )
    if locked is None:
        raise scoping.NotVisible("不存在或无权访问。")
    cleaned = definitions.check(definition, selectors.kind_names(locked.org))
    latest = selectors.latest_version(locked)
    locked.name, locked.description = name.strip(), description.strip()
    locked.full_clean()
    locked.save(update_fields=["name", "description"])
    if latest is not None and latest.definition == cleaned:
        return latest
    version = TemplateVersion(
        template=locked,
        number=(latest.number + 1) if latest else 1,
        definition=cleaned,
        created_by=actor,
        note=note.strip()[:200],
    )
    version.full_clean()
    version.save()
    audit.log(
        actor=actor,
        verb="ledger.template_revise",
        target=locked,
        org_path=locked.org.path,
        detail={"version": version.number},
    )
    return version


@dataclass(frozen=True)
class Download:
    filename: str
    content: bytes
    content_type: str


def sheet_export(
    *, actor, org: Organisation, template: ExportTemplate, start: date, end: date, fmt: str
) -> Download:
    """The template's latest version over the organisation's records in [start, end]; the file names the
    template version it used, and the download is audited with it."""
    scoping.require(actor, Action.EXPORT, org)
    if fmt not in exporting.FORMATS:
        raise ValidationError("下载格式只能是 xlsx、csv 或 csv-gbk。")
    version = selectors.latest_version(template)
    assert version is not None  # a template is created together with its first version
    spec = version.definition
    rows = selectors.ROWS[spec["unit"]](actor, org, start, end, spec["kinds"])
    period = _period_label(start, end)
    footer = f"依据模板「{template.name}」第{version.number}版生成，共 {len(rows)} 行。"
    content = exporting.render(spec, rows, fmt=fmt, org_name=org.name, period=period, footer=footer)
    content_type, ext = exporting.FORMATS[fmt]
    audit.log(
        actor=actor,
        verb="ledger.sheet_export",
        target=org,
        detail={
            "template": template.pk,
            "version": version.number,
            "rows": len(rows),
            "format": fmt,
            "from": start.isoformat(),
            "to": end.isoformat(),
        },
    )
    filename = f"{org.code}-{template.pk}v{version.number}-{start:%Y%m}-{end:%Y%m}.{ext}"
    return Download(filename, content, content_type)


def _period_label(start: date, end: date) -> str:
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.year}年{start.month}月"
    if start.year == end.year and start.month == 1 and end.month == 12:
        return f"{start.year}年"
    return f"{start.year}年{start.month}月至{end.year}年{end.month}月"
