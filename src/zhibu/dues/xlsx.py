"""The roll as .xlsx (one row iterator, audited) and payments imported from .xlsx: every row is checked first and
the file is saved whole or not at all, with a list of (row, column, reason)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhibu.audit import services as audit
from zhibu.core import months, tabular
from zhibu.core.crypto import digest
from zhibu.core.tabular import cells
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.people.models import Member

from .ledger import Ledger
from .models import DuesPayment
from .selectors import PARTY_STATUSES, Roll, roll, subtree_filter

ROLL_HEADERS = [
    "序号",
    "党支部",
    "姓名",
    "人员类别",
    "收入类别",
    "计算基数（元）",
    "应缴（元）",
    "实缴（元）",
    "交纳日期",
    "补交",
    "减免",
    "连续未交（月）",
    "提示",
    "转接",
]
IMPORT_HEADERS = ["公民身份号码", "姓名", "所属月份", "实缴金额", "交纳日期", "说明"]


def roll_rows(data: Roll):
    for number, row in enumerate(data.rows, start=1):
        yield [
            number,
            row.branch,
            row.name,
            row.status,
            row.income_type,
            float(row.base) if row.base is not None else "",
            float(row.due) if row.due is not None else "未核定",
            float(row.paid) if row.paid is not None else "",
            row.paid_on.isoformat() if row.paid_on else "",
            f"补交{row.late_months}个月" if row.late_months else "",
            row.relief,
            row.streak if row.streak else "",
            row.level_label,
            "转出未接收" if row.transfer_out else "",
        ]


def roll_workbook(data: Roll) -> bytes:
    footer = [
        [
            "合计",
            "",
            f"{len(data.rows)}人",
            "",
            "",
            "",
            data.due_total,
            data.paid_total,
            f"已交{data.paid_count}人",
            "",
            "",
            "",
            f"未交{data.unpaid_count}人",
            "",
        ]
    ]
    return tabular.xlsx(
        tabular.Sheet(
            f"{data.month:%Y-%m}",
            ROLL_HEADERS,
            roll_rows(data),
            titles=[f"{data.org.name} {data.month_label}党费收缴表"],
            footer=footer,
            freeze=False,
        )
    )


def roll_export(*, actor, org: Organisation, month: date) -> tuple[str, bytes]:
    """The roll as an .xlsx file (name, bytes); every export is audited."""
    scoping.require(actor, Action.EXPORT, org)
    data = roll(actor=actor, org=org, month=month, action=Action.VIEW)
    content = roll_workbook(data)
    audit.log(
        actor=actor,
        verb="dues.roll_export",
        target=org,
        detail={"month": f"{data.month:%Y-%m}", "rows": len(data.rows)},
    )
    return f"dues-{org.code}-{data.month:%Y-%m}.xlsx", content


def import_template() -> bytes:
    example = ["371102198001010022", "张某某", "2022-09", "32.00", "2022-09-15", ""]
    return tabular.xlsx(tabular.Sheet("党费交纳", IMPORT_HEADERS, [example]))


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"第{self.row}行「{self.column}」：{self.reason}"


class ImportRejected(ValidationError):
    def __init__(self, errors: list[RowError]):
        self.rows = errors
        super().__init__([str(e) for e in errors])


SCHEMA = tabular.Schema(
    columns=(
        tabular.Column(
            "id_number", "公民身份号码", cells.identifier, ("身份证号", "身份证号码", "身份证"), required=True
        ),
        tabular.Column("name", "姓名", cells.text, required=True),
        tabular.Column("month", "所属月份", cells.a_month, ("月份", "交纳月份", "所属期"), required=True),
        tabular.Column("amount", "实缴金额", cells.amount, ("实缴", "金额", "交纳金额"), required=True),
        tabular.Column(
            "paid_on", "交纳日期", cells.a_date, ("交费日期", "缴费日期", "交纳时间"), required=True
        ),
        tabular.Column("note", "说明", cells.text, ("备注",)),
    ),
    max_records=20_000,
)


def _rejected(table: tabular.Table, extra: list[RowError]) -> ImportRejected:
    errors = [
        RowError(record.number, table.label(key) or "整行", reason.rstrip("。"))
        for record in table.records
        for key, reason in record.problems
    ]
    return ImportRejected(sorted(errors + extra, key=lambda e: e.row))


def read_rows(content) -> tabular.Table:
    """The payments file (.xlsx or .csv) read and converted, before any database work."""
    try:
        return tabular.read(content, SCHEMA)
    except ValidationError as exc:
        raise ImportRejected([RowError(1, "文件", text.rstrip("。")) for text in exc.messages]) from exc


def payments_import(*, actor, org: Organisation, content) -> int:
    """Import payments for the members of a branch: all rows or none. The file is read and converted before
    the write transaction begins."""
    scoping.require(actor, Action.MEMBERS, org)
    table = read_rows(content)
    with transaction.atomic():
        return _payments_write(actor=actor, org=org, table=table)


def _payments_write(*, actor, org: Organisation, table: tabular.Table) -> int:
    members = {
        m.id_digest: m
        for m in Member.objects.visible_to(actor, Action.MEMBERS)
        .filter(**subtree_filter(org, "branch"), status__in=PARTY_STATUSES, left_on__isnull=True)
        .select_related("branch")
    }
    ledger = Ledger.load(
        actor=actor,
        action=Action.MEMBERS,
        member_filter=subtree_filter(org),
        branch_paths={m.branch.path for m in members.values()},
    )
    paid = set(
        DuesPayment.objects.visible_to(actor, Action.MEMBERS)
        .filter(**subtree_filter(org))
        .values_list("member_id", "month")
    )
    today = timezone.localdate()
    errors: list[RowError] = []
    planned: list[DuesPayment] = []
    seen: set[tuple[int, date]] = set()
    for record in table.records:
        if record.problems:
            continue
        number, values = record.number, record.values
        member = members.get(digest(values["id_number"]))
        if member is None:
            errors.append(RowError(number, "公民身份号码", "不是本组织的党员（或号码有误）"))
            continue
        if values["name"] != member.name:
            errors.append(RowError(number, "姓名", f"与公民身份号码登记的姓名“{member.name}”不一致"))
        month, paid_on, amount = values["month"], values["paid_on"], values["amount"]
        if paid_on > today:
            errors.append(RowError(number, "交纳日期", "不能晚于今天"))
        elif months.index(paid_on) < months.index(month):
            errors.append(RowError(number, "所属月份", "不能晚于交纳日期的月份（不得预交）"))
        if (member.pk, month) in paid:
            errors.append(RowError(number, "所属月份", f"{member.name}{months.label(month)}的党费已经交过"))
            continue
        if (member.pk, month) in seen:
            errors.append(RowError(number, "所属月份", f"表中{member.name}{months.label(month)}出现了两次"))
            continue
        seen.add((member.pk, month))
        if member.joined_on and months.index(month) < months.index(member.joined_on):
            errors.append(RowError(number, "所属月份", f"早于入党日期{member.joined_on:%Y-%m-%d}"))
            continue
        due = ledger.due(member.pk, member.branch.path, month)
        if due is None:
            errors.append(RowError(number, "所属月份", f"{member.name}该月没有核定的党费计算基数"))
            continue
        planned.append(
            DuesPayment(
                org=member.branch,
                member=member,
                month=month,
                due=due,
                amount=amount,
                paid_on=paid_on,
                note=values.get("note", "")[:200],
                late_months=max(0, months.between(month, paid_on)),
                source=DuesPayment.Source.IMPORT,
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )
        )
    if errors or any(record.problems for record in table.records):
        raise _rejected(table, errors)
    for payment in planned:
        payment.save()
    # Re-select what was written through the actor's scope; roll back on any mismatch, so that an
    # import can never write outside the actor's scope.
    written = (
        DuesPayment.objects.visible_to(actor, Action.MEMBERS).filter(pk__in=[p.pk for p in planned]).count()
    )
    if written != len(planned):
        raise ImportRejected([RowError(0, "文件", "写入结果与权限范围不一致，已全部撤销")])
    audit.log(
        actor=actor,
        verb="dues.import",
        target=org,
        detail={"rows": len(planned), "months": sorted({f"{p.month:%Y-%m}" for p in planned})},
    )
    return len(planned)
