"""Every shape of a real report (#19), one small data file per form in tests/shapes/: nested lists whose items
hold paragraphs, lists and tables; unnumbered sub-headings; run-in headings; bold and italic inside the text;
two-row table headers and column widths; a report without a closing sentence; a signer left blank; the data
window under the title; headings in the outline's words.

Each form is a YAML file and the same report as a workbook (``cchc chuyen-doi`` from the YAML, then opened
and saved by LibreOffice Calc, as a clerk's office program leaves it). Both are rendered; what a reader sees
is read back from the .docx (text, bold and italic runs, merged cells, widths), both documents agree, and
every one passes ``cchc kiem-tra-the-thuc`` and opens in LibreOffice (one conversion for the module).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from docx.oxml.ns import qn

from cchc_gen import api
from cchc_gen.cli import main
from cchc_gen.errors import CheckFailed, DataError, Severity
from cchc_gen.excel import convert as excel
from cchc_gen.excel.convert import plain_data
from cchc_gen.model.check import check_report
from cchc_gen.model.profile import load_profile
from cchc_gen.model.report import Report
from cchc_gen.source.loading import load_report
from cchc_gen.source.yaml_file import load_yaml
from cchc_gen.workspace import form as web_form
from tests.conftest import DEFAULT_PROFILE, ROOT
from tests.docx_text import text_blocks
from tests.excel_book import Book
from tests.office import pdf_pages

SHAPES = Path(__file__).resolve().parent / "shapes"
FORMS = sorted(p.stem for p in SHAPES.glob("*.yaml") if p.name != "units.yaml")
TWIPS_PER_CM = 1440 / 2.54


def render(data_file: Path, output: Path) -> Path:
    return api.render_report(data_file, output)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Each form rendered from its YAML file and from its workbook."""
    out = tmp_path_factory.mktemp("shapes")
    return {
        form: (
            render(SHAPES / f"{form}.yaml", out / f"{form}.docx"),
            render(SHAPES / f"{form}.xlsx", out / f"{form}-excel.docx"),
        )
        for form in FORMS
    }


@pytest.fixture(scope="module")
def pages(rendered, tmp_path_factory) -> dict[str, list[str]]:
    """The pages of each form's document as LibreOffice lays them out (one conversion for all)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path_factory.mktemp("shapes-pdf")
    with tempfile.TemporaryDirectory(prefix="cchc-lo-test-") as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                *(str(documents[0]) for documents in rendered.values()),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return {form: pdf_pages(out / f"{form}.pdf") for form in FORMS}


def body(document: Path) -> list[docx.text.paragraph.Paragraph]:
    """The paragraphs between the Kính gửi line and the closing (the lead-ins and the sections)."""
    paragraphs = docx.Document(str(document)).paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Kính gửi")) + 1
    return [p for p in paragraphs[start:] if p.text.strip()]


def runs(paragraph) -> list[tuple[str, bool, bool]]:
    """(text, bold, italic) of each run, bold and italic as the run or the paragraph's style gives them."""
    style = paragraph.style.font
    return [
        (
            r.text,
            bool(r.font.bold if r.font.bold is not None else style.bold),
            bool(r.font.italic or style.italic),
        )
        for r in paragraph.runs
        if r.text
    ]


def emphasised(paragraph) -> list[tuple[str, bool, bool]]:
    """The runs of a paragraph joined where their emphasis is the same."""
    joined: list[tuple[str, bool, bool]] = []
    for text, bold, italic in runs(paragraph):
        if joined and joined[-1][1:] == (bold, italic):
            joined[-1] = (joined[-1][0] + text, bold, italic)
        else:
            joined.append((text, bold, italic))
    return joined


def tables(document: Path) -> list[docx.table.Table]:
    return docx.Document(str(document)).tables


def cell_grid(table) -> list[list[tuple[str, int, str | None]]]:
    """Each row as its cells: text, columns spanned, vertical merge ("restart", "continue" or None)."""
    grid = []
    for row in table._tbl.tr_lst:
        cells = []
        for tc in row.tc_lst:
            span = tc.tcPr.find(qn("w:gridSpan")) if tc.tcPr is not None else None
            merge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
            text = " ".join(
                p.text for p in tc.iter(qn("w:p")) for p in [docx.text.paragraph.Paragraph(p, None)]
            )
            cells.append(
                (
                    text.strip(),
                    int(span.get(qn("w:val"))) if span is not None else 1,
                    None if merge is None else merge.get(qn("w:val"), "continue"),
                )
            )
        grid.append(cells)
    return grid


