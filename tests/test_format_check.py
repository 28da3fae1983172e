"""`cchc kiem-tra-the-thuc`: the format checker against the decree's own sample (Mẫu 1.4), every report the
suite renders, and reports broken on purpose — each breakage must trigger its rule and no other."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt

from cchc_gen.cli import main
from cchc_gen.errors import Severity
from cchc_gen.nd30.check import check_document
from cchc_gen.nd30.rules import RULES
from tests.handmade import Habits, clerk_document
from tests.handmade import mau_1_4 as cut_mau_1_4
from tests.test_seeds import MY_XUYEN as MY_XUYEN_SEED

ROOT = Path(__file__).resolve().parent.parent


def rules(path: Path) -> set[str]:
    return {finding.rule for finding in check_document(path)}


def errors(path: Path) -> list[str]:
    return [
        f"{f.rule}: {f.found} ({f.where[0]})" for f in check_document(path) if f.severity == Severity.ERROR
    ]


# --- the decree's sample ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mau_1_4(tmp_path_factory) -> Path:
    """Mẫu 1.4 (văn bản có tên loại) cut out of Phụ lục III (tests/handmade.py), checked as the decree's file
    has it: its own page setup, styles, numbering and headers (page number from page 2).

    The placeholders stay ("TÊN CƠ QUAN, TỔ CHỨC", "Số: /…-…", "ngày ……"): fields left as dots are not
    judged, and the sample has no Kính gửi, headings or phụ lục, so those rules do not apply. Everything
    else — paper, margins, fonts in all four slots, header table and lines, sizes, bold and italic of each
    element, body indent and spacing, "./.", Nơi nhận, signature — is checked.
    """
    return cut_mau_1_4(tmp_path_factory.mktemp("mau") / "mau-1.4.docx")


def test_the_decree_sample_passes(mau_1_4):
    assert check_document(mau_1_4) == []


def _edit(source: Path, target: Path, change: Callable[[docx.document.Document], None]) -> Path:
    document = docx.Document(str(source))
    change(document)
    document.save(str(target))
    return target


def _paragraph(document, start: str):
    """The first paragraph, in the body or in a table cell, whose text starts with ``start``."""
    cells = [p for t in document.tables for row in t.rows for cell in row.cells for p in cell.paragraphs]
    return next(p for p in [*document.paragraphs, *cells] if p.text.startswith(start))


def _set_runs(paragraph, **font) -> None:
    for run in paragraph.runs:
        for name, value in font.items():
            setattr(run.font, name, value)


SAMPLE_BREAKAGES = [
    pytest.param(
        lambda d: _set_runs(_paragraph(d, "CỘNG HÒA"), size=Pt(14)), {"quoc-hieu"}, id="quoc-hieu-14pt"
    ),
    pytest.param(
        lambda d: _set_runs(_paragraph(d, "Nơi nhận"), italic=False), {"noi-nhan-dinh-dang"}, id="noi-nhan"
    ),
    pytest.param(lambda d: _set_runs(_paragraph(d, "Họ và tên"), bold=False), {"chu-ky-ho-ten"}, id="ho-ten"),
    pytest.param(
        lambda d: setattr(d.sections[0], "different_first_page_header_footer", False),
        {"so-trang-trang-1"},
        id="trang-1",
    ),
]


@pytest.mark.parametrize(("change", "expected"), SAMPLE_BREAKAGES)
def test_the_decree_sample_is_checked_not_skipped(mau_1_4, tmp_path, change, expected):
    assert rules(_edit(mau_1_4, tmp_path / "mau.docx", change)) == expected


# --- the reports the suite renders -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(every_report) -> dict[str, Path]:
    """Every report the suite renders (tests/conftest.py), by name. That each of them passes the check is
    tested with its PDF, in tests/test_office_pdf.py; here they are broken on purpose."""
    return {name: docx for name, (_, docx) in every_report.items()}


# --- broken on purpose --------------------------------------------------------------------------------------


def _replace(document, old: str, new: str) -> None:
    """Replace text inside one run (the rendered reports write each field as one run)."""
    cells = [p for t in document.tables for row in t.rows for cell in row.cells for p in cell.paragraphs]
    run = next(r for p in [*document.paragraphs, *cells] for r in p.runs if old in r.text)
    run.text = run.text.replace(old, new, 1)


def _calibri_body(document) -> None:
    document.styles["CCHC Nội dung"].font.name = "Calibri"


def _first_page_numbered(document) -> None:
    section = document.sections[0]._sectPr
    section.remove(section.find(qn("w:titlePg")))


DUC_THO = "2026-6T/ht-duc-tho"
MY_XUYEN = "examples/bao-cao-quy-I-2023-huyen-my-xuyen"  # dated "tháng 3", no appendix to disagree with

BREAKAGES = [
    pytest.param(DUC_THO, lambda d: setattr(d.sections[0], "left_margin", Mm(25)), "le-trang", id="margin"),
    pytest.param(DUC_THO, _calibri_body, "phong-chu", id="calibri-body"),
    pytest.param(
        MY_XUYEN, lambda d: _replace(d, "tháng 3 năm", "tháng 03 năm"), "dia-danh-ngay", id="thang-03"
    ),
    pytest.param(DUC_THO, lambda d: _replace(d, "Đức Thọ./.", "Đức Thọ."), "ket-thuc", id="no-closing-mark"),
    pytest.param(
        DUC_THO,
        lambda d: _replace(d, "- Thường trực Đảng ủy xã;", "- Thường trực Đảng ủy xã"),
        "noi-nhan-dau-cau",
        id="noi-nhan-without-semicolon",
    ),
    pytest.param(
        DUC_THO, lambda d: _replace(d, "II. KẾT QUẢ", "III. KẾT QUẢ"), "de-muc-so-thu-tu", id="I-then-III"
    ),
    pytest.param(
        DUC_THO, lambda d: _replace(d, "Kết quả thực hiện", "V/v kết quả thực hiện"), "trich-yeu-vv", id="vv"
    ),
    pytest.param(DUC_THO, _first_page_numbered, "so-trang-trang-1", id="page-number-on-page-1"),
    pytest.param(
        DUC_THO, lambda d: _replace(d, "Hà Tĩnh.", "Hà Tĩnh"), "kinh-gui", id="kinh-gui-without-full-stop"
    ),
    pytest.param(
        DUC_THO, lambda d: _replace(d, "KT. CHỦ TỊCH", "K/T CHỦ TỊCH"), "chu-ky-quyen-han", id="k/t"
    ),
    pytest.param(
        DUC_THO, lambda d: _replace(d, "Trần Thị Mai", "ThS. Trần Thị Mai"), "chu-ky-ho-ten", id="ths"
    ),
    pytest.param(
        DUC_THO,
        lambda d: _replace(d, "số 96/BC-UBND", "số 69/BC-UBND"),
        "phu-luc-dan-chieu",
        id="appendix-number",
    ),
]


@pytest.mark.parametrize(("sample", "change", "rule"), BREAKAGES)
def test_each_breakage_triggers_exactly_its_rule(rendered, tmp_path, sample, change, rule):
    assert rules(rendered[sample]) == set()
    assert rules(_edit(rendered[sample], tmp_path / "broken.docx", change)) == {rule}


def _number_row_first(document) -> None:
    """The header table's rows swapped: Số and the date above the issuing body and the Quốc hiệu."""
    table = document.tables[0]._tbl
    first, second = table.findall(qn("w:tr"))
    first.addprevious(second)


