"""Reading an .xlsx of work records: a header row of field labels, then one record a row. Each row goes
through the same form as the web page; the service then saves all rows or none."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from . import forms, selectors
from .kinds import Kind

MAX_ROWS = 5000


def headers(kind: Kind) -> list[str]:
    return [str(kind.model._meta.get_field(name).verbose_name) for name in kind.importable]


def template_bytes(kind: Kind, org) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = kind.label[:31]
    sheet.append(headers(kind))
    if "platform" in kind.importable:
        notes = book.create_sheet("可用平台")
        for platform in selectors.platforms_for(org):
            notes.append([platform.name, platform.get_kind_display()])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def read_rows(kind: Kind, *, actor, org, upload: UploadedFile) -> list[tuple[int, dict[str, Any]]]:
    """Parse and validate every row; raise one ValidationError listing every bad row (nothing is saved)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors for a file that is not xlsx
        raise ValidationError("无法读取该文件，请上传 .xlsx 格式的 Excel 文件。") from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_cell(v) for v in next(rows, ())]
    labels = headers(kind)
    missing = [label for label in labels if label not in header]
    if missing:
        raise ValidationError(f"表头缺少列：{'、'.join(missing)}。")
    position = {label: header.index(label) for label in labels}
    platforms = {p.name: p.pk for p in selectors.platforms_for(org)} if "platform" in kind.importable else {}
    choices = {name: {str(label): value for value, label in kind.model._meta.get_field(name).choices}
               for name in kind.importable if kind.model._meta.get_field(name).choices}
    result: list[tuple[int, dict[str, Any]]] = []
    errors: list[str] = []
    for number, raw in enumerate(rows, start=2):
        values = {name: _cell(raw[position[label]] if position[label] < len(raw) else None)
                  for name, label in zip(kind.importable, labels, strict=True)}
        if not any(values.values()):
            continue
        if len(result) >= MAX_ROWS:
            raise ValidationError(f"一次最多导入 {MAX_ROWS} 行。")
        if "platform" in values:
            values["platform"] = platforms.get(values["platform"], values["platform"] and -1)
        for name, mapping in choices.items():
            values[name] = mapping.get(values[name], values[name])
        form = forms.record_form(kind, actor=actor, org=org, data=values)
        for name in set(form.fields) - set(kind.importable):
            del form.fields[name]
        if form.is_valid():
            result.append((number, {name: form.cleaned_data[name] for name in kind.importable}))
        else:
            for field, messages in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                errors.extend(f"第{number}行{('「' + str(label) + '」') if label else ''}：{m}" for m in messages)
    if errors:
        raise ValidationError(errors[:50])
    return result
