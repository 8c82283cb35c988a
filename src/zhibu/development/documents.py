"""Printed forms as .docx in the official layout (GB/T 9704-2012 《党政机关公文格式》): A4, margins 37/28/26/35 mm,
body 3号仿宋_GB2312 (16 pt), title 2号小标宋 (22 pt), the East Asian font set on every run."""

from __future__ import annotations

import io
from datetime import date

from docx import Document as new_document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from zhibu.core.cn import date_cn
from zhibu.orgs.roles import Action

from . import engine, services
from .models import Case, StepPerson
from .workdays import Calendar

BODY_FONT, TITLE_FONT, LATIN_FONT = "仿宋_GB2312", "方正小标宋简体", "Times New Roman"
BODY_SIZE, TITLE_SIZE = Pt(16), Pt(22)


def _font(run, name: str, size) -> None:
    run.font.name = LATIN_FONT
    run.font.size = size
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


def _document():
    doc = new_document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.left_margin = Mm(37), Mm(28)
    section.right_margin, section.bottom_margin = Mm(26), Mm(35)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = LATIN_FONT, BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.line_spacing = Pt(28.9)
    return doc


def _title(doc, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), TITLE_FONT, TITLE_SIZE)


def _para(doc, text: str, *, indent: bool = True, align=None) -> None:
    paragraph = doc.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), BODY_FONT, BODY_SIZE)


def _cell(cell, text: str) -> None:
    _font(cell.paragraphs[0].add_run(text), BODY_FONT, Pt(14))


def _bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def register(actor, case: Case) -> bytes:
    """《入党积极分子培养教育考察登记表》: the person, the dates of the first steps and each half-yearly entry."""
    member = case.member
    entries = services.entries_of(case)
    by_step = {e.step: e for e in entries}
    contacts = ", ".join(
        p.member.name
        for p in StepPerson.objects.visible_to(actor, Action.VIEW)
        .filter(record__case=case, role=StepPerson.Role.CONTACT)
        .select_related("member")
    )
    doc = _document()
    _title(doc, "入党积极分子培养教育考察登记表")
    _para(doc, case.org.name, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    facts = [
        ("姓名", member.name),
        ("性别", member.get_gender_display()),
        ("出生日期", date_cn(member.birth_date)),
        ("工作岗位", member.post or ""),
        ("递交入党申请书时间", date_cn(case.started_on)),
        ("确定为入党积极分子时间", date_cn(by_step[3].on) if 3 in by_step else ""),
        ("培养联系人", contacts),
    ]
    table = doc.add_table(rows=len(facts), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, (label, value) in zip(table.rows, facts, strict=True):
        _cell(row.cells[0], label)
        _cell(row.cells[1], value)
    _para(doc, "培养教育考察情况", indent=False)
    reviews = [e for e in entries if e.step == 6]
    table = doc.add_table(rows=1 + max(len(reviews), 1), cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("考察时间", "考察意见", "备注"), strict=True):
        _cell(cell, text)
    for row, entry in zip(table.rows[1:], reviews, strict=False):
        _cell(row.cells[0], date_cn(entry.on))
        _cell(row.cells[1], entry.details.get("opinion", ""))
        _cell(row.cells[2], "超期：" + entry.overdue_reason if entry.overdue_reason else "")
    _para(
        doc,
        f"党支部（盖章）        {date_cn(services.today())}",
        indent=False,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )
    return _bytes(doc)


def publicity_period(case: Case, start: date | None = None) -> tuple[date, date, int]:
    """The 公示 dates: as recorded at step 7, else starting on `start` for the ruleset's working days."""
    step7 = next((e for e in services.entries_of(case) if e.step == 7), None)
    need = case.rules.publicity_workdays or 5
    calendar = Calendar(case.org)
    if step7 and step7.details.get("publicity_start") and step7.details.get("publicity_end"):
        begin = date.fromisoformat(step7.details["publicity_start"])
        end = date.fromisoformat(step7.details["publicity_end"])
        return begin, end, calendar.count(begin, end)
    begin = start or services.today()
    end = calendar.end_of(begin, need)
    return begin, end, need


def notice(case: Case, start: date | None = None) -> bytes:
    """发展对象公示: who is proposed, their path so far, the 公示 period in working days and where to send views."""
    member = case.member
    entries = services.entries_of(case)
    activist = engine.last_of(entries, 3)
    begin, end, workdays = publicity_period(case, start)
    doc = _document()
    _title(doc, "关于拟确定发展对象的公示")
    _para(
        doc,
        "根据《中国共产党发展党员工作细则》有关规定，经党员推荐、支部委员会研究，"
        "拟将下列同志确定为发展对象，现予以公示：",
    )
    details = (
        f"{member.name}，{member.get_gender_display()}，{date_cn(member.birth_date)}出生，"
        f"{member.post or '本单位职工'}，{date_cn(case.started_on)}递交入党申请书"
    )
    if activist:
        details += f"，{date_cn(activist.on)}被确定为入党积极分子"
    _para(doc, details + "。")
    _para(doc, f"公示时间：{date_cn(begin)}至{date_cn(end)}（{workdays}个工作日）。")
    _para(
        doc,
        "公示期间，党员和群众可通过来电、来信或当面反映等方式，向党支部反映公示对象的有关情况和问题。"
        "反映问题应实事求是，以真实姓名反映的，我们将严格保密。",
    )
    contact = " ".join(x for x in (case.org.contact_name, case.org.contact_phone) if x)
    if contact:
        _para(doc, f"联系人及电话：{contact}")
    _para(doc, case.org.name, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, date_cn(begin), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return _bytes(doc)