def test_header_in_the_other_order(rendered, tmp_path):
    broken = _edit(rendered[DUC_THO], tmp_path / "order.docx", _number_row_first)
    assert {(f.rule, f.found) for f in check_document(broken)} == {
        ("so-ky-hieu", "số, ký hiệu ở trên tên cơ quan ban hành"),
        ("dia-danh-ngay", "địa danh, ngày tháng ở trên Quốc hiệu"),
    }


def test_skipped_section_number_names_the_expected_one(rendered, tmp_path):
    broken = _edit(
        rendered[DUC_THO], tmp_path / "broken.docx", lambda d: _replace(d, "II. KẾT QUẢ", "III. KẾT QUẢ")
    )
    (finding,) = [f for f in check_document(broken) if "KẾT QUẢ" in f.where[0]]
    assert finding.severity == Severity.ERROR
    assert "“III.”" in finding.found and "“II.”" in finding.required
    assert finding.reference == "NĐ 30/2020, Phụ lục I, Phần I, mục II.6.đ — số thứ tự của mục, khoản, điểm"
    assert finding.where[0].startswith("đoạn ")


# --- pictures and captions ---------------------------------------------------------------------------------

# A caption is centred under its picture (or above its table), as Vietnamese reports print them: it is
# not running text, so it is not justified nor indented like the body. Known by its words ("Biểu đồ 1.",
# "Hình 2:", "Bảng 3 -") next to a picture or a table.
CHART_REPORT = "2026-9T/ht"  # the province's roll-up, with the chart and "Biểu đồ 1. …" under it
TABLE_REPORT = "2026-9T/ht-duc-tho"  # a table in the body: the files by where they were received


