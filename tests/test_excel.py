"""Report workbooks (#5): the same report from YAML and from Excel, the workbook's protection and data
validation, and the commands that write and convert workbooks."""

from __future__ import annotations

import copy
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from cchc_gen import api
from cchc_gen.cli import main
from cchc_gen.excel import convert as excel
from cchc_gen.excel.layout import WORKBOOK_FIELDS, clean, escape_underscores
from cchc_gen.model.report import Report
from cchc_gen.source.loading import load_report
from tests.conftest import REPORT
from tests.excel_book import Book

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "data").glob("20*/*.yaml")) + sorted((ROOT / "data" / "examples").glob("*.yaml"))


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample data folder (registry and period folders), copied; the working folder is its parent."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data"


# --- round trip ------------------------------------------------------------------------------------------


def test_every_report_field_has_a_place_in_the_workbook():
    """A field added to the data model must get a place in the workbook, or conversions would drop it."""
    assert set(Report.model_fields) == WORKBOOK_FIELDS


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_yaml_to_workbook_to_yaml_gives_the_same_report(sample: Path, tmp_path: Path):
    folder = tmp_path / "data" / sample.parent.name
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "data" / "units.yaml", tmp_path / "data")
    original = load_report(sample).report

    workbook = excel.convert(sample, folder / f"{sample.stem}.xlsx")
    assert load_report(workbook).report == original

    back = excel.convert(workbook, folder / f"{sample.stem}-lai.yaml")
    assert load_report(back).report == original
    assert back.read_text(encoding="utf-8").startswith("# Dữ liệu báo cáo của ")


IMAGES = [
    {
        "image": "ht.bieu-do.png",
        "caption": "Biểu đồ 1. Tỷ lệ hồ sơ giải quyết đúng hạn của các xã",
        "width_cm": 12,
    },
    {"image": "anh/chup_x1_.jpg"},
    {"image": "so-do.png", "width_cm": 12.5},
    {"image": "bang-quet.png", "caption": "Ảnh 2. Bảng tổng hợp (bản quét)"},
]


def test_images_in_the_workbook_and_back(data_tree):
    """Each image one "Ảnh" row: file name, caption, width (left empty at its default of 15 cm); back in
    YAML exactly as written, width 12 still 12 and no width where the file had none."""
    sections = copy.deepcopy(REPORT["sections"])
    sections[0]["content"][0]["content"][1:1] = IMAGES[:2]
    sections[0]["content"].extend(IMAGES[2:])  # after the sub-heading: rows that carry level 1
    source = data_tree(sections=sections)
    original = load_report(source).report

    book = Book(excel.convert(source, source.with_suffix(".xlsx")))
    body = book["Nội dung"]
    rows = [
        [clean(v) if isinstance(v, str) else v for v in row[:7]]  # "_x1_" is escaped in the file
        for row in body.iter_rows(min_row=5, values_only=True)
        if row[1] == "Ảnh"
    ]
    assert rows == [
        [
            None,
            "Ảnh",
            None,
            None,
            "ht.bieu-do.png",
            "Biểu đồ 1. Tỷ lệ hồ sơ giải quyết đúng hạn của các xã",
            12,
        ],
        [None, "Ảnh", None, None, "anh/chup_x1_.jpg", None, None],
        [1, "Ảnh", None, None, "so-do.png", None, 12.5],
        [None, "Ảnh", None, None, "bang-quet.png", "Ảnh 2. Bảng tổng hợp (bản quét)", None],
    ]
    row = book.body("so-do.png")
    prompts = [
        (validation_of(body, f"{c}{row}").promptTitle, validation_of(body, f"{c}{row}").prompt) for c in "FG"
    ]
    assert prompts == [
        (
            "Chú thích ảnh",
            "In dưới ảnh, ví dụ: Biểu đồ 1. Tỷ lệ hồ sơ giải quyết đúng hạn. Để trống nếu không cần.",
        ),
        ("Chiều rộng ảnh (cm)", "Từ 2 đến 16,5; để trống: 15 cm."),
    ]
    assert "Ảnh" in list_entries(book, validation_of(body, "B5"))
    assert any(
        str(c.value).startswith("Ảnh (biểu đồ, ảnh chụp): một dòng loại Ảnh") for c in book["Hướng dẫn"]["A"]
    )
    assert book.load().report == original

    back = excel.convert(book.path, source.with_name("lai.yaml"))
    assert load_report(back).report == original
    assert yaml.safe_dump(yaml.safe_load(back.read_text(encoding="utf-8"))["sections"]) == yaml.safe_dump(
        sections
    )


