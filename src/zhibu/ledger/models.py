"""Export templates as data: a target sheet defined once (title rows, columns, filter), kept in versions.

A template belongs to the organisation that defined it and serves that organisation's subtree; templates with
no organisation ship with the system. Every change writes a new version, and each download names the version it
used, so a later edit never changes what an earlier download meant.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhibu.core.scoped import ScopedModel
from zhibu.orgs.models import Organisation


class ExportTemplate(ScopedModel):
    org = models.ForeignKey(
        Organisation,
        verbose_name="制定单位",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="export_templates",
        help_text="为空表示系统内置模板",
    )
    name = models.CharField("模板名称", max_length=100)
    description = models.TextField("说明", blank=True)
    based_on = models.ForeignKey(
        "self", verbose_name="来源模板", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "导出模板"
        verbose_name_plural = "导出模板"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class TemplateVersion(ScopedModel):
    """One immutable definition of a template. `definition` is checked by ledger.definition.check()."""

    scope_field = "template__org"

    template = models.ForeignKey(ExportTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    definition = models.JSONField("定义")
    note = models.CharField("修改说明", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "模板版本"
        ordering = ["template", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="template_version_once")]

    def __str__(self) -> str:
        return f"{self.template} 第{self.number}版"