def _caption(document):
    return _paragraph(document, "Biểu đồ 1.")


def _without_the_picture(document) -> None:
    drawing = document.element.body.xpath(".//w:drawing")[0]
    paragraph = drawing.getparent().getparent()
    paragraph.getparent().remove(paragraph)


def _words_of_a_sentence(document) -> None:
    _replace(document, "Biểu đồ 1. Tỷ lệ", "Biểu đồ cho thấy tỷ lệ")


def _table_caption(alignment, indent: float):
    """A "Bảng 1." line typed above the table of the body, with ``alignment`` and ``indent`` (cm)."""

    def change(document) -> None:
        table = next(t for t in document.tables if t.cell(0, 0).text == "Nơi tiếp nhận")._tbl
        above = table.getprevious()
        caption = copy.deepcopy(above)
        above.addnext(caption)
        paragraph = docx.text.paragraph.Paragraph(caption, document.part)
        for run in paragraph.runs[1:]:
            run._r.getparent().remove(run._r)
        paragraph.runs[0].text = "Bảng 1. Kết quả giải quyết hồ sơ theo nơi tiếp nhận"
        paragraph.paragraph_format.alignment = alignment
        paragraph.paragraph_format.first_line_indent = Cm(indent)

    return change


CAPTIONS = [
    pytest.param(CHART_REPORT, lambda d: None, set(), id="chart-caption"),
    pytest.param(
        CHART_REPORT,
        lambda d: setattr(_caption(d).paragraph_format, "alignment", WD_ALIGN_PARAGRAPH.JUSTIFY),
        {("chu-thich", Severity.WARNING, "canh đều hai lề")},
        id="caption-justified",
    ),
    pytest.param(
        CHART_REPORT,
        lambda d: setattr(_caption(d).paragraph_format, "first_line_indent", Cm(1.27)),
        {("chu-thich", Severity.WARNING, "lùi đầu dòng 1,3 cm")},
        id="caption-indented",
    ),
    pytest.param(
        CHART_REPORT,
        lambda d: _set_runs(_caption(d), size=Pt(10)),
        {("chu-thich", Severity.WARNING, "cỡ chữ 10 pt")},
        id="caption-10pt",
    ),
    pytest.param(
        CHART_REPORT,
        _without_the_picture,
        {
            ("noi-dung-can-le", Severity.ERROR, "canh giữa"),
            ("noi-dung-thut-dau-dong", Severity.ERROR, "lùi đầu dòng 0 cm"),
            ("noi-dung-khoang-cach", Severity.ERROR, "cách đoạn trên 3 pt"),
        },
        id="no-picture-so-running-text",
    ),
    pytest.param(
        CHART_REPORT,
        _words_of_a_sentence,
        {
            ("noi-dung-can-le", Severity.ERROR, "canh giữa"),
            ("noi-dung-thut-dau-dong", Severity.ERROR, "lùi đầu dòng 0 cm"),
        },
        id="a-sentence-so-running-text",
    ),
    pytest.param(TABLE_REPORT, _table_caption(WD_ALIGN_PARAGRAPH.CENTER, 0), set(), id="table-caption"),
    pytest.param(
        TABLE_REPORT,
        _table_caption(WD_ALIGN_PARAGRAPH.JUSTIFY, 1.27),
        {
            ("chu-thich", Severity.WARNING, "canh đều hai lề"),
            ("chu-thich", Severity.WARNING, "lùi đầu dòng 1,3 cm"),
        },
        id="table-caption-as-running-text",
    ),
]


