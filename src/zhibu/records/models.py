"""Organisational-life records (组织生活纪实): the kinds of meeting, each activity held with its attendance
and attached files, and the QR-code sign-in of a meeting."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from zhibu.core.recorded import Recorded
from zhibu.core.scoped import InheritedScopedModel, ScopedModel
from zhibu.orgs.models import Organisation
from zhibu.people.models import Member


class ActivityKind(InheritedScopedModel):
    """支部党员大会, 支部委员会, 党小组会, 党课 … as data. Built-in kinds have no organisation; an organisation
    may add its own, which its subtree can use."""

    code = models.SlugField("代码", max_length=40)
    name = models.CharField("名称", max_length=40)
    org = models.ForeignKey(
        Organisation,
        verbose_name="自定义组织",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activity_kinds",
    )
    order = models.PositiveSmallIntegerField("排序", default=100)
    needs_speaker = models.BooleanField("需要主讲人", default=False)
    checks_quorum = models.BooleanField("检查支委会法定人数", default=False)
    annual = models.BooleanField(
        "按年度归属",
        default=False,
        help_text="组织生活会、民主评议党员、述职评议等：记录注明所属年度，常在次年第一季度召开",
    )
    default_minutes = models.PositiveSmallIntegerField("默认时长（分钟）", default=60)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "活动类型"
        verbose_name_plural = "活动类型"
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(org__isnull=True), name="builtin_kind_code"
            ),
            models.UniqueConstraint(fields=["org", "code"], name="kind_code_per_org"),
        ]

    def __str__(self) -> str:
        return self.name


class Activity(ScopedModel, Recorded):
    """One piece of organisational life (组织生活纪实). When it was held and when it was recorded are both kept."""

    org = models.ForeignKey(
        Organisation, verbose_name="党组织", on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.ForeignKey(
        ActivityKind, verbose_name="类型", on_delete=models.PROTECT, related_name="activities"
    )
    topic = models.CharField("主题", max_length=200)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    held_on = models.DateField("举行日期", editable=False, db_index=True)
    # The year an annual meeting (组织生活会, 民主评议党员, 述职评议) is for; empty for other kinds. See default_year.
    for_year = models.PositiveSmallIntegerField("所属年度", null=True, blank=True)
    location = models.CharField("地点", max_length=200, blank=True)
    host = models.ForeignKey(
        Member, verbose_name="主持人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    speaker = models.ForeignKey(
        Member, verbose_name="主讲人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    speaker_name = models.CharField("主讲人（非本支部）", max_length=50, blank=True)
    recorder = models.ForeignKey(
        Member, verbose_name="记录人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content = models.TextField("内容纪要", blank=True)
    decisions = models.TextField("决议事项", blank=True)
    # Attendance summary kept with the record, so boards read one table (no count over
    # the attendance rows, which are the largest table).
    expected_count = models.PositiveIntegerField("应到人数", default=0, editable=False)
    present_count = models.PositiveIntegerField("实到人数", default=0, editable=False)
    committee_size = models.PositiveIntegerField("支委会人数", default=0, editable=False)
    committee_present = models.PositiveIntegerField("到会委员", default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "组织生活记录"
        verbose_name_plural = "组织生活记录"
        ordering = ["-starts_at", "-id"]
        indexes = [
            # Covering index for the lights board: organisation, date held, kind, recorded, attendance.
            models.Index(
                fields=["org", "held_on", "kind", "recorded_at", "present_count", "expected_count"],
                name="activity_board_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.kind} {self.topic}"

    @property
    def attendance_rate(self) -> float | None:
        return self.present_count / self.expected_count if self.expected_count else None

    @property
    def quorum_met(self) -> bool | None:
        """支委会: valid only with more than half of the committee present (ZB-02)."""
        if not self.kind.checks_quorum or not self.committee_size:
            return None
        return self.committee_present * 2 > self.committee_size

    @property
    def below_quorum(self) -> bool:
        return self.quorum_met is False

    def clean(self) -> None:
        if (
            self.for_year is not None
            and self.held_on
            and not (self.held_on.year - 1 <= self.for_year <= self.held_on.year)
        ):
            raise ValidationError(
                {
                    "for_year": f"所属年度应为举行当年或上一年（{self.held_on.year - 1} 或 "
                    f"{self.held_on.year}）。"
                }
            )
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": "结束时间不能早于开始时间。"})
        if self.starts_at and self.ends_at and self.ends_at - self.starts_at > timezone.timedelta(days=1):
            raise ValidationError({"ends_at": "结束时间比开始时间晚一天以上，请核对日期。"})
        if self.starts_at and self.starts_at > timezone.now() + timezone.timedelta(days=366):
            raise ValidationError({"starts_at": "开始时间过于遥远，请核对年份。"})
        if self.kind_id and self.kind.org_id and self.org_id:
            if not self.org.path.startswith(self.kind.org.path):
                raise ValidationError({"kind": "该活动类型不适用于本组织。"})


def default_year(held_on: date) -> int:
    """The year an annual meeting is for when the secretary does not say: held in January–March → the year
    before (the usual first-quarter meeting for the past year), otherwise the year it was held."""
    return held_on.year - 1 if held_on.month <= 3 else held_on.year


class Attendance(ScopedModel):
    scope_field = "activity__org"

    class Presence(models.TextChoices):
        PRESENT = "present", "出席"
        LEAVE = "leave", "请假"
        ABSENT = "absent", "缺席"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendance")
    presence = models.CharField("出勤", max_length=10, choices=Presence.choices)
    reason = models.CharField("请假事由", max_length=200, blank=True)

    class Meta:
        verbose_name = "出勤"
        constraints = [models.UniqueConstraint(fields=["activity", "member"], name="attendance_once")]

    def clean(self) -> None:
        if self.presence == self.Presence.LEAVE and not self.reason.strip():
            raise ValidationError({"reason": "请假须填写事由。"})


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"activities/{instance.activity.held_on:%Y/%m}/{instance.activity_id}/{filename}"


class Attachment(ScopedModel):
    scope_field = "activity__org"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to=attachment_path)
    thumbnail = models.FileField("缩略图", upload_to=attachment_path, blank=True)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "附件"

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class CheckinSession(ScopedModel):
    """扫码签到 for one meeting: the secretary opens it and shows its code; members of the meeting's
    organisation sign themselves in until it expires (shortly after the meeting ends) or is closed."""

    scope_field = "activity__org"

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="checkin")
    token = models.CharField(max_length=43, unique=True)
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField("失效时间")
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)

    class Meta:
        verbose_name = "扫码签到"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and timezone.now() < self.expires_at
