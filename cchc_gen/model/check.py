"""Check a report against its profile before anything is rendered.

The profile is the single source of truth: its indicator catalogue says what each figure is (whole number,
percentage, coded answer…), its rules say which figures must agree (sums, "done ≤ planned", rates), and its
outline says which sections a unit of each level must fill. Derived figures (rates, totals) left empty in
the data are computed here; typed ones must agree with the computation. The narrative quotes figures with
placeholders (``{kh_hoan_thanh/kh_nhiem_vu}``), so text and appendix show the same numbers.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from weakref import WeakKeyDictionary

from cchc_gen.errors import Problem, Severity, excerpt
from cchc_gen.model.inline import plain, unclosed
from cchc_gen.model.pictures import MAX_HEIGHT_CM, Picture, PictureError, read_picture
from cchc_gen.model.profile import (
    Indicator,
    IndicatorType,
    NotMoreRule,
    OutlineItem,
    OutlineMatch,
    Profile,
    ProfileSpec,
    RateRule,
    SumRule,
    fold,
    is_entry,
    match_outline,
    same_wording,
    shown_title,
)
from cchc_gen.model.report import (
    NUMBERING_LABELS,
    Heading,
    ImageBlock,
    ListBlock,
    ListItem,
    NumberedBlock,
    Numbering,
    Report,
    SubheadingBlock,
    Table,
    TableBlock,
)
from cchc_gen.source.loading import LoadedReport
from cchc_gen.source.locations import YamlSource, as_source
from cchc_gen.vn import numbers
from cchc_gen.vn.mentions import Mentions, stale_period
from cchc_gen.vn.periods import Period

PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)(?:/([a-z0-9_]+)|:(dem))?\}")
# A section that looks ahead ("Phương hướng, nhiệm vụ kỳ tới") names the next period, not this one.
_AHEAD = re.compile(r"phương hướng|kỳ tới|thời gian tới", re.IGNORECASE)

# A ratio, a few words without figures, "đạt" (or "chiếm", "bằng") and a rate. A ratio is neither part
# of a date ("14/9/2026", "ngày 14/9", "tháng 9/2026") nor of a document number ("số 05/2024/QĐ-UBND").
_COUNT = r"\d{1,3}(?:\.\d{3})+|\d+"
_STATED_RATE = re.compile(
    # The lookahead first: elsewhere than before a digit the match fails at once, not after four looks back.
    rf"(?=\d)(?<![\d/.,])(?<!ngày )(?<!tháng )(?<!số )(?P<part>{_COUNT})/(?P<whole>{_COUNT})(?![\d/])"
    r"[^\d;.!?]{0,60}?\b(?P<verb>đạt|chiếm|bằng)(?:\s+tỷ lệ)?\s+(?P<rate>\d{1,3}(?:,\d+)?)\s?%",
    re.IGNORECASE,
)

Value = int | Decimal | str

# The unit an indicator's figures may be typed with, and what each type is called in a message.
_UNITS = {"percentage": "%", "money": "đồng"}
_KIND_NAMES = {
    "integer": "số đếm",
    "money": "số tiền",
    "decimal": "một số",
    "percentage": "tỷ lệ phần trăm",
    "code": "câu trả lời theo mã",
}


@dataclass
class Figures:
    """Typed figures of one report: what the data gives, plus what the rules derived.

    A figure prints as its indicator's type prints, whoever wrote it: a percentage rounded to the
    profile's ``rate_decimals`` without trailing zeros ("47,37", "100"), a count as a whole number in
    Vietnamese notation ("6.580"), or, when it was typed as text, with the digits it was typed with
    ("02"); a unit typed after a number ("%", "đồng") is never part of it.
    """

    values: dict[str, Value] = field(default_factory=dict)
    types: dict[str, IndicatorType] = field(default_factory=dict)
    rate_decimals: int = 2
    typed_text: dict[str, str] = field(default_factory=dict)

    def is_percentage(self, code: str) -> bool:
        return self.types.get(code) == "percentage"

    def display(self, code: str) -> str:
        """A figure as the appendix shows it (a percentage without its sign: the unit column has it)."""
        value = self.values.get(code)
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if self.is_percentage(code):
            return numbers.percent_number(value, self.rate_decimals)
        return self.typed_text.get(code) or numbers.format_number(value)

    def quoted(self, code: str) -> str:
        """A figure as the narrative quotes it: a percentage with its sign ("47,37%")."""
        return self.display(code) + ("%" if self.is_percentage(code) else "")


@dataclass
class Checked:
    """The outcome of checking one report."""

    figures: Figures
    problems: list[Problem]
    # The pictures the body shows, read and checked, by their name in the data.
    pictures: dict[str, Picture] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.ERROR]


@dataclass(frozen=True)
class _Catalogue:
    """A profile's indicators by code and the type of each, the same for every report of the profile: made
    once per profile (a batch checks thousands of reports with one), never changed."""

    spec: ProfileSpec
    indicators: dict[str, Indicator]
    types: dict[str, IndicatorType]

    @classmethod
    def of(cls, profile: Profile) -> _Catalogue:
        made = _CATALOGUES.get(profile)
        if made is None or made.spec is not profile.spec:
            indicators = profile.spec.indicators()
            types = {code: indicator.type or "integer" for code, indicator in indicators.items()}
            made = _CATALOGUES[profile] = cls(profile.spec, indicators, types)
        return made


_CATALOGUES: WeakKeyDictionary[Profile, _Catalogue] = WeakKeyDictionary()


class _Checker:
    def __init__(self, loaded: LoadedReport, profile: Profile, words: Callable[[str], str] | None) -> None:
        self.loaded = loaded
        self.words = words
        self.report = loaded.report
        self.level = loaded.unit.level
        catalogue = _Catalogue.of(profile)
        self.catalogue = catalogue.indicators
        self.profile = profile
        self.figures = Figures(types=dict(catalogue.types), rate_decimals=profile.spec.rate_decimals)
        self.problems: list[Problem] = []
        # Figures given but refused, by loading or here (each reported at its value): the text quoting them
        # is not at fault, and they are not missing.
        self.refused = {str(path[1]) for path in loaded.refused if path[:1] == ("figures",) and len(path) > 1}
        self.pictures: dict[str, Picture] = {}
        self.source = as_source(loaded.source)
        self.body = Body.of(loaded)

    # --- reporting -----------------------------------------------------------------------------------

    def add(
        self, message: str, path: tuple[str | int, ...], fix: str | None, severity: Severity = Severity.ERROR
    ) -> None:
        self.problems.append(
            Problem(message, self.loaded.file, self.loaded.where(path), fix, severity, path=path)
        )

    def label(self, code: str) -> str:
        return self.catalogue[code].plain_label.rstrip(" :.")

    def shown(self, code: str) -> str:
        value = self.figures.values[code]
        text = numbers.format_number(value) if not isinstance(value, str) else value
        return f"{text}%" if self.catalogue[code].type == "percentage" else text

    # --- figures ---------------------------------------------------------------------------------------

    def parse_figures(self) -> None:
        for code, raw in self.report.figures.items():
            indicator = self.catalogue.get(code)
            if indicator is None:
                close = _closest(code, self.catalogue)
                self.add(
                    f"Chỉ tiêu '{excerpt(code)}' không có trong danh mục chỉ tiêu của bộ mẫu "
                    f"'{self.profile.name}'.",
                    ("figures", code),
                    f"Có phải ý bạn là '{close}'?" if close else "Sửa mã chỉ tiêu cho đúng danh mục.",
                )
                continue
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            value = self.parse_value(code, indicator, raw)
            if value is None:
                self.refused.add(code)
            else:
                self.figures.values[code] = value
        for code in self.report.figure_notes:
            if code not in self.catalogue:
                self.add(
                    f"Ghi chú cho chỉ tiêu '{excerpt(code)}' không có trong danh mục chỉ tiêu.",
                    ("figure_notes", code),
                    "Sửa mã chỉ tiêu cho đúng danh mục.",
                )

    def parse_value(self, code: str, indicator: Indicator, raw: Any) -> Value | None:
        path = ("figures", code)
        if indicator.type == "text":
            return str(raw)
        try:
            typed = numbers.read_typed(raw)
        except ValueError as exc:
            self.add(
                f"{self.label(code)}: {exc}", path, "Gõ một số theo kiểu Việt Nam, ví dụ 1.601 hoặc 47,37."
            )
            return None
        number = typed.number
        if typed.unit and typed.unit != _UNITS.get(indicator.type or ""):
            kind = "tỷ lệ phần trăm" if typed.unit == "%" else "số tiền"
            self.add(
                f"{self.label(code)} là {_KIND_NAMES[indicator.type or 'integer']}, không phải {kind}; "
                f"số đã nhập là {_entered(raw, typed)}.",
                path,
                f"Nhập con số không kèm “{typed.unit}”.",
            )
            return None
        if indicator.type == "percentage":
            return self.percentage(code, typed)
        if indicator.type == "code":
            if number not in indicator.codes:
                answers = ", ".join(f"{n} ({answer})" for n, answer in sorted(indicator.codes.items()))
                entered = _entered(raw, typed)
                self.add(
                    f"{self.label(code)} chỉ nhận các giá trị: {answers}; dữ liệu ghi {entered}.",
                    path,
                    "Chọn một trong các giá trị được liệt kê.",
                )
                return None
            return int(number)
        if indicator.type in ("integer", "money"):
            if number < 0:
                message = f"{self.label(code)} không được âm; số đã nhập là {_entered(raw, typed)}."
                self.add(message, path, "Nhập số từ 0 trở lên.")
                return None
            if number != int(number):
                self.add(
                    f"{self.label(code)} phải là số nguyên, nhưng số đã nhập là số thập phân "
                    f"{numbers.format_number(number)} ({numbers.read_number(number)}).",
                    path,
                    _whole_number_fix(number, typed),
                )
                return None
            if typed.text:
                self.figures.typed_text[code] = typed.text
            return int(number)
        if typed.text:
            self.figures.typed_text[code] = typed.text
        return Decimal(number)

    def percentage(self, code: str, typed: numbers.Typed) -> Decimal | None:
        """A percentage as typed: "47,37", "47,37%" and 47.37 all mean 47,37%; a bare fraction does not
        say whether it is a percentage or a fraction of 1 (what a spreadsheet stores), so it is refused."""
        path = ("figures", code)
        number = Decimal(typed.number)
        if not 0 <= number <= 100:
            self.add(
                f"{self.label(code)} ({numbers.format_number(number)}%) phải nằm trong khoảng 0–100%.",
                path,
                "Tỷ lệ phần trăm phải từ 0 đến 100; kiểm tra lại số liệu hoặc cách tính.",
            )
            return None
        if not typed.unit and 0 < number < 1:
            shown, scaled = numbers.format_number(number), numbers.format_percent(number * 100, None)
            self.add(
                f"{self.label(code)}: số đã nhập là {shown}, không rõ là {shown}% hay {scaled} "
                f"(bảng tính lưu {scaled} thành {shown}).",
                path,
                f"Nếu là {scaled} thì nhập {scaled[:-1]}; nếu đúng là {shown}% thì nhập kèm dấu %: {shown}%.",
            )
            return None
        return number

    def apply_rules(self) -> None:
        rules = [r for r in self.profile.spec.rules if not r.levels or self.level in r.levels]
        # Rules are arithmetic: a text figure can neither satisfy nor break one.
        values = {code: value for code, value in self.figures.values.items() if not isinstance(value, str)}
        # Derived figures may feed other rules: apply until nothing new is derived.
        pending = list(rules)
        while pending:
            progressed = False
            for rule in list(pending):
                done = self.apply(rule, values)
                if done:
                    pending.remove(rule)
                    progressed = True
            if not progressed:
                break

    def apply(self, rule: SumRule | NotMoreRule | RateRule, values: dict[str, int | Decimal]) -> bool:
        """Check or derive with one rule; False while some figure it needs is still unknown. ``values``: the
        figures that are numbers, those derived put in as they are."""
        if isinstance(rule, SumRule):
            if any(p not in values for p in rule.parts):
                return False
            total = sum((values[p] for p in rule.parts), 0)
            if rule.total not in values:
                self.figures.values[rule.total] = values[rule.total] = total
            elif values[rule.total] != total:
                default = " cộng ".join(f"{self.label(p)} ({self.shown(p)})" for p in rule.parts)
                default += f" phải bằng {self.label(rule.total)} ({self.shown(rule.total)})"
                self.broken(
                    rule,
                    default,
                    rule.total,
                    f"Sửa cho khớp, hoặc để trống '{rule.total}' để chương trình tự cộng "
                    f"(tổng các thành phần là {numbers.format_number(total)}).",
                )
            return True
        if isinstance(rule, NotMoreRule):
            if rule.left not in values or rule.right not in values:
                return False
            if values[rule.left] > values[rule.right]:
                default = (
                    f"{self.label(rule.left)} ({self.shown(rule.left)}) không được lớn hơn "
                    f"{self.label(rule.right)} ({self.shown(rule.right)})"
                )
                self.broken(rule, default, rule.left, "Kiểm tra lại hai số liệu này.")
            return True
        if any(p not in values for p in rule.part) or rule.whole not in values:
            return False
        whole = values[rule.whole]
        if whole == 0:
            return True
        part = sum((values[p] for p in rule.part), 0)
        decimals = self.figures.rate_decimals
        expected = numbers.rate(part, whole, decimals)
        if rule.target not in values:
            self.figures.values[rule.target] = values[rule.target] = expected
            return True
        if not numbers.rate_agrees(values[rule.target], part, whole, decimals):
            parts = " + ".join(numbers.format_number(values[p]) for p in rule.part)
            default = (
                f"{self.label(rule.target)} ({self.shown(rule.target)}) phải bằng "
                f"{parts}/{numbers.format_number(whole)} = {numbers.format_percent(expected, decimals)}"
            )
            self.broken(
                rule,
                default,
                rule.target,
                f"Để trống '{rule.target}' để chương trình tự tính, hoặc sửa cho đúng.",
            )
        return True

    def broken(self, rule: SumRule | NotMoreRule | RateRule, default: str, code: str, fix: str) -> None:
        message = default
        if rule.message:
            message = rule.message.format_map({c: self.shown(c) for c in self.figures.values})
        self.add(message.rstrip(".") + ".", ("figures", code), fix)

    def required_indicators(self) -> None:
        if not self.report.figures:
            return
        for code, indicator in self.catalogue.items():
            applies = not indicator.levels or self.level in indicator.levels
            missing = code not in self.figures.values and code not in self.refused
            if indicator.required and applies and missing:
                self.add(
                    f"Chưa có số liệu bắt buộc: {self.label(code)} ('{code}').",
                    ("figures",),
                    self.source.figure_fix(code, self.label(code)),
                    Severity.WARNING,
                )

    # --- narrative -----------------------------------------------------------------------------------

    def narrative(self) -> None:
        start, end = self.report.period.window
        issued = self.report.date.as_date
        for path, typed, mentions in self.body.texts:
            text = mentions.text
            if "*" in typed:  # most text: no asterisk, so no emphasis left open
                self.emphasis(path, typed)
            printable = "{" not in text or self.placeholders(path, text)
            printed = fill_placeholders(text, self.figures) if printable else ""
            if "%" in printed and "/" in printed:  # a ratio and its rate: most text has neither
                self.stated_rates(path, printed)
            for day in mentions.dates():
                if day.when is None:
                    self.add(
                        f"Ngày tháng “{day.text}” trong đoạn văn không có thật: {day.impossible}.",
                        path,
                        "Sửa lại ngày tháng cho đúng.",
                    )
                    continue
                if day.is_deadline:
                    continue
                if issued and day.when > issued:
                    self.add(
                        f"Ngày tháng “{day.text}” trong đoạn văn sau ngày ký báo cáo ({issued:%d/%m/%Y}).",
                        path,
                        "Kiểm tra lại ngày tháng.",
                        Severity.WARNING,
                    )
                elif day.when > end or (day.when < start and not day.is_reference):
                    self.add(
                        f"Ngày tháng “{day.text}” nằm ngoài kỳ báo cáo {self.report.period.label} "
                        f"({start:%d/%m/%Y} – {end:%d/%m/%Y}).",
                        path,
                        "Kiểm tra lại ngày tháng, hoặc bỏ qua nếu đoạn văn nhắc lại việc của kỳ trước.",
                        Severity.WARNING,
                    )

    def placeholders(self, path: tuple[str | int, ...], text: str) -> bool:
        """Problems of the figures ``text`` quotes (``{code}``): not in the catalogue, not given, quoted as a
        count but no count. Whether the text can be printed with its figures."""
        printable = True
        # One problem per figure and text, however often the text quotes it ("{a:dem} … {b/a}").
        said: set[str] = set()
        for match in PLACEHOLDER.finditer(text):
            counted = match.group(2) is not None or match.group(3) is not None
            for code in filter(None, match.group(1, 2)):
                printable = code in self.figures.values and printable
                problem: tuple[str, str] | None = None
                if code not in self.catalogue:
                    close = _closest(code, self.catalogue)
                    problem = (
                        f"Đoạn văn trích chỉ tiêu '{excerpt(code)}' không có trong danh mục: "
                        f"“{excerpt(match.group())}”.",
                        f"Có phải ý bạn là '{close}'?" if close else "Sửa mã chỉ tiêu cho đúng danh mục.",
                    )
                elif counted and self.catalogue[code].type not in ("integer", "money"):
                    printable = False
                    problem = (
                        f"Đoạn văn trích “{excerpt(match.group())}” như một số đếm, nhưng '{code}' "
                        f"({self.label(code)}) không phải số đếm.",
                        f"Trích bằng {{{code}}}; {{mã/mã}} và {{mã:dem}} chỉ dùng cho số đếm.",
                    )
                elif code not in self.figures.values and code not in self.refused:
                    problem = (
                        f"Đoạn văn trích chỉ tiêu '{code}' ({self.label(code)}) nhưng chưa có số liệu.",
                        self.source.figure_fix(code, self.label(code)),
                    )
                if problem and problem[0] not in said:
                    said.add(problem[0])
                    self.add(problem[0], path, problem[1])
        return printable

    def emphasis(self, path: tuple[str | int, ...], text: str) -> None:
        """A "**" or "*" that opens emphasis and is never closed prints as typed: say so."""
        for mark in dict.fromkeys(unclosed(text)):
            what = "chữ đậm" if mark == "**" else "chữ nghiêng"
            escaped = "\\*" * len(mark)
            self.add(
                f"Dấu “{mark}” mở {what} nhưng không có dấu “{mark}” đóng, nên được in nguyên như đã gõ.",
                path,
                f"Thêm “{mark}” ngay sau chữ cần in {what[4:]}; muốn in dấu sao thì gõ {escaped}.",
                Severity.WARNING,
            )

    def stated_rates(self, path: tuple[str | int, ...], printed: str) -> None:
        """A ratio stated with its rate ("09/19 nhiệm vụ, đạt 47,37%") must agree with itself, whether the
        numbers were typed or quoted from the figures: checked in the text as it is printed."""
        decimals = self.figures.rate_decimals
        for stated in rates_in(printed):
            if stated.whole == 0 or numbers.rate_agrees(stated.rate, stated.part, stated.whole, None):
                continue
            right = numbers.format_percent(numbers.rate(stated.part, stated.whole, decimals), decimals)
            said = f"{stated.ratio}, {stated.verb} {stated.rate_text}"
            self.add(
                f"Câu văn ghi {said}, nhưng {stated.ratio} là {right}.",
                path,
                f"Sửa tỷ lệ thành {right}, hoặc sửa số liệu cho đúng.",
                Severity.WARNING,
            )

    def read_pictures(self) -> None:
        folder = self.loaded.file.parent
        for path, block in self.body.blocks:
            if not isinstance(block, ImageBlock):
                continue
            try:
                picture = self.pictures.get(block.image) or read_picture(folder, block.image)
            except PictureError as exc:
                self.add(exc.message, (*path, "image"), exc.fix)
                continue
            self.pictures[block.image] = picture
            if (height := picture.height_cm(block.width_cm)) > MAX_HEIGHT_CM:
                width = numbers.format_number(block.width_cm)
                self.add(
                    f"Ảnh '{excerpt(block.image)}' ở chiều rộng {width} cm cao "
                    f"{numbers.format_number(height, 1)} cm, "
                    f"quá một trang (tối đa {numbers.format_number(MAX_HEIGHT_CM)} cm).",
                    (*path, "width_cm"),
                    f"Ghi số nhỏ hơn vào {self.source.field((*path, 'width_cm'))}, hoặc cắt bớt chiều cao "
                    "của ảnh.",
                )

    def outline(self) -> None:
        if any(path[:1] == ("sections",) for path in self.loaded.refused):
            return  # a section refused may be the one required; its own problem comes first
        matches = match_outline(self.report.sections, self.profile.spec.outline)
        self.required_sections(self.profile.spec.outline, {id(m.item): m for m in matches})
        for match in matches:
            self.wording(match)

    def required_sections(self, items: list[OutlineItem], matched: dict[int, OutlineMatch]) -> None:
        for item in items:
            match = matched.get(id(item))
            if self.level in item.required and (match is None or not match.heading.content):
                state = "chưa có" if match is None else "để trống"
                title = self.title(item)
                self.add(
                    f"Mục bắt buộc “{title}” {state}.",
                    match.path if match else ("sections",),
                    self.source.section_fix(title, item.key),
                    Severity.WARNING,
                )
            if match is not None:
                self.required_sections(item.items, matched)

    def title(self, item: OutlineItem) -> str:
        """An outline entry's title as this report prints it (its fields said, when the caller can say
        them), else with its fields shown as "…"."""
        return self.words(item.title) if self.words else shown_title(item.title)

    def wording(self, match: OutlineMatch) -> None:
        """A heading of the outline is printed in the outline's words, unless the data keeps its own."""
        written, title = match.heading.heading, self.title(match.item)
        same = (
            fold(plain(written)) == fold(title)
            if self.words
            else same_wording(plain(written), match.item.title)
        )
        if same:
            return
        path = (*match.path, "heading")
        if match.heading.own_heading:
            self.add(
                f"Đề mục “{written}” khác với đề cương của bộ mẫu (“{title}”); báo cáo in theo dữ liệu.",
                path,
                self.source.own_heading_fix(match.path, keep=True),
                Severity.WARNING,
            )
        else:
            self.add(
                f"Đề mục “{written}” được in theo đề cương của bộ mẫu: “{title}”.",
                path,
                self.source.own_heading_fix(match.path, keep=False),
                Severity.WARNING,
            )

    def ending(self) -> None:
        """A report without a closing sentence ends with a paragraph that carries the "./."."""
        if self.report.closing is not False:
            return
        path, block = last_block(self.report)
        if not isinstance(block, str | ListBlock | NumberedBlock) and not (
            isinstance(block, Heading) and block.text
        ):
            self.add(
                "Báo cáo không có câu kết nên dấu “./.” đặt cuối đoạn văn cuối cùng, nhưng nội dung kết thúc "
                "bằng một bảng, một ảnh hay một đề mục.",
                path,
                f"Thêm một đoạn văn cuối mục, hoặc bỏ {self.source.field(('closing',))} để có câu kết.",
            )

    def shapes(self) -> None:
        """What the format cannot print: headings nested deeper than the numbering has levels (every one
        of them would be numbered as the last level, "a)", "a)", "a)"), and a table row with more cells
        than its table has columns. A row with fewer is filled with empty cells where it is laid out."""
        numbering = self.report.numbering or self.profile.spec.numbering
        self.nested(self.report.sections, ("sections",), 0, numbering, False)
        for path, block in self.body.blocks:
            if isinstance(block, TableBlock):
                self.table_width(block.table, (*path, "table"))
        for index, appendix in enumerate(self.report.appendices):
            self.table_width(appendix, ("appendices", index))

    def nested(
        self,
        blocks: list[Any],
        path: tuple[str | int, ...],
        depth: int,
        numbering: list[Numbering],
        own: bool,
    ) -> None:
        """``own``: the heading above says how these headings are numbered (its 'numbering')."""
        levels = len(numbering)
        for index, block in enumerate(blocks):
            if not isinstance(block, Heading):
                continue
            if not own and depth >= levels and numbering[-1] != "nested":
                scheme = ", ".join(NUMBERING_LABELS[style] for style in numbering)
                if isinstance(as_source(self.loaded.source), YamlSource):
                    fix = (
                        f"Đưa đề mục này lên cấp {levels} hoặc cao hơn (bớt thụt đầu dòng), hoặc viết nó "
                        "thành đoạn văn hay danh sách 'list'; cần thêm cấp thì ghi trường 'numbering' có "
                        "thêm cấp, ví dụ numbering: [roman, decimal, nested, letter]."
                    )
                else:
                    fix = (
                        f"Sửa cấp của đề mục này thành {levels} hoặc nhỏ hơn, hoặc đổi loại dòng thành đoạn "
                        "văn hay gạch đầu dòng; cần thêm cấp thì ghi ô Cách đánh số đề mục ở sheet Thông tin "
                        "chung có thêm cấp, ví dụ I., 1., 1.1., a)."
                    )
                self.add(
                    f"Đề mục “{excerpt(block.heading)}” ở cấp {depth + 1}, nhưng cách đánh số đề mục chỉ có "
                    f"{levels} cấp ({scheme}): mọi đề mục từ cấp {levels + 1} sẽ bị đánh số như cấp "
                    f"{levels}.",
                    (*path, index),
                    fix,
                )
                continue
            self.nested(
                block.content, (*path, index, "content"), depth + 1, numbering, block.numbering is not None
            )

    def table_width(self, table: Table, path: tuple[str | int, ...]) -> None:
        width = len(table.leaves)
        for index, row in enumerate(table.rows):
            if len(row) > width:
                columns = ", ".join(f"“{excerpt(column)}”" for column in table.leaves)
                self.add(
                    f"Dòng {index + 1} của bảng có {len(row)} ô nhưng bảng chỉ có {width} cột ({columns}): "
                    "bảng in ra sẽ lệch cột.",
                    (*path, "rows", index),
                    "Thêm tên cột cho các ô thừa vào 'columns', hoặc bớt ô ở dòng này (ô để trống ghi \"\").",
                )


