"""Roster import from .xlsx or .csv: read every row (through the tabular core, before any transaction), validate
every row, then write all of it or nothing in one short transaction.

Rows are matched to people already registered by the keyed digest of their 公民身份号码, found with one
query. A known person's row changes only the fields whose cells are filled and differ; a blank cell never
erases what is stored. Importing the same file twice therefore writes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhibu.audit import services as audit
from zhibu.core import tabular
from zhibu.core.crypto import digest
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action

from . import idnumber, selectors, services
from .columns import HEADER_OF, SCHEMA
from .models import Member, Status, StatusEvent

MAX_ROWS = SCHEMA.max_records
UPDATABLE = (
    "name",
    "ethnicity",
    "education",
    "post",
    "phone",
    "address",
    "party_group",
    "party_post",
    "standing",
    "lost_contact",
    "lost_contact_since",
    "mobile",
    "mobile_destination",
)
DERIVED = ("status", "status_since", "joined_on", "confirmed_on")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0

    def summary(self) -> str:
        return (
            f"共 {self.rows} 行：新增 {self.created} 人，更新 {self.updated} 人，{self.unchanged} 人无变化。"
        )


_Row = tabular.Record


def read_rows(file, filename: str = "") -> tabular.Table:
    """Read the first sheet (or a CSV file): the header row wherever it is below titles and notes, then one
    record per non-empty row (numbered as in Excel), every cell converted. Nothing touches the database."""
    return tabular.read(file, SCHEMA, filename=filename)


def _parse(row: _Row) -> dict:
    return dict(row.values)


def _collect(row: _Row, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            column = key if key in HEADER_OF else ""
            for error in errors:
                for text in error.messages:
                    row.add(column, text)
    else:
        for text in exc.messages:
            row.add("", text)


def _dates(parsed: dict) -> dict[str, date | None]:
    return {key: parsed.get(key) for key in services.DATE_KEYS}


@dataclass
class _Plan:
    new: list[tuple[Member, list[tuple[str, date]]]] = field(default_factory=list)
    changed: list[Member] = field(default_factory=list)
    changed_fields: set[str] = field(default_factory=set)
    new_events: list[StatusEvent] = field(default_factory=list)
    moved_events: list[StatusEvent] = field(default_factory=list)
    updated: int = 0
    unchanged: int = 0
    digests: set[str] = field(default_factory=set)


def _plan(actor, branch: Organisation, rows: list[_Row]) -> _Plan:
    groups = {}
    for group in selectors.party_groups(branch):
        for name in (group.name, group.short_name, group.code):
            if name:
                groups[name] = group
    parsed_rows = [(row, _parse(row)) for row in rows]

    # Digests of every readable ID number, duplicates inside the file refused.
    first_row: dict[str, int] = {}
    for row, parsed in parsed_rows:
        try:
            value = idnumber.parse(parsed.get("id_number", "")).value
        except idnumber.IdNumberError:
            continue
        key = digest(value)
        if key in first_row:
            row.add("id_number", f"与第{first_row[key]}行重复")
            parsed["_skip"] = True
        else:
            first_row[key] = row.number
            parsed["_digest"] = key

    # One query finds who is already registered anywhere (only digests and branch ids leave the database:
    # an ID number is unique across scopes); a second loads the ones the actor may change, with their history.
    known = dict(
        Member.objects.unscoped().filter(id_digest__in=list(first_row)).values_list("id_digest", "branch_id")
    )
    mine = {
        m.id_digest: m
        for m in Member.objects.visible_to(actor, Action.MEMBERS)
        .filter(id_digest__in=[d for d, b in known.items() if b == branch.pk])
        .select_related("party_group__type")
    }
    for member in mine.values():
        member.branch = branch  # the same row, already loaded with its type: clean() needs no query
    history: dict[int, dict[str, StatusEvent]] = {}
    for event in StatusEvent.objects.visible_to(actor, Action.MEMBERS).filter(
        member_id__in=[m.pk for m in mine.values()]
    ):
        history.setdefault(event.member_id, {})[event.status] = event

    plan = _Plan()
    for row, parsed in parsed_rows:
        if parsed.get("_skip"):
            continue
        group_name = parsed.pop("party_group", "")
        if group_name:
            if group_name in groups:
                parsed["party_group"] = groups[group_name]
            else:
                row.add("party_group", f"本支部没有名为“{group_name}”的党小组")
        key = parsed.get("_digest")
        if key in known and key not in mine:
            row.add(
                "id_number", "该人员已在其他党组织登记，不能导入到本支部（如需转入，请先办理组织关系转接）"
            )
            continue
        status = parsed.get("status", "")
        try:
            wanted = services.history_from_dates(status, _dates(parsed)) if status else []
        except ValidationError as exc:
            _collect(row, exc)
            wanted = []
        if key in mine:
            _plan_update(plan, row, parsed, mine[key], history.get(mine[key].pk, {}), wanted)
        else:
            _plan_create(plan, row, parsed, branch, wanted)
    return plan


def _fields(parsed: dict) -> dict:
    return {
        key: value
        for key, value in parsed.items()
        if key in UPDATABLE or key in ("id_number", "birth_date", "gender")
    }


def _plan_create(plan: _Plan, row: _Row, parsed: dict, branch: Organisation, wanted) -> None:
    values = {k: v for k, v in _fields(parsed).items() if v not in (None, "")}
    member = Member(branch=branch, **values)
    try:
        services.prepare(member)
    except ValidationError as exc:
        _collect(row, exc)
    birth = services.birth_date_of(member)
    if wanted and birth:
        try:
            services.validate_history(birth, wanted)
        except ValidationError as exc:
            _collect(row, exc)
    if row.problems:
        return
    for name, value in services.derive(wanted).items():
        setattr(member, name, value)
    plan.new.append((member, wanted))
    plan.digests.add(member.id_digest)


def _plan_update(
    plan: _Plan, row: _Row, parsed: dict, member: Member, events: dict[str, StatusEvent], wanted
) -> None:
    changed = set()
    for key, value in _fields(parsed).items():
        if value in (None, "") or key in ("id_number", "birth_date", "gender"):
            continue
        current = member.party_group if key == "party_group" else getattr(member, key)
        if current != value:
            setattr(member, key, value)
            changed.add(key)
    if "name" in changed:
        changed |= {"name_pinyin", "name_initials"}
    # Typed birth date and sex are cross-checked against the stored ID number by prepare().
    member.birth_date = parsed.get("birth_date") or member.birth_date
    member.gender = parsed.get("gender") or member.gender
    try:
        services.prepare(member)
    except ValidationError as exc:
        _collect(row, exc)
    merged = {status: event.on for status, event in events.items()}
    merged.update(dict(wanted))
    merged_events = sorted(merged.items(), key=lambda item: services.STATUS_ORDER.index(item[0]))
    try:
        services.validate_history(member.birth_date, merged_events)
    except ValidationError as exc:
        _collect(row, exc)
    derived = services.derive(merged_events)
    if wanted and derived["status"] != wanted[-1][0]:
        row.add("status", f"与已登记的类别记录不符（已登记为{Status(derived['status']).label}）")
    if row.problems:
        return
    history_changed = False
    for status, on in wanted:
        if status not in events:
            plan.new_events.append(StatusEvent(member=member, status=status, on=on, source="import"))
            history_changed = True
        elif events[status].on != on:
            events[status].on = on
            plan.moved_events.append(events[status])
            history_changed = True
    for name in DERIVED:
        if getattr(member, name) != derived[name]:
            setattr(member, name, derived[name])
            changed.add(name)
    if changed:
        plan.changed.append(member)
        plan.changed_fields |= changed
    if changed or history_changed:
        plan.updated += 1
    else:
        plan.unchanged += 1
    plan.digests.add(member.id_digest)


def member_import(*, actor, branch: Organisation, file, filename: str = "") -> ImportResult:
    """Validate every row of an .xlsx or .csv roster, then write all rows or none; one audit entry.

    The file is read and converted before any transaction begins (SQLite takes its write lock at BEGIN), so
    a large or hostile file never holds up other users' writes; the plan and the writes share one short
    transaction."""
    scoping.require(actor, Action.MEMBERS, branch)
    if not branch.is_branch:
        raise ValidationError("只能导入到党支部或联合党支部。")
    table = read_rows(file, filename)
    with transaction.atomic():
        return _write(actor, branch, table, filename)


def _write(actor, branch: Organisation, table: tabular.Table, filename: str) -> ImportResult:
    rows = table.records
    plan = _plan(actor, branch, rows)
    table.raise_errors()

    now = timezone.now()
    created = Member.objects.unscoped().bulk_create([member for member, _ in plan.new])
    events = [
        StatusEvent(member=member, status=status, on=on, source="import")
        for member, (_, wanted) in zip(created, plan.new, strict=True)
        for status, on in wanted
    ]
    StatusEvent.objects.unscoped().bulk_create(events + plan.new_events)
    if plan.moved_events:
        StatusEvent.objects.unscoped().bulk_update(plan.moved_events, ["on"])
    if plan.changed:
        for member in plan.changed:
            member.updated_at = now
        Member.objects.unscoped().bulk_update(plan.changed, sorted(plan.changed_fields | {"updated_at"}))

    # Re-select what was written through the actor's scope; any row not visible undoes the whole import.
    written = set(
        Member.objects.visible_to(actor, Action.MEMBERS)
        .filter(branch=branch)
        .values_list("id_digest", flat=True)
    )
    if not plan.digests <= written:
        raise ValidationError("导入后复核未通过：部分记录不在您的权限范围内，已全部撤销。")

    if plan.new or plan.changed or plan.new_events or plan.moved_events:
        services.roster_changed(branch)
    result = ImportResult(
        created=len(plan.new), updated=plan.updated, unchanged=plan.unchanged, rows=len(rows)
    )
    audit.log(
        actor=actor,
        verb="member.import",
        target=branch,
        detail={
            "file": filename[:100],
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
    )
    return result
