"""Workbooks through a real office program (#5): LibreOffice opens and saves every workbook cchc writes,
and a workbook filled in the way a clerk does (numbers as text, a formula, a date) gives the intended
report once an office program has saved it with the formula's result.

All files go through one soffice call (one start-up instead of one per file).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml

from cchc_gen import api
from cchc_gen.excel import collect as excel_collect
from cchc_gen.excel import convert as excel
from cchc_gen.source.loading import load_report
from tests.conftest import write_yaml
from tests.docx_text import text_blocks
from tests.excel_book import Book, located
from tests.office import libreoffice_save

pytestmark = pytest.mark.office

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "data").glob("20*/*.yaml")) + sorted((ROOT / "data" / "examples").glob("*.yaml"))
CLERK_TEXT = (
    "Tiếp nhận {hs_tiep_nhan} hồ sơ, đã giải quyết {hs_da_giai_quyet} hồ sơ; hoàn thành "
    "{kh_hoan_thanh/kh_nhiem_vu} nhiệm vụ, đạt {kh_ty_le} kế hoạch."
)
IMAGES = [
    {"image": "bieu_do_xa_1.png", "caption": "Biểu đồ 1. Tỷ lệ hồ sơ đúng hạn của các xã", "width_cm": 12.5},
    {"image": "anh/chup.jpg"},
]


def fill_like_a_clerk(book: Book) -> None:
    info, body, figures = book["Thông tin chung"], book["Nội dung"], book["Số liệu"]
    info[book.info("Số văn bản")] = 15
    info[book.info("Ngày ký")] = dt.datetime(2026, 12, 10)
    body[f"E{book.body('Công tác chỉ đạo') + 1}"] = CLERK_TEXT
    cells = {
        "kh_nhiem_vu": 19,
        "kh_hoan_thanh": "9",
        "hs_da_giai_quyet": 1421,
        "hs_dang_giai_quyet": 180,
        "hs_truoc_han": "1.000",
        "hs_dung_han_so": "421",
        "hs_qua_han": 0,
        "quy_trinh_noi_bo_ty_le": "97,5",
        "ks_hinh_thuc": "1 – Phát phiếu",
    }
    for code, value in cells.items():
        figures[book.figure(code)] = value
    total = f"={book.figure('hs_da_giai_quyet')}+{book.figure('hs_dang_giai_quyet')}"
    figures[book.figure("hs_tiep_nhan")] = total
    book.save()


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> dict[str, Path]:
    """Every kind of workbook cchc writes, and a clerk's, each saved again by LibreOffice (name → file)."""
    work = tmp_path_factory.mktemp("excel-office")
    data = work / "data"
    shutil.copytree(ROOT / "data", data)
    made: dict[str, Path] = {}
    for sample in SAMPLES:
        name = f"{sample.parent.name}-{sample.stem}"
        made[name] = excel.convert(sample, data / sample.parent.name / f"{name}.xlsx")
    with_images = yaml.safe_load((data / "2026-9T" / "ht-duc-tho.yaml").read_text(encoding="utf-8"))
    with_images["sections"][1]["content"][1:1] = IMAGES
    images = write_yaml(data / "anh" / "anh.yaml", with_images)  # not a period folder; a name of its own
    made["anh"] = excel.convert(images, images.with_suffix(".xlsx"))
    made["mau-excel"] = excel.unit_workbook("ht-duc-tho", "2026-Q4", data_dir=data).path
    made["tu-ky-truoc"] = excel.unit_workbook(
        "ht-thanh-sen", "2026", work / "tu-ky-truoc.xlsx", from_previous=True, data_dir=data
    ).path
    made["thu-thap"] = excel_collect.collection_workbook(
        "ht", "2026-9T", work / "thu-thap.xlsx", data_dir=data
    )
    clerk = Book(excel.unit_workbook("ht-huong-khe", "2026-Q4", data_dir=data).path)
    fill_like_a_clerk(clerk)
    made["clerk"] = clerk.path
    error = Book(excel.unit_workbook("ht-thanh-sen", "2026-Q4", data_dir=data).path)
    error["Số liệu"][error.figure("kh_nhiem_vu")] = "=1/0"
    made["error"] = error.save().path
    saved = work / "libreoffice"
    libreoffice_save(list(made.values()), saved)
    return {name: saved / path.name for name, path in made.items()} | {"work": work}


def test_libreoffice_opens_and_saves_every_workbook(office: dict[str, Path]):
    for name, path in office.items():
        if name != "work":
            assert path.is_file(), f"LibreOffice could not open {name}"


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_workbook_saved_by_libreoffice_still_gives_the_same_report(office: dict[str, Path], sample: Path):
    saved = office[f"{sample.parent.name}-{sample.stem}"]
    folder = office["work"] / "data" / sample.parent.name
    resaved = folder / f"lo-{saved.name}"
    shutil.copy(saved, resaved)
    assert load_report(resaved).report == load_report(sample).report