@pytest.mark.parametrize(("sample", "change", "expected"), CAPTIONS)
def test_captions_are_centred_under_their_picture_not_running_text(
    rendered, tmp_path, sample, change, expected
):
    findings = check_document(_edit(rendered[sample], tmp_path / "caption.docx", change))
    assert {(f.rule, f.severity, f.found) for f in findings} == expected
    assert all(
        f.where[0].endswith("…”") or "Biểu đồ" in f.where[0] or "Bảng 1." in f.where[0] for f in findings
    )


# --- lines drawn other ways, numbers Word writes itself -----------------------------------------------------


def _underscores(document, cell_start: str):
    """The "____" paragraph under the header element that starts with ``cell_start``."""
    cell = next(c for row in document.tables[0].rows for c in row.cells if c.text.startswith(cell_start))
    return next(p for p in cell.paragraphs if set(p.text) == {"_"})


def _border_instead(cell_start: str, width_pt: float):
    """Replace the underscores by the top border of an empty paragraph indented to ``width_pt``."""

    def change(document) -> None:
        paragraph = _underscores(document, cell_start)
        for run in paragraph.runs:
            run.text = ""
        cell_width = document.tables[0].rows[0].cells[0].width.pt
        side = Pt((cell_width - width_pt) / 2)
        paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = side
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:pBdr {nsdecls("w")}><w:top w:val="single" w:sz="6" w:color="000000"/></w:pBdr>')
        )

    return change


def _shape_instead(cell_start: str, width_pt: float, dash: str = "solid"):
    """Replace the underscores by a drawn straight line (DrawingML), as Word draws one."""

    def change(document) -> None:
        paragraph = _underscores(document, cell_start)
        for run in paragraph.runs:
            run.text = ""
        drawing = parse_xml(
            f"<w:drawing {nsdecls('w', 'wp', 'a')} "
            'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            f'<wp:anchor><wp:extent cx="{int(width_pt * 12700)}" cy="0"/><a:graphic><a:graphicData '
            'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:spPr>'
            f'<a:prstGeom prst="line"/><a:ln w="9525"><a:prstDash val="{dash}"/></a:ln></wps:spPr>'
            "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
        )
        paragraph.runs[0]._r.append(drawing)

    return change


LINES = [
    pytest.param(_border_instead("ỦY BAN", 55), set(), id="border-third-to-half"),
    pytest.param(_border_instead("ỦY BAN", 180), {"co-quan-ban-hanh-duong-ke"}, id="border-too-long"),
    pytest.param(_shape_instead("CỘNG HÒA", 170), set(), id="shape-as-long-as-tieu-ngu"),
    pytest.param(_shape_instead("CỘNG HÒA", 60), {"tieu-ngu-duong-ke"}, id="shape-too-short"),
    pytest.param(_shape_instead("CỘNG HÒA", 170, "dash"), {"tieu-ngu-duong-ke"}, id="shape-dashed"),
]