def test_figures_keep_how_they_were_typed(tmp_path: Path):
    """ "02" stays text (the appendix prints it so), 47,37 typed as a number stays an exact decimal."""
    sample = ROOT / "data" / "examples" / "bao-cao-nam-2023-xa-quang-tho.yaml"
    shutil.copy(ROOT / "data" / "units.yaml", tmp_path)
    workbook = excel.convert(sample, tmp_path / "quang-tho.xlsx")
    book = Book(workbook)
    assert book["Số liệu"][book.figure("kt_ke_hoach_tu_kiem_tra")].value == "02"
    assert book["Số liệu"][book.figure("kh_nhiem_vu")].value == 29
    book["Số liệu"][book.figure("kh_nhiem_vu")] = 47.37
    assert book.save().load().report.figures["kh_nhiem_vu"] == Decimal("47.37")


# --- what the clerk gets -----------------------------------------------------------------------------------


def list_entries(book: Book, validation) -> list[str]:
    sheet, cells = validation.formula1.replace("$", "").split("!")
    return [row[0].value for row in book[sheet.strip("'")][cells]]


def validation_of(sheet, coordinate: str):
    found = [v for v in sheet.data_validations.dataValidation if coordinate in v.sqref]
    assert len(found) == 1, coordinate
    return found[0]


def test_mau_excel_writes_a_protected_workbook_with_data_validation(data_copy: Path):
    result = run("mau-excel", "ht-duc-tho", "2026-Q4")
    assert result.exit_code == 0, result.output
    written = data_copy / "2026-Q4" / "ht-duc-tho.xlsx"
    assert f"Đã tạo bảng tính: {Path('data/2026-Q4/ht-duc-tho.xlsx')}" in result.output
    book = Book(written)
    assert book.workbook.sheetnames == ["Hướng dẫn", "Thông tin chung", "Nội dung", "Số liệu", "Danh sách"]
    assert book["Danh sách"].sheet_state == "hidden"
    for name in book.workbook.sheetnames:
        assert book[name].protection.sheet, name

    figures = book["Số liệu"]
    assert [c.value for c in figures[4]] == [
        "STT",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Số liệu",
        "Ghi chú",
        "Mã chỉ tiêu",
        "Cách nhập",
    ]
    row = book.row_of("Số liệu", "F", "kh_nhiem_vu")
    assert [figures.cell(row, c).value for c in (1, 2, 3)] == [
        "1.1.1.",
        "Số nhiệm vụ đề ra trong kế hoạch",
        "Nhiệm vụ",
    ]
    assert figures.cell(row, 2).protection.locked and figures.cell(row, 6).protection.locked
    assert not figures.cell(row, 4).protection.locked and not figures.cell(row, 5).protection.locked
    group = book.row_of("Số liệu", "B", "Công tác chỉ đạo điều hành CCHC")
    assert figures.cell(group, 4).protection.locked, "a group row has no figure of its own"

    whole = validation_of(figures, book.figure("kh_nhiem_vu"))
    assert (whole.type, whole.operator, whole.formula1, whole.errorStyle) == (
        "whole",
        "greaterThanOrEqual",
        "0",
        "stop",
    )
    assert whole.error.startswith("Gõ một số nguyên từ 0 trở lên")
    rate = validation_of(figures, book.figure("kh_ty_le"))
    assert (rate.type, rate.operator, rate.formula1, rate.formula2) == ("decimal", "between", "0", "100")
    coded = validation_of(figures, book.figure("ks_hinh_thuc"))
    assert coded.type == "list"
    assert list_entries(book, coded) == ["0 – Trực tuyến", "1 – Phát phiếu", "2 – Kết hợp"]
    assert "Để trống để chương trình tự tính = kh_hoan_thanh / kh_nhiem_vu × 100" in (
        figures.cell(book.row_of("Số liệu", "F", "kh_ty_le"), 7).value
    )

    body = book["Nội dung"]
    assert [c.value for c in body[4]][:5] == ["Cấp", "Loại", "Mã mục", "Cấp ý", "Nội dung"]
    assert body["A4"].protection.locked and not body["E5"].protection.locked
    assert not body.protection.insertRows and not body.protection.deleteRows, "rows may be added"
    kinds = validation_of(body, "B5")
    assert kinds.type == "list"
    assert [body.cell(5, c).value for c in (1, 2, 3, 4, 5)] == [
        1,
        "Đề mục",
        "chi-dao",
        None,
        "Công tác chỉ đạo, điều hành cải cách hành chính",
    ]

    info = book["Thông tin chung"]
    assert info[book.info("Mã đơn vị")].value == "ht-duc-tho"
    assert info[book.info("Mã đơn vị")].protection.locked
    assert not info[book.info("Số văn bản")].protection.locked
    assert validation_of(info, book.info("Số văn bản")).formula1 == "1"
    assert validation_of(info, book.info("Quyền hạn ký")).type == "list"
    hint = info["C" + book.info("Kính gửi")[1:]].value
    assert hint == "Mỗi nơi một ô. Để trống: Sở Nội vụ tỉnh Hà Tĩnh."

    loaded = load_report(written)
    assert [s.key for s in loaded.report.sections] == [
        "chi-dao",
        "ket-qua",
        "danh-gia",
        "phuong-huong",
        "kien-nghi",
    ]
    assert loaded.report.figures == {}


