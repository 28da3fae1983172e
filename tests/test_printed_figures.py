"""Every figure printed is the figure meant (#14), read back from the rendered .docx.

- Every accepted way of typing a percentage means the same percentage, in YAML and in a workbook (typed
  as text, as a number, or as Excel and LibreOffice store a percent-formatted cell); a bare fraction
  (0,4634) is refused at its line or cell instead of being guessed.
- A figure the program derives prints as its indicator's type prints: a count as a whole number, a rate
  with the profile's decimals.
- A count with a decimal part says what was found in a way a Vietnamese reader cannot misread.
- A sentence stating a ratio and its rate agrees with itself, or is reported with the right rate.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner

from cchc_gen import api
from cchc_gen.cli import main
from cchc_gen.errors import DataError, Severity
from tests.conftest import TEST_EXTRA_INDICATORS, TEST_INDICATORS, TEST_RULES, edit_profile, install_tree
from tests.excel_book import Book, as_workbook, located
from tests.office import libreoffice_save

RATE_LABEL = "Tỷ lệ nhiệm vụ đã hoàn thành"
RATE_SENTENCE = "Tỷ lệ hoàn thành kế hoạch đạt {kh_ty_le}."


def section(*texts: str) -> list[dict[str, Any]]:
    return [{"heading": "Công tác chỉ đạo, điều hành", "content": list(texts)}]


def printed(report: Path) -> tuple[list[str], dict[str, str]]:
    """The paragraphs of a rendered report, and the appendix's value of each indicator (by label)."""
    document = docx.Document(str(report))
    appendix = {row.cells[1].text: row.cells[3].text for row in document.tables[-1].rows}
    return [p.text for p in document.paragraphs], appendix


def render(data_file: Path) -> tuple[list[str], dict[str, str]]:
    return printed(api.render_report(data_file, data_file.with_suffix(".docx")))


def errors_of(data_file: Path) -> list[tuple[str | None, str]]:
    """The errors that keep ``data_file`` from being rendered (none when it renders)."""
    try:
        api.render_report(data_file, data_file.with_suffix(".docx"))
    except DataError as exc:
        return located([p for p in exc.problems if p.severity == Severity.ERROR])
    return []


def run(*args: str):
    return CliRunner().invoke(main, list(args))


# --- 1. percentages ------------------------------------------------------------------------------------

# (the value in the YAML file, the percentage it means as printed in the appendix)
YAML_PERCENTAGES = [
    pytest.param(47.37, "47,37", id="number"),
    pytest.param("47,37", "47,37", id="text"),
    pytest.param("47,37%", "47,37", id="text-with-percent"),
    pytest.param("47,37 %", "47,37", id="text-with-spaced-percent"),
    pytest.param("47,37\u00a0%", "47,37", id="text-with-non-breaking-space"),
    pytest.param("28,3%", "28,3", id="one-decimal-with-percent"),
    pytest.param("5%", "5", id="whole-with-percent"),
    pytest.param(100, "100", id="hundred"),
    pytest.param("47,368", "47,37", id="more-decimals-than-the-profile"),
]

# (the cell's value, its number format, the percentage it means as printed in the appendix)
WORKBOOK_PERCENTAGES = [
    pytest.param(47.37, "General", "47,37", id="number"),
    pytest.param("47,37", "@", "47,37", id="text"),
    pytest.param("47,37%", "@", "47,37", id="text-with-percent"),
    pytest.param("47,37 %", "@", "47,37", id="text-with-spaced-percent"),
    pytest.param(0.4737, "0.00%", "47,37", id="percent-formatted"),
    pytest.param(0.4634, "0.00%", "46,34", id="percent-formatted-46,34"),
    pytest.param(0.05, "0%", "5", id="percent-formatted-5"),
    pytest.param(0.283, "0.0%", "28,3", id="percent-formatted-28,3"),
    pytest.param(1, "0%", "100", id="percent-formatted-100"),
    pytest.param(0.4737, '#,##0.00" "%', "47,37", id="percent-with-spaced-sign"),
    pytest.param(47.37, '0.00"%"', "47,37", id="literal-percent-sign"),
]


