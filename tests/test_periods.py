"""Reporting periods (domain.md §2): labels, the next period and the data cut-off windows."""

from __future__ import annotations

from datetime import date

import pytest

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