def widths_cm(table) -> list[float]:
    return [round(int(col.get(qn("w:w"))) / TWIPS_PER_CM, 2) for col in table._tbl.tblGrid.gridCol_lst]


# --- every form ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_the_workbook_holds_what_the_yaml_file_holds(form: str):
    assert load_report(SHAPES / f"{form}.xlsx").report == load_report(SHAPES / f"{form}.yaml").report


@pytest.mark.parametrize("form", FORMS)
def test_conversion_both_ways_keeps_every_form(form: str, tmp_path: Path):
    shutil.copy(SHAPES / "units.yaml", tmp_path)
    original = load_report(SHAPES / f"{form}.yaml").report
    workbook = excel.convert(SHAPES / f"{form}.yaml", tmp_path / f"{form}.xlsx")
    assert load_report(workbook).report == original
    back = excel.convert(workbook, tmp_path / f"{form}-lai.yaml")
    assert load_report(back).report == original


@pytest.mark.parametrize("form", FORMS)
def test_yaml_and_workbook_print_the_same_report(rendered, form: str):
    from_yaml, from_workbook = rendered[form]
    assert text_blocks(from_yaml) == text_blocks(from_workbook)
    assert [emphasised(p) for p in body(from_yaml)] == [emphasised(p) for p in body(from_workbook)]


def test_every_form_passes_the_format_check(rendered):
    documents = [document for pair in rendered.values() for document in pair]
    result = CliRunner().invoke(main, ["kiem-tra-the-thuc", *map(str, documents)])
    assert result.exit_code == 0, result.output
    assert f"Đã kiểm tra {len(documents)} tệp: 0 lỗi" in result.output


def test_every_form_opens_in_libreoffice(pages):
    assert all(pages[form] and "BÁO CÁO" in pages[form][0] for form in FORMS)


# --- nested lists -------------------------------------------------------------------------------------------


def test_lists_nest_and_items_hold_paragraphs_lists_and_tables(rendered):
    document = rendered["danh-sach-long-nhau"][0]
    texts = [p.text for p in body(document)]
    start = texts.index("Tình hình tổ chức bộ máy như sau:")
    assert texts[start + 1 : start + 18] == [
        "- Tình hình tổ chức bộ máy của UBND xã:",
        "Ủy ban nhân dân xã có 05 công chức chuyên môn.",
        "Các bộ phận phối hợp chặt chẽ, đúng quy chế làm việc.",
        "Không có vị trí bỏ trống trong kỳ.",
        "Kiện toàn Tổ công nghệ số cộng đồng ở 06 thôn.",
        "- Kết quả giải quyết hồ sơ của Bộ phận một cửa:",
        "- Tổng số hồ sơ tiếp nhận 320 hồ sơ, gồm",  # "-" chosen inside a "-" item
        "* Lĩnh vực hộ tịch 210 hồ sơ",
        "- Khai sinh 120 hồ sơ",  # the fourth depth starts again with "-"
        "- Khai tử 40 hồ sơ",
        "* Lĩnh vực chứng thực 110 hồ sơ",
        "- Hồ sơ giải quyết đúng hạn 100%.",
        "* Về tình hình thực hiện biên chế được giao tại đơn vị:",
        "- Tổng số biên chế được giao: 20 người",
        "- Số biên chế có mặt: 20 người",
        "II. KIẾN NGHỊ, ĐỀ XUẤT",
        "Không có kiến nghị.",
    ]
    blocks = text_blocks(document)
    table_at = blocks.index("TT Lĩnh vực Số hồ sơ")
    assert blocks[table_at - 1] == "- Hồ sơ giải quyết đúng hạn 100%."
    assert blocks[table_at + 3] == "* Về tình hình thực hiện biên chế được giao tại đơn vị:"


# --- unnumbered sub-headings --------------------------------------------------------------------------------


def test_a_subheading_has_no_number_and_the_profile_s_style(rendered):
    paragraphs = body(rendered["tieu-de-khong-so"][0])
    subheadings = [p for p in paragraphs if p.style.name == "CCHC Đề mục không số"]
    assert [p.text for p in subheadings] == [
        "Kết quả thực hiện của Ủy ban nhân dân xã",
        "Kết quả thực hiện của các thôn",
    ]
    assert all(runs(p) == [(p.text, True, False)] for p in subheadings)
    numbered = [p.text for p in paragraphs if re.match(r"[IVX]+\.|\d\.", p.text)]
    assert numbered == [
        "I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
        "1. Cải cách thủ tục hành chính",
        "2. Cải cách tổ chức bộ máy hành chính nhà nước",
        "II. KIẾN NGHỊ, ĐỀ XUẤT",
    ]


