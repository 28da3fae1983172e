"""Dates and reporting periods that running text names, and what the words around them say they are.

- A date is "18/01/2023" or "ngày 18 tháng 01 năm 2023", in any case ("Ngày …" opens a sentence). One
  right after a document number ("Kế hoạch số 05/KH-UBND ngày …") dates that document: a reference, not
  an event of the period; one after "trước", "đến", "hạn" is a deadline and may lie ahead.
- A period is "quý III" (with or without "năm 2026", "/2026"), "6 tháng đầu năm", "6 tháng cuối năm",
  "9 tháng" or "9 tháng đầu năm", or a year ("năm 2025"). :func:`stale_period` tells which of those a
  report of one period should not name (the rule, for clerks: docs/du-lieu.md, "Ngày tháng và kỳ được
  nhắc đến trong đoạn văn").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from cchc_gen.vn.numbers import roman
from cchc_gen.vn.periods import Period, PeriodKind

# Each pattern opens with a look at the first letter its matches can start with: without it the engine
# tries every alternative at every character of the text, several times slower.
_DATE = re.compile(
    r"(?=[\dn])(?:\b(\d{1,2})/(\d{1,2})/(\d{4})\b|\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})\b)",
    re.IGNORECASE,
)
# "tháng 12 năm 2022", "tháng 10/2026": a month, not a period of the outline.
_MONTH = re.compile(r"(?=t)\btháng\s+\d{1,2}(?:\s+năm\s+|\s*/\s*)\d{4}\b", re.IGNORECASE)
# "số 05", "34/2019/QĐ-UBND", "05/KH-UBND": a date right after one of these dates a document, not an event.
_DOCUMENT_NUMBER = re.compile(r"\bsố\s+\d+|\b\d+(?:[-/][\w&]+)*[-/][A-ZĐ][\w&]*")
# "trước ngày 30/9", "đến ngày …", "hạn …": a deadline in a plan may lie after the report date.
_DEADLINE = re.compile(r"(trước|đến|chậm nhất|hạn)(\s+ngày)?\s*$", re.IGNORECASE)
# What the words before a deadline end with, lowered (see _DIGIT).
_DEADLINE_ENDS = ("trước", "đến", "chậm nhất", "hạn", "ngày")

_PERIOD = re.compile(
    r"(?=[qQ069nN])(?:(?i:\bquý)\s+(?P<quarter>IV|III|II|I|[1-4])(?!\w)"
    r"|\b(?P<months>0?[69])\s+(?i:tháng)(?:\s+(?P<half>(?i:đầu|cuối))\s+(?i:năm)|(?!\s*\d))"
    r"|(?P<year>(?i:\bnăm))(?=\s+\d{4}\b))"
)
_DIGIT = re.compile(r"\d")
# A period needs "quý", "tháng" or "năm", a date "/" or "ngày", a month "tháng". The patterns read these
# letters in any case, which for them (no "i", "k" or "s", whose cases Unicode folds in more ways) is exactly
# what ``str.lower`` does: text is lowered once and searched for the words (:func:`periods_in`), far faster
# than running a pattern over text it cannot match.
_YEAR_AFTER = re.compile(r"(?:\s+(?i:năm))?\s+(\d{4})\b(?!\s*[-–]\s*\d)|\s*/\s*(\d{4})\b")
# A clause ends at a comma, semicolon, colon or full stop followed by a space, or at a parenthesis;
# searched for backwards, from where a period is named (:func:`_clause_before`).
_CLAUSE_END_BACKWARDS = re.compile(r"[;:()]|(?<=\s)[,.!?]")
# Words that set a period against the one the sentence is about ("so với 6 tháng đầu năm", "Ngoài … đã làm
# trong 6 tháng đầu năm"), name the report of a period ("tại báo cáo 6 tháng đầu năm"), or the period of a
# budget (published each quarter, half-year and year).
_COMPARISON = re.compile(r"\bso với\b|\bcùng kỳ\b|\bkỳ trước\b|^\s*ngoài\b|\bbáo cáo\s*$", re.IGNORECASE)
_BUDGET = re.compile(r"\bngân sách\b|\bdự toán\b|\bquyết toán\b|\bthu,?\s+chi\b", re.IGNORECASE)
# Words that each of these patterns needs, lowered (see _DIGIT): "so với" and "ngoài" cut before their "s"
# and "i", letters whose cases Unicode folds in more ways than ``str.lower`` does.
_SET_APART = (
    (("o vớ", "cùng kỳ", "kỳ trước", "ngoà", "báo cáo"), _COMPARISON),
    (("ngân", "dự toán", "quyết toán", "thu"), _BUDGET),
)
# A year is the time of the sentence only when it opens a clause or follows one of these words; elsewhere
# it qualifies a thing ("Kế hoạch CCHC năm 2025", "Luật … năm 2025", "ngân sách năm 2025").
_YEAR_FRAME = re.compile(r"(?:^|\b(?:trong|lũy kế|cả))\s*$", re.IGNORECASE)
# What a clause that frames a year ends with, lowered (see _DIGIT).
_YEAR_FRAME_ENDS = ("trong", "lũy kế", "cả")
_QUARTERS = {roman(quarter): quarter for quarter in range(1, 5)}


@dataclass(frozen=True)
class DateMention:
    """A date in running text; ``impossible`` says why it cannot exist (then ``when`` is ``None``)."""

    text: str
    when: date | None
    impossible: str | None
    is_reference: bool
    is_deadline: bool


def dates_in(text: str) -> list[DateMention]:
    """The dates in ``text``, each with what the words before it make of it."""
    return Mentions(text).dates()


# "6 tháng" alone is a length of time ("hợp đồng 06 tháng"), "9 tháng" alone the nine months of the year.
_MONTHS = {
    ("6", "đầu"): PeriodKind.FIRST_HALF,
    ("6", "cuối"): PeriodKind.SECOND_HALF,
    ("9", "đầu"): PeriodKind.NINE_MONTHS,
    ("9", ""): PeriodKind.NINE_MONTHS,
}


@dataclass(frozen=True)
class PeriodMention:
    """A period named in running text, as written; ``year`` is ``None`` when the text gives none."""

    text: str
    kind: PeriodKind
    quarter: int
    year: int | None

    def period(self, year: int) -> Period:
        return Period(self.year or year, self.kind, self.quarter)


def periods_in(text: str, heading: bool = False) -> list[PeriodMention]:
    """The periods that ``text`` speaks of: not those in a date, a citation of a document, a comparison
    or a budget; a year only as the time of its clause (or anywhere in a ``heading``)."""
    return Mentions(text).periods(heading)


class Mentions:
    """The dates and the periods that one text names (:func:`dates_in`, :func:`periods_in`), its dates looked
    for once for both (a period is never read inside a date)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lowered = text.lower()
        self._dates: list[re.Match[str]] | None = None

    def _date_matches(self) -> list[re.Match[str]]:
        if self._dates is None:
            # Most text has neither kind of date (see _DIGIT).
            found = "/" in self.text or "ngày" in self.lowered
            self._dates = list(_DATE.finditer(self.text)) if found else []
        return self._dates

    def dates(self) -> list[DateMention]:
        text = self.text
        found: list[DateMention] = []
        for match in self._date_matches():
            day, month, year = (int(g) for g in (match.group(1, 2, 3) if match[1] else match.group(4, 5, 6)))
            when, impossible = None, None
            if year == 0:
                impossible = "không có năm 0"
            elif not 1 <= month <= 12:
                impossible = f"không có tháng {month}"
            elif not 1 <= day <= (days := calendar.monthrange(year, month)[1]):
                impossible = f"tháng {month} năm {year} chỉ có {days} ngày"
            else:
                when = date(year, month, day)
            before = text[max(0, match.start() - 80) : match.start()]
            deadline = (
                before.rstrip().lower().endswith(_DEADLINE_ENDS) and _DEADLINE.search(before) is not None
            )
            found.append(DateMention(match.group(), when, impossible, _cites(before), deadline))
        return found

    def periods(self, heading: bool = False) -> list[PeriodMention]:
        text, lowered = self.text, self.lowered
        found: list[PeriodMention] = []
        if "năm" not in lowered and "tháng" not in lowered and "quý" not in lowered:  # most text names none
            return found
        masked = text
        if _DIGIT.search(text):  # a date and a month both need a digit, and their own words or signs
            masked = _blanked(text, self._date_matches())
            if "tháng" in lowered:
                masked = _MONTH.sub(_blank, masked)
        end = 0
        for match in _PERIOD.finditer(masked):
            if match.start() < end:
                continue  # the year of the period just read ("quý IV năm 2026")
            clause = _clause_before(masked, match.start())
            if _cites(clause) or _sets_apart(clause):
                continue
            after = _YEAR_AFTER.match(masked, match.end())
            year = int(after[1] or after[2]) if after else None
            end = after.end() if after else match.end()
            if year is not None and not 1900 <= year <= 2999:
                continue  # not a year of a report ("quý I 0000" is a slip, not a period)
            if match["year"]:
                if year and (heading or _frames_year(clause)):
                    found.append(PeriodMention(text[match.start() : end], PeriodKind.YEAR, 0, year))
            elif match["quarter"]:
                quarter = _QUARTERS.get(match["quarter"]) or int(match["quarter"])
                found.append(PeriodMention(text[match.start() : end], PeriodKind.QUARTER, quarter, year))
            elif kind := _MONTHS.get((match["months"].lstrip("0"), (match["half"] or "").lower())):
                found.append(PeriodMention(text[match.start() : end], kind, 0, year))
        return found


