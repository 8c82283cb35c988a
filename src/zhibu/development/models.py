"""发展党员纪实: one case per person, its dated steps, the votes of the 支部大会, documents, and the settings an
organisation may change (which ruleset, its own holiday calendar, 留党察看 periods that bar a 介绍人)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from zhibu.core.recorded import Recorded
from zhibu.core.scoped import ScopedModel
from zhibu.orgs.models import Organisation
from zhibu.people.models import Member

from . import ruleset as rs

VERSION_CHOICES = [(v, r.label) for v, r in rs.RULESETS.items()]


class RulesetChoice(ScopedModel):
    """An organisation's choice of ruleset for the cases that start in its subtree (nearest one wins)."""

    org = models.OneToOneField(
        Organisation, verbose_name="党组织", on_delete=models.CASCADE, related_name="development_ruleset"
    )
    version = models.CharField("适用细则版本", max_length=10, choices=VERSION_CHOICES)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "发展党员细则版本"


class HolidayYear(ScopedModel):
    """An organisation's own calendar for one year, replacing the national one (法定节假日 and 调休)."""

    org = models.ForeignKey(
        Organisation, verbose_name="党组织", on_delete=models.CASCADE, related_name="development_holidays"
    )
    year = models.PositiveSmallIntegerField("年份")
    holidays = models.JSONField("放假日期", default=list, blank=True)
    workdays = models.JSONField("调休上班日期", default=list, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "节假日安排"
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="holiday_year_once")]


