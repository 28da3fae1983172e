"""`cchc tong-hop`: the report of the level above from its units' data, as Nội vụ staff run it.

The sample province (Hà Tĩnh, three communes, 9 tháng 2026) is copied to a temporary folder; the older
three-level hierarchy (province ← districts ← communes) is built here in code.
"""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import matplotlib
import pytest
import yaml
from click.testing import CliRunner
from docx.shared import Cm
from fontTools import subset
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font, StyleFlags
from matplotlib.text import Text

from cchc_gen.cli import main
from cchc_gen.excel import convert as excel
from cchc_gen.model.profile import load_profile
from cchc_gen.runs.rollup import roll_up
from cchc_gen.source.loading import load_report
from cchc_gen.vn.numbers import parse_number, rate
from tests.conftest import ROOT, write_yaml
from tests.docx_text import text_blocks
from tests.excel_book import as_workbook

COMMUNES = ["ht-thanh-sen", "ht-duc-tho", "ht-huong-khe"]


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample registry and 9-month data in a temporary working folder; returns the period folder."""
    shutil.copytree(ROOT / "data" / "2026-9T", tmp_path / "data" / "2026-9T")
    shutil.copy(ROOT / "data" / "units.yaml", tmp_path / "data" / "units.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data" / "2026-9T"


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def commune_figures(folder: Path, codes: list[str] = COMMUNES) -> list[dict[str, Any]]:
    return [load(folder / f"{code}.yaml")["figures"] for code in codes]


@pytest.mark.parametrize("workbooks", [[], ["ht-duc-tho"]], ids=["yaml", "a-commune-in-a-workbook"])
def test_the_province_totals_are_the_sums_of_its_communes(sample, workbooks):
    communes = commune_figures(sample)
    for code in workbooks:
        as_workbook(sample / f"{code}.yaml")
    result = run("tong-hop", "ht", "--period", "2026-9T")
    assert result.exit_code == 0, result.output
    assert "Đã tổng hợp số liệu của 3/3 đơn vị." in result.stdout
    figures = load(sample / "ht.yaml")["figures"]
    assert figures["hs_tiep_nhan"] == 8391 + 4985 + 3862
    catalogue = load_profile(None).spec.indicators()
    counts = {c for c, i in catalogue.items() if i.type == "integer" and i.aggregate != "same"}
    summed = 0
    for code in counts:
        given = [f[code] for f in communes if isinstance(f.get(code), int)]
        if given:
            assert figures[code] == sum(given), code
            summed += 1
    assert summed > 40


def test_a_figure_every_commune_shares_is_carried_up_not_summed(sample):
    """The province's decisions (procedures in force, published) are the same figure in every commune."""
    assert run("tong-hop", "ht", "--period", "2026-9T").exit_code == 0
    written = load(sample / "ht.yaml")
    assert written["figures"]["tthc_hieu_luc"] == 318 and written["figures"]["tthc_cong_bo_moi"] == 20
    commune = load(sample / "ht-duc-tho.yaml")
    commune["figures"]["tthc_cong_bo_moi"] = 21
    write_yaml(sample / "ht-duc-tho.yaml", commune)
    assert run("tong-hop", "ht", "--period", "2026-9T", "--ghi-de").exit_code == 0
    written = load(sample / "ht.yaml")
    assert "tthc_cong_bo_moi" not in written["figures"]
    assert written["figure_notes"]["tthc_cong_bo_moi"] == (
        "Số liệu chung nhưng các đơn vị ghi khác nhau, không cộng: từ 20 đến 21."
    )


def test_rates_are_recomputed_from_the_summed_counts_never_averaged(sample):
    assert run("tong-hop", "ht", "--period", "2026-9T").exit_code == 0
    written = load(sample / "ht.yaml")
    communes = commune_figures(sample)

    def total(code: str) -> int:
        return sum(f[code] for f in communes)

    on_time = rate(total("hs_truoc_han") + total("hs_dung_han_so"), total("hs_da_giai_quyet"))
    planned = rate(total("kh_hoan_thanh"), total("kh_nhiem_vu"))
    assert parse_number(written["figures"]["hs_dung_han_xa"]) == on_time == Decimal("99.80")
    assert parse_number(written["figures"]["kh_ty_le"]) == planned == Decimal("72.62")
    # The communes' own rates (99,87 / 99,76 / 99,71 and 73,33 / 73,08 / 71,43) average to something else.
    assert sum(Decimal(x) for x in ("99.87", "99.76", "99.71")) / 3 != on_time
    assert sum(Decimal(x) for x in ("73.33", "73.08", "71.43")) / 3 != planned
    # A rate the profile cannot recompute is left empty, with the communes' range.
    assert "hs_dung_han_dat_dai" not in written["figures"]
    assert written["figure_notes"]["hs_dung_han_dat_dai"] == (
        "Bộ mẫu không có quy tắc tính lại tỷ lệ này (không lấy trung bình); các đơn vị: từ 98,96% đến 99,2%."
    )


