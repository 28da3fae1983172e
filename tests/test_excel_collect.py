"""Collecting the figures of every commune in one sheet, and putting them back into each period file (#5)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cchc_gen import api
from cchc_gen.cli import main
from cchc_gen.errors import DataError
from cchc_gen.excel import convert as excel
from cchc_gen.excel.collect import replace_figures
from cchc_gen.model.profile import load_profile
from cchc_gen.source.loading import load_report
from tests.excel_book import Book, located

ROOT = Path(__file__).resolve().parent.parent
SHEET = "Thu thập số liệu"
UNITS = ["ht-thanh-sen", "ht-duc-tho", "ht-huong-khe"]  # rows 13, 14, 15, in the registry's order


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data"


def collect(period: str = "2026-9T") -> Book:
    result = run("mau-excel-thu-thap", "ht", period)
    assert result.exit_code == 0, result.output
    return Book(Path(f"thu-thap-ht-{period}.xlsx"))


def cell(book: Book, unit: str, code: str) -> str:
    row = 13 + UNITS.index(unit)
    column = next(c.column_letter for c in book[SHEET][12] if c.value == code)
    return f"{column}{row}"


def test_one_row_per_unit_one_column_per_indicator(data_copy: Path):
    book = collect()
    sheet = book[SHEET]
    header = [c.value for c in sheet[12]]
    assert header[:6] == [
        "Mã đơn vị",
        "Tên đơn vị",
        "kh_nhiem_vu",
        "kh_hoan_thanh",
        "kh_van_ban_chi_dao",
        "kh_ty_le",
    ]
    assert len(header) == 2 + len(load_profile(None).spec.indicators())
    assert [sheet.cell(row, 1).value for row in (13, 14, 15)] == UNITS
    assert sheet["C9"].value == "1.1.1. Số nhiệm vụ đề ra trong kế hoạch"
    assert (sheet["C10"].value, sheet["F11"].value) == (
        "Nhiệm vụ",
        "Tỷ lệ % từ 0 đến 100, ví dụ 47,37 hoặc 47,37%. Để trống để chương trình tự tính = kh_hoan_thanh / "
        "kh_nhiem_vu × 100.",
    )
    assert (sheet["B4"].value, sheet["B5"].value, sheet["B6"].value) == ("2026-9T", "ht", "bao-cao-dinh-ky")
    assert sheet["C8"].value == "Công tác chỉ đạo điều hành CCHC"
    group = next(r for r in sheet.merged_cells.ranges if r.min_row == 8 and r.min_col == 3)
    assert sheet.cell(12, group.max_col).value == "tt_hinh_thuc", "the group spans its indicators"
    duc_tho = load_report(data_copy / "2026-9T" / "ht-duc-tho.yaml").report.figures
    assert sheet[cell(book, "ht-duc-tho", "kh_nhiem_vu")].value == duc_tho["kh_nhiem_vu"] == 26
    assert sheet[cell(book, "ht-duc-tho", "hs_dung_han_dat_dai")].value == "99,03"
    assert sheet[cell(book, "ht-duc-tho", "ks_hinh_thuc")].value == "0 – Trực tuyến"
    assert sheet.protection.sheet
    assert sheet["A13"].protection.locked and sheet["C12"].protection.locked
    assert not sheet["C13"].protection.locked
    types = {v.type for v in sheet.data_validations.dataValidation}
    assert types == {"whole", "decimal", "list"}
    whole = next(v for v in sheet.data_validations.dataValidation if "C13" in v.sqref)
    assert (whole.type, str(whole.sqref).split()[0]) == ("whole", "C13:C15")


def test_read_back_unchanged_changes_nothing(data_copy: Path):
    before = {p: p.read_bytes() for p in (data_copy / "2026-9T").iterdir()}
    result = run("nhap-excel-thu-thap", str(collect().path))
    assert result.exit_code == 0, result.output
    assert result.output == "Không đổi: 3 tệp.\n"
    assert {p: p.read_bytes() for p in (data_copy / "2026-9T").iterdir()} == before


def test_changed_figures_go_into_the_yaml_file_and_nothing_else_changes(data_copy: Path):
    book = collect()
    sheet = book[SHEET]
    sheet[cell(book, "ht-duc-tho", "kh_hoan_thanh")] = "20"  # typed as text
    sheet[cell(book, "ht-duc-tho", "kh_van_ban_chi_dao")] = None  # emptied: the figure goes
    sheet[cell(book, "ht-duc-tho", "bn_thi_tuyen")] = "1 – Đã thực hiện"  # a new one
    sheet[cell(book, "ht-duc-tho", "hs_dung_han_dat_dai")] = 99.5
    file = data_copy / "2026-9T" / "ht-duc-tho.yaml"
    before = file.read_text(encoding="utf-8").splitlines()
    result = run("nhap-excel-thu-thap", str(book.save().path))
    assert result.exit_code == 0, result.output
    assert (
        result.output == f"Đã cập nhật số liệu: {Path('data/2026-9T/ht-duc-tho.yaml')}\nKhông đổi: 2 tệp.\n"
    )
    after = file.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=False) if a != b]
    assert changed[:2] == [
        ("  kh_hoan_thanh: 19", '  kh_hoan_thanh: "20"'),
        ("  kh_van_ban_chi_dao: 22", "  kt_ke_hoach_tu_kiem_tra: 1"),
    ]
    assert '  hs_dung_han_dat_dai: "99,5"' in after
    assert after[after.index("  dvctt_hs_md4_ty_le: 46,34") + 1] == "  bn_thi_tuyen: 1"
    assert "  # 1. Công tác chỉ đạo điều hành (lũy kế 9 tháng)" in after, "comments stay"
    assert len(after) == len(before)
    figures = load_report(file).report.figures
    assert (figures["kh_hoan_thanh"], figures["bn_thi_tuyen"], "kh_van_ban_chi_dao" in figures) == (
        "20",
        1,
        False,
    )


def test_one_wrong_row_and_no_file_is_written(data_copy: Path):
    book = collect()
    sheet = book[SHEET]
    sheet[cell(book, "ht-duc-tho", "kh_hoan_thanh")] = 30
    sheet[cell(book, "ht-huong-khe", "hs_tiep_nhan")] = "1,601.5"
    sheet[cell(book, "ht-thanh-sen", "kh_nhiem_vu")] = 31  # a good change: not written either
    before = {p: p.read_bytes() for p in (data_copy / "2026-9T").iterdir()}
    result = run("nhap-excel-thu-thap", str(book.save().path))
    assert result.exit_code == 1
    d14, hs = cell(book, "ht-duc-tho", "kh_hoan_thanh"), cell(book, "ht-huong-khe", "hs_tiep_nhan")
    assert (
        f"thu-thap-ht-2026-9T.xlsx, Sheet 'Thu thập số liệu', ô {d14}: Số nhiệm vụ đã hoàn thành (30) không "
        "được lớn hơn số nhiệm vụ đề ra trong kế hoạch (26)." in result.output
    )
    assert f"Sheet 'Thu thập số liệu', ô {hs}: Tổng số hồ sơ TTHC tiếp nhận trong kỳ: “1,601.5” viết" in (
        result.output
    )
    assert {p: p.read_bytes() for p in (data_copy / "2026-9T").iterdir()} == before


def test_a_unit_without_a_period_file_gets_a_workbook(data_copy: Path):
    book = collect("2026-Q4")
    book[SHEET][cell(book, "ht-huong-khe", "kh_nhiem_vu")] = 30
    result = run("nhap-excel-thu-thap", str(book.save().path))
    assert result.exit_code == 0, result.output
    created = data_copy / "2026-Q4" / "ht-huong-khe.xlsx"
    assert f"Đã tạo tệp dữ liệu mới: {Path('data/2026-Q4/ht-huong-khe.xlsx')}" in result.output
    assert sorted(p.name for p in (data_copy / "2026-Q4").iterdir()) == ["ht-huong-khe.xlsx"]
    report = load_report(created).report
    assert report.figures == {"kh_nhiem_vu": 30}
    assert report.sections[0].key == "chi-dao"


def test_a_workbook_period_file_gets_its_cells_changed(data_copy: Path):
    yaml_file = data_copy / "2026-9T" / "ht-duc-tho.yaml"
    workbook = excel.convert(yaml_file, yaml_file.with_suffix(".xlsx"))
    yaml_file.unlink()
    book = collect()
    book[SHEET][cell(book, "ht-duc-tho", "kh_nhiem_vu")] = 27
    book[SHEET][cell(book, "ht-duc-tho", "nv_qua_han")] = None
    result = run("nhap-excel-thu-thap", str(book.save().path))
    assert result.exit_code == 0, result.output
    assert f"Đã cập nhật số liệu: {Path('data/2026-9T/ht-duc-tho.xlsx')}" in result.output
    unit = Book(workbook)
    assert (
        unit["Số liệu"][unit.figure("kh_nhiem_vu")].value,
        unit["Số liệu"][unit.figure("nv_qua_han")].value,
    ) == (
        27,
        None,
    )
    assert unit["Số liệu"].protection.sheet and unit["Số liệu"].data_validations.dataValidation
    figures = load_report(workbook).report.figures
    assert (figures["kh_nhiem_vu"], "nv_qua_han" in figures, figures["kh_hoan_thanh"]) == (27, False, 19)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            {"A14": "ht-duc-thoo"},
            "Sheet 'Thu thập số liệu', ô A14: Không có đơn vị mã 'ht-duc-thoo' trong danh mục",
        ),
        ({"A14": "ht-thanh-sen"}, "ô A14: Đơn vị 'ht-thanh-sen' có ở hai dòng (13 và 14)."),
        ({"A14": None}, "ô A14: Dòng có số liệu nhưng không có mã đơn vị (cột 'Mã đơn vị')."),
        ({"B4": None}, "Sheet 'Thu thập số liệu': Không thấy ô 'Kỳ báo cáo' phía trên dòng tiêu đề."),
    ],
)
def test_rows_and_settings_that_cannot_be_read(data_copy: Path, edit: dict, message: str):
    book = collect()
    for coordinate, value in edit.items():
        book[SHEET][coordinate] = value
    result = run("nhap-excel-thu-thap", str(book.save().path))
    assert result.exit_code == 1
    assert message in result.output


def test_a_parent_without_units(data_copy: Path):
    result = run("mau-excel-thu-thap", "ht-duc-tho", "2026-9T")
    assert result.exit_code == 1
    assert "Đơn vị 'ht-duc-tho' không có đơn vị trực thuộc nào trong danh mục." in result.output


# --- the figures block of a YAML file, rewritten line by line -------------------------------------------

YAML = """unit: x  # đơn vị
figures:
  # nhóm 1
  a: 1  # ghi chú của a
  b: "02"

  c: 3
