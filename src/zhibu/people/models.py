"""The roster: each person of a branch (applicants and activists as well as members) with their personal
data, sensitive fields stored encrypted, and the dated history of their status."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from zhibu.core.crypto import EncryptedTextField, mask_id_number, mask_phone
from zhibu.core.scoped import ScopedModel
from zhibu.orgs.models import Organisation, landline_or_mobile

from .codes import Education, Gender, ethnicities


def mask_address(value: str) -> str:
    """Keep the first six characters (city and district), hide the rest."""
    if not value:
        return ""
    return value[:6] + "****" if len(value) > 6 else value[:2] + "****"


class Status(models.TextChoices):
    APPLICANT = "applicant", "申请人"
    ACTIVIST = "activist", "入党积极分子"
    CANDIDATE = "candidate", "发展对象"
    PROBATIONARY = "probationary", "预备党员"
    FULL = "full", "正式党员"


class PartyPost(models.TextChoices):
    SECRETARY = "secretary", "书记"
    DEPUTY = "deputy", "副书记"
    ORGANISER = "organiser", "组织委员"
    PROPAGANDA = "propaganda", "宣传委员"
    DISCIPLINE = "discipline", "纪检委员"
    COMMITTEE = "committee", "委员"
    GROUP_LEADER = "group_leader", "党小组长"


COMMITTEE_POSTS = frozenset(
    {
        PartyPost.SECRETARY,
        PartyPost.DEPUTY,
        PartyPost.ORGANISER,
        PartyPost.PROPAGANDA,
        PartyPost.DISCIPLINE,
        PartyPost.COMMITTEE,
    }
)


class Member(ScopedModel):
    """A person on a branch's roster: applicants and activists as well as members (SJ-04 core set)."""

    own_field = "user"  # 党员本人: Member.objects.own(actor), orgs.scoping.own_member(actor)

    scope_field = "branch"

    class Standing(models.TextChoices):
        NORMAL = "normal", "正常"
        SUSPENDED = "suspended", "停止党籍"

    branch = models.ForeignKey(
        Organisation, verbose_name="所在党支部", on_delete=models.PROTECT, related_name="members"
    )
    party_group = models.ForeignKey(
        Organisation,
        verbose_name="党小组",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_members",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )
    name = models.CharField("姓名", max_length=50)
    name_pinyin = models.CharField("姓名拼音", max_length=200, blank=True, db_index=True)
    name_initials = models.CharField("拼音首字母", max_length=50, blank=True, db_index=True)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    id_number = EncryptedTextField("公民身份号码")
    id_digest = models.CharField(max_length=64, unique=True, editable=False)
    ethnicity = models.CharField("民族", max_length=2, choices=ethnicities, default="01")
    birth_date = models.DateField("出生日期")
    education = models.CharField("学历", max_length=2, choices=Education.choices, blank=True)
    post = models.CharField("工作岗位", max_length=100, blank=True)
    phone = EncryptedTextField("联系电话", blank=True, validators=[landline_or_mobile])
    address = EncryptedTextField("家庭住址", blank=True)
    party_post = models.CharField("党内职务", max_length=20, choices=PartyPost.choices, blank=True)
    standing = models.CharField("党籍状态", max_length=10, choices=Standing.choices, default=Standing.NORMAL)
    lost_contact = models.BooleanField("失联", default=False)
    lost_contact_since = models.DateField("失联日期", null=True, blank=True)
    mobile = models.BooleanField("流动党员", default=False)
    mobile_destination = models.CharField("外出流向", max_length=200, blank=True)
    # Derived from the status history by services.member_status_record; never edited directly.
    status = models.CharField("人员类别", max_length=20, choices=Status.choices, editable=False)
    status_since = models.DateField("类别起始日期", null=True, editable=False)
    joined_on = models.DateField("入党日期", null=True, blank=True, editable=False)
    confirmed_on = models.DateField("转正日期", null=True, blank=True, editable=False)
    left_on = models.DateField("离开本支部日期", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "党员"
        verbose_name_plural = "党员"
        ordering = ["branch", "name_pinyin", "id"]
        indexes = [
            models.Index(fields=["branch", "status"]),
            models.Index(fields=["branch", "name_initials"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def address_masked(self) -> str:
        return mask_address(self.address)

    @property
    def is_party_member(self) -> bool:
        return self.status in (Status.PROBATIONARY, Status.FULL)

    @property
    def on_committee(self) -> bool:
        return self.party_post in COMMITTEE_POSTS

    def clean(self) -> None:
        """Rules about one row. Compares paths of loaded organisations, so an import runs it without queries."""
        errors: dict[str, str] = {}
        if self.party_group_id and self.branch_id:
            group, branch = self.party_group, self.branch
            if not (
                group.is_group and group.depth == branch.depth + 1 and group.path.startswith(branch.path)
            ):
                errors["party_group"] = "党小组必须属于本党支部。"
        if self.branch_id and not self.branch.is_branch:
            errors["branch"] = "党员只能编入党支部或联合党支部。"
        if self.lost_contact and not self.lost_contact_since:
            errors["lost_contact_since"] = "失联党员须填写失联日期。"
        if self.lost_contact_since and self.birth_date and self.lost_contact_since <= self.birth_date:
            errors["lost_contact_since"] = "失联日期不能早于出生日期。"
        if self.lost_contact_since and self.lost_contact_since > timezone.localdate():
            errors["lost_contact_since"] = "失联日期不能晚于今天。"
        if self.mobile and not self.mobile_destination:
            errors["mobile_destination"] = "流动党员须填写外出流向。"
        if errors:
            raise ValidationError(errors)


class StatusEvent(ScopedModel):
    """One dated change of status. The member's current status and 入党/转正 dates derive from these."""

    scope_field = "member__branch"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="status_events")
    status = models.CharField("类别", max_length=20, choices=Status.choices)
    on = models.DateField("日期")
    note = models.CharField("说明", max_length=200, blank=True)
    source = models.CharField("来源", max_length=40, blank=True, help_text="roster / import / development …")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "类别变化"
        ordering = ["member", "on", "id"]
        indexes = [models.Index(fields=["status", "on"])]
        constraints = [models.UniqueConstraint(fields=["member", "status"], name="status_once_per_member")]

    def __str__(self) -> str:
        return f"{self.member} {self.on} {self.get_status_display()}"
