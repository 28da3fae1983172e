"""Workbooks as clerks really leave them (#5): each case with the value read, or the problem with its
sheet, cell and message.

The workbook is the test report (tests/conftest.py) converted to Excel, under a catalogue with a
percentage, counts, a coded answer, an amount and a text. Its cells: "Số liệu" D6 kh_nhiem_vu,
D7 kh_hoan_thanh, D9 kh_ty_le, D10 hs_tiep_nhan, D11 hs_da_giai_quyet, D12 hs_dang_giai_quyet,
D13 ks_hinh_thuc, D14 kinh_phi, D15 ghi_chu; "Thông tin chung" B8 Số văn bản, B9 Ngày ký, B11 Kính gửi,
B12–B14 Đoạn mở đầu; "Nội dung" row 5 heading I, row 7 its first paragraph, rows 8–11 the list.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from cchc_gen.cli import main
from cchc_gen.model.report import ImageBlock, ListBlock
from cchc_gen.vn.dates import IssueDate
from tests.excel_book import Book, located

FIGURES, INFO, BODY = "Số liệu", "Thông tin chung", "Nội dung"


def test_the_layout_the_cases_rely_on(book: Book):
    assert [
        book.figure(c) for c in ("kh_nhiem_vu", "kh_ty_le", "hs_tiep_nhan", "ks_hinh_thuc", "ghi_chu")
    ] == [
        "D6",
        "D9",
        "D10",
        "D13",
        "D15",
    ]
    assert [book.info(label) for label in ("Số văn bản", "Ngày ký", "Kính gửi", "Đoạn mở đầu")] == [
        "B8",
        "B9",
        "B11",
        "B12",
    ]
    assert (book.body("Công tác chỉ đạo"), book.body("Ủy ban nhân dân xã ban hành"), book.body("Việc A")) == (
        5,
        7,
        10,
    )


# --- figures: values read -------------------------------------------------------------------------------

READ = [
    pytest.param({"D10": "1.601", "D11": "1.421", "D12": "180"}, "hs_tiep_nhan", 1601, id="thousands-dot"),
    pytest.param({"D9": "47,37"}, "kh_ty_le", Decimal("47.37"), id="decimal-comma"),
    pytest.param({"D14": "30.000.000 đồng"}, "kinh_phi", 30_000_000, id="amount-with-dong"),
    pytest.param({"D14": "30.000.000\u00a0đồng"}, "kinh_phi", 30_000_000, id="non-breaking-space"),
    pytest.param({"D14": "\u00a030.000.000 "}, "kinh_phi", 30_000_000, id="spaces-around"),
    pytest.param({"D10": 1601.0, "D11": 1421, "D12": 180}, "hs_tiep_nhan", 1601, id="whole-float"),
    pytest.param({"D9": 47.37}, "kh_ty_le", Decimal("47.37"), id="number-cell"),
    pytest.param({"D13": "1 – Phát phiếu"}, "ks_hinh_thuc", 1, id="drop-down-answer"),
    pytest.param({"D13": 1}, "ks_hinh_thuc", 1, id="answer-typed-as-number"),
    pytest.param({"D7": 0}, "kh_ty_le", Decimal("0.00"), id="zero-is-a-figure"),
    pytest.param({"D7": None}, "kh_hoan_thanh", None, id="empty-is-no-figure"),
    pytest.param({"D15": "Ghi\u00a0chú  chung"}, "ghi_chu", "Ghi chú  chung", id="text-figure"),
]


@pytest.mark.parametrize(("cells", "code", "expected"), READ)
def test_figures_are_read_as_the_clerk_meant(book: Book, cells: dict, code: str, expected):
    for cell, value in cells.items():
        book[FIGURES][cell] = value
    checked = book.save().check()
    assert checked.errors == []
    assert checked.figures.values.get(code) == expected


def test_empty_and_zero_differ_in_the_report(book: Book):
    """Empty: the rate cannot be computed and the text quoting the figure is refused, at its cell."""
    book[BODY]["E7"] = "Đã hoàn thành {kh_hoan_thanh/kh_nhiem_vu} nhiệm vụ, đạt {kh_ty_le}."
    book[FIGURES]["D7"] = None
    problems = located(book.save().check().errors)
    assert problems == [
        (
            "Sheet 'Nội dung', ô E7",
            "Đoạn văn trích chỉ tiêu 'kh_hoan_thanh' (Số nhiệm vụ đã hoàn thành) nhưng chưa có số liệu.",
        ),
        (
            "Sheet 'Nội dung', ô E7",
            "Đoạn văn trích chỉ tiêu 'kh_ty_le' (Tỷ lệ nhiệm vụ đã hoàn thành) nhưng chưa có số liệu.",
        ),
    ]
    book[FIGURES]["D7"] = 0
    assert book.save().check().errors == []


# --- figures: problems at their cell --------------------------------------------------------------------

FIGURE_PROBLEMS = [
    pytest.param(
        {"D10": "1,601.5"},
        "Sheet 'Số liệu', ô D10",
        "Số hồ sơ tiếp nhận: “1,601.5” viết theo kiểu tiếng Anh (dấu phẩy ngăn cách hàng nghìn, dấu chấm "
        "trước phần thập phân).",
        id="english-notation",
    ),
    pytest.param(
        {"D10": "=D11+D12"},
        "Sheet 'Số liệu', ô D10",
        "Ô có công thức =D11+D12 nhưng tệp không lưu kết quả của công thức (tệp được ghi bởi một chương "
        "trình không tính công thức).",
        id="formula-without-result",
    ),
    pytest.param(
        {"D6": True},
        "Sheet 'Số liệu', ô D6",
        "Ô có giá trị đúng/sai (TRUE/FALSE), không phải số liệu.",
        id="true-false",
    ),
    pytest.param(
        {"D7": dt.datetime(2026, 9, 1)},
        "Sheet 'Số liệu', ô D7",
        "Excel đã hiểu số liệu gõ ở ô này là ngày tháng (01/09/2026).",
        id="number-turned-into-a-date",
    ),
    pytest.param(
        {"D13": 5},
        "Sheet 'Số liệu', ô D13",
        "Hình thức khảo sát chỉ nhận các giá trị: 0 (Trực tuyến), 1 (Phát phiếu); dữ liệu ghi 5.",
        id="answer-not-in-the-list",
    ),
    pytest.param(
        {"D9": 130},
        "Sheet 'Số liệu', ô D9",
        "Tỷ lệ nhiệm vụ đã hoàn thành (130%) phải nằm trong khoảng 0–100%.",
        id="percentage-above-100",
    ),
    pytest.param(
        {"D7": "20"},
        "Sheet 'Số liệu', ô D7",
        "Số nhiệm vụ đã hoàn thành (20) không được lớn hơn Số nhiệm vụ đề ra trong kế hoạch (19).",
        id="rule-between-figures",
    ),
]


@pytest.mark.parametrize(("cells", "place", "message"), FIGURE_PROBLEMS)
def test_figure_problems_name_their_cell(book: Book, cells: dict, place: str, message: str):
    for cell, value in cells.items():
        book[FIGURES][cell] = value
    book.save()
    problems = book.problems() or book.check().errors
    assert located(problems) == [(place, message)]
    assert all(p.fix for p in problems)


def test_kiem_tra_prints_sheet_and_cell_and_how_to_fix(book: Book):
    book[FIGURES]["D10"] = "=D11+D12"
    result = CliRunner().invoke(main, ["kiem-tra", str(book.save().path)])
    assert result.exit_code == 1
    assert (
        "  - [lỗi] Sheet 'Số liệu', ô D10: Ô có công thức =D11+D12 nhưng tệp không lưu kết quả"
        in result.output
    )
    assert "    Cách sửa: Mở tệp bằng Excel hoặc LibreOffice Calc rồi lưu lại" in result.output


def test_a_cached_error_result_is_a_problem(book: Book):
    """A formula whose result Excel saved as an error (#DIV/0!) is named, not read as text."""
    book[FIGURES]["D10"] = "=1/0"
    book.save()
    with zipfile.ZipFile(book.path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    name = next(n for n, xml in parts.items() if n.startswith("xl/worksheets/") and b"<f>1/0</f>" in xml)
    parts[name] = (
        parts[name]
        .replace(b"<f>1/0</f><v></v>", b"<f>1/0</f><v>#DIV/0!</v>")
        .replace(b'<c r="D10" s', b'<c r="D10" t="e" s')
    )
    with zipfile.ZipFile(book.path, "w") as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    assert located(book.problems()) == [
        ("Sheet 'Số liệu', ô D10", "Công thức ở ô này cho kết quả lỗi #DIV/0!.")
    ]


# --- rows and sheets moved, added, merged -----------------------------------------------------------------


def test_extra_rows(book: Book):
    figures = book[FIGURES]
    figures.insert_rows(8)
    figures["B8"] = "Tổng cộng (dòng thêm)"
    figures["D8"] = 28
    figures["B30"] = "Người lập biểu: Lê Văn An"
    book[INFO].insert_rows(13)
    book[INFO]["B13"] = "Căn cứ Kế hoạch số 02/KH-UBND;"
    book[BODY].insert_rows(8)
    book[BODY]["E8"] = "Đoạn thêm vào giữa."
    book.save()
    assert located(book.problems()) == [
        (
            "Sheet 'Số liệu', ô D8",
            "Ô có số liệu nhưng dòng này không có mã chỉ tiêu (cột 'Mã chỉ tiêu') nên số liệu không "
            "được đọc.",
        )
    ]
    figures["D8"] = None
    report = book.save().load().report
    assert report.lead_in[1] == "Căn cứ Kế hoạch số 02/KH-UBND;", "an inserted row continues the list above"
    plan = report.sections[0].content[0]
    assert plan.content[:2] == [
        "Ủy ban nhân dân xã ban hành Kế hoạch cải cách hành chính năm 2024 với 19 nhiệm vụ.",
        "Đoạn thêm vào giữa.",
    ]
    assert report.figures["kh_nhiem_vu"] == 19 and report.figures["ghi_chu"] == "x"


def test_renamed_reordered_and_hidden_sheets_and_moved_columns(book: Book):
    original = book.load().report
    workbook = book.workbook
    workbook[FIGURES].title = "Biểu 1"
    workbook["Biểu 1"].sheet_state = "hidden"
    workbook[BODY].title = "Sheet1"
    workbook.move_sheet("Biểu 1", offset=-3)
    figures = workbook["Biểu 1"]
    for row in range(4, figures.max_row + 1):  # "Số liệu" and "Mã chỉ tiêu" change places
        figures[f"D{row}"].value, figures[f"F{row}"].value = (
            figures[f"F{row}"].value,
            figures[f"D{row}"].value,
        )
    assert book.save().load().report == original
    figures["F7"] = "=1+"
    book.save()
    assert [p.location for p in book.problems()] == ["Sheet 'Biểu 1', ô F7"]


def test_two_sheets_of_figures_are_refused_naming_both(book: Book):
    copy = book.workbook.copy_worksheet(book[FIGURES])
    copy["D6"] = 99
    problems = book.save().problems()
    assert [(p.message, p.fix) for p in problems] == [
        (
            "Có nhiều sheet cùng dạng sheet 'Số liệu': 'Số liệu', 'Số liệu Copy'; không biết đọc sheet nào.",
            "Xóa các sheet thừa (hoặc xóa dòng tiêu đề của chúng), chỉ giữ một sheet 'Số liệu'.",
        )
    ]
    book[FIGURES].title = "Bản cũ"
    copy.title = "Số liệu (2)"
    problems = book.save().problems()
    assert [p.message for p in problems] == [
        "Có nhiều sheet cùng dạng sheet 'Số liệu': 'Bản cũ', 'Số liệu (2)'; không biết đọc sheet nào."
    ]


def test_a_missing_sheet(book: Book):
    del book.workbook[BODY]
    problems = book.save().problems()
    assert [(p.message, p.fix) for p in problems] == [
        (
            "Không tìm thấy sheet 'Nội dung' (sheet có dòng tiêu đề gồm 'Cấp', 'Loại', 'Nội dung').",
            "Khôi phục sheet này hoặc dòng tiêu đề của nó (Hoàn tác, hoặc chép từ một bảng tính mới tạo "
            "bằng cchc mau-excel).",
        )
    ]


def test_merged_cells(book: Book):
    book[INFO].merge_cells("B12:C12")  # a value merged with its hint: still one value
    book[BODY].merge_cells("E7:G7")
    book[FIGURES].merge_cells("D6:D7")
    book.save()
    assert located(book.problems()) == [
        (
            "Sheet 'Số liệu', ô D6",
            "Các ô D6:D7 đã được gộp (merge) nên không biết số liệu thuộc chỉ tiêu nào.",
        )
    ]
    book[FIGURES].unmerge_cells("D6:D7")
    book[FIGURES]["D6"], book[FIGURES]["D7"] = 19, 9
    report = book.save().load().report
    assert report.lead_in == ["Thực hiện Kế hoạch số 01/KH-UBND ngày 02/01/2024 của Ủy ban nhân dân tỉnh;"]
    assert report.sections[0].content[0].content[0].startswith("Ủy ban nhân dân xã ban hành")


# --- "Thông tin chung" --------------------------------------------------------------------------------------

DATES = [
    pytest.param(45296, IssueDate(2024, 1, 5), id="excel-serial"),
    pytest.param(45296.0, IssueDate(2024, 1, 5), id="excel-serial-float"),
    pytest.param(dt.datetime(2024, 1, 5), IssueDate(2024, 1, 5), id="date-cell"),
    pytest.param("5/1/2024", IssueDate(2024, 1, 5), id="text-d-m-yyyy"),
    pytest.param("05.01.2024", IssueDate(2024, 1, 5), id="text-with-dots"),
    pytest.param("1/2024", IssueDate(2024, 1), id="month-only"),
    pytest.param(None, IssueDate(), id="blank"),
]


@pytest.mark.parametrize(("value", "expected"), DATES)
def test_dates_as_serials_or_text(book: Book, value, expected: IssueDate):
    book[INFO]["B9"] = value
    assert book.save().load().report.date == expected


# (cells typed, place, message, fix)
INFO_PROBLEMS = [
    pytest.param(
        {"B9": "31/02/2024"},
        "Sheet 'Thông tin chung', ô B9",
        "Trường 'Ngày ký': Ngày '31/02/2024' không có thật.",
        "Kiểm tra lại ngày và tháng: tháng 2 có 28 ngày (29 ngày năm nhuận), tháng 4, 6, 9, 11 có 30 ngày.",
        id="impossible-date",
    ),
    pytest.param(
        {"B9": "ngày 5"},
        "Sheet 'Thông tin chung', ô B9",
        "Trường 'Ngày ký': 'ngày 5' không phải ngày hợp lệ; gõ theo dạng ngày/tháng/năm, ví dụ 06/12/2023, "
        "hoặc tháng/năm (ví dụ 3/2023) nếu để trống ngày.",
        "Gõ ngày theo dạng ngày/tháng/năm, ví dụ 06/12/2023, hoặc tháng/năm (ví dụ 3/2023) nếu để trống "
        "ngày.",
        id="not-a-date",
    ),
    pytest.param(
        {"B8": "12a"},
        "Sheet 'Thông tin chung', ô B8",
        "Trường 'Số văn bản': số văn bản phải là số nguyên dương (ví dụ 232), hoặc để trống để văn thư điền.",
        "Ghi số thứ tự của văn bản bằng chữ số, không kèm ký hiệu (ví dụ 232); chưa có số thì để trống.",
        id="bad-number",
    ),
    pytest.param(
        {"B23": "Trần Văn Bình"},
        "Sheet 'Thông tin chung', ô B21",
        "Trường 'Chức vụ người ký' thiếu trường bắt buộc.",
        "Điền giá trị vào ô này.",
        id="signer-without-title",
    ),
    pytest.param(
        {"A8": "Số văn bảng"},
        "Sheet 'Thông tin chung', ô A8",
        "Mục 'Số văn bảng' không có trong mẫu nên giá trị của nó không được đọc.",
        "Có phải ý bạn là 'Số văn bản'? Sửa tên mục cho đúng, hoặc xóa dòng này.",
        id="unknown-label",
    ),
    pytest.param(
        {"B24": "I., 1., b)"},
        "Sheet 'Thông tin chung', ô B24",
        "Cách đánh số 'b)' không có.",
        "Ghi các cấp cách nhau bởi dấu phẩy, mỗi cấp là một trong: I., 1., 1.1., a) (ví dụ: I., 1., a)).",
        id="unknown-numbering",
    ),
    pytest.param(
        {"B25": "Ko"},
        "Sheet 'Thông tin chung', ô B25",
        "'Ko' không phải 'Có' hay 'Không'.",
        "Chọn 'Có' hoặc 'Không'.",
        id="yes-or-no",
    ),
]


@pytest.mark.parametrize(("cells", "place", "message", "fix"), INFO_PROBLEMS)
def test_info_problems_name_their_cell(book: Book, cells: dict, place: str, message: str, fix: str):
    for cell, value in cells.items():
        book[INFO][cell] = value
    problems = book.save().problems()
    assert [(p.location, p.message, p.fix) for p in problems] == [(place, message, fix)]


def test_info_values_as_clerks_type_them(book: Book):
    info = book[INFO]
    info["B11"] = "Sở Nội vụ\u00a0tỉnh Thử Nghiệm\nVăn phòng UBND tỉnh"  # Alt+Enter between two
    info["B16"] = " Thường trực Đảng ủy xã "
    info["B18"] = "VT,VP , TH"
    info["B19"], info["B20"], info["B21"], info["B23"] = "kt", "Chủ tịch", "Phó Chủ tịch", "Trần Văn Bình"
    info["B24"] = "I., 1., 1.1., a)"
    info["B25"] = "không"
    info["B8"] = "12"
    report = book.save().load().report
    assert report.recipients == ["Sở Nội vụ tỉnh Thử Nghiệm", "Văn phòng UBND tỉnh"]
    assert report.distribution == ["Thường trực Đảng ủy xã"]
    assert report.archive == ["VT", "VP", "TH"]
    assert (report.signer.authority, report.signer.on_behalf, report.signer.name) == (
        "KT.",
        "Chủ tịch",
        "Trần Văn Bình",
    )
    assert report.numbering == ["roman", "decimal", "nested", "letter"]
    assert (report.appendix, report.number) == (False, 12)


# --- "Nội dung" ---------------------------------------------------------------------------------------------


def test_levels_place_rows_under_their_heading(book: Book):
    body = book[BODY]
    body["A16"], body["B16"] = None, "Đề mục"  # no level: a sibling of the heading above ("Kiến nghị" at 1)
    body["E16"] = "Một mục mới"
    body["A17"], body["E17"] = 1, "Đoạn kết của mục I, sau các điểm."
    report = book.save().load().report
    assert [s.heading for s in report.sections] == [
        "Công tác chỉ đạo, điều hành cải cách hành chính",
        "Kiến nghị, đề xuất",
        "Một mục mới",
    ]
    assert report.sections[2].content == ["Đoạn kết của mục I, sau các điểm."]
    body["A12"], body["A17"], body["E17"] = 4, None, None
    problems = book.save().problems()
    assert located(problems) == [
        ("Sheet 'Nội dung', ô A12", "Đề mục cấp 4 nhưng phía trên chưa có đề mục cấp 3.")
    ]


BODY_PROBLEMS = [
    pytest.param(
        {"D8": 2},
        "Sheet 'Nội dung', ô D8",
        "Ý cấp 2 nhưng phía trên chưa có ý nào.",
        id="item-deeper-than-the-items-above",
    ),
    pytest.param(
        {"D7": 1},
        "Sheet 'Nội dung', ô D7",
        "Cấp ý 1 nhưng phía trên chưa có ý nào.",
        id="paragraph-in-an-item-that-is-not-there",
    ),
    pytest.param(
        {"B7": "Đoạn vă"},
        "Sheet 'Nội dung', ô B7",
        "Loại dòng 'Đoạn vă' không có.",
        id="unknown-kind",
    ),
    pytest.param(
        {"A7": "một"},
        "Sheet 'Nội dung', ô A7",
        "Cấp 'một' không hợp lệ.",
        id="level-not-a-number",
    ),
    pytest.param(
        {"A7": 3},
        "Sheet 'Nội dung', ô A7",
        "Cấp 3 nhưng phía trên chỉ có đề mục đến cấp 2.",
        id="level-deeper-than-its-heading",
    ),
    pytest.param(
        {"G7": "ô thừa"},
        "Sheet 'Nội dung', ô G7",
        "Dòng loại 'Đoạn văn' chỉ dùng cột 'Nội dung', nhưng ô này cũng có chữ.",
        id="text-beside-a-paragraph",
    ),
    pytest.param(
        {"B13": "Bảng", "E13": "Tên", "F13": "Số lượng"},
        "Sheet 'Nội dung', ô B13",
        "Bảng này chưa có dòng nào.",
        id="table-without-rows",
    ),
    pytest.param(
        {"B13": "Bảng", "E13": "Tên", "B14": "Dòng bảng", "E14": "Máy in", "F14": "06", "G14": "thừa"},
        "Sheet 'Nội dung', ô G14",
        "Dòng bảng có 3 ô nhưng bảng chỉ có 1 cột.",
        id="table-row-too-wide",
    ),
    pytest.param(
        {"B13": "Dòng bảng", "E13": "Máy in"},
        "Sheet 'Nội dung', ô B13",
        "Dòng bảng này không đứng dưới dòng 'Bảng' nào.",
        id="table-row-without-table",
    ),
    pytest.param(
        {"B5": "Đoạn văn", "A5": None},
        "Sheet 'Nội dung', ô E5",
        "Nội dung này chưa thuộc đề mục nào.",
        id="text-before-any-heading",
    ),
    pytest.param(
        {"E15": None, "E16": None, "B17": "Phụ lục", "E17": "Danh sách máy móc"},
        "Sheet 'Nội dung', ô E17",
        "Phụ lục này chưa có bảng.",
        id="appendix-without-table",
    ),
    pytest.param(
        {"B13": "Ảnh", "F13": "Biểu đồ 1. Tỷ lệ hồ sơ đúng hạn"},
        "Sheet 'Nội dung', ô E13",
        "Dòng loại 'Ảnh' chưa có tên tệp ảnh ở cột 'Nội dung'.",
        id="image-without-file-name",
    ),
    pytest.param(
        {"B13": "Ảnh", "E13": "bieu-do.png", "G13": "mười lăm"},
        "Sheet 'Nội dung', ô G13",
        "Chiều rộng ảnh: “mười lăm” không phải là số.",
        id="image-width-not-a-number",
    ),
    pytest.param(
        {"B13": "Ảnh", "E13": "bieu-do.png", "G13": "12.5"},
        "Sheet 'Nội dung', ô G13",
        "Chiều rộng ảnh: “12.5” không rõ nghĩa: dấu chấm chỉ dùng để ngăn cách hàng nghìn, sau mỗi dấu "
        "chấm phải có đúng 3 chữ số.",
        id="image-width-english-decimal",
    ),
    pytest.param(
        {"B13": "Ảnh", "E13": "bieu-do.png", "H13": "ô thừa"},
        "Sheet 'Nội dung', ô H13",
        "Dòng loại 'Ảnh' chỉ dùng 3 ô: tên tệp ảnh, chú thích ảnh, chiều rộng ảnh (cm) (từ cột 'Nội dung' "
        "sang phải), nhưng ô này cũng có chữ.",
        id="image-extra-cell",
    ),
]


@pytest.mark.parametrize(("cells", "place", "message"), BODY_PROBLEMS)
def test_body_problems_name_their_cell(book: Book, cells: dict, place: str, message: str):
    for cell, value in cells.items():
        book[BODY][cell] = value
    problems = book.save().problems()
    assert located(problems)[:1] == [(place, message)]
    assert all(p.fix for p in problems)


def test_tables_and_appendices_typed_in_rows(book: Book):
    body = book[BODY]
    rows = [
        ("Bảng không đánh số", "Nơi tiếp nhận", "Hồ sơ"),
        ("Dòng bảng", "Bộ phận một cửa", 1601),
        ("Dòng bảng", "Điểm tiếp nhận số 2", "0.5"),
        ("Phụ lục", "Danh sách đơn vị", None),
        ("Phụ lục", "được kiểm tra", None),
        ("Bảng", "Đơn vị", "Kết quả"),
        ("Dòng bảng", "Thôn 1", None),
    ]
    for offset, (kind, first, second) in enumerate(rows):
        body.cell(13 + offset, 2, kind)
        body.cell(13 + offset, 5, first)
        body.cell(13 + offset, 6, second)
    body["E20"], body["E21"], body["E22"] = None, None, None  # rows after the appendix left empty
    report = book.save().load().report
    table = report.sections[0].content[0].content[-1].content[0].table
    assert (table.number_column, table.columns, table.rows) == (
        None,
        ["Nơi tiếp nhận", "Hồ sơ"],
        [["Bộ phận một cửa", "1601"], ["Điểm tiếp nhận số 2", "0.5"]],
    )
    assert [(a.title, a.columns, a.rows, a.number_column) for a in report.appendices] == [
        (["Danh sách đơn vị", "được kiểm tra"], ["Đơn vị", "Kết quả"], [["Thôn 1", ""]], "STT")
    ]


@pytest.mark.parametrize("width", [20, "1,5 cm"])
def test_an_image_wider_than_the_page_or_too_narrow(book: Book, width):
    """The model's own message for the range, at the width's cell."""
    body = book[BODY]
    body["B13"], body["E13"], body["G13"] = "Ảnh", "bieu-do.png", width
    assert located(book.save().problems()) == [
        (
            "Sheet 'Nội dung', ô G13",
            "Trường 'chiều rộng ảnh (cm)': chiều rộng ảnh phải từ 2 đến 16,5 cm (bề rộng phần chữ của trang "
            "A4).",
        )
    ]


@pytest.mark.parametrize(
    ("caption", "width", "expected"),
    [
        (
            "Biểu đồ 1. Tỷ lệ hồ sơ  giải quyết đúng hạn",
            "12,5 cm",
            ImageBlock(
                image="bieu-do.png",
                caption="Biểu đồ 1. Tỷ lệ hồ sơ giải quyết đúng hạn",
                width_cm=Decimal("12.5"),
            ),
        ),
        (None, 16.5, ImageBlock(image="bieu-do.png", width_cm=Decimal("16.5"))),
        (None, "10", ImageBlock(image="bieu-do.png", width_cm=Decimal(10))),
        (None, None, ImageBlock(image="bieu-do.png")),
    ],
    ids=["caption-and-width-with-unit", "width-as-number", "width-as-text", "file-name-only"],
)
def test_an_image_row_filled_by_a_clerk(book: Book, caption: str | None, width, expected: ImageBlock):
    """Stray spaces, a decimal comma, the unit typed after the width; the next row starts a list again."""
    body = book[BODY]
    body["B13"], body["E13"], body["F13"], body["G13"] = "Ảnh", " bieu-do.png", caption, width
    body["B14"], body["E14"] = "Gạch đầu dòng (-)", "Một ý sau ảnh"
    report = book.save().load().report
    assert report.sections[0].content[0].content[-1].content == [expected, ListBlock(list=["Một ý sau ảnh"])]


# --- files that are not what they claim ---------------------------------------------------------------------


def test_an_xml_bomb_is_refused(book: Book):
    """Entities that expand a few bytes into gigabytes ("billion laughs") never reach the parser."""
    with zipfile.ZipFile(book.path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    entities = b'<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b'<!ENTITY b%d "%s">' % (i, (b"&a;" if i == 0 else b"&b%d;" % (i - 1)) * 10) for i in range(9)
    )
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = (
        b"<!DOCTYPE worksheet ["
        + entities
        + b"]>"
        + sheet.replace(b"H\xc6\xb0\xe1\xbb\x9bng d\xe1\xba\xabn", b"&b8;", 1)
    )
    with zipfile.ZipFile(book.path, "w") as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    assert [p.message for p in book.problems()] == [
        "Tệp có cấu trúc XML bị cấm (khai báo thực thể) — có thể là tệp độc hại; không đọc tệp này."
    ]


def test_a_zip_bomb_is_refused(book: Book):
    with zipfile.ZipFile(book.path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/khong-co-gi.bin", b"\0" * 5_000_000)
    assert [p.message for p in book.problems()] == [
        "Bảng tính có cấu trúc bất thường (giải nén ra 4 MB, 14 phần) — có thể là tệp độc hại."
    ]


@pytest.mark.parametrize(
    ("name", "content", "message", "fix"),
    [
        (
            "bang.xlsx",
            b"khong phai zip",
            "Tệp này không phải bảng tính hợp lệ (không mở được như tệp Office).",
            "Mở bảng tính bằng Word hoặc Excel, lưu lại thành tệp mới rồi dùng tệp đó.",
        ),
        (
            "bang.xls",
            b"\xd0\xcf\x11\xe0",
            "Tệp Excel 97-2003 (.xls) không đọc được.",
            "Mở tệp bằng Excel hoặc LibreOffice Calc và lưu lại dưới dạng Excel Workbook (.xlsx).",
        ),
    ],
)
def test_files_that_are_not_workbooks(data_tree, name: str, content: bytes, message: str, fix: str):
    data_tree()
    path = Path("data/2024-Q1") / name
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["kiem-tra", str(path)])
    assert result.exit_code == 1
    assert message in result.output
    assert f"Cách sửa: {fix}" in result.output


def test_a_zip_that_is_not_a_workbook(data_tree):
    data_tree()
    path = Path("data/2024-Q1/nen.xlsx")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("ghi-chu.txt", "không phải bảng tính")
    result = CliRunner().invoke(main, ["kiem-tra", str(path)])
    assert result.exit_code == 1
    assert "Tệp không phải bảng tính Excel (.xlsx) hợp lệ." in result.output
    assert (
        "Cách sửa: Mở tệp bằng Excel hoặc LibreOffice Calc và lưu lại dưới dạng Excel Workbook (.xlsx)."
        in (result.output)
    )
