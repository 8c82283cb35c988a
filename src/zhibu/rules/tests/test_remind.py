from __future__ import annotations

import io
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from zhibu.jobs.models import Job, JobState


def test_without_smtp_nothing_is_sent(tree, settings):
    settings.EMAIL_HOST = ""
    with pytest.raises(CommandError, match="未配置邮件服务器"):
        call_command("remind")
    assert mail.outbox == []


def test_with_smtp_each_user_with_an_address_gets_what_their_branch_owes(
    tree, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }
    settings.EMAIL_HOST = "smtp.intranet.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    tree.users.sec_a.email = "sec_a@example.org"
    tree.users.sec_a.save()

    class Today(date):
        @classmethod
        def today(cls):
            return date(2022, 6, 20)

    monkeypatch.setattr("zhibu.rules.management.commands.remind.date", Today)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", stdout=out)
    job = Job.objects.unscoped().get()
    assert out.getvalue().strip() == f"提醒已交给后台任务 #{job.pk}（zhibu worker 发送）。"
    assert (job.state, job.outcome) == (JobState.DONE, "提醒 1 位用户。")
    assert [m.to for m in mail.outbox] == [["sec_a@example.org"]]
    assert "主题党日" in mail.outbox[0].body and "截止" in mail.outbox[0].body
