from __future__ import annotations

from decimal import Decimal

from django import forms

from zhibu.core.forms import ScopedForm
from zhibu.orgs.models import OrgType
from zhibu.records.models import ActivityKind

from .models import WEEKDAYS, FollowUp, Period, Requirement

# Bounds checked in the first round, with the other fields, worded as the model's clean() words them (the
# messages are %-formatted with the limit: a percent sign is written %%).
COUNT_TOO_SMALL = "每周期至少次数必须是正整数（至少 1 次）。"
COUNT_TOO_LARGE = "每周期至少次数过大，请核对。"
ATTENDANCE_RANGE = "最低出席率应在 0 到 1 之间（如 0.8 表示 80%%）。"
CLOSES_MONTH_RANGE = "次年截止月应为 1–6 月。"
CLOSES_DAY_RANGE = "次年截止日应为 1–31 日。"


class RequirementForm(ScopedForm):
    code = forms.CharField(label="编号", max_length=20, required=False)
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ModelChoiceField(label="活动类型", queryset=ActivityKind.objects.none())
    period = forms.ChoiceField(label="周期", choices=Period.choices)
    min_count = forms.IntegerField(
        label="每周期至少次数",
        initial=1,
        min_value=1,
        max_value=366,
        error_messages={"min_value": COUNT_TOO_SMALL, "max_value": COUNT_TOO_LARGE},
    )
    weekday = forms.TypedChoiceField(
        label="限定星期", choices=[("", "不限")] + WEEKDAYS, coerce=int, empty_value=None, required=False
    )
    min_attendance = forms.DecimalField(
        label="最低出席率",
        max_digits=4,
        decimal_places=3,
        required=False,
        min_value=Decimal("0.001"),
        max_value=1,
        error_messages={"min_value": ATTENDANCE_RANGE, "max_value": ATTENDANCE_RANGE},
        help_text="如 0.8 表示 80%；留空不检查",
    )
    speaker_secretary = forms.BooleanField(label="须由支部书记主讲", required=False)
    per_group = forms.BooleanField(label="每个党小组分别计", required=False)
    per_member = forms.BooleanField(label="每名党员分别计（仅每年）", required=False)
    needs_committee = forms.BooleanField(label="仅设支委会的支部", required=False)
    grace_days = forms.IntegerField(
        label="补录宽限天数",
        initial=7,
        min_value=0,
        max_value=90,
        error_messages={"min_value": "补录宽限天数不能为负数。", "max_value": "补录宽限不能超过 90 天。"},
        help_text="周期结束后多少天内录入仍算按时",
    )
    closes_month = forms.IntegerField(
        label="次年截止月",
        required=False,
        min_value=1,
        max_value=6,
        error_messages={"min_value": CLOSES_MONTH_RANGE, "max_value": CLOSES_MONTH_RANGE},
        help_text="仅每年的要求（如组织生活会）：次年几月几日前为上一年度召开仍算按时",
    )
    closes_day = forms.IntegerField(
        label="次年截止日",
        required=False,
        min_value=1,
        max_value=31,
        error_messages={"min_value": CLOSES_DAY_RANGE, "max_value": CLOSES_DAY_RANGE},
    )
    basis = forms.CharField(label="依据", max_length=200, help_text="条例条款或本地文件名称、文号")
    local_rule = forms.BooleanField(label="本地规定", required=False)
    valid_from = forms.DateField(label="施行日期", widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label="废止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    org_types = forms.ModelMultipleChoiceField(
        label="适用组织类别",
        required=False,
        queryset=OrgType.objects.filter(level=OrgType.Level.BRANCH),
        widget=forms.CheckboxSelectMultiple,
    )
    replaces = forms.ModelChoiceField(
        label="收紧的上级要求",
        queryset=Requirement.objects.unscoped().none(),
        required=False,
        help_text="选择后本要求代替该上级要求，且不得比它宽松",
    )
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, owner, inherited, branch_owner: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = ActivityKind.objects.for_org(owner)
        self.fields["replaces"].queryset = inherited
        self.fields["replaces"].label_from_instance = lambda r: f"{r.label}（{r.frequency_text()}）"
        if branch_owner:
            del self.fields["org_types"]


class FollowUpForm(ScopedForm):
    month = forms.TypedChoiceField(
        label="针对月份", coerce=int, choices=[(m, f"{m}月") for m in range(1, 13)]
    )
    kind = forms.ChoiceField(label="方式", choices=FollowUp.Kind.choices)
    on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="内容", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