@pytest.mark.parametrize(("change", "expected"), LINES)
def test_lines_as_borders_and_shapes(rendered, tmp_path, change, expected):
    assert rules(_edit(rendered[DUC_THO], tmp_path / "lines.docx", change)) == expected


def test_a_line_length_out_of_range_is_a_warning(rendered, tmp_path):
    broken = _edit(rendered[DUC_THO], tmp_path / "lines.docx", _shape_instead("CỘNG HÒA", 60))
    (finding,) = check_document(broken)
    assert finding.severity == Severity.WARNING and "35%" in finding.found


def _automatic_roman(start: int):
    """Number the "I." "II." … headings with a Word list (upperRoman) instead of typed numbers."""

    def change(document) -> None:
        numbering = document.part.numbering_part.element
        numbering.append(
            parse_xml(
                f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
                '<w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
            )
        )
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/>'
                f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>'
            )
        )
        for paragraph in document.paragraphs:
            if paragraph.style.name == "CCHC Mục":
                paragraph.runs[0].text = paragraph.runs[0].text.split(". ", 1)[1]
                numbering_properties = OxmlElement("w:numPr")
                for tag, value in (("w:ilvl", "0"), ("w:numId", "90")):
                    element = OxmlElement(tag)
                    element.set(qn("w:val"), value)
                    numbering_properties.append(element)
                paragraph._p.get_or_add_pPr().append(numbering_properties)

    return change


def test_automatic_list_numbers_are_read(rendered, tmp_path):
    assert rules(_edit(rendered[DUC_THO], tmp_path / "auto.docx", _automatic_roman(1))) == set()
    broken = _edit(rendered[DUC_THO], tmp_path / "auto2.docx", _automatic_roman(2))
    (finding,) = check_document(broken)
    assert finding.rule == "de-muc-so-thu-tu" and "“II.”" in finding.found and "“I.”" in finding.required


def test_a_hand_made_document_in_plain_paragraphs(tmp_path):
    """No header table, Word's default styles: the elements are still found and judged."""
    document = docx.Document()
    for text in (
        "ỦY BAN NHÂN DÂN XÃ AN BÌNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập – Tự do – Hạnh phúc",
        "Số: 5/BC-UBND",
        "An Bình, ngày 5 tháng 03 năm 2024",
        "BÁO CÁO",
        "Kết quả cải cách hành chính quý I năm 2024",
        "I. CÔNG TÁC CHỈ ĐẠO",
        "Nội dung.",
    ):
        document.add_paragraph(text)
    path = tmp_path / "tay.docx"
    document.save(str(path))
    found = {(f.rule, f.found) for f in check_document(path)}
    assert ("dau-trang-bang", "phần đầu không trình bày bằng bảng") in found
    assert ("tieu-ngu", "“Độc lập – Tự do – Hạnh phúc”") in found
    assert ("so-ky-hieu", "số “5”") in found
    assert {("dia-danh-ngay", "ngày 5"), ("dia-danh-ngay", "tháng 03")} <= found
    assert ("ket-thuc", "đoạn cuối kết thúc bằng “Nội dung.”") in found
    assert {"le-trang", "phong-chu", "noi-dung-thut-dau-dong", "noi-nhan-dinh-dang"} <= {
        rule for rule, _ in found
    }
    assert {rule for rule, _ in found} <= set(RULES)


