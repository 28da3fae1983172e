"""Dates that running text names, and what the words before them say they are.

A date is "18/01/2023" or "ngày 18 tháng 01 năm 2023", in any case ("Ngày …" opens a sentence). One right
after a document number ("Kế hoạch số 05/KH-UBND ngày …") dates that document: a reference, not an event
of the period; one after "trước", "đến", "hạn" is a deadline and may lie ahead.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

_DATE = re.compile(
    r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b|\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})\b", re.IGNORECASE
)
# "số 05", "34/2019/QĐ-UBND", "05/KH-UBND": a date right after one of these dates a document, not an event.
_DOCUMENT_NUMBER = re.compile(r"\bsố\s+\d+|\b\d+(?:[-/][\w&]+)*[-/][A-ZĐ][\w&]*")
# "trước ngày 30/9", "đến ngày …", "hạn …": a deadline in a plan may lie after the report date.
_DEADLINE = re.compile(r"(trước|đến|chậm nhất|hạn)(\s+ngày)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    """A date in running text; ``impossible`` says why it cannot exist (then ``when`` is ``None``)."""

    text: str
    when: date | None
    impossible: str | None
    is_reference: bool
    is_deadline: bool


def dates_in(text: str) -> Iterator[DateMention]:
    """The dates in ``text``, each with what the words before it make of it."""
    for match in _DATE.finditer(text):
        day, month, year = (int(g) for g in (match.group(1, 2, 3) if match[1] else match.group(4, 5, 6)))
        when, impossible = None, None
        if not 1 <= month <= 12:
            impossible = f"không có tháng {month}"
        elif not 1 <= day <= (days := calendar.monthrange(year, month)[1]):
            impossible = f"tháng {month} năm {year} chỉ có {days} ngày"
        else:
            when = date(year, month, day)
        before = text[max(0, match.start() - 80) : match.start()]
        yield DateMention(
            match.group(),
            when,
            impossible,
            bool(_DOCUMENT_NUMBER.search(before)),
            bool(_DEADLINE.search(before)),
        )
