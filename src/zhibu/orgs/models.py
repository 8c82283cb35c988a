"""The organisation tree (党委, 党总支, 党支部, 党小组) and what hangs on it: the types of organisation, the roles
people hold at a node, holiday breaks, term lengths, committee elections and the posts they fill."""

from __future__ import annotations

from datetime import date
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from zhibu.core.recorded import Recorded
from zhibu.core.scoped import IntegrityChecksSeeAll, ScopedManager, ScopedModel, ScopedQuerySet

from .roles import Role

code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$",
    "代码只能包含小写字母、数字和连字符，长度 3–50，且不能以连字符开头或结尾。",
)
landline_or_mobile = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$", "联系电话应为 11 位手机号，或带区号的固定电话（如 0633-8123456）。"
)


class OrgType(models.Model):
    """党委, 党总支, 党支部, 联合党支部, 党小组 — as data."""

    class Level(models.TextChoices):
        COMMITTEE = "committee", "委员会"
        BRANCH = "branch", "支部"
        GROUP = "group", "党小组"

    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=30, unique=True)
    level = models.CharField("层级", max_length=12, choices=Level.choices)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "组织类别"
        verbose_name_plural = "组织类别"

    def __str__(self) -> str:
        return self.name

    def may_sit_under(self, parent_type: OrgType | None) -> bool:
        if parent_type is None:
            return self.level == self.Level.COMMITTEE
        if self.level == self.Level.GROUP:
            return parent_type.level == self.Level.BRANCH
        return parent_type.level == self.Level.COMMITTEE


LIVE_FROM_EARLIEST, LIVE_FROM_LATEST = (
    date(2000, 1, 1),
    date(2100, 12, 31),
)  # the years the lights are kept for


class OrganisationQuerySet(ScopedQuerySet, MP_NodeQuerySet):
    pass


class ScopedTreeManager(ScopedManager.from_queryset(OrganisationQuerySet), MP_NodeManager):  # type: ignore[misc]
    """Organisation's default manager: closed like every scoped manager, in tree order like treebeard's."""

    def get_queryset(self):
        return super().get_queryset().order_by("path")


