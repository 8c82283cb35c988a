"""The tabular core: cells as people type them, files as people keep them, limits that hold against crafted
files, and exports that no spreadsheet runs as formulas."""

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from zhibu.core import tabular
from zhibu.core.tabular import cells
from zhibu.core.tabular.reading import Limits, TooLarge, read_sheet

# ---------------------------------------------------------------------------------------------- cells


@pytest.mark.parametrize(
    "raw",
    [
        "2019.07.01",
        "2019/7/1",
        "2019年7月1日",
        "2019-07-01",
        "20190701",
        "２０１９年７月１日",
        " 2019-07-01 ",
        datetime(2019, 7, 1, 8, 30),
        date(2019, 7, 1),
        43647,
    ],
)
def test_dates_as_people_write_them(raw):
    assert cells.a_date(raw) == date(2019, 7, 1)


@pytest.mark.parametrize("raw", ["2019-13-01", "2019-02-30", "七月一日", "2019-07"])
def test_a_date_that_is_not_one_is_refused_in_chinese(raw):
    with pytest.raises(cells.CellError) as exc:
        cells.a_date(raw)
    assert str(exc.value) == f"“{raw}”不是有效日期，请写成 2022-06-01 的格式。"


def test_blank_cells_read_as_nothing():
    assert [cells.a_date(v) for v in (None, "", "　", "\u200b")] == [None, None, None, None]
    assert cells.text(" 张　 文慧 ") == "张 文慧"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2022-09", date(2022, 9, 1)),
        ("2022年9月", date(2022, 9, 1)),
        ("202209", date(2022, 9, 1)),
        ("2022/9", date(2022, 9, 1)),
        (datetime(2022, 9, 15), date(2022, 9, 1)),
    ],
)
def test_months(raw, expected):
    assert cells.a_month(raw) == expected


def test_numbers_stored_as_text_and_text_stored_as_numbers():
    assert cells.integer("１２") == 12
    assert cells.integer("1,200") == 1200
    assert cells.integer(12.0) == 12
    assert cells.integer("45分", suffixes=("分",)) == 45
    assert cells.amount("￥32.5") == Decimal("32.50")
    assert cells.amount(32) == Decimal("32.00")
    assert cells.code(110105) == "110105"
    assert cells.code(13912345678.0) == "13912345678"
    with pytest.raises(cells.CellError, match="“12.5”不是整数"):
        cells.integer("12.5")
    with pytest.raises(cells.CellError, match="金额不能为负数"):
        cells.amount("-1")


@pytest.mark.parametrize("raw", [1.10105198001e17, "1.10105E+17", "1.10105e17", "１.１０１０５Ｅ＋１７"])
def test_an_id_number_excel_turned_into_a_float_is_refused_with_the_reason(raw):
    with pytest.raises(cells.CellError) as exc:
        cells.identifier(raw)
    assert str(exc.value) == cells.FLOAT_ID
    assert "科学计数法" in cells.FLOAT_ID and "文本格式" in cells.FLOAT_ID


def test_identifiers_are_normalised():
    assert cells.identifier(" 11010519800101002x ") == "11010519800101002X"
    assert cells.identifier("１１０１０５１９８００１０１００２Ｘ") == "11010519800101002X"


def test_choices_by_label_or_value():
    read = cells.choice([("1", "男"), ("2", "女")])
    assert (read("女"), read(" 女 "), read("2"), read("")) == ("2", "2", "2", "")
    with pytest.raises(cells.CellError, match="“未知”不是可选值，应为：男、女。"):
        read("未知")


# ---------------------------------------------------------------------------------------------- files

SCHEMA = tabular.Schema(
    columns=(
        tabular.Column("name", "姓名", cells.text, ("名字",), required=True),
        tabular.Column("on", "日期", cells.a_date, required=True),
        tabular.Column("points", "积分", cells.integer),
    )
)


