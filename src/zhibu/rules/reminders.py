"""Reminder e-mails: each active user with an address gets what their branches still owe (a job: zhibu.jobs)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail

from . import selectors


def reminder_text(rows: list[dict], today: date) -> str:
    lines = [f"截至 {today.year}年{today.month}月{today.day}日，您所在的党支部还有以下制度要求未完成："]
    for row in rows:
        state = "已逾期" if row["overdue"] else "待完成"
        lines.append(
            f"· {row['org'].label}：{row['rule'].name}（{row['period']}，已有 {row['count']} 次，"
            f"应至少 {row['needed']} 次，截止 {row['deadline']:%Y-%m-%d}，{state}）"
        )
    lines.append("请登录支部工作台录入相应记录。本邮件由系统按制度要求自动生成，无需回复。")
    return "\n".join(lines)


def reminders(today: date):
    """(user, body) for every active user with an address who has something owed."""
    users = get_user_model()._default_manager.filter(is_active=True).exclude(email="").order_by("username")
    for user in users:
        rows = selectors.owed(actor=user, today=today)
        if rows:
            yield user, reminder_text(rows, today)


def send_reminders(*, progress, today: str) -> str:
    """The job: send the reminders of `today` (ISO date)."""
    sent = 0
    for user, body in reminders(date.fromisoformat(today)):
        send_mail("支部工作台：制度要求提醒", body, settings.DEFAULT_FROM_EMAIL, [user.email])
        sent += 1
    return f"提醒 {sent} 位用户。"
