"""Forms. The advance form is built from the step's field list in the ruleset; its field names are the plain
names of ruleset.FIELDS plus `on` (日期), `overdue_reason` (超期原因) and `note` (备注)."""

from __future__ import annotations

from datetime import date

from django import forms

from zhibu.core.forms import ScopedForm

from . import ruleset as rs

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
COMMON = ("on", "overdue_reason", "note", "step")


class AdvanceForm(ScopedForm):
    step = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label="日期", widget=DATE)

    def __init__(
        self,
        *args,
        step: rs.Step,
        ruleset: rs.Ruleset,
        party_members=None,
        groups=None,
        overdue_hint: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.step_rule = step
        for name in step.fields:
            label, kind = rs.FIELDS[name]
            required = name in step.required
            if kind == "text":
                field = forms.CharField(max_length=200)
            elif kind == "textarea":
                field = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
            elif kind == "int":
                field = forms.IntegerField(
                    min_value=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
                )
            elif kind == "date":
                field = forms.DateField(widget=DATE)
            elif kind.startswith("choice:"):
                field = forms.ChoiceField(choices=[("", "请选择")] + rs.CHOICES[kind[7:]])
            elif kind == "members":
                field = forms.ModelMultipleChoiceField(
                    queryset=party_members, widget=forms.CheckboxSelectMultiple
                )
            elif kind == "group":
                field = forms.ModelChoiceField(queryset=groups, empty_label="（不编入党小组）")
            else:  # checklist
                field = forms.MultipleChoiceField(
                    choices=[(c, rs.DOCUMENTS[c]) for c in rs.checklist(ruleset)],
                    widget=forms.CheckboxSelectMultiple,
                )
            field.label, field.required = label, required
            self.fields[name] = field
        if "expected" in step.fields:
            self.fields["expected"].help_text = (
                "留空则按会议日期的花名册自动计算（正式党员，不含受留党察看处分尚未恢复党员权利的"
                "和停止党籍的；预备党员没有表决权）；不能多于花名册人数"
            )
            self.fields["expected_reason"].help_text = "应到人数少于花名册计算的人数时必填"
        if "publicity_start" in step.fields and ruleset.publicity_workdays:
            self.fields[
                "publicity_start"
            ].help_text = (
                f"列为发展对象前公示不少于{ruleset.publicity_workdays}个工作日（按法定节假日和调休计算）"
            )
        self.fields["overdue_reason"] = forms.CharField(
            label="超期原因",
            max_length=300,
            required=False,
            help_text="超过规定期限办理时必填" if not overdue_hint else "已超过规定期限，请说明原因",
        )
        self.fields["note"] = forms.CharField(label="备注", max_length=300, required=False)

    def details(self) -> dict:
        data = self.cleaned_data
        result = {}
        for name in self.step_rule.fields:
            value = data.get(name)
            if hasattr(value, "all"):
                value = [m.pk for m in value]
            elif hasattr(value, "pk"):
                value = value.pk
            if value in (None, "", []):
                continue
            result[name] = value
        return result


class OpenForm(ScopedForm):
    member = forms.ModelChoiceField(
        label="花名册中的申请人", queryset=None, required=False, empty_label="（新申请人，填写下方信息）"
    )
    name = forms.CharField(label="姓名", max_length=50, required=False)
    id_number = forms.CharField(label="公民身份号码", max_length=18, required=False)
    post = forms.CharField(label="工作岗位", max_length=100, required=False)
    applied_on = forms.DateField(label="递交入党申请书日期", widget=DATE)
    content = forms.CharField(
        label="说明", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.ChoiceField(
        label="适用细则",
        required=False,
        choices=[("", "按申请日期自动选择")] + [(v, r.label) for v, r in rs.RULESETS.items()],
    )

    def __init__(self, *args, applicants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = applicants

    def clean(self):
        data = super().clean()
        if not data.get("member") and not (data.get("name") and data.get("id_number")):
            raise forms.ValidationError("请选择花名册中的申请人，或填写新申请人的姓名和公民身份号码。")
        return data


class CorrectForm(ScopedForm):
    on = forms.DateField(label="更正后的日期", widget=DATE)
    overdue_reason = forms.CharField(label="超期原因", max_length=300, required=False)


class UploadForm(ScopedForm):
    kind = forms.ChoiceField(label="材料类别", choices=list(rs.DOCUMENTS.items()))
    file = forms.FileField(label="文件（PDF、JPG、PNG、Word，10 MB 以内）")


class SettingsForm(ScopedForm):
    version = forms.ChoiceField(
        label="本组织及下级新建纪实适用的细则",
        required=False,
        choices=[("", "按申请日期自动选择")] + [(v, r.label) for v, r in rs.RULESETS.items()],
    )


class HolidayForm(ScopedForm):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    holidays = forms.CharField(
        label="放假日期（每行一个，如 2027-01-01）", required=False, widget=forms.Textarea
    )
    workdays = forms.CharField(label="调休上班日期（每行一个）", required=False, widget=forms.Textarea)

    @staticmethod
    def _dates(text: str) -> list[date]:
        result = []
        for token in text.replace("，", "\n").replace(",", "\n").split():
            try:
                result.append(date.fromisoformat(token.strip()))
            except ValueError as exc:
                raise forms.ValidationError(f"无法识别的日期：{token}") from exc
        return result

    def clean_holidays(self):
        return self._dates(self.cleaned_data.get("holidays") or "")

    def clean_workdays(self):
        return self._dates(self.cleaned_data.get("workdays") or "")
