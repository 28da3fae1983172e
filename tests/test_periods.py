"""Reporting periods (domain.md §2): labels, the next period and the data cut-off windows."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_gen.vn.periods import Period, PeriodError, PeriodKind

# code, label, next period's label, window start, window end, window label
PERIODS = [
    (
        "2023-Q1",
        "quý I năm 2023",
        "quý II năm 2023",
        date(2022, 12, 15),
        date(2023, 3, 14),
        "15/12/2022 – 14/3/2023",
    ),
    (
        "2023-Q2",
        "quý II năm 2023",
        "quý III năm 2023",
        date(2023, 3, 15),
        date(2023, 6, 14),
        "15/3/2023 – 14/6/2023",
    ),
    (
        "2023-Q3",
        "quý III năm 2023",
        "quý IV năm 2023",
        date(2023, 6, 15),
        date(2023, 9, 14),
        "15/6/2023 – 14/9/2023",
    ),
    (
        "2023-Q4",
        "quý IV năm 2023",
        "quý I năm 2024",
        date(2023, 9, 15),
        date(2023, 12, 14),
        "15/9/2023 – 14/12/2023",
    ),
    (
        "2023-6T",
        "6 tháng đầu năm 2023",
        "6 tháng cuối năm 2023",
        date(2022, 12, 15),
        date(2023, 6, 14),
        "15/12/2022 – 14/6/2023",
    ),
    (
        "2023-9T",
        "9 tháng đầu năm 2023",
        "quý IV năm 2023",
        date(2022, 12, 15),
        date(2023, 9, 14),
        "15/12/2022 – 14/9/2023",
    ),
    (
        "2023-6TC",
        "6 tháng cuối năm 2023",
        "6 tháng đầu năm 2024",
        date(2023, 6, 15),
        date(2023, 12, 14),
        "15/6/2023 – 14/12/2023",
    ),
    ("2023", "năm 2023", "năm 2024", date(2022, 12, 15), date(2023, 12, 14), "15/12/2022 – 14/12/2023"),
]


@pytest.mark.parametrize(("code", "label", "next_label", "start", "end", "window_label"), PERIODS)
def test_period(code: str, label: str, next_label: str, start: date, end: date, window_label: str) -> None:
    period = Period.parse(code)
    assert period.code == code
    assert str(period) == code
    assert period.label == label
    assert period.next.label == next_label
    assert period.window == (start, end)
    assert period.window_label == window_label


def test_every_kind_is_covered() -> None:
    assert {Period.parse(row[0]).kind for row in PERIODS} == set(PeriodKind)


@pytest.mark.parametrize("code", ["2023-Q1", "2023-6T", "2023-9T", "2023"])
def test_windows_from_the_start_of_the_year_begin_the_year_before(code: str) -> None:
    start, _ = Period.parse(code).window
    assert start == date(2022, 12, 15)


@pytest.mark.parametrize("code", [row[0] for row in PERIODS])
def test_next_window_starts_the_day_after_this_one_ends(code: str) -> None:
    period = Period.parse(code)
    next_start, _ = period.next.window
    assert (next_start - period.window[1]).days == 1


@pytest.mark.parametrize(
    ("text", "code"), [("2023-q1", "2023-Q1"), (" 2023-6tc ", "2023-6TC"), ("2024", "2024")]
)
def test_parse_is_lenient_about_case_and_spaces(text: str, code: str) -> None:
    assert Period.parse(text).code == code


@pytest.mark.parametrize("text", ["2023-Q5", "2023-Q0", "23-Q1", "1899", "2023-H1", "quý I năm 2023", ""])
def test_parse_rejects(text: str) -> None:
    with pytest.raises(PeriodError, match="không phải kỳ báo cáo hợp lệ"):
        Period.parse(text)


# --- the period a text names --------------------------------------------------------------------------------

# What a trích yếu, lead-in or closing sentence says, and the period it names.
NAMED = [
    ("Kết quả thực hiện công tác cải cách hành chính quý I năm 2023", "2023-Q1"),
    ("Báo cáo tình hình CCHC Quý IV năm 2025 và phương hướng quý I năm 2026", "2025-Q4"),
    ("Kết quả kiểm tra cải cách hành chính trong 6 tháng đầu năm 2023 tại UBND các xã", "2023-6T"),
    ("Kết quả công tác CCHC 6 tháng năm 2024", "2024-6T"),
    ("Kết quả thực hiện 9 tháng năm 2026, phương hướng quý IV năm 2026", "2026-9T"),
    ("Kết quả CCHC 6 tháng cuối năm 2022", "2022-6TC"),
    ("Kết quả năm 2023, phương hướng nhiệm vụ năm 2024", "2023"),
]


@pytest.mark.parametrize(("text", "code"), NAMED)
def test_the_period_a_text_names(text, code):
    assert Period.find(text) == Period.parse(code)


@pytest.mark.parametrize(
    "text", ["Kết quả công tác cải cách hành chính", "Kế hoạch số 05/KH-UBND ngày 18/01/2023", "năm 20234"]
)
def test_a_text_that_names_no_period(text):
    assert Period.find(text) is None


periods = st.builds(
    lambda year, suffix: Period.parse(f"{year}{suffix}"),
    st.integers(1990, 2099),
    st.sampled_from(["", "-Q1", "-Q2", "-Q3", "-Q4", "-6T", "-9T", "-6TC"]),
)
words = st.text(st.sampled_from("abc ,.;:()áđê"), max_size=30)


@settings(max_examples=80, deadline=None, derandomize=True)
@given(periods, words, words)
def test_every_period_is_found_by_its_label_in_any_sentence(period, before, after):
    assert Period.find(f"{before} {period.label} {after}") == period