def _xlsx(rows, *, title=None) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_header_below_titles_and_errors_with_row_and_column():
    data = _xlsx(
        [
            ["说明：每人一行"],
            [],
            ["序号", "名字", "日期", "积分"],
            [1, "甲", "2019.07.01", "3"],
            [2, "乙", "七月", "x"],
            [None, None, None, None],
        ],
        title="某支部积分表",
    )
    table = tabular.read(data, SCHEMA, filename="a.xlsx")
    assert (table.header_row, table.headers, table.ignored) == (
        4,
        {"name": "名字", "on": "日期", "points": "积分"},
        ["序号"],
    )
    assert [r.number for r in table.records] == [5, 6]
    assert table.records[0].values == {"name": "甲", "on": date(2019, 7, 1), "points": 3}
    assert table.errors() == [
        "第6行「日期」：“七月”不是有效日期，请写成 2022-06-01 的格式",
        "第6行「积分」：“x”不是整数",
    ]
    with pytest.raises(ValidationError) as exc:
        table.raise_errors()
    assert exc.value.messages == table.errors()


def test_merged_header_cells_are_read_as_one_header():
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "标题"
    sheet.merge_cells("A1:D1")
    sheet["A2"], sheet["B2"] = "姓名", "日期"
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:C3")
    sheet["D2"] = "成绩"
    sheet["D3"] = "积分"
    sheet.append(["甲", "2020/1/2", None, 7])
    buffer = io.BytesIO()
    book.save(buffer)
    table = tabular.read(buffer.getvalue(), SCHEMA)
    assert table.header_row == 3
    assert [r.values for r in table.records] == [{"name": "甲", "on": date(2020, 1, 2), "points": 7}]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "utf-16"])
def test_csv_in_every_encoding_people_save(encoding):
    data = "某支部\n姓名,日期,积分\n张文慧,2019年7月1日,５\n".encode(encoding)
    table = tabular.read(data, SCHEMA, filename="a.csv")
    assert [r.values for r in table.records] == [{"name": "张文慧", "on": date(2019, 7, 1), "points": 5}]


def test_missing_header_and_old_xls_are_explained():
    with pytest.raises(ValidationError) as exc:
        tabular.read("编号,分数\n1,2\n".encode(), SCHEMA, filename="a.csv")
    assert exc.value.messages == [
        "未找到表头：应有 “姓名”“日期” 等列（标题行、说明行可以保留在表头之上）。"
        "文件第一个非空行为：编号、分数。"
    ]
    with pytest.raises(ValidationError, match="另存为 .xlsx 或 .csv"):
        tabular.read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", SCHEMA, filename="a.xls")


def test_trailing_formatted_empty_rows_are_dropped():
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "日期"])
    sheet.append(["甲", "2020-01-02"])
    sheet["B500"].number_format = "@"
    sheet["A500"].value = None
    buffer = io.BytesIO()
    book.save(buffer)
    raw = read_sheet(buffer.getvalue(), "a.xlsx")
    assert len(raw.rows) == 2


# ---------------------------------------------------------------------------------------------- limits

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def minimal_xlsx(sheet_data: str, *, dimension: str = "A1:B2", strings: bytes = b"") -> bytes:
    """The smallest .xlsx openpyxl opens, written part by part (how a crafted file is made cheaply)."""
    shared = (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument'
        '.spreadsheetml.sharedStrings+xml"/>'
        if strings
        else ""
    )
    shared_rel = (
        f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>' if strings else ""
    )
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        f'spreadsheetml.worksheet+xml"/>{shared}</Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>{shared_rel}'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><dimension '
        f'ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode())
        if strings:
            archive.writestr("xl/sharedStrings.xml", strings)
    return out.getvalue()


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def string_bomb(length: int = 8 * 1024 * 1024) -> bytes:
    """A small .xlsx whose one shared string is `length` characters long (the 400 MB case, scaled down)."""
    strings = (
        (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}" count="3" uniqueCount="3">'
            "<si><t>姓名</t></si><si><t>日期</t></si><si><t>"
        ).encode()
        + b"a" * length
        + b"</t></si></sst>"
    )
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c></row>'
    )
    return minimal_xlsx(rows, strings=strings)


def blank_rows_bomb(last_row: int = 10_000_000) -> bytes:
    """A small .xlsx whose sheet claims rows down to `last_row`: a header, one cell at the very bottom, and the
    dimension saying so. A reader yields every row in between as blank."""
    rows = (
        f'<row r="1">{_inline("A1", "姓名")}{_inline("B1", "日期")}</row>'
        f'<row r="{last_row}">{_inline(f"A{last_row}", "甲")}</row>'
    )
    return minimal_xlsx(rows, dimension=f"A1:B{last_row}")


