"""The work records the annual report counts (工作纪实): publicity, service to the people, mentoring, model
posts, propaganda teams, selections, training reflections, activity spaces, and the problems/plans ledger.

Each is a small plain record owned by an organisation (ScopedModel). Rules about one row live in `clean()`;
rules across rows (members belong to the organisation, status transitions, han_count) live in services.py.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from zhibu.core.scoped import InheritedScopedModel, ScopedModel
from zhibu.orgs.models import Organisation
from zhibu.people.models import Member
from zhibu.records.models import Activity


def _check_period(starts_on: date | None, ends_on: date | None, *, field: str = "ends_on") -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({field: "结束日期不能早于开始日期。"})


class Platform(InheritedScopedModel):
    """Where publicity appears (学习强国, 视频号, 公众号, local media …) — data. Built-in platforms have no
    organisation; an organisation may add its own, usable in its subtree."""

    class Kind(models.TextChoices):
        NATIONAL_STUDY = "national_study", "全国学习平台"
        VIDEO = "video", "视频号"
        OFFICIAL = "official", "公众号"
        LOCAL_MEDIA = "local_media", "地方媒体"
        OTHER = "other", "其他"

    name = models.CharField("名称", max_length=40)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    org = models.ForeignKey(
        Organisation,
        verbose_name="自定义组织",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="work_platforms",
    )
    order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "宣传平台"
        verbose_name_plural = "宣传平台"
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(org__isnull=True), name="work_builtin_platform"
            ),
            models.UniqueConstraint(fields=["org", "name"], name="work_platform_per_org"),
        ]

    def __str__(self) -> str:
        return self.name


class Publicity(ScopedModel):
    """宣传稿件: one submission or report on one platform."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "投稿"
        ACCEPTED = "accepted", "采用"
        PUBLISHED = "published", "发布"

    org = models.ForeignKey(Organisation, verbose_name="党组织", on_delete=models.PROTECT, related_name="+")
    platform = models.ForeignKey(
        Platform, verbose_name="平台", on_delete=models.PROTECT, related_name="items"
    )
    title = models.CharField("标题", max_length=200)
    date = models.DateField("日期")
    authors = models.ManyToManyField(Member, verbose_name="作者（党员）", blank=True, related_name="+")
    author_names = models.CharField(
        "其他作者", max_length=200, blank=True, help_text="非党员作者，用顿号分隔"
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PUBLISHED)
    link = models.URLField("链接", max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "宣传稿件"
        verbose_name_plural = "宣传稿件"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["org", "date", "platform"], name="work_publicity_year")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.platform_id and self.platform.org_id and self.org_id:
            if not self.org.path.startswith(self.platform.org.path):
                raise ValidationError({"platform": "该平台不适用于本组织。"})


class Service(ScopedModel):
    """为群众办实事: members helped someone with a difficulty."""

    org = models.ForeignKey(Organisation, verbose_name="党组织", on_delete=models.PROTECT, related_name="+")
    helpers = models.ManyToManyField(Member, verbose_name="党员", blank=True, related_name="+")
    beneficiary = models.CharField("服务对象", max_length=100, help_text="如：某班幼儿家长、青年教师某某")
    difficulty = models.TextField("困难或诉求")
    action = models.TextField("所办实事")
    date = models.DateField("日期")
    result = models.TextField("成效", blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "为群众办实事"
        verbose_name_plural = "为群众办实事"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.beneficiary}"


class MentoringPair(ScopedModel):
    """青蓝工程: a member mentors a (young) teacher, who need not be a party member."""

    org = models.ForeignKey(Organisation, verbose_name="党组织", on_delete=models.PROTECT, related_name="+")
    mentor = models.ForeignKey(
        Member, verbose_name="师傅（党员）", on_delete=models.PROTECT, related_name="+"
    )
    apprentice = models.CharField("徒弟", max_length=50)
    starts_on = models.DateField("结对开始")
    ends_on = models.DateField("结对结束", null=True, blank=True)

    class Meta:
        verbose_name = "青蓝工程结对"
        verbose_name_plural = "青蓝工程结对"
        ordering = ["-starts_on", "id"]

    def __str__(self) -> str:
        return f"{self.mentor} — {self.apprentice}"

    def clean(self) -> None:
        _check_period(self.starts_on, self.ends_on)


