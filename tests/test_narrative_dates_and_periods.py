"""Dates that the narrative names (#14): a date that cannot exist is an error, one outside the period a
warning, whatever its case, at its line or cell.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cchc_gen.api import check_files
from cchc_gen.cli import main
from cchc_gen.errors import CchcError, Problem
from tests.excel_book import Book, as_workbook

ROOT = Path(__file__).resolve().parent.parent


def problems(data_file: Path) -> list[Problem]:
    try:
        return check_files([data_file]).warnings
    except CchcError as exc:
        return exc.problems


def lead_in_line(data_file: Path) -> str:
    lines = data_file.read_text(encoding="utf-8").splitlines()
    return f"dòng {lines.index('lead_in:') + 2}"


# --- dates ------------------------------------------------------------------------------------------------

AFTER = "trong đoạn văn sau ngày ký báo cáo (20/03/2024)."

# (a sentence of a report of quý I năm 2024 signed 20/3/2024, (severity, message) or None)
DATES = [
    pytest.param("Ngày 28/02/2024, xã tổ chức hội nghị.", None, id="in-the-period"),
    pytest.param("ngày 29/02/2024 xã tập huấn.", None, id="leap-day"),
    pytest.param(
        "Ngày 28 tháng 4 năm 2024, xã tổ chức hội nghị.",
        ("cảnh báo", f"Ngày tháng “Ngày 28 tháng 4 năm 2024” {AFTER}"),
        id="capital-at-the-start-of-a-sentence",
    ),
    pytest.param(
        "Hội nghị được tổ chức ngày 28 tháng 4 năm 2024.",
        ("cảnh báo", f"Ngày tháng “ngày 28 tháng 4 năm 2024” {AFTER}"),
        id="in-the-sentence",
    ),
    pytest.param(
        "NGÀY 28 THÁNG 4 NĂM 2024 XÃ TỔ CHỨC HỘI NGHỊ.",
        ("cảnh báo", f"Ngày tháng “NGÀY 28 THÁNG 4 NĂM 2024” {AFTER}"),
        id="capitals",
    ),
    pytest.param(
        "Ngày 31/11/2023, xã tổ chức hội nghị.",
        ("lỗi", "Ngày tháng “31/11/2023” trong đoạn văn không có thật: tháng 11 năm 2023 chỉ có 30 ngày."),
        id="day-31-of-a-30-day-month",
    ),
    pytest.param(
        "Ngày 31 tháng 11 năm 2023, xã tổ chức hội nghị.",
        (
            "lỗi",
            "Ngày tháng “Ngày 31 tháng 11 năm 2023” trong đoạn văn không có thật: tháng 11 năm 2023 chỉ có "
            "30 ngày.",
        ),
        id="in-words",
    ),
    pytest.param(
        "ngày 29 tháng 2 năm 2023 xã tập huấn.",
        (
            "lỗi",
            "Ngày tháng “ngày 29 tháng 2 năm 2023” trong đoạn văn không có thật: tháng 2 năm 2023 chỉ có 28 "
            "ngày.",
        ),
        id="not-a-leap-year",
    ),
    pytest.param(
        "Thực hiện Kế hoạch số 05/KH-UBND ngày 15/13/2023 của UBND tỉnh;",
        ("lỗi", "Ngày tháng “15/13/2023” trong đoạn văn không có thật: không có tháng 13."),
        id="a-document-dated-on-no-day",
    ),
    pytest.param(
        "Hạn nộp trước ngày 31/4/2024.",
        ("lỗi", "Ngày tháng “31/4/2024” trong đoạn văn không có thật: tháng 4 năm 2024 chỉ có 30 ngày."),
        id="a-deadline-on-no-day",
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), DATES)
def test_dates_in_the_narrative(data_tree, sentence: str, expected: tuple[str, str] | None):
    data_file = data_tree(date="20/3/2024", lead_in=[sentence])
    found = [(p.severity, p.location, p.message) for p in problems(data_file) if "Ngày tháng" in p.message]
    assert found == ([] if expected is None else [(expected[0], lead_in_line(data_file), expected[1])])


def test_an_impossible_date_is_named_at_its_cell_and_stops_the_render(data_tree):
    data_file = data_tree(lead_in=["Ngày 31 tháng 11 năm 2023, xã tổ chức hội nghị."])
    book = Book(as_workbook(data_file))
    result = CliRunner().invoke(main, ["render", str(book.path)])
    assert result.exit_code == 1
    cell = book.info("Đoạn mở đầu")
    assert f"Sheet 'Thông tin chung', ô {cell}: Ngày tháng “Ngày 31 tháng 11 năm 2023”" in result.output
    assert not Path("outputs").exists()
