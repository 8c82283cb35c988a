"""The superior's 述职评议 of branch secretaries (appraisal rounds over the branches' annual reports) and the
branch's democratic appraisal of members (民主评议党员, 《中国共产党党员教育管理工作条例》 and the branch's
yearly 组织生活会).

These models came from the `reports` app: their tables keep the names they had there (`db_table`), so that an
existing database moved them without copying a row (see migrations/0001_initial.py).

Access notes
- AppraisalRound, RoundParticipant, DemocraticReview and the rows hanging off them are organisation-owned
  (ScopedModel). RoundAppraiser and RoundRating are reached by identity (the appraiser is a named user, who may
  sit anywhere in the superior's subtree and need not hold an action over the branches appraised), so they are
  plain models that services and selectors only ever query after resolving the round through scoping or through
  the actor's own appraiser row.
- ReviewBallot holds a rating without any link to who gave it (UUID key, no timestamp, no voter column);
  ReviewVoter only records that a member has voted, so nobody votes twice and no ballot can be traced back.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from zhibu.core.scoped import ScopedModel
from zhibu.orgs.models import Organisation
from zhibu.people.models import Member
from zhibu.reports.models import Report, year_validators


class Level(models.TextChoices):
    """述职评议 levels (P3)."""

    GOOD = "good", "好"
    FAIRLY_GOOD = "fairly_good", "较好"
    AVERAGE = "average", "一般"
    POOR = "poor", "差"


LEVEL_ORDER = [Level.GOOD, Level.FAIRLY_GOOD, Level.AVERAGE, Level.POOR]


class AppraisalRound(ScopedModel):
    """A superior's 述职评议 of the branch secretaries below it, for one year."""

    class Status(models.TextChoices):
        OPEN = "open", "进行中"
        CLOSED = "closed", "已结束"

    org = models.ForeignKey(
        Organisation, verbose_name="组织评议的党组织", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("述职年度", validators=year_validators)
    title = models.CharField("名称", max_length=200)
    opens_at = models.DateTimeField("评议开始")
    closes_at = models.DateTimeField("评议截止")
    threshold = models.PositiveSmallIntegerField(
        "定等比例（%）",
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="累计比例规则：“好”票占比达到该比例定为好；否则“好+较好”达到定为较好；否则“好+较好+一般”达到定为一般；其余为差。",
    )
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        db_table = "reports_appraisalround"  # kept from the reports app: the rows did not move
        verbose_name = "述职评议"
        verbose_name_plural = "述职评议"
        ordering = ["-year", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def window_open(self, now=None) -> bool:
        now = now or timezone.now()
        return not self.is_closed and self.opens_at <= now <= self.closes_at

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "评议截止时间必须晚于开始时间。"})


class RoundParticipant(ScopedModel):
    """A branch (and its secretary) that reports in a round; its submitted report and, once the round closes,
    its result."""

    scope_field = "org"

    round = models.ForeignKey(AppraisalRound, on_delete=models.CASCADE, related_name="participants")
    org = models.ForeignKey(Organisation, verbose_name="党支部", on_delete=models.PROTECT, related_name="+")
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="述职人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    report = models.ForeignKey(
        Report, verbose_name="述职报告", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    # Filled when the round closes.
    counts = models.JSONField("各等次票数", default=dict, blank=True)
    grade = models.CharField("评议等次", max_length=12, choices=Level.choices, blank=True)
    findings = models.TextField("评议意见（问题）", blank=True)

    class Meta:
        db_table = "reports_roundparticipant"  # kept from the reports app: the rows did not move
        verbose_name = "述职人"
        verbose_name_plural = "述职人"
        ordering = ["round", "org__path"]
        constraints = [models.UniqueConstraint(fields=["round", "org"], name="round_branch_once")]

    def __str__(self) -> str:
        return f"{self.round} · {self.org.label}"

    @property
    def good_share(self) -> float | None:
        total = sum(self.counts.values()) if self.counts else 0
        if not total:
            return None
        return (self.counts.get(Level.GOOD, 0) + self.counts.get(Level.FAIRLY_GOOD, 0)) / total


class RoundAppraiser(ScopedModel):
    """A user named to rate the reports of a round (an explicit list; see the module notes on access)."""

    scope_field = "round__org"
    own_field = "user"  # an appraiser's own seats: RoundAppraiser.objects.own(actor)

    round = models.ForeignKey(AppraisalRound, on_delete=models.CASCADE, related_name="appraisers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "reports_roundappraiser"  # kept from the reports app: the rows did not move
        verbose_name = "评议人"
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="appraiser_once")]

    def __str__(self) -> str:
        return f"{self.round} · {self.user}"


