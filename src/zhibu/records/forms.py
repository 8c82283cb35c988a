"""Forms of the records pages. Field names are plain and stable (a browser test fills them):
kind, topic, starts_at, ends_at, location, host, speaker, speaker_name, recorder, content, decisions, and per
member presence_<member id> / reason_<member id>."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from django import forms

from zhibu.core.forms import ScopedForm
from zhibu.people.models import Member

from .models import Attendance

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
_PRESENCE_KEY = re.compile(r"^presence_(\d{1,18})$")


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class MemberChoiceField(forms.TypedChoiceField):
    def __init__(self, *, label: str, members: list[Member]):
        super().__init__(
            label=label,
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", "（不填）"), *[(m.pk, m.name) for m in members]],
        )


class ActivityForm(ScopedForm):
    kind = forms.ModelChoiceField(label="活动类型", queryset=None, to_field_name="code", empty_label=None)
    topic = forms.CharField(label="主题", max_length=200)
    starts_at = forms.DateTimeField(
        label="开始时间", widget=LocalDateTimeInput(), input_formats=DATETIME_FORMATS
    )
    ends_at = forms.DateTimeField(
        label="结束时间", widget=LocalDateTimeInput(), input_formats=DATETIME_FORMATS
    )
    for_year = forms.IntegerField(
        label="所属年度",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="组织生活会、民主评议党员、述职评议：为哪一年度召开。留空时，1—3 月召开的记为上一年度，"
        "其余月份记为当年",
    )
    location = forms.CharField(label="地点", max_length=200, required=False)
    host = forms.TypedChoiceField(label="主持人", required=False)
    speaker = forms.TypedChoiceField(label="主讲人", required=False, help_text="党课、专题培训填写")
    speaker_name = forms.CharField(
        label="主讲人（非本支部）", max_length=50, required=False, help_text="主讲人不是本支部党员时填写姓名"
    )
    recorder = forms.TypedChoiceField(label="记录人", required=False)
    content = forms.CharField(label="内容纪要", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    decisions = forms.CharField(label="决议事项", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, kinds, members: list[Member], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds
        for name, label in (("host", "主持人"), ("speaker", "主讲人"), ("recorder", "记录人")):
            field = MemberChoiceField(label=label, members=members)
            field.help_text = self.fields[name].help_text
            self.fields[name] = field
        self.members = {m.pk: m for m in members}

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", "结束时间不能早于开始时间。")
        elif starts and ends and (ends - starts).total_seconds() > 86400:
            self.add_error("ends_at", "结束时间比开始时间晚一天以上，请核对日期。")
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "kind",
                "topic",
                "starts_at",
                "ends_at",
                "location",
                "speaker_name",
                "content",
                "decisions",
                "for_year",
            )
        }
        for name in ("host", "speaker", "recorder"):
            fields[name] = self.members.get(data[name]) if data.get(name) else None
        return fields


@dataclass
class AttendanceLine:
    member: Member
    presence: str
    reason: str
    errors: list[str]
    on_committee: bool  # sat on the branch's 支部委员会 on the day of the activity (not today's post)


class AttendanceForm(ScopedForm):
    """The checklist: one line per roster member with 出席/请假/缺席 and a reason.

    Every presence_<id> key posted is passed on to the service, which decides whether that person may be named
    (so a crafted request naming someone from another branch is refused, not silently dropped)."""

    def __init__(
        self,
        data=None,
        *,
        members: list[Member],
        committee: Collection[int],
        initial: dict[int, tuple[str, str]] | None = None,
    ):
        super().__init__(data)
        self.members = members
        self.committee = committee
        self.initial_presence = initial or {}
        self.line_errors: dict[int, list[str]] = {}

    def clean(self):
        data = super().clean()
        entries: dict[int, tuple[str, str]] = {}
        for key in self.data:
            match = _PRESENCE_KEY.match(key)
            if not match:
                continue
            member_id = int(match.group(1))
            presence = self.data.get(key, "")
            reason = (self.data.get(f"reason_{member_id}") or "").strip()
            if presence not in Attendance.Presence.values:
                self.line_errors.setdefault(member_id, []).append("请选择出席、请假或缺席。")
            elif presence == Attendance.Presence.LEAVE and not reason:
                self.line_errors.setdefault(member_id, []).append("请假须填写事由。")
            elif len(reason) > 200:
                self.line_errors.setdefault(member_id, []).append("事由不能超过 200 字。")
            entries[member_id] = (presence, reason)
        if self.line_errors:
            names = {m.pk: m.name for m in self.members}
            for member_id, messages in self.line_errors.items():
                for message in messages:
                    self.add_error(None, f"{names.get(member_id, f'编号 {member_id}')}：{message}")
        data["entries"] = entries
        return data

    def entries(self) -> dict[int, tuple[str, str]]:
        return self.cleaned_data["entries"]

    def lines(self) -> list[AttendanceLine]:
        result = []
        for member in self.members:
            if self.is_bound:
                presence = self.data.get(f"presence_{member.pk}", Attendance.Presence.ABSENT)
                reason = self.data.get(f"reason_{member.pk}", "")
            else:
                presence, reason = self.initial_presence.get(member.pk, (Attendance.Presence.ABSENT, ""))
            result.append(
                AttendanceLine(
                    member,
                    presence,
                    reason,
                    self.line_errors.get(member.pk, []),
                    on_committee=member.pk in self.committee,
                )
            )
        return result


class AttachmentForm(ScopedForm):
    file = forms.FileField(
        label="附件",
        help_text="照片（JPG、PNG、WebP）、PDF 或 Word 文档",
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.webp,.pdf,.doc,.docx"}),
    )


class KindForm(ScopedForm):
    name = forms.CharField(label="类型名称", max_length=40)
    needs_speaker = forms.BooleanField(label="需要填写主讲人", required=False)
