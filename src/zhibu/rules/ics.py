"""iCalendar (RFC 5545) text for the reminders feed, written by hand: a handful of all-day events."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space, never inside a UTF-8 character."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode("utf-8")) > (75 if not out else 74):
            out.append(current)
            current = ""
        current += char
    out.append(current)
    return "\r\n ".join(out)


def calendar(items: list[dict], *, base_url: str) -> str:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//zhibu//lights//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:支部工作台·待完成事项",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for item in items:
        rule, org, deadline = item["rule"], item["org"], item["deadline"]
        status = "已逾期" if item["overdue"] else "截止"
        summary = f"{org.short_name or org.name}：{rule.kind_name}（{item['period']}）{status}"
        description = (
            f"要求：{rule.label}\n依据：{rule.basis}\n已完成 {item['count']}/{item['needed']}\n"
            f"录入：{base_url.rstrip('/')}{item['fix_url']}"
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{org.code}-{rule.id}-{deadline:%Y%m%d}@zhibu",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{deadline:%Y%m%d}",
            f"DTEND;VALUE=DATE:{deadline + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(description)}",
            "TRANSP:TRANSPARENT",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "TRIGGER:-P3D",
            f"DESCRIPTION:{_escape(summary)}",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
