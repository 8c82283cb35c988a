"""Requirements (制度要求) as data, the stored month lights derived from records, and the superior's follow-ups.

A Requirement says: this kind of activity, so many times per period, for these types of organisation, with
optional constraints. Built-in defaults have no owner; a committee's own requirement covers its subtree; a
branch's own covers the branch. `replaces` lets a lower organisation tighten an inherited requirement (never
loosen it: services.requirement_save refuses).

MonthLight is the stored evaluation of one branch and month: what was met (and how) is fixed by the records,
so it is stored; whether an unmet requirement is still open or already missed depends on today's date, so
only its deadline is stored and the colour is decided when read (selectors.colour_of).
"""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from zhibu.core.months import last_day
from zhibu.core.scoped import ScopedModel
from zhibu.orgs.models import Organisation, OrgType
from zhibu.records.models import ActivityKind


class Period(models.TextChoices):
    DAY = "day", "每日"
    WEEK = "week", "每周"
    MONTH = "month", "每月"
    QUARTER = "quarter", "每季度"
    HALF_YEAR = "half", "每半年"
    YEAR = "year", "每年"


# Months a period spans (day and week: shorter than a month), for comparing strictness.
PERIOD_DAYS: dict[str, int] = {
    Period.DAY: 1,
    Period.WEEK: 7,
    Period.MONTH: 30,
    Period.QUARTER: 91,
    Period.HALF_YEAR: 182,
    Period.YEAR: 365,
}
PERIOD_MONTHS = {Period.MONTH: 1, Period.QUARTER: 3, Period.HALF_YEAR: 6, Period.YEAR: 12}
WEEKDAYS = [
    (0, "星期一"),
    (1, "星期二"),
    (2, "星期三"),
    (3, "星期四"),
    (4, "星期五"),
    (5, "星期六"),
    (6, "星期日"),
]


