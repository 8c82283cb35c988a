"""党费: settings, bases, payments, exemptions and extra payments.

Payments, exemptions and extra payments belong to the branch that collected them (`org`) *and* are visible to
the member's current branch: after a transfer the old branch keeps its history and the new one sees the member's
whole record. Transfers themselves (组织关系转接) and the member watch live in zhibu.membership.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from zhibu.core import months
from zhibu.core.recorded import Recorded
from zhibu.core.scoped import EitherScopedModel, InheritedScopedModel, ScopedModel
from zhibu.orgs.models import Organisation
from zhibu.people.models import Member

from .brackets import BASE_TYPES, ROUNDING_CHOICES, IncomeType, ruleset_for


class Period(models.TextChoices):
    MONTHLY = "monthly", "按月"
    QUARTERLY = "quarterly", "按季度（经支部同意）"


class DuesSettings(InheritedScopedModel):
    """Per-organisation choices: rounding of the amount (DF-13) and letter validity (ZJ-03).
    An organisation without its own settings uses its nearest ancestor's, then the defaults. Configuration,
    like an activity kind: read by every computation below it, written only through services.settings_update."""

    org = models.OneToOneField(
        Organisation, verbose_name="党组织", on_delete=models.CASCADE, related_name="dues_settings"
    )
    rounding = models.CharField("党费金额取整", max_length=5, choices=ROUNDING_CHOICES, default="0.01")
    letter_valid_months = models.PositiveSmallIntegerField(
        "介绍信有效期（月）", default=3, validators=[MinValueValidator(1)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "党费设置"
        verbose_name_plural = "党费设置"

    def __str__(self) -> str:
        return f"{self.org} 党费设置"

    @property
    def quantum(self) -> Decimal:
        return Decimal(self.rounding)


class DuesBase(ScopedModel, Recorded):
    """One row of a member's dues history: from `effective_month` on, this income type and base apply (DF-07)."""

    scope_field = "member__branch"

    member = models.ForeignKey(
        Member, verbose_name="党员", on_delete=models.CASCADE, related_name="dues_bases"
    )
    effective_month = models.DateField("起始月份")
    income_type = models.CharField("收入类别", max_length=20, choices=IncomeType.choices)
    base = models.DecimalField("计算基数（元/月）", max_digits=12, decimal_places=2, null=True, blank=True)
    chosen_amount = models.DecimalField(
        "农民党员自定月缴额（元）", max_digits=6, decimal_places=2, null=True, blank=True
    )
    period = models.CharField("交纳周期", max_length=10, choices=Period.choices, default=Period.MONTHLY)
    period_approved_on = models.DateField("支部同意按季度交纳日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "党费基数"
        verbose_name_plural = "党费基数"
        ordering = ["member", "-effective_month"]
        constraints = [
            models.UniqueConstraint(fields=["member", "effective_month"], name="dues_base_once_per_month"),
            models.CheckConstraint(
                condition=Q(base__isnull=True) | Q(base__gte=0),
                name="dues_base_not_negative",
                violation_error_message="党费计算基数不能为负数。",
            ),
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
                errors["chosen_amount"] = (
                    f"农民党员每月交纳党费 {low}–{high} 元（《关于中国共产党党费收缴、使用和管理的规定》第六条），请填写此范围内的金额。"
                )
            self.base = None
        elif self.income_type:
            self.base = None
            self.chosen_amount = None
        if self.period == Period.QUARTERLY and not self.period_approved_on:
            errors["period_approved_on"] = (
                "按季度交纳须经支部同意，请填写支部同意的日期（《关于中国共产党党费收缴、使用和管理的规定》）。"
            )
        if errors:
            raise ValidationError(errors)

    def _base_hint(self) -> str:
        from .brackets import BASE_HELP

        return BASE_HELP.get(self.income_type, "")


class DuesPayment(EitherScopedModel, Recorded):
    """The dues of one member for one month. A quarterly payment is three rows paid the same day."""

    scope_fields = ("org", "member__branch")
    scope_field = "org"

    class Source(models.TextChoices):
        WEB = "web", "网页"
        API = "api", "接口"
        IMPORT = "import", "导入"
        DEMO = "demo", "演示"

    org = models.ForeignKey(
        Organisation, verbose_name="收缴党支部", on_delete=models.PROTECT, related_name="dues_payments"
    )
    member = models.ForeignKey(
        Member, verbose_name="党员", on_delete=models.PROTECT, related_name="dues_payments"
    )
    month = models.DateField("所属月份")
    due = models.DecimalField("应缴（元）", max_digits=10, decimal_places=2)
    amount = models.DecimalField("实缴（元）", max_digits=10, decimal_places=2)
    paid_on = models.DateField("交纳日期")
    period = models.CharField("交纳周期", max_length=10, choices=Period.choices, default=Period.MONTHLY)
    late_months = models.PositiveSmallIntegerField("补交（月）", default=0, editable=False)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.WEB)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "党费交纳"
        verbose_name_plural = "党费交纳"
        ordering = ["member", "-month"]
        indexes = [models.Index(fields=["org", "month"], name="dues_payment_org_month")]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "month"],
                name="dues_payment_once_per_month",
                violation_error_message="该党员这个月的党费已经交过，不能重复交纳。",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(due__gte=0),
                name="dues_payment_not_negative",
                violation_error_message="金额不能为负数。",
            ),
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
                raise ValidationError(
                    {
                        "month": "党组织不得为党员预交党费：所属月份不能晚于交纳日期的月份（《关于中国共产党党费收缴、使用和管理的规定》）。"
                    }
                )
            self.late_months = max(0, months.between(self.month, self.paid_on))
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": "实缴金额不能为负数。"})


