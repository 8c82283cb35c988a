"""Roster export to .xlsx or .csv through the tabular core (masked by default) and the blank import template.
Every export is audited."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from zhibu.audit import services as audit
from zhibu.core import tabular
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action

from . import selectors, services
from .codes import ethnicity_name
from .columns import COLUMNS
from .models import Member, StatusEvent

EXPORT_HEADERS = ["序号", "所在党支部", *[column.header for column in COLUMNS]]
_BOLD = Font(bold=True)
_REQUIRED = PatternFill("solid", fgColor="FDECEA")


def _cell(member: Member, key: str, dates: dict, full: bool):
    if key == "id_number":
        return member.id_number if full else member.id_number_masked
    if key == "phone":
        return member.phone if full else member.phone_masked
    if key == "address":
        return member.address if full else member.address_masked
    if key == "birth_date" and not full:  # with the masked number, a full date narrows it to one person
        return member.birth_date.year if member.birth_date else ""
    if key == "gender":
        return member.get_gender_display()
    if key == "ethnicity":
        return ethnicity_name(member.ethnicity)
    if key in ("education", "party_post", "standing", "status"):
        return getattr(member, f"get_{key}_display")()
    if key in services.DATE_KEYS:
        return dates.get(key)
    if key == "party_group":
        return member.party_group.name if member.party_group_id else ""
    if key in ("lost_contact", "mobile"):
        return "是" if getattr(member, key) else "否"
    return getattr(member, key)


def rows(members: Iterable[Member], full: bool) -> Iterator[list]:
    """One list of cell values per member, in EXPORT_HEADERS order."""
    keys = [column.key for column in COLUMNS]
    by_status = {status: key for status, (key, _) in services.STATUS_DATES.items()}
    for number, member in enumerate(members, start=1):
        dates = {by_status[event.status]: event.on for event in member.status_events.all()}
        yield [number, member.branch.name, *[_cell(member, key, dates, full) for key in keys]]


def _sheet_setup(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def member_export(*, actor, org: Organisation, full: bool = False, fmt: str = "xlsx") -> tuple[bytes, int]:
    """The roster of an organisation's subtree as .xlsx (or "csv": UTF-8 with a byte-order mark). Personal data
    is masked unless `full` is asked for, which needs Action.PII. Returns the file and the number of people;
    writes one audit entry either way."""
    scoping.require(actor, Action.EXPORT, org)
    if full:
        scoping.require(actor, Action.PII, org)
    members = (
        selectors.member_list(actor, org, action=Action.EXPORT)
        .select_related("branch", "party_group")
        .prefetch_related(
            Prefetch(
                "status_events", queryset=StatusEvent.objects.visible_to(actor, Action.EXPORT).order_by("on")
            )
        )
    )
    sheet = tabular.Sheet(
        "党员名册", EXPORT_HEADERS, rows(members, full), widths=[6, 24, *[column.width for column in COLUMNS]]
    )
    content = tabular.render(sheet, fmt)
    detail = {"count": sheet.count, "full": full}
    if fmt != "xlsx":
        detail["format"] = fmt
    audit.log(actor=actor, verb="member.export", target=org, detail=detail)
    return content, sheet.count


def template_bytes() -> bytes:
    """The blank import template: the header row (required columns shaded), drop-downs for coded columns,
    text format for ID numbers and phones, and a second sheet explaining each column."""
    book = Workbook()
    sheet = book.active
    sheet.title = "党员名册"
    _sheet_setup(sheet, [column.width for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = _BOLD
        if column.required:
            cell.fill = _REQUIRED
        letter = get_column_letter(index)
        if column.key in ("id_number", "phone"):
            for row in range(2, 1002):
                sheet[f"{letter}{row}"].number_format = "@"
        if column.choices:
            rule = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="不是可选值",
                error="请从下拉列表中选择。",
            )
            rule.add(f"{letter}2:{letter}1001")
            sheet.add_data_validation(rule)
    notes = book.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "说明"])
    for cell in notes[1]:
        cell.font = _BOLD
    for column in COLUMNS:
        notes.append([column.header, "必填" if column.required else "选填", column.note])
    notes.append([])
    notes.append(
        [
            "",
            "",
            "第1行为表头，从第2行起每行一人；同一文件可重复导入，已登记的人员按公民身份号码匹配，"
            "只更新填写了且有变化的内容，空白单元格不会清除已有信息。",
        ]
    )
    _sheet_setup(notes, [18, 10, 80])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
