"""A job: one piece of background work someone started, with its progress and outcome for the page that shows it.

The queue itself (django-tasks: the database or Redis) holds the task; the job is what a person follows. A job
belongs to an organisation (the scope it was started in) and to the user who started it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhibu.core.scoped import ScopedModel


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    RETRYING = "retrying", "出错，等待重试"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Job(ScopedModel):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="发起人",
    )
    org = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="党组织",
    )
    label = models.CharField("任务", max_length=200)
    function = models.CharField("执行函数", max_length=200)
    arguments = models.JSONField("参数", default=dict, blank=True)
    task_result_id = models.CharField("队列任务编号", max_length=64, blank=True)
    state = models.CharField("状态", max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField("进度", default=0)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    max_attempts = models.PositiveSmallIntegerField("最多尝试次数", default=3)
    outcome = models.TextField("结果", blank=True)
    error = models.TextField("错误", blank=True)
    result_file = models.FileField("结果文件", upload_to="jobs/", blank=True)
    result_name = models.CharField("下载文件名", max_length=200, blank=True)
    created_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="job_progress_at_most_100")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def finished(self) -> bool:
        return self.state in {JobState.DONE, JobState.FAILED}
