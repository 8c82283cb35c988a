import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from zhibu.reports import assemble, export

from .helpers import meetings

pytestmark = pytest.mark.django_db


def _east_asia(run) -> str | None:
    fonts = run._element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


@pytest.fixture
def document(tree):
    meetings(tree.a, committee=17, general=1)
    content = assemble.build(tree.users.sec_a, tree.a, 2022)
    return Document(io.BytesIO(export.report_docx(content)))


def _paragraph(doc, starts: str):
    return next(p for p in doc.paragraphs if p.text.startswith(starts))


def test_page_and_grid(document):
    section = document.sections[0]
    size = section._sectPr.find(qn("w:pgSz"))
    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")  # A4 in twips
    assert abs(section.top_margin - Mm(37)) < Mm(0.1) and abs(section.bottom_margin - Mm(35)) < Mm(0.1)
    assert abs(section.left_margin - Mm(28)) < Mm(0.1) and abs(section.right_margin - Mm(26)) < Mm(0.1)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert grid.get(qn("w:linePitch")) == "579"
    # 28 characters: 16 pt + charSpace/4096 pt each, over the 156 mm line.
    pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    assert int(156 / 25.4 * 72 / pitch) == 28


def test_fonts_and_sizes_by_level(document):
    title = document.paragraphs[0]
    assert title.text == "2022年度组织生活会党建工作述职评议报告"
    assert title.alignment == 1  # centred
    assert _east_asia(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    h1 = _paragraph(document, "一、")
    assert _east_asia(h1.runs[0]) == "黑体" and h1.runs[0].font.size == Pt(16)
    h2 = _paragraph(document, "（一）履行")
    assert _east_asia(h2.runs[0]) == "楷体_GB2312" and h2.runs[0].font.size == Pt(16)
    body = _paragraph(document, "全年召开支部会")
    assert _east_asia(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size == Pt(16)
    assert body.paragraph_format.first_line_indent == Pt(32)
    date_line = document.paragraphs[-1]
    assert date_line.text == "二〇二三年三月" and date_line.alignment == 2  # right
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_the_figures_are_in_the_document(document):
    assert (
        "全年召开支部会18次（其中支部党员大会1次、支部委员会会议17次）"
        in _paragraph(document, "全年召开支部会").text
    )


def test_page_numbers_odd_right_even_left(document):
    assert document.settings.odd_and_even_pages_header_footer is True
    section = document.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == 2 and even.alignment == 0
    for footer in (odd, even):
        xml = footer._element.xml
        assert "PAGE" in "".join(t.text for t in footer._element.iter(qn("w:instrText")))
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        for run in footer.runs:
            assert _east_asia(run) == "宋体" and run.font.size == Pt(14)


def test_problem_lead_sentence_in_kaiti():
    content = {"blocks": [assemble.block("p", "p", "（一）党建工作缺少整体架构。回顾一年党建工作。")]}
    doc = Document(io.BytesIO(export.report_docx(content)))
    runs = doc.paragraphs[0].runs
    assert [(r.text, _east_asia(r)) for r in runs] == [
        ("（一）党建工作缺少整体架构。", "楷体_GB2312"),
        ("回顾一年党建工作。", "仿宋_GB2312"),
    ]


def test_secretary_line_breaks_become_paragraphs():
    content = {"blocks": [assemble.block("p", "p", "第一段。\n\n第二段。"), assemble.block("d", "date", "")]}
    doc = Document(io.BytesIO(export.report_docx(content)))
    assert [p.text for p in doc.paragraphs] == ["第一段。", "第二段。"]