def test_the_minimal_xlsx_reads():
    raw = read_sheet(
        minimal_xlsx(f'<row r="1">{_inline("A1", "姓名")}</row><row r="2">{_inline("A2", "甲")}</row>'),
        "a.xlsx",
    )
    assert raw.rows == [["姓名"], ["甲"]]


def test_a_huge_shared_string_is_refused_before_openpyxl_reads_it():
    data = string_bomb()
    assert len(data) < 100_000
    with pytest.raises(TooLarge) as exc:
        read_sheet(data, "bomb.xlsx")
    assert exc.value.messages == ["文件解压后体积异常（压缩比过高），疑似压缩炸弹，已拒绝。"]
    with pytest.raises(TooLarge) as exc:  # with the ratio check off, the string limit still holds
        read_sheet(data, "bomb.xlsx", limits=Limits.from_settings(max_ratio=10**9))
    assert exc.value.messages == ["文件中有单元格内容超过 32767 个字符，已拒绝（Excel 单元格本身也不允许）。"]


def test_uncompressed_size_is_capped():
    with pytest.raises(TooLarge) as exc:
        read_sheet(
            string_bomb(2 * 1024 * 1024),
            "bomb.xlsx",
            limits=Limits.from_settings(max_ratio=10**9, max_uncompressed=1024 * 1024),
        )
    assert exc.value.messages == ["文件解压后超过 1 MB，请删除多余的内容或拆分后分批导入。"]


def test_ten_million_blank_rows_stop_at_the_row_cap(monkeypatch):
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    seen = []
    original = ReadOnlyWorksheet._cells_by_row

    def counting(self, *args, **kwargs):
        for row in original(self, *args, **kwargs):
            seen.append(1)
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)
    data = blank_rows_bomb()
    assert len(data) < 20_000
    limits = Limits.from_settings(max_rows=5000)
    with pytest.raises(TooLarge) as exc:
        read_sheet(data, "bomb.xlsx", limits=limits)
    assert exc.value.messages == [
        "文件超过 5000 行（空白行也计算在内）：请删除表格末尾多余的空行，或拆分后分批导入。"
    ]
    assert len(seen) == 5001  # the reader stopped at the first row past the cap


def test_file_size_is_capped_before_reading(settings):
    settings.IMPORT_MAX_BYTES = 1000
    with pytest.raises(TooLarge) as exc:
        tabular.read(b"x" * 1001, SCHEMA, filename="a.csv")
    assert exc.value.messages == ["文件过大：导入文件不能超过 0.976562 KB，请拆分后分批导入。"]


def test_csv_rows_count_blank_lines_too(settings):
    settings.IMPORT_MAX_ROWS = 10
    with pytest.raises(TooLarge, match="文件超过 10 行"):
        tabular.read(("姓名,日期\n" + "\n" * 20 + "甲,2020-01-01\n").encode(), SCHEMA, filename="a.csv")


# ---------------------------------------------------------------------------------------------- exports

RISKY = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", '=HYPERLINK("http://x")']


def test_xlsx_export_stores_formula_like_text_as_text():
    content = tabular.xlsx(
        tabular.Sheet("表", ["主题", "数"], [[text, -3] for text in RISKY], titles=["=标题"])
    )
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value == "=标题" and sheet["A1"].data_type == "s"
    assert [
        (sheet.cell(row=r, column=1).value, sheet.cell(row=r, column=1).data_type) for r in range(3, 8)
    ] == [(text, "s") for text in RISKY]
    assert sheet["B3"].value == -3 and sheet["B3"].data_type == "n"
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")


def test_csv_export_prefixes_an_apostrophe_and_has_a_bom():
    spec = tabular.Sheet("表", ["主题", "数", "日期"], [[text, -3, date(2022, 1, 2)] for text in RISKY])
    content = tabular.render(spec, "csv")
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == ["主题", "数", "日期"]
    assert [r[0] for r in rows[1:]] == ["'" + text for text in RISKY]
    assert rows[1][1:] == ["-3", "2022-01-02"]
    assert spec.count == 5


def test_gbk_export_names_a_character_gbk_lacks():
    with pytest.raises(ValidationError) as exc:
        tabular.render(tabular.Sheet("表", ["名"], [["𠀀"]]), "csv-gbk")
    assert exc.value.messages == [
        "内容中的「𠀀」无法用 GBK 编码表示，请改为下载 UTF-8 编码的 CSV 或 Excel 文件。"
    ]
