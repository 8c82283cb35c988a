"""Study (学习): 学习强国 points as imported, the ranking switch, a branch's own target, political-study notes.

Points are information a unit may look at; nothing here feeds a light or a grade, and no
member is ranked by them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from zhibu.core.cn import han_count
from zhibu.core.scoped import ScopedModel
from zhibu.orgs.models import Organisation
from zhibu.people.models import Member
from zhibu.records.models import Activity

POLITICAL_STUDY = "political-study"


class StudyPoints(ScopedModel):
    """One member's 学习强国 points for one day, as found in a file the unit exported from the platform."""

    scope_field = "member__branch"

    member = models.ForeignKey(
        Member, verbose_name="党员", on_delete=models.CASCADE, related_name="study_points"
    )
    on = models.DateField("日期")
    day_points = models.PositiveIntegerField("当日积分")
    total_points = models.PositiveIntegerField("总积分", null=True, blank=True)
    imported_at = models.DateTimeField("导入时间", default=timezone.now)
    source_name = models.CharField("来源文件", max_length=200, blank=True)

    class Meta:
        verbose_name = "学习强国积分"
        verbose_name_plural = "学习强国积分"
        ordering = ["on", "member"]
        constraints = [models.UniqueConstraint(fields=["member", "on"], name="study_points_once_a_day")]
        indexes = [models.Index(fields=["on", "member"], name="study_points_by_day")]

    def __str__(self) -> str:
        return f"{self.member} {self.on} {self.day_points}"


class RankingSetting(ScopedModel):
    """A superior's switch for the study ranking of its subtree. Off by default; the nearest ancestor (or the
    organisation itself) that has a setting decides."""

    org = models.OneToOneField(
        Organisation, verbose_name="党组织", on_delete=models.CASCADE, related_name="study_ranking_setting"
    )
    enabled = models.BooleanField("显示学习排名", default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = "学习排名开关"
        verbose_name_plural = "学习排名开关"

    def __str__(self) -> str:
        return f"{self.org} {'开' if self.enabled else '关'}"


class StudyTarget(ScopedModel):
    """A branch's own optional target: average points per member for a month. Shown on the branch's own pages
    only; never a quota on a person."""

    org = models.OneToOneField(
        Organisation, verbose_name="党支部", on_delete=models.CASCADE, related_name="study_target"
    )
    monthly_avg_points = models.PositiveIntegerField("月人均积分目标")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = "支部学习目标"
        verbose_name_plural = "支部学习目标"

    def __str__(self) -> str:
        return f"{self.org} {self.monthly_avg_points}"

    def clean(self) -> None:
        if self.org_id and not self.org.is_branch:
            raise ValidationError("学习目标只能由党支部为本支部设置。")
        if self.monthly_avg_points is not None and not 1 <= self.monthly_avg_points <= 100000:
            raise ValidationError({"monthly_avg_points": "月人均积分目标应在 1 到 100000 之间。"})


class StudyNote(ScopedModel):
    """A member's notes and reflections (学习笔记、反思) on one political-study session."""

    scope_field = "activity__org"

    activity = models.ForeignKey(
        Activity, verbose_name="政治学习", on_delete=models.CASCADE, related_name="study_notes"
    )
    member = models.ForeignKey(
        Member, verbose_name="党员", on_delete=models.CASCADE, related_name="study_notes"
    )
    text = models.TextField("学习笔记")
    han_count = models.PositiveIntegerField("汉字数", default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = "学习笔记"
        verbose_name_plural = "学习笔记"
        ordering = ["activity", "member"]
        constraints = [models.UniqueConstraint(fields=["activity", "member"], name="study_note_once")]

    def __str__(self) -> str:
        return f"{self.member} · {self.activity}"

    def save(self, *args, **kwargs):
        self.han_count = han_count(self.text)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not self.text or not self.text.strip():
            raise ValidationError({"text": "学习笔记不能为空。"})
        if len(self.text) > 20000:
            raise ValidationError({"text": "一篇学习笔记不超过 20000 字。"})
        if self.activity_id and self.activity.kind.code != POLITICAL_STUDY:
            raise ValidationError({"activity": "只能为政治学习记录学习笔记。"})
        if self.activity_id and self.member_id and not member_belongs(self.member, self.activity.org):
            raise ValidationError({"member": "该党员不属于本次政治学习的党组织。"})


def member_belongs(member: Member, org: Organisation) -> bool:
    if org.is_group:
        return member.party_group_id == org.pk
    return member.branch_id == org.pk
