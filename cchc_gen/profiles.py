"""Template profiles: folders under ``templates/`` that a maintainer can copy and edit.

A profile folder holds:

- ``template.docx`` — the Word template (docxtpl tags), laid out per Nghị định 30;
- ``profile.yaml`` — the document type, default trích yếu and closing sentence, heading numbering,
  and the appendix (title lines and indicator catalogue);
- ``README.md`` — which circular it follows, valid from when, what changed.

Nothing in a profile is Python: adding one needs no code change.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, ValidationError, model_validator

from .errors import TemplateProblem
from .model import Level, NonEmptyText, Numbering, Text
from .safety import check_archive
from .schema_errors import problems_from_validation
from .yamlsource import load_yaml

DEFAULT_PROFILE = "bao-cao-dinh-ky"
TEMPLATE_FILE = "template.docx"
PROFILE_FILE = "profile.yaml"


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
    items: list[Indicator] = []

    @model_validator(mode="after")
    def _infer_type(self) -> Indicator:
        if self.type is None:
            coded = dict((int(n), answer) for answer, n in _CODED_UNIT.findall(self.unit))
            kind = "percentage" if self.unit == "%" else "code" if coded else "integer"
            object.__setattr__(self, "type", kind)
            if coded and not self.codes:
                object.__setattr__(self, "codes", coded)
        if self.type == "code" and not self.codes:
            raise ValueError("chỉ tiêu kiểu 'code' phải liệt kê các giá trị trong 'codes'")
        return self


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
    """A section of the outline (đề cương) and the unit levels at which it is required."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    title: NonEmptyText
    # Words that identify the section in a report whose title differs ("chỉ đạo"); default: the title.
    match: list[NonEmptyText] = []
    required: list[Level] = []


class Appendix(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    heading: NonEmptyText = "Phụ lục"
    title: list[NonEmptyText] = Field(min_length=1)
    columns: Annotated[list[NonEmptyText], Field(min_length=5, max_length=5)] = [
        "STT",
        "Chỉ tiêu thống kê",
        "Đơn vị tính",
        "Số liệu",
        "Ghi chú",
    ]
    indicators: list[Indicator] = Field(min_length=1)


class ProfileSpec(BaseModel):
    """The contents of ``profile.yaml``; text fields may use Jinja (``{{ period.label }}``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: NonEmptyText
    type_name: NonEmptyText = "BÁO CÁO"
    type_abbreviation: NonEmptyText = "BC"
    title: NonEmptyText
    closing: NonEmptyText
    numbering: list[Numbering] = Field(default=["roman", "decimal", "letter"], min_length=1)
    outline: list[OutlineItem] = []
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
                    raise ValueError(f"quy tắc thứ {index} dùng chỉ tiêu '{code}' không có trong danh mục")
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


def templates_root() -> Path:
    """``$CCHC_TEMPLATES``, else ``templates/`` in the working folder, else the one beside the package."""
    if env := os.environ.get("CCHC_TEMPLATES"):
        return Path(env)
    local = Path.cwd() / "templates"
    if local.is_dir():
        return local
    return Path(__file__).resolve().parent.parent / "templates"


def load_profile(name: str | None) -> Profile:
    """Load the profile folder ``name`` (the default profile when ``None``)."""
    name = name or DEFAULT_PROFILE
    root = templates_root()
    folder = root / name
    if "/" in name or "\\" in name or name.startswith(".") or not (folder / PROFILE_FILE).is_file():
        available = sorted(p.name for p in root.glob("*") if (p / PROFILE_FILE).is_file())
        raise TemplateProblem.single(
            f"Không có bộ mẫu '{name}' trong thư mục {root}.",
            fix=f"Dùng một trong các bộ mẫu: {', '.join(available) or '(chưa có bộ mẫu nào)'}.",
        )
    document = load_yaml(folder / PROFILE_FILE)
    try:
        spec = ProfileSpec.model_validate(document.data)
    except ValidationError as exc:
        raise TemplateProblem(problems_from_validation(exc, document)) from None
    if not (folder / TEMPLATE_FILE).is_file():
        raise TemplateProblem.single(
            f"Bộ mẫu '{name}' thiếu tệp {TEMPLATE_FILE}.",
            file=folder,
            fix=f"Đặt tệp Word mẫu vào {folder / TEMPLATE_FILE}.",
        )
    check_archive(folder / TEMPLATE_FILE, "tệp Word mẫu")
    return Profile(folder, spec)
