"""Reads of 发展党员纪实 shared by pages, API and CLI. Everything goes through visible_to(actor, action)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, Q

from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.people.models import Member, Status

from . import engine, services
from . import ruleset as rs
from .models import Case, Document, StepRecord

STAGE_KEYS = [
    ("1", rs.STAGES[1]),
    ("2", rs.STAGES[2]),
    ("3", rs.STAGES[3]),
    ("4", rs.STAGES[4]),
    ("5", rs.STAGES[5]),
    ("done", "已归档"),
    ("closed", "已终止"),
]


def _subtree(queryset, org: Organisation, field: str = "org"):
    low, high = org.subtree_bounds()
    return queryset.filter(**{f"{field}__path__gte": low, f"{field}__path__lte": high})


def cases(actor, *, org: Organisation | None = None, action: str = Action.VIEW):
    queryset = Case.objects.visible_to(actor, action).select_related("member", "org")
    return _subtree(queryset, org) if org is not None else queryset


def case_get(actor, pk: int, action: str = Action.VIEW) -> Case:
    case = (
        Case.objects.visible_to(actor, action)
        .select_related("member", "org", "org__type")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return case


def record_get(actor, pk: int, action: str = Action.MEMBERS) -> StepRecord:
    record = (
        StepRecord.objects.visible_to(actor, action)
        .select_related("case", "case__member", "case__org")
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return record


def document_get(actor, pk: int, action: str = Action.MEMBERS) -> Document:
    document = (
        Document.objects.visible_to(actor, action).select_related("case", "case__org").filter(pk=pk).first()
    )
    if document is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return document


def applicants_without_case(actor, branch: Organisation):
    return (
        Member.objects.visible_to(actor, Action.MEMBERS)
        .filter(branch=branch, status=Status.APPLICANT)
        .filter(development_case__isnull=True)
        .order_by("name_pinyin")
    )


def groups_of(branch: Organisation):
    """The 党小组 directly under a branch."""
    low, high = branch.subtree_bounds()
    return Organisation.objects.filter(
        path__gt=low, path__lte=high, depth=branch.depth + 1, type__level="group"
    ).order_by("path")


def party_members(actor, branch: Organisation):
    """Who may be picked as 培养联系人 / 入党介绍人 (the checks then look at their status on the step's date)."""
    return (
        Member.objects.visible_to(actor, Action.VIEW)
        .filter(branch=branch, status__in=[Status.PROBATIONARY, Status.FULL])
        .order_by("name_pinyin")
    )


# ---------------------------------------------------------------------------------------------- one case


@dataclass
class StepRow:
    number: int
    stage: int
    name: str
    article: str
    records: list = field(default_factory=list)


@dataclass
class CaseView:
    case: Case
    ruleset: rs.Ruleset
    rows: list[StepRow]
    next_step: rs.Step | None
    window: engine.Window | None
    repeat: rs.Step | None  # another 考察 entry may be added
    checklist: list[tuple[str, str, list]]  # (code, label, documents)
    overdue: bool
    days_overdue: int = 0


def record_facts(record: StepRecord) -> list[tuple[str, str]]:
    """A step's inputs as (label, text) pairs for pages and the API."""
    names = {p.member_id: p.member.name for p in record.people.all()}
    facts = []
    for name, value in record.details.items():
        label, kind = rs.FIELDS.get(name, (name, "text"))
        if kind.startswith("choice:"):
            value = dict(rs.CHOICES[kind[7:]]).get(value, value)
        elif kind == "members":
            value = "、".join(names.get(i, str(i)) for i in value)
        elif kind == "checklist":
            value = f"{len(value)} 项已归档"
        elif kind == "group":
            value = Organisation.objects.filter(pk=value).values_list("name", flat=True).first() or ""
        facts.append((label, str(value)))
    return facts


def case_view(actor, case: Case, *, today: date | None = None) -> CaseView:
    today = today or services.today()
    rules = case.rules
    records = list(
        case.steps.order_by("step", "round").prefetch_related("people__member").select_related("vote")
    )
    entries = services.entries_of(case)
    rows = [StepRow(s.number, s.stage, s.name, rules.cite(s.article)) for s in rules.steps.values()]
    for record in records:
        record.facts = record_facts(record)
        rows[record.step - 1].records.append(record)
    next_step = rules.step(case.next_step) if case.next_step else None
    span = engine.window(rules, entries, case.next_step) if case.next_step else None
    if span and span.earliest and span.latest and span.earliest > span.latest:
        span.reasons.insert(
            0, f"最迟期限{span.latest:%Y-%m-%d}已过，本步骤已超期：按顺序尽快办理，保存时须填写超期原因。"
        )
        span.latest = None
    repeat = None
    if case.is_open:
        for step, round_ in engine.allowed_positions(entries):
            if round_ > 1 and step in (6, 21):
                repeat = rules.step(step)
    documents = list(Document.objects.visible_to(actor, Action.VIEW).filter(case=case))
    checklist = [
        (code, label, [d for d in documents if d.kind == code]) for code, label in rs.DOCUMENTS.items()
    ]
    overdue = bool(case.is_open and case.due_by and case.due_by < today)
    days = (today - case.due_by).days if overdue and case.due_by else 0
    return CaseView(case, rules, rows, next_step, span, repeat, checklist, overdue, days)


# ---------------------------------------------------------------------------------------------- pipeline


@dataclass
class DueItem:
    case_id: int
    member: str
    org_code: str
    org: str
    what: str
    due_from: date | None
    due_by: date | None
    overdue: bool
    days_left: int | None
    from_what: str = ""  # the step the earliest date belongs to, when it is not the step of the deadline

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.overdue and self.days_left is not None else 0

    def as_dict(self) -> dict:
        return {
            "case": self.case_id,
            "member": self.member,
            "org": self.org_code,
            "org_name": self.org,
            "what": self.what,
            "due_from": self.due_from.isoformat() if self.due_from else None,
            "due_from_what": self.from_what or self.what,
            "due_by": self.due_by.isoformat() if self.due_by else None,
            "overdue": self.overdue,
            "days_left": self.days_left,
            "days_overdue": self.days_overdue,
        }


def stage_counts(actor, org: Organisation) -> dict[str, int]:
    """Cases per stage in the organisation's subtree (open cases by stage, then archived and closed)."""
    open_ = Q(closed_on__isnull=True, completed_on__isnull=True)
    aggregates = {str(n): Count("id", filter=open_ & Q(stage=n)) for n in rs.STAGES}
    aggregates["done"] = Count("id", filter=Q(completed_on__isnull=False, closed_on__isnull=True))
    aggregates["closed"] = Count("id", filter=Q(closed_on__isnull=False))
    return cases(actor, org=org).order_by().aggregate(**aggregates)


def branch_counts(actor, org: Organisation) -> list[dict]:
    """Open cases per branch and stage below a committee."""
    rows = (
        cases(actor, org=org)
        .filter(closed_on__isnull=True, completed_on__isnull=True)
        .order_by()
        .values("org__code", "org__short_name", "org__name", "stage")
        .annotate(n=Count("id"))
    )
    table: dict[str, dict] = {}
    for row in rows:
        entry = table.setdefault(
            row["org__code"],
            {
                "code": row["org__code"],
                "name": row["org__short_name"] or row["org__name"],
                "stages": [0] * len(rs.STAGES),
                "total": 0,
            },
        )
        entry["stages"][row["stage"] - 1] += row["n"]
        entry["total"] += row["n"]
    return sorted(table.values(), key=lambda e: e["code"])


def overdue_count(actor, org: Organisation, *, today: date | None = None) -> int:
    today = today or services.today()
    return (
        cases(actor, org=org)
        .filter(closed_on__isnull=True, completed_on__isnull=True, due_by__lt=today)
        .count()
    )


def due(
    actor, org: Organisation, *, days: int = 30, today: date | None = None, limit: int | None = 200
) -> tuple[list[DueItem], int]:
    """What falls due within `days` (a deadline, or a step becoming possible) or is overdue. Returns the first
    `limit` items, most urgent first, and the total."""
    today = today or services.today()
    horizon = today + timedelta(days=days)
    queryset = (
        cases(actor, org=org)
        .filter(closed_on__isnull=True, completed_on__isnull=True)
        .filter(Q(due_by__lte=horizon) | Q(due_from__gte=today, due_from__lte=horizon))
        .order_by(F("due_by").asc(nulls_last=True), F("due_from").asc(nulls_last=True), "id")
    )
    total = queryset.count()
    rows = queryset.values(
        "id",
        "member__name",
        "org__code",
        "org__short_name",
        "org__name",
        "due_label",
        "due_from_label",
        "due_from",
        "due_by",
        "ruleset",
        "next_step",
        "probation_end",
    )
    if limit is not None:
        rows = rows[:limit]
    items = []
    for row in rows:
        due_by = row["due_by"] if row["due_by"] and row["due_by"] <= horizon else None
        what = row["due_label"]
        if due_by is None and row["due_from"]:
            name = rs.get(row["ruleset"]).step(row["next_step"]).name
            what = f"第{row['next_step']}步 {name}（{'预备期满' if row['next_step'] == 22 else '可以办理'}）"
        from_what = (
            row["due_from_label"] if row["due_from"] and row["due_from_label"] != row["due_label"] else ""
        )
        items.append(
            DueItem(
                row["id"],
                row["member__name"],
                row["org__code"],
                row["org__short_name"] or row["org__name"],
                what,
                row["due_from"],
                due_by,
                bool(due_by and due_by < today),
                (due_by - today).days if due_by else None,
                from_what if due_by else "",
            )
        )
    items.sort(key=lambda i: (not i.overdue, i.due_by or i.due_from or today))
    return items, total


def pipeline(
    actor, org: Organisation, *, days: int = 30, today: date | None = None, limit: int = 200
) -> dict:
    items, total = due(actor, org, days=days, today=today, limit=limit)
    counts = stage_counts(actor, org)
    return {
        "org": org,
        "counts": [(key, label, counts[key]) for key, label in STAGE_KEYS],
        "due": items,
        "due_total": total,
        "overdue": overdue_count(actor, org, today=today),
        "days": days,
        "branches": branch_counts(actor, org) if not org.is_branch else [],
        "open_cases": (
            list(
                cases(actor, org=org)
                .filter(closed_on__isnull=True, completed_on__isnull=True)
                .order_by("stage", "started_on")[:200]
            )
            if org.is_branch
            else []
        ),
    }
