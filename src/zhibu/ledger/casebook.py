"""Two more 台账 written from records: the 发展党员 纪实 of one case (every step with its date, the people
in it, the vote and the documents) and the 党费 收缴台账 of a year (each member's payment for each month)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from zhibu.development.models import Case, Document, StepPerson, StepRecord, Vote
from zhibu.dues.models import DuesPayment
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.reports.export import report_docx

from . import exporting


@dataclass
class Entry:
    record: StepRecord
    people: list[str]
    vote: Vote | None
    documents: list[str]

    def lines(self) -> list[str]:
        r = self.record
        out = [f"日期：{r.on:%Y年%m月%d日}"]
        if self.people:
            out.append("参与：" + "、".join(self.people))
        if self.vote is not None:
            v = self.vote
            out.append(
                f"表决：应到会有表决权党员{v.expected}人，实到{v.present}人，书面意见{v.written}份；"
                f"赞成{v.yes}票，反对{v.no}票，弃权{v.abstain}票。"
            )
        if r.overdue:
            out.append(f"超期说明：{r.overdue_reason or '未说明'}")
        if r.note:
            out.append(f"备注：{r.note}")
        if self.documents:
            out.append("材料：" + "、".join(self.documents))
        return out


@dataclass
class CaseBook:
    case: Case
    entries: list[Entry]

    @property
    def title(self) -> str:
        return f"发展党员工作纪实：{self.case.member.name}"


def case_book(actor, pk: int) -> CaseBook:
    case = Case.objects.visible_to(actor, Action.VIEW).select_related("member", "org").filter(pk=pk).first()
    if case is None:
        raise scoping.NotVisible("不存在或无权访问。")
    records = list(
        StepRecord.objects.visible_to(actor, Action.VIEW)
        .filter(case=case)
        .select_related("case")
        .order_by("on", "step", "round")
    )
    people: dict[int, list[str]] = defaultdict(list)
    for record_id, name, role in (
        StepPerson.objects.visible_to(actor, Action.VIEW)
        .filter(record__case=case)
        .order_by("id")
        .values_list("record_id", "member__name", "role")
    ):
        people[record_id].append(f"{name}（{StepPerson.Role(role).label}）")
    votes = {v.record_id: v for v in Vote.objects.visible_to(actor, Action.VIEW).filter(record__case=case)}
    documents: dict[int | None, list[str]] = defaultdict(list)
    for record_id, name in (
        Document.objects.visible_to(actor, Action.VIEW)
        .filter(case=case)
        .order_by("uploaded_at", "id")
        .values_list("record_id", "name")
    ):
        documents[record_id].append(name)
    entries = [Entry(r, people[r.pk], votes.get(r.pk), documents[r.pk]) for r in records]
    if documents[None]:
        entries.append(Entry(StepRecord(case=case, step=0, on=case.started_on), [], None, documents[None]))
    return CaseBook(case=case, entries=entries)


def entry_title(entry: Entry) -> str:
    return entry.record.name if entry.record.step else "其他材料"


def case_book_docx(book: CaseBook) -> bytes:
    c = book.case
    blocks = [
        {"kind": "title", "text": book.title},
        {"kind": "author", "text": c.org.name},
        {"kind": "p", "text": f"{c.started_on:%Y年%m月%d日}递交入党申请书，现处于“{c.stage_label}”阶段。"},
    ]
    for entry in book.entries:
        blocks.append({"kind": "h1", "text": entry_title(entry)})
        blocks.append({"kind": "p", "text": "\n".join(entry.lines())})
    return report_docx({"blocks": blocks}, title=book.title, author=c.org.name)


def dues_ledger_xlsx(actor, org: Organisation, year: int) -> tuple[bytes, int]:
    """党费收缴台账 of a year: a row per member who paid, the amount for each month (by the month it belongs to),
    and the year's total. Returns the file and the number of members."""
    scoping.require(actor, Action.EXPORT, org)
    low, high = org.subtree_bounds()
    paid: dict[tuple, dict[int, Decimal]] = defaultdict(dict)
    for branch, name, member_id, month, amount in (
        DuesPayment.objects.visible_to(actor, Action.VIEW)
        .filter(
            org__path__gte=low, org__path__lte=high, month__gte=date(year, 1, 1), month__lte=date(year, 12, 1)
        )
        .values_list("org__name", "member__name", "member_id", "month")
        .annotate(total=Sum("amount"))
        .order_by("org__path", "member__name_pinyin", "member_id", "month")
    ):
        paid[(branch, name, member_id)][month.month] = amount
    columns = (
        [("党支部", "branch"), ("姓名", "name")]
        + [(f"{m}月", f"m{m}") for m in range(1, 13)]
        + [("合计", "total")]
    )
    definition = {
        "title_rows": [f"{org.name}{year}年党费收缴台账（单位：元）"],
        "columns": [{"header": h, "field": k, "format": "", "mapping": {}} for h, k in columns],
    }
    rows = []
    for (branch, name, _), months in paid.items():
        row = {"branch": branch, "name": name, "total": float(sum(months.values()))}
        row.update({f"m{m}": float(months[m]) if m in months else "" for m in range(1, 13)})
        rows.append(row)
    return exporting.render(definition, rows, fmt="xlsx", org_name=org.name, period=f"{year}年"), len(rows)
