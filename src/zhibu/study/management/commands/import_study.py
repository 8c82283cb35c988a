"""zhibu import-study FILE --org CODE: import a 学习强国 points export for a branch and print the report."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from zhibu.core.command import ZhibuCommand
from zhibu.orgs.roles import Action
from zhibu.study import services


class Command(ZhibuCommand):
    help = "导入学习强国积分（.xlsx 或 .csv），按姓名匹配本支部党员"

    def add_arguments(self, parser):
        parser.add_argument("file", help="积分文件路径")
        parser.add_argument("--org", required=True, help="党支部代码")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        org = self.org(options, options["org"], Action.RECORD)
        with path.open("rb") as handle:  # read up to the import size limit, not the whole file
            report = services.study_import(
                actor=self.actor(options), org=org, file=handle, filename=path.name
            )
        out = self.stdout
        out.write(
            f"{org.name}：读取 {report.rows} 行，新增 {report.created}，更新 {report.updated}，"
            f"未变 {report.unchanged}，跳过 {report.skipped}。"
        )
        if report.first_day:
            out.write(f"日期范围：{report.first_day:%Y-%m-%d} 至 {report.last_day:%Y-%m-%d}")
        if report.ignored_columns:
            out.write(f"忽略的列：{'、'.join(report.ignored_columns)}")
        for name, lines in report.unmatched.items():
            out.write(f"未匹配：{name}（第{'、'.join(map(str, lines))}行）")
        for name, lines in report.ambiguous.items():
            out.write(f"重名无法区分：{name}（第{'、'.join(map(str, lines))}行）")
