"""Forms of the appraisal pages (述职评议 rounds, 民主评议党员)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from zhibu.core.forms import ScopedForm

from .models import Level


class RoundForm(ScopedForm):
    """Field names are kept plain and stable (browser tests fill them by name)."""

    year = forms.IntegerField(label="述职年度", min_value=2000, max_value=2100)
    title = forms.CharField(
        label="名称", max_length=200, required=False, help_text="留空则为“某年度党支部书记述职评议”"
    )
    opens_at = forms.DateTimeField(
        label="评议开始",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    closes_at = forms.DateTimeField(
        label="评议截止",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    branches = forms.MultipleChoiceField(
        label="参加述职的党支部", widget=forms.CheckboxSelectMultiple, required=False
    )
    appraisers = forms.CharField(
        label="评议人（用户名）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="填写评议人的登录用户名，多个用逗号、空格或换行分隔；须在本组织范围内有角色。",
    )
    threshold = forms.IntegerField(
        label="定等比例（%）",
        min_value=1,
        max_value=100,
        initial=60,
        help_text="“好”票占比达到该比例定为好；否则“好+较好”达到定为较好；"
        "否则“好+较好+一般”达到定为一般；其余为差。",
    )

    def __init__(self, *args, branch_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branches"].choices = list(branch_choices)
        if not self.is_bound:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("year", now.year - 1)
            self.initial.setdefault("opens_at", now.strftime("%Y-%m-%dT%H:%M"))
            self.initial.setdefault(
                "closes_at", (now + timezone.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
            )


class RateForm(ScopedForm):
    level = forms.ChoiceField(label="评议等次", choices=Level.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SelfAssessmentForm(ScopedForm):
    text = forms.CharField(label="个人自评", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))


class OpenReviewForm(ScopedForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