def test_coded_answers_and_partial_counts_are_explained_not_summed(sample):
    assert run("tong-hop", "ht", "--period", "2026-9T").exit_code == 0
    written = load(sample / "ht.yaml")
    assert "ks_hinh_thuc" not in written["figures"]
    assert written["figure_notes"]["ks_hinh_thuc"] == (
        "Câu trả lời riêng của từng đơn vị, không tổng hợp; Trực tuyến: 01 đơn vị; Kết hợp: 01 đơn vị."
    )
    # Thành Sen gave no survey count: the total says whom it leaves out.
    assert written["figures"]["ks_so_phieu"] == 420 + 300
    assert written["figure_notes"]["ks_so_phieu"] == (
        "Không gồm UBND phường Thành Sen: chưa có số liệu chỉ tiêu này."
    )


def test_the_rolled_up_file_renders_with_the_unit_table_as_phu_luc_ii(sample, tmp_path):
    assert run("tong-hop", "ht", "--period", "2026-9T").exit_code == 0
    result = run("render", str(sample / "ht.yaml"), "-o", str(tmp_path / "ht.docx"))
    assert result.exit_code == 0, result.output
    text = text_blocks(tmp_path / "ht.docx")
    assert (
        "Cấp xã tiếp nhận 17.238 hồ sơ thủ tục hành chính, đã giải quyết 16.955 hồ sơ "
        "(trước hạn 5.995 hồ sơ, đúng hạn 10.926 hồ sơ, quá hạn 34 hồ sơ), đang giải quyết 283 hồ sơ." in text
    )
    assert "Tỷ lệ hồ sơ do cấp xã tiếp nhận được giải quyết trước hạn, đúng hạn đạt 99,8%." in text
    assert "Cấp xã đã hoàn thành 61/84 nhiệm vụ theo kế hoạch cải cách hành chính, đạt 72,62%." in text
    appendix = text.index("Phụ lục II")
    assert "Phụ lục I" in text[: text.index("Phụ lục II")]
    assert text[appendix + 1 : appendix + 3] == [
        "KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH",
        "9 THÁNG ĐẦU NĂM 2026 CỦA CÁC ĐƠN VỊ HÀNH CHÍNH CẤP XÃ",
    ]
    rows = text[appendix:]
    assert "1 UBND phường Thành Sen 22/30 73,33% 8.391 8.262 99,87% " in rows
    assert "3 UBND xã Hương Khê 20/28 71,43% 3.862 3.790 99,71% " in rows
    assert " Cộng 61/84 72,62% 17.238 16.955 99,8% Tổng hợp 03/03 đơn vị" in rows


def test_a_commune_without_data_is_listed_and_fails_the_command(sample):
    (sample / "ht-huong-khe.yaml").unlink()
    result = run("tong-hop", "ht", "--period", "2026-9T")
    assert result.exit_code == 1
    assert "Số liệu tổng hợp chưa đầy đủ" in result.stderr
    assert "UBND xã Hương Khê ('ht-huong-khe') chưa có số liệu 9 tháng đầu năm 2026." in result.stderr
    assert "Đã tổng hợp số liệu của 2/3 đơn vị." in result.stdout
    written = sample / "ht.yaml"
    assert load(written)["figures"]["hs_tiep_nhan"] == 8391 + 4985
    rows = load(written)["appendices"][0]["rows"]
    assert rows[2] == ["3", "UBND xã Hương Khê", "", "", "", "", "", "Chưa có số liệu"]
    assert rows[3][-1] == "Tổng hợp 02/03 đơn vị"
    assert "# - Chưa có số liệu: UBND xã Hương Khê\n" in written.read_text(encoding="utf-8")


