"""A report's data checked as it stands in the workspace, and what changed between two versions.

A draft may be incomplete or wrong — saving it is allowed, producing it is not — so its check must say
everything at once, as ``cchc kiem-tra`` does: the model's problems (a date that is no date, an empty
heading) and the checks of the profile (sums, rates, required sections). When the model refuses some values,
the profile's checks still run on the rest: the refused values are left out for them.

Every problem is placed at the form's field that holds its value (:func:`~.form.field_anchor`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cchc_gen.errors import Problem, Severity
from cchc_gen.model.check import Checked, Figures
from cchc_gen.model.profile import (
    PROFILE_FILE,
    TEMPLATE_FILE,
    Profile,
    load_profile,
    profile_folder,
    profile_name_for,
)
from cchc_gen.model.report import Unit
from cchc_gen.render.docx import make_environment
from cchc_gen.render.prepare import check_with_profile
from cchc_gen.source.loading import InvalidReport, LoadedReport, load_registry, load_report_data
from cchc_gen.vn.periods import Period
from cchc_gen.workspace.form import (
    LABELS,
    SIGNER_LABELS,
    FormLayout,
    FormSource,
    field_anchor,
    form_fields,
    form_values,
)


@dataclass
class DraftCheck:
    """The problems of one version of a report, and its figures with the derived ones (``None`` when the
    report could not be checked that far)."""

    problems: list[Problem]
    figures: Figures | None = None
    loaded: LoadedReport | None = None
    checked: Checked | None = None
    by_field: dict[str, list[Problem]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for problem in self.problems:
            self.by_field.setdefault(field_anchor(problem.path), []).append(problem)

    @property
    def errors(self) -> int:
        return sum(p.severity == Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors


def _stamp(file: Path) -> tuple[int, int]:
    status = file.stat()
    return status.st_mtime_ns, status.st_size


@functools.lru_cache(maxsize=8)
def _registry(file: Path, stamp: tuple[int, int]) -> dict[str, Unit]:
    return load_registry(file)


def registry(file: Path) -> dict[str, Unit]:
    """The unit registry, read again only when the file changes (every page needs it)."""
    try:
        stamp = _stamp(file)
    except OSError:
        return load_registry(file)  # says what is wrong with the file
    return _registry(file, stamp)


@functools.lru_cache(maxsize=16)
def _profile(name: str, stamps: tuple[tuple[int, int], ...]) -> Profile:
    return load_profile(name)


def cached_profile(named: str | None, period: Period) -> Profile:
    """The report's profile, read again only when its profile.yaml or template.docx changes."""
    name = profile_name_for(named, period)
    folder = profile_folder(name)
    try:
        stamps = (_stamp(folder / PROFILE_FILE), _stamp(folder / TEMPLATE_FILE))
    except OSError:
        return load_profile(name)
    return _profile(name, stamps)


# The profile's texts the checks compare with (the outline's titles) are compiled once.
_ENV = make_environment()


def check_draft(
    data: Mapping[str, Any], file: Path, registry_file: Path, layout: FormLayout, profile: Profile
) -> DraftCheck:
    """Every problem of the report ``data`` (saved as ``file``: pictures are found beside it). Values the
    model refuses are reported, and the profile's checks run on the rest (as ``cchc kiem-tra`` does)."""
    source = FormSource(file, layout)
    try:
        loaded = load_report_data(dict(data), source, registry_file, registry(registry_file))
    except InvalidReport as exc:
        if exc.valid is None:
            return DraftCheck(exc.problems)
        checked = check_with_profile(exc.valid, profile, _ENV)
        return DraftCheck(exc.problems + checked.problems, checked.figures)
    checked = check_with_profile(loaded, profile, _ENV)
    return DraftCheck(checked.problems, checked.figures, loaded, checked)


# --- what changed ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A field whose value differs between two versions of a report."""

    label: str
    mine: str
    theirs: str


def changes(mine: Mapping[str, Any], theirs: Mapping[str, Any], layout: FormLayout) -> list[Change]:
    """The fields of the form that differ between two versions, in the form's order, labelled as the
    form labels them."""
    mine_fields = form_fields(form_values(mine, layout))
    their_fields = form_fields(form_values(theirs, layout))
    labels = _field_labels(layout)
    found = []
    for name in dict.fromkeys([*mine_fields, *their_fields]):
        if name.endswith((".kind", ".key", ".numbering")) or name == "appendix_shown":
            continue
        a, b = mine_fields.get(name, ""), their_fields.get(name, "")
        if a != b:
            found.append(Change(labels(name), a, b))
    return found


# The fields of a body block as a change names them.
_BLOCK_FIELD_LABELS = {
    "heading": "đề mục",
    "text": "chữ",
    "own_heading": "giữ nguyên tên đề mục",
    "columns": "tên cột",
    "rows": "các dòng",
    "widths": "chiều rộng cột",
    "number_column": "cột số thứ tự",
    "image": "ảnh",
    "caption": "chú thích ảnh",
    "width_cm": "chiều rộng ảnh",
}


def _field_labels(layout: FormLayout) -> Callable[[str], str]:
    rows = {row.code: row for row in layout.indicators if row.code}

    def label(name: str) -> str:
        head, _, rest = name.partition(".")
        if head in ("fig", "note"):
            row = rows.get(rest)
            what = f"{row.stt} {row.label}".strip() if row else rest
            return f"Số liệu: {what}" if head == "fig" else f"Ghi chú số liệu: {what}"
        if head == "signer":
            return f"{LABELS['signer']}: {SIGNER_LABELS.get(rest, rest)}"
        if head == "b":
            parts = rest.split(".")
            place = ", ".join(
                [f"mục {int(parts[0]) + 1}"] + [f"khối {int(p) + 1}" for p in parts[1:-1] if p.isdigit()]
            )
            kind = _BLOCK_FIELD_LABELS.get(parts[-1], parts[-1])
            return f"Nội dung, {place} ({kind})"
        return LABELS.get(head, name)

    return label
