"""Files from email and USB sticks: odd encodings, odd paths, unwritable outputs (#10)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import docx
import openpyxl
from click.testing import CliRunner

from cchc_gen.cli import main
from tests.conftest import ROOT
from tests.excel_book import as_workbook


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_text_typed_decomposed_is_stored_composed(data_tree):
    typed = unicodedata.normalize("NFD", "Thực hiện Kế hoạch số 01/KH-UBND của Ủy ban nhân dân tỉnh;")
    heading = unicodedata.normalize("NFD", "Đánh giá chung")
    sections = [{"heading": "Công tác chỉ đạo", "content": ["x"]}, {"heading": heading, "content": ["y"]}]
    data_file = data_tree(lead_in=[typed], sections=sections, figures={})
    result = run("render", str(data_file), "-o", "out.docx")
    assert result.exit_code == 0, result.output
    assert "Đánh giá chung" not in result.output, "the decomposed heading matches the outline"
    texts = [p.text for p in docx.Document("out.docx").paragraphs]
    assert unicodedata.normalize("NFC", typed) in texts
    assert "II. ĐÁNH GIÁ CHUNG" in texts


def test_an_output_that_cannot_be_written_is_a_message(data_tree, tmp_path):
    blocker = tmp_path / "la-tep"
    blocker.write_text("không phải thư mục", encoding="utf-8")
    result = run("render", str(data_tree()), "-o", str(blocker / "bao-cao.docx"))
    assert result.exit_code == 1
    assert "Không ghi được báo cáo" in result.output
    assert "Traceback" not in result.output


def test_a_folder_given_as_data_file_is_a_message(data_tree, tmp_path):
    data_tree()
    result = run("render", str(tmp_path / "data"))
    assert result.exit_code == 1
    assert "Không đọc được tệp" in result.output


def test_debug_shows_the_traceback(data_tree):
    data_file = data_tree(period="2024-Q9")
    result = run("--debug", "render", str(data_file))
    assert result.exit_code == 1
    assert result.exception is not None and type(result.exception).__name__ == "DataError"


def test_outputs_are_named_from_checked_codes_only(data_tree):
    data_file = data_tree(number=5, title="../../etc/passwd")
    assert run("render", str(data_file)).exit_code == 0
    assert [p.as_posix() for p in Path("outputs").rglob("*.docx")] == ["outputs/2024-Q1/tx-an-binh.docx"]


# The command as the officer runs it, in a process of its own, with a library call that warns the way
# third-party libraries do (in English, on stderr).
_WARNING_LIBRARY = """
import warnings
from cchc_gen import api, cli
check_files = api.check_files
def noisy(*args, **kwargs):
    warnings.warn("Cell A1 is marked as a date but the serial value is outside the limits")
    return check_files(*args, **kwargs)
api.check_files = noisy
cli.main()
"""


def test_python_warnings_never_reach_the_screen(tmp_path):
    """The officer sees cchc's own messages only; --debug shows Python's warnings too."""
    shutil.copy(ROOT / "data" / "units.yaml", tmp_path / "units.yaml")
    data_file = shutil.copy(ROOT / "data" / "2026-9T" / "ht-duc-tho.yaml", tmp_path)
    command = [sys.executable, "-c", _WARNING_LIBRARY]

    shown = subprocess.run(
        [*command, "kiem-tra", str(data_file)], capture_output=True, text=True, cwd=tmp_path
    )
    assert shown.returncode == 0 and "Đã kiểm tra 1 tệp: 0 lỗi" in shown.stdout, shown.stderr
    assert shown.stderr == ""
    debug = subprocess.run(
        [*command, "--debug", "kiem-tra", str(data_file)], capture_output=True, text=True, cwd=tmp_path
    )
    assert "UserWarning: Cell A1 is marked as a date" in debug.stderr


def test_a_date_cell_out_of_range_gives_no_python_warning(tmp_path):
    """openpyxl warns, in English, about a date cell whose number is no date; the reader turns that
    into its own message at the cell, so even --debug shows no Python warning."""
    shutil.copy(ROOT / "data" / "units.yaml", tmp_path / "units.yaml")
    workbook = as_workbook(Path(shutil.copy(ROOT / "data" / "2026-9T" / "ht-duc-tho.yaml", tmp_path)))
    book = openpyxl.load_workbook(workbook)
    book["Thông tin chung"]["Z99"] = 10**9  # typed into a cell formatted as a date: the year 2739907
    book["Thông tin chung"]["Z99"].number_format = "dd/mm/yyyy"
    book.save(workbook)
    command = [str(Path(sys.executable).with_name("cchc")), "--debug", "kiem-tra", str(workbook)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert "Warning" not in result.stderr