def test_a_commune_whose_data_has_errors_is_left_out_of_the_sums(sample):
    data = sample / "ht-duc-tho.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("hs_qua_han: 12", "hs_qua_han: 13"), "utf-8")
    result = run("tong-hop", "ht", "--period", "2026-9T")
    assert result.exit_code == 1
    assert "Số liệu của UBND xã Đức Thọ ('ht-duc-tho') có lỗi nên chưa được cộng" in result.stderr
    assert "cchc kiem-tra data/2026-9T/ht-duc-tho.yaml" in result.stderr
    written = load(sample / "ht.yaml")
    assert written["figures"]["hs_tiep_nhan"] == 8391 + 3862
    assert written["appendices"][0]["rows"][1][-1] == "Số liệu có lỗi, chưa tổng hợp"


def test_a_commune_with_both_a_yaml_file_and_a_workbook_is_left_out_of_the_sums(sample):
    as_workbook(sample / "ht-duc-tho.yaml", keep_yaml=True)
    result = run("tong-hop", "ht", "--period", "2026-9T")
    assert result.exit_code == 1
    assert (
        "Số liệu của UBND xã Đức Thọ ('ht-duc-tho') có lỗi nên chưa được cộng: Đơn vị 'ht-duc-tho' có 2 tệp "
        "dữ liệu cho kỳ 2026-9T: ht-duc-tho.xlsx, ht-duc-tho.yaml; không biết dùng tệp nào." in result.stderr
    )
    assert "Giữ lại một tệp (YAML hoặc bảng tính)" in result.stderr
    written = sample / "ht.yaml"
    assert load(written)["figures"]["hs_tiep_nhan"] == 8391 + 3862
    assert load(written)["appendices"][0]["rows"][1][-1] == "Số liệu có lỗi, chưa tổng hợp"
    assert "# - Số liệu có lỗi: UBND xã Đức Thọ\n" in written.read_text(encoding="utf-8")


def test_a_province_whose_data_is_a_workbook_gets_the_roll_up_in_its_workbook(sample):
    workbook = excel.unit_workbook("ht", "2026-9T").path
    before = workbook.read_bytes()
    refused = run("tong-hop", "ht", "--period", "2026-9T")
    assert refused.exit_code == 1
    assert "data/2026-9T/ht.xlsx: Tệp dữ liệu tổng hợp đã có" in refused.stderr
    assert workbook.read_bytes() == before

    result = run("tong-hop", "ht", "--period", "2026-9T", "--ghi-de")
    assert result.exit_code == 0, result.output
    assert "Đã ghi dữ liệu tổng hợp: data/2026-9T/ht.xlsx" in result.stdout
    assert "Bản cũ được giữ lại: data/2026-9T/ht.xlsx.bak" in result.stdout
    assert (sample / "ht.xlsx.bak").read_bytes() == before
    assert not (sample / "ht.yaml").exists()  # one data file per unit and period
    # The workbook holds the very report the roll-up writes as YAML.
    assert run("tong-hop", "ht", "--period", "2026-9T", "-o", "ht.yaml").exit_code == 0
    in_workbook, in_yaml = load_report(workbook).report, load_report(Path("ht.yaml")).report
    assert in_workbook.figures["hs_tiep_nhan"] == 8391 + 4985 + 3862
    assert in_workbook == in_yaml


def test_reports_signed_after_the_deadline_are_late(sample):
    result = run("tong-hop", "ht", "--period", "2026-9T", "--han-nop", "17/09/2026")
    assert result.exit_code == 0, result.output
    assert "UBND xã Hương Khê nộp muộn: báo cáo ký ngày 18/09/2026, sau hạn 17/09/2026." in result.stderr
    assert "UBND xã Đức Thọ: báo cáo chưa ghi đủ ngày ký" in result.stderr
    assert "Thành Sen" not in result.stderr  # signed 17/09/2026, on the day
    notes = [row[-1] for row in load(sample / "ht.yaml")["appendices"][0]["rows"]]
    assert notes[:3] == ["", "Chưa ghi đủ ngày ký", "Nộp muộn (ký ngày 18/09/2026)"]


def test_a_hand_edited_file_is_kept(sample):
    written = sample / "ht.yaml"
    written.write_text("# bản đã sửa tay\n", encoding="utf-8")
    refused = run("tong-hop", "ht", "--period", "2026-9T")
    assert refused.exit_code == 1
    assert "Tệp dữ liệu tổng hợp đã có (có thể đã được sửa tay), không ghi đè." in refused.stderr
    assert "--ghi-de" in refused.stderr
    assert written.read_text(encoding="utf-8") == "# bản đã sửa tay\n"

    assert run("tong-hop", "ht", "--period", "2026-9T", "--ghi-de").exit_code == 0
    assert (sample / "ht.yaml.bak").read_text(encoding="utf-8") == "# bản đã sửa tay\n"
    again = run("tong-hop", "ht", "--period", "2026-9T", "--ghi-de")
    assert "Bản cũ được giữ lại: data/2026-9T/ht.yaml.bak.2" in again.stdout
    assert (sample / "ht.yaml.bak").read_text(encoding="utf-8") == "# bản đã sửa tay\n"
    assert not list(sample.glob(".*.tmp"))