def test_a_profile_that_styles_subheadings_in_italics_prints_them_so(tmp_path: Path, monkeypatch):
    """A maintainer restyles "CCHC Đề mục không số" in Word: italic, not bold."""
    templates = tmp_path / "templates"
    shutil.copytree(DEFAULT_PROFILE, templates / "bao-cao-dinh-ky")
    template = templates / "bao-cao-dinh-ky" / "template.docx"
    document = docx.Document(str(template))
    style = document.styles["CCHC Đề mục không số"]
    style.font.bold, style.font.italic = False, True
    document.save(str(template))
    monkeypatch.setenv("CCHC_TEMPLATES", str(templates))
    output = render(SHAPES / "tieu-de-khong-so.yaml", tmp_path / "nghieng.docx")
    subheading = next(p for p in body(output) if p.text == "Kết quả thực hiện của các thôn")
    assert runs(subheading) == [("Kết quả thực hiện của các thôn", False, True)]


# --- run-in headings ----------------------------------------------------------------------------------------


def test_a_run_in_heading_and_its_text_share_a_line_the_heading_bold(rendered):
    paragraphs = {p.text.split(" ", 1)[0]: p for p in body(rendered["de-muc-lien-doan"][0])}
    assert emphasised(paragraphs["1.1."]) == [
        ("1.1. Rà soát chức năng, nhiệm vụ:", True, False),
        (" Rà soát đầy đủ chức năng, nhiệm vụ của 05 bộ phận chuyên môn.", False, False),
    ]
    assert emphasised(paragraphs["1.2."]) == [
        ("1.2. Thực hiện phân cấp quản lý:", True, False),
        (" Thực hiện phân cấp đúng thẩm quyền, không có vướng mắc.", False, False),
    ]
    assert paragraphs["1.3."].text == "1.3. Kết quả khác. Không có.", "no colon after a heading's own stop"
    texts = [p.text for p in body(rendered["de-muc-lien-doan"][0])]
    assert texts[texts.index(paragraphs["1.2."].text) + 1] == "Việc phân cấp được kiểm tra định kỳ hằng quý."


# --- emphasis -----------------------------------------------------------------------------------------------


def test_bold_and_italic_are_runs_never_asterisks(rendered):
    document = rendered["chu-dam-nghieng"][0]
    paragraphs = body(document)
    by_start = {p.text[:12]: p for p in paragraphs}
    assert emphasised(by_start["Thực hiện Kế"]) == [
        ("Thực hiện Kế hoạch số 01/KH-UBND của ", False, False),
        ("Ủy ban nhân dân tỉnh", True, False),
        (";", False, False),
    ]
    assert emphasised(by_start["1. Cải cách "]) == [
        ("1. Cải cách thủ tục hành chính ", True, False),
        ("(trọng tâm)", True, True),
    ]
    assert emphasised(by_start["Kết quả: hoà"]) == [
        ("Kết quả:", True, False),
        (" hoàn thành 100% kế hoạch, được đánh giá ", False, False),
        ("“làm tốt & kịp thời <đúng hạn>”", False, True),
        (".", False, False),
    ]
    assert by_start["Số sao đánh "].text == (
        "Số sao đánh giá: 5* (năm sao); ghi chú (*) giữ nguyên; 3 * 4 không phải chữ nghiêng."
    )
    assert emphasised(by_start["- Lưu ý: hồ "]) == [
        ("- ", False, False),
        ("Lưu ý:", True, True),
        (" hồ sơ trực tuyến tăng.", False, False),
    ]
    closing = next(p for p in docx.Document(str(document)).paragraphs if p.text.startswith("Trên đây"))
    assert emphasised(closing) == [
        ("Trên đây là báo cáo của ", False, False),
        ("UBND xã An Bình", True, False),
        ("./.", False, False),
    ]
    table = tables(document)[1]
    assert [c.text for c in table.rows[1].cells] == ["1", "Hồ sơ đúng hạn", "100%"]
    assert runs(table.rows[1].cells[2].paragraphs[0]) == [("100%", True, False)]
    assert not any("**" in block for block in text_blocks(document))


