"""Send each user an e-mail listing what their branches still owe — only where SMTP is configured."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import CommandError

from zhibu.core.command import ZhibuCommand
from zhibu.rules import selectors


def reminder_text(rows: list[dict], today: date) -> str:
    lines = [f"截至 {today.year}年{today.month}月{today.day}日，您所在的党支部还有以下制度要求未完成："]
    for row in rows:
        state = "已逾期" if row["overdue"] else "待完成"
        lines.append(f"· {row['org'].label}：{row['rule'].name}（{row['period']}，已有 {row['count']} 次，"
                     f"应至少 {row['needed']} 次，截止 {row['deadline']:%Y-%m-%d}，{state}）")
    lines.append("请登录支部工作台录入相应记录。本邮件由系统按制度要求自动生成，无需回复。")
    return "\n".join(lines)


class Command(ZhibuCommand):
    help = "按各支部尚未完成的制度要求给有邮箱的用户发送提醒邮件（仅在配置了 ZHIBU_SMTP_HOST 时发送）。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只打印将要发送的内容，不发送")

    def handle(self, *args, **options):
        if not settings.EMAIL_HOST and not options["dry_run"]:
            raise CommandError("未配置邮件服务器（ZHIBU_SMTP_HOST），不发送提醒；日历订阅和站内提醒照常可用。")
        today = date.today()
        sent = 0
        users = get_user_model()._default_manager.filter(is_active=True).exclude(email="")
        for user in users.order_by("username"):
            rows = selectors.owed(actor=user, today=today)
            if not rows:
                continue
            body = reminder_text(rows, today)
            if options["dry_run"]:
                self.stdout.write(f"== {user.username} <{user.email}>\n{body}")
            else:
                send_mail("支部工作台：制度要求提醒", body, settings.DEFAULT_FROM_EMAIL, [user.email])
            sent += 1
        self.stdout.write(f"提醒 {sent} 位用户。")
