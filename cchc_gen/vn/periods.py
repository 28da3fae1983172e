"""Reporting periods: one notation, the Vietnamese labels, the next period and the data cut-off window.

Notation (what data files, folder names and commands use):

=========  ==========================  ===============================
notation   label in text               data window (Nghị định 09/2019)
=========  ==========================  ===============================
2023-Q1    quý I năm 2023              15/12/2022 – 14/3/2023
2023-Q2    quý II năm 2023             15/3/2023 – 14/6/2023
2023-Q3    quý III năm 2023            15/6/2023 – 14/9/2023
2023-Q4    quý IV năm 2023             15/9/2023 – 14/12/2023
2023-6T    6 tháng đầu năm 2023        15/12/2022 – 14/6/2023
2023-9T    9 tháng đầu năm 2023        15/12/2022 – 14/9/2023
2023-6TC   6 tháng cuối năm 2023       15/6/2023 – 14/12/2023
2023       năm 2023                    15/12/2022 – 14/12/2023
=========  ==========================  ===============================
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

from cchc_gen.errors import InvalidValue, excerpt
from cchc_gen.vn.dates import IssueDate

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodKind(Enum):
    QUARTER = "quý"
    FIRST_HALF = "6 tháng đầu năm"
    NINE_MONTHS = "9 tháng đầu năm"
    SECOND_HALF = "6 tháng cuối năm"
    YEAR = "năm"


# (start month of the window, counted from the 15th of the month before; end month, ending on the 14th)
_WINDOWS: dict[tuple[PeriodKind, int], tuple[int, int]] = {
    (PeriodKind.QUARTER, 1): (0, 3),
    (PeriodKind.QUARTER, 2): (3, 6),
    (PeriodKind.QUARTER, 3): (6, 9),
    (PeriodKind.QUARTER, 4): (9, 12),
    (PeriodKind.FIRST_HALF, 0): (0, 6),
    (PeriodKind.NINE_MONTHS, 0): (0, 9),
    (PeriodKind.SECOND_HALF, 0): (6, 12),
    (PeriodKind.YEAR, 0): (0, 12),
}

# A period as running text names it: "quý II năm 2023", "6 tháng đầu năm 2023", "9 tháng năm 2023",
# "năm 2023".
_LABEL = re.compile(
    r"(?<!\w)(?:quý\s+(?P<quarter>IV|III|II|I)\s+|(?P<months>6|9)\s+tháng\s+(?:(?P<half>đầu|cuối)\s+)?)?"
    r"năm\s+(?P<year>\d{4})(?!\d)",
    re.IGNORECASE,
)
_SUFFIX = {"6T": PeriodKind.FIRST_HALF, "9T": PeriodKind.NINE_MONTHS, "6TC": PeriodKind.SECOND_HALF}
_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<suffix>6T|9T|6TC)))?$")

PERIOD_HELP = (
    "2023-Q1 … 2023-Q4 (quý), 2023-6T (6 tháng đầu năm), 2023-9T (9 tháng), "
    "2023-6TC (6 tháng cuối năm), 2023 (năm)"
)


class PeriodError(InvalidValue):
    """The text is not a period in our notation, and how to fix it. Internal: the caller, who knows the
    file and the place, turns it into a :class:`~cchc_gen.errors.Problem`."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "Ghi kỳ theo một trong các dạng trên, ví dụ 2026-9T.")


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period of one year; ``quarter`` is 0 unless ``kind`` is a quarter."""

    year: int
    kind: PeriodKind
    quarter: int = 0

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PATTERN.match(str(text).strip().upper())
        if not match or not 1900 <= int(match["year"]) <= 2999:
            raise PeriodError(
                f"'{excerpt(text)}' không phải kỳ báo cáo hợp lệ; dùng một trong các dạng: {PERIOD_HELP}."
            )
        year = int(match["year"])
        if match["quarter"]:
            return cls(year, PeriodKind.QUARTER, int(match["quarter"]))
        if match["suffix"]:
            return cls(year, _SUFFIX[match["suffix"]])
        return cls(year, PeriodKind.YEAR)

    @classmethod
    def find(cls, text: str) -> Period | None:
        """The first period a text names by its label ("… quý I năm 2023 …"), None when it names none.
        "9 tháng năm 2023" is the nine months, "6 tháng năm 2023" the first half, as clerks write them."""
        match = _LABEL.search(text)
        if match is None:
            return None
        year = int(match["year"])
        if match["quarter"]:
            quarter = {roman: number for number, roman in _ROMAN.items()}[match["quarter"].upper()]
            return cls(year, PeriodKind.QUARTER, quarter)
        if match["months"] == "9":
            return cls(year, PeriodKind.NINE_MONTHS)
        if match["months"] == "6":
            second = (match["half"] or "").lower() == "cuối"
            return cls(year, PeriodKind.SECOND_HALF if second else PeriodKind.FIRST_HALF)
        return cls(year, PeriodKind.YEAR)

    @property
    def code(self) -> str:
        """The notation, also used in folder and file names."""
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}-Q{self.quarter}"
        if self.kind is PeriodKind.YEAR:
            return str(self.year)
        suffix = next(s for s, k in _SUFFIX.items() if k is self.kind)
        return f"{self.year}-{suffix}"

    @property
    def label(self) -> str:
        """Label in running text: "quý I năm 2023", "6 tháng đầu năm 2023", "năm 2023"."""
        if self.kind is PeriodKind.QUARTER:
            return f"quý {_ROMAN[self.quarter]} năm {self.year}"
        return f"{self.kind.value} {self.year}"

    @property
    def next(self) -> Period:
        """The period a report's "phương hướng" section looks ahead to."""
        if self.kind is PeriodKind.QUARTER:
            if self.quarter == 4:
                return Period(self.year + 1, PeriodKind.QUARTER, 1)
            return Period(self.year, PeriodKind.QUARTER, self.quarter + 1)
        if self.kind is PeriodKind.FIRST_HALF:
            return Period(self.year, PeriodKind.SECOND_HALF)
        if self.kind is PeriodKind.NINE_MONTHS:
            return Period(self.year, PeriodKind.QUARTER, 4)
        if self.kind is PeriodKind.SECOND_HALF:
            return Period(self.year + 1, PeriodKind.FIRST_HALF)
        return Period(self.year + 1, PeriodKind.YEAR)

    @property
    def window(self) -> tuple[date, date]:
        """Data cut-off window: from the 15th of the month before the period to the 14th of its last month."""
        start_month, end_month = _WINDOWS[(self.kind, self.quarter)]
        start = date(self.year - 1, 12, 15) if start_month == 0 else date(self.year, start_month, 15)
        return start, date(self.year, end_month, 14)

    @property
    def window_label(self) -> str:
        """The cut-off window as reports write it: "15/12/2022 – 14/3/2023"."""
        start, end = (IssueDate(d.year, d.month, d.day).short for d in self.window)
        return f"{start} – {end}"

    @property
    def chronological(self) -> tuple[date, int]:
        """A sort key: periods in the order their windows end; of two that end together, the longer one
        comes later (6 tháng đầu năm after quý II): it is the report a later period starts from."""
        start, end = self.window
        return end, -start.toordinal()

    def __str__(self) -> str:
        return self.code