def test_an_unclosed_emphasis_is_a_warning_at_its_line_and_its_cell(tmp_path: Path):
    shutil.copy(SHAPES / "units.yaml", tmp_path)
    data = yaml.safe_load((SHAPES / "khong-cau-ket.yaml").read_text(encoding="utf-8"))
    data["sections"][0]["content"] = ["Kết quả **rất tốt, hoàn thành các nhiệm vụ."]
    source = tmp_path / "mo-khong-dong.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    workbook = excel.convert(source, tmp_path / "mo-khong-dong.xlsx")
    for file, place in ((source, "dòng 8"), (workbook, "Sheet 'Nội dung', ô E6")):
        loaded = load_report(file)
        warnings = [p for p in check_report(loaded, load_profile(None)).problems if "**" in p.message]
        assert [(p.severity, p.location, p.message) for p in warnings] == [
            (
                Severity.WARNING,
                place,
                "Dấu “**” mở chữ đậm nhưng không có dấu “**” đóng, nên được in nguyên như đã gõ.",
            )
        ]
        assert warnings[0].fix == "Thêm “**” ngay sau chữ cần in đậm; muốn in dấu sao thì gõ \\*\\*."


def test_a_yaml_paragraph_that_starts_with_an_asterisk_needs_quotes(tmp_path: Path):
    shutil.copy(SHAPES / "units.yaml", tmp_path)
    source = tmp_path / "sao.yaml"
    source.write_text(
        "unit: tx-an-binh\nperiod: 2024-6T\nsections:\n  - heading: Mục\n    content:\n"
        "      - **Kết quả:** tốt\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as refused:
        load_report(source)
    problem = refused.value.problems[0]
    assert (problem.location, problem.fix) == (
        "dòng 6, cột 10",
        'Đặt cả đoạn văn trong ngoặc kép, ví dụ - "**Kết quả:** đạt 100%".',
    )
    assert problem.message.startswith("Giá trị bắt đầu bằng dấu * (chữ đậm **…**, chữ nghiêng *…*)")


# --- two-row table headers and column widths ----------------------------------------------------------------


def test_a_body_table_has_a_merged_two_row_header_and_the_widths_given(rendered):
    table = tables(rendered["bang-tieu-de-gop"][0])[1]
    assert cell_grid(table)[:2] == [
        [("TT", 1, "restart"), ("Lĩnh vực", 1, "restart"), ("Số hồ sơ", 3, None), ("Ghi chú", 1, "restart")],
        [
            ("", 1, "continue"),
            ("", 1, "continue"),
            ("Tiếp nhận", 1, None),
            ("Đã giải quyết", 1, None),
            ("Đang giải quyết", 1, None),
            ("", 1, "continue"),
        ],
    ]
    assert widths_cm(table) == [1.2, 4.0, 2.5, 2.5, 2.5, 3.5]
    header = table._tbl.tr_lst[0]
    assert header.trPr.find(qn("w:tblHeader")) is not None, "the header rows repeat on every page"
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.gridCol_lst]
    spanning = header.tc_lst[2].tcPr
    assert int(spanning.find(qn("w:tcW")).get(qn("w:w"))) == sum(grid[2:5]), "as wide as its three columns"
    assert [c.text for c in table.rows[2].cells] == ["1", "Hộ tịch", "210", "200", "10", ""]


def test_an_appendix_table_has_the_merged_header_and_fitted_widths(rendered, pages):
    table = tables(rendered["bang-tieu-de-gop"][0])[-1]
    assert [(text, span) for text, span, _ in cell_grid(table)[0]] == [
        ("STT", 1),
        ("Đơn vị", 1),
        ("Kết quả thống kê", 3),
        ("Ghi chú", 1),
    ]
    widths = widths_cm(table)
    assert sum(widths) == pytest.approx(16.5, abs=0.05)
    assert widths[2] > widths[0], "a date column is wider than the number column"
    appendix = "\n".join(pages["bang-tieu-de-gop"][1:])
    # Words whole on their lines: no "Thành" or "17/09/2026" broken inside (in its column, and in a note).
    assert appendix.count("17/09/2026") == 2
    assert re.search(r"\bphường\b", appendix) and re.search(r"\bThành Sen\b", appendix)
    assert "STT" in appendix


