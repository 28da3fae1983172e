"""What the rules of every region share.

:class:`Judge` collects one document's findings: a departure is flagged once per (rule, severity, what was
found, what is required) with every place it was found. It also judges how one element looks (size,
weight, slant, case, alignment), the line drawn under a text, the parts of a date and the lines of a list
of recipients, and keeps what the header states that the appendices must repeat (number and date).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from cchc_gen.errors import Severity
from cchc_gen.nd30.docx_view import Paragraph, WordDocument
from cchc_gen.nd30.elements import Layout, is_blank, is_rule_line, is_upper

_ALIGNMENTS = {"left": "căn trái", "right": "căn phải", "center": "canh giữa", "both": "canh đều hai lề"}
_NOT_SOLID = {
    "dotted",
    "dashed",
    "dashSmallGap",
    "dotDash",
    "dotDotDash",
    "dashDotStroked",
    "wave",
    "doubleWave",
}

# A line "1/3 to 1/2 of the text" (under the issuing body, the trích yếu), with room for the estimate.
THIRD_TO_HALF = (1 / 3 - 0.08, 1 / 2 + 0.08)


def num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _sizes(low: float, high: float) -> str:
    return f"{num(low)} pt" if low == high else f"{num(low)}–{num(high)} pt"


def quoted(text: str, length: int = 40) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= length else text[: length - 1].rstrip() + '…'}”"


def tail(text: str) -> str:
    """The end of a line, whole words, enough to see its punctuation."""
    words = text.split()
    end = " ".join(words[-3:])
    return f"“…{end}”" if len(words) > 3 else f"“{end}”"


def alignment(paragraph: Paragraph) -> str:
    return _ALIGNMENTS.get(paragraph.format.alignment, paragraph.format.alignment)


def _padded(text: str, unit: str) -> str | None:
    """The right spelling of a day or month number when ``text`` is wrong, else None: days below 10 and
    months 1 and 2 take a leading 0, nothing else does."""
    value = int(text)
    pad = value < 10 if unit == "ngày" else value in (1, 2)
    correct = f"{value:02d}" if pad else str(value)
    return None if text == correct else correct


@dataclass(frozen=True)
class _Line:
    kind: str
    width: float
    solid: bool


class Judge:
    """The findings of one document so far, and what the regions' rules judge with."""

    def __init__(self, document: WordDocument, layout: Layout) -> None:
        self.doc = document
        self.layout = layout
        self.found: dict[tuple[str, Severity, str, str], list[str]] = {}
        self.number: tuple[str, str] | None = None  # the header's "Số:", as (number, symbol)
        self.date: tuple[int | None, int | None, int | None] | None = None  # the header's date

    def flag(
        self, rule: str, found: str, required: str, where: str, severity: Severity = Severity.ERROR
    ) -> None:
        places = self.found.setdefault((rule, severity, found, required), [])
        if where not in places:
            places.append(where)

    def look(
        self,
        rule: str,
        paragraph: Paragraph,
        sizes: tuple[float, float],
        *,
        bold: bool | None = None,
        italic: bool | None = False,
        upper: bool | None = None,
        centred: bool = False,
        severity: Severity = Severity.ERROR,
    ) -> None:
        """Size, weight, slant, case and alignment of one element (runs in superscript are note marks)."""
        runs = [run for run in paragraph.text_runs if not run.format.script]
        if not runs or is_blank(paragraph.text):
            return
        where = paragraph.location
        found_sizes = sorted({run.format.size for run in runs})
        if any(not sizes[0] <= size <= sizes[1] for size in found_sizes):
            shown = ", ".join(num(s) for s in found_sizes)
            self.flag(rule, f"cỡ chữ {shown} pt", f"cỡ chữ {_sizes(*sizes)}", where, severity)
        if bold is not None and any(run.format.bold != bold for run in runs):
            found, required = ("chữ không đậm", "chữ đậm") if bold else ("chữ đậm", "chữ không đậm")
            self.flag(rule, found, required, where, severity)
        if italic is not None and any(run.format.italic != italic for run in runs):
            found, required = ("chữ đứng", "chữ nghiêng") if italic else ("chữ nghiêng", "chữ đứng")
            self.flag(rule, found, required, where, severity)
        if upper is True and not is_upper(paragraph.text):
            self.flag(rule, "có chữ thường", "chữ in hoa", where, severity)
        if upper is False and is_upper(paragraph.text) and sum(c.isalpha() for c in paragraph.text) > 1:
            self.flag(rule, "chữ in hoa", "chữ in thường (chỉ viết hoa chữ cái đầu)", where, severity)
        if centred and not paragraph.format.centred:
            self.flag(rule, alignment(paragraph), "canh giữa", where, severity)

    def line(
        self,
        rule: str,
        column: list[Paragraph],
        text: list[Paragraph],
        ratio: tuple[float, float],
        length: str,
    ) -> None:
        """The solid line under ``text`` and its length against the longest line of the text."""
        last = text[-1]
        line = self.line_under(column, last)
        if line is None:
            self.flag(
                rule, "không có đường kẻ", f"đường kẻ ngang nét liền, {length}, đặt cân đối", last.location
            )
            return
        if not line.solid:
            self.flag(rule, f"đường kẻ ({line.kind}) không liền nét", "đường kẻ nét liền", last.location)
        if any(is_blank(p.text) for p in text):
            return
        longest = max(p.width for p in text)
        container = self.width(last)
        text_width = min(longest, container) if container else longest
        share = line.width / text_width if text_width else ratio[0]
        if not ratio[0] <= share <= ratio[1]:
            found = f"đường kẻ ({line.kind}) dài khoảng {round(share * 100)}% dòng chữ (ước tính)"
            self.flag(rule, found, f"đường kẻ {length}", last.location, Severity.WARNING)

    def width(self, paragraph: Paragraph) -> float:
        """The width a paragraph's lines can take, in points."""
        if paragraph.cell is not None and paragraph.cell.width:
            width = paragraph.cell.width
        elif 0 < paragraph.section <= len(self.doc.sections):
            width = self.doc.sections[paragraph.section - 1].text_width
        else:
            return 0.0
        return width - paragraph.format.left - paragraph.format.right

    def line_under(self, column: list[Paragraph], paragraph: Paragraph) -> _Line | None:
        """The line drawn under ``paragraph``: its own bottom border or shape, the next paragraphs'
        underscores, border or shape, or a shape anywhere in its table cell (shapes float)."""
        if "bottom" in paragraph.format.borders:
            return self.border(paragraph, "bottom")
        if paragraph.shapes:
            return _Line("hình vẽ", paragraph.shapes[0].width, paragraph.shapes[0].solid)
        following = column[column.index(paragraph) + 1 :] if paragraph in column else []
        for candidate in following[:3]:
            if "top" in candidate.format.borders:
                return self.border(candidate, "top")
            if is_rule_line(candidate):
                return _Line("gạch dưới “___”", candidate.width, True)
            if candidate.shapes:
                return _Line("hình vẽ", candidate.shapes[0].width, candidate.shapes[0].solid)
            if candidate.empty and "bottom" in candidate.format.borders:
                return self.border(candidate, "bottom")
            if not candidate.empty:
                break
        cell = paragraph.cell
        if cell is not None:
            same_cell = [
                p
                for p in column
                if p.cell is not None and (p.cell.row, p.cell.column) == (cell.row, cell.column)
            ]
            shapes = [shape for p in same_cell for shape in p.shapes]
            if shapes:
                return _Line("hình vẽ", shapes[0].width, shapes[0].solid)
        return None

    def border(self, paragraph: Paragraph, edge: str) -> _Line:
        border = paragraph.format.borders[edge]
        return _Line("đường viền của đoạn", self.width(paragraph), border.style not in _NOT_SOLID)

    def date_parts(
        self, day: str, month: str, year: str, where: str, rule: str
    ) -> tuple[int | None, int | None, int | None]:
        """Day, month and year (None where left blank), flagging wrong numbers and zero-padding."""
        parts: list[int | None] = []
        for text, unit, high in ((day.strip(), "ngày", 31), (month.strip(), "tháng", 12)):
            if is_blank(text):
                parts.append(None)
            elif not text.isdigit() or not 1 <= int(text) <= high:
                self.flag(rule, f"{unit} “{text}”", f"{unit} bằng chữ số Ả Rập, từ 1 đến {high}", where)
                parts.append(None)
            else:
                correct = _padded(text, unit)
                if correct is not None:
                    which = "ngày nhỏ hơn 10" if unit == "ngày" else "chỉ tháng 1, 2"
                    self.flag(rule, f"{unit} {text}", f"{unit} {correct} ({which} có số 0 phía trước)", where)
                parts.append(int(text))
        year = year.strip()
        if is_blank(year):
            parts.append(None)
        elif not re.fullmatch(r"\d{4}", year):
            self.flag(rule, f"năm “{year}”", "năm viết đủ bốn chữ số", where)
            parts.append(None)
        else:
            parts.append(int(year))
        day_value, month_value, year_value = parts
        if day_value and month_value and year_value:
            try:
                datetime.date(year_value, month_value, day_value)
            except ValueError:
                found = f"ngày {day_value}/{month_value}/{year_value} không có thật"
                self.flag(rule, found, "một ngày có thật", where)
        return day_value, month_value, year_value

    def entry(self, rule: str, text: str, where: str, *, last: bool) -> None:
        """A "- …;" line of a list of recipients; the last one ends with "."."""
        if not text.startswith("- "):
            self.flag(rule, f"dòng bắt đầu bằng {quoted(text[:2])}", "đầu dòng có gạch đầu dòng “- ”", where)
        if not text.endswith("." if last else ";"):
            found = f"dòng {'cuối ' if last else ''}kết thúc bằng {tail(text)}"
            required = (
                "dòng cuối cùng kết thúc bằng dấu chấm “.”" if last else "cuối dòng có dấu chấm phẩy “;”"
            )
            self.flag(rule, found, required, where)