@pytest.fixture
def percent_report(data_tree) -> Callable[[Any], Path]:
    """A report whose only rate is typed (no rule computes it) and quoted in the narrative."""
    edit_profile(indicators=TEST_INDICATORS + TEST_EXTRA_INDICATORS, rules=[])

    def build(value: Any) -> Path:
        return data_tree(figures={"kh_ty_le": value, "ghi_chu": "x"}, sections=section(RATE_SENTENCE))

    return build


def assert_percentage(report: tuple[list[str], dict[str, str]], expected: str) -> None:
    paragraphs, appendix = report
    assert f"Tỷ lệ hoàn thành kế hoạch đạt {expected}%." in paragraphs
    assert appendix[RATE_LABEL] == expected


@pytest.mark.parametrize(("typed", "expected"), YAML_PERCENTAGES)
def test_every_form_of_a_percentage_in_yaml_prints_the_same(percent_report, typed, expected):
    assert_percentage(render(percent_report(typed)), expected)


def percent_workbook(yaml_file: Path, value: Any, number_format: str, name: str) -> Path:
    """The report as a workbook, its rate cell set as a clerk's office program leaves it."""
    book = Book(as_workbook(yaml_file))
    cell = book["Số liệu"][book.figure("kh_ty_le")]
    cell.value, cell.number_format = value, number_format
    book.save()
    return book.path.rename(book.path.with_name(f"{name}.xlsx"))


@pytest.mark.parametrize(("value", "number_format", "expected"), WORKBOOK_PERCENTAGES)
def test_every_form_of_a_percentage_in_a_workbook_prints_the_same(
    percent_report, value, number_format, expected
):
    workbook = percent_workbook(percent_report(None), value, number_format, "bao-cao")
    assert_percentage(render(workbook), expected)


def test_a_percent_formatted_cell_of_a_body_table_prints_as_shown(data_tree):
    table = {"table": {"columns": ["Lĩnh vực", "Tỷ lệ đúng hạn"], "rows": [["Đất đai", "?"]]}}
    book = Book(as_workbook(data_tree(sections=section("Kết quả theo lĩnh vực:", table))))
    cell = book["Nội dung"][f"F{book.body('Đất đai')}"]
    cell.value, cell.number_format = 0.9903, "0.00%"
    document = docx.Document(str(api.render_report(book.save().path, book.path.with_suffix(".docx"))))
    rows = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert ["1", "Đất đai", "99,03%"] in rows


AMBIGUOUS = (
    "Tỷ lệ nhiệm vụ đã hoàn thành: số đã nhập là 0,4634, không rõ là 0,4634% hay 46,34% "
    "(bảng tính lưu 46,34% thành 0,4634)."
)


def test_a_bare_fraction_in_yaml_is_refused_at_its_line(percent_report):
    data_file = percent_report(0.4634)
    line = next(n for n, text in enumerate(data_file.read_text().splitlines(), 1) if "kh_ty_le:" in text)
    result = run("kiem-tra", str(data_file))
    assert result.exit_code == 1
    assert f"[lỗi] dòng {line}: {AMBIGUOUS}" in result.output
    assert "Cách sửa: Nếu là 46,34% thì nhập 46,34; nếu đúng là 0,4634% thì nhập kèm dấu %: 0,4634%." in (
        result.output
    )


def test_a_bare_fraction_in_a_cell_not_formatted_as_percent_is_refused_at_its_cell(percent_report):
    workbook = percent_workbook(percent_report(None), 0.4634, "General", "bao-cao")
    cell = Book(workbook).figure("kh_ty_le")
    assert errors_of(workbook) == [(f"Sheet 'Số liệu', ô {cell}", AMBIGUOUS)]


def test_a_percent_sign_on_a_count_is_refused(data_tree):
    edit_profile(indicators=TEST_INDICATORS + TEST_EXTRA_INDICATORS)
    data_file = data_tree(figures={"kh_nhiem_vu": "19%", "ghi_chu": "x"})
    assert errors_of(data_file)[0][1] == (
        "Số nhiệm vụ đề ra trong kế hoạch là số đếm, không phải tỷ lệ phần trăm; số đã nhập là 19%."
    )