def test_mau_excel_from_the_previous_period(data_copy: Path):
    result = run("mau-excel", "ht-duc-tho", "2026", "--tu-ky-truoc", "-o", "duc-tho-2026.xlsx")
    assert result.exit_code == 0, result.output
    book = Book(Path("duc-tho-2026.xlsx"))
    previous = load_report(data_copy / "2026-9T" / "ht-duc-tho.yaml").report
    figures = book["Số liệu"]
    assert figures["H4"].value == "Kỳ trước (9 tháng đầu năm 2026)"
    row = book.row_of("Số liệu", "F", "kh_nhiem_vu")
    assert (figures.cell(row, 4).value, figures.cell(row, 8).value) == (None, 26)
    assert figures.cell(row, 8).protection.locked
    report = load_report(Path("duc-tho-2026.xlsx")).report
    assert report.sections == previous.sections
    assert report.lead_in == previous.lead_in
    assert (report.period.code, report.number, report.figures, report.title) == ("2026", None, {}, None)


def test_mau_excel_refuses_what_would_lose_work(data_copy: Path):
    result = run("mau-excel", "ht-duc-tho", "2026-9T")
    assert result.exit_code == 1
    assert "Đơn vị đã có tệp dữ liệu kỳ 2026-9T." in result.output
    assert "cchc chuyen-doi data/2026-9T/ht-duc-tho.yaml <tệp.xlsx>" in result.output

    assert run("mau-excel", "ht-duc-tho", "2026-Q4").exit_code == 0
    again = run("mau-excel", "ht-duc-tho", "2026-Q4")
    assert again.exit_code == 1
    assert "Tệp đã có; không ghi đè để không mất dữ liệu đã điền." in again.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["ht-duc-th", "2026-Q4"], "Không có đơn vị mã 'ht-duc-th' trong danh mục."),
        (["ht-duc-th", "2026-Q4"], "Có phải ý bạn là 'ht-duc-tho'?"),
        (["ht-duc-tho", "2026-Q5"], "'2026-Q5' không phải kỳ báo cáo hợp lệ"),
        (
            ["ht-duc-tho", "2025", "--tu-ky-truoc"],
            "Chưa có dữ liệu kỳ nào trước kỳ 2025 của đơn vị 'ht-duc-tho'",
        ),
    ],
)
def test_mau_excel_bad_input(data_copy: Path, args: list[str], expected: str):
    result = run("mau-excel", *args)
    assert result.exit_code == 1
    assert expected in result.output


def test_chuyen_doi_both_ways_and_render_from_the_workbook(data_copy: Path):
    source = data_copy / "2026-9T" / "ht-duc-tho.yaml"
    result = run("chuyen-doi", str(source), "data/2026-9T/ht-duc-tho.xlsx")
    assert result.exit_code == 0, result.output
    assert "Đã chuyển thành: data/2026-9T/ht-duc-tho.xlsx" in result.output
    source.unlink()
    assert api.data_files_in([data_copy / "2026-9T"]) == sorted(
        [
            data_copy / "2026-9T" / f"{u}"
            for u in ("ht-duc-tho.xlsx", "ht-huong-khe.yaml", "ht-thanh-sen.yaml")
        ]
    )
    checked = run("kiem-tra", "data/2026-9T")
    assert checked.exit_code == 0, checked.output
    assert "Đã kiểm tra 3 tệp: 0 lỗi" in checked.output
    rendered = run("render", "data/2026-9T/ht-duc-tho.xlsx")
    assert rendered.exit_code == 0, rendered.output
    assert Path("outputs/2026-9T/ht-duc-tho.docx").is_file()

    back = run("chuyen-doi", "data/2026-9T/ht-duc-tho.xlsx", "data/2026-9T/lai.yaml")
    assert back.exit_code == 0, back.output
    data = yaml.safe_load(Path("data/2026-9T/lai.yaml").read_text(encoding="utf-8"))
    assert (data["unit"], data["period"], data["date"]) == ("ht-duc-tho", "2026-9T", "9/2026")
    assert data["figures"]["hs_dung_han_dat_dai"] == "99,03"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("ra.docx", "Không chuyển được từ '.yaml' sang '.docx'."),
        ("ra.yml", "Không chuyển được từ '.yaml' sang '.yml'."),
        ("data/2026-9T/ht-thanh-sen.yaml", "Không chuyển được từ '.yaml' sang '.yaml'."),
    ],
)
def test_chuyen_doi_refuses_what_it_cannot_do(data_copy: Path, target: str, expected: str):
    result = run("chuyen-doi", "data/2026-9T/ht-duc-tho.yaml", target)
    assert result.exit_code == 1
    assert expected in result.output


