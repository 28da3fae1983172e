"""Template profiles: folders under ``templates/`` that a maintainer can copy and edit.

A profile folder holds:

- ``template.docx`` — the Word template (docxtpl tags), laid out per Nghị định 30;
- ``profile.yaml`` — the document type, default trích yếu and closing sentence, heading numbering,
  and the appendix (title lines and indicator catalogue);
- ``README.md`` — which circular it follows, valid from when, what changed.

Nothing in a profile is Python: adding one needs no code change. A data file names its profile; when it
does not, the profile is chosen by date (:func:`profile_name_for`): profiles of the same ``series`` (the
same kind of document) take over from one another on their ``valid_from`` date, so a new circular's
profile and the old one are both in use, each for its own periods.
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from cchc_gen.errors import InvalidValue, TemplateProblem, excerpt, shown
from cchc_gen.model.inline import plain
from cchc_gen.model.report import Column, Heading, Level, NonEmptyText, Numbering, Report, Text, leaf_columns
from cchc_gen.paths import PROFILE_FILE, TEMPLATE_FILE, template_folders
from cchc_gen.source.safety import check_template
from cchc_gen.source.schema_errors import problems_from_validation
from cchc_gen.source.yaml_file import load_yaml
from cchc_gen.vn.dates import parse_date
from cchc_gen.vn.periods import Period

DEFAULT_PROFILE = "bao-cao-dinh-ky"


IndicatorType = Literal["integer", "decimal", "percentage", "money", "code", "text"]
_CODED_UNIT = re.compile(r"(\S.*?)\s*=\s*(\d+)")


class Indicator(BaseModel):
    """One row of the indicator appendix; a row with ``items`` is a group (its STT has children).

    ``type`` may be left out: a unit of "%" makes a percentage, a unit listing answers
    ("Chưa = 0 Hoàn thành = 1") a coded answer, anything else a whole number.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str | None = None
    label: NonEmptyText
    unit: Text = ""
    type: IndicatorType | None = None
    codes: dict[int, NonEmptyText] = {}
    required: bool = False
    levels: list[Level] = []
    note: Text = ""
    breakdown: bool = False
    # How a roll-up carries the figure up: "sum" adds the units' figures (the default); "same" is for a
    # figure every unit reports alike (the province's decisions: procedures in force, published…), which
    # the level above takes as it is when the units agree. Given on a group, it holds for its items.
    aggregate: Literal["sum", "same"] | None = None
    items: list[Indicator] = []

    @property
    def plain_label(self) -> str:
        """The label as it reads, without its emphasis (for messages and workbooks)."""
        return plain(self.label)

    @model_validator(mode="after")
    def _infer_type(self) -> Indicator:
        if self.type is None:
            coded = dict((int(n), answer) for answer, n in _CODED_UNIT.findall(self.unit))
            kind = "percentage" if self.unit == "%" else "code" if coded else "integer"
            object.__setattr__(self, "type", kind)
            if coded and not self.codes:
                object.__setattr__(self, "codes", coded)
        if self.type == "code" and not self.codes:
            raise InvalidValue(
                "chỉ tiêu kiểu 'code' phải liệt kê các giá trị trong 'codes'",
                "Thêm 'codes' cho chỉ tiêu, ví dụ codes: {0: Không, 1: Có}, hoặc ghi các giá trị vào 'unit' "
                "theo dạng 'Không = 0 Có = 1'.",
            )
        if self.aggregate is not None and self.items:
            object.__setattr__(self, "items", [_inherit(item, self.aggregate) for item in self.items])
        return self


def _inherit(indicator: Indicator, aggregate: Literal["sum", "same"]) -> Indicator:
    """``indicator`` with its group's way of rolling up, unless it has its own."""
    if indicator.aggregate is not None:
        return indicator
    items = [_inherit(item, aggregate) for item in indicator.items]
    return indicator.model_copy(update={"aggregate": aggregate, "items": items})


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    message: NonEmptyText | None = None
    levels: list[Level] = []


class SumRule(_Rule):
    """``total`` equals the sum of ``parts``; computed when the data leaves it empty."""

    kind: Literal["sum"]
    total: str
    parts: list[str] = Field(min_length=2)

    def codes(self) -> list[str]:
        return [self.total, *self.parts]


