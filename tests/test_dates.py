"""Dates the NĐ 30 way: the header date line, prose dates, and the forms clerks type."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from cchc_gen.vn.dates import DateParseError, IssueDate, header_date, parse_date, parse_issue_date, prose_date

HEADER_DATES = [
    (date(2024, 1, 5), "ngày 05 tháng 01 năm 2024"),
    (date(2023, 2, 28), "ngày 28 tháng 02 năm 2023"),
    (date(2023, 3, 1), "ngày 01 tháng 3 năm 2023"),
    (date(2024, 6, 29), "ngày 29 tháng 6 năm 2024"),
    (date(2023, 12, 6), "ngày 06 tháng 12 năm 2023"),
    (date(2023, 10, 10), "ngày 10 tháng 10 năm 2023"),
    (IssueDate(2023, 3), "ngày      tháng 3 năm 2023"),
    (IssueDate(2024, 1), "ngày      tháng 01 năm 2024"),
    (IssueDate(2023), "ngày      tháng      năm 2023"),
    (IssueDate(), "ngày      tháng      năm     "),
]


@pytest.mark.parametrize(("value", "text"), HEADER_DATES)
def test_header_date(value: date | IssueDate, text: str) -> None:
    assert header_date(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(date(2023, 1, 18), "18/01/2023"), (date(2023, 12, 6), "06/12/2023"), (date(2024, 6, 29), "29/06/2024")],
)
def test_prose_date(value: date, text: str) -> None:
    assert prose_date(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (IssueDate(2023, 12, 6), "06/12/2023"),
        (IssueDate(2023, 3), "…/3/2023"),
        (IssueDate(2024, 1, 5), "05/01/2024"),
    ],
)
def test_short_date_with_blanks(value: IssueDate, text: str) -> None:
    assert value.short == text


PARSED = [
    ("6/12/2023", IssueDate(2023, 12, 6)),
    ("06/12/2023", IssueDate(2023, 12, 6)),
    (" 6 / 12 / 2023 ", IssueDate(2023, 12, 6)),
    ("6.12.2023", IssueDate(2023, 12, 6)),
    ("6-12-2023", IssueDate(2023, 12, 6)),
    ("2023-12-06", IssueDate(2023, 12, 6)),
    ("2023-12-6", IssueDate(2023, 12, 6)),
    (45266, IssueDate(2023, 12, 6)),  # Excel serial of 6/12/2023
    (45296.75, IssueDate(2024, 1, 5)),  # Excel date with a time of day
    (date(2023, 12, 6), IssueDate(2023, 12, 6)),
    (datetime(2023, 12, 6, 14, 30), IssueDate(2023, 12, 6)),
    ("3/2023", IssueDate(2023, 3)),
    ("2023-03", IssueDate(2023, 3)),
    (None, IssueDate()),
    ("  ", IssueDate()),
]


@pytest.mark.parametrize(("value", "issue"), PARSED)
def test_parse_issue_date(value: object, issue: IssueDate) -> None:
    assert parse_issue_date(value) == issue


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2023", "không có thật"),
        ("13/2023", "không có thật"),
        ("6/13/2023", "không có thật"),
        ("12/6/23", "ngày/tháng/năm"),
        ("hôm nay", "ngày/tháng/năm"),
        (True, "ngày/tháng/năm"),
        (0, "Excel"),
        (-5, "Excel"),
    ],
)
def test_parse_issue_date_rejects(value: object, message: str) -> None:
    with pytest.raises(DateParseError, match=message):
        parse_issue_date(value)


def test_parse_date_needs_the_day() -> None:
    assert parse_date("06/12/2023") == date(2023, 12, 6)
    assert parse_date(45266) == date(2023, 12, 6)
    with pytest.raises(DateParseError, match="thiếu ngày"):
        parse_date("3/2023")


@pytest.mark.parametrize(
    ("parts", "message"),
    [((2023, None, 5), "cả tháng và năm"), ((None, 3, None), "cả năm"), ((2023, 13, None), "Tháng 13")],
)
def test_issue_date_rejects_impossible_blanks(parts: tuple, message: str) -> None:
    with pytest.raises(DateParseError, match=message):
        IssueDate(*parts)
