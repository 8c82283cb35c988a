"""Forms parse and shape input; the rules themselves live in services (and run the same for the API and
the import)."""

from __future__ import annotations

from django import forms

from zhibu.core.forms import ScopedForm
from zhibu.orgs.models import Organisation

from .codes import Education, Gender, ethnicities
from .models import Member, PartyPost, Status
from .services import STATUS_DATES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _blank(choices) -> list[tuple[str, str]]:
    return [("", "—"), *choices]


def _date(label: str, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


class MemberForm(ScopedForm):
    """Create (with status and milestone dates) or edit (personal data left blank means unchanged)."""

    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(
        label="公民身份号码",
        max_length=18,
        min_length=0,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    gender = forms.ChoiceField(
        label="性别",
        choices=_blank(Gender.choices),
        required=False,
        help_text="可不填：按公民身份号码自动判断；填写则须一致。",
    )
    birth_date = _date("出生日期", help_text="可不填：取自公民身份号码；填写则须一致。")
    ethnicity = forms.ChoiceField(label="民族", choices=ethnicities, initial="01")
    education = forms.ChoiceField(label="学历", choices=_blank(Education.choices), required=False)
    status = forms.ChoiceField(label="人员类别", choices=Status.choices, initial=Status.FULL)
    applied_on = _date(STATUS_DATES[Status.APPLICANT][1])
    activist_on = _date(STATUS_DATES[Status.ACTIVIST][1])
    candidate_on = _date(STATUS_DATES[Status.CANDIDATE][1])
    joined_on = _date(STATUS_DATES[Status.PROBATIONARY][1], help_text="预备党员、正式党员必填。")
    confirmed_on = _date(STATUS_DATES[Status.FULL][1], help_text="正式党员必填；须在入党日期满一年之后。")
    post = forms.CharField(label="工作岗位", max_length=100, required=False)
    phone = forms.CharField(
        label="联系电话",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(
        label="家庭住址",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    party_group = forms.ModelChoiceField(
        label="党小组", queryset=Organisation.scoped.none(), required=False, empty_label="—"
    )
    party_post = forms.ChoiceField(label="党内职务", choices=_blank(PartyPost.choices), required=False)
    standing = forms.ChoiceField(
        label="党籍状态", choices=Member.Standing.choices, initial=Member.Standing.NORMAL
    )
    lost_contact = forms.BooleanField(label="失联党员", required=False)
    lost_contact_since = _date("失联日期")
    mobile = forms.BooleanField(label="流动党员", required=False)
    mobile_destination = forms.CharField(label="外出流向", max_length=200, required=False)
    clear_phone = forms.BooleanField(label="清空联系电话", required=False)
    clear_address = forms.BooleanField(label="清空家庭住址", required=False)

    CREATE_ONLY = (
        "gender",
        "birth_date",
        "status",
        "applied_on",
        "activist_on",
        "candidate_on",
        "joined_on",
        "confirmed_on",
    )
    EDIT_ONLY = ("clear_phone", "clear_address")
    SECRET = ("id_number", "phone", "address")

    def __init__(self, *args, groups, member: Member | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_group"].queryset = groups
        self.member = member
        for name in self.EDIT_ONLY if member is None else self.CREATE_ONLY:
            del self.fields[name]
        if member is not None:
            # Personal data is never put into the page in full: blank means "keep what is stored".
            self.fields["id_number"].required = False
            self.fields["id_number"].widget.attrs["placeholder"] = member.id_number_masked
            self.fields["id_number"].help_text = "留空表示不修改。"
            self.fields["phone"].widget.attrs["placeholder"] = member.phone_masked
            self.fields["phone"].help_text = "留空表示不修改。"
            self.fields["address"].widget.attrs["placeholder"] = member.address_masked
            self.fields["address"].help_text = "留空表示不修改。"
            if not self.is_bound:
                self.initial.update(
                    {
                        name: getattr(member, name)
                        for name in (
                            "name",
                            "ethnicity",
                            "education",
                            "post",
                            "party_group",
                            "party_post",
                            "standing",
                            "lost_contact",
                            "lost_contact_since",
                            "mobile",
                            "mobile_destination",
                        )
                    }
                )

    def member_fields(self) -> dict:
        """The cleaned values as keyword arguments for member_create / member_update."""
        data = dict(self.cleaned_data)
        for name in (*self.CREATE_ONLY, *self.EDIT_ONLY):
            data.pop(name, None)
        if self.member is not None:
            for secret in self.SECRET:
                if not data.get(secret):
                    data.pop(secret, None)
            if self.cleaned_data.get("clear_phone"):
                data["phone"] = ""
            if self.cleaned_data.get("clear_address"):
                data["address"] = ""
            data = {k: v for k, v in data.items() if getattr(self.member, k) != v}
        else:
            data.update(
                {k: self.cleaned_data[k] for k in ("gender", "birth_date") if self.cleaned_data.get(k)}
            )
            data = {k: v for k, v in data.items() if v not in (None, "")}
        return data

    def dates(self) -> dict:
        return {key: self.cleaned_data.get(key) for key, _ in STATUS_DATES.values()}


class StatusForm(ScopedForm):
    status = forms.ChoiceField(label="人员类别", choices=Status.choices)
    on = _date("日期", required=True)
    note = forms.CharField(label="说明", max_length=200, required=False)


class FilterForm(ScopedForm):
    # Long enough for the digest token that stands for an ID number in an address (people.selectors).
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=80,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "姓名、拼音首字母（如 zwh）或公民身份号码"}
        ),
    )
    status = forms.ChoiceField(label="人员类别", required=False, choices=[("", "全部类别"), *Status.choices])
    group = forms.ChoiceField(label="党小组", required=False)
    post = forms.ChoiceField(label="工作岗位", required=False)

    def __init__(self, *args, groups, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {group.code: group for group in groups}
        self.fields["group"].choices = [("", "全部党小组"), *((g.code, g.label) for g in groups)]
        self.fields["post"].choices = [("", "全部岗位"), *((p, p) for p in posts)]


class ImportForm(ScopedForm):
    file = forms.FileField(
        label="名册文件（.xlsx 或 .csv）", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"})
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("请上传 .xlsx 或 .csv 格式的文件（可先下载导入模板）。")
        return upload
