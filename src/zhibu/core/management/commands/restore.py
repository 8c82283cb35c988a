"""`zhibu restore FILE`: replace the configured database with an encrypted backup (see zhibu.core.backup)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from zhibu.core import backup
from zhibu.core.command import ChineseCommand


class Command(ChineseCommand):
    help = "从加密备份文件恢复数据库：当前数据库的内容会被备份中的内容替换。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="zhibu backup 生成的备份文件")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="不询问确认（用于脚本）"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"备份文件不存在：{path}")
        if options["interactive"]:
            try:
                answer = input("恢复会用备份替换当前数据库的全部内容。输入 yes 继续：")
            except EOFError:  # no one to answer (a script, a timer): refuse rather than guess
                raise CommandError(
                    "无法确认（没有可输入的终端），数据库未改动；在脚本中请加 --noinput。"
                ) from None
            if answer.strip().lower() != "yes":
                raise CommandError("已取消，数据库未改动。")
        try:
            engine = backup.restore(path)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已从 {path} 恢复数据库（{engine}）。")