class Requirement(ScopedModel):
    scope_field = "owner"

    code = models.CharField(
        "编号", max_length=20, blank=True, help_text="本系统内部编号，页面上不显示；自定义要求可留空"
    )
    name = models.CharField("名称", max_length=100)
    kind = models.ForeignKey(
        ActivityKind, verbose_name="活动类型", on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField("周期", max_length=8, choices=Period.choices)
    min_count = models.IntegerField("每周期至少次数", default=1)
    org_types = models.ManyToManyField(OrgType, verbose_name="适用组织类别", related_name="+")
    weekday = models.PositiveSmallIntegerField("限定星期", null=True, blank=True, choices=WEEKDAYS)
    min_attendance = models.DecimalField(
        "最低出席率",
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text="如 0.8 表示 80%；留空不检查",
    )
    speaker_secretary = models.BooleanField("须由支部书记主讲", default=False)
    per_group = models.BooleanField("每个党小组分别计", default=False)
    per_member = models.BooleanField("每名党员分别计", default=False)
    needs_committee = models.BooleanField(
        "仅设支委会的支部", default=False, help_text="支委会委员（书记、副书记、各委员）不少于 3 人时才要求"
    )
    grace_days = models.PositiveSmallIntegerField(
        "补录宽限天数", default=7, help_text="周期结束后多少天内录入仍算按时"
    )
    # Annual meetings held for year N in the first quarter of N+1: the requirement for N is met by a record for
    # N held by this day of the next year (records carry their 年度: records.Activity.for_year).
    closes_month = models.PositiveSmallIntegerField(
        "次年截止月", null=True, blank=True, help_text="年度事项（如组织生活会）：次年几月几日前召开仍算当年"
    )
    closes_day = models.PositiveSmallIntegerField("次年截止日", null=True, blank=True)
    basis = models.CharField("依据", max_length=200, help_text="条例条款或本地文件")
    local_rule = models.BooleanField("本地规定", default=False, help_text="非中央条例的数字，按本地规定调整")
    valid_from = models.DateField("施行日期")
    valid_to = models.DateField("废止日期", null=True, blank=True)
    owner = models.ForeignKey(
        Organisation,
        verbose_name="制定组织",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="requirements",
        help_text="空 = 系统内置默认要求",
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name="收紧的上级要求",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    note = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "制度要求"
        verbose_name_plural = "制度要求"
        ordering = ["kind__order", "code", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.owner_id is None

    def frequency_text(self) -> str:
        text = f"{self.get_period_display()}至少 {self.min_count} 次"
        if self.weekday is not None:
            text += f"（{self.get_weekday_display()}）"
        if self.per_group:
            text = "每个党小组" + text
        if self.per_member:
            text = "每名党员" + text
        if self.closes_month:
            text += f"（{self.closes_text}前为上一年度召开仍算按时）"
        return text

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.min_count is None or self.min_count < 1:
            errors["min_count"] = "每周期至少次数必须是正整数（至少 1 次）。"
        elif self.min_count > 366:
            errors["min_count"] = "每周期至少次数过大，请核对。"
        if self.min_attendance is not None and not (0 < self.min_attendance <= 1):
            errors["min_attendance"] = "最低出席率应在 0 到 1 之间（如 0.8 表示 80%）。"
        if self.weekday is not None and self.period not in (Period.WEEK, Period.MONTH):
            errors["weekday"] = "只有每周或每月的要求可以限定星期几。"
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = "废止日期不能早于施行日期。"
        if self.per_group and self.per_member:
            errors["per_member"] = "不能同时按党小组和按党员分别计。"
        if self.per_member and self.min_attendance is not None:
            errors["min_attendance"] = "按党员分别计的要求不检查出席率。"
        if self.grace_days is not None and self.grace_days > 90:
            errors["grace_days"] = "补录宽限不能超过 90 天。"
        if (self.closes_month is None) != (self.closes_day is None):
            errors["closes_day"] = "次年截止月和日须同时填写或同时留空。"
        elif self.closes_month is not None:
            if self.period != Period.YEAR:
                errors["closes_month"] = "只有每年的要求可以设次年截止日期。"
            elif self.per_member or self.per_group or self.speaker_secretary:
                errors["closes_month"] = "按党员、按党小组或须书记主讲的要求不能设次年截止日期。"
            elif (
                not 1 <= self.closes_month <= 6
                or not 1 <= self.closes_day <= last_day(date(2001, self.closes_month, 1)).day
            ):
                errors["closes_day"] = "次年截止日期应为次年 1–6 月中存在的日期（如 3 月 31 日）。"
        if self.replaces_id and self.replaces_id == self.pk:
            errors["replaces"] = "不能收紧自身。"
        if errors:
            raise ValidationError(errors)

    @property
    def closes_text(self) -> str:
        return f"次年{self.closes_month}月{self.closes_day}日" if self.closes_month else ""

    def in_force(self, start: date, end: date) -> bool:
        """True if in force on any day of [start, end]."""
        return self.valid_from <= end and (self.valid_to is None or self.valid_to >= start)


class MonthLight(ScopedModel):
    """The stored evaluation of one branch and one month (see module docstring)."""

    BASES = [("green", "绿"), ("yellow", "黄"), ("none", "无要求"), ("off", "未启用")]

    # One index only, light_once_per_month (org, year, month), on columns a relight never changes: PostgreSQL can
    # then rewrite a changed month in place on its page (a HOT update, fillfactor in 0003) without touching any
    # index. An index holding base or open_deadline as well (for the board to read without the table) made every
    # rewritten month three index entries more and the 20,000-branch relight two seconds slower; the board reads
    # the table instead (a city's year in about 0.25 s on PostgreSQL, a district's in milliseconds).
    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", db_index=False)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    base = models.CharField(max_length=6, choices=BASES)
    open_deadline = models.DateField(null=True, blank=True)
    # [[requirement id, state (done/low/late/unmet), count, needed, deadline ISO], …]
    items = models.JSONField(default=list)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "月度亮灯"
        constraints = [models.UniqueConstraint(fields=["org", "year", "month"], name="light_once_per_month")]


class FollowUp(ScopedModel):
    """What the superior did about a branch flagged yellow or red in consecutive months."""

    class Kind(models.TextChoices):
        TALK = "talk", "谈话"
        RECTIFY = "rectify", "整改要求"

    org = models.ForeignKey(Organisation, verbose_name="党支部", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("年份")
    month = models.PositiveSmallIntegerField("月份")
    kind = models.CharField("方式", max_length=10, choices=Kind.choices)
    on = models.DateField("日期")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_name = models.CharField("经办人", max_length=50)
    note = models.CharField("内容", max_length=500)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "亮灯跟进"
        ordering = ["-year", "-month", "-on", "-id"]
        indexes = [models.Index(fields=["org", "year", "month"])]

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月 {self.get_kind_display()}"


class FeedToken(models.Model):
    """The secret in a user's calendar URL: a phone calendar subscribes without a session."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="light_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user} 的日历订阅"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(24)


class Relight(ScopedModel):
    """A subtree whose stored lights are being re-evaluated in a task after a requirement changed. While one is
    unfinished the board over (or under) that subtree says its lights are being recomputed (计算中)."""

    org = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="空 = 全部党组织（内置要求改变时）",
    )
    reason = models.CharField(max_length=200)
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "亮灯重新计算"
        indexes = [models.Index(fields=["finished_at"], name="relight_open")]

    def __str__(self) -> str:
        return f"{self.reason}（{'已完成' if self.finished_at else '计算中'}）"


class RequirementNotice(ScopedModel):
    """A superior's notice on how to meet a requirement in one period — e.g. this month's 主题党日 topic. It is
    shown beside the requirement on the lights of every branch that receives the notice, for the period that holds
    the notice's deadline (or, without one, the day it was published)."""

    org = models.ForeignKey(Organisation, verbose_name="发布单位", on_delete=models.CASCADE, related_name="+")
    requirement = models.ForeignKey(
        Requirement, verbose_name="制度要求", on_delete=models.CASCADE, related_name="notice_links"
    )
    notice = models.ForeignKey(
        "notices.Notice", verbose_name="通知", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "要求所附通知"
        constraints = [
            models.UniqueConstraint(fields=["requirement", "notice"], name="requirement_notice_once")
        ]

    def __str__(self) -> str:
        return f"{self.requirement} · {self.notice}"