# --- 1. the same through LibreOffice ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def libreoffice_books(tmp_path_factory) -> dict[str, Path]:
    """Each workbook case (and a bare fraction in a plain cell) saved again by LibreOffice, by case id."""
    root = tmp_path_factory.mktemp("percent-office")
    build = install_tree(root)
    edit_profile(root, indicators=TEST_INDICATORS + TEST_EXTRA_INDICATORS, rules=[])
    cases = [(p.id, *p.values[:2]) for p in WORKBOOK_PERCENTAGES] + [("bare-fraction", 0.4634, "General")]
    made = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CCHC_TEMPLATES", str(root / "templates"))
        for name, value, number_format in cases:
            data_file = build(figures={"ghi_chu": "x"}, sections=section(RATE_SENTENCE))
            made.append(percent_workbook(data_file, value, number_format, name))
    saved = root / "data" / "2024-Q1" / "libreoffice"
    libreoffice_save(made, saved)
    return {path.stem: saved / path.name for path in made}


@pytest.mark.office
@pytest.mark.parametrize(("value", "number_format", "expected"), WORKBOOK_PERCENTAGES)
def test_every_form_of_a_percentage_saved_by_libreoffice_prints_the_same(
    libreoffice_books, request, monkeypatch, value, number_format, expected
):
    saved = libreoffice_books[request.node.callspec.id]
    monkeypatch.setenv("CCHC_TEMPLATES", str(saved.parents[3] / "templates"))
    assert_percentage(render(saved), expected)


@pytest.mark.office
def test_a_bare_fraction_saved_by_libreoffice_is_refused_at_its_cell(libreoffice_books, monkeypatch):
    saved = libreoffice_books["bare-fraction"]
    monkeypatch.setenv("CCHC_TEMPLATES", str(saved.parents[3] / "templates"))
    cell = Book(saved).figure("kh_ty_le")
    assert errors_of(saved) == [(f"Sheet 'Số liệu', ô {cell}", AMBIGUOUS)]


# --- 2. derived figures ----------------------------------------------------------------------------------

DERIVED_SENTENCE = (
    "Xã tiếp nhận {hs_tiep_nhan} hồ sơ; hoàn thành {kh_hoan_thanh/kh_nhiem_vu} nhiệm vụ, đạt {kh_ty_le}."
)

# (figures typed, the profile's decimals for rates, the sentence printed, the appendix's total and rate)
DERIVED = [
    pytest.param(
        {"hs_da_giai_quyet": 6400, "hs_dang_giai_quyet": 180, "kh_nhiem_vu": 19, "kh_hoan_thanh": 9},
        None,
        "Xã tiếp nhận 6.580 hồ sơ; hoàn thành 09/19 nhiệm vụ, đạt 47,37%.",
        ("6.580", "47,37"),
        id="count-and-rate",
    ),
    pytest.param(
        {"hs_da_giai_quyet": 5, "hs_dang_giai_quyet": 2, "kh_nhiem_vu": 19, "kh_hoan_thanh": 19},
        None,
        "Xã tiếp nhận 7 hồ sơ; hoàn thành 19/19 nhiệm vụ, đạt 100%.",
        ("7", "100"),
        id="small-count-and-whole-rate",
    ),
    pytest.param(
        {"hs_da_giai_quyet": "1.421", "hs_dang_giai_quyet": "180", "kh_nhiem_vu": 19, "kh_hoan_thanh": 9},
        1,
        "Xã tiếp nhận 1.601 hồ sơ; hoàn thành 09/19 nhiệm vụ, đạt 47,4%.",
        ("1.601", "47,4"),
        id="profile-rounds-rates-to-one-decimal",
    ),
]


