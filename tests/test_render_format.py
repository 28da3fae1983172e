"""The rendered .docx itself, read back with python-docx: paper, fonts, header elements, body, Nơi nhận."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from cchc_gen import api

FONT = "Times New Roman"


def render(data_file: Path) -> docx.document.Document:
    return docx.Document(str(api.render_report(data_file, data_file.with_suffix(".docx"))))


def effective(paragraph, run, attribute: str):
    """A run's font attribute as Word shows it: the run's own, else its paragraph style's chain."""
    value = getattr(run.font, attribute)
    style = paragraph.style
    while value is None and style is not None:
        value = getattr(style.font, attribute)
        style = style.base_style
    return value


def text_runs(paragraph):
    return [run for run in paragraph.runs if run.text.strip()]


def assert_format(paragraph, *, size: float, bold: bool, italic: bool = False) -> None:
    runs = text_runs(paragraph)
    assert runs, f"no text in {paragraph.text!r}"
    for run in runs:
        assert effective(paragraph, run, "size") == Pt(size), paragraph.text
        assert bool(effective(paragraph, run, "bold")) is bold, paragraph.text
        assert bool(effective(paragraph, run, "italic")) is italic, paragraph.text


@pytest.fixture
def document(data_tree):
    return render(data_tree())


def test_paper_and_margins(document):
    for section in document.sections:
        assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
        assert 20 <= round(section.top_margin.mm) <= 25
        assert 20 <= round(section.bottom_margin.mm) <= 25
        assert 30 <= round(section.left_margin.mm) <= 35
        assert 15 <= round(section.right_margin.mm) <= 20


def test_times_new_roman_in_every_font_slot(document):
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    fonts = document.styles.element.findall(f".//{ns}rFonts")
    fonts += document.element.body.findall(f".//{ns}rFonts")
    assert fonts
    for element in fonts:
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            assert element.get(f"{ns}{slot}") in (FONT, None), element.attrib
    normal = document.styles["Normal"].element.find(f".//{ns}rFonts")
    assert all(normal.get(f"{ns}{slot}") == FONT for slot in ("ascii", "hAnsi", "eastAsia", "cs"))


def test_header_table_elements(document):
    header = document.tables[0]
    left, right = header.rows[0].cells
    governing, *issuing, rule = left.paragraphs
    assert governing.text == "UBND TỈNH THỬ NGHIỆM"
    assert_format(governing, size=13, bold=False)
    assert [p.text for p in issuing] == ["ỦY BAN NHÂN DÂN", "XÃ AN BÌNH"]
    for paragraph in issuing:
        assert_format(paragraph, size=13, bold=True)
    assert set(rule.text) == {"_"} and len(rule.text) < len("ỦY BAN NHÂN DÂN")
    quoc_hieu, tieu_ngu, tieu_ngu_rule = right.paragraphs
    assert quoc_hieu.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert_format(quoc_hieu, size=13, bold=True)
    assert tieu_ngu.text == "Độc lập - Tự do - Hạnh phúc"
    assert_format(tieu_ngu, size=14, bold=True)
    assert set(tieu_ngu_rule.text) == {"_"}
    number, date_line = (cell.paragraphs[0] for cell in header.rows[1].cells)
    assert number.text == "Số: 07/BC-UBND"
    assert_format(number, size=13, bold=False)
    assert date_line.text == "An Bình, ngày 05 tháng 01 năm 2024"
    assert_format(date_line, size=14, bold=False, italic=True)
    borders = header._tbl.tblPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblBorders"
    )
    assert all(edge.get(edge.tag.replace(edge.tag.split("}")[1], "val")) == "nil" for edge in borders)


def test_type_name_title_and_kinh_gui(document):
    texts = [p.text for p in document.paragraphs]
    start = texts.index("BÁO CÁO")
    type_name, title, rule, kinh_gui = document.paragraphs[start : start + 4]
    assert_format(type_name, size=14, bold=True)
    assert type_name.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.text == "Kết quả thực hiện công tác cải cách hành chính quý I năm 2024"
    assert_format(title, size=14, bold=True)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert set(rule.text) == {"_"} and len(rule.text) < len(title.text) / 2
    assert kinh_gui.text == "Kính gửi: Sở Nội vụ tỉnh Thử Nghiệm."


def test_body_is_justified_with_first_line_indent(document):
    body = [p for p in document.paragraphs if p.style.name == "CCHC Nội dung"]
    assert len(body) >= 3
    for paragraph in body:
        fmt = paragraph.style.paragraph_format
        assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert round(fmt.first_line_indent.cm, 2) in (1.0, 1.27)
        assert fmt.space_before >= Pt(6)
        assert 1.0 <= fmt.line_spacing <= 1.5
        for run in text_runs(paragraph):
            assert effective(paragraph, run, "size") == Pt(14)


