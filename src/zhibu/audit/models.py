"""The audit log: one entry per write, naming who did what to which object; entries are never changed or
deleted by the application."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditImmutable(Exception):
    """Raised when code tries to change or delete an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def delete(self):
        raise AuditImmutable("审计记录不能删除（保存期不少于 180 天）。")


class AuditEntry(models.Model):
    """Who did what, when, to which object, and what changed. Never updated, never deleted by the app."""

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    verb = models.CharField("操作", max_length=60, db_index=True)
    target_type = models.CharField("对象类型", max_length=60, blank=True)
    target_id = models.CharField("对象编号", max_length=64, blank=True)
    target_repr = models.CharField("对象", max_length=200, blank=True)
    # Materialised path of the organisation the entry belongs to, so auditors see their subtree only.
    org_path = models.CharField(max_length=255, blank=True, db_index=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    # The hash chain (audit/chain.py): SHA-256 over this entry's canonical form and the previous entry's hash.
    prev_hash = models.CharField(max_length=64, blank=True, default="")
    hash = models.CharField(max_length=64, blank=True, default="")

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.verb} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AuditImmutable("审计记录不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("审计记录不能删除（保存期不少于 180 天）。")