# phần sau
figure_notes:
  a: Ghi chú
"""


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        pytest.param({"a": 1, "b": "02", "c": 3}, YAML, id="unchanged"),
        pytest.param(
            {"a": 5, "b": "02", "c": 3},
            YAML.replace("  a: 1  # ghi chú của a", "  a: 5  # ghi chú của a"),
            id="changed-keeps-comment",
        ),
        pytest.param({"a": 1, "c": 3}, YAML.replace('  b: "02"\n', ""), id="removed"),
        pytest.param(
            {"a": 1, "b": "02", "c": 3, "d": "1.601"},
            YAML.replace("  c: 3\n", '  c: 3\n  d: "1.601"\n'),
            id="added-after-the-last",
        ),
        pytest.param({}, "unit: x  # đơn vị\n# phần sau\nfigure_notes:\n  a: Ghi chú\n", id="all-removed"),
    ],
)
def test_replace_figures(figures: dict, expected: str):
    assert replace_figures(YAML, figures, {"a": 1, "b": "02", "c": 3}) == expected


def test_replace_figures_without_a_block_or_in_flow_style():
    assert replace_figures("unit: x\n", {"a": 1}, {}) == "unit: x\nfigures:\n  a: 1\n"
    assert replace_figures("unit: x\nfigures: {a: 1}\nappendix: false\n", {"a": 2}, {"a": 1}) == (
        "unit: x\nfigures:\n  a: 2\nappendix: false\n"
    )


def _reports(data: Path, period: str = "2026-9T") -> dict[str, dict]:
    """The units' reports as the web workspace keeps them: the data of each period file."""
    files = (data / period).glob("*.yaml")
    return {file.stem: yaml.safe_load(file.read_text(encoding="utf-8")) for file in files}


