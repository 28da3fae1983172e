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
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import TemplateProblem
from .model import NonEmptyText, Numbering, Text
from .schema_errors import problems_from_validation
from .yamlsource import load_yaml

DEFAULT_PROFILE = "bao-cao-dinh-ky"
TEMPLATE_FILE = "template.docx"
PROFILE_FILE = "profile.yaml"


class Indicator(BaseModel):
    """One row of the indicator appendix; a row with ``items`` is a group (its STT has children)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str | None = None
    label: NonEmptyText
    unit: Text = ""
    note: Text = ""
    breakdown: bool = False
    items: list[Indicator] = []


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
    appendix: Appendix | None = None


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
    return Profile(folder, spec)
