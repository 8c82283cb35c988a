"""Checking a template definition. A definition is plain data:

    {"unit": "attendance", "title_rows": ["{组织} 组织活动参加情况"], "kinds": ["general-meeting"],
     "columns": [{"header": "活动类型", "field": "kind_name", "format": "", "mapping": {"支部委员会": "02"}}]}

`{组织}` and `{期间}` in a title row are replaced by the organisation's name and the period downloaded.
`mapping` turns a cell's value into the target system's code (our value → theirs); values it does not name
are written unchanged. `format` is a date format for date fields.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from .fields import DATE_FORMATS, UNITS, lookup

MAX_COLUMNS = 60
MAX_TITLE_ROWS = 5


def check(definition: dict, kind_names: dict[str, str]) -> dict:
    """The definition cleaned, or ValidationError with every problem in Chinese (column numbers from 1)."""
    errors: list[str] = []
    unit = definition.get("unit")
    if unit not in UNITS:
        errors.append("请选择每一行代表什么（每名党员每次活动、每次活动或每个党组织每季度）。")
    titles = [str(t).strip() for t in definition.get("title_rows") or [] if str(t).strip()]
    if len(titles) > MAX_TITLE_ROWS:
        errors.append(f"标题行最多 {MAX_TITLE_ROWS} 行。")
    kinds = [str(k) for k in definition.get("kinds") or []]
    for code in kinds:
        if code not in kind_names:
            errors.append(f"活动类型「{code}」不存在。")
    columns = definition.get("columns") or []
    if not columns:
        errors.append("模板至少要有一列。")
    if len(columns) > MAX_COLUMNS:
        errors.append(f"模板最多 {MAX_COLUMNS} 列。")
    cleaned: list[dict] = []
    seen: dict[str, int] = {}
    for number, column in enumerate(columns, start=1):
        header = str(column.get("header") or "").strip()
        key = str(column.get("field") or "").strip()
        fmt = str(column.get("format") or "").strip()
        mapping = column.get("mapping") or {}
        if not header:
            errors.append(f"第{number}列：表头不能为空。")
        elif header in seen:
            errors.append(f"第{number}列：表头「{header}」与第{seen[header]}列重复。")
        else:
            seen[header] = number
        field = lookup(key, kind_names)
        if field is None:
            errors.append(f"第{number}列：没有名为「{key}」的字段。")
        elif unit in UNITS and unit not in field.units:
            errors.append(f"第{number}列：字段「{field.label}」不能用于“{UNITS[unit]}”的模板。")
        if fmt and (field is None or not field.is_date or fmt not in DATE_FORMATS):
            errors.append(
                f"第{number}列：格式「{fmt}」只能用于日期字段，且须为 {'、'.join(DATE_FORMATS.values())} 之一的样式。"
            )
        if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
        ):
            errors.append(f"第{number}列：代码对照须为“原值=目标值”。")
            mapping = {}
        cleaned.append({"header": header, "field": key, "format": fmt, "mapping": dict(mapping)})
    if errors:
        raise ValidationError(errors)
    return {"unit": unit, "title_rows": titles, "kinds": kinds, "columns": cleaned}


def parse_mapping(text: str, column_number: int) -> dict[str, str]:
    """ "支部委员会=02" lines → {"支部委员会": "02"}; ValidationError names the bad line."""
    mapping: dict[str, str] = {}
    for line_number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        ours, sep, theirs = line.partition("=")
        if not sep or not ours.strip():
            raise ValidationError(
                f"第{column_number}列代码对照第{line_number}行「{line}」应写成“原值=目标值”。"
            )
        if ours.strip() in mapping:
            raise ValidationError(f"第{column_number}列代码对照第{line_number}行：「{ours.strip()}」重复。")
        mapping[ours.strip()] = theirs.strip()
    return mapping


def mapping_text(mapping: dict[str, str]) -> str:
    return "\n".join(f"{ours}={theirs}" for ours, theirs in mapping.items())