@pytest.mark.parametrize("medium", ["yaml", "xlsx"])
@pytest.mark.parametrize(("figures", "decimals", "sentence", "appendix"), DERIVED)
def test_derived_figures_print_as_their_indicator_type(
    data_tree, medium, figures, decimals, sentence, appendix
):
    edit_profile(
        indicators=TEST_INDICATORS + TEST_EXTRA_INDICATORS,
        rules=TEST_RULES,
        **({"rate_decimals": decimals} if decimals is not None else {}),
    )
    data_file = data_tree(figures={**figures, "ghi_chu": "x"}, sections=section(DERIVED_SENTENCE))
    if medium == "xlsx":
        data_file = as_workbook(data_file)
    paragraphs, rows = render(data_file)
    assert sentence in paragraphs
    assert (rows["Số hồ sơ tiếp nhận"], rows[RATE_LABEL]) == appendix


# --- 3. a count with a decimal part -------------------------------------------------------------------

DECIMAL_COUNT = (
    "Số nhiệm vụ đề ra trong kế hoạch phải là số nguyên, nhưng số đã nhập là số thập phân 1,601 "
    "(một phẩy sáu trăm linh một)."
)


def test_a_count_read_as_a_decimal_by_an_english_excel_says_what_it_holds(data_tree):
    edit_profile(indicators=TEST_INDICATORS + TEST_EXTRA_INDICATORS)
    book = Book(as_workbook(data_tree(figures={"ghi_chu": "x"})))
    cell = book.figure("kh_nhiem_vu")
    book["Số liệu"][cell] = 1.601  # "1.601" typed where the dot is the decimal sign
    problems = book.save().check().errors
    assert located(problems) == [(f"Sheet 'Số liệu', ô {cell}", DECIMAL_COUNT)]
    assert problems[0].fix == (
        "Nếu ý là 1.601 (một nghìn sáu trăm linh một) thì nhập 1601, không có dấu chấm: dấu chấm đã bị "
        "hiểu là dấu thập phân. Nhập số nguyên, không có phần thập phân."
    )


def test_a_count_read_as_a_decimal_in_yaml_says_what_it_holds(data_tree):
    data_file = data_tree(figures={"kh_nhiem_vu": 1.601, "kh_hoan_thanh": 9})
    line = next(n for n, text in enumerate(data_file.read_text().splitlines(), 1) if "kh_nhiem_vu:" in text)
    result = run("kiem-tra", str(data_file))
    assert result.exit_code == 1
    assert f"[lỗi] dòng {line}: {DECIMAL_COUNT}" in result.output
    assert "Nếu ý là 1.601 (một nghìn sáu trăm linh một) thì nhập 1601" in result.output


def test_a_count_typed_with_a_decimal_comma_reads_it_back(data_tree):
    result = run("kiem-tra", str(data_tree(figures={"kh_nhiem_vu": "2,5"})))
    assert result.exit_code == 1
    assert (
        "Số nhiệm vụ đề ra trong kế hoạch phải là số nguyên, nhưng số đã nhập là số thập phân 2,5 "
        "(hai phẩy năm)." in result.output
    )
    assert "Nếu ý là" not in result.output, "no thousands to mistake in 2,5"


# --- 4. a sentence stating a ratio and its rate ------------------------------------------------------------

# (the sentence, the warning expected, or None when the sentence agrees with itself)
RATIO_SENTENCES = [
    pytest.param("Đã hoàn thành 09/19 nhiệm vụ, đạt 47,37% kế hoạch.", None, id="typed-right"),
    pytest.param("Đã hoàn thành 9/19 nhiệm vụ, đạt 47,4%.", None, id="typed-right-one-decimal"),
    pytest.param("Đã hoàn thành 05/05 nhiệm vụ, đạt 100%.", None, id="typed-right-whole"),
    pytest.param(
        "Đã hoàn thành 09/19 nhiệm vụ, đạt 50% kế hoạch.",
        "Câu văn ghi 09/19, đạt 50%, nhưng 09/19 là 47,37%.",
        id="typed-wrong",
    ),
    pytest.param(
        "Đã giải quyết 1.421/1.601 hồ sơ, đạt 88,75%.",
        "Câu văn ghi 1.421/1.601, đạt 88,75%, nhưng 1.421/1.601 là 88,76%.",
        id="typed-wrong-thousands",
    ),
    pytest.param("Đã giải quyết 1.421/1.601 hồ sơ, chiếm 88,76%.", None, id="typed-right-chiem"),
    pytest.param("Xong {kh_hoan_thanh/kh_nhiem_vu} nhiệm vụ, đạt {kh_ty_le}.", None, id="figures-right"),
    pytest.param(
        "Hoàn thành {kh_hoan_thanh/kh_nhiem_vu} nhiệm vụ, đạt 45%.",
        "Câu văn ghi 09/19, đạt 45%, nhưng 09/19 là 47,37%.",
        id="figures-ratio-typed-rate",
    ),
    pytest.param(
        "Hoàn thành 10/19 nhiệm vụ, đạt {kh_ty_le}.",
        "Câu văn ghi 10/19, đạt 47,37%, nhưng 10/19 là 52,63%.",
        id="typed-ratio-figure-rate",
    ),
    pytest.param(
        "Ngày 14/9/2026 đã hoàn thành, đạt 50%; Kế hoạch số 05/KH-UBND đạt 20%.", None, id="dates-and-numbers"
    ),
    pytest.param("Quá hạn 11/1.129 hồ sơ (tỷ lệ đúng hạn 99,03%).", None, id="another-rate"),
]