def test_headings_are_numbered_and_formatted(document):
    by_text = {p.text: p for p in document.paragraphs}
    section = by_text["I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"]
    assert_format(section, size=14, bold=True)
    assert_format(by_text["1. Kế hoạch cải cách hành chính"], size=14, bold=True)
    assert_format(by_text["a) Điểm thứ nhất"], size=14, bold=False)
    assert "II. KIẾN NGHỊ, ĐỀ XUẤT" in by_text
    assert [t for t in by_text if t[:2] in ("- ", "+ ")] == [
        "- Nhiệm vụ thứ nhất",
        "- Nhiệm vụ thứ hai gồm:",
        "+ Việc A",
        "+ Việc B",
    ]


def test_closing_noi_nhan_and_signature(document):
    texts = [p.text for p in document.paragraphs]
    assert any(t.endswith("của UBND xã An Bình./.") and t.startswith("Trên đây là báo cáo") for t in texts)
    noi_nhan_cell, signature_cell = document.tables[-2].rows[0].cells
    label, *entries = noi_nhan_cell.paragraphs
    assert label.text == "Nơi nhận:"
    assert_format(label, size=12, bold=True, italic=True)
    assert [e.text for e in entries] == [
        "- Như trên;",
        "- Thường trực Đảng ủy xã;",
        "- Chủ tịch, các PCT UBND xã;",
        "- Lưu: VT, VP.",
    ]
    for entry in entries:
        assert_format(entry, size=11, bold=False)
    lines = [p for p in signature_cell.paragraphs if p.text.strip()]
    assert [p.text for p in lines] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Văn An"]
    for paragraph in lines:
        assert_format(paragraph, size=14, bold=True)


def test_appendix_heading_reference_and_generated_stt(document):
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Phụ lục")
    assert texts[start + 1 : start + 4] == [
        "THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CCHC",
        "TẠI UBND XÃ AN BÌNH",
        "(Kèm theo Báo cáo số 07/BC-UBND ngày 05/01/2024 của UBND xã An Bình)",
    ]
    assert_format(document.paragraphs[start], size=14, bold=True)
    assert_format(document.paragraphs[start + 3], size=14, bold=False, italic=True)
    rows = [[cell.text for cell in row.cells] for row in document.tables[-1].rows]
    # Two header rows: "Kết quả thống kê" over its two columns, the others merged down both rows.
    note = "Chỉ tiêu thống kê (Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)"
    assert rows == [
        ["STT", note, "Kết quả thống kê", "Kết quả thống kê", "Ghi chú"],
        ["STT", note, "Đơn vị tính", "Số liệu", "Ghi chú"],
        ["1.", "Kế hoạch CCHC", "", "", ""],
        ["1.1.", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "19", ""],
        ["1.2.", "Số nhiệm vụ đã hoàn thành", "Nhiệm vụ", "9", ""],
    ]
    # The appendix is its own section: new page, numbered on its own.
    assert len(document.sections) == 2


def test_table_cells_take_their_format_from_the_cell_style(data_tree):
    """12 pt, no spacing; the header row and the indicator groups bold, figures and body rows plain."""
    table = {"table": {"columns": ["Nơi tiếp nhận", "Tiếp nhận"], "rows": [["Bộ phận một cửa", "12"]]}}
    section = {"heading": "Công tác chỉ đạo, điều hành cải cách hành chính", "content": [table]}
    document = render(data_tree(sections=[section]))
    body_table, appendix = document.tables[1], document.tables[-1]
    rows = [(body_table.rows[0], True), (body_table.rows[1], False)]
    rows += [(appendix.rows[1], True), (appendix.rows[2], True), (appendix.rows[3], False)]
    for row, bold in rows:
        for cell in row.cells:
            paragraph = cell.paragraphs[0]
            if paragraph.text and "(" not in paragraph.text:
                assert_format(paragraph, size=12, bold=bold)
                assert paragraph.style.paragraph_format.space_before == Pt(0)
                assert paragraph.style.paragraph_format.space_after == Pt(0)
    # The profile writes the note of a column title in italics: that run alone is italic.
    title = appendix.rows[0].cells[1].paragraphs[0]
    assert [(r.text, bool(effective(title, r, "italic"))) for r in text_runs(title)] == [
        ("Chỉ tiêu thống kê ", False),
        ("(Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)", True),
    ]


def test_a_table_row_shorter_than_the_columns_is_filled_with_empty_cells(data_tree):
    """As a workbook's row is: the table prints square, not ragged (a longer row is refused by the check)."""
    rows = [["Đất đai", "12", "11"], ["Hộ tịch"], ["Tư pháp", "5"]]
    table = {"table": {"columns": ["Lĩnh vực", "Tiếp nhận", "Đúng hạn"], "rows": rows}}
    section = {"heading": "Công tác chỉ đạo, điều hành cải cách hành chính", "content": [table]}
    body_table = render(data_tree(sections=[section])).tables[1]
    assert [[cell.text for cell in row.cells] for row in body_table.rows] == [
        ["TT", "Lĩnh vực", "Tiếp nhận", "Đúng hạn"],
        ["1", "Đất đai", "12", "11"],
        ["2", "Hộ tịch", "", ""],
        ["3", "Tư pháp", "5", ""],
    ]
    assert {len(row._tr.tc_lst) for row in body_table.rows} == {4}


