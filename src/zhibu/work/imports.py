"""Reading an .xlsx or .csv of work records through the tabular core: a header row of field labels (titles above
it allowed), then one record a row. Each row goes through the same form as the web page; the service then saves
all rows or none."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import models

from zhibu.core import tabular
from zhibu.core.tabular import cells

from . import forms, selectors
from .kinds import Kind

MAX_ROWS = 5000


def headers(kind: Kind) -> list[str]:
    return [str(kind.model._meta.get_field(name).verbose_name) for name in kind.importable]


def template_bytes(kind: Kind, org) -> bytes:
    sheets = [tabular.Sheet(kind.label, headers(kind), [])]
    if "platform" in kind.importable:
        sheets.append(
            tabular.Sheet(
                "可用平台",
                [],
                ([p.name, p.get_kind_display()] for p in selectors.platforms_for(org)),
                freeze=False,
            )
        )
    return tabular.xlsx(*sheets)


def _date_text(value) -> str:
    day = cells.a_date(value)
    return day.isoformat() if day else ""


def schema(kind: Kind) -> tabular.Schema:
    """The import's columns: one per importable field, headed by its label; dates read as people write them."""
    columns = []
    for name in kind.importable:
        field = kind.model._meta.get_field(name)
        read = _date_text if isinstance(field, models.DateField) else cells.text
        columns.append(tabular.Column(name, str(field.verbose_name), read, present=True))
    return tabular.Schema(columns=tuple(columns), max_records=MAX_ROWS)


def read_rows(kind: Kind, *, actor, org, upload: UploadedFile) -> list[tuple[int, dict[str, Any]]]:
    """Read the file through the tabular core, then every row through the page's form; raise one
    ValidationError listing every bad row (nothing is saved). No database writes here."""
    table = tabular.read(upload, schema(kind), filename=getattr(upload, "name", "") or "")
    platforms = {p.name: p.pk for p in selectors.platforms_for(org)} if "platform" in kind.importable else {}
    choices = {
        name: {str(label): value for value, label in kind.model._meta.get_field(name).choices}
        for name in kind.importable
        if kind.model._meta.get_field(name).choices
    }
    result: list[tuple[int, dict[str, Any]]] = []
    for record in table.records:
        if record.problems:
            continue
        values = {name: record.values.get(name, "") for name in kind.importable}
        if "platform" in values:
            values["platform"] = platforms.get(values["platform"], values["platform"] and -1)
        for name, mapping in choices.items():
            values[name] = mapping.get(values[name], values[name])
        form = forms.record_form(kind, actor=actor, org=org, data=values)
        for name in set(form.fields) - set(kind.importable):
            del form.fields[name]
        if form.is_valid():
            result.append((record.number, {name: form.cleaned_data[name] for name in kind.importable}))
        else:
            for field, messages in form.errors.items():
                for text in messages:
                    record.add(field if field in kind.importable else "", text)
    table.raise_errors()
    return result
