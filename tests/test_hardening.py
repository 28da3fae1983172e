"""Files from email and USB sticks: odd encodings, odd paths, unwritable outputs (#10)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import docx
from click.testing import CliRunner

from cchc_gen.cli import main


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
