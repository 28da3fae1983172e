"""Every problem of a data file in one run (#14): what loading, the model and the checks find is reported
together, each with its place in the words of the file's kind, and nothing is written.

The workbook is the test report of tests/conftest.py (cells listed in tests/test_excel_messy.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cchc_gen.cli import main
from tests.conftest import TEST_EXTRA_INDICATORS, TEST_INDICATORS, TEST_RULES, edit_profile
from tests.excel_book import Book

INFO, BODY, FIGURES = "Thông tin chung", "Nội dung", "Số liệu"

# One problem of each stage, in three sheets: (sheet, cell, value typed) and (place, message) reported.
WORKBOOK_PROBLEMS = [
    ((INFO, "B9", "31/02/2024"), ("Sheet 'Thông tin chung', ô B9", "Ngày '31/02/2024' không có thật")),
    ((INFO, "B25", "Ko"), ("Sheet 'Thông tin chung', ô B25", "'Ko' không phải 'Có' hay 'Không'.")),
    ((BODY, "A7", "một"), ("Sheet 'Nội dung', ô A7", "Cấp 'một' không hợp lệ.")),
    (
        (BODY, "E8", "Đã giao {kh_nhiem_vuu} nhiệm vụ"),
        ("Sheet 'Nội dung', ô E8", "Đoạn văn trích chỉ tiêu 'kh_nhiem_vuu' không có trong danh mục"),
    ),
    (
        (FIGURES, "D7", 20),
        ("Sheet 'Số liệu', ô D7", "Số nhiệm vụ đã hoàn thành (20) không được lớn hơn Số nhiệm vụ đề ra"),
    ),
]


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def reported(output: str, place: str, message: str) -> bool:
    """Whether the problem is printed once, on one line with its place."""
    return sum(place in line and message in line for line in output.splitlines()) == 1


def printed(output: str, data_file: Path) -> int:
    """How many problems a run printed: `kiem-tra` lists them under the file, `render` after its name."""
    return sum(line.startswith(("  - [", f"{data_file}, ")) for line in output.splitlines())


@pytest.mark.parametrize("command", ["kiem-tra", "render"])
def test_five_problems_of_a_workbook_in_three_sheets_in_one_run(book: Book, command: str):
    for (sheet, cell, value), _ in WORKBOOK_PROBLEMS:
        book[sheet][cell] = value
    result = run(command, str(book.save().path))
    assert result.exit_code == 1, result.output
    for _, (place, message) in WORKBOOK_PROBLEMS:
        assert reported(result.output, place, message), f"{place}: {message}\n{result.output}"
    assert printed(result.output, book.path) == len(WORKBOOK_PROBLEMS), result.output
    assert not Path("outputs").exists()


# YAML: a misspelt field, an impossible date, an empty paragraph (model), a placeholder without its
# indicator and two figures that disagree (checks). Lines are those of the file conftest writes.
YAML_PROBLEMS = [
    ("dòng 21", "Trường 'numbr' không có trong mẫu dữ liệu."),
    ("dòng 4", "Trường 'date': Ngày '31/02/2024' không có thật."),
    ("dòng 13", "Trường 'sections[mục 1].content[mục 1].content[mục 2]' không được để trống."),
    ("dòng 12", "Đoạn văn trích chỉ tiêu 'kh_nhiem_vuu' không có trong danh mục"),
    ("dòng 19", "Số nhiệm vụ đã hoàn thành (20) không được lớn hơn Số nhiệm vụ đề ra trong kế hoạch (19)."),
]


@pytest.mark.parametrize("command", ["kiem-tra", "render"])
def test_five_problems_of_a_yaml_file_in_one_run(data_tree, command: str):
    edit_profile(indicators=TEST_INDICATORS + TEST_EXTRA_INDICATORS, rules=TEST_RULES)
    data_file = data_tree(
        numbr=7,
        date="31/02/2024",
        sections=[
            {
                "heading": "Công tác chỉ đạo, điều hành cải cách hành chính",
                "content": [
                    {"heading": "Kế hoạch", "content": ["Đã giao {kh_nhiem_vuu} nhiệm vụ.", ""]},
                ],
            },
            {"heading": "Kiến nghị, đề xuất", "content": ["Không có kiến nghị."]},
        ],
        figures={"kh_nhiem_vu": 19, "kh_hoan_thanh": 20, "ghi_chu": "x"},
    )
    result = run(command, str(data_file))
    assert result.exit_code == 1, result.output
    for place, message in YAML_PROBLEMS:
        assert reported(result.output, place, message), f"{place}: {message}\n{result.output}"
    assert printed(result.output, data_file) == len(YAML_PROBLEMS), result.output
    assert not Path("outputs").exists()
