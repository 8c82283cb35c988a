from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from zhibu.core.crypto import digest
from zhibu.core.forms import ScopedForm, ScopedModelForm

from .models import Organisation, OrgType
from .roles import Role


class OrgForm(ScopedModelForm):
    class Meta:
        model = Organisation
        fields = [
            "type",
            "code",
            "name",
            "short_name",
            "secretary_name",
            "contact_name",
            "contact_phone",
            "founded_on",
            "unit_situation",
            "unit_names",
            "live_from",
        ]
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "live_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = OrgType.objects.all()
        if editing:
            del self.fields["type"]
            del self.fields["code"]

    def _post_clean(self):
        # Model validation happens in the service, where the tree position is known.
        pass


class MoveForm(ScopedForm):
    new_parent = forms.CharField(label="移动到（上级组织代码）", max_length=50)


class DissolveForm(ScopedForm):
    on = forms.DateField(label="撤销日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="撤销原因", max_length=200, required=False)


class RoleForm(ScopedForm):
    username = forms.CharField(label="用户名或手机号", max_length=150)
    role = forms.ChoiceField(label="角色", choices=Role.choices)

    def clean_username(self):
        value = self.cleaned_data["username"].strip()
        users = get_user_model()._default_manager
        user = users.filter(username=value).first() or users.filter(phone_digest=digest(value)).first()
        if user is None:
            raise forms.ValidationError("找不到该用户。")
        return user


class BreakForm(ScopedForm):
    name = forms.CharField(label="名称", max_length=30, help_text="如 寒假、暑假")
    starts_on = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))