def test_a_header_typed_as_two_columns_with_tabs(tmp_path):
    """Each header line's left part and right part, pushed apart with tabs, are read as the two columns:
    the Quốc hiệu and the date are found and judged, the layout is said not to be a table."""
    path = clerk_document(
        MY_XUYEN_SEED, Habits(header="tabs"), tmp_path / "tab.docx", [], ["ỦY BAN NHÂN DÂN HUYỆN MỸ XUYÊN"]
    )
    found = {(f.rule, f.found, f.where[0]) for f in check_document(path)}
    assert (
        "dau-trang-bang",
        "phần đầu không trình bày bằng bảng",
        "đoạn 1 “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM”",
    ) in found
    # Each part is judged for itself: the left-aligned lines are found as the Quốc hiệu, Số and the date.
    assert {("quoc-hieu", "căn trái"), ("so-ky-hieu", "căn trái"), ("dia-danh-ngay", "căn trái")} <= {
        (rule, what) for rule, what, _ in found
    }
    assert ("quoc-hieu", "không có Quốc hiệu") not in {(rule, what) for rule, what, _ in found}


# --- the command --------------------------------------------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_command_json_and_exit_codes(rendered, tmp_path):
    good = rendered[DUC_THO]
    result = run("kiem-tra-the-thuc", str(good), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "files": [{"file": str(good), "errors": 0, "warnings": 0, "findings": []}],
        "errors": 0,
        "warnings": 0,
    }
    broken = _edit(good, tmp_path / "broken.docx", _first_page_numbered)
    result = run("kiem-tra-the-thuc", str(good), str(broken), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["errors"] == 1 and [f["errors"] for f in report["files"]] == [0, 1]
    (finding,) = report["files"][1]["findings"]
    assert finding == {
        "rule": "so-trang-trang-1",
        "severity": "lỗi",
        "reference": "NĐ 30/2020, Phụ lục I, Phần I, mục I.7 — không hiển thị số trang thứ nhất",
        "found": "số trang hiện ở trang thứ nhất (chưa bật “Trang đầu khác” — titlePg)",
        "required": "không hiển thị số trang ở trang thứ nhất",
        "where": ["section 1"],
    }
    assert "1 lỗi thể thức trong 1/2 tệp." in result.stderr


def test_command_text_grouped_by_file(rendered, tmp_path):
    good = rendered[DUC_THO]
    broken = _edit(good, tmp_path / "broken.docx", lambda d: _replace(d, "Đức Thọ./.", "Đức Thọ."))
    result = run("kiem-tra-the-thuc", str(broken), str(good))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{broken}: 1 lỗi, 0 cảnh báo",
        "  [lỗi] ket-thuc: đoạn cuối kết thúc bằng “…xã Đức Thọ.”; cần: kết thúc phần nội dung bằng “./.”.",
        "      Quy định: NĐ 30/2020, Phụ lục III, Mẫu 1.4 — dấu kết thúc nội dung “./.”",
        "      Vị trí: đoạn 74 “Trên đây là báo cáo kết quả thực hiện công tác cải cách hàn…”",
        f"{good}: đạt, không có lỗi thể thức.",
        "Đã kiểm tra 2 tệp: 1 lỗi, 0 cảnh báo.",
    ]
    assert run("kiem-tra-the-thuc", str(good)).exit_code == 0


def test_command_reports_a_file_it_cannot_read(tmp_path):
    not_word = tmp_path / "bao-cao.docx"
    not_word.write_text("không phải Word", encoding="utf-8")
    result = run("kiem-tra-the-thuc", str(not_word), str(tmp_path / "khong-co.docx"), "--json")
    assert result.exit_code == 1
    findings = [f for file in json.loads(result.stdout)["files"] for f in file["findings"]]
    assert [f["rule"] for f in findings] == ["tep-docx", "tep-docx"]
    assert "không phải tệp Word" in findings[0]["found"] and "Không tìm thấy tệp" in findings[1]["found"]


def test_command_help_is_vietnamese():
    result = run("kiem-tra-the-thuc", "--help")
    assert result.exit_code == 0
    assert "Kiểm tra thể thức tệp Word (.docx) theo Nghị định 30/2020/NĐ-CP" in result.output
    assert "cchc kiem-tra-the-thuc bao-cao.docx --json" in result.output
    assert run("kiem-tra-the-thuc").exit_code == 2