@pytest.mark.parametrize(
    ("typed", "header_date"),
    [
        ("05/01/2024", "ngày 05 tháng 01 năm 2024"),
        ("2024-02-09", "ngày 09 tháng 02 năm 2024"),
        ("29/6/2024", "ngày 29 tháng 6 năm 2024"),
        ("1/3/2024", "ngày 01 tháng 3 năm 2024"),
        ("15/12/2024", "ngày 15 tháng 12 năm 2024"),
        ("3/2024", "ngày tháng 3 năm 2024"),
    ],
)
def test_header_date_zero_padding(data_tree, typed, header_date):
    document = render(data_tree(date=typed))
    line = document.tables[0].rows[1].cells[1].paragraphs[0].text
    assert " ".join(line.split()) == f"An Bình, {header_date}"


def test_blank_number_leaves_room_for_the_office(data_tree):
    document = render(data_tree(number=None))
    line = document.tables[0].rows[1].cells[0].paragraphs[0].text
    assert line.startswith("Số: ") and line.endswith("/BC-UBND") and line[4:-8].strip() == ""
    assert len(line[4:-8]) >= 4


def test_kinh_gui_list_and_special_characters(data_tree):
    document = render(
        data_tree(
            recipients=["Sở Nội vụ tỉnh A & B", "Văn phòng <UBND> tỉnh;"],
            lead_in=["Thực hiện Công văn số 5/SNV-CCHC & Kế hoạch <số 2>;"],
        )
    )
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Kính gửi:")
    assert texts[start + 1 : start + 3] == ["- Sở Nội vụ tỉnh A & B;", "- Văn phòng <UBND> tỉnh."]
    # Where the decree's own sample (Phụ lục III, Mẫu 1.5) puts them.
    label, *lines = document.paragraphs[start : start + 3]
    assert round(label.paragraph_format.first_line_indent.cm, 2) == 3.5
    assert all(round(line.paragraph_format.left_indent.cm, 2) == 4.5 for line in lines)
    assert "Thực hiện Công văn số 5/SNV-CCHC & Kế hoạch <số 2>;" in texts


def test_no_figures_no_appendix(data_tree):
    document = render(data_tree(figures={}))
    assert "Phụ lục" not in [p.text for p in document.paragraphs]
    assert len(document.sections) == 1
    header = document.sections[0]
    assert header.different_first_page_header_footer
    assert "PAGE" in header.header._element.xml


def test_data_appendices_follow_the_indicator_appendix_numbered_in_roman(data_tree):
    findings = {
        "title": ["Những hạn chế cụ thể của từng đơn vị được kiểm tra"],
        "columns": ["Đơn vị", "Hạn chế"],
        "rows": [["Xã Sơn Hàm", "Chưa ban hành kế hoạch tuyên truyền"], ["Xã Sơn Tây", "Hồ sơ quá hạn: 02"]],
    }
    document = render(data_tree(appendices=[findings]))
    texts = [p.text for p in document.paragraphs]
    assert "Phụ lục I" in texts and "Phụ lục II" in texts and "Phụ lục" not in texts
    second = texts.index("Phụ lục II")
    assert texts[second + 1 : second + 3] == [
        "NHỮNG HẠN CHẾ CỤ THỂ CỦA TỪNG ĐƠN VỊ ĐƯỢC KIỂM TRA",
        "(Kèm theo Báo cáo số 07/BC-UBND ngày 05/01/2024 của UBND xã An Bình)",
    ]
    rows = [[cell.text for cell in row.cells] for row in document.tables[-1].rows]
    assert rows == [
        ["STT", "Đơn vị", "Hạn chế"],
        ["1", "Xã Sơn Hàm", "Chưa ban hành kế hoạch tuyên truyền"],
        ["2", "Xã Sơn Tây", "Hồ sơ quá hạn: 02"],
    ]
    assert len(document.sections) == 3, "each appendix is a section of its own, numbered on its own"


def test_a_heading_may_number_its_own_items_differently(data_tree):
    sections = [
        {
            "heading": "Kết quả",
            "content": [
                {
                    "heading": "Chính quyền số",
                    "numbering": "nested",
                    "content": [{"heading": "Hiện đại hóa"}],
                },
                {"heading": "Một cửa", "content": [{"heading": "Tiếp nhận"}]},
            ],
        }
    ]
    texts = [p.text for p in render(data_tree(sections=sections)).paragraphs]
    numbered = [t for t in texts if t[:1] in "12a" and t[1:3] in (". ", ".1", ") ")]
    assert numbered == ["1. Chính quyền số", "1.1. Hiện đại hóa", "2. Một cửa", "a) Tiếp nhận"]
