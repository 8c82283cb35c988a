"""Roster import from .xlsx: read every row, validate every row, then write all of it or nothing.

Rows are matched to people already registered by the keyed digest of their 公民身份号码, found with one
query. A known person's row changes only the fields whose cells are filled and differ; a blank cell never
erases what is stored. Importing the same file twice therefore writes nothing the second time.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhibu.audit import services as audit
from zhibu.core.crypto import digest
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action

from . import idnumber, selectors, services
from .columns import BY_HEADER, COLUMNS, HEADER_OF, IGNORED_HEADERS, CellError
from .models import Member, Status, StatusEvent

MAX_ROWS = 5000
MAX_ERRORS = 500
UPDATABLE = ("name", "ethnicity", "education", "post", "phone", "address", "party_group", "party_post",
             "standing", "lost_contact", "lost_contact_since", "mobile", "mobile_destination")
DERIVED = ("status", "status_since", "joined_on", "confirmed_on")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0

    def summary(self) -> str:
        return (f"共 {self.rows} 行：新增 {self.created} 人，更新 {self.updated} 人，"
                f"{self.unchanged} 人无变化。")


_ORDER = {column.header: index for index, column in enumerate(COLUMNS)}


@dataclass
class _Row:
    number: int
    values: dict
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column header or "", reason)
    failed: set[str] = field(default_factory=set)  # headers whose cell could not be read or was empty

    def add(self, header: str, text: str) -> None:
        if header and header in self.failed:
            return  # the cell already has its error; a later check of the same value would repeat it
        if (header, text) not in self.problems:
            self.problems.append((header, text))

    @property
    def errors(self) -> list[str]:
        """Messages in column order: 第3行 公民身份号码：校验位不正确."""
        ordered = sorted(self.problems, key=lambda p: _ORDER.get(p[0], len(_ORDER)))
        return [_message(self.number, header, text) for header, text in ordered]


def read_rows(file) -> list[_Row]:
    """Read the first sheet: the header row, then one _Row per non-empty line (numbered as in Excel)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ValidationError("无法读取该文件：请上传 .xlsx 格式的表格（可先下载导入模板）。") from exc
    try:
        sheet = book.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = next(lines, None)
        headers = [str(cell).strip() if cell is not None else "" for cell in (header or ())]
        while headers and not headers[-1]:
            headers.pop()
        problems = []
        unknown = [h for h in headers if h and h not in BY_HEADER and h not in IGNORED_HEADERS]
        if unknown:
            problems.append(f"第1行 表头：无法识别的列“{'”“'.join(unknown)}”，请使用导入模板的列名。")
        missing = [c.header for c in COLUMNS if c.required and c.header not in headers]
        if missing:
            problems.append(f"第1行 表头：缺少必填列“{'”“'.join(missing)}”。")
        duplicated = sorted({h for h in headers if h and headers.count(h) > 1})
        if duplicated:
            problems.append(f"第1行 表头：列“{'”“'.join(duplicated)}”出现了不止一次。")
        if problems:
            raise ValidationError(problems)
        rows = []
        for number, line in enumerate(lines, start=2):
            cells = {h: line[i] for i, h in enumerate(headers) if h in BY_HEADER and i < len(line)}
            if all(value is None or str(value).strip() == "" for value in cells.values()):
                continue
            if len(rows) >= MAX_ROWS:
                raise ValidationError(f"一次最多导入 {MAX_ROWS} 行，请拆分文件。")
            rows.append(_Row(number, cells))
    finally:
        book.close()
    if not rows:
        raise ValidationError("表格中没有数据行（第1行为表头，从第2行起每行一人）。")
    return rows


def _parse(row: _Row) -> dict:
    parsed = {}
    for header, raw in row.values.items():
        column = BY_HEADER[header]
        try:
            parsed[column.key] = column.read(raw)
        except CellError as exc:
            row.add(column.header, str(exc))
            row.failed.add(column.header)
    for column in COLUMNS:
        if column.required and column.key in parsed and parsed[column.key] in (None, ""):
            row.add(column.header, "必填，不能为空")
            row.failed.add(column.header)
    return parsed