def test_the_chart_draws_each_communes_on_time_rate(sample):
    result = run("tong-hop", "ht", "--period", "2026-9T", "--bieu-do")
    assert result.exit_code == 0, result.output
    chart = sample / "ht.bieu-do.png"
    assert f"Đã vẽ biểu đồ: data/2026-9T/{chart.name}" in result.stdout
    from matplotlib.image import imread

    pixels = imread(chart)
    height, width = pixels.shape[:2]
    assert abs(width - 16 / 2.54 * 200) < 1  # 16 cm at 200 dpi: the text width of a portrait page
    assert 300 < height < width
    colours = {tuple(round(channel * 255) for channel in pixel[:3]) for pixel in pixels.reshape(-1, 4)}
    # Thành Sen is above the overall 99,80%, Đức Thọ and Hương Khê below it: both colours are drawn.
    assert {(0x1F, 0x4E, 0x79), (0xC0, 0x50, 0x4D)} <= colours

    # In the province's data, after the results' sentences; rendered as a picture 16 cm wide.
    results = next(s for s in load(sample / "ht.yaml")["sections"] if s.get("key") == "ket-qua")
    block = results["content"][-1]
    assert block["image"] == chart.name and block["caption"].startswith("Biểu đồ 1.")
    rendered = run("render", "data/2026-9T/ht.yaml", "-o", "ht.docx")
    assert rendered.exit_code == 0, rendered.output
    document = docx.Document("ht.docx")
    [shape] = document.inline_shapes
    assert shape.width == Cm(16)
    media = [p.blob for p in document.part.package.iter_parts() if p.partname.startswith("/word/media/")]
    assert media == [chart.read_bytes()]
    assert block["caption"] in [p.text for p in document.paragraphs]


# Every letter of Vietnamese: the twelve vowels with each of the six tones, the seventeen consonants, both
# cases; each one code point in NFC.
_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_LOWER = {unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONES} | set("bcdđghklmnpqrstvx")
VIETNAMESE = _LOWER | {letter.upper() for letter in _LOWER}


def characters(face: str) -> set[str]:
    return {chr(code) for code in FT2Font(face).get_charmap()}


@pytest.fixture
def times_without_bold_vietnamese(tmp_path: Path) -> Iterator[None]:
    """The machine of the issue: a "Times New Roman" (or Liberation Serif 2 beside Debian's 1.x) whose
    regular face has the Vietnamese letters and whose bold face has not. Made from matplotlib's DejaVu
    Serif, renamed, the bold one cut down to Latin-1, and known to matplotlib for this test only."""
    folder = Path(matplotlib.get_data_path(), "fonts", "ttf")
    faces = []
    for source, style, keep in (("DejaVuSerif.ttf", "Regular", None), ("DejaVuSerif-Bold.ttf", "Bold", 0xFF)):
        font = TTFont(folder / source)
        if keep is not None:
            options = subset.Options()
            options.drop_tables += ["FFTM"]  # a FontForge timestamp, which fontTools cannot subset
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=range(0x20, keep + 1))
            subsetter.subset(font)
        for record in font["name"].names:
            if record.nameID in (1, 16):
                record.string = "Times New Roman"
            elif record.nameID in (2, 17):
                record.string = style
            elif record.nameID in (4, 6):
                record.string = f"Times New Roman {style}"
        faces.append(tmp_path / f"times-{style}.ttf")
        font.save(faces[-1])
    manager = font_manager.fontManager
    installed = manager.ttflist
    manager.ttflist = list(installed)
    for face in faces:
        manager.addfont(face)
    bold = font_manager.findfont(FontProperties(family="Times New Roman", weight="bold"))
    assert not characters(bold) >= VIETNAMESE
    yield
    manager.ttflist = installed
    manager._findfont_cached.cache_clear()  # forget the faces found in this test's fonts


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[Figure]:
    """The figures saved during the test, as drawn."""
    figures: list[Figure] = []
    save = Figure.savefig

    def spy(figure: Figure, *args: Any, **kwargs: Any) -> None:
        save(figure, *args, **kwargs)
        figures.append(figure)

    monkeypatch.setattr(Figure, "savefig", spy)
    return figures