def _blanked(text: str, matches: list[re.Match[str]]) -> str:
    """``text`` with what ``matches`` found in it blanked out (as ``sub`` with :func:`_blank` does)."""
    if not matches:
        return text
    pieces, done = [], 0
    for match in matches:
        pieces += [text[done : match.start()], " " * (match.end() - match.start())]
        done = match.end()
    return "".join([*pieces, text[done:]])


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _clause_before(text: str, end: int) -> str:
    """The clause of ``text`` that ends at ``end``: from the last clause end before ``end`` on (a full
    stop right before ``end`` ends no clause: what follows it is not seen)."""
    found = _CLAUSE_END_BACKWARDS.search(text[:end][::-1])
    return text[end - found.start() : end] if found else text[:end]


def _cites(text: str) -> bool:
    """Whether ``text`` has a document number (_DOCUMENT_NUMBER), looked for only in text with "số", "/" or
    "-", one of which every document number has."""
    return ("số" in text or "/" in text or "-" in text) and _DOCUMENT_NUMBER.search(text) is not None


def _sets_apart(clause: str) -> bool:
    """Whether ``clause`` sets its period against another or names the period of a budget (_COMPARISON,
    _BUDGET), each pattern run only over a clause that has one of its words."""
    lowered = clause.lower()
    for words, pattern in _SET_APART:
        for word in words:
            if word in lowered:
                if pattern.search(clause):
                    return True
                break
    return False


