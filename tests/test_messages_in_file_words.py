"""A problem's fix in the words of the file it was found in (#14): a workbook's speaks of sheets, cells,
columns and labels, a YAML file's of fields and lines; and each problem is reported once.

Each case is the same data as a YAML file and as the workbook `cchc chuyen-doi` makes of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cchc_gen.api import check_files
from cchc_gen.errors import CchcError, Problem
from tests.conftest import TEST_EXTRA_INDICATORS, TEST_INDICATORS, TEST_RULES, edit_profile
from tests.excel_book import Book, as_workbook
from tests.test_pictures import draw, with_picture

FIGURES = {"kh_nhiem_vu": 19, "kh_hoan_thanh": 9, "ghi_chu": "x"}
SECTIONS = [
    {"heading": "Công tác chỉ đạo, điều hành", "content": ["Đã giao {kh_nhiem_vu} việc."]},
    {"heading": "Kiến nghị, đề xuất", "content": ["Không có kiến nghị."]},
]
QUOTED_BUT_MISSING = (
    "Đoạn văn trích chỉ tiêu 'kh_nhiem_vu' (Số nhiệm vụ đề ra trong kế hoạch) nhưng chưa có số liệu."
)

# (data, message; YAML: the start of the line that is the place, fix; workbook: place, fix), with {cell} the
# figure's cell and {text_cell} that of the paragraph quoting it. A group ("figures:") is placed at its first
# line of values, the line below its name.
CASES = [
    pytest.param(
        {"figures": {"kh_hoan_thanh": 9, "ghi_chu": "x"}},
        QUOTED_BUT_MISSING,
        ("- Đã giao", "Thêm 'kh_nhiem_vu: <số liệu>' (Số nhiệm vụ đề ra trong kế hoạch) vào phần figures."),
        (
            "Sheet 'Nội dung', ô {text_cell}",
            "Điền số liệu 'Số nhiệm vụ đề ra trong kế hoạch' (mã chỉ tiêu kh_nhiem_vu) vào Sheet 'Số liệu', "
            "ô {cell}.",
        ),
        id="figure-quoted-but-missing",
    ),
    pytest.param(
        {"figures": {"kh_nhiem_vu": 19}},
        "Chưa có số liệu bắt buộc: Ghi chú chung ('ghi_chu').",
        ("kh_nhiem_vu:", "Thêm 'ghi_chu: <số liệu>' (Ghi chú chung) vào phần figures."),
        (
            "Sheet 'Số liệu'",
            "Điền số liệu 'Ghi chú chung' (mã chỉ tiêu ghi_chu) vào Sheet 'Số liệu', ô {cell}.",
        ),
        id="required-figure",
    ),
    pytest.param(
        {},
        "Mục bắt buộc “Đánh giá chung” chưa có.",
        (
            "- heading: Công tác chỉ đạo",
            "Thêm mục có 'heading: Đánh giá chung' (hoặc 'key: danh-gia') và nội dung của nó vào phần "
            "sections.",
        ),
        (
            "Sheet 'Nội dung'",
            "Thêm vào sheet 'Nội dung' một dòng loại 'Đề mục', cột 'Cấp' ghi 1, cột 'Nội dung' ghi 'Đánh giá "
            "chung' (hoặc cột 'Mã mục' ghi 'danh-gia'), và các dòng nội dung của mục ngay dưới nó.",
        ),
        id="required-section",
    ),
]


def problems(data_file: Path) -> list[Problem]:
    try:
        return check_files([data_file]).warnings
    except CchcError as exc:
        return exc.problems


def about(found: list[Problem], message: str) -> list[Problem]:
    return [p for p in found if p.message == message]


@pytest.fixture
def report(data_tree):
    """The test report with ``changes``, as a YAML file and as a workbook beside it."""
    edit_profile(indicators=TEST_INDICATORS + TEST_EXTRA_INDICATORS, rules=TEST_RULES)

    def build(**changes: Any) -> tuple[Path, Book]:
        data_file = data_tree(**{"figures": FIGURES, "sections": SECTIONS, **changes})
        workbook = Book(as_workbook(data_file, keep_yaml=True))
        workbook.path = workbook.path.rename(workbook.path.with_name("bang-tinh.xlsx"))
        return data_file, workbook

    return build


@pytest.mark.parametrize(("changes", "message", "in_yaml", "in_workbook"), CASES)
def test_a_fix_speaks_the_words_of_its_file(report, changes, message, in_yaml, in_workbook):
    data_file, book = report(**changes)
    start, fix = in_yaml
    assert [(p.location, p.fix) for p in about(problems(data_file), message)] == [
        (f"dòng {line_starting(data_file, start)}", fix)
    ]
    place, fix = in_workbook
    cells = {"cell": book.figure("ghi_chu" if "ghi_chu" in message else "kh_nhiem_vu")}
    cells["text_cell"] = f"E{book.body('Đã giao')}"
    assert [(p.location, p.fix) for p in about(problems(book.path), message)] == [
        (place.format(**cells), fix.format(**cells))
    ]


def line_starting(data_file: Path, start: str) -> int:
    lines = data_file.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.strip().startswith(start))


def test_a_figure_quoted_twice_in_one_paragraph_is_one_problem(report):
    text = "Tiếp nhận {kh_nhiem_vu:dem} việc, đã xong {kh_hoan_thanh/kh_nhiem_vu} việc."
    sections = [{**SECTIONS[0], "content": [text]}, SECTIONS[1]]
    data_file, book = report(sections=sections, figures={"kh_hoan_thanh": 9, "ghi_chu": "x"})
    for data in (data_file, book.path):
        assert len(about(problems(data), QUOTED_BUT_MISSING)) == 1, data


def called_missing(found: list[Problem]) -> list[str]:
    return [p.message for p in found if "chưa có số liệu" in p.message.casefold()]


def test_a_figure_refused_is_not_also_called_missing_in_yaml(report):
    """The figure's own problem says what to fix; neither the paragraph quoting it nor the check of
    required figures adds that it is missing."""
    data_file, _ = report()
    text = data_file.read_text(encoding="utf-8")
    text = text.replace("kh_nhiem_vu: 19", "kh_nhiem_vu: mười chín").replace("ghi_chu: x", "ghi_chu: [1, 2]")
    data_file.write_text(text, encoding="utf-8")
    found = problems(data_file)
    assert called_missing(found) == []
    assert [(p.location, p.message) for p in found if p.severity == "lỗi"] == [
        (
            f"dòng {line_starting(data_file, 'ghi_chu')}",
            "Trường 'figures.ghi_chu': số liệu phải là một con số (hoặc chữ, với chỉ tiêu ghi bằng chữ), "
            "không phải danh sách hay nhóm trường.",
        ),
        (
            f"dòng {line_starting(data_file, 'kh_nhiem_vu')}",
            "Số nhiệm vụ đề ra trong kế hoạch: “mười chín” không phải là số.",
        ),
    ]


def test_a_figure_refused_is_not_also_called_missing_in_a_workbook(report):
    _, book = report()
    book["Số liệu"][book.figure("kh_nhiem_vu")] = True
    book["Số liệu"][book.figure("ghi_chu")] = "=1+"
    found = problems(book.save().path)
    assert called_missing(found) == []
    assert [(p.location, p.message) for p in found if p.severity == "lỗi"] == [
        (
            f"Sheet 'Số liệu', ô {book.figure('kh_nhiem_vu')}",
            "Ô có giá trị đúng/sai (TRUE/FALSE), không phải số liệu.",
        ),
        (
            f"Sheet 'Số liệu', ô {book.figure('ghi_chu')}",
            "Ô có công thức =1+ nhưng tệp không lưu kết quả của công thức (tệp được ghi bởi một chương trình "
            "không tính công thức).",
        ),
    ]


def test_an_unknown_unit_is_fixed_in_its_field_or_its_cell(report):
    data_file, book = report()
    data_file.write_text(data_file.read_text(encoding="utf-8").replace("tx-an-binh", "tx-an-binhh"), "utf-8")
    cell = book.info("Mã đơn vị")
    book["Thông tin chung"][cell] = "tx-an-binhh"
    book.save()
    hint = "Có phải ý bạn là 'tx-an-binh'? "
    rest = " cho đúng mã, hoặc thêm đơn vị vào danh mục."
    assert [(p.location, p.fix) for p in problems(data_file)] == [
        ("dòng 1", f"{hint}Sửa trường 'unit'{rest}")
    ]
    assert [(p.location, p.fix) for p in problems(book.path)] == [
        (
            f"Sheet 'Thông tin chung', ô {cell}",
            f"{hint}Sửa ô 'Mã đơn vị' (Sheet 'Thông tin chung', ô {cell}){rest}",
        )
    ]


def test_a_picture_too_tall_is_made_narrower_in_its_field_or_its_cell(data_tree):
    draw(Path("data/2024-Q1/cao.png"), (300, 1000))
    data_file = with_picture(data_tree, "cao.png", width_cm=15)
    book = Book(as_workbook(data_file, keep_yaml=True).rename(data_file.with_name("bang-tinh.xlsx")))
    message = "Ảnh 'cao.png' ở chiều rộng 15 cm cao 50,0 cm, quá một trang (tối đa 22 cm)."
    assert [(p.location, p.fix) for p in about(problems(data_file), message)] == [
        (
            f"dòng {line_starting(data_file, 'width_cm')}",
            "Ghi số nhỏ hơn vào trường 'width_cm', hoặc cắt bớt chiều cao của ảnh.",
        )
    ]
    cell = f"G{book.body('cao.png')}"
    assert [(p.location, p.fix) for p in about(problems(book.path), message)] == [
        (
            f"Sheet 'Nội dung', ô {cell}",
            f"Ghi số nhỏ hơn vào ô 'chiều rộng ảnh (cm)' (Sheet 'Nội dung', ô {cell}), hoặc cắt bớt chiều "
            "cao của ảnh.",
        )
    ]