def faces_and_texts(figure: Figure) -> dict[str, str]:
    """Each font file the figure's texts are drawn in, with those texts."""
    texts: dict[str, str] = {}
    for text in figure.findobj(Text):
        if text.get_visible() and text.get_text().strip():
            face = font_manager.findfont(text.get_fontproperties())
            texts[face] = texts.get(face, "") + text.get_text()
    return texts


@pytest.mark.filterwarnings("error")  # a glyph missing from a face is a matplotlib warning: here an error
def test_every_face_of_the_chart_has_every_vietnamese_letter(sample, times_without_bold_vietnamese, drawn):
    assert len(VIETNAMESE) == 2 * (12 * 6 + 17) and all(len(letter) == 1 for letter in VIETNAMESE)
    result = roll_up("ht", "2026-9T", Path("data"), chart=True)
    assert result.chart is not None and not [w for w in result.warnings if "biểu đồ" in w.message.lower()]
    [figure] = drawn
    texts = faces_and_texts(figure)
    assert len(texts) == 2, "one regular face, one bold face"
    for face, shown in texts.items():
        assert characters(face) >= VIETNAMESE, f"{face} lacks {sorted(VIETNAMESE - characters(face))}"
        assert set(shown) - {"\n"} <= characters(face)
    [title_face] = [face for face, shown in texts.items() if "Tỷ lệ hồ sơ giải quyết" in shown]
    assert FT2Font(title_face).style_flags & StyleFlags.BOLD
    assert "UBND xã Đức Thọ" in "".join(texts.values())


@pytest.mark.filterwarnings("error")
def test_a_unit_name_the_chart_face_cannot_draw_is_a_warning_not_an_empty_box(sample, drawn):
    registry = load(sample.parent / "units.yaml")
    registry["units"]["ht-duc-tho"]["short_name"] = "UBND xã Đức Thọ 德壽"
    write_yaml(sample.parent / "units.yaml", registry)

    result = roll_up("ht", "2026-9T", Path("data"), chart=True)
    [warning] = [w for w in result.warnings if "Biểu đồ" in w.message]
    assert "không có ký tự “德”, “壽” trong tên đơn vị" in warning.message
    assert warning.file == result.chart and "short_name" in (warning.fix or "")
    shown = "".join(faces_and_texts(drawn[0]).values())
    assert "UBND xã Đức Thọ ??" in shown and "德" not in shown


# --- the older hierarchy: province ← districts ← communes ----------------------------------------------

OLD_UNITS = {
    "qt": ("Ủy ban nhân dân tỉnh Quảng Trị Cũ", "tinh", None),
    "qt-a": ("Ủy ban nhân dân huyện An Lạc", "huyen", "qt"),
    "qt-b": ("Ủy ban nhân dân huyện Bình Hòa", "huyen", "qt"),
    "qt-a-1": ("Ủy ban nhân dân xã An Phú", "xa", "qt-a"),
    "qt-a-2": ("Ủy ban nhân dân xã An Thạnh", "xa", "qt-a"),
    "qt-b-1": ("Ủy ban nhân dân xã Bình Minh", "xa", "qt-b"),
    "qt-b-2": ("Ủy ban nhân dân xã Bình Yên", "xa", "qt-b"),
}
# planned, done, resolved early, on time, late, pending
OLD_COMMUNES = {
    "qt-a-1": (20, 15, 300, 650, 10, 40),
    "qt-a-2": (18, 9, 120, 400, 30, 12),
    "qt-b-1": (25, 25, 800, 1200, 3, 57),
    "qt-b-2": (16, 7, 90, 310, 41, 9),
}


