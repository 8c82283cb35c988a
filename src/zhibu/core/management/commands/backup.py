"""`zhibu backup -o FILE`: an encrypted copy of the whole database (see zhibu.core.backup)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from zhibu.core import backup
from zhibu.core.command import ChineseCommand


class Command(ChineseCommand):
    help = "备份整个数据库到加密文件（SQLite 在线备份；PostgreSQL 用 pg_dump），密钥由 ZHIBU_DATA_KEY 派生。"

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", required=True, help="备份文件路径，例如 /var/backups/zhibu/2026-11-28.zbk"
        )

    def handle(self, *args, **options):
        out = Path(options["output"])
        try:
            engine = backup.backup(out)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已备份（{engine}）：{out}，{out.stat().st_size} 字节")