@pytest.mark.parametrize(("sentence", "warning"), RATIO_SENTENCES)
def test_a_ratio_and_its_rate_agree_in_yaml(data_tree, sentence, warning):
    edit_profile(indicators=TEST_INDICATORS + TEST_EXTRA_INDICATORS, rules=TEST_RULES)
    data_file = data_tree(
        figures={"kh_nhiem_vu": 19, "kh_hoan_thanh": 9, "ghi_chu": "x"}, sections=section(sentence)
    )
    line = next(n for n, text in enumerate(data_file.read_text().splitlines(), 1) if sentence[:12] in text)
    result = run("kiem-tra", str(data_file))
    assert result.exit_code == 0, result.output
    if warning is None:
        assert "Câu văn ghi" not in result.output
    else:
        assert f"[cảnh báo] dòng {line}: {warning}" in result.output
        right = warning.rsplit(" là ", 1)[1].rstrip(".")
        assert f"Cách sửa: Sửa tỷ lệ thành {right}, hoặc sửa số liệu cho đúng." in result.output


def test_a_ratio_and_its_rate_disagreeing_in_a_workbook_are_reported_at_the_cell(data_tree):
    edit_profile(indicators=TEST_INDICATORS + TEST_EXTRA_INDICATORS, rules=TEST_RULES)
    sentence = "Đã hoàn thành {kh_hoan_thanh/kh_nhiem_vu} nhiệm vụ, đạt 50%."
    data_file = data_tree(
        figures={"kh_nhiem_vu": 19, "kh_hoan_thanh": 9, "ghi_chu": "x"}, sections=section(sentence)
    )
    book = Book(as_workbook(data_file))
    row = book.body("Đã hoàn thành")
    warnings = [p for p in book.check().problems if p.severity == "cảnh báo" and "Câu văn" in p.message]
    assert located(warnings) == [
        (f"Sheet 'Nội dung', ô E{row}", "Câu văn ghi 09/19, đạt 50%, nhưng 09/19 là 47,37%.")
    ]


def test_a_rate_quoted_as_a_count_is_refused_at_its_line_not_a_crash(data_tree):
    edit_profile(indicators=TEST_INDICATORS + TEST_EXTRA_INDICATORS, rules=TEST_RULES)
    sentence = "Đã hoàn thành {kh_ty_le/kh_nhiem_vu} nhiệm vụ."
    data_file = data_tree(figures={"kh_nhiem_vu": 19, "kh_hoan_thanh": 9}, sections=section(sentence))
    line = next(n for n, text in enumerate(data_file.read_text().splitlines(), 1) if sentence[:12] in text)
    result = run("kiem-tra", str(data_file))
    assert result.exit_code == 1
    assert (
        f"[lỗi] dòng {line}: Đoạn văn trích “{{kh_ty_le/kh_nhiem_vu}}” như một số đếm, nhưng 'kh_ty_le' "
        "(Tỷ lệ nhiệm vụ đã hoàn thành) không phải số đếm." in result.output
    )
    assert "không mong đợi" not in result.output
