"""`zhibu lights --org CODE --month YYYY-MM [--json]`: every organisation of a subtree with its colour and
what is missing."""

from __future__ import annotations

import json

from django.core.management.base import CommandError

from zhibu.core.command import ZhibuCommand
from zhibu.orgs.roles import Action
from zhibu.rules import selectors

MARK = {"green": "绿", "yellow": "黄", "red": "红", "open": "…", "none": "－"}


class Command(ZhibuCommand):
    help = "打印某组织及其下级某月的亮灯和缺项"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="党组织代码，如 district-edu")
        parser.add_argument("--month", default=None, help="月份 YYYY-MM，默认本月")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, **options):
        actor = self.actor(options)
        root = self.org(options, options["org"], Action.VIEW)
        try:
            year, month = selectors.parse_month(options["month"])
        except Exception as exc:  # ValidationError → Chinese message, exit 1
            raise CommandError("；".join(getattr(exc, "messages", [str(exc)]))) from exc
        rows = selectors.subtree_lights(actor=actor, root=root, year=year, month=month)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"org": root.code, "month": f"{year}-{month:02d}", "organisations": rows},
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        self.stdout.write(f"{root.name} {year}年{month}月亮灯")
        for row in rows:
            indent = "  " * row["depth"]
            line = f"{indent}[{MARK[row['colour']]}] {row['name']}（{row['code']}）{row['colour_label']}"
            if row.get("summary"):
                s = row["summary"]
                line += f"  红 {s['red']} 黄 {s['yellow']} 绿 {s['green']} / {s['branches']}"
            self.stdout.write(line)
            for item in row["missing"]:
                self.stdout.write(
                    f"{indent}    · {item['requirement']}：{item['state']}，"
                    f"{item['count']}/{item['needed']}，截止 {item['deadline']}"
                )
