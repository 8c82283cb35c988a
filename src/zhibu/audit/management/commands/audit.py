import csv
import json

from django.core.management.base import CommandError

from zhibu.audit import chain, selectors
from zhibu.audit import services as audit
from zhibu.audit.models import AuditEntry
from zhibu.core.command import ZhibuCommand, open_output

_COLUMNS = [
    "id",
    "at",
    "actor_name",
    "verb",
    "target_type",
    "target_id",
    "target_repr",
    "org_path",
    "detail",
    "ip",
    "prev_hash",
    "hash",
]


class Command(ZhibuCommand):
    help = (
        "审计日志：zhibu audit verify 校验哈希链并指出第一条被改动的记录；"
        "zhibu audit export -o 文件.csv 导出审计日志供测评机构核查。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "export"], help="verify：校验；export：导出")
        parser.add_argument("-o", "--output", default="-", help="导出文件（csv），默认输出到屏幕")

    def handle(self, *args, **options):
        if options["action"] == "verify":
            self._verify()
        else:
            self._export(options)

    def _verify(self):
        verdict = chain.verify(AuditEntry.objects.order_by("id").iterator(chunk_size=2000))
        if not verdict.ok:
            raise CommandError(
                f"审计日志校验失败：第 {verdict.broken_id} 号记录{verdict.reason}；"
                f"此前 {verdict.checked} 条完好。"
            )
        self.stdout.write(f"审计日志完好：共 {verdict.checked} 条，哈希链连续。")

    def _export(self, options):
        actor = self.actor(options)
        rows = selectors.entries(actor).order_by("id")
        with open_output(options["output"], self.stdout) as out:
            writer = csv.writer(out)
            writer.writerow(_COLUMNS)
            count = 0
            for entry in rows.iterator(chunk_size=2000):
                writer.writerow(
                    [
                        entry.pk,
                        entry.at.isoformat(),
                        entry.actor_name,
                        entry.verb,
                        entry.target_type,
                        entry.target_id,
                        entry.target_repr,
                        entry.org_path,
                        json.dumps(entry.detail, ensure_ascii=False, sort_keys=True),
                        entry.ip or "",
                        entry.prev_hash,
                        entry.hash,
                    ]
                )
                count += 1
        audit.log(actor=actor, verb="audit.export", detail={"count": count})
        if options["output"] != "-":
            self.stdout.write(f"已导出 {count} 条审计记录：{options['output']}")