def test_image_rows_saved_by_libreoffice_give_the_same_images(office: dict[str, Path]):
    """A width number in a text-formatted cell, a file name with "_xa_" (an escape to LibreOffice)."""
    folder = office["work"] / "data" / "anh"
    resaved = shutil.copy(office["anh"], folder / "lo-anh.xlsx")
    report = load_report(resaved).report
    assert report == load_report(folder / "anh.yaml").report
    assert [b.model_dump(exclude_defaults=True) for b in report.sections[1].content[1:3]] == IMAGES


def test_libreoffice_keeps_protection_and_data_validation(office: dict[str, Path]):
    book = Book(office["mau-excel"])
    figures = book["Số liệu"]
    assert figures.protection.sheet
    kinds = {v.type for v in figures.data_validations.dataValidation}
    assert {"whole", "decimal", "list"} <= kinds
    assert figures[book.figure("kh_nhiem_vu")].protection.locked is False


def test_a_clerks_workbook_gives_the_intended_report(office: dict[str, Path]):
    work = office["work"]
    original = work / "data" / "2026-Q4" / "ht-huong-khe.xlsx"
    book = Book(original)
    total, parts = (
        book.figure("hs_tiep_nhan"),
        (book.figure("hs_da_giai_quyet"), book.figure("hs_dang_giai_quyet")),
    )
    assert located(book.problems()) == [
        (
            f"Sheet 'Số liệu', ô {total}",
            f"Ô có công thức ={parts[0]}+{parts[1]} nhưng tệp không lưu kết quả của công thức (tệp được ghi "
            "bởi một chương trình không tính công thức).",
        )
    ], "before an office program saves it, the formula has no result"

    shutil.copy(office["clerk"], original)  # the clerk's file as LibreOffice saved it
    loaded = load_report(original)
    assert loaded.report.figures["hs_tiep_nhan"] == 1601
    docx = api.render_report(original, work / "clerk.docx")
    blocks = text_blocks(docx)
    text = "\n".join(blocks)
    assert (
        "Tiếp nhận 1.601 hồ sơ, đã giải quyết 1.421 hồ sơ; hoàn thành 09/19 nhiệm vụ, đạt 47,37% kế hoạch."
        in (text)
    )
    assert "Số: 15/BC-UBND" in text
    assert "Hương Khê, ngày 10 tháng 12 năm 2026" in text
    rows = {block.split(" ", 1)[0]: block for block in blocks if block[:1].isdigit()}
    assert any("Tổng số hồ sơ TTHC tiếp nhận trong kỳ Hồ sơ 1.601" in row for row in rows.values())
    assert any("Số hồ sơ giải quyết trước hạn Hồ sơ 1.000" in row for row in rows.values())
    assert any(re.search(r"được giải quyết đúng hạn % 100(?![,\d])", row) for row in rows.values())
    assert any("Tỷ lệ TTHC đã được phê duyệt quy trình nội bộ % 97,5" in row for row in rows.values())
    assert any(
        "Hình thức khảo sát Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2 1" in row for row in rows.values()
    )


def test_an_error_result_saved_by_libreoffice(office: dict[str, Path]):
    book = Book(office["error"])
    assert located(book.problems()) == [
        (f"Sheet 'Số liệu', ô {book.figure('kh_nhiem_vu')}", "Công thức ở ô này cho kết quả lỗi #DIV/0!.")
    ]


def test_the_collection_sheet_saved_by_libreoffice_reads_the_same(office: dict[str, Path]):
    result = excel_collect.import_collection(office["thu-thap"], data_dir=office["work"] / "data")
    assert (result.updated, result.created, len(result.unchanged)) == ([], [], 3)


def test_figures_collected_into_a_workbook_with_formulas(office: dict[str, Path], tmp_path: Path):
    """The clerk's formula keeps its result when other figures of the workbook are changed."""
    data = tmp_path / "data"
    (data / "2026-Q4").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "units.yaml", data)
    shutil.copy(office["clerk"], data / "2026-Q4" / "ht-huong-khe.xlsx")
    collection = Book(
        excel_collect.collection_workbook("ht", "2026-Q4", tmp_path / "thu-thap.xlsx", data_dir=data)
    )
    sheet = collection["Thu thập số liệu"]
    column = next(c.column_letter for c in sheet[12] if c.value == "kh_nhiem_vu")
    sheet[f"{column}15"] = 20
    result = excel_collect.import_collection(collection.save().path, data_dir=data)
    assert result.updated == [data / "2026-Q4" / "ht-huong-khe.xlsx"]
    total = Book(office["clerk"]).figure("hs_tiep_nhan")
    assert [w.message for w in result.warnings] == [
        f"Các công thức trong bảng tính được thay bằng kết quả của chúng: Sheet 'Số liệu', ô {total}."
    ]
    figures = load_report(data / "2026-Q4" / "ht-huong-khe.xlsx").report.figures
    assert (figures["kh_nhiem_vu"], figures["hs_tiep_nhan"]) == (20, 1601)