class Discipline(ScopedModel):
    """A 留党察看 period: until restored the member cannot be 培养联系人 or 入党介绍人 (FZ-07)."""

    scope_field = "member__branch"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="development_disciplines")
    started_on = models.DateField("留党察看起始日期")
    restored_on = models.DateField("恢复党员权利日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "留党察看"

    def clean(self) -> None:
        if self.restored_on and self.restored_on < self.started_on:
            raise ValidationError({"restored_on": "恢复日期不能早于起始日期。"})

    def covers(self, day) -> bool:
        return self.started_on <= day and (self.restored_on is None or day < self.restored_on)


class Case(ScopedModel):
    """One person's way from 递交入党申请书 to 材料归档. The next step and its window are kept on the row so the
    pipeline of a large subtree is one indexed query."""

    member = models.OneToOneField(
        Member, verbose_name="发展对象", on_delete=models.PROTECT, related_name="development_case"
    )
    org = models.ForeignKey(
        Organisation, verbose_name="党支部", on_delete=models.PROTECT, related_name="development_cases"
    )
    ruleset = models.CharField("适用细则", max_length=10, choices=VERSION_CHOICES)
    started_on = models.DateField("递交入党申请书日期")
    stage = models.PositiveSmallIntegerField("所处阶段", default=1)
    last_step = models.PositiveSmallIntegerField("已完成步骤", default=0)
    next_step = models.PositiveSmallIntegerField("下一步骤", null=True, blank=True)
    next_round = models.PositiveSmallIntegerField(default=1)
    due_from = models.DateField("最早办理日期", null=True, blank=True)
    due_by = models.DateField("最迟办理日期", null=True, blank=True, db_index=True)
    due_label = models.CharField("待办事项", max_length=100, blank=True)
    due_from_label = models.CharField("最早办理日期所属步骤", max_length=100, blank=True)
    probation_end = models.DateField("预备期满日期", null=True, blank=True)
    completed_on = models.DateField("归档日期", null=True, blank=True)
    closed_on = models.DateField("终止日期", null=True, blank=True)
    closed_reason = models.CharField("终止原因", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "发展党员纪实"
        verbose_name_plural = "发展党员纪实"
        ordering = ["org", "started_on", "id"]
        indexes = [models.Index(fields=["org", "stage"]), models.Index(fields=["org", "due_by"])]

    def __str__(self) -> str:
        return f"{self.member.name}的发展党员纪实"

    @property
    def rules(self) -> rs.Ruleset:
        return rs.get(self.ruleset)

    @property
    def is_open(self) -> bool:
        return self.closed_on is None and self.completed_on is None

    @property
    def stage_label(self) -> str:
        if self.closed_on:
            return "已终止"
        if self.completed_on:
            return "已归档"
        return rs.STAGES[self.stage]

    @property
    def next_step_name(self) -> str:
        return self.rules.step(self.next_step).name if self.next_step else ""


class StepRecord(ScopedModel, Recorded):
    """A step done on a date. Repeatable steps (半年考察) and a second 转正 round after an extension have
    round > 1. Step-specific inputs live in `details` (their names and kinds are ruleset.FIELDS)."""

    scope_field = "case__org"
    facts: list[tuple[str, str]]  # labelled values for the case page, set by selectors.case_view

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    step = models.PositiveSmallIntegerField("步骤")
    round = models.PositiveSmallIntegerField("次序", default=1)
    on = models.DateField("日期")
    details = models.JSONField("记录内容", default=dict, blank=True)
    overdue = models.BooleanField("超期", default=False)
    overdue_reason = models.CharField("超期原因", max_length=300, blank=True)
    overdue_rules = models.CharField("超期依据", max_length=300, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        verbose_name = "发展步骤"
        ordering = ["case", "step", "round"]
        constraints = [models.UniqueConstraint(fields=["case", "step", "round"], name="step_round_once")]

    def __str__(self) -> str:
        return f"{self.case.member.name} 第{self.step}步 {self.on}"

    @property
    def name(self) -> str:
        return self.case.rules.step(self.step).name


class StepPerson(ScopedModel):
    """A party member who takes part in a step as 培养联系人 or 入党介绍人."""

    scope_field = "record__case__org"

    class Role(models.TextChoices):
        CONTACT = "contact", "培养联系人"
        INTRODUCER = "introducer", "入党介绍人"

    record = models.ForeignKey(StepRecord, on_delete=models.CASCADE, related_name="people")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    role = models.CharField("角色", max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = "参与党员"
        constraints = [models.UniqueConstraint(fields=["record", "member"], name="step_person_once")]


class Vote(ScopedModel):
    """One 支部大会 vote on one candidate. Written opinions of absent voters count as votes. `expected` is the
    roster's count on the meeting date (`roster_expected`, explained by `derivation`) unless corrected downwards
    with a reason."""

    scope_field = "record__case__org"

    record = models.OneToOneField(StepRecord, on_delete=models.CASCADE, related_name="vote")
    expected = models.PositiveIntegerField("应到会有表决权党员数")
    roster_expected = models.PositiveIntegerField("花名册计算的应到会有表决权党员数", null=True, blank=True)
    derivation = models.CharField("应到人数的计算", max_length=400, blank=True)
    expected_reason = models.CharField("应到人数更正理由", max_length=200, blank=True)
    present = models.PositiveIntegerField("实到会有表决权党员数")
    written = models.PositiveIntegerField("书面意见数", default=0)
    yes = models.PositiveIntegerField("赞成")
    no = models.PositiveIntegerField("反对")
    abstain = models.PositiveIntegerField("弃权")

    class Meta:
        verbose_name = "表决"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    yes=models.F("present") + models.F("written") - models.F("no") - models.F("abstain")
                ),
                name="vote_counts_add_up",
            ),
            models.CheckConstraint(
                condition=models.Q(expected__gte=models.F("present") + models.F("written")),
                name="vote_within_expected",
            ),
        ]

    @property
    def quorum(self) -> bool:
        return self.present * 2 > self.expected

    @property
    def passed(self) -> bool:
        return self.quorum and self.yes * 2 > self.expected


def document_path(instance: Document, filename: str) -> str:
    return f"development/{instance.case_id}/{filename}"


class Document(ScopedModel):
    """A file kept for a case (the 细则's list of materials); `kind` is a code of ruleset.DOCUMENTS."""

    scope_field = "case__org"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    record = models.ForeignKey(
        StepRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    kind = models.CharField("材料类别", max_length=30, choices=list(rs.DOCUMENTS.items()))
    file = models.FileField("文件", upload_to=document_path)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "发展材料"
        ordering = ["case", "kind", "uploaded_at"]

    def __str__(self) -> str:
        return self.name
