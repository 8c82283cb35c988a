"""`zhibu report annual --org CODE --year YYYY -o FILE.docx` / `--json`.

Writes what the year's report says now: the latest final version as frozen; otherwise the draft with its
figures refreshed in memory (the secretary's edited paragraphs kept); otherwise the report assembled from the
records. Nothing is saved.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import CommandError

from zhibu.audit import services as audit
from zhibu.core.command import ZhibuCommand
from zhibu.orgs.roles import Action
from zhibu.reports import export, selectors


class Command(ZhibuCommand):
    help = "述职报告：annual 导出某组织某年度的述职报告（Word 公文格式，或 --json 输出各部分及数字）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["annual"], help="annual：年度述职报告")
        parser.add_argument("--org", required=True, help="党组织代码，如 wolongshan-kg")
        parser.add_argument("--year", required=True, type=int, help="年度，如 2022")
        parser.add_argument("-o", "--output", help="输出的 .docx 文件")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出各部分文字及其数字")

    def handle(self, *args, **options):
        if not options["output"] and not options["json"]:
            raise CommandError("请用 -o 指定输出的 .docx 文件，或使用 --json。")
        if not 2000 <= options["year"] <= 2100:
            raise CommandError("年度应在 2000 到 2100 之间。")
        actor = self.actor(options)
        org = self.org(options, options["org"], Action.VIEW)
        report, content = selectors.current_content(actor, org, options["year"])
        source = f"第{report.version}版{report.get_status_display()}" if report else "由记录自动组装"
        if options["json"]:
            payload = {
                "org": org.code,
                "year": options["year"],
                "source": source,
                "sections": [
                    {
                        "key": b["key"],
                        "kind": b["kind"],
                        "text": b["text"],
                        "facts": [
                            {k: v for k, v in f.items() if k != "refs"} | {"records": len(f["refs"])}
                            for f in b.get("facts", [])
                        ],
                    }
                    for b in content["blocks"]
                ],
                "figures": selectors.figures(content),
                "missing": content.get("missing", []),
            }
            text = json.dumps(payload, ensure_ascii=False, indent=2, default=str)
            if options["output"] and not options["output"].endswith(".docx"):
                Path(options["output"]).write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text + "\n")
        if options["output"] and (options["output"].endswith(".docx") or not options["json"]):
            data = export.report_docx(content, author=org.name)
            Path(options["output"]).write_bytes(data)
            audit.log(
                actor=actor,
                verb="report.export",
                target=report or org,
                detail={"format": "docx", "year": options["year"], "source": source},
            )
            self.stderr.write(f"已写入 {options['output']}（{source}）")