class NotMoreRule(_Rule):
    """``left`` ≤ ``right`` (done ≤ planned)."""

    kind: Literal["le"]
    left: str
    right: str

    def codes(self) -> list[str]:
        return [self.left, self.right]


class RateRule(_Rule):
    """``target`` (a percentage) = sum of ``part`` / ``whole`` × 100; computed when left empty."""

    kind: Literal["rate"]
    target: str
    part: list[str] = Field(min_length=1)
    whole: str

    def codes(self) -> list[str]:
        return [self.target, *self.part, self.whole]

    @model_validator(mode="before")
    @classmethod
    def _one_part(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("part"), str):
            return {**data, "part": [data["part"]]}
        return data


Rule = Annotated[SumRule | NotMoreRule | RateRule, Discriminator("kind")]


class OutlineItem(BaseModel):
    """A section of the outline (đề cương), the unit levels at which it is required, and the items it has
    (the numbered headings directly inside it, matched among that section's headings)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    title: NonEmptyText
    # Words that identify the section in a report whose title differs ("chỉ đạo"); default: the title.
    match: list[NonEmptyText] = []
    required: list[Level] = []
    # What belongs in the section, in a sentence: the web form shows it under the section's heading.
    hint: Text = ""
    items: list[OutlineItem] = []


@dataclass(frozen=True)
class OutlineMatch:
    """A heading of a report that is an entry of the outline, and its path in the data."""

    item: OutlineItem
    heading: Heading
    path: tuple[str | int, ...]


def fold(text: str) -> str:
    """Text compared as a reader compares it: case and spacing do not matter."""
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


# A field in a profile's text ("Phương hướng, nhiệm vụ {{ period.next_label }}"): any words, in a report.
_FIELD = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def _wording(title: str) -> re.Pattern[str]:
    """The words of an outline title, as a pattern a heading's folded words are matched with: the fields
    it uses stand for any words."""
    parts = [re.escape(fold(part)) for part in _FIELD.split(title)]
    return re.compile(".+?".join(parts))


def same_wording(written: str, title: str) -> bool:
    """Whether a heading says what an outline title says (its fields said for some period)."""
    return _wording(title).fullmatch(fold(written)) is not None


def shown_title(title: str) -> str:
    """An outline title as a message shows it, its fields as "…"."""
    return " ".join(_FIELD.sub("…", title).split())


def is_entry(item: OutlineItem, heading: str) -> bool:
    """Whether a heading that has no key of the outline has the words of the outline entry ``item``."""
    if item.match:
        return any(fold(word) in fold(heading) for word in item.match)
    return _wording(item.title).search(fold(heading)) is not None


def match_outline(
    headings: list[Any], outline: list[OutlineItem], path: tuple[str | int, ...] = ("sections",)
) -> list[OutlineMatch]:
    """The headings of ``headings`` (a report's sections, or a heading's content) that are entries of
    ``outline``, and inside them the entries' items, in outline order.

    A heading is an entry when it has the entry's ``key``, or, without a key of the outline, when its words
    hold one of the entry's ``match`` words (its title when it has none). Each heading is one entry at most.
    """
    keys = {item.key for item in outline}
    candidates = [(i, h) for i, h in enumerate(headings) if isinstance(h, Heading)]
    taken: set[int] = set()
    found: list[OutlineMatch] = []
    for item in outline:
        index = next((i for i, h in candidates if i not in taken and h.key == item.key), None)
        if index is None:
            index = next(
                (
                    i
                    for i, h in candidates
                    if i not in taken and h.key not in keys and is_entry(item, h.heading)
                ),
                None,
            )
        if index is None:
            continue
        taken.add(index)
        heading = headings[index]
        found.append(OutlineMatch(item, heading, (*path, index)))
        found += match_outline(heading.content, item.items, (*path, index, "content"))
    return found


class Appendix(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    heading: NonEmptyText = "Phụ lục"
    title: list[NonEmptyText] = Field(min_length=1)
    # STT, chỉ tiêu, đơn vị tính, số liệu, ghi chú; a group ("Kết quả thống kê" over "Đơn vị tính", "Số
    # liệu") makes a header of two rows.
    columns: list[Column] = ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"]
    indicators: list[Indicator] = Field(min_length=1)

    @field_validator("columns")
    @classmethod
    def _five_columns(cls, columns: list[Any]) -> list[Any]:
        if len(leaf_columns(columns)) != 5:
            raise ValueError(
                "phụ lục chỉ tiêu có đúng 5 cột: STT, chỉ tiêu, đơn vị tính, số liệu, ghi chú (một nhóm cột "
                "tính theo số cột của nó)"
            )
        return columns


def _valid_from(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return parse_date(value)  # its DateParseError is a ValueError, with a fix


ValidFrom = Annotated[date | None, BeforeValidator(_valid_from)]


class ProfileSpec(BaseModel):
    """The contents of ``profile.yaml``; text fields may use Jinja (``{{ period.label }}``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: NonEmptyText
    # The kind of document; profiles of one series replace one another by date (see profile_name_for).
    series: NonEmptyText | None = None
    # First day the profile applies to (the circular's effective date); without it, only by name.
    valid_from: ValidFrom = None
    type_name: NonEmptyText = "BÁO CÁO"
    type_abbreviation: NonEmptyText = "BC"
    title: NonEmptyText
    closing: NonEmptyText
    numbering: list[Numbering] = Field(default=["roman", "decimal", "letter"], min_length=1)
    # Places a percentage is printed with, and a rate computed and checked with (rounded half up; trailing
    # zeros are not printed: 47,37%, 50,5%, 100%).
    rate_decimals: int = Field(default=2, ge=0, le=6)
    outline: list[OutlineItem] = []
    # A line "(số liệu tính từ … đến …)" under the trích yếu of every report (a data file may say otherwise).
    data_window: bool = False
    appendix: Appendix | None = None
    rules: list[Rule] = []

    def indicators(self) -> dict[str, Indicator]:
        """Every indicator that has a code, by code."""
        found: dict[str, Indicator] = {}
        stack = list(self.appendix.indicators) if self.appendix else []
        while stack:
            indicator = stack.pop()
            if indicator.code:
                found[indicator.code] = indicator
            stack.extend(indicator.items)
        return found

    @model_validator(mode="after")
    def _rules_name_indicators(self) -> ProfileSpec:
        known = self.indicators()
        for index, rule in enumerate(self.rules, start=1):
            for code in rule.codes():
                if code not in known:
                    raise InvalidValue(
                        f"quy tắc thứ {index} dùng chỉ tiêu '{excerpt(code)}' không có trong danh mục",
                        "Sửa mã chỉ tiêu trong quy tắc cho đúng 'code' của một chỉ tiêu, hoặc thêm chỉ tiêu "
                        "đó vào danh mục.",
                    )
        return self


class Profile:
    """A loaded profile: its folder, its spec, and the path of its Word template."""

    def __init__(self, folder: Path, spec: ProfileSpec) -> None:
        self.folder = folder
        self.spec = spec

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def template_path(self) -> Path:
        return self.folder / TEMPLATE_FILE


def find_profile(name: str) -> Path | None:
    """The folder of the profile ``name``: the first of :func:`~cchc_gen.paths.template_folders` that
    holds ``<name>/profile.yaml`` (the user's own profiles before the bundled ones); None when none does."""
    if "/" in name or "\\" in name or name.startswith(".") or len(name) > 100 or not name.isprintable():
        return None  # not a folder name: a path, a page pasted in, a control character
    for root in template_folders():
        folder = root / name
        if (folder / PROFILE_FILE).is_file():
            return folder
    return None


def profile_folder(name: str) -> Path:
    """The folder of the profile ``name`` (:func:`find_profile`); it must be there."""
    folder = find_profile(name)
    if folder is None:
        roots = " và ".join(shown(root) for root in template_folders())
        available = [p.name for p in available_profiles()]
        raise TemplateProblem.single(
            f"Không có bộ mẫu '{excerpt(name)}' trong thư mục {roots}.",
            fix=f"Dùng một trong các bộ mẫu: {', '.join(available) or '(chưa có bộ mẫu nào)'}.",
        )
    return folder


def load_profile(name: str | None) -> Profile:
    """Load the profile folder ``name`` (the default profile when ``None``)."""
    name = name or DEFAULT_PROFILE
    folder = profile_folder(name)
    file = folder / PROFILE_FILE
    status = file.stat()
    spec = _spec(file, (status.st_mtime_ns, status.st_size))
    if not (folder / TEMPLATE_FILE).is_file():
        raise TemplateProblem.single(
            f"Bộ mẫu '{name}' thiếu tệp {TEMPLATE_FILE}.",
            file=folder,
            fix=f"Đặt tệp Word mẫu vào {shown(folder / TEMPLATE_FILE)}.",
        )
    check_template(folder / TEMPLATE_FILE)
    return Profile(folder, spec)


@functools.lru_cache(maxsize=32)
def _spec(file: Path, stamp: tuple[int, int]) -> ProfileSpec:
    """The validated profile.yaml; ``stamp`` (mtime, size) renews the cache entry when the file changes, so
    that a run reading many reports (or a profile's every outline, to choose one) parses it once."""
    document = load_yaml(file)
    try:
        return ProfileSpec.model_validate(document.data)
    except ValidationError as exc:
        raise TemplateProblem(problems_from_validation(exc, document)) from None


class Validity(BaseModel):
    """The part of ``profile.yaml`` that choosing a profile by date reads."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    series: str | None = None
    valid_from: ValidFrom = None


@functools.lru_cache(maxsize=32)
def _validity(file: Path, stamp: tuple[int, int]) -> Validity:
    """``series`` and ``valid_from`` of a profile.yaml; ``stamp`` (mtime, size) renews the cache entry
    when the file changes, so a batch reads each profile once."""
    document = load_yaml(file)
    if not isinstance(document.data, dict):
        return Validity()
    try:
        return Validity.model_validate(document.data)
    except ValidationError as exc:
        raise TemplateProblem(problems_from_validation(exc, document)) from None


def profile_folders(root: Path) -> list[Path]:
    """The profile folders under ``root``, by name."""
    return sorted(p for p in root.iterdir() if not p.name.startswith(".") and (p / PROFILE_FILE).is_file())


def available_profiles() -> list[Path]:
    """Every profile that :func:`find_profile` can find, by name: a profile of the user's own folder
    hides the bundled one of the same name."""
    found: dict[str, Path] = {}
    for root in template_folders():
        if root.is_dir():
            for folder in profile_folders(root):
                found.setdefault(folder.name, folder)
    return [found[name] for name in sorted(found)]


def profile_validity(folder: Path) -> Validity:
    """``series`` and ``valid_from`` of the profile in ``folder``."""
    file = folder / PROFILE_FILE
    status = file.stat()
    return _validity(file, (status.st_mtime_ns, status.st_size))


def period_end(period: Period) -> date:
    """The last day of the period's last month."""
    end = period.window[1]
    return date(end.year, end.month, calendar.monthrange(end.year, end.month)[1])


def profile_name_for(named: str | None, period: Period) -> str:
    """The profile a report is laid out with.

    The one its data file names; otherwise, among the profiles of the default profile's series that
    declare ``valid_from``, the newest valid on the period's last day; the default profile when none is.
    """
    if named:
        return named
    default = find_profile(DEFAULT_PROFILE)
    if default is None:
        return DEFAULT_PROFILE
    series = profile_validity(default).series
    if series is None:
        return DEFAULT_PROFILE
    end = period_end(period)
    candidates: dict[date, list[str]] = {}
    for folder in available_profiles():
        validity = profile_validity(folder)
        if validity.series == series and validity.valid_from is not None and validity.valid_from <= end:
            candidates.setdefault(validity.valid_from, []).append(folder.name)
    if not candidates:
        return DEFAULT_PROFILE
    newest = max(candidates)
    if len(candidates[newest]) > 1:
        names = ", ".join(candidates[newest])
        raise TemplateProblem.single(
            f"Các bộ mẫu {names} cùng loại '{series}' và cùng áp dụng từ {newest:%d/%m/%Y}: không biết "
            f"dùng bộ nào cho kỳ {period.label}.",
            file=find_profile(candidates[newest][0]),
            fix="Sửa 'valid_from' trong profile.yaml của một bộ mẫu, hoặc ghi 'profile:' trong tệp dữ liệu.",
        )
    return candidates[newest][0]


def profile_for(report: Report) -> Profile:
    """The profile ``report`` is laid out with (:func:`profile_name_for`), loaded."""
    return load_profile(profile_name_for(report.profile, report.period))
