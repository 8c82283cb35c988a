"""党费, 组织关系转接 and the member watch.

Payments, exemptions and extra payments belong to the branch that collected them (`org`) *and* are visible to
the member's current branch: after a transfer the old branch keeps its history and the new one sees the member's
whole record. Transfers are visible to the sending and to the receiving organisation.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from zhibu.core.scoped import ScopedManager, ScopedModel, ScopedQuerySet
from zhibu.orgs.models import Organisation
from zhibu.people.models import Member

from . import months
from .brackets import BASE_TYPES, ROUNDING_CHOICES, IncomeType, ruleset_for


class EitherScopedQuerySet(ScopedQuerySet):
    """Visible when any of the model's `scope_fields` points into the actor's scope (fails closed all the same)."""

    def visible_to(self, actor, action: str):
        from zhibu.orgs import scoping

        condition = Q(pk__in=[])
        for field in self.model.scope_fields:
            condition |= scoping.q(actor, action, field)
        return self.filter(condition)


class EitherScopedManager(ScopedManager):
    def _base(self) -> EitherScopedQuerySet:
        return EitherScopedQuerySet(model=self.model, using=self._db, hints=self._hints)


class EitherScopedModel(ScopedModel):
    scope_fields: tuple[str, ...] = ("org",)

    internal = models.Manager()
    objects = EitherScopedManager()

    class Meta:
        abstract = True


class Period(models.TextChoices):
    MONTHLY = "monthly", "按月"
    QUARTERLY = "quarterly", "按季度（经支部同意）"


class DuesSettings(models.Model):
    """Per-organisation choices: rounding of the amount (DF-13) and letter validity (ZJ-03).
    An organisation without its own settings uses its nearest ancestor's, then the defaults. Configuration,
    like an activity kind: read by every computation below it, written only through services.settings_update."""

    org = models.OneToOneField(Organisation, verbose_name="党组织", on_delete=models.CASCADE,
                               related_name="dues_settings")
    rounding = models.CharField("党费金额取整", max_length=5, choices=ROUNDING_CHOICES, default="0.01")
    letter_valid_months = models.PositiveSmallIntegerField("介绍信有效期（月）", default=3,
                                                           validators=[MinValueValidator(1)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "党费设置"
        verbose_name_plural = "党费设置"

    def __str__(self) -> str:
        return f"{self.org} 党费设置"

    @property
    def quantum(self) -> Decimal:
        return Decimal(self.rounding)


class DuesBase(ScopedModel):
    """One row of a member's dues history: from `effective_month` on, this income type and base apply (DF-07)."""

    scope_field = "member__branch"

    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.CASCADE, related_name="dues_bases")
    effective_month = models.DateField("起始月份")
    income_type = models.CharField("收入类别", max_length=20, choices=IncomeType.choices)
    base = models.DecimalField("计算基数（元/月）", max_digits=12, decimal_places=2, null=True, blank=True)
    chosen_amount = models.DecimalField("农民党员自定月缴额（元）", max_digits=6, decimal_places=2, null=True,
                                        blank=True)
    period = models.CharField("交纳周期", max_length=10, choices=Period.choices, default=Period.MONTHLY)
    period_approved_on = models.DateField("支部同意按季度交纳日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", editable=False)

    class Meta:
        verbose_name = "党费基数"
        verbose_name_plural = "党费基数"
        ordering = ["member", "-effective_month"]
        constraints = [
            models.UniqueConstraint(fields=["member", "effective_month"], name="dues_base_once_per_month"),
            models.CheckConstraint(condition=Q(base__isnull=True) | Q(base__gte=0), name="dues_base_not_negative",
                                   violation_error_message="党费计算基数不能为负数。"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {months.label(self.effective_month)} {self.get_income_type_display()}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.effective_month and self.effective_month.day != 1:
            self.effective_month = months.first(self.effective_month)
        if self.base is not None and self.base < 0:
            errors["base"] = "党费计算基数不能为负数。"
        if self.income_type in BASE_TYPES:
            if self.base is None:
                errors["base"] = f"“{self.get_income_type_display()}”须填写计算基数（{self._base_hint()}）。"
            self.chosen_amount = None
        elif self.income_type == IncomeType.FARMER:
            rules = ruleset_for(self.effective_month) if self.effective_month else None
            low, high = rules.farmer_range if rules else (Decimal("0.2"), Decimal("1"))
            if self.chosen_amount is None or not low <= self.chosen_amount <= high:
                errors["chosen_amount"] = f"农民党员每月交纳党费 {low}–{high} 元（《关于中国共产党党费收缴、使用和管理的规定》第六条），请填写此范围内的金额。"
            self.base = None
        elif self.income_type:
            self.base = None
            self.chosen_amount = None
        if self.period == Period.QUARTERLY and not self.period_approved_on:
            errors["period_approved_on"] = "按季度交纳须经支部同意，请填写支部同意的日期（《关于中国共产党党费收缴、使用和管理的规定》）。"
        if errors:
            raise ValidationError(errors)

    def _base_hint(self) -> str:
        from .brackets import BASE_HELP

        return BASE_HELP.get(self.income_type, "")


class DuesPayment(EitherScopedModel):
    """The dues of one member for one month. A quarterly payment is three rows paid the same day."""

    scope_fields = ("org", "member__branch")
    scope_field = "org"

    class Source(models.TextChoices):
        WEB = "web", "网页"
        API = "api", "接口"
        IMPORT = "import", "导入"
        DEMO = "demo", "演示"

    org = models.ForeignKey(Organisation, verbose_name="收缴党支部", on_delete=models.PROTECT,
                            related_name="dues_payments")
    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.PROTECT, related_name="dues_payments")
    month = models.DateField("所属月份")
    due = models.DecimalField("应缴（元）", max_digits=10, decimal_places=2)
    amount = models.DecimalField("实缴（元）", max_digits=10, decimal_places=2)
    paid_on = models.DateField("交纳日期")
    period = models.CharField("交纳周期", max_length=10, choices=Period.choices, default=Period.MONTHLY)
    late_months = models.PositiveSmallIntegerField("补交（月）", default=0, editable=False)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.WEB)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", editable=False)

    class Meta:
        verbose_name = "党费交纳"
        verbose_name_plural = "党费交纳"
        ordering = ["member", "-month"]
        indexes = [models.Index(fields=["org", "month"], name="dues_payment_org_month")]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_payment_once_per_month",
                                    violation_error_message="该党员这个月的党费已经交过，不能重复交纳。"),
            models.CheckConstraint(condition=Q(amount__gte=0) & Q(due__gte=0), name="dues_payment_not_negative",
                                   violation_error_message="金额不能为负数。"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {months.label(self.month)} {self.amount} 元"

    @property
    def is_late(self) -> bool:
        return self.late_months > 0

    @property
    def late_over_limit(self) -> bool:
        """补交 generally within 6 months (DF-10): flag older arrears."""
        return self.late_months > 6

    def clean(self) -> None:
        if self.month and self.month.day != 1:
            self.month = months.first(self.month)
        if self.month and self.paid_on:
            if months.index(self.paid_on) < months.index(self.month) and self.period != Period.QUARTERLY:
                raise ValidationError({"month": "党组织不得为党员预交党费：所属月份不能晚于交纳日期的月份（《关于中国共产党党费收缴、使用和管理的规定》）。"})
            self.late_months = max(0, months.between(self.month, self.paid_on))
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": "实缴金额不能为负数。"})


class Exemption(EitherScopedModel):
    """免交 or 减交 for a period, after the member applied, the branch discussed and the committee agreed (DF-06)."""

    scope_fields = ("org", "member__branch")
    scope_field = "org"

    class Kind(models.TextChoices):
        EXEMPT = "exempt", "免交"
        REDUCE = "reduce", "减交"

    org = models.ForeignKey(Organisation, verbose_name="党支部", on_delete=models.PROTECT,
                            related_name="dues_exemptions")
    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.PROTECT, related_name="dues_exemptions")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    reduced_amount = models.DecimalField("减交后月缴额（元）", max_digits=10, decimal_places=2, null=True, blank=True,
                                         validators=[MinValueValidator(Decimal("0"))])
    from_month = models.DateField("起始月份")
    to_month = models.DateField("截止月份")
    reason = models.CharField("困难情况", max_length=300)
    branch_decided_on = models.DateField("支部讨论日期")
    approved_by = models.CharField("批准的上级党委", max_length=100)
    approved_on = models.DateField("上级党委同意日期")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", editable=False)

    class Meta:
        verbose_name = "党费减免"
        verbose_name_plural = "党费减免"
        ordering = ["member", "-from_month"]
        constraints = [
            models.CheckConstraint(condition=Q(to_month__gte=F("from_month")), name="dues_exemption_period",
                                   violation_error_message="截止月份不能早于起始月份。"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()} {months.label(self.from_month)}–{months.label(self.to_month)}"

    def covers(self, month) -> bool:
        return self.from_month <= month <= self.to_month

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for name in ("from_month", "to_month"):
            value = getattr(self, name)
            if value and value.day != 1:
                setattr(self, name, months.first(value))
        if self.from_month and self.to_month and self.to_month < self.from_month:
            errors["to_month"] = "截止月份不能早于起始月份。"
        if self.kind == self.Kind.REDUCE and self.reduced_amount is None:
            errors["reduced_amount"] = "减交须填写减交后的月缴额。"
        if self.kind == self.Kind.EXEMPT:
            self.reduced_amount = None
        if self.branch_decided_on and self.approved_on and self.approved_on < self.branch_decided_on:
            errors["approved_on"] = "上级党委同意日期不能早于支部讨论日期（先支部讨论，再报上级党委同意；《关于中国共产党党费收缴、使用和管理的规定》）。"
        if errors:
            raise ValidationError(errors)


CENTRE_THRESHOLD = Decimal("1000")


class ExtraPayment(EitherScopedModel):
    """Voluntary extra dues (自愿多交). A single payment of 1000 元 or more goes entirely to the Centre (DF-08)."""

    scope_fields = ("org", "member__branch")
    scope_field = "org"

    org = models.ForeignKey(Organisation, verbose_name="党支部", on_delete=models.PROTECT, related_name="dues_extra")
    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.PROTECT, related_name="dues_extra")
    paid_on = models.DateField("交纳日期")
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01"))])
    to_centre = models.BooleanField("全额上缴中央", default=False, editable=False)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", editable=False)

    class Meta:
        verbose_name = "自愿多交党费"
        verbose_name_plural = "自愿多交党费"
        ordering = ["-paid_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="dues_extra_positive",
                                              violation_error_message="金额须大于零。")]

    def __str__(self) -> str:
        return f"{self.member} 自愿多交 {self.amount} 元"

    def clean(self) -> None:
        if self.amount is not None:
            self.to_centre = self.amount >= CENTRE_THRESHOLD


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

    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.PROTECT, related_name="transfers")
    member_name = models.CharField("姓名", max_length=50)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    from_org = models.ForeignKey(Organisation, verbose_name="转出党组织", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="transfers_out")
    to_org = models.ForeignKey(Organisation, verbose_name="接收党组织", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="transfers_in")
    outside_org = models.CharField("系统外党组织", max_length=200, blank=True)
    serial = models.CharField("介绍信编号", max_length=50, blank=True)
    channel = models.CharField("方式", max_length=10, choices=Channel.choices, default=Channel.PAPER)
    reason = models.CharField("转接原因", max_length=200, blank=True)
    dues_paid_to = models.DateField("党费交至", null=True, blank=True)
    issued_on = models.DateField("开具日期")
    valid_until = models.DateField("有效期至")
    received_on = models.DateField("接收日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ISSUED)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", editable=False)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "组织关系转接"
        verbose_name_plural = "组织关系转接"
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_org=F("to_org")), name="dues_transfer_not_to_self",
                                   violation_error_message="不能把组织关系转到本支部。"),
            models.UniqueConstraint(fields=["member"], condition=Q(status="issued"), name="dues_one_open_transfer",
                                    violation_error_message="该党员已有一份尚未接收的组织关系介绍信。"),
            models.CheckConstraint(condition=Q(valid_until__gte=F("issued_on")), name="dues_transfer_validity",
                                   violation_error_message="有效期不能早于开具日期。"),
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


