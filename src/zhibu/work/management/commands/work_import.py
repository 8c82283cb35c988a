"""zhibu work-import --org CODE --kind publicity FILE.xlsx: import work records (all rows or none)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from zhibu.core.command import ZhibuCommand
from zhibu.orgs.roles import Action
from zhibu.work import imports, kinds, services


class Command(ZhibuCommand):
    help = "从 .xlsx 或 .csv 导入工作纪实记录：任何一行有误则全部不导入"

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx 或 .csv 文件（表头之上可以有标题行）")
        parser.add_argument("--org", required=True, help="党组织代码")
        choices = [k.slug for k in kinds.KINDS.values() if k.importable]
        parser.add_argument("--kind", required=True, choices=choices, help="记录类型")

    def handle(self, *args, **options):
        actor = self.actor(options)
        org = self.org(options, options["org"], Action.RECORD)
        kind = kinds.get(options["kind"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        with path.open("rb") as upload:  # read up to the import size limit, not the whole file
            rows = imports.read_rows(kind, actor=actor, org=org, upload=upload)
        count = services.record_import(actor=actor, kind=kind, org=org, rows=rows)
        self.stdout.write(f"已导入 {count} 条{kind.label}（{org.name}）。")