def test_the_roll_up_s_unit_table_is_fitted_to_its_names_and_dates(every_report, tmp_path: Path):
    """Phụ lục II of the province's roll-up: no column narrower than its longest word."""
    _, document = every_report["2026-9T/ht"]
    table = tables(document)[-1]
    names = [row.cells[1].text for row in table.rows[1:]]
    assert "UBND xã Thành Sen" in " ".join(names) or any("Thành Sen" in n for n in names)
    widths = widths_cm(table)
    assert sum(widths) == pytest.approx(16.5, abs=0.05)
    assert widths[1] >= 2.5, f"the unit column is {widths[1]} cm: names would wrap word by word"


def test_widths_wider_than_the_page_are_refused_at_their_line(tmp_path: Path):
    shutil.copy(SHAPES / "units.yaml", tmp_path)
    text = (SHAPES / "bang-tieu-de-gop.yaml").read_text(encoding="utf-8")
    source = tmp_path / "rong.yaml"
    source.write_text(
        text.replace("widths: [4, 2.5, 2.5, 2.5, 3.5]", "widths: [6, 3, 3, 3, 3]"), encoding="utf-8"
    )
    with pytest.raises(DataError) as refused:
        load_report(source)
    assert [(p.location, p.message) for p in refused.value.problems] == [
        (
            "dòng 19",
            "Trường 'sections[mục 1].content[mục 1].content[mục 2].table.widths': tổng chiều rộng các cột "
            "là 18 cm, rộng hơn phần chữ của trang (15,3 cm, không tính cột số thứ tự).",
        )
    ]


# --- a report without a closing sentence; a signer left blank; the data window ------------------------------


def test_without_a_closing_sentence_the_last_paragraph_carries_the_end_mark(rendered):
    paragraphs = docx.Document(str(rendered["khong-cau-ket"][0])).paragraphs
    texts = [p.text for p in paragraphs if p.text.strip()]
    assert not any(t.startswith("Trên đây") for t in texts)
    last = next(p for p in paragraphs if p.text.endswith("./."))
    assert last.text == "Đề nghị Sở Nội vụ tiếp tục tập huấn công tác cải cách hành chính./."
    assert last.style.name == "CCHC Đoạn kết", "kept with the signature block, as a closing sentence is"


def test_without_a_closing_sentence_the_body_must_end_with_a_paragraph(tmp_path: Path):
    shutil.copy(SHAPES / "units.yaml", tmp_path)
    data = yaml.safe_load((SHAPES / "khong-cau-ket.yaml").read_text(encoding="utf-8"))
    data["sections"][-1]["content"].append({"table": {"columns": ["Việc"], "rows": [["Tập huấn"]]}})
    source = tmp_path / "ket-bang-bang.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    errors = check_report(load_report(source), load_profile(None)).errors
    assert [(p.location, p.message) for p in errors] == [
        (
            "dòng 12",
            "Báo cáo không có câu kết nên dấu “./.” đặt cuối đoạn văn cuối cùng, nhưng nội dung kết thúc "
            "bằng một bảng, một ảnh hay một đề mục.",
        )
    ]


def test_a_signer_not_yet_known_leaves_the_name_blank(rendered):
    document = docx.Document(str(rendered["nguoi-ky-de-trong"][0]))
    signature = document.tables[-1].rows[0].cells[1]
    texts = [p.text for p in signature.paragraphs]
    assert [t for t in texts if t] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert texts[-1] == "", "the name's line is there, empty, for the office to write in"
    header = document.tables[0]
    assert header.rows[1].cells[0].text == "Số:       /BC-UBND"
    assert header.rows[1].cells[1].text == "An Bình, ngày      tháng 6 năm 2024"


def test_the_data_window_is_a_line_of_its_own_under_the_title(rendered):
    paragraphs = [p for p in docx.Document(str(rendered["dong-thoi-gian-so-lieu"][0])).paragraphs if p.text]
    title = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Kết quả thực hiện công tác"))
    window = paragraphs[title + 1]
    assert window.text == "(số liệu tính từ 15/12/2021 đến 14/6/2022)"
    assert all(not bold for _, bold, _ in runs(window)), "regular weight"
    assert runs(paragraphs[title])[0][1], "the trích yếu above it is bold"


# --- the outline's words come from the profile --------------------------------------------------------------