def _frames_year(clause: str) -> bool:
    """Whether a year at the end of ``clause`` is the time of the clause (_YEAR_FRAME), looked for only in a
    clause that is blank or ends with one of its words."""
    kept = clause.rstrip()
    return (not kept or kept.lower().endswith(_YEAR_FRAME_ENDS)) and _YEAR_FRAME.search(clause) is not None


def _within(inner: tuple[date, date], outer: tuple[date, date]) -> bool:
    """Whether the window ``inner`` lies within ``outer``."""
    (start, end), (outer_start, outer_end) = inner, outer
    return outer_start <= start and end <= outer_end


def stale_period(mention: PeriodMention, period: Period, ahead: bool) -> Period | None:
    """The period ``mention`` names when a report of ``period`` should not name it, else ``None``.

    In the account of the period: the period itself, one that holds it ("năm 2026" in a report of quý I),
    its last part ("quý III" in a 9-month report), or the next period, its parts and what holds it (what is
    planned: "trong quý IV", "mục tiêu đề ra cho 6 tháng cuối năm" in a 9-month report).
    ``ahead`` (a "phương hướng" section): the next period, its parts, or a year or cumulative period that
    begins with it. A period without a year is of the report's year; ahead, of the first one to come.
    """
    # The windows, each worked out once.
    this, coming = period.window, period.next.window
    named = mention.period(period.year)
    if ahead and mention.year is None and named.window[1] <= this[1]:
        named = mention.period(period.year + 1)
    window = named.window
    if _within(window, coming):
        return None
    if ahead:
        begins_with = named.kind is PeriodKind.YEAR or window[0] == coming[0]
        return None if _within(coming, window) and begins_with else named
    last_part = _within(window, this) and window[1] == this[1]
    return None if _within(this, window) or _within(coming, window) or last_part else named