def last_block(report: Report) -> tuple[tuple[str | int, ...], Any]:
    """The last block the body prints, with its path: inside the last heading, the last list item."""
    path: tuple[str | int, ...] = ("sections", len(report.sections) - 1)
    block: Any = report.sections[-1]
    while True:
        if isinstance(block, Heading) and block.content:
            path, block = (*path, "content", len(block.content) - 1), block.content[-1]
        elif (
            isinstance(block, ListBlock) and isinstance(last := block.entries[-1], ListItem) and last.content
        ):
            path = (*path, "list", len(block.entries) - 1, "content", len(last.content) - 1)
            block = last.content[-1]
        else:
            return path, block


@dataclass(frozen=True)
class _StatedRate:
    ratio: str
    part: numbers.Number
    whole: numbers.Number
    verb: str
    rate_text: str
    rate: numbers.Number


def rates_in(text: str) -> Iterator[_StatedRate]:
    """Ratios stated with their rate in running text: "09/19 nhiệm vụ, đạt 47,37%", "1.421/1.601 hồ sơ,
    chiếm 88,76%". Dates (14/9/2026, "ngày 14/9") and document numbers (05/KH-UBND) are no ratios, and a
    rate after another figure ("quá hạn 11/1.129 hồ sơ, đúng hạn 99,03%") is not the ratio's."""
    for match in _STATED_RATE.finditer(text):
        part, whole, rate = (numbers.parse_number(match[name]) for name in ("part", "whole", "rate"))
        ratio = f"{match['part']}/{match['whole']}"
        yield _StatedRate(ratio, part, whole, match["verb"].lower(), f"{match['rate']}%", rate)