def renamed_profile(tmp_path: Path, title: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the default profile, in the user's own folder, whose section "ket-qua" is ``title``."""
    templates = tmp_path / "templates"
    shutil.copytree(DEFAULT_PROFILE, templates / "bao-cao-dinh-ky")
    profile = templates / "bao-cao-dinh-ky" / "profile.yaml"
    text = profile.read_text(encoding="utf-8")
    old = "    title: Kết quả thực hiện các nhiệm vụ cải cách hành chính\n"
    assert old in text
    profile.write_text(text.replace(old, f"    title: {title}\n"), encoding="utf-8")
    monkeypatch.setenv("CCHC_TEMPLATES", str(templates))
    return templates


NEW_TITLE = "Kết quả thực hiện nhiệm vụ cải cách hành chính nhà nước"


def test_a_renamed_outline_section_reaches_an_existing_period_file(tmp_path: Path, monkeypatch):
    """The maintainer renames section II in a copy of the profile; last period's file, untouched, prints the
    new words (and says that its own words were not printed)."""
    renamed_profile(tmp_path, NEW_TITLE, monkeypatch)
    existing = ROOT / "data" / "2026-9T" / "ht-duc-tho.yaml"
    assert "  - heading: Kết quả thực hiện các nhiệm vụ cải cách hành chính\n" in existing.read_text("utf-8")
    document = render(existing, tmp_path / "ht-duc-tho.docx")
    blocks = text_blocks(document)
    assert f"II. {NEW_TITLE.upper()}" in blocks
    assert "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH" not in blocks
    warnings = [p for p in api.check_files([existing]).warnings if "đề cương" in p.message]
    assert [(p.location, p.message) for p in warnings] == [
        (
            "dòng 40",
            f"Đề mục “Kết quả thực hiện các nhiệm vụ cải cách hành chính” được in theo đề cương của bộ mẫu: "
            f"“{NEW_TITLE}”.",
        )
    ]


def test_a_workbook_made_from_the_previous_period_prints_the_new_words(tmp_path: Path, monkeypatch):
    renamed_profile(tmp_path, NEW_TITLE, monkeypatch)
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    workbook = api.unit_workbook("ht-duc-tho", "2026", from_previous=True, data_dir=data).path
    book = Book(workbook)
    assert book["Nội dung"][f"E{book.body('Kết quả thực hiện')}"].value == (
        "Kết quả thực hiện các nhiệm vụ cải cách hành chính"
    ), "the words carried over from the previous report"
    with pytest.raises(CheckFailed) as failed:  # its figures are not filled in yet
        api.check_files([workbook])
    warnings = [(p.severity, p.location, p.message) for p in failed.value.problems if "đề cương" in p.message]
    assert warnings == [
        (
            Severity.WARNING,
            f"Sheet 'Nội dung', ô E{book.body('Kết quả thực hiện')}",
            f"Đề mục “Kết quả thực hiện các nhiệm vụ cải cách hành chính” được in theo đề cương của bộ mẫu: "
            f"“{NEW_TITLE}”.",
        ),
        (  # and the section that looks ahead names the next period of the annual report, not the 9 months'
            Severity.WARNING,
            f"Sheet 'Nội dung', ô E{book.body('Phương hướng')}",
            "Đề mục “Phương hướng, nhiệm vụ quý IV năm 2026” được in theo đề cương của bộ mẫu: “Phương "
            "hướng, nhiệm vụ năm 2027”.",
        ),
    ]
    fixes = [p.fix or "" for p in failed.value.problems if "đề cương" in p.message]
    assert all("'Đề mục, giữ nguyên tên'" in fix for fix in fixes), "the fix speaks of the workbook's kinds"


def test_a_heading_that_keeps_its_own_words_is_printed_so_with_a_warning(rendered):
    blocks = text_blocks(rendered["ten-muc-theo-de-cuong"][0])
    assert "II. NHỮNG KIẾN NGHỊ CỦA XÃ" in blocks
    for file, place in (
        (SHAPES / "ten-muc-theo-de-cuong.yaml", "dòng 11"),
        (SHAPES / "ten-muc-theo-de-cuong.xlsx", "Sheet 'Nội dung', ô E7"),
    ):
        problems = api.check_files([file]).warnings  # no error: it would raise
        differs = [p for p in problems if "khác với đề cương" in p.message]
        assert [(p.severity, p.location, p.message) for p in differs] == [
            (
                Severity.WARNING,
                place,
                "Đề mục “Những kiến nghị của xã” khác với đề cương của bộ mẫu (“Kiến nghị, đề xuất”); báo "
                "cáo in theo dữ liệu.",
            )
        ]


# --- the template linter knows the new blocks ---------------------------------------------------------------


def test_template_fields_lists_the_new_fields():
    fields = {field.path for field in api.template_fields("bao-cao-dinh-ky")}
    assert {"doc.window", "body[].head", "body[].head[][].span", "body[].head[][].text"} <= fields
    assert {"appendices[].head", "appendices[].head[][].text"} <= fields


def old_style_template(path: Path) -> None:
    """A template as profiles copied before this change have it: no sub-heading kind, a one-row header."""
    document = docx.Document()
    for text in ("{%p for b in body %}", "{{ b.text }}"):
        document.add_paragraph(text)
    table = document.add_table(rows=4, cols=3)
    for row, texts in zip(
        table.rows,
        [
            ("{%tc for column in b.columns %}", "{{ column }}", "{%tc endfor %}"),
            ("{%tr for r in b.rows %}", "", ""),
            ("{%tc for cell in r %}", "{{ cell }}", "{%tc endfor %}"),
            ("{%tr endfor %}", "", ""),
        ],
        strict=True,
    ):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    document.add_paragraph("{%p endfor %}")
    document.save(str(path))


def test_template_check_warns_of_a_template_without_the_new_blocks(tmp_path: Path, monkeypatch):
    templates = tmp_path / "templates"
    shutil.copytree(DEFAULT_PROFILE, templates / "cu")
    profile = templates / "cu" / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("valid_from:", "# valid_from:"), "utf-8")
    old_style_template(templates / "cu" / "template.docx")
    monkeypatch.setenv("CCHC_TEMPLATES", str(templates))
    warnings = [p for p in api.check_profile("cu") if p.severity == Severity.WARNING]
    messages = [p.message for p in warnings]
    assert (
        'Mẫu không có kiểu riêng cho tiêu đề không đánh số (b.kind == "subheading"): các tiêu đề này in như '
        "đoạn văn thường." in messages
    )
    assert (
        "Bảng in tiêu đề từ b.columns: tiêu đề hai dòng (một ô gộp trên nhiều cột) in thành một dòng, và "
        "chiều rộng các cột không theo dữ liệu." in messages
    )


