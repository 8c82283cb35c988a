"""`zhibu development due --org CODE [--days 30] [--json]`: what falls due or is overdue in a subtree."""

from __future__ import annotations

import json

from django.core.management.base import CommandError

from zhibu.core.command import ZhibuCommand
from zhibu.development import selectors, services
from zhibu.orgs.roles import Action


class Command(ZhibuCommand):
    help = "发展党员纪实：列出到期及超期事项（due）"

    def add_arguments(self, parser):
        parser.add_argument(
            "action",
            choices=["due", "refresh"],
            help="due：列出到期及超期事项；refresh：按现行规则重新计算各纪实的下一步和期限",
        )
        parser.add_argument("--org", required=True, help="党组织代码")
        parser.add_argument("--days", type=int, default=30, help="未来多少天内到期（默认 30）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, **options):
        if not 1 <= options["days"] <= 366:
            raise CommandError("--days 应在 1 到 366 之间。")
        actor = self.actor(options)
        org = self.org(options, options["org"], Action.VIEW)
        if options["action"] == "refresh":
            changed = services.cases_refresh(actor=actor, org=org)
            self.stdout.write(f"{org.name}：已重新计算 {changed} 件发展党员纪实的下一步和期限。")
            return
        items, total = selectors.due(actor, org, days=options["days"], limit=None)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "org": org.code,
                        "days": options["days"],
                        "total": total,
                        "items": [i.as_dict() for i in items],
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        self.stdout.write(f"{org.name}：{options['days']} 天内到期及超期事项 {total} 项")
        for item in items:
            if item.overdue:
                state = f"超期{item.days_overdue}天"
            elif item.due_by:
                state = f"剩{item.days_left}天"
            else:
                state = f"{item.due_from:%Y-%m-%d} 起可办理"
            deadline = f"{item.due_by:%Y-%m-%d}" if item.due_by else "—"
            if item.from_what:
                state += f"（{item.from_what} {item.due_from:%Y-%m-%d} 起可办理）"
            self.stdout.write(f"{item.org}\t{item.member}\t{item.what}\t{deadline}\t{state}")