class ContactLog(ScopedModel):
    """A contact with a member away or out of touch (ZB-25, LD-08): the latest one is their last contact date."""

    scope_field = "member__branch"

    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.CASCADE, related_name="contacts")
    contacted_on = models.DateField("联系日期")
    way = models.CharField("联系方式", max_length=50, blank=True)
    note = models.CharField("情况", max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", editable=False)

    class Meta:
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

    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.CASCADE, related_name="mobile_records")
    destination = models.CharField("外出流向", max_length=200)
    host_org = models.CharField("流入地党组织", max_length=200, blank=True)
    card_number = models.CharField("流动党员活动证编号", max_length=50, blank=True)
    card_issued_on = models.DateField("活动证发放日期", null=True, blank=True)
    left_on = models.DateField("外出日期")
    returned_on = models.DateField("返回日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "流动党员登记"
        verbose_name_plural = "流动党员登记"
        ordering = ["-left_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(returned_on__isnull=True) | Q(returned_on__gte=F("left_on")),
                                              name="dues_mobile_period",
                                              violation_error_message="返回日期不能早于外出日期。")]

    def __str__(self) -> str:
        return f"{self.member} → {self.destination}"

    def clean(self) -> None:
        if self.left_on and self.returned_on and self.returned_on < self.left_on:
            raise ValidationError({"returned_on": "返回日期不能早于外出日期。"})
        if self.card_number and not self.card_issued_on:
            raise ValidationError({"card_issued_on": "请填写活动证发放日期。"})