def test_the_bundled_templates_pass_the_check_with_no_warning():
    for profile in ("bao-cao-dinh-ky", "bao-cao-kiem-tra"):
        assert api.check_profile(profile) == []


# --- the documentation --------------------------------------------------------------------------------------


def doc_examples() -> Iterator[str]:
    text = (ROOT / "docs" / "du-lieu.md").read_text(encoding="utf-8")
    for block in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL):
        if block.startswith(("sections:", "signer:")):
            yield block


@pytest.mark.parametrize("example", list(doc_examples()), ids=lambda e: e.splitlines()[-2].strip()[:30])
def test_every_example_of_the_data_format_doc_is_valid(example: str):
    data = yaml.safe_load(example)
    data.setdefault("sections", [{"heading": "Mục", "content": ["Đoạn."]}])
    Report.model_validate({"unit": "tx-an-binh", "period": "2024-6T", **data})


# --- the web form ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_the_web_form_keeps_every_form(form: str):
    """A report shown in the web workspace's form and saved unchanged is the same report."""
    data = plain_data(load_yaml(SHAPES / f"{form}.yaml").data)
    where = api.place(SHAPES, data["unit"], str(data["period"]))
    shown = api.report_form(where, data)
    back = api.data_from_report_form(where, web_form.form_fields(shown.values), data)
    assert Report.model_validate(back) == Report.model_validate(data)


def form_blocks(form: str) -> dict[str, str]:
    data = plain_data(load_yaml(SHAPES / f"{form}.yaml").data)
    shown = api.report_form(api.place(SHAPES, data["unit"], str(data["period"])), data)
    return web_form.form_fields(shown.values)


