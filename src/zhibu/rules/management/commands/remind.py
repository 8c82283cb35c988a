"""Send each user an e-mail listing what their branches still owe — only where SMTP is configured. The sending
is a background job (`zhibu worker` runs it); `--dry-run` prints the mails here instead."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.management.base import CommandError

from zhibu.core.command import ZhibuCommand
from zhibu.jobs import services as jobs
from zhibu.rules.reminders import reminders


class Command(ZhibuCommand):
    help = "按各支部尚未完成的制度要求给有邮箱的用户发送提醒邮件（仅在配置了 ZHIBU_SMTP_HOST 时发送；由后台任务发送）。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只打印将要发送的内容，不发送")

    def handle(self, *args, **options):
        today = date.today()
        if options["dry_run"]:
            count = 0
            for user, body in reminders(today):
                self.stdout.write(f"== {user.username} <{user.email}>\n{body}")
                count += 1
            self.stdout.write(f"提醒 {count} 位用户。")
            return
        if not settings.EMAIL_HOST:
            raise CommandError(
                "未配置邮件服务器（ZHIBU_SMTP_HOST），不发送提醒；日历订阅和站内提醒照常可用。"
            )
        job = jobs.start(
            actor=self.actor(options),
            org=None,
            label=f"发送 {today:%Y-%m-%d} 的制度要求提醒",
            task="zhibu.rules.reminders.send_reminders",
            today=today.isoformat(),
        )
        self.stdout.write(f"提醒已交给后台任务 #{job.pk}（zhibu worker 发送）。")
