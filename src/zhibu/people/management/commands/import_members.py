"""`zhibu import-members FILE --org CODE`: all rows or none; row errors in Chinese on stderr."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from zhibu.core.command import ZhibuCommand
from zhibu.orgs.roles import Action
from zhibu.people.importing import member_import


class Command(ZhibuCommand):
    help = "从 .xlsx 或 .csv 名册导入党员（先校验全部行，有错则不保存任何数据）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="名册文件（.xlsx 或 .csv，列名见导入模板）")
        parser.add_argument("--org", required=True, help="党支部代码，如 wolongshan-kg")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        actor = self.actor(options)
        branch = self.org(options, options["org"], Action.MEMBERS)
        try:
            with path.open("rb") as handle:
                result = member_import(actor=actor, branch=branch, file=handle, filename=path.name)
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(f"导入失败：共 {len(exc.messages)} 处问题，未保存任何数据。") from exc
        self.stdout.write(f"导入完成（{branch.name}）。{result.summary()}")
