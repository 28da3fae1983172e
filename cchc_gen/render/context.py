"""Lay a report out: turn the model into the context a template profile renders.

This is where everything a clerk must not type is generated: section and item numbers, table STT, the
Số/ký hiệu and date lines with their zero-padding, Kính gửi and Nơi nhận punctuation, the closing "./.",
the rules under the issuing body and the trích yếu. Templates only place and format these values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from weakref import WeakKeyDictionary

from jinja2.sandbox import SandboxedEnvironment

from cchc_gen.errors import DataError, TemplateProblem
from cchc_gen.model import inline
from cchc_gen.model.check import Figures, fill_placeholders
from cchc_gen.model.inline import Span
from cchc_gen.model.pictures import Picture, PlacedPicture
from cchc_gen.model.profile import PROFILE_FILE, Appendix, Indicator, Profile, match_outline
from cchc_gen.model.report import (
    MARKERS,
    Heading,
    ImageBlock,
    ListBlock,
    ListItem,
    NumberedBlock,
    Numbering,
    Report,
    SubheadingBlock,
    TableBlock,
    Unit,
)
from cchc_gen.render.marks import BOLD, BOLD_ITALIC, ITALIC, PLAIN, marked, marked_spans, table_mark
from cchc_gen.render.sandbox import RENDER_ERRORS, explain
from cchc_gen.render.tables import header_rows, leaves_of, table_context
from cchc_gen.vn.numbers import LETTERS, roman
from cchc_gen.vn.periods import Period

_HEADING_KIND: dict[Numbering, str] = {"roman": "h1", "decimal": "h2", "nested": "h3", "letter": "h4"}


def heading_number(style: Numbering, index: int, parent_number: str) -> str:
    if style == "roman":
        return f"{roman(index)}."
    if style == "decimal":
        return f"{index}."
    if style == "nested":
        return f"{parent_number.rstrip('.')}.{index}." if parent_number else f"{index}."
    return f"{LETTERS[(index - 1) % len(LETTERS)]})"


def strip_end(text: str) -> str:
    """Text without the punctuation it ends with (before the marks that end its emphasis)."""
    kept = text.rstrip(_END_MARKS)
    return kept.rstrip(" ;.,") + text[len(kept) :]


_END_MARKS = PLAIN + BOLD + ITALIC + BOLD_ITALIC


def _rule(text: str, chars_per_underscore: float, line_chars: int) -> str:
    """Underscores for the solid line under a heading: about 40% of its longest printed line.

    ``line_chars`` is how many characters fit on a line where the text is printed;
    ``chars_per_underscore`` is the width of an average character of the text over that of "_".
    """
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > line_chars:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    longest = max((len(line) for line in [*lines, current]), default=0)
    return "_" * max(5, round(longest * 0.4 * chars_per_underscore))


# The kind of a list item's paragraph, by its marker (templates print them all as body paragraphs).
_ITEM_KINDS = {"-": "dash", "+": "plus", "*": "star"}
# What a report without a closing sentence may end with: the paragraph that then carries the "./.".
_TEXT_KINDS = {"p", "run_in", *_ITEM_KINDS.values()}


class _BodyBuilder:
    """Walks the nested blocks of a report and emits a flat list of numbered paragraphs and tables.

    ``fill`` puts the figures into the text where it quotes them (``{kh_hoan_thanh/kh_nhiem_vu}``);
    ``titles`` are the outline's words of the headings that are outline entries, by heading.
    """

    def __init__(
        self,
        numbering: list[Numbering],
        fill: Callable[[str], str],
        pictures: Mapping[str, Picture],
        titles: Mapping[int, str],
    ) -> None:
        self.numbering = numbering
        self.fill = fill
        self.pictures = pictures
        self.titles = titles

    def style_at(self, depth: int) -> Numbering:
        return self.numbering[min(depth, len(self.numbering) - 1)]

    def text(self, text: str) -> str:
        return marked(text, self.fill)

    def content(
        self, blocks: list[Any], depth: int, parent_number: str, style: Numbering | None = None
    ) -> Iterator[dict[str, Any]]:
        """Headings are numbered by their rank among the headings of the same list; paragraphs and
        tables between them do not interrupt the count. ``style`` overrides the level's numbering."""
        style = style or self.style_at(depth)
        rank = 0
        for block in blocks:
            if isinstance(block, Heading):
                rank += 1
                number = heading_number(style, rank, parent_number)
                words = block.heading if block.own_heading else self.titles.get(id(block), block.heading)
                words = words.upper() if style == "roman" else words
                kind = _HEADING_KIND[style]
                if block.text:
                    yield {
                        "kind": "run_in",
                        "level": kind,
                        "number": number,
                        "text": self.run_in(number, words, block.text),
                    }
                else:
                    yield {"kind": kind, "number": number, "text": self.text(words)}
                yield from self.content(block.content, depth + 1, number, block.numbering)
            else:
                yield from self.block(block)

    def run_in(self, number: str, heading: str, text: str) -> str:
        """A heading and its first paragraph on one line: "3.3. Thực hiện phân cấp quản lý: Thực hiện …",
        the heading part bold (a colon is put after it unless it ends with a mark of its own)."""
        end = "" if inline.plain(heading).rstrip().endswith((":", ".", "?", "!")) else ":"
        head = [Span(f"{number} ", bold=True)] + [
            Span(span.text, bold=True, italic=span.italic) for span in inline.spans(f"{heading}{end}")
        ]
        return marked_spans([*head, Span(" "), *inline.spans(text)], self.fill)

    def block(self, block: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
        """The paragraphs of a block; ``depth`` is how many list items hold it."""
        if isinstance(block, str):
            yield {"kind": "p", "text": self.text(block), "depth": depth}
        elif isinstance(block, SubheadingBlock):
            yield {"kind": "subheading", "text": self.text(block.subheading), "depth": depth}
        elif isinstance(block, ListBlock):
            yield from self.items(block.entries, block.marker, depth)
        elif isinstance(block, NumberedBlock):
            for index, text in enumerate(block.numbered, start=1):
                yield {"kind": "p", "text": f"{index}. {self.text(text)}", "depth": depth}
        elif isinstance(block, TableBlock):
            yield {"kind": "table", **table_context(block.table, self.fill)}
        elif isinstance(block, ImageBlock):
            picture = self.pictures.get(block.image)
            if picture is None:  # only when a report is rendered without being checked
                raise DataError.single(f"Ảnh '{block.image}' chưa được đọc và kiểm tra.")
            placed = PlacedPicture(picture, block.width_cm)
            yield {"kind": "image", "image": placed, "caption": self.text(block.caption or "")}

    def items(self, entries: list[Any], marker: str | None, depth: int) -> Iterator[dict[str, Any]]:
        """A list ``depth`` lists deep: each item, then what it holds, one list deeper."""
        marker = marker or MARKERS[depth % len(MARKERS)]
        for entry in entries:
            text = entry.text if isinstance(entry, ListItem) else entry  # a text alone: an item without more
            yield {"kind": _ITEM_KINDS[marker], "text": f"{marker} {self.text(text)}", "depth": depth}
            if isinstance(entry, ListItem):
                if entry.sub:
                    yield from self.items(entry.sub, None, depth + 1)
                for inner in entry.content:
                    yield from self.block(inner, depth + 1)


@dataclass(frozen=True)
class _IndicatorRow:
    """A row of the indicator appendix as every report of a profile has it, but for its figure and note."""

    stt: str
    label: str
    unit: str
    code: str | None
    note: str
    group: bool


def _indicator_rows(profile: Profile, appendix: Appendix) -> list[_IndicatorRow]:
    """The rows of ``profile``'s indicator appendix, each indicator followed by those it holds: laid out
    once per profile (a batch lays out thousands of reports with one)."""
    made = _INDICATOR_ROWS.get(profile)
    if made is not None and made[0] is appendix:
        return made[1]
    rows: list[_IndicatorRow] = []

    def add(indicators: list[Indicator], parent: str, breakdown: bool) -> None:
        for index, indicator in enumerate(indicators, start=1):
            number = f"{parent}{index}."
            # The parts of a "Trong đó" breakdown carry no STT of their own.
            stt = ("Trong đó" if index == 1 else "") if breakdown else number
            group = bool(indicator.items) and not breakdown
            rows.append(
                _IndicatorRow(
                    stt, marked(indicator.label), indicator.unit, indicator.code, indicator.note, group
                )
            )
            add(indicator.items, number, indicator.breakdown)

    add(appendix.indicators, "", False)
    _INDICATOR_ROWS[profile] = (appendix, rows)
    return rows


_INDICATOR_ROWS: WeakKeyDictionary[Profile, tuple[Appendix, list[_IndicatorRow]]] = WeakKeyDictionary()


def _appendix_rows(rows: list[_IndicatorRow], report: Report, figures: Figures) -> list[dict[str, Any]]:
    notes = report.figure_notes
    return [
        {
            "stt": row.stt,
            "label": row.label,
            "unit": row.unit,
            "value": figures.display(row.code) if row.code else "",
            "note": (notes.get(row.code) if row.code else None) or row.note,
            "group": row.group,
        }
        for row in rows
    ]


def _appendices(
    report: Report,
    unit: Unit,
    profile: Profile,
    figures: Figures,
    number: str,
    expand: Callable[[str], str],
) -> list[dict[str, Any]]:
    """The indicator appendix (when the report has figures) then the data's own appendix tables;
    "Phụ lục" alone, "Phụ lục I", "Phụ lục II"… when there are several."""
    spec = profile.spec
    reference = (
        f"(Kèm theo {spec.type_name.capitalize()} số {number} ngày {report.date.short} của {unit.short_name})"
    )
    found: list[dict[str, Any]] = []
    if spec.appendix is not None and report.figures and report.appendix:
        columns = spec.appendix.columns
        found.append(
            {
                "kind": "indicators",
                "title": [expand(line).upper() for line in spec.appendix.title],
                "columns": leaves_of(columns),
                # The template gives the widths of this table: the header cells are made to agree with them.
                "head": header_rows(columns, None, table_mark(None)),
                "rows": _appendix_rows(_indicator_rows(profile, spec.appendix), report, figures),
            }
        )
    for table in report.appendices:
        found.append(
            {"kind": "table", "title": [line.upper() for line in table.title], **table_context(table, str)}
        )
    heading = spec.appendix.heading if spec.appendix else "Phụ lục"
    for index, appendix in enumerate(found, start=1):
        appendix["heading"] = f"{heading} {roman(index)}" if len(found) > 1 else heading
        appendix["reference"] = reference
    return found


def _day(day: date) -> str:
    """A day of the data window as reports write it in the title: 15/12/2021, 14/6/2022."""
    return f"{day.day}/{day.month}/{day.year}"


def _number_line(report: Report, unit: Unit, abbreviation: str) -> str:
    number = "" if report.number is None else f"{report.number:02d}"
    # A blank number keeps room for the office to write it in by hand when the report is registered.
    return f"{number or '      '}/{abbreviation}-{unit.symbol}"


def _signer_context(unit: Unit, report: Report) -> dict[str, str]:
    signer = report.signer or unit.signer
    authority = f"{signer.authority} {signer.on_behalf.upper()}".strip() if signer.authority else ""
    return {
        "authority": authority,
        "title": signer.title.upper(),
        "own_position": signer.own_position.upper(),
        "name": signer.name,
    }


def _recipients(report: Report, unit: Unit) -> dict[str, Any]:
    names = [strip_end(r) for r in (report.recipients if report.recipients is not None else unit.recipients)]
    if len(names) == 1:
        return {"inline": f"{names[0]}.", "lines": [], "any": True}
    lines = [f"- {name};" for name in names[:-1]] + ([f"- {names[-1]}."] if names else [])
    return {"inline": "", "lines": lines, "any": bool(names)}


def _distribution(report: Report, unit: Unit, has_recipients: bool) -> list[str]:
    entries = [
        strip_end(e) for e in (report.distribution if report.distribution is not None else unit.distribution)
    ]
    entries = [e for e in entries if e.lower() != "như trên" and not e.lower().startswith("lưu")]
    if has_recipients:
        entries.insert(0, "Như trên")
    archive = ", ".join(strip_end(a) for a in (report.archive or unit.archive))
    return [f"- {entry};" for entry in entries] + [f"- Lưu: {archive}."]


def _base_context(unit: Unit, period: Period) -> dict[str, Any]:
    """What the profile's own texts (trích yếu, closing, appendix title) may use: the unit and the period."""
    start, end = period.window
    return {
        "unit": {
            "code": unit.code,
            "name": unit.name,
            "short_name": unit.short_name,
            "place": unit.place,
            "level": unit.level,
            "governing_body": unit.governing_body.upper(),
            "issuing_body": [line.upper() for line in unit.issuing_body],
            "symbol": unit.symbol,
        },
        "period": {
            "code": period.code,
            "label": period.label,
            "next_label": period.next.label,
            "window_start": f"{start.day:02d}/{start.month:02d}/{start.year}",
            "window_end": f"{end.day:02d}/{end.month:02d}/{end.year}",
        },
    }


def _expand(
    text: str, base: Callable[[], dict[str, Any]], env: SandboxedEnvironment, profile: Profile
) -> str:
    """``text`` rendered with what ``base`` gives (asked only for a text that has a tag)."""
    if not _has_tags(text, env):  # most of a profile's texts (section titles): words alone, said as they are
        return " ".join(text.split())
    try:
        return " ".join(env.from_string(text).render(base()).split())
    except RENDER_ERRORS as exc:
        message, fix = explain(exc)
        raise TemplateProblem.single(
            f"{message} (trong văn bản “{text[:80]}”).", file=profile.folder / PROFILE_FILE, fix=fix
        ) from None


def _has_tags(text: str, env: SandboxedEnvironment) -> bool:
    """Whether Jinja could read anything but text in ``text``: without one of its tags, a template renders as
    it is written (the lines joined by :func:`_expand` whatever Jinja does with the last one)."""
    starts = (env.block_start_string, env.variable_start_string, env.comment_start_string)
    prefixes = (env.line_statement_prefix, env.line_comment_prefix)
    return any(prefix is not None for prefix in prefixes) or any(start in text for start in starts)


def expand_profile_text(
    text: str, unit: Unit, period: Period, profile: Profile, env: SandboxedEnvironment
) -> str:
    """A text of ``profile`` with the unit and period filled in ("Kết quả … 9 tháng đầu năm 2026")."""
    return _expand(text, lambda: _base_context(unit, period), env, profile)


def build_context(
    report: Report,
    unit: Unit,
    profile: Profile,
    figures: Figures,
    env: SandboxedEnvironment,
    pictures: Mapping[str, Picture] | None = None,
) -> dict[str, Any]:
    """The whole context a profile's template is rendered with (figures as checked and derived, and the
    pictures the body shows, as read by the check)."""
    spec = profile.spec
    period = report.period
    start, end = period.window
    base = _base_context(unit, period)

    def expand(text: str) -> str:
        return _expand(text, lambda: base, env, profile)

    title = report.title or [expand(spec.title)]

    def fill(text: str) -> str:
        return fill_placeholders(text, figures)

    number = _number_line(report, unit, spec.type_abbreviation)
    recipients = _recipients(report, unit)
    titles = {id(m.heading): expand(m.item.title) for m in match_outline(report.sections, spec.outline)}
    builder = _BodyBuilder(report.numbering or spec.numbering, fill, pictures or {}, titles)
    body = list(builder.content(report.sections, 0, ""))
    if report.closing is False:
        # No closing sentence: the last paragraph carries the "./." (the checks refuse a report that ends
        # with a table or a picture; rendered unchecked, the "./." then stands alone).
        closing = strip_end(body.pop()["text"]) if body and body[-1]["kind"] in _TEXT_KINDS else ""
    else:
        closing = strip_end(marked(report.closing, fill) if report.closing else expand(spec.closing))
    window = report.data_window if report.data_window is not None else spec.data_window
    return {
        **base,
        "doc": {
            "type_name": spec.type_name.upper(),
            "number_line": f"Số: {number}",
            "date_line": f"{unit.place}, {report.date.header}",
            "title": title,
            "window": f"(số liệu tính từ {_day(start)} đến {_day(end)})" if window else "",
            "title_rule": _rule(max(title, key=len), 0.88, 72),
            "issuing_rule": _rule(max(unit.issuing_body, key=len), 1.25, 22),
        },
        "recipients": recipients,
        "lead_in": [marked(text, fill) for text in report.lead_in],
        "body": body,
        "closing": f"{closing}./.",
        "distribution": _distribution(report, unit, recipients["any"]),
        "signer": _signer_context(unit, report),
        "appendices": _appendices(report, unit, profile, figures, number, expand),
    }
