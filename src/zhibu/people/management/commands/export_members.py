"""`zhibu export-members --org CODE -o FILE [--full]`: the roster as .xlsx, masked unless --full."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from zhibu.core.command import ZhibuCommand
from zhibu.orgs.roles import Action
from zhibu.people.exporting import member_export


class Command(ZhibuCommand):
    help = "导出党员名册为 .xlsx（默认脱敏；--full 导出完整信息，需要查看个人信息的权限并记入审计日志）"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="党组织代码（党委导出其下全部党支部）")
        parser.add_argument("-o", "--output", required=True, help="输出文件路径（.xlsx）")
        parser.add_argument(
            "--full", action="store_true", help="不脱敏（公民身份号码、联系电话、家庭住址完整导出）"
        )

    def handle(self, *args, **options):
        target = Path(options["output"])
        if not target.parent.is_dir():
            raise CommandError(f"目录不存在：{target.parent}")
        actor = self.actor(options)
        org = self.org(options, options["org"], Action.EXPORT)
        content, count = member_export(actor=actor, org=org, full=options["full"])
        target.write_bytes(content)
        kind = "完整信息" if options["full"] else "已脱敏"
        self.stdout.write(f"已导出 {count} 人（{kind}）到 {target}")
