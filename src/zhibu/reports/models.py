"""The annual report (述职报告) and its versions. The superior's appraisal rounds (述职评议) and the branch's
democratic appraisal of members (民主评议党员) are the `appraisal` app's.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from zhibu.core.scoped import ScopedModel
from zhibu.orgs.models import Organisation

year_validators = [MinValueValidator(2000), MaxValueValidator(2100)]


class Report(ScopedModel):
    """One version of an organisation's annual report. `content` holds the blocks (title, headings,
    paragraphs) with the secretary's text and the figures (facts) behind each paragraph; see the assemble package."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        FINAL = "final", "定稿"

    org = models.ForeignKey(Organisation, verbose_name="党组织", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度", validators=year_validators)
    version = models.PositiveSmallIntegerField("版本", default=1)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField("标题", max_length=200)
    content = models.JSONField("内容", default=dict)
    based_on = models.ForeignKey(
        "self", verbose_name="基于版本", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    refreshed_at = models.DateTimeField("数据刷新时间", null=True, blank=True)
    finalised_at = models.DateTimeField("定稿时间", null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "述职报告"
        verbose_name_plural = "述职报告"
        ordering = ["org", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "version"], name="report_version_once"),
            models.UniqueConstraint(
                fields=["org", "year"], condition=models.Q(status="draft"), name="report_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org.label} {self.year}年度述职报告 第{self.version}版"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL

    @property
    def blocks(self) -> list[dict]:
        return self.content.get("blocks", [])
