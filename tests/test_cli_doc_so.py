"""`cchc doc-so`: the clerks' command that reads a number in words."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cchc_gen.cli import main


def run(*args: str):
    return CliRunner().invoke(main, ["doc-so", *args])


@pytest.mark.parametrize(
    ("args", "printed"),
    [
        (["1.050.000"], "một triệu không trăm năm mươi nghìn"),
        (["47,37"], "bốn mươi bảy phẩy ba mươi bảy"),
        (["0,5"], "không phẩy năm"),
        (["-5"], "âm năm"),
        (["\u22125"], "âm năm"),
        (["30.000.000", "--tien"], "Ba mươi triệu đồng"),
        (["30.000.000 đồng", "--tien", "--chan"], "Ba mươi triệu đồng chẵn"),
        (["30.000.000", "--chan"], "Ba mươi triệu đồng chẵn"),
        (["--tien", "-5"], "Âm năm đồng"),
        (["105", "--le"], "một trăm lẻ năm"),
        (["24", "--tu"], "hai mươi tư"),
        (["15.000", "--ngan"], "mười lăm ngàn"),
        (["2.005.024", "--le", "--tu", "--ngan"], "hai triệu không trăm lẻ năm ngàn không trăm hai mươi tư"),
    ],
)
def test_prints_the_reading(args: list[str], printed: str) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout == printed + "\n"


@pytest.mark.parametrize("text", ["1.5", "1,601.5", "abc", "12 con"])
def test_a_number_it_cannot_read_is_an_error(text: str) -> None:
    result = run(text)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Lỗi:" in result.stderr
    assert f"“{text}”" in result.stderr
    assert "Cách sửa:" in result.stderr


def test_missing_number_is_a_usage_error() -> None:
    assert run().exit_code == 2


def test_help_is_vietnamese_and_names_every_switch() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for switch in ("--tien", "--chan", "--le", "--tu", "--ngan"):
        assert switch in result.stdout
    assert "Bằng chữ" in result.stdout
    assert "một triệu không trăm năm mươi nghìn" in result.stdout
