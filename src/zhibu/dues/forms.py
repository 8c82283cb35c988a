from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from zhibu.core import months
from zhibu.core.forms import ScopedForm

from .brackets import ROUNDING_CHOICES, IncomeType
from .models import Exemption, Period


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return months.parse(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def money(label: str, required: bool = True, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=12,
        decimal_places=2,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


class BaseForm(ScopedForm):
    effective_month = MonthField(
        label="起始月份",
        help_text="从这个月起按此基数计算（《关于中国共产党党费收缴、使用和管理的规定》第十条）",
    )
    income_type = forms.ChoiceField(label="收入类别", choices=IncomeType.choices)
    base = money(
        "计算基数（元/月）", required=False, help_text="在职、年薪制、无固定收入、离退休党员填写（税后）"
    )
    chosen_amount = money(
        "农民党员自定月缴额（元）",
        required=False,
        help_text="0.2–1 元（《关于中国共产党党费收缴、使用和管理的规定》第六条）",
    )
    period = forms.ChoiceField(label="交纳周期", choices=Period.choices, initial=Period.MONTHLY)
    period_approved_on = forms.DateField(label="支部同意按季度交纳日期", required=False, widget=DateInput())
    note = forms.CharField(label="说明", required=False, max_length=200)


class PaymentForm(ScopedForm):
    month = MonthField(label="所属月份", help_text="按季度交纳时填季度中的任一月份")
    paid_on = forms.DateField(label="交纳日期", widget=DateInput())
    amount = money("实缴（元）", required=False, help_text="不填则按应缴金额")
    period = forms.ChoiceField(label="交纳周期", choices=Period.choices, initial=Period.MONTHLY)
    note = forms.CharField(label="说明", required=False, max_length=200)


class ExemptionForm(ScopedForm):
    kind = forms.ChoiceField(label="类别", choices=Exemption.Kind.choices)
    reduced_amount = money("减交后月缴额（元）", required=False)
    from_month = MonthField(label="起始月份")
    to_month = MonthField(label="截止月份")
    reason = forms.CharField(label="困难情况", max_length=300)
    branch_decided_on = forms.DateField(label="支部讨论日期", widget=DateInput())
    approved_by = forms.CharField(label="批准的上级党委", max_length=100)
    approved_on = forms.DateField(label="上级党委同意日期", widget=DateInput())


class ExtraForm(ScopedForm):
    paid_on = forms.DateField(label="交纳日期", widget=DateInput())
    amount = money(
        "金额（元）",
        help_text="一次 1000 元以上全额上缴中央（《关于中国共产党党费收缴、使用和管理的规定》第十一条）",
    )
    note = forms.CharField(label="说明", required=False, max_length=200)


class ImportForm(ScopedForm):
    file = forms.FileField(
        label="党费交纳表（.xlsx 或 .csv）",
        help_text="列：公民身份号码、姓名、所属月份（如 2022-09）、实缴金额、交纳日期、说明；"
        "表头之上可以有标题行",
    )


class SettingsForm(ScopedForm):
    rounding = forms.ChoiceField(label="党费金额取整", choices=ROUNDING_CHOICES)
    letter_valid_months = forms.IntegerField(label="介绍信有效期（月）", min_value=1, max_value=6)
