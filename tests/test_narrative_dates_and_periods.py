"""Dates and reporting periods that the narrative names (#14): a date that cannot exist is an error, one
outside the period a warning, whatever its case; a period that is not this report's (words carried over
from the last report) is a warning, at its line or cell. The rule is written down in docs/du-lieu.md.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_gen.api import check_files
from cchc_gen.cli import main
from cchc_gen.errors import CchcError, Problem
from cchc_gen.vn import mentions
from cchc_gen.vn.mentions import PeriodMention, dates_in, periods_in, stale_period
from cchc_gen.vn.periods import Period, PeriodKind
from tests.excel_book import Book, as_workbook

ROOT = Path(__file__).resolve().parent.parent
CODES = ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2026-6T", "2026-9T", "2026-6TC", "2026", "2999", "1900"]


def problems(data_file: Path) -> list[Problem]:
    try:
        return check_files([data_file]).warnings
    except CchcError as exc:
        return exc.problems


def lead_in_line(data_file: Path) -> str:
    lines = data_file.read_text(encoding="utf-8").splitlines()
    return f"dòng {lines.index('lead_in:') + 2}"


# --- dates ------------------------------------------------------------------------------------------------

AFTER = "trong đoạn văn sau ngày ký báo cáo (20/03/2024)."

# (a sentence of a report of quý I năm 2024 signed 20/3/2024, (severity, message) or None)
DATES = [
    pytest.param("Ngày 28/02/2024, xã tổ chức hội nghị.", None, id="in-the-period"),
    pytest.param("ngày 29/02/2024 xã tập huấn.", None, id="leap-day"),
    pytest.param(
        "Ngày 28 tháng 4 năm 2024, xã tổ chức hội nghị.",
        ("cảnh báo", f"Ngày tháng “Ngày 28 tháng 4 năm 2024” {AFTER}"),
        id="capital-at-the-start-of-a-sentence",
    ),
    pytest.param(
        "Hội nghị được tổ chức ngày 28 tháng 4 năm 2024.",
        ("cảnh báo", f"Ngày tháng “ngày 28 tháng 4 năm 2024” {AFTER}"),
        id="in-the-sentence",
    ),
    pytest.param(
        "NGÀY 28 THÁNG 4 NĂM 2024 XÃ TỔ CHỨC HỘI NGHỊ.",
        ("cảnh báo", f"Ngày tháng “NGÀY 28 THÁNG 4 NĂM 2024” {AFTER}"),
        id="capitals",
    ),
    pytest.param(
        "Ngày 31/11/2023, xã tổ chức hội nghị.",
        ("lỗi", "Ngày tháng “31/11/2023” trong đoạn văn không có thật: tháng 11 năm 2023 chỉ có 30 ngày."),
        id="day-31-of-a-30-day-month",
    ),
    pytest.param(
        "Ngày 31 tháng 11 năm 2023, xã tổ chức hội nghị.",
        (
            "lỗi",
            "Ngày tháng “Ngày 31 tháng 11 năm 2023” trong đoạn văn không có thật: tháng 11 năm 2023 chỉ có "
            "30 ngày.",
        ),
        id="in-words",
    ),
    pytest.param(
        "ngày 29 tháng 2 năm 2023 xã tập huấn.",
        (
            "lỗi",
            "Ngày tháng “ngày 29 tháng 2 năm 2023” trong đoạn văn không có thật: tháng 2 năm 2023 chỉ có 28 "
            "ngày.",
        ),
        id="not-a-leap-year",
    ),
    pytest.param(
        "Thực hiện Kế hoạch số 05/KH-UBND ngày 15/13/2023 của UBND tỉnh;",
        ("lỗi", "Ngày tháng “15/13/2023” trong đoạn văn không có thật: không có tháng 13."),
        id="a-document-dated-on-no-day",
    ),
    pytest.param(
        "Hạn nộp trước ngày 31/4/2024.",
        ("lỗi", "Ngày tháng “31/4/2024” trong đoạn văn không có thật: tháng 4 năm 2024 chỉ có 30 ngày."),
        id="a-deadline-on-no-day",
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), DATES)
def test_dates_in_the_narrative(data_tree, sentence: str, expected: tuple[str, str] | None):
    data_file = data_tree(date="20/3/2024", lead_in=[sentence])
    found = [(p.severity, p.location, p.message) for p in problems(data_file) if "Ngày tháng" in p.message]
    assert found == ([] if expected is None else [(expected[0], lead_in_line(data_file), expected[1])])


def test_an_impossible_date_is_named_at_its_cell_and_stops_the_render(data_tree):
    data_file = data_tree(lead_in=["Ngày 31 tháng 11 năm 2023, xã tổ chức hội nghị."])
    book = Book(as_workbook(data_file))
    result = CliRunner().invoke(main, ["render", str(book.path)])
    assert result.exit_code == 1
    cell = book.info("Đoạn mở đầu")
    assert f"Sheet 'Thông tin chung', ô {cell}: Ngày tháng “Ngày 31 tháng 11 năm 2023”" in result.output
    assert not Path("outputs").exists()


# --- periods ----------------------------------------------------------------------------------------------

BODY, HEADING, AHEAD, TITLE = "body", "heading", "ahead", "title"

# (period, where the words are: a paragraph of the account, a heading, a paragraph under "Phương hướng" or
#  the trích yếu; the words; warned)
PERIODS = [
    # An annual report made from the 9-month one: what that one said of itself.
    ("2026", BODY, "Lũy kế 9 tháng, xã ban hành 27 văn bản chỉ đạo.", True),
    ("2026", BODY, "Trong quý III, xã kiểm tra 03 cơ quan.", True),
    ("2026", BODY, "Trong 6 tháng đầu năm, xã tiếp nhận 500 hồ sơ.", True),
    ("2026", BODY, "Trong năm 2025, xã tổ chức 02 hội nghị.", True),
    ("2026", BODY, "Tiến độ đạt khá (73,33% sau 9 tháng).", True),
    ("2026", HEADING, "Phương hướng, nhiệm vụ quý IV năm 2026", True),
    ("2026", AHEAD, "Không để phát sinh hồ sơ quá hạn trong quý IV năm 2026.", True),
    ("2026", TITLE, "Kết quả thực hiện công tác cải cách hành chính 9 tháng đầu năm 2026", True),
    # … and what an annual report says rightly.
    ("2026", BODY, "Năm 2026, xã tổ chức 02 hội nghị.", False),
    ("2026", BODY, "Trong năm 2026, xã tổ chức 02 hội nghị.", False),
    ("2026", BODY, "Riêng quý IV, xã giải quyết 400 hồ sơ.", False),
    ("2026", BODY, "Trong 6 tháng cuối năm, xã tiếp nhận 600 hồ sơ.", False),
    ("2026", BODY, "Số hồ sơ tăng 10% so với 6 tháng đầu năm.", False),
    ("2026", BODY, "Số hồ sơ tăng 10% so với cùng kỳ năm 2025.", False),
    ("2026", BODY, "Thực hiện Quyết định số 12/QĐ-UBND ngày 05/3/2025 về Kế hoạch CCHC năm 2025.", False),
    ("2026", BODY, "Theo Kế hoạch số 21/KH-UBND ngày 10/7/2026 về nhiệm vụ quý III.", False),
    ("2026", BODY, "Quyết toán ngân sách năm 2025 đã được phê duyệt.", False),
    ("2026", BODY, "Công khai dự toán ngân sách 6 tháng đầu năm 2026 theo quy định.", False),
    ("2026", BODY, "Luật Tổ chức chính quyền địa phương năm 2025 có hiệu lực.", False),
    ("2026", BODY, "Tổng kết công tác CCHC năm 2025, triển khai nhiệm vụ năm 2026.", False),
    ("2026", BODY, "Hội nghị ngày 9 tháng 10 năm 2026; tập huấn vào ngày 9 tháng 11.", False),
    ("2026", BODY, "Trong tháng 9 năm 2026, xã tập huấn.", False),
    ("2026", BODY, "Hợp đồng lao động thời hạn 06 tháng; trẻ em dưới 6 tuổi.", False),
    ("2026", BODY, "Quý cơ quan, đơn vị phối hợp thực hiện.", False),
    ("2026", HEADING, "Phương hướng, nhiệm vụ năm 2027", False),
    ("2026", AHEAD, "Trong quý I năm 2027, hoàn thành Kế hoạch CCHC năm 2027.", False),
    ("2026", AHEAD, "Trong năm 2027, nâng tỷ lệ hồ sơ trực tuyến lên 90%.", False),
    ("2026", TITLE, "Kết quả công tác cải cách hành chính năm 2026, phương hướng năm 2027", False),
    # A 9-month report speaks of its last quarter, and of the next one as what is planned.
    ("2026-9T", BODY, "Lũy kế 9 tháng, xã ban hành 27 văn bản; trong quý III, 09 văn bản.", False),
    ("2026-9T", BODY, "08 nhiệm vụ còn lại có thời hạn hoàn thành trong quý IV năm 2026.", False),
    ("2026-9T", BODY, "Trong quý II, xã kiểm tra 03 cơ quan.", True),
    ("2026-9T", HEADING, "Phương hướng, nhiệm vụ quý IV năm 2026", False),
    ("2026-9T", HEADING, "Phương hướng, nhiệm vụ 6 tháng cuối năm 2026", True),
    ("2026-9T", AHEAD, "Không để phát sinh hồ sơ quá hạn trong quý IV.", False),
    ("2026-9T", AHEAD, "Tự đánh giá Chỉ số CCHC trong năm 2026.", False),
    # A first quarter made from last year's annual report.
    ("2026-Q1", BODY, "Trong năm 2025, xã tổ chức 02 hội nghị.", True),
    ("2026-Q1", BODY, "Trong quý IV năm 2025, xã kiểm tra 03 cơ quan.", True),
    ("2026-Q1", BODY, "Trong quý I năm 2026, xã kiểm tra 03 cơ quan.", False),
    ("2026-Q1", BODY, "Xã hoàn thành các nhiệm vụ trong năm 2026 theo kế hoạch.", False),
    ("2026-Q4", AHEAD, "Trong quý I, hoàn thành số hóa hồ sơ.", False),
    ("2026-Q4", AHEAD, "Trong 6 tháng đầu năm 2027, hoàn thành số hóa hồ sơ.", False),
    ("2026-6T", BODY, "Các cuộc kiểm tra được bố trí trong quý III.", False),
    ("2026-6T", HEADING, "Phương hướng, nhiệm vụ 6 tháng cuối năm 2026", False),
    ("2026-6T", BODY, "Trong quý I, xã tiếp nhận 200 hồ sơ.", True),
]


def report_saying(data_tree, period: str, where: str, words: str) -> Path:
    sections: list[dict] = [
        {"heading": "Công tác chỉ đạo, điều hành", "content": [words] if where == BODY else ["Không có."]}
    ]
    if where == HEADING:
        sections.append({"heading": words, "content": ["Không có."]})
    if where == AHEAD:
        sections.append({"heading": "Phương hướng, nhiệm vụ kỳ tới", "content": [{"numbered": [words]}]})
    title = words if where == TITLE else None
    return data_tree(period=period, date=None, title=title, lead_in=[], sections=sections, figures={})


def stale(found: list[Problem]) -> list[Problem]:
    return [p for p in found if "không phải kỳ" in p.message]


@pytest.mark.parametrize(("period", "where", "words", "warned"), PERIODS)
def test_periods_the_narrative_names(data_tree, period: str, where: str, words: str, warned: bool):
    data_file = report_saying(data_tree, period, where, words)
    found = stale(problems(data_file))
    assert len(found) == warned, [str(p) for p in found]
    assert all(p.severity == "cảnh báo" and p.location and p.location.startswith("dòng ") for p in found)


def test_a_stale_period_names_what_it_says_and_what_the_period_is(data_tree):
    data_file = report_saying(data_tree, "2026", BODY, "Trong quý III, xã kiểm tra 03 cơ quan.")
    found = stale(problems(data_file))
    lines = data_file.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if "Trong quý III" in text)
    assert [(p.location, p.message, p.fix) for p in found] == [
        (
            f"dòng {line}",
            "Đoạn văn nhắc đến “quý III” (quý III năm 2026), không phải kỳ báo cáo năm 2026.",
            "Câu chép từ báo cáo kỳ trước thì sửa lại theo năm 2026; đúng là nói về quý III năm 2026 thì "
            "bỏ qua cảnh báo này.",
        )
    ]
    ahead = report_saying(data_tree, "2026", HEADING, "Phương hướng, nhiệm vụ quý IV năm 2026")
    assert [p.message for p in stale(problems(ahead))] == [
        "Đề mục nhắc đến “quý IV năm 2026”, không phải kỳ tới (năm 2027)."
    ]


def test_the_sample_reports_name_no_stale_period():
    samples = sorted((ROOT / "data").glob("20*/*.yaml")) + sorted((ROOT / "data" / "examples").glob("*.yaml"))
    assert [str(p) for sample in samples for p in stale(problems(sample))] == []


def test_render_shows_a_stale_period_as_a_warning_and_writes_the_report(data_tree):
    data_file = report_saying(data_tree, "2026", BODY, "Lũy kế 9 tháng, xã ban hành 27 văn bản.")
    result = CliRunner().invoke(main, ["render", str(data_file)])
    assert result.exit_code == 0, result.output
    assert "[cảnh báo]" in result.output and "“9 tháng” (9 tháng đầu năm 2026)" in result.output
    assert Path("outputs/2026/tx-an-binh.docx").is_file()


def test_mau_excel_from_the_9_month_report_warns_of_what_it_carries_into_the_annual_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["mau-excel", "ht-thanh-sen", "2026", "--tu-ky-truoc"])
    assert result.exit_code == 0, result.output
    workbook = Path("data/2026/ht-thanh-sen.xlsx")
    assert f"Đã tạo bảng tính: {workbook}" in result.output
    book = Book(workbook)
    carried = {
        ("Nội dung", "Lũy kế 9 tháng, UBND phường"): "“9 tháng” (9 tháng đầu năm 2026)",
        ("Nội dung", "Phương hướng, nhiệm vụ quý IV năm 2026"): "“quý IV năm 2026”",
        ("Thông tin chung", "Ủy ban nhân dân phường Thành Sen báo cáo"): "“9 tháng đầu năm 2026”",
    }
    for (sheet, start), words in carried.items():
        column = "E" if sheet == "Nội dung" else "B"
        row = next(
            c.row for c in book[sheet][column] if isinstance(c.value, str) and c.value.startswith(start)
        )
        place = f"Sheet '{sheet}', ô {column}{row}"
        assert any(place in line and words in line for line in result.output.splitlines()), (place, words)
    assert "[cảnh báo]" in result.output
    again = CliRunner().invoke(main, ["kiem-tra", str(workbook)])
    assert "“9 tháng” (9 tháng đầu năm 2026)" in again.output, "kiem-tra says the same"


# --- any text ---------------------------------------------------------------------------------------------

WORDS = ["quý", "Quý", "I", "IV", "4", "6", "06", "9", "tháng", "đầu", "cuối", "năm", "Năm", "ngày", "trong"]
WORDS += [
    "2026",
    "0000",
    "9999",
    "1899",
    "so với",
    "số 05/KH-UBND",
    "/",
    ",",
    ".",
    "(",
    "31/11/2026",
    "29/02/0000",
]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    words=st.lists(st.sampled_from(WORDS) | st.text(max_size=3), max_size=14), period=st.sampled_from(CODES)
)
def test_any_text_reads_without_failing(words: list[str], period: str):
    text = " ".join(words)
    for day in dates_in(text):
        assert day.text in text and (day.when is None) == (day.impossible is not None)
    for ahead in (False, True):
        for mention in periods_in(text, heading=ahead):
            assert mention.text in text
            stale_period(mention, Period.parse(period), ahead)


# --- the shortcuts (#21): the same mentions as running every pattern over every text -------------------

# What the mentions were found with before the shortcuts: each pattern over the whole text.
_PERIOD_WORD = re.compile(r"(?=[qtn])(?:quý|tháng|năm)", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[;:()]|[,.!?](?=\s)")
# Letters whose cases Unicode folds in more than one way (Kelvin sign, dotted and dotless i, long s), the
# capitals of the words looked for, spaces a pattern reads as such.
TRICKY = ["K", "İ", "ı", "ſ", "Ý", "Á", "Ă", "À", "NGÀY", "THÁNG", "QUÝ", "NĂM", *"\u00a0\n!?;:"]
# Dates and months in words, the only ones with no "/"; a date right after "9 tháng", read as the nine
# months only once the date is taken out.
TRICKY += ["ngày 14 tháng 9 năm 2026", "NGÀY 31 THÁNG 4 NĂM 2026", "Ngày 1  tháng 13 năm 0", "tháng 12/2022"]
TRICKY += ["9 tháng 14/9/2026", "6 tháng 31/6/2026"]
# What sets a period apart, in other cases and with the other forms of "s" and "i".
TRICKY += [
    "SO VỚI",
    "ſo với",
    "so vớı",
    "Cùng KỲ",
    "kỳ TRƯỚC",
    " Ngoàı",
    "báo CÁO",
    "NGÂN SÁCH",
    "Thu, chi",
    "dự toán",
]


def periods_before(text: str, heading: bool = False) -> list[PeriodMention]:
    if not _PERIOD_WORD.search(text):
        return []
    masked = text
    for pattern in (mentions._DATE, mentions._MONTH) if re.search(r"\d", text) else ():
        masked = pattern.sub(lambda m: " " * len(m.group()), masked)
    found, end = [], 0
    for match in mentions._PERIOD.finditer(masked):
        if match.start() < end:
            continue
        clause = _CLAUSE_END.split(masked[: match.start()])[-1]
        if any(p.search(clause) for p in (mentions._DOCUMENT_NUMBER, mentions._COMPARISON, mentions._BUDGET)):
            continue
        after = mentions._YEAR_AFTER.match(masked, match.end())
        year = int(after[1] or after[2]) if after else None
        end = after.end() if after else match.end()
        if year is not None and not 1900 <= year <= 2999:
            continue
        if match["year"]:
            if year and (heading or mentions._YEAR_FRAME.search(clause)):
                found.append(PeriodMention(text[match.start() : end], PeriodKind.YEAR, 0, year))
        elif match["quarter"]:
            quarter = mentions._QUARTERS.get(match["quarter"]) or int(match["quarter"])
            found.append(PeriodMention(text[match.start() : end], PeriodKind.QUARTER, quarter, year))
        elif kind := mentions._MONTHS.get((match["months"].lstrip("0"), (match["half"] or "").lower())):
            found.append(PeriodMention(text[match.start() : end], kind, 0, year))
    return found


# Document numbers, and what makes a year the time of its clause.
TRICKY += ["số 05", "Số 05", "05/KH-UBND", "12-QĐ", "34/2019/QĐ-UBND", "trong", "LŨY KẾ", "Cả", "lũy Kế"]
# Deadlines: the words before a date that make it one.
TRICKY += ["trước", "ĐẾN", "Chậm nhất", "HẠN", "hạn ngày", "Hạn\n", "trước ngày 30/9/2026", "hạn 1/10/2026"]


TEXTS = st.lists(st.sampled_from(WORDS + TRICKY) | st.text(max_size=3), max_size=14).map("".join) | st.lists(
    st.sampled_from(WORDS + TRICKY) | st.text(max_size=3), max_size=14
).map(" ".join)


@settings(max_examples=3000, deadline=None)
@given(text=TEXTS, heading=st.booleans())
def test_the_shortcuts_find_what_every_pattern_over_every_text_finds(text: str, heading: bool):
    assert list(periods_in(text, heading)) == periods_before(text, heading)
    # A date needs "/" (14/9/2026) or "ngày" (ngày 14 tháng 9 năm 2026): text without either is not searched.
    if "/" not in text and "ngày" not in text.lower():
        assert mentions._DATE.search(text) is None
    # What the words before a date make of it, as the patterns read them.
    for mention, match in zip(dates_in(text), mentions._DATE.finditer(text), strict=True):
        before = text[max(0, match.start() - 80) : match.start()]
        assert mention.text == match.group()
        assert mention.is_reference == bool(mentions._DOCUMENT_NUMBER.search(before))
        assert mention.is_deadline == bool(mentions._DEADLINE.search(before))
    # The checks ask one text for its dates, then for its periods: the dates are looked for once.
    said = mentions.Mentions(text)
    assert list(said.dates()) == list(dates_in(text))
    assert list(said.periods(heading)) == periods_before(text, heading)
    assert any(word in text.lower() for word in ("quý", "tháng", "năm")) == bool(_PERIOD_WORD.search(text))
    for end in range(len(text) + 1):
        assert mentions._clause_before(text, end) == _CLAUSE_END.split(text[:end])[-1]
    comparison_or_budget = mentions._COMPARISON.search(text) or mentions._BUDGET.search(text)
    assert mentions._sets_apart(text) == bool(comparison_or_budget)
    assert mentions._cites(text) == bool(mentions._DOCUMENT_NUMBER.search(text))
    assert mentions._frames_year(text) == bool(mentions._YEAR_FRAME.search(text))


def test_the_words_looked_for_first_have_no_letter_that_cases_fold_in_more_ways():
    """``str.lower`` finds a word wherever a pattern that ignores case does, but for the letters that
    Unicode folds in more ways than one (what ``re`` adds for them): none is in a word looked for first."""
    words = ["quý", "tháng", "năm", "ngày", *mentions._DEADLINE_ENDS, *mentions._YEAR_FRAME_ENDS]
    words += [word for words, _ in mentions._SET_APART for word in words]
    folded = {chr(code) for code in re._casefix._EXTRA_CASES}
    assert not folded & set("".join(words))


def test_the_shortcuts_find_what_the_patterns_find_in_the_sample_reports():
    for data_file in sorted((ROOT / "data").rglob("*.yaml")):
        for text in re.findall(r"[^\n]+", data_file.read_text(encoding="utf-8")):
            for heading in (False, True):
                assert list(periods_in(text, heading)) == periods_before(text, heading)
