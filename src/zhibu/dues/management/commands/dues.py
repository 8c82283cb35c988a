"""`zhibu dues roll --org CODE --month YYYY-MM -o FILE.xlsx`: the monthly dues roll as an .xlsx file."""

from pathlib import Path

from django.core.management.base import CommandError

from zhibu.core import months
from zhibu.core.command import ZhibuCommand
from zhibu.dues import selectors, xlsx
from zhibu.orgs.roles import Action


class Command(ZhibuCommand):
    help = "党费：roll 导出某党组织某月的党费收缴表（.xlsx）。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["roll"], help="roll：导出党费收缴表")
        parser.add_argument("--org", required=True, help="党组织代码，如 wolongshan-kg")
        parser.add_argument("--month", default=None, help="月份 YYYY-MM，默认最近有交纳记录的月份")
        parser.add_argument("-o", "--output", required=True, help="输出文件 .xlsx")

    def handle(self, *args, **options):
        org = self.org(options, options["org"], Action.EXPORT)
        actor = self.actor(options)
        month = months.parse(options["month"]) if options["month"] else selectors.default_month(actor, org)
        target = Path(options["output"])
        if target.suffix.lower() != ".xlsx":
            raise CommandError("输出文件须以 .xlsx 结尾。")
        name, content = xlsx.roll_export(actor=actor, org=org, month=month)
        target.write_bytes(content)
        self.stdout.write(f"已导出 {org.name} {months.label(month)}党费收缴表：{target}")