def _message(number: int, header: str, text: str) -> str:
    text = text.rstrip("。")
    return f"第{number}行 {header}：{text}" if header else f"第{number}行：{text}"


def _collect(row: _Row, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            header = HEADER_OF.get(key, "")
            for error in errors:
                for text in error.messages:
                    row.add(header, text)
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
            row.add("公民身份号码", f"与第{first_row[key]}行重复")
            parsed["_skip"] = True
        else:
            first_row[key] = row.number
            parsed["_digest"] = key

    # One query finds who is already registered anywhere (only digests and branch ids leave the database:
    # an ID number is unique across scopes); a second loads the ones the actor may change, with their history.
    known = dict(Member.objects.unscoped().filter(id_digest__in=list(first_row))
                 .values_list("id_digest", "branch_id"))
    mine = {m.id_digest: m for m in Member.objects.visible_to(actor, Action.MEMBERS)
            .filter(id_digest__in=[d for d, b in known.items() if b == branch.pk])
            .select_related("party_group__type")}
    for member in mine.values():
        member.branch = branch  # the same row, already loaded with its type: clean() needs no query
    history: dict[int, dict[str, StatusEvent]] = {}
    for event in StatusEvent.objects.visible_to(actor, Action.MEMBERS).filter(
            member_id__in=[m.pk for m in mine.values()]):
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
                row.add("党小组", f"本支部没有名为“{group_name}”的党小组")
        key = parsed.get("_digest")
        if key in known and key not in mine:
            row.add("公民身份号码", "该人员已在其他党组织登记，不能导入到本支部（如需转入，请先办理组织关系转接）")
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
    return {key: value for key, value in parsed.items()
            if key in UPDATABLE or key in ("id_number", "birth_date", "gender")}


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


def _plan_update(plan: _Plan, row: _Row, parsed: dict, member: Member, events: dict[str, StatusEvent],
                 wanted) -> None:
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
        row.add("人员类别", f"与已登记的类别记录不符（已登记为{Status(derived['status']).label}）")
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


@transaction.atomic
def member_import(*, actor, branch: Organisation, file, filename: str = "") -> ImportResult:
    """Validate every row of an .xlsx roster, then write all rows or none; one audit entry with the counts."""
    scoping.require(actor, Action.MEMBERS, branch)
    if not branch.is_branch:
        raise ValidationError("只能导入到党支部或联合党支部。")
    rows = read_rows(file)
    plan = _plan(actor, branch, rows)
    errors = [message for row in rows for message in row.errors]
    if errors:
        if len(errors) > MAX_ERRORS:
            errors = [*errors[:MAX_ERRORS], f"……另有 {len(errors) - MAX_ERRORS} 处错误未列出。"]
        raise ValidationError(errors)

    now = timezone.now()
    created = Member.objects.unscoped().bulk_create([member for member, _ in plan.new])
    events = [StatusEvent(member=member, status=status, on=on, source="import")
              for member, (_, wanted) in zip(created, plan.new, strict=True) for status, on in wanted]
    StatusEvent.objects.unscoped().bulk_create(events + plan.new_events)
    if plan.moved_events:
        StatusEvent.objects.unscoped().bulk_update(plan.moved_events, ["on"])
    if plan.changed:
        for member in plan.changed:
            member.updated_at = now
        Member.objects.unscoped().bulk_update(plan.changed, sorted(plan.changed_fields | {"updated_at"}))

    # Re-select what was written through the actor's scope; any row not visible undoes the whole import.
    written = set(Member.objects.visible_to(actor, Action.MEMBERS).filter(branch=branch)
                  .values_list("id_digest", flat=True))
    if not plan.digests <= written:
        raise ValidationError("导入后复核未通过：部分记录不在您的权限范围内，已全部撤销。")

    if plan.new or plan.changed or plan.new_events or plan.moved_events:
        services.roster_changed(branch)
    result = ImportResult(created=len(plan.new), updated=plan.updated, unchanged=plan.unchanged,
                          rows=len(rows))
    audit.log(actor=actor, verb="member.import", target=branch,
              detail={"file": filename[:100], "rows": result.rows, "created": result.created,
                      "updated": result.updated, "unchanged": result.unchanged})
    return result
