"""组织关系转接 (Transfer) and the member watch's records (ContactLog, MobileRecord).

They were part of the dues app and keep its tables (`dues_transfer`, `dues_contactlog`, `dues_mobilerecord`):
the move changed no data. A transfer is visible to the sending and to the receiving organisation; contacts and
periods away belong to the member's branch.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from zhibu.core import months
from zhibu.core.recorded import Recorded
from zhibu.core.scoped import EitherScopedModel, ScopedModel
from zhibu.orgs.models import Organisation
from zhibu.people.models import Member


class Transfer(EitherScopedModel):
    """A transfer of a member's 组织关系 (ZB-28, ZJ-02): inside the system, to outside, or from outside."""

    scope_fields = ("from_org", "to_org")
    scope_field = "from_org"

    class Kind(models.TextChoices):
        INTERNAL = "internal", "系统内转接"
        OUT = "out", "转出到系统外"
        IN = "in", "从系统外转入"

    class Status(models.TextChoices):
        ISSUED = "issued", "转出未接收"
        RECEIVED = "received", "已接收"
        CANCELLED = "cancelled", "已撤回"

    class Channel(models.TextChoices):
        PAPER = "paper", "纸质介绍信"
        ONLINE = "online", "全国党员管理信息系统"

    member = models.ForeignKey(
        Member, verbose_name="党员", on_delete=models.PROTECT, related_name="transfers"
    )
    member_name = models.CharField("姓名", max_length=50)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    from_org = models.ForeignKey(
        Organisation,
        verbose_name="转出党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_out",
    )
    to_org = models.ForeignKey(
        Organisation,
        verbose_name="接收党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    outside_org = models.CharField("系统外党组织", max_length=200, blank=True)
    serial = models.CharField("介绍信编号", max_length=50, blank=True)
    channel = models.CharField("方式", max_length=10, choices=Channel.choices, default=Channel.PAPER)
    reason = models.CharField("转接原因", max_length=200, blank=True)
    dues_paid_to = models.DateField("党费交至", null=True, blank=True)
    issued_on = models.DateField("开具日期")
    valid_until = models.DateField("有效期至")
    received_on = models.DateField("接收日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ISSUED)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        db_table = "dues_transfer"
        verbose_name = "组织关系转接"
        verbose_name_plural = "组织关系转接"
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_org=F("to_org")),
                name="dues_transfer_not_to_self",
                violation_error_message="不能把组织关系转到本支部。",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status="issued"),
                name="dues_one_open_transfer",
                violation_error_message="该党员已有一份尚未接收的组织关系介绍信。",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("issued_on")),
                name="dues_transfer_validity",
                violation_error_message="有效期不能早于开具日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_name} {self.from_label} → {self.to_label}"

    @property
    def from_label(self) -> str:
        return self.from_org.label if self.from_org_id else self.outside_org

    @property
    def to_label(self) -> str:
        return self.to_org.label if self.to_org_id else self.outside_org

    def is_expired(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.ISSUED and self.valid_until < today

    @property
    def expired(self) -> bool:
        return self.is_expired()

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == self.Kind.INTERNAL:
            if not self.from_org_id or not self.to_org_id:
                errors["to_org"] = "系统内转接须有转出和接收党支部。"
            elif self.from_org_id == self.to_org_id:
                errors["to_org"] = "不能把组织关系转到本支部（转出与接收党组织相同）。"
            elif not self.to_org.is_branch:
                errors["to_org"] = "接收党组织须为党支部。"
        elif self.kind == self.Kind.OUT:
            if not self.outside_org.strip():
                errors["outside_org"] = "请填写接收的系统外党组织名称。"
        elif self.kind == self.Kind.IN:
            if not self.outside_org.strip():
                errors["outside_org"] = "请填写转出的系统外党组织名称。"
            if not self.received_on:
                errors["received_on"] = "请填写接收日期。"
        if self.channel == self.Channel.PAPER and not self.serial.strip():
            errors["serial"] = "纸质介绍信须填写编号（党员组织关系介绍信须编号）。"
        if self.issued_on and self.valid_until and self.valid_until < self.issued_on:
            errors["valid_until"] = "有效期不能早于开具日期。"
        if self.received_on and self.issued_on and self.received_on < self.issued_on:
            errors["received_on"] = "接收日期不能早于开具日期。"
        if self.dues_paid_to and self.dues_paid_to.day != 1:
            self.dues_paid_to = months.first(self.dues_paid_to)
        if errors:
            raise ValidationError(errors)


class ContactLog(ScopedModel, Recorded):
    """A contact with a member away or out of touch (ZB-25, LD-08): the latest one is their last contact date."""

    scope_field = "member__branch"

    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.CASCADE, related_name="contacts")
    contacted_on = models.DateField("联系日期")
    way = models.CharField("联系方式", max_length=50, blank=True)
    note = models.CharField("情况", max_length=300, blank=True)

    class Meta:
        db_table = "dues_contactlog"
        verbose_name = "联系记录"
        verbose_name_plural = "联系记录"
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["member", "contacted_on"], name="dues_contact_member_on")]

    def __str__(self) -> str:
        return f"{self.member} {self.contacted_on}"

    def clean(self) -> None:
        if self.contacted_on and self.contacted_on > timezone.localdate():
            raise ValidationError({"contacted_on": "联系日期不能晚于今天。"})


class MobileRecord(ScopedModel):
    """A 流动党员's time away (LD-06, LD-07): where, the host organisation, the 活动证, and when they came back."""

    scope_field = "member__branch"

    member = models.ForeignKey(
        Member, verbose_name="党员", on_delete=models.CASCADE, related_name="mobile_records"
    )
    destination = models.CharField("外出流向", max_length=200)
    host_org = models.CharField("流入地党组织", max_length=200, blank=True)
    card_number = models.CharField("流动党员活动证编号", max_length=50, blank=True)
    card_issued_on = models.DateField("活动证发放日期", null=True, blank=True)
    left_on = models.DateField("外出日期")
    returned_on = models.DateField("返回日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        db_table = "dues_mobilerecord"
        verbose_name = "流动党员登记"
        verbose_name_plural = "流动党员登记"
        ordering = ["-left_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=F("left_on")),
                name="dues_mobile_period",
                violation_error_message="返回日期不能早于外出日期。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.destination}"

    def clean(self) -> None:
        if self.left_on and self.returned_on and self.returned_on < self.left_on:
            raise ValidationError({"returned_on": "返回日期不能早于外出日期。"})
        if self.card_number and not self.card_issued_on:
            raise ValidationError({"card_issued_on": "请填写活动证发放日期。"})
