"""Forms of the transfer and member-watch pages."""

from __future__ import annotations

from django import forms

from zhibu.core.forms import ScopedForm
from zhibu.dues.forms import DateInput, MonthField
from zhibu.orgs.models import Organisation

from .models import Transfer


class TransferForm(ScopedForm):
    kind = forms.ChoiceField(
        label="转往",
        choices=[(Transfer.Kind.INTERNAL, "本系统内的党支部"), (Transfer.Kind.OUT, "系统外的党组织")],
    )
    to_org_code = forms.CharField(
        label="接收党支部代码", required=False, max_length=50, help_text="系统内转接时填写，如 branch-b"
    )
    outside_org = forms.CharField(label="系统外党组织名称", required=False, max_length=200)
    serial = forms.CharField(label="介绍信编号", required=False, max_length=50)
    channel = forms.ChoiceField(label="方式", choices=Transfer.Channel.choices)
    reason = forms.CharField(label="转接原因", required=False, max_length=200)
    issued_on = forms.DateField(label="开具日期", widget=DateInput())
    dues_paid_to = MonthField(label="党费交至", required=False, help_text="不填则取最后交纳的月份")
    valid_until = forms.DateField(
        label="有效期至", required=False, widget=DateInput(), help_text="不填则按本组织设置（默认 3 个月）"
    )

    def clean(self):
        data = super().clean()
        data["to_org"] = None
        if data.get("kind") == Transfer.Kind.INTERNAL:
            code = (data.get("to_org_code") or "").strip()
            if not code:
                self.add_error("to_org_code", "请填写接收党支部代码。")
            else:
                org = Organisation.objects.select_related("type").filter(code=code).first()
                if org is None or not org.is_branch or not org.is_active:
                    self.add_error("to_org_code", f"没有代码为 {code} 的党支部。")
                data["to_org"] = org
        elif not (data.get("outside_org") or "").strip():
            self.add_error("outside_org", "请填写系统外党组织名称。")
        return data


class TransferInForm(ScopedForm):
    member = forms.ModelChoiceField(label="党员", queryset=None, help_text="先在花名册中添加该党员")
    outside_org = forms.CharField(label="转出的系统外党组织", max_length=200)
    serial = forms.CharField(label="介绍信编号", required=False, max_length=50)
    channel = forms.ChoiceField(label="方式", choices=Transfer.Channel.choices)
    issued_on = forms.DateField(label="开具日期", widget=DateInput())
    valid_until = forms.DateField(label="有效期至", required=False, widget=DateInput())
    received_on = forms.DateField(label="接收日期", widget=DateInput())
    dues_paid_to = MonthField(label="党费交至", required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class ReceiveForm(ScopedForm):
    received_on = forms.DateField(label="接收日期", widget=DateInput())


class ContactForm(ScopedForm):
    contacted_on = forms.DateField(label="联系日期", widget=DateInput())
    way = forms.CharField(label="联系方式", required=False, max_length=50)
    note = forms.CharField(label="情况", required=False, max_length=300)


class MobileForm(ScopedForm):
    destination = forms.CharField(label="外出流向", max_length=200)
    host_org = forms.CharField(label="流入地党组织", required=False, max_length=200)
    card_number = forms.CharField(label="流动党员活动证编号", required=False, max_length=50)
    card_issued_on = forms.DateField(label="活动证发放日期", required=False, widget=DateInput())
    left_on = forms.DateField(label="外出日期", widget=DateInput())


class MobileReturnForm(ScopedForm):
    returned_on = forms.DateField(label="返回日期", widget=DateInput())
