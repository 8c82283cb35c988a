"""Notices (通知) a superior publishes to its subtree or to chosen organisations, and who has read them.

A notice belongs to the organisation that published it. Its audience is either the whole subtree below the
publisher or the organisations listed in `targets`; reading is recorded per receiving organisation, so the
publisher sees which branches have read it and which have not."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from zhibu.core.scoped import ScopedModel
from zhibu.orgs.models import Organisation


class Notice(ScopedModel):
    org = models.ForeignKey(
        Organisation, verbose_name="发布单位", on_delete=models.PROTECT, related_name="notices"
    )
    title = models.CharField("标题", max_length=120)
    body = models.TextField("正文")
    deadline = models.DateField("办理期限", null=True, blank=True)
    whole_subtree = models.BooleanField("发给全部下级党组织", default=True)
    targets = models.ManyToManyField(Organisation, verbose_name="指定党组织", blank=True, related_name="+")
    published_at = models.DateTimeField("发布时间", default=timezone.now, editable=False, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.deadline and self.published_at and self.deadline < timezone.localdate(self.published_at):
            raise ValidationError({"deadline": "办理期限不能早于发布日期。"})


def notice_file_path(instance: NoticeFile, filename: str) -> str:
    return f"notices/{instance.notice_id}/{filename}"


class NoticeFile(ScopedModel):
    scope_field = "notice__org"

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="files")
    file = models.FileField("文件", upload_to=notice_file_path)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = "通知附件"

    def __str__(self) -> str:
        return self.name


class NoticeRead(ScopedModel):
    """A receiving organisation has read a notice (the first person of it to mark it read)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    org = models.ForeignKey(Organisation, verbose_name="党组织", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField("阅读时间", default=timezone.now)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "阅读记录"
        constraints = [models.UniqueConstraint(fields=["notice", "org"], name="notice_read_once")]