def test_chuyen_doi_never_overwrites(data_copy: Path):
    Path("co-roi.xlsx").write_bytes(b"du lieu cu")
    result = run("chuyen-doi", "data/2026-9T/ht-duc-tho.yaml", "co-roi.xlsx")
    assert result.exit_code == 1
    assert "Tệp đã có; không ghi đè" in result.output
    assert Path("co-roi.xlsx").read_bytes() == b"du lieu cu"


def test_help_of_the_excel_commands_is_vietnamese():
    for command, words in (
        ("mau-excel", "Tạo bảng tính Excel để công chức điền dữ liệu báo cáo"),
        ("chuyen-doi", "Chuyển tệp dữ liệu giữa YAML (.yaml) và bảng tính Excel (.xlsx)"),
        ("mau-excel-thu-thap", "Tạo bảng tính thu thập số liệu chỉ tiêu"),
        ("nhap-excel-thu-thap", "Đưa số liệu của bảng tính thu thập vào tệp dữ liệu kỳ"),
    ):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert words in result.output
        assert "Cách dùng:" in result.output


def test_generated_workbook_opens_with_openpyxl_as_plain_data(data_copy: Path):
    """Without cchc: the figures sheet is an ordinary table that any program can read."""
    assert run("chuyen-doi", "data/2026-9T/ht-duc-tho.yaml", "ra.xlsx").exit_code == 0
    rows = list(openpyxl.load_workbook("ra.xlsx")["Số liệu"].iter_rows(min_row=5, values_only=True))
    by_code = {row[5]: row[3] for row in rows if row[5]}
    assert (by_code["hs_tiep_nhan"], by_code["hs_dung_han_dat_dai"], by_code["ks_hinh_thuc"]) == (
        4985,
        "99,03",
        "0 – Trực tuyến",
    )


@pytest.mark.parametrize(
    ("text", "in_the_file"),
    [
        ("vbdt_ket_noi_xa_ty_le", "vbdt_ket_noi_x005F_xa_ty_le"),
        ("mcdt_xa_ty_le", "mcdt_x005F_xa_ty_le"),
        ("hs_dung_han_xa", "hs_dung_han_xa"),
        ("tthc_x1_b", "tthc_x005F_x1_b"),
        ("Số liệu x_1", "Số liệu x_1"),
    ],
)
def test_underscores_that_look_like_xml_escapes(text: str, in_the_file: str):
    """ "_xa_" in a cell is a character escape to office programs (LibreOffice reads it as a line break)."""
    assert escape_underscores(text) == in_the_file
    assert escape_underscores(in_the_file) == in_the_file
    assert clean(in_the_file) == text


def test_the_workbook_follows_the_profile_of_its_period(data_tree):
    """A new circular's profile (valid from 01/7/2025) brings its own catalogue to later periods only."""
    data_tree()
    root = Path("templates")
    shutil.copytree(root / "bao-cao-dinh-ky", root / "bao-cao-moi")
    spec = yaml.safe_load((root / "bao-cao-moi" / "profile.yaml").read_text(encoding="utf-8"))
    spec["valid_from"] = "01/07/2025"
    spec["appendix"]["indicators"] = [
        {"label": "Nhóm mới", "items": [{"code": "chi_tieu_moi", "label": "Chỉ tiêu mới", "unit": "Việc"}]}
    ]
    (root / "bao-cao-moi" / "profile.yaml").write_text(
        yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8"
    )
    for period in ("2025-Q2", "2025-Q3"):
        assert run("mau-excel", "tx-an-binh", period).exit_code == 0
    old, new = Book(Path("data/2025-Q2/tx-an-binh.xlsx")), Book(Path("data/2025-Q3/tx-an-binh.xlsx"))
    assert new.figure("chi_tieu_moi") == "D6"
    assert old.figure("kh_nhiem_vu") == "D6"
    assert (
        new["Thông tin chung"]["C" + new.info("Bộ mẫu")[1:]].value
        == "Để trống: bộ mẫu theo kỳ báo cáo (bao-cao-moi)."
    )
    new["Số liệu"]["D6"] = 3
    assert run("kiem-tra", str(new.save().path)).exit_code == 0
