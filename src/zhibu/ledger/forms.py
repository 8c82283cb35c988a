from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from zhibu.core.forms import ScopedForm

from .definition import mapping_text, parse_mapping
from .fields import DATE_FORMATS, UNITS, choices


class TemplateForm(ScopedForm):
    name = forms.CharField(label="模板名称", max_length=100)
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    unit = forms.ChoiceField(label="每一行代表", choices=list(UNITS.items()))
    title_rows = forms.CharField(
        label="标题行（每行一条，可用 {组织} 和 {期间}）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    kinds = forms.MultipleChoiceField(
        label="只导出这些活动类型（不选为全部）", required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label="修改说明", max_length=200, required=False)

    def __init__(self, *args, kind_names: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = list(kind_names.items())


class ColumnForm(ScopedForm):
    header = forms.CharField(label="表头", max_length=60, required=False)
    # A select on the page; checked by ledger.definition so an unknown field is named with its column.
    field = forms.CharField(label="取值", required=False, max_length=80, widget=forms.Select)
    format = forms.ChoiceField(
        label="日期格式", required=False, choices=[("", "默认")] + [(k, v) for k, v in DATE_FORMATS.items()]
    )
    mapping = forms.CharField(
        label="代码对照（每行“原值=目标值”）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, kind_names: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].widget.choices = [("", "——")] + choices(kind_names)


ColumnFormSet = forms.formset_factory(ColumnForm, extra=3, max_num=60, validate_max=True)


def initial_from(definition: dict) -> tuple[dict, list[dict]]:
    head = {
        "unit": definition["unit"],
        "title_rows": "\n".join(definition["title_rows"]),
        "kinds": definition["kinds"],
    }
    columns = [
        {
            "header": c["header"],
            "field": c["field"],
            "format": c["format"],
            "mapping": mapping_text(c["mapping"]),
        }
        for c in definition["columns"]
    ]
    return head, columns


def definition_from(form: TemplateForm, formset) -> dict:
    """The definition typed on the page (blank column rows skipped); ValidationError for a bad mapping line."""
    columns = []
    for number, data in enumerate((f.cleaned_data for f in formset.forms if f.cleaned_data), start=1):
        if not (data.get("header") or data.get("field")):
            continue
        columns.append(
            {
                "header": data["header"],
                "field": data["field"],
                "format": data["format"],
                "mapping": parse_mapping(data["mapping"], number),
            }
        )
    return {
        "unit": form.cleaned_data["unit"],
        "kinds": form.cleaned_data["kinds"],
        "columns": columns,
        "title_rows": [t for t in form.cleaned_data["title_rows"].splitlines() if t.strip()],
    }


class PeriodForm(ScopedForm):
    """?from=2022-01&to=2022-12&format=xlsx on a download link."""

    start = forms.CharField(label="起始月份")
    end = forms.CharField(label="截止月份")
    format = forms.ChoiceField(
        label="格式",
        choices=[("xlsx", "Excel"), ("csv", "CSV（UTF-8）"), ("csv-gbk", "CSV（GBK）")],
        initial="xlsx",
    )


def validation_messages(exc: ValidationError) -> list[str]:
    return list(exc.messages)