def test_the_web_form_shows_each_form_in_fields_a_clerk_can_edit():
    lists = form_blocks("danh-sach-long-nhau")
    assert lists["b.0.0.1.kind"] == "data", "an item holding a table is kept as the data file writes it"
    assert "table:" in lists["b.0.0.1.text"]
    assert (lists["b.0.0.2.kind"], lists["b.0.0.2.text"]) == (
        "list",
        "* Về tình hình thực hiện biên chế được giao tại đơn vị:\n"
        "  - Tổng số biên chế được giao: 20 người\n"
        "  - Số biên chế có mặt: 20 người",
    )
    sub = form_blocks("tieu-de-khong-so")
    assert (sub["b.0.0.0.kind"], sub["b.0.0.0.text"]) == ("sub", "Kết quả thực hiện của Ủy ban nhân dân xã")
    run_in = form_blocks("de-muc-lien-doan")
    assert (run_in["b.0.0.0.heading"], run_in["b.0.0.0.text"]) == (
        "Rà soát chức năng, nhiệm vụ",
        "Rà soát đầy đủ chức năng, nhiệm vụ của 05 bộ phận chuyên môn.",
    )
    table = form_blocks("bang-tieu-de-gop")
    assert (
        table["b.0.0.1.columns"]
        == "Lĩnh vực | Số hồ sơ [Tiếp nhận; Đã giải quyết; Đang giải quyết] | Ghi chú"
    )
    assert table["b.0.0.1.widths"] == "4 | 2,5 | 2,5 | 2,5 | 3,5"
    assert form_blocks("ten-muc-theo-de-cuong")["b.1.own_heading"] == "1"
    assert form_blocks("khong-cau-ket")["closing"] == "Không"
    assert form_blocks("nguoi-ky-de-trong")["signer.name"] == ""
    assert form_blocks("dong-thoi-gian-so-lieu")["data_window"] == "1"


def test_the_web_form_reads_what_a_clerk_types_for_each_form():
    where = api.place(SHAPES, "tx-an-binh", "2024-6T")
    fields = {
        "closing": "không",
        "data_window": "0",
        "b.0.kind": "h",
        "b.0.heading": "Kết quả",
        "b.0.own_heading": "1",
        "b.0.0.kind": "h",
        "b.0.0.heading": "Phân cấp quản lý",
        "b.0.0.text": "Thực hiện đúng thẩm quyền.",
        "b.0.1.kind": "sub",
        "b.0.1.text": "Kết quả của các thôn",
        "b.0.2.kind": "list",
        "b.0.2.text": "- Ý một:\n  đoạn của ý một\n+ ý con\n    * ý cháu",
        "b.0.3.kind": "list",
        "b.0.3.text": "* Ý sao ở ngoài\n  - ý gạch bên trong",
        "b.0.4.kind": "table",
        "b.0.4.columns": "Đơn vị | Hồ sơ [Tiếp nhận; Giải quyết]",
        "b.0.4.rows": "Thôn 1 | 5 | 4",
        "b.0.4.widths": "5 | 3 | 3,5",
    }
    data = api.data_from_report_form(where, fields, {})
    assert (data["closing"], data["data_window"]) == (False, False)
    assert data["sections"] == [
        {
            "heading": "Kết quả",
            "own_heading": True,
            "content": [
                {"heading": "Phân cấp quản lý", "text": "Thực hiện đúng thẩm quyền."},
                {"subheading": "Kết quả của các thôn"},
                {
                    "list": [
                        {
                            "text": "Ý một:",
                            "content": ["đoạn của ý một", {"list": [{"text": "ý con", "sub": ["ý cháu"]}]}],
                        }
                    ]
                },
                {
                    "list": [
                        {"text": "Ý sao ở ngoài", "content": [{"list": ["ý gạch bên trong"], "marker": "-"}]}
                    ],
                    "marker": "*",
                },
                {
                    "table": {
                        "columns": ["Đơn vị", {"title": "Hồ sơ", "columns": ["Tiếp nhận", "Giải quyết"]}],
                        "rows": [["Thôn 1", "5", "4"]],
                        "widths": [5, 3, 3.5],
                    }
                },
            ],
        }
    ]
    Report.model_validate({"unit": "tx-an-binh", "period": "2024-6T", **data})


def test_a_problem_of_a_sub_item_is_at_its_own_row_of_the_workbook(tmp_path: Path):
    """Plain sub-items are the item's ``sub`` in the report, rows of their own in the workbook: a problem
    of one is placed at its row."""
    shutil.copy(SHAPES / "units.yaml", tmp_path)
    book = Book(excel.convert(SHAPES / "danh-sach-long-nhau.yaml", tmp_path / "long-nhau.xlsx"))
    row = book.body("Khai tử 40 hồ sơ")
    book["Nội dung"][f"E{row}"] = "Khai tử {ma_khong_co} hồ sơ"
    problems = check_report(load_report(book.save().path), load_profile(None)).errors
    assert [(p.location, p.message) for p in problems] == [
        (
            f"Sheet 'Nội dung', ô E{row}",
            "Đoạn văn trích chỉ tiêu 'ma_khong_co' không có trong danh mục: “{ma_khong_co}”.",
        )
    ]