def stale_periods(loaded: LoadedReport, body: Body | None = None) -> list[Problem]:
    """Warnings for the periods that the trích yếu, lead-ins, headings and paragraphs name but that are not
    this report's, as words carried over from the last report do (:func:`cchc_gen.vn.mentions.stale_period`).
    ``body``: the report's body as the other checks walked it."""
    report = loaded.report
    body = body or Body.of(loaded)
    ahead = [
        path for path, block in body.blocks if isinstance(block, Heading) and _AHEAD.search(block.heading)
    ]
    titles = [(("title", i), line, Mentions(plain(line))) for i, line in enumerate(report.title or [])]
    problems = []
    for path, _, mentions in [*titles, *body.texts]:
        heading = path[-1] == "heading"
        named_periods = mentions.periods(heading)
        if not named_periods:  # most text
            continue
        looks_ahead = any(path[: len(section)] == section for section in ahead)
        meant = report.period.next if looks_ahead else report.period
        reported: set[Period] = set()
        for mention in named_periods:
            named = stale_period(mention, report.period, looks_ahead)
            if named is None or named in reported:
                continue
            reported.add(named)
            what = "Trích yếu" if path[0] == "title" else "Đề mục" if heading else "Đoạn văn"
            shown = f"“{mention.text}”"
            if fold(mention.text) != fold(named.label):
                shown += f" ({named.label})"
            instead = f"kỳ tới ({meant.label})" if looks_ahead else f"kỳ báo cáo {meant.label}"
            problems.append(
                Problem(
                    f"{what} nhắc đến {shown}, không phải {instead}.",
                    loaded.file,
                    loaded.where(path),
                    f"Câu chép từ báo cáo kỳ trước thì sửa lại theo {meant.label}; đúng là nói về "
                    f"{named.label} thì bỏ qua cảnh báo này.",
                    Severity.WARNING,
                )
            )
    return problems


