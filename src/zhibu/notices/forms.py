from __future__ import annotations

from django import forms

from zhibu.core.forms import ScopedForm
from zhibu.orgs.models import Organisation


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, (list, tuple)):
            return [one(item, initial) for item in data]
        return [one(data, initial)] if data else []


class NoticeForm(ScopedForm):
    title = forms.CharField(label="标题", max_length=120)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 8}))
    deadline = forms.DateField(
        label="办理期限（可不填）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    targets = forms.ModelMultipleChoiceField(
        label="只发给这些党组织（不选则发给全部下级）",
        required=False,
        queryset=Organisation.scoped.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    files = MultipleFileField(label="附件（PDF、Word、图片，可多选）", required=False)

    def __init__(self, *args, receivers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["targets"].queryset = receivers
        self.fields["targets"].label_from_instance = lambda org: org.label