def test_a_collection_read_into_reports_kept_as_data(data_copy: Path):
    """The web workspace's import: each changed report's data with the sheet's figures, the rest untouched."""
    book = collect()
    book[SHEET][cell(book, "ht-duc-tho", "kh_nhiem_vu")] = 31
    book[SHEET][cell(book, "ht-thanh-sen", "kh_nhiem_vu")] = None
    reports = _reports(data_copy)
    result = api.collect_into_reports(book.save().path, "ht", "2026-9T", reports, data_dir=data_copy)
    assert (sorted(result.changed), result.unchanged) == (["ht-duc-tho", "ht-thanh-sen"], ["ht-huong-khe"])
    assert result.changed["ht-duc-tho"] == {
        **reports["ht-duc-tho"],
        "figures": {**reports["ht-duc-tho"]["figures"], "kh_nhiem_vu": 31},
    }
    assert "kh_nhiem_vu" not in result.changed["ht-thanh-sen"]["figures"]
    # The period files are the web store's to write: left as they were.
    assert _reports(data_copy) == reports


def test_a_collection_read_into_reports_names_every_problem_at_its_cell(data_copy: Path):
    book = collect()
    sheet = book[SHEET]
    sheet["B4"] = "2026-6T"
    sheet["A16"] = "st-my-xuyen"  # a unit of the registry, of another province
    sheet[cell(book, "ht-duc-tho", "kh_nhiem_vu")] = "nhiều"
    sheet[cell(book, "ht-thanh-sen", "kh_hoan_thanh")] = 5
    book.save()
    with pytest.raises(DataError) as raised:
        api.collect_into_reports(
            book.path, "ht", "2026-9T", _reports(data_copy), locked=["ht-thanh-sen"], data_dir=data_copy
        )
    assert located(raised.value.problems) == [
        (
            f"Sheet '{SHEET}', ô B4",
            "Bảng thu thập ghi kỳ '2026-6T', đang nhập số liệu 9 tháng đầu năm 2026.",
        ),
        (
            f"Sheet '{SHEET}', ô A13",
            "Báo cáo 9 tháng đầu năm 2026 của UBND phường Thành Sen đã nộp nên không nhập số liệu mới được.",
        ),
        (
            f"Sheet '{SHEET}', ô {cell(book, 'ht-duc-tho', 'kh_nhiem_vu')}",
            "Số nhiệm vụ đề ra trong kế hoạch: “nhiều” không phải là số.",
        ),
        (f"Sheet '{SHEET}', ô A16", "Đơn vị 'st-my-xuyen' không phải đơn vị trực thuộc UBND tỉnh Hà Tĩnh."),
    ]
