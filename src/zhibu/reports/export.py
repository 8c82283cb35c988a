"""Exports: the report as a .docx in the GB/T 9704 layout (《党政机关公文格式》).

GB/T 9704 as applied here: A4; margins top 37, bottom 35, left 28, right 26 mm (版心 156 × 225 mm); a document
grid of 22 lines × 28 characters (line pitch 579 twips, character pitch 156 mm / 28); title 2号 (22 pt)
方正小标宋简体 centred; body 3号 (16 pt) 仿宋_GB2312 with a two-character first-line indent; "一、" headings 3号
黑体, "（一）" headings 3号楷体_GB2312 (in a paragraph that starts with "（一）…。" only that lead sentence), "1."
items 3号仿宋; page numbers "— 1 —" in 4号宋体 below the text block, odd pages right and even pages left, one
character in from the edge (odd/even footers switched on in settings). Every run names its East Asian font
(w:eastAsia) so that office suites do not fall back to a Latin font.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
SIZE_2 = 22  # 2号
SIZE_3 = 16  # 3号
SIZE_4 = 14  # 4号
LINE_PITCH = 579  # twips: 225 mm / 22 lines
TEXT_WIDTH_MM = 156
CHARS_PER_LINE = 28
# Character pitch = default size + charSpace / 4096 pt (Word's definition for a lines-and-characters grid).
CHAR_SPACE = round((TEXT_WIDTH_MM / 25.4 * 72 / CHARS_PER_LINE - SIZE_3) * 4096)
# Condense 3号 characters (twentieths of a point) so that 28 fit the 156 mm line: 16 pt − 0.25 pt.
CONDENSE = -5
INDENT = Pt(SIZE_3 * 2)
_PPR_AFTER_SNAP = (
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_RPR_AFTER_SPACING = (
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
_LEAD = re.compile(r"^(（[一二三四五六七八九十]+）[^。：]*[。：])(.*)$", re.S)


def set_font(run, east_asia: str, size: float, latin: str | None = None) -> None:
    run.font.size = Pt(size)
    run.font.name = latin or east_asia  # w:ascii and w:hAnsi
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin or east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def _defaults(doc) -> None:
    """Document defaults and the Normal style: 3号仿宋, Chinese language, no spacing around paragraphs."""
    normal = doc.styles["Normal"]
    normal.font.size = Pt(SIZE_3)
    normal.font.name = BODY_FONT
    r_pr = normal.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    r_pr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    # The grid's 22 lines × 28 characters, written so that every office suite lays it out alike: an exact
    # line pitch of 579 twips and characters condensed to the grid's pitch (LibreOffice would otherwise give
    # each 3号 character two grid cells). The section keeps its docGrid for Word's page setup.
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH / 20)
    _no_grid(normal.element.get_or_add_pPr())
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CONDENSE))
    r_pr.insert_element_before(spacing, *_RPR_AFTER_SPACING)
    # Document defaults too, so that the grid's character pitch is computed from 3号.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        rpr = rpr_default.find(qn("w:rPr")) if rpr_default is not None else None
        if rpr is not None:
            for tag in ("w:sz", "w:szCs"):
                el = rpr.find(qn(tag))
                if el is None:
                    el = OxmlElement(tag)
                    rpr.append(el)
                el.set(qn("w:val"), str(SIZE_3 * 2))
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is not None:
                for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                    fonts.attrib.pop(qn(attr), None)
                for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                    fonts.set(qn(attr), BODY_FONT)


def _page(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(23)  # the "— 1 —" line sits about 7 mm below the text block
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    doc.settings.odd_and_even_pages_header_footer = True
    section.different_first_page_header_footer = False
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _field(paragraph, instruction: str) -> None:
    def fld(kind: str):
        run = paragraph.add_run()
        set_font(run, PAGE_FONT, SIZE_4)
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._element.append(el)
        return run

    fld("begin")
    run = paragraph.add_run()
    set_font(run, PAGE_FONT, SIZE_4)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._element.append(instr)
    fld("separate")
    shown = paragraph.add_run("1")
    set_font(shown, PAGE_FONT, SIZE_4)
    fld("end")


def _page_number(paragraph, alignment) -> None:
    paragraph.alignment = alignment
    fmt = paragraph.paragraph_format
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = Pt(SIZE_4)
    else:
        fmt.left_indent = Pt(SIZE_4)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(SIZE_4)
    _no_grid(paragraph._element.get_or_add_pPr())
    run = paragraph.add_run("— ")
    set_font(run, PAGE_FONT, SIZE_4)
    _field(paragraph, "PAGE")
    run = paragraph.add_run(" —")
    set_font(run, PAGE_FONT, SIZE_4)


def _no_grid(p_pr) -> None:
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    p_pr.insert_element_before(snap, *_PPR_AFTER_SNAP)


def _paragraph(
    doc,
    text: str,
    font: str,
    size: float,
    *,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent=INDENT,
    right_indent=None,
):
    paragraph = doc.add_paragraph()
    paragraph.alignment = align
    if indent is not None:
        paragraph.paragraph_format.first_line_indent = indent
    if right_indent is not None:
        paragraph.paragraph_format.right_indent = right_indent
    match = _LEAD.match(text) if font == BODY_FONT else None
    if match:
        set_font(paragraph.add_run(match.group(1)), H2_FONT, size)
        if match.group(2):
            set_font(paragraph.add_run(match.group(2)), font, size)
    else:
        set_font(paragraph.add_run(text), font, size)
    return paragraph


def report_docx(content: dict, *, title: str = "", author: str = "") -> bytes:
    """The report content (blocks) as a .docx file."""
    doc = Document()
    _defaults(doc)
    _page(doc)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):  # the template's empty first paragraph
        body.remove(p)
    for b in content.get("blocks", []):
        lines = [line.strip() for line in (b.get("text") or "").split("\n") if line.strip()]
        if not lines:
            continue
        kind = b.get("kind")
        for line in lines:
            if kind == "title":
                _paragraph(doc, line, TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, indent=None)
            elif kind == "author":
                _paragraph(doc, line, H2_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER, indent=None)
            elif kind == "h1":
                _paragraph(doc, line, H1_FONT, SIZE_3)
            elif kind == "h2":
                _paragraph(doc, line, H2_FONT, SIZE_3)
            elif kind == "date":
                _paragraph(
                    doc,
                    line,
                    BODY_FONT,
                    SIZE_3,
                    align=WD_ALIGN_PARAGRAPH.RIGHT,
                    indent=None,
                    right_indent=INDENT * 2,
                )
            else:
                _paragraph(doc, line, BODY_FONT, SIZE_3)
        if kind == "author":
            doc.add_paragraph()  # one empty line between the heading block and the text
        if kind == "closing" or b.get("key") == "closing":
            doc.add_paragraph()
    props = doc.core_properties
    props.title = title or next(
        (b["text"] for b in content.get("blocks", []) if b.get("kind") == "title"), ""
    )
    props.author = author
    props.language = "zh-CN"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
