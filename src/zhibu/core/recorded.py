"""The "who entered this, and when" pair of fields, one definition for every app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Recorded(models.Model):
    """When a row was entered and by whom (None for the system, imports and demos). Services set `recorded_by`;
    neither field appears on a form."""

    recorded_at = models.DateTimeField("录入时间", default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True