class Exemption(EitherScopedModel, Recorded):
    """免交 or 减交 for a period, after the member applied, the branch discussed and the committee agreed (DF-06)."""

    scope_fields = ("org", "member__branch")
    scope_field = "org"

    class Kind(models.TextChoices):
        EXEMPT = "exempt", "免交"
        REDUCE = "reduce", "减交"

    org = models.ForeignKey(
        Organisation, verbose_name="党支部", on_delete=models.PROTECT, related_name="dues_exemptions"
    )
    member = models.ForeignKey(
        Member, verbose_name="党员", on_delete=models.PROTECT, related_name="dues_exemptions"
    )
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    reduced_amount = models.DecimalField(
        "减交后月缴额（元）",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    from_month = models.DateField("起始月份")
    to_month = models.DateField("截止月份")
    reason = models.CharField("困难情况", max_length=300)
    branch_decided_on = models.DateField("支部讨论日期")
    approved_by = models.CharField("批准的上级党委", max_length=100)
    approved_on = models.DateField("上级党委同意日期")

    class Meta:
        verbose_name = "党费减免"
        verbose_name_plural = "党费减免"
        ordering = ["member", "-from_month"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_month__gte=F("from_month")),
                name="dues_exemption_period",
                violation_error_message="截止月份不能早于起始月份。",
            ),
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
            errors["approved_on"] = (
                "上级党委同意日期不能早于支部讨论日期（先支部讨论，再报上级党委同意；《关于中国共产党党费收缴、使用和管理的规定》）。"
            )
        if errors:
            raise ValidationError(errors)


CENTRE_THRESHOLD = Decimal("1000")


class ExtraPayment(EitherScopedModel, Recorded):
    """Voluntary extra dues (自愿多交). A single payment of 1000 元 or more goes entirely to the Centre (DF-08)."""

    scope_fields = ("org", "member__branch")
    scope_field = "org"

    org = models.ForeignKey(
        Organisation, verbose_name="党支部", on_delete=models.PROTECT, related_name="dues_extra"
    )
    member = models.ForeignKey(
        Member, verbose_name="党员", on_delete=models.PROTECT, related_name="dues_extra"
    )
    paid_on = models.DateField("交纳日期")
    amount = models.DecimalField(
        "金额（元）", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    to_centre = models.BooleanField("全额上缴中央", default=False, editable=False)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "自愿多交党费"
        verbose_name_plural = "自愿多交党费"
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="dues_extra_positive",
                violation_error_message="金额须大于零。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} 自愿多交 {self.amount} 元"

    def clean(self) -> None:
        if self.amount is not None:
            self.to_centre = self.amount >= CENTRE_THRESHOLD