class ShowcaseLesson(ScopedModel):
    """汇报展示课 of a mentoring pair."""

    scope_field = "pair__org"

    pair = models.ForeignKey(
        MentoringPair, verbose_name="结对", on_delete=models.CASCADE, related_name="lessons"
    )
    date = models.DateField("日期")
    title = models.CharField("课题", max_length=200)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "汇报展示课"
        verbose_name_plural = "汇报展示课"
        ordering = ["-date", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.pair_id and self.date and self.date < self.pair.starts_on:
            raise ValidationError({"date": "展示课日期不能早于结对开始日期。"})


class ModelPost(ScopedModel):
    """党员示范岗."""

    org = models.ForeignKey(Organisation, verbose_name="党组织", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("示范岗名称", max_length=100)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        verbose_name = "党员示范岗"
        verbose_name_plural = "党员示范岗"
        ordering = ["-starts_on", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.member}）"

    def clean(self) -> None:
        _check_period(self.starts_on, self.ends_on)


class PropagandaTeam(ScopedModel):
    """宣讲队."""

    org = models.ForeignKey(Organisation, verbose_name="党组织", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    members = models.ManyToManyField(Member, verbose_name="成员", blank=True, related_name="+")
    leader = models.ForeignKey(
        Member, verbose_name="负责人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    founded_on = models.DateField("成立日期", null=True, blank=True)

    class Meta:
        verbose_name = "宣讲队"
        verbose_name_plural = "宣讲队"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class TeamTalk(ScopedModel):
    """A talk (宣讲) given by a propaganda team, optionally recorded as an activity too."""

    scope_field = "team__org"

    team = models.ForeignKey(
        PropagandaTeam, verbose_name="宣讲队", on_delete=models.CASCADE, related_name="talks"
    )
    title = models.CharField("宣讲题目", max_length=200)
    date = models.DateField("日期")
    speakers = models.ManyToManyField(Member, verbose_name="宣讲人", blank=True, related_name="+")
    audience = models.CharField("对象", max_length=200, blank=True)
    activity = models.ForeignKey(
        Activity,
        verbose_name="对应组织生活记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "宣讲"
        verbose_name_plural = "宣讲"
        ordering = ["-date", "id"]

    def __str__(self) -> str:
        return self.title


class TeamAward(ScopedModel):
    """An award a propaganda team won at a competition."""

    scope_field = "team__org"

    class Level(models.TextChoices):
        SCHOOL = "school", "校级"
        DISTRICT = "district", "区级"
        CITY = "city", "市级"
        PROVINCE = "province", "省级"
        NATIONAL = "national", "国家级"

    team = models.ForeignKey(
        PropagandaTeam, verbose_name="宣讲队", on_delete=models.CASCADE, related_name="awards"
    )
    competition = models.CharField("比赛名称", max_length=200)
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    prize = models.CharField("奖项", max_length=50)
    date = models.DateField("日期")

    class Meta:
        verbose_name = "宣讲获奖"
        verbose_name_plural = "宣讲获奖"
        ordering = ["-date", "id"]

    def __str__(self) -> str:
        return f"{self.competition} {self.prize}"


class Selection(ScopedModel):
    """选树/评选: a campaign that names exemplary people or classes."""

    org = models.ForeignKey(Organisation, verbose_name="党组织", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    date = models.DateField("日期")
    description = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "选树评选"
        verbose_name_plural = "选树评选"
        ordering = ["-date", "id"]

    def __str__(self) -> str:
        return self.name


class SelectionWinner(ScopedModel):
    scope_field = "selection__org"

    selection = models.ForeignKey(
        Selection, verbose_name="评选", on_delete=models.CASCADE, related_name="winners"
    )
    member = models.ForeignKey(
        Member, verbose_name="党员", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField("姓名或集体", max_length=100, blank=True, help_text="非党员或集体时填写")
    title = models.CharField("称号", max_length=100, blank=True)

    class Meta:
        verbose_name = "获评者"
        verbose_name_plural = "获评者"
        ordering = ["selection", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.member.name if self.member_id else self.name

    def clean(self) -> None:
        if not self.member_id and not self.name.strip():
            raise ValidationError({"name": "请选择党员或填写姓名。"})


class Reflection(ScopedModel):
    """学习心得 written after a training; counted in Chinese characters."""

    org = models.ForeignKey(Organisation, verbose_name="党组织", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(Member, verbose_name="作者", on_delete=models.PROTECT, related_name="+")
    training = models.ForeignKey(
        Activity, verbose_name="培训或活动", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("标题", max_length=200)
    text = models.TextField("正文")
    han_count = models.PositiveIntegerField("汉字数", default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "学习心得"
        verbose_name_plural = "学习心得"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.training_id and self.org_id and self.training.org_id != self.org_id:
            raise ValidationError({"training": "只能选择本组织的培训或活动。"})


class Space(ScopedModel):
    """阵地: a room or corner used for party activities."""

    org = models.ForeignKey(Organisation, verbose_name="党组织", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    place = models.CharField("位置", max_length=200, blank=True)
    description = models.TextField("说明", blank=True)
    opened_on = models.DateField("启用日期", null=True, blank=True)

    class Meta:
        verbose_name = "活动阵地"
        verbose_name_plural = "活动阵地"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


def space_photo_path(instance: SpacePhoto, filename: str) -> str:
    return f"work/spaces/{instance.space_id}/{filename}"


class SpacePhoto(ScopedModel):
    scope_field = "space__org"

    space = models.ForeignKey(Space, verbose_name="阵地", on_delete=models.CASCADE, related_name="photos")
    file = models.FileField("照片", upload_to=space_photo_path)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "阵地照片"
        verbose_name_plural = "阵地照片"
        ordering = ["space", "id"]


class Problem(ScopedModel):
    """问题清单 / 整改台账: a problem found in a year and its rectification."""

    class Source(models.TextChoices):
        ORG_LIFE = "org_life", "组织生活会"
        APPRAISAL = "appraisal", "述职评议"
        SELF = "self", "自查"
        SUPERIOR = "superior", "上级反馈"

    class Status(models.TextChoices):
        OPEN = "open", "未整改"
        IN_PROGRESS = "in_progress", "整改中"
        DONE = "done", "已整改"

    org = models.ForeignKey(Organisation, verbose_name="党组织", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    order = models.PositiveSmallIntegerField("序号", default=1)
    category = models.CharField("问题类别", max_length=100)
    description = models.TextField("问题表现")
    source = models.CharField("来源", max_length=12, choices=Source.choices, default=Source.ORG_LIFE)
    measures = models.TextField("整改措施", blank=True)
    owner = models.CharField("责任人", max_length=100, blank=True)
    deadline = models.DateField("整改时限", null=True, blank=True)
    status = models.CharField("整改状态", max_length=12, choices=Status.choices, default=Status.OPEN)
    evidence = models.TextField("整改成效与佐证", blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "问题清单"
        verbose_name_plural = "问题清单"
        ordering = ["year", "order", "id"]
        indexes = [models.Index(fields=["org", "year"], name="work_problem_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.category}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.year and self.deadline and self.deadline.year < self.year:
            errors["deadline"] = "整改时限不能早于问题所属年度。"
        if self.status == self.Status.DONE:
            if not self.closed_on:
                errors["closed_on"] = "已整改的问题须填写销号日期。"
            if not self.evidence.strip():
                errors["evidence"] = "已整改的问题须填写整改成效与佐证。"
        elif self.closed_on:
            errors["closed_on"] = "尚未整改完成的问题不能填写销号日期。"
        if self.closed_on and self.year and self.closed_on.year < self.year:
            errors["closed_on"] = "销号日期不能早于问题所属年度。"
        if errors:
            raise ValidationError(errors)


class Plan(ScopedModel):
    """工作计划: one goal or direction of a year's plan, with an owner and its progress during the year."""

    class Section(models.TextChoices):
        GOAL = "goal", "工作目标"
        DIRECTION = "direction", "工作方向"

    org = models.ForeignKey(Organisation, verbose_name="党组织", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(
        "计划年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    section = models.CharField("部分", max_length=10, choices=Section.choices)
    order = models.PositiveSmallIntegerField("序号", default=1)
    title = models.CharField("要点", max_length=100)
    text = models.TextField("内容", blank=True)
    owner = models.CharField("责任人", max_length=100, blank=True)
    progress = models.PositiveSmallIntegerField(
        "进度（%）", default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    progress_note = models.TextField("进展情况", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "工作计划"
        verbose_name_plural = "工作计划"
        ordering = ["year", "-section", "order", "id"]  # 工作目标 (goal) before 工作方向 (direction)
        indexes = [models.Index(fields=["org", "year"], name="work_plan_year")]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="work_plan_progress_max")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

    @property
    def progress_label(self) -> str:
        if self.progress >= 100:
            return "已完成"
        return "进行中" if self.progress else "未开始"