class RoundRating(ScopedModel):
    """One appraiser's rating of one report. Hidden from everyone but its author until the round closes."""

    scope_field = "participant__round__org"
    own_field = "appraiser__user"

    participant = models.ForeignKey(RoundParticipant, on_delete=models.CASCADE, related_name="ratings")
    appraiser = models.ForeignKey(RoundAppraiser, on_delete=models.CASCADE, related_name="ratings")
    level = models.CharField("评议等次", max_length=12, choices=Level.choices)
    comment = models.TextField("意见", blank=True)
    rated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "reports_roundrating"  # kept from the reports app: the rows did not move
        verbose_name = "评议票"
        constraints = [models.UniqueConstraint(fields=["participant", "appraiser"], name="rating_once")]

    def __str__(self) -> str:
        return f"{self.participant} · {self.get_level_display()}"


class Grade(models.TextChoices):
    """民主评议党员 ratings (ZB-12)."""

    EXCELLENT = "excellent", "优秀"
    QUALIFIED = "qualified", "合格"
    BASIC = "basic", "基本合格"
    UNQUALIFIED = "unqualified", "不合格"


GRADE_ORDER = [Grade.EXCELLENT, Grade.QUALIFIED, Grade.BASIC, Grade.UNQUALIFIED]


class DemocraticReview(ScopedModel):
    """A branch's yearly 民主评议党员: self-assessment → anonymous mutual rating → the committee's grades."""

    class Status(models.TextChoices):
        VOTING = "voting", "自评互评中"
        COUNTED = "counted", "已计票"
        DECIDED = "decided", "已定等次"

    org = models.ForeignKey(Organisation, verbose_name="党支部", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度", validators=year_validators)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.VOTING)
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    counted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by_body = models.CharField("决定机构", max_length=20, blank=True, help_text="支委会或党员大会")

    class Meta:
        db_table = "reports_democraticreview"  # kept from the reports app: the rows did not move
        verbose_name = "民主评议党员"
        verbose_name_plural = "民主评议党员"
        ordering = ["org", "-year"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="review_once_a_year")]

    def __str__(self) -> str:
        return f"{self.org.label} {self.year}年度民主评议党员"


class SelfAssessment(ScopedModel):
    scope_field = "review__org"

    review = models.ForeignKey(DemocraticReview, on_delete=models.CASCADE, related_name="self_assessments")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    text = models.TextField("个人自评")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "reports_selfassessment"  # kept from the reports app: the rows did not move
        verbose_name = "个人自评"
        constraints = [models.UniqueConstraint(fields=["review", "member"], name="self_assessment_once")]


class ReviewVoter(ScopedModel):
    """Only that a member has voted: no grades here."""

    scope_field = "review__org"

    review = models.ForeignKey(DemocraticReview, on_delete=models.CASCADE, related_name="voters")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "reports_reviewvoter"  # kept from the reports app: the rows did not move
        verbose_name = "已投票"
        constraints = [models.UniqueConstraint(fields=["review", "member"], name="vote_once")]


class ReviewBallot(ScopedModel):
    """One anonymous mutual rating of one member: no voter, no time, a random key."""

    scope_field = "review__org"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    review = models.ForeignKey(DemocraticReview, on_delete=models.CASCADE, related_name="ballots")
    subject = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    grade = models.CharField("评价", max_length=12, choices=Grade.choices)

    class Meta:
        db_table = "reports_reviewballot"  # kept from the reports app: the rows did not move
        verbose_name = "互评票"


class MemberGrade(ScopedModel):
    """A member's 民主评议 result for a year: part of the member's history."""

    scope_field = "member__branch"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="appraisal_grades")
    review = models.ForeignKey(DemocraticReview, on_delete=models.CASCADE, related_name="grades")
    year = models.PositiveSmallIntegerField("年度", validators=year_validators)
    grade = models.CharField("评定等次", max_length=12, choices=Grade.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "reports_membergrade"  # kept from the reports app: the rows did not move
        verbose_name = "民主评议结果"
        verbose_name_plural = "民主评议结果"
        ordering = ["member", "-year"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="member_grade_once_a_year")]

    def __str__(self) -> str:
        return f"{self.member} {self.year} {self.get_grade_display()}"