class Organisation(IntegrityChecksSeeAll, MP_Node):
    """A node of the organisation tree. The materialised path makes a subtree one indexed range query."""

    class UnitSituation(models.TextChoices):
        SAME_AS_PARENT = "same", "与上级党组织相同"
        LEGAL_ENTITY = "entity", "法人单位"
        JOINT = "joint", "联合党支部"

    steplen = 4
    node_order_by = ["code"]
    scope_field = ""  # an organisation's scope is its own path

    # The default manager, the one Django's own machinery (forms, get_object_or_404, related managers) uses: closed
    # until visible_to(actor, action) or unscoped(). `objects` (inherited from treebeard) stays for the tree's
    # own operations; outside orgs it is used only where the convention test allows it.
    scoped = ScopedTreeManager()

    name = models.CharField("全称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    code = models.CharField(
        "代码",
        max_length=50,
        unique=True,
        validators=[code_validator],
        help_text="用于网址、接口和命令行的简短代码，如 wolongshan-kg",
    )
    type = models.ForeignKey(OrgType, verbose_name="组织类别", on_delete=models.PROTECT, related_name="+")
    secretary_name = models.CharField("书记", max_length=50, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True, validators=[landline_or_mobile])
    founded_on = models.DateField("成立日期", null=True, blank=True)
    unit_situation = models.CharField(
        "所在单位情况", max_length=10, choices=UnitSituation.choices, default=UnitSituation.LEGAL_ENTITY
    )
    unit_names = models.CharField(
        "所在单位", max_length=300, blank=True, help_text="联合党支部可填多个单位，用顿号分隔"
    )
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    live_from = models.DateField(
        "启用日期",
        null=True,
        blank=True,
        help_text="开始用本系统记录组织生活的日期；此前的月份不亮灯，补录的记录作为历史资料",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        indexes = [models.Index(fields=["type", "path"])]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None

    @property
    def is_branch(self) -> bool:
        return self.type.level == OrgType.Level.BRANCH

    @property
    def is_group(self) -> bool:
        return self.type.level == OrgType.Level.GROUP

    def clean(self) -> None:
        if self.founded_on and self.dissolved_on and self.dissolved_on < self.founded_on:
            raise ValidationError({"dissolved_on": "撤销日期不能早于成立日期。"})
        if self.live_from is not None:
            if not LIVE_FROM_EARLIEST <= self.live_from <= LIVE_FROM_LATEST:
                raise ValidationError(
                    {"live_from": f"启用日期应在 {LIVE_FROM_EARLIEST.year}—{LIVE_FROM_LATEST.year} 年之间。"}
                )
            if self.dissolved_on and self.live_from > self.dissolved_on:
                raise ValidationError({"live_from": "启用日期不能晚于撤销日期。"})
        if (
            self.unit_situation == self.UnitSituation.JOINT
            and self.type_id
            and self.type.code != "joint-branch"
        ):
            raise ValidationError({"unit_situation": "只有联合党支部的所在单位情况可以是“联合党支部”。"})

    def subtree_bounds(self) -> tuple[str, str]:
        from .scoping import path_bounds

        return path_bounds(self.path)

    # Tree paths: the only place that knows how a path is cut (every other app asks these helpers).

    @staticmethod
    def path_chain(path: str, *, include_self: bool = True) -> list[str]:
        """The paths from the top of the tree down to `path`, top first (`path` itself unless include_self is
        false)."""
        step = Organisation.steplen
        return [path[:end] for end in range(step, len(path) + (1 if include_self else 0), step)]

    def ancestor_paths(self, *, include_self: bool = False) -> list[str]:
        """The paths of the organisations above this one, top first; with include_self, this one's last."""
        return self.path_chain(self.path, include_self=include_self)

    @staticmethod
    def parent_path_of(path: str) -> str:
        return path[: -Organisation.steplen]

    @staticmethod
    def path_at_depth(path: str, depth: int) -> str:
        """The path of the organisation at `depth` (1 is the top) on the way down to `path`."""
        return path[: depth * Organisation.steplen]

    @cached_property
    def branch(self) -> Organisation | None:
        """The branch this organisation's records belong to: itself, a 党小组's branch, or None above branches."""
        if self.is_branch:
            return self
        if self.is_group:
            return (
                Organisation.objects.select_related("type")
                .filter(path=self.parent_path_of(self.path))
                .first()
            )
        return None


class RoleAssignment(models.Model):
    """A role a user holds at an organisation (and so over its subtree)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    org = models.ForeignKey(
        Organisation, verbose_name="党组织", on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        constraints = [models.UniqueConstraint(fields=["user", "org", "role"], name="role_once_per_org")]

    def __str__(self) -> str:
        return f"{self.user} · {self.org.label} · {self.get_role_display()}"


class OrgBreak(ScopedModel):
    """A 假期 an organisation marks (寒假, 暑假 for schools) as a dated range: weekly requirements do not fall due
    in weeks inside it. It applies to the organisation and everything under it."""

    org = models.ForeignKey(
        Organisation, verbose_name="党组织", on_delete=models.CASCADE, related_name="breaks"
    )
    name = models.CharField("名称", max_length=30, help_text="如 寒假、暑假")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "假期"
        verbose_name_plural = "假期"
        ordering = ["starts_on", "id"]
        indexes = [models.Index(fields=["org", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.starts_on}—{self.ends_on}）"

    def clean(self) -> None:
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                raise ValidationError({"ends_on": "结束日期不能早于开始日期。"})
            if (self.ends_on - self.starts_on).days > 92:
                raise ValidationError({"ends_on": "一段假期不能超过 93 天，请分段登记。"})


# ---------------------------------------------------------------------------------------------- posts and terms


class PostKind(models.TextChoices):
    """Elected posts of a branch (the same codes as people.PartyPost)."""

    SECRETARY = "secretary", "书记"
    DEPUTY = "deputy", "副书记"
    ORGANISER = "organiser", "组织委员"
    PROPAGANDA = "propaganda", "宣传委员"
    DISCIPLINE = "discipline", "纪检委员"
    COMMITTEE = "committee", "委员"


class TermRule(ScopedModel):
    """How long a term of an organisation (and of its subtree, nearest one wins) lasts, and how long a 换届 may be
    delayed with approval. Without one: 3 years and 12 months (a superior sets 5 years for 村、社区 branches)."""

    org = models.OneToOneField(
        Organisation, verbose_name="党组织", on_delete=models.CASCADE, related_name="term_rule"
    )
    term_years = models.PositiveSmallIntegerField("每届任期（年）", default=3)
    max_delay_months = models.PositiveSmallIntegerField("延期换届最长（月）", default=12)
    basis = models.CharField("依据", max_length=200, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "任期规定"

    def clean(self) -> None:
        if not 3 <= self.term_years <= 5:
            raise ValidationError({"term_years": "每届任期应为3至5年（《中国共产党章程》第三十一条）。"})


class Election(ScopedModel, Recorded):
    """A 换届 (or a first election): from `held_on` the posts it elected hold until the next one."""

    org = models.ForeignKey(
        Organisation, verbose_name="党组织", on_delete=models.CASCADE, related_name="elections"
    )
    held_on = models.DateField("选举日期")
    term_years = models.PositiveSmallIntegerField("每届任期（年）")
    term_ends_on = models.DateField("任期届满日期")
    has_committee = models.BooleanField("设支部委员会")
    full_members = models.PositiveSmallIntegerField("选举时正式党员数")
    delay_approval = models.CharField("延期换届批准情况", max_length=300, blank=True)
    confirmed_warnings = models.CharField("已确认的提示", max_length=300, blank=True)

    class Meta:
        verbose_name = "换届选举"
        ordering = ["org", "held_on", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "held_on"], name="election_once_a_day")]

    def __str__(self) -> str:
        return f"{self.org.label} {self.held_on:%Y-%m-%d} 换届"


class Post(ScopedModel):
    """One person in one post of a branch from `started_on` to `ended_on` (open while in office)."""

    org = models.ForeignKey(
        Organisation, verbose_name="党组织", on_delete=models.CASCADE, related_name="posts"
    )
    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="posts", null=True, blank=True
    )
    member = models.ForeignKey(
        "people.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="posts"
    )
    post = models.CharField("职务", max_length=20, choices=PostKind.choices)
    started_on = models.DateField("任职日期")
    ended_on = models.DateField("离任日期", null=True, blank=True)

    class Meta:
        verbose_name = "党内职务任职"
        ordering = ["org", "started_on", "post", "id"]
        indexes = [models.Index(fields=["org", "post", "started_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="post_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.org.label} {self.get_post_display()} {self.started_on:%Y-%m-%d}"