@pytest.fixture
def old_hierarchy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two districts of two communes each, for 2023; returns the data folder."""
    units = {}
    for code, (name, level, parent) in OLD_UNITS.items():
        short = name.replace("Ủy ban nhân dân", "UBND")
        units[code] = {
            "name": name,
            "short_name": short,
            "level": level,
            **({"parent": parent} if parent else {}),
            "issuing_body": ["Ủy ban nhân dân", name.removeprefix("Ủy ban nhân dân ")],
            "symbol": "UBND",
            "place": name.split(" ", 5)[-1],
            "signer": {
                "authority": "TM.",
                "on_behalf": "Ủy ban nhân dân",
                "title": "Chủ tịch",
                "name": "Lê Văn An",
            },
        }
    data = tmp_path / "data"
    write_yaml(data / "units.yaml", {"units": units})
    for code, (planned, done, early, on_time, late, pending) in OLD_COMMUNES.items():
        resolved = early + on_time + late
        figures = {
            "kh_nhiem_vu": planned,
            "kh_hoan_thanh": done,
            "hs_tiep_nhan": resolved + pending,
            "hs_da_giai_quyet": resolved,
            "hs_truoc_han": early,
            "hs_dung_han_so": on_time,
            "hs_qua_han": late,
            "hs_dang_giai_quyet": pending,
        }
        report = {
            "unit": code,
            "period": "2023",
            "date": "10/12/2023",
            "sections": [
                {"heading": "Kết quả thực hiện", "content": ["Hoàn thành {kh_hoan_thanh/kh_nhiem_vu}."]}
            ],
            "figures": figures,
        }
        write_yaml(data / "2023" / f"{code}.yaml", report)
    monkeypatch.chdir(tmp_path)
    return data


def test_the_aggregate_of_an_aggregate_in_the_older_hierarchy(old_hierarchy, tmp_path):
    early_province = run("tong-hop", "qt", "--period", "2023")
    assert early_province.exit_code == 1
    assert "Tổng hợp số liệu của đơn vị này trước: cchc tong-hop qt-a --period 2023" in early_province.stderr

    for district in ("qt-a", "qt-b"):
        result = run("tong-hop", district, "--period", "2023")
        assert result.exit_code == 0, result.output
    result = run("tong-hop", "qt", "--period", "2023", "--ghi-de")
    assert result.exit_code == 0, result.output

    province = load(old_hierarchy / "2023" / "qt.yaml")
    communes = list(OLD_COMMUNES.values())
    assert province["figures"]["kh_nhiem_vu"] == sum(c[0] for c in communes)
    assert province["figures"]["hs_qua_han"] == sum(c[4] for c in communes)
    assert province["figures"]["hs_tiep_nhan"] == sum(sum(c[2:]) for c in communes)
    on_time = rate(sum(c[2] + c[3] for c in communes), sum(sum(c[2:5]) for c in communes))
    assert parse_number(province["figures"]["hs_dung_han_xa"]) == on_time
    assert parse_number(province["figures"]["kh_ty_le"]) == rate(56, 79)
    table = province["appendices"][0]
    assert table["title"][1] == "năm 2023 của các đơn vị hành chính cấp huyện"
    assert [row[1] for row in table["rows"]] == ["UBND huyện An Lạc", "UBND huyện Bình Hòa", "Cộng"]

    rendered = run("render", str(old_hierarchy / "2023" / "qt.yaml"), "-o", str(tmp_path / "qt.docx"))
    assert rendered.exit_code == 0, rendered.output
    text = text_blocks(tmp_path / "qt.docx")
    assert "Cấp huyện tiếp nhận 4.072 hồ sơ thủ tục hành chính, đã giải quyết 3.954 hồ sơ" in " ".join(text)
    assert "Phụ lục II" in text


# --- wrong calls -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (
            ["ht-duc-th", "--period", "2026-9T"],
            1,
            ["Không có đơn vị mã 'ht-duc-th' trong danh mục.", "Có phải ý bạn là 'ht-duc-tho'?"],
        ),
        (["ht-duc-tho", "--period", "2026-9T"], 1, ["Không có đơn vị nào trực thuộc UBND xã Đức Thọ"]),
        (["ht", "--period", "2026-9X"], 1, ["'2026-9X' không phải kỳ báo cáo hợp lệ"]),
        (["ht"], 2, ["Thiếu tùy chọn --period (kỳ báo cáo, ví dụ 2026-9T)."]),
        (
            ["ht", "--period", "2026-9T", "--han-nop", "31/02/2026"],
            2,
            ["Tùy chọn --han-nop:", "không có thật"],
        ),
    ],
    ids=["unknown-unit", "no-units-below", "bad-period", "no-period", "impossible-deadline"],
)
def test_wrong_calls_say_what_to_fix(sample, args, code, expected):
    result = run("tong-hop", *args)
    assert result.exit_code == code
    for text in expected:
        assert text in result.stderr
    assert not (sample / "ht.yaml").exists()


def test_help_is_vietnamese():
    result = run("tong-hop", "--help")
    assert result.exit_code == 0
    assert "Tổng hợp số liệu của các đơn vị trực thuộc" in result.output
    assert "--ghi-de" in result.output
