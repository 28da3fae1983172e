"""The profile's outline and rules checked against the data: each rule kind passing and failing (#4)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from cchc_gen.cli import main
from tests.conftest import TEST_EXTRA_INDICATORS, TEST_INDICATORS, TEST_RULES, edit_profile

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def checked(data_tree):
    """Build a report with the given figures under the test rules; return what `cchc kiem-tra` says."""
    edit_profile(indicators=TEST_INDICATORS + TEST_EXTRA_INDICATORS, rules=TEST_RULES)

    def check(figures: dict, **overrides):
        data_file = data_tree(figures={"ghi_chu": "x", **figures}, **overrides)
        return run("kiem-tra", str(data_file))

    return check


# (figures, the figure the problem is reported at, message with the line of that figure)
RULE_CASES = [
    pytest.param(
        {"hs_tiep_nhan": 1601, "hs_da_giai_quyet": 1421, "hs_dang_giai_quyet": 180},
        None,
        None,
        id="sum-passes",
    ),
    pytest.param(
        {"hs_tiep_nhan": 1610, "hs_da_giai_quyet": 1421, "hs_dang_giai_quyet": 180},
        "hs_tiep_nhan",
        "[lỗi] dòng {line}: Số hồ sơ đã giải quyết (1.421) cộng đang giải quyết (180) "
        "phải bằng số tiếp nhận (1.610).",
        id="sum-fails",
    ),
    pytest.param({"kh_nhiem_vu": 19, "kh_hoan_thanh": 19}, None, None, id="le-passes"),
    pytest.param(
        {"kh_nhiem_vu": 19, "kh_hoan_thanh": 20},
        "kh_hoan_thanh",
        "[lỗi] dòng {line}: Số nhiệm vụ đã hoàn thành (20) không được lớn hơn "
        "Số nhiệm vụ đề ra trong kế hoạch (19).",
        id="le-fails",
    ),
    pytest.param({"kh_nhiem_vu": 19, "kh_hoan_thanh": 9, "kh_ty_le": "47,37"}, None, None, id="rate-passes"),
    pytest.param(
        {"kh_nhiem_vu": 19, "kh_hoan_thanh": 9, "kh_ty_le": "50"},
        "kh_ty_le",
        "[lỗi] dòng {line}: Tỷ lệ nhiệm vụ đã hoàn thành (50%) phải bằng 9/19 = 47,37%.",
        id="rate-fails",
    ),
    pytest.param({"kh_ty_le": "99,5"}, None, None, id="percentage-passes"),
    pytest.param(
        {"kh_ty_le": 130},
        "kh_ty_le",
        "[lỗi] dòng {line}: Tỷ lệ nhiệm vụ đã hoàn thành (130%) phải nằm trong khoảng 0–100%.",
        id="percentage-fails",
    ),
    pytest.param({"kh_nhiem_vu": "1.601"}, None, None, id="integer-passes"),
    pytest.param(
        {"kh_nhiem_vu": "2,5"},
        "kh_nhiem_vu",
        "[lỗi] dòng {line}: Số nhiệm vụ đề ra trong kế hoạch phải là số nguyên, nhưng số đã nhập là số thập "
        "phân 2,5 (hai phẩy năm).",
        id="integer-fails",
    ),
    pytest.param({"ks_hinh_thuc": 1}, None, None, id="code-passes"),
    pytest.param(
        {"ks_hinh_thuc": 3},
        "ks_hinh_thuc",
        "[lỗi] dòng {line}: Hình thức khảo sát chỉ nhận các giá trị: 0 (Trực tuyến), 1 (Phát phiếu); "
        "dữ liệu ghi 3.",
        id="code-fails",
    ),
    pytest.param({"kinh_phi": "30.000.000 đồng"}, None, None, id="money-passes"),
]


def line_of(data_file: Path, key: str) -> int:
    """The line of ``key:`` in a data file, as the message should name it."""
    lines = data_file.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.strip().startswith(f"{key}:"))


@pytest.mark.parametrize(("figures", "reported_at", "message"), RULE_CASES)
def test_each_rule_kind(checked, figures, reported_at, message):
    result = checked(figures)
    if message is None:
        assert result.exit_code == 0, result.output
        assert "0 lỗi" in result.output
    else:
        line = line_of(Path("data/2024-Q1/tx-an-binh.yaml"), reported_at)
        assert result.exit_code == 1, result.output
        assert message.format(line=line) in result.output, result.output
        assert "Traceback" not in result.output


def test_required_indicator_and_outline_are_warnings(checked):
    result = checked({"ghi_chu": None})
    assert result.exit_code == 0, result.output
    assert "Chưa có số liệu bắt buộc: Ghi chú chung ('ghi_chu')." in result.output
    assert "Mục bắt buộc “Đánh giá chung” chưa có." in result.output
    assert "Mục bắt buộc “Phương hướng, nhiệm vụ quý II năm 2024” chưa có." in result.output


def test_dates_after_the_report_or_outside_the_period_are_warnings(checked):
    result = checked(
        {},
        date="20/3/2024",
        lead_in=[
            "Thực hiện Kế hoạch số 05/KH-UBND ngày 10/01/2020 của UBND tỉnh;",
            "Ngày 25/3/2024, xã tổ chức hội nghị; ngày 02/11/2023 xã tập huấn; hạn nộp trước ngày 30/6/2024.",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Ngày tháng “25/3/2024” trong đoạn văn sau ngày ký báo cáo (20/03/2024)." in result.output
    assert "Ngày tháng “02/11/2023” nằm ngoài kỳ báo cáo quý I năm 2024" in result.output
    assert "10/01/2020" not in result.output, "a document's date is a reference, not an event"
    assert "30/6/2024" not in result.output, "a deadline may lie ahead"


def test_narrative_and_appendix_draw_the_same_figures(checked, data_tree, tmp_path):
    sections = [
        {
            "heading": "Công tác chỉ đạo, điều hành",
            "content": [
                "Hoàn thành được {kh_hoan_thanh/kh_nhiem_vu} nhiệm vụ, đạt {kh_ty_le} kế hoạch đề ra."
            ],
        }
    ]
    data_file = data_tree(figures={"kh_nhiem_vu": 19, "kh_hoan_thanh": 9, "ghi_chu": "x"}, sections=sections)
    assert run("render", str(data_file), "-o", "out.docx").exit_code == 0
    document = docx.Document("out.docx")
    assert "Hoàn thành được 09/19 nhiệm vụ, đạt 47,37% kế hoạch đề ra." in [
        p.text for p in document.paragraphs
    ]
    rows = {row.cells[1].text: row.cells[3].text for row in document.tables[-1].rows}
    assert rows["Tỷ lệ nhiệm vụ đã hoàn thành"] == "47,37"
    assert rows["Số nhiệm vụ đã hoàn thành"] == "9"


def test_a_placeholder_without_its_figure_is_an_error(checked):
    sections = [{"heading": "Chỉ đạo", "content": ["Đạt {kh_ty_le} kế hoạch; {kh_hoan_thanhh} việc."]}]
    result = checked({}, sections=sections)
    assert result.exit_code == 1
    assert (
        "Đoạn văn trích chỉ tiêu 'kh_ty_le' (Tỷ lệ nhiệm vụ đã hoàn thành) nhưng chưa có số liệu."
        in result.output
    )
    assert "Đoạn văn trích chỉ tiêu 'kh_hoan_thanhh' không có trong danh mục" in result.output
    assert "Có phải ý bạn là 'kh_hoan_thanh'?" in result.output


def test_render_refuses_a_report_with_errors(checked, data_tree):
    data_file = data_tree(figures={"kh_nhiem_vu": 5, "kh_hoan_thanh": 6})
    result = run("render", str(data_file), "-o", "out.docx")
    assert result.exit_code == 1
    assert "không được lớn hơn" in result.output
    assert not Path("out.docx").exists()


def test_a_new_indicator_and_rule_need_no_python(data_tree):
    """A maintainer adds a row and a rule to a copied profile; the check and the appendix follow."""
    new_row = {"code": "so_sang_kien", "label": "Số sáng kiến CCHC được công nhận", "unit": "Sáng kiến"}
    proposals = {"code": "so_de_xuat", "label": "Số sáng kiến đề xuất", "unit": "Sáng kiến"}
    indicators = [{"label": "Sáng kiến", "items": [proposals, new_row]}]
    edit_profile(indicators=indicators, rules=[{"kind": "le", "left": "so_sang_kien", "right": "so_de_xuat"}])
    bad = run("kiem-tra", str(data_tree(figures={"so_de_xuat": 2, "so_sang_kien": 3})))
    assert bad.exit_code == 1
    assert "Số sáng kiến CCHC được công nhận (3) không được lớn hơn Số sáng kiến đề xuất (2)." in bad.output
    good = data_tree(figures={"so_de_xuat": 4, "so_sang_kien": 3})
    assert run("render", str(good), "-o", "out.docx").exit_code == 0
    rows = [[c.text for c in row.cells] for row in docx.Document("out.docx").tables[-1].rows]
    assert ["1.2.", "Số sáng kiến CCHC được công nhận", "Sáng kiến", "3", ""] in rows


def test_a_rule_naming_an_unknown_indicator_is_a_profile_error(data_tree):
    edit_profile(rules=[{"kind": "le", "left": "kh_hoan_thanh", "right": "khong_co"}])
    result = run("kiem-tra", str(data_tree()))
    assert result.exit_code == 1
    assert "quy tắc thứ 1 dùng chỉ tiêu 'khong_co' không có trong danh mục" in result.output


def test_the_quang_tho_appendix_as_published_is_reported():
    result = run("kiem-tra", str(ROOT / "data/examples/bao-cao-nam-2023-xa-quang-tho.yaml"))
    assert result.exit_code == 1
    assert (
        "Tỷ lệ TTHC đã được phê duyệt quy trình nội bộ (130%) phải nằm trong khoảng 0–100%." in result.output
    )
    assert (
        "Tỷ lệ quy trình nội bộ giải quyết TTHC đã được điện tử hóa (130%) phải nằm trong khoảng 0–100%."
        in (result.output)
    )
    assert "2 lỗi" in result.output


def test_the_sample_data_passes():
    result = run("kiem-tra", str(ROOT / "data" / "2026-6T"), str(ROOT / "data" / "2026-9T"))
    assert result.exit_code == 0, result.output
    assert "Đã kiểm tra 6 tệp: 0 lỗi" in result.output


def test_my_xuyen_figures_pass_and_the_rate_comes_from_the_two_counts(tmp_path):
    data_file = ROOT / "data/examples/bao-cao-quy-I-2023-huyen-my-xuyen.yaml"
    assert "47,37" not in data_file.read_text(encoding="utf-8"), "the rate is computed, not typed"
    result = run("kiem-tra", str(data_file))
    assert result.exit_code == 0 and "0 lỗi" in result.output, result.output
    assert run("render", str(data_file), "-o", str(tmp_path / "mx.docx")).exit_code == 0
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "mx.docx")).paragraphs)
    assert "hoàn thành được 09/19 nhiệm vụ, đạt 47,37% kế hoạch đề ra" in text
    assert "Cấp huyện tiếp nhận 1.601 hồ sơ, đã giải quyết 1.421 hồ sơ" in text


def nest(depth: int, numbering: str | None = None) -> dict:
    """A section with headings nested ``depth`` levels deep; ``numbering`` given to the second level's
    heading, for the headings inside it."""
    heading: dict = {"heading": f"Đề mục cấp {depth}", "content": ["Nội dung."]}
    for level in range(depth - 1, 0, -1):
        heading = {"heading": f"Đề mục cấp {level}", "content": [heading]}
        if level == 2 and numbering:
            heading["numbering"] = numbering
    return heading


# (numbering of the report, how deep its headings go, numbering given by a heading, the deepest refused)
DEPTH_CASES = [
    pytest.param(None, 3, None, None, id="three-levels-of-three"),
    pytest.param(None, 4, None, 4, id="four-levels-of-three"),
    pytest.param(None, 5, None, 4, id="five-levels-refused-at-the-fourth"),
    pytest.param(["roman", "decimal", "nested", "letter"], 4, None, None, id="four-levels-of-four"),
    pytest.param(["roman", "decimal", "nested"], 6, None, None, id="nested-goes-on-1.1.1.1"),
    pytest.param(["roman", "decimal"], 3, "letter", None, id="a-heading-numbers-its-own"),
    pytest.param(["roman", "decimal"], 4, "letter", 4, id="below-a-heading-s-own-numbering"),
]


@pytest.mark.parametrize(("numbering", "depth", "own", "refused"), DEPTH_CASES)
def test_headings_deeper_than_the_numbering_are_refused(data_tree, numbering, depth, own, refused):
    data_file = data_tree(numbering=numbering, sections=[nest(depth, own)])
    result = run("kiem-tra", str(data_file))
    if refused is None:
        assert "Đề mục" not in result.output, result.output
        return
    assert result.exit_code == 1, result.output
    levels = len(numbering or ["roman", "decimal", "letter"])
    assert (
        f"“Đề mục cấp {refused}” ở cấp {refused}, nhưng cách đánh số đề mục chỉ có {levels} cấp"
        in result.output
    )
    assert result.output.count("cách đánh số đề mục chỉ có") == 1
    assert "Cách sửa: Đưa đề mục này lên cấp" in result.output
