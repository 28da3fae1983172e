"""`cchc render` as a clerk runs it: what it writes, and what it says about bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cchc_gen.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_render_writes_under_outputs_by_unit_and_period(data_tree):
    data_file = data_tree(number=232)
    result = run("render", str(data_file))
    assert result.exit_code == 0, result.output
    written = Path("outputs/2024-Q1/tx-an-binh.docx")
    assert written.is_file()
    assert str(written) in result.output
    assert not list(written.parent.glob(".*.tmp"))


def test_render_to_a_chosen_file(data_tree, tmp_path):
    result = run("render", str(data_tree()), "-o", str(tmp_path / "ra" / "bao-cao.docx"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ra" / "bao-cao.docx").is_file()


def test_help_is_vietnamese():
    result = run("--help")
    assert result.exit_code == 0
    assert "Tạo báo cáo cải cách hành chính" in result.output
    assert "Tạo báo cáo .docx từ tệp dữ liệu" in run("render", "--help").output


BAD_INPUT = [
    pytest.param(
        {"unit": "tx-an-binhh"},
        ["Không tìm thấy đơn vị có mã 'tx-an-binhh'", "dòng 1", "Có phải ý bạn là 'tx-an-binh'?"],
        id="unknown-unit",
    ),
    pytest.param(
        {"sections": None},
        ["Trường 'sections' thiếu trường bắt buộc", "Thêm trường này vào tệp."],
        id="missing-required-field",
    ),
    pytest.param(
        {"period": "2024-Q5"},
        ["Trường 'period'", "'2024-Q5' không phải kỳ báo cáo hợp lệ", "2023-Q1", "dòng 2"],
        id="unknown-period",
    ),
    pytest.param(
        {"date": "31/02/2024"},
        ["Trường 'date'", "Ngày '31/02/2024' không có thật", "dòng 4"],
        id="impossible-date",
    ),
    pytest.param(
        {"numbr": 5},
        ["Trường 'numbr' không có trong mẫu dữ liệu", "Có phải ý bạn là 'number'?"],
        id="misspelt-field",
    ),
    pytest.param(
        {"figures": {"kh_nhiem_vuu": 3}},
        ["Chỉ tiêu 'kh_nhiem_vuu' không có trong danh mục", "Có phải ý bạn là 'kh_nhiem_vu'?"],
        id="unknown-indicator",
    ),
    pytest.param(
        {"lead_in": ["Thực hiện\x0bKế hoạch"]},
        ["Trường 'lead_in[mục 1]'", "ký tự điều khiển không hợp lệ"],
        id="control-character",
    ),
    pytest.param(
        {"sections": [{"heading": "A", "content": [{"tabel": {}}]}]},
        ["Trường 'sections[mục 1].content[mục 1]'", "mục nội dung phải là một đoạn văn"],
        id="unknown-block",
    ),
]


@pytest.mark.parametrize(("overrides", "expected"), BAD_INPUT)
def test_bad_input_is_a_vietnamese_message_with_exit_1(data_tree, overrides, expected):
    data_file = data_tree(**overrides)
    result = run("render", str(data_file))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert str(data_file) in result.output
    for fragment in expected:
        assert fragment in result.output
    assert not Path("outputs").exists()


def test_malformed_yaml_names_the_line(data_tree):
    data_file = data_tree()
    data_file.write_text("unit: tx-an-binh\nperiod: 2024-Q1\nsections:\n  - heading: [A\n", encoding="utf-8")
    result = run("render", str(data_file))
    assert result.exit_code == 1
    assert "Tệp YAML sai cú pháp" in result.output
    assert "dòng 5" in result.output
    assert "Traceback" not in result.output


def test_duplicate_key_is_an_error(data_tree):
    data_file = data_tree()
    data_file.write_text(data_file.read_text(encoding="utf-8") + "number: 9\n", encoding="utf-8")
    result = run("render", str(data_file))
    assert result.exit_code == 1
    assert "Trường 'number' được khai báo hai lần." in result.output


def test_missing_file():
    result = run("render", "khong-co.yaml")
    assert result.exit_code == 1
    assert "khong-co.yaml: Không tìm thấy tệp." in result.output


def test_existing_output_survives_a_failed_render(data_tree, tmp_path):
    target = tmp_path / "bao-cao.docx"
    target.write_bytes(b"ban cu")
    data_file = data_tree(period="2024-Q9")
    assert run("render", str(data_file), "-o", str(target)).exit_code == 1
    assert target.read_bytes() == b"ban cu"


def test_several_files_are_all_checked_before_any_is_written(data_tree):
    good = data_tree()
    bad = good.with_name("tx-loi.yaml")
    bad.write_text(good.read_text(encoding="utf-8").replace("2024-Q1", "2024-Q7"), encoding="utf-8")
    result = run("render", str(good), str(bad))
    assert result.exit_code == 1
    assert "tx-loi.yaml, dòng 2" in result.output
    assert not Path("outputs").exists()


def test_output_option_needs_a_single_file(data_tree):
    good = data_tree()
    result = run("render", str(good), str(good), "-o", "x.docx")
    assert result.exit_code == 2
    assert "Tùy chọn -o chỉ dùng khi tạo một báo cáo." in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["render"], "Lỗi: Thiếu tham số TỆP_DỮ_LIỆU."),
        (["rendr", "x.yaml"], "Lỗi: Không có lệnh 'rendr'. Có phải ý bạn là 'render'?"),
        (["render", "--pdff", "x.yaml"], "Lỗi: Không có tùy chọn --pdff. Có phải ý bạn là '--pdf'?"),
    ],
)
def test_wrong_usage_is_explained_in_vietnamese_with_exit_2(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Cách dùng: " in result.output


def test_option_lists_are_vietnamese_too():
    output = run("tong-hop", "--help").output
    assert "--data THƯ_MỤC" in output and "[mặc" in output
    assert "DIRECTORY" not in output and "default:" not in output
