"""Dates the Vietnamese administrative way.

- The header date line of Nghị định 30: day below 10 and months 1 and 2 get a leading zero
  ("ngày 05 tháng 01 năm 2024", but "ngày 29 tháng 6", "tháng 12"); the day (or more) may be left blank
  for the office to fill in when the document is signed.
- Dates in prose: "18/01/2023".
- Parsing what clerks type: "6/12/2023", "06/12/2023", "2023-12-06", a ``date``, an Excel serial.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from cchc_gen.errors import InvalidValue, excerpt

# Blank parts of a header date keep room for a handwritten figure.
_BLANK = "    "
_EXCEL_EPOCH = date(1899, 12, 30)


_DATE_FIX = (
    "Gõ ngày theo dạng ngày/tháng/năm, ví dụ 06/12/2023, hoặc tháng/năm (ví dụ 3/2023) nếu để trống ngày."
)


class DateParseError(InvalidValue):
    """The text is not a date in a form we accept, and how to fix it. Internal: the caller, who knows the
    file and the place, turns it into a :class:`~cchc_gen.errors.Problem`."""

    def __init__(self, message: str, fix: str = _DATE_FIX) -> None:
        super().__init__(message, fix)


def _nd30_month(month: int) -> str:
    """Months 1 and 2 get a leading zero (tháng 01, tháng 02), the others not (tháng 3, tháng 12)."""
    return f"{month:02d}" if month <= 2 else str(month)


@dataclass(frozen=True)
class IssueDate:
    """The date of a document, any part of which may be left blank (``None``)."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and (self.month is None or self.year is None):
            raise DateParseError("Có ngày thì phải có cả tháng và năm.")
        if self.month is not None and self.year is None:
            raise DateParseError("Có tháng thì phải có cả năm.")
        if self.month is not None and not 1 <= self.month <= 12:
            raise DateParseError(f"Tháng {self.month} không có thật.", "Ghi tháng bằng một số từ 1 đến 12.")
        if self.day is not None:
            date(self.year, self.month, self.day)  # type: ignore[arg-type]  # raises ValueError

    @property
    def as_date(self) -> date | None:
        if self.day is None:
            return None
        return date(self.year, self.month, self.day)  # type: ignore[arg-type]

    @property
    def header(self) -> str:
        """The NĐ 30 date: "ngày 05 tháng 01 năm 2024", blanks kept as spaces."""
        day = _BLANK if self.day is None else f"{self.day:02d}"
        month = _BLANK if self.month is None else _nd30_month(self.month)
        year = _BLANK if self.year is None else str(self.year)
        return f"ngày {day} tháng {month} năm {year}"

    @property
    def short(self) -> str:
        """Prose form "06/12/2023"; blank parts as dots ("…/3/2023")."""
        day = "…" if self.day is None else f"{self.day:02d}"
        month = "…" if self.month is None else _nd30_month(self.month)
        year = "…" if self.year is None else str(self.year)
        return f"{day}/{month}/{year}"


def header_date(value: date | IssueDate) -> str:
    """Header date line body (without the place): "ngày 05 tháng 01 năm 2024"."""
    if isinstance(value, date):
        value = IssueDate(value.year, value.month, value.day)
    return value.header


def prose_date(value: date) -> str:
    """Date in running text: "18/01/2023" (day always two digits, month two digits)."""
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


_DMY = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MY = re.compile(r"^(\d{1,2})\s*/\s*(\d{4})$")
_YM = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_issue_date(value: object) -> IssueDate:
    """Parse a document date as clerks type it; a month without a day leaves the day blank.

    Accepts ``date``/``datetime``, an Excel serial number, "06/12/2023", "6/12/2023", "2023-12-06",
    "3/2023" or "2023-03" (day left blank), and ``None`` or "" (all blank).
    """
    try:
        if value is None or (isinstance(value, str) and not value.strip()):
            return IssueDate()
        if isinstance(value, datetime):
            return IssueDate(value.year, value.month, value.day)
        if isinstance(value, date):
            return IssueDate(value.year, value.month, value.day)
        if isinstance(value, int | float) and not isinstance(value, bool):
            if not 1 <= value < 2958466:
                raise DateParseError(
                    f"Số {value} không phải một ngày trong Excel.",
                    "Gõ ngày vào ô theo dạng ngày/tháng/năm, ví dụ 06/12/2023.",
                )
            day = _EXCEL_EPOCH + timedelta(days=int(value))
            return IssueDate(day.year, day.month, day.day)
        text = str(value).strip()
        if m := _DMY.match(text):
            return IssueDate(int(m[3]), int(m[2]), int(m[1]))
        if m := _YMD.match(text):
            return IssueDate(int(m[1]), int(m[2]), int(m[3]))
        if m := _MY.match(text):
            return IssueDate(int(m[2]), int(m[1]))
        if m := _YM.match(text):
            return IssueDate(int(m[1]), int(m[2]))
    except DateParseError:
        raise
    except ValueError:
        raise DateParseError(
            f"Ngày '{excerpt(value)}' không có thật.",
            "Kiểm tra lại ngày và tháng: tháng 2 có 28 ngày (29 ngày năm nhuận), tháng 4, 6, 9, 11 có "
            "30 ngày.",
        ) from None
    raise DateParseError(
        f"'{excerpt(value)}' không phải ngày hợp lệ; gõ theo dạng ngày/tháng/năm, ví dụ 06/12/2023, "
        "hoặc tháng/năm (ví dụ 3/2023) nếu để trống ngày."
    )


def parse_date(value: object) -> date:
    """Parse a full date (day, month and year all present)."""
    issue = parse_issue_date(value)
    if issue.as_date is None:
        raise DateParseError(f"'{excerpt(value)}' thiếu ngày; gõ đủ ngày/tháng/năm, ví dụ 06/12/2023.")
    return issue.as_date