@dataclass(frozen=True)
class Body:
    """A report's body walked once for all the checks: its blocks (:func:`iter_blocks`), and its texts
    (:func:`iter_texts`) each as typed and with the dates and periods it names, read as it reads
    (:func:`cchc_gen.model.inline.plain`)."""

    blocks: list[tuple[tuple[str | int, ...], Any]]
    texts: list[tuple[tuple[str | int, ...], str, Mentions]]

    @classmethod
    def of(cls, loaded: LoadedReport) -> Body:
        blocks = list(iter_blocks(loaded.report))
        texts = [(path, text, Mentions(plain(text))) for path, text in iter_texts(loaded, blocks)]
        return cls(blocks, texts)


def iter_texts(
    loaded: LoadedReport, blocks: list[tuple[tuple[str | int, ...], Any]]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every piece of narrative text of a report with its path in the data file; ``blocks``: the report's
    :func:`iter_blocks`."""
    report = loaded.report
    for i, text in enumerate(report.lead_in):
        yield ("lead_in", i), text
    if report.closing:
        yield ("closing",), report.closing
    for path, block in blocks:
        if isinstance(block, str):
            yield path, block
        elif isinstance(block, Heading):
            yield (*path, "heading"), block.heading
            if block.text:
                yield (*path, "text"), block.text
        elif isinstance(block, SubheadingBlock):
            yield (*path, "subheading"), block.subheading
        elif isinstance(block, ListBlock):
            for k, entry in enumerate(block.entries):
                # An item without sub-items is its text (already cleaned as a ListItem's text would be).
                yield (*path, "list", k), entry.text if isinstance(entry, ListItem) else entry
                for m, sub in enumerate(entry.sub if isinstance(entry, ListItem) else []):
                    yield (*path, "list", k, "sub", m), sub
        elif isinstance(block, NumberedBlock):
            for k, text in enumerate(block.numbered):
                yield (*path, "numbered", k), text
        elif isinstance(block, TableBlock):
            for r, row in enumerate(block.table.rows):
                for c, cell in enumerate(row):
                    yield (*path, "table", "rows", r, c), cell
        elif isinstance(block, ImageBlock) and block.caption:
            yield (*path, "caption"), block.caption


def iter_blocks(report: Report) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every section and block of the body, headings and list items before what they contain, with its
    path."""

    def walk(content: list[Any], path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
        for j, block in enumerate(content):
            yield (*path, j), block
            if isinstance(block, Heading):
                yield from walk(block.content, (*path, j, "content"))
            elif isinstance(block, ListBlock):
                for k, entry in enumerate(block.entries):
                    if isinstance(entry, ListItem):
                        yield from walk(entry.content, (*path, j, "list", k, "content"))

    yield from walk(report.sections, ("sections",))


def fill_placeholders(text: str, figures: Figures) -> str:
    """Replace ``{code}``, ``{code:dem}`` and ``{part/whole}`` with the figures (checked beforehand)."""
    if "{" not in text:  # most text quotes no figure
        return text

    def replace(match: re.Match[str]) -> str:
        code, whole, style = match.groups()
        value = figures.values[code]
        if whole:
            return f"{numbers.pad_count(value)}/{numbers.pad_count(figures.values[whole])}"
        if style == "dem":
            return numbers.pad_count(value)
        return figures.quoted(code)

    return PLACEHOLDER.sub(replace, text)


def _entered(raw: Any, typed: numbers.Typed) -> str:
    """What was entered, as a Vietnamese reader reads it: text as typed, a number in Vietnamese notation."""
    return excerpt(raw.strip()) if isinstance(raw, str) else numbers.format_number(typed.number)


def _whole_number_fix(number: numbers.Number, typed: numbers.Typed) -> str:
    """How to type a count that came with a decimal part. A number that was not typed as text and has at
    most three decimals is what "1.601" becomes where the dot is the decimal sign (Excel set to English,
    a number in YAML without quotes)."""
    fix = "Nhập số nguyên, không có phần thập phân."
    if typed.text or numbers.decimal_places(number) > 3:
        return fix
    meant = int(number * 1000)
    return (
        f"Nếu ý là {numbers.format_number(meant)} ({numbers.read_number(meant)}) thì nhập {meant}, không "
        f"có dấu chấm: dấu chấm đã bị hiểu là dấu thập phân. {fix}"
    )


def outline_section(item: OutlineItem, headings: Sequence[tuple[str | None, str]]) -> int | None:
    """Which of the report's sections, given as (key, heading), fills the outline item: the one with its
    key, else the first whose heading has one of its words."""
    by_key = next((i for i, (key, _) in enumerate(headings) if key == item.key), None)
    if by_key is not None:
        return by_key
    return next((i for i, (_, heading) in enumerate(headings) if is_entry(item, heading)), None)


def _closest(code: str, catalogue: dict[str, Indicator]) -> str | None:
    found = difflib.get_close_matches(code, list(catalogue), n=1)
    return found[0] if found else None


def check_report(
    loaded: LoadedReport, profile: Profile, words: Callable[[str], str] | None = None
) -> Checked:
    """All problems of one report (errors and warnings), and its figures with the derived ones.

    ``words`` says a text field of the profile for this report (the outline's titles may use
    ``{{ period.next_label }}``): :func:`cchc_gen.render.prepare.check_with_profile` gives it."""
    checker = _Checker(loaded, profile, words)
    checker.parse_figures()
    checker.apply_rules()
    checker.required_indicators()
    checker.narrative()
    checker.read_pictures()
    checker.outline()
    checker.shapes()
    checker.ending()
    stale = stale_periods(loaded, checker.body)
    return Checked(checker.figures, checker.problems + stale, checker.pictures)
