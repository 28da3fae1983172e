"""The report as a form: what the web workspace shows a clerk, generated from the template profile.

Nothing here is written per profile. The general information follows the report model, prefilled with the
unit's defaults from the registry; the narrative is the report's own sections, each top-level one matched
to the profile's outline for its hint; the indicator table is the profile's catalogue, STT generated as in
the appendix, one input per indicator typed by the indicator's kind.

A form is flat text fields. :func:`form_values` writes a report's data into them, :func:`data_from_form`
reads them back into the data a YAML file holds: a value equal to the unit's or the profile's default is
left out, so the report keeps following the registry and the profile; a figure keeps what the clerk typed
unless it is a plain whole number. The body's fields are named by their place in the tree
(``b.0.3.text``: section 1, its 4th block), so that blocks added, moved or removed in the browser need no
more than renaming the fields in document order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from cchc_gen.errors import DataError
from cchc_gen.excel.convert import plain_data, report_yaml
from cchc_gen.excel.layout import indicator_rows
from cchc_gen.excel.write import derivations, how_to_fill
from cchc_gen.model.check import outline_section
from cchc_gen.model.profile import OutlineItem, Profile
from cchc_gen.model.report import MARKERS, Unit, short_form
from cchc_gen.render.context import expand_profile_text
from cchc_gen.render.docx import make_environment
from cchc_gen.source.yaml_file import PathKey, parse_yaml
from cchc_gen.vn import numbers
from cchc_gen.vn.periods import Period

MAX_BLOCKS = 5000
MAX_DEPTH = 8
# The fields of a body block, after its place: "b.0.3.text".
BLOCK_FIELDS = (
    "kind",
    "text",
    "heading",
    "key",
    "numbering",
    "own_heading",
    "columns",
    "rows",
    "number_column",
    "widths",
    "image",
    "caption",
    "width_cm",
)
_BODY_FIELD = re.compile(rf"^b\.((?:\d{{1,4}}\.)+)({'|'.join(BLOCK_FIELDS)})$")
_FIGURE_FIELD = re.compile(r"^fig\.([a-z0-9_]{1,60})$")
_TYPED_NUMBER = re.compile(r"^\s*\d+\s*[.)]\s+")
_CELL_SEPARATOR = re.compile(r"\s*[|\t]\s*")
_WHOLE = re.compile(r"^(?:0|[1-9]\d{0,17})$")
BLOCK_KINDS = {
    "p": "Đoạn văn",
    "list": "Danh sách “-”, “+”, “*”",
    "num": "Các đoạn đánh số 1., 2., …",
    "table": "Bảng",
    "image": "Ảnh",
    "sub": "Tiêu đề không số",
    "h": "Đề mục",
    # A block the form has no fields for (a list whose items hold tables or pictures): kept as the data file
    # writes it, to be edited in the data file or the workbook.
    "data": "Khối giữ nguyên",
}
# A list item in a list block's text: its marker ("•" as "-"; "*" only with a space after it, not to be
# taken for emphasis), after the spaces that say how deep it is (two a level).
_ITEM_LINE = re.compile(r"^(?:([-+•])\s*|(\*)\s+)(\S.*)$")
_MARKER_DEPTH = {marker: depth for depth, marker in enumerate(MARKERS, start=1)}
# A column group in a table's header field: "Số hồ sơ [Tiếp nhận; Đã giải quyết]".
_GROUP = re.compile(r"^(.+?)\s*\[(.+;.+)\]$")
NO_CLOSING = "Không"
AUTHORITIES = ("", "TM.", "KT.", "Q.", "TL.", "TUQ.")
SIGNER_FIELDS = ("authority", "on_behalf", "title", "own_position", "name")
# The keys a YAML data file writes, in the order the data files in data/ write them.
_ORDER = (
    "unit",
    "period",
    "profile",
    "number",
    "date",
    "title",
    "recipients",
    "lead_in",
    "numbering",
    "sections",
    "closing",
    "distribution",
    "archive",
    "signer",
    "figures",
    "figure_notes",
    "appendix",
    "appendices",
)
# What the form edits; the rest of a report's data (its profile, numbering, further appendix tables) is
# carried over unchanged from the version the form was opened on.
_EDITED = {
    "number",
    "date",
    "title",
    "data_window",
    "recipients",
    "lead_in",
    "sections",
    "closing",
    "distribution",
    "archive",
    "signer",
    "figures",
    "figure_notes",
    "appendix",
}
LABELS = {
    "number": "Số văn bản",
    "date": "Ngày ban hành",
    "title": "Trích yếu",
    "recipients": "Kính gửi",
    "lead_in": "Các đoạn mở đầu (căn cứ)",
    "closing": "Câu kết",
    "distribution": "Nơi nhận",
    "archive": "Lưu",
    "signer": "Người ký",
    "figures": "Bảng số liệu",
    "figure_notes": "Ghi chú số liệu",
    "sections": "Nội dung báo cáo",
    "unit": "Đơn vị",
    "period": "Kỳ báo cáo",
    "profile": "Bộ mẫu",
    "numbering": "Cách đánh số đề mục",
    "appendix": "Phụ lục số liệu",
    "data_window": "Dòng thời gian số liệu dưới trích yếu",
    "appendices": "Phụ lục khác",
}
SIGNER_LABELS = {
    "authority": "Quyền hạn ký",
    "on_behalf": "Ký thay mặt (tập thể hoặc người đứng đầu)",
    "title": "Chức vụ người ký",
    "own_position": "Chức vụ riêng (nếu có)",
    "name": "Họ và tên người ký",
}


# The profile's texts (trích yếu, closing) are compiled once, not at each page.
_ENV = make_environment()


class FormError(DataError):
    """What the browser sent is not a form the workspace wrote (cut short, or made by hand)."""

    @classmethod
    def malformed(cls, detail: str) -> FormError:
        return cls.single(
            f"Dữ liệu trình duyệt gửi lên không đúng dạng của biểu mẫu ({detail}).",
            fix="Tải lại trang báo cáo rồi nhập lại phần vừa sửa; nếu vẫn lỗi, báo người quản trị.",
        )


# --- the layout: from the profile -------------------------------------------------------------------


@dataclass(frozen=True)
class OutlineEntry:
    """A section of the profile's outline, as the form shows it above the section's content."""

    item: OutlineItem
    required: bool

    @property
    def key(self) -> str:
        return self.item.key

    @property
    def title(self) -> str:
        return self.item.title

    @property
    def hint(self) -> str:
        return self.item.hint


@dataclass(frozen=True)
class IndicatorField:
    """One row of the indicator table: STT, label, unit and how the value is typed."""

    stt: str
    label: str
    unit: str
    code: str | None
    kind: str
    choices: tuple[tuple[str, str], ...]
    depth: int
    note: str
    hint: str
    derived: bool
    applies: bool


@dataclass(frozen=True)
class Defaults:
    """What the report says when the clerk types nothing: the profile's texts and the unit's registry."""

    title: tuple[str, ...]
    closing: str
    recipients: tuple[str, ...]
    distribution: tuple[str, ...]
    archive: tuple[str, ...]
    signer: dict[str, str]


@dataclass(frozen=True)
class FormLayout:
    """The form of one unit's report for one period, generated from the profile."""

    profile: str
    outline: tuple[OutlineEntry, ...]
    indicators: tuple[IndicatorField, ...]
    defaults: Defaults

    @property
    def kinds(self) -> dict[str, str]:
        return {row.code: row.kind for row in self.indicators if row.code}


def form_layout(profile: Profile, unit: Unit, period: Period) -> FormLayout:
    """The form of ``unit``'s report for ``period`` laid out with ``profile``."""
    spec = profile.spec
    env = _ENV
    derived = derivations(profile, unit.level)
    rows: list[IndicatorField] = []
    for row in indicator_rows(spec.appendix.indicators if spec.appendix else []):
        indicator = row.indicator
        code = indicator.code
        kind = indicator.type or "integer"
        rows.append(
            IndicatorField(
                stt=row.stt,
                label=indicator.label,
                unit=indicator.unit,
                code=code,
                kind=kind,
                choices=tuple((str(n), answer) for n, answer in sorted(indicator.codes.items())),
                depth=row.depth,
                note=indicator.note,
                hint=how_to_fill(indicator, derived.get(code or "")) if code else "",
                derived=bool(code and code in derived),
                applies=not indicator.levels or unit.level in indicator.levels,
            )
        )
    outline = tuple(OutlineEntry(item, unit.level in item.required) for item in spec.outline)
    defaults = Defaults(
        title=(expand_profile_text(spec.title, unit, period, profile, env),),
        closing=expand_profile_text(spec.closing, unit, period, profile, env),
        recipients=tuple(unit.recipients),
        distribution=tuple(unit.distribution),
        archive=tuple(unit.archive),
        signer={name: getattr(unit.signer, name) for name in SIGNER_FIELDS},
    )
    return FormLayout(profile.name, outline, tuple(rows), defaults)


# --- data → form ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BodyRow:
    """One step through the narrative, in document order, so that a page shows the tree in one loop:
    a heading opens (its own fields), its content follows, then it closes; other blocks stand alone."""

    event: Literal["open", "close", "block"]
    path: str
    kind: str
    depth: int
    values: dict[str, str]
    outline: OutlineEntry | None = None

    @property
    def prefix(self) -> str:
        return f"b.{self.path}."


@dataclass(frozen=True)
class FormValues:
    """A report's data as the form's fields hold it."""

    general: dict[str, str]
    figures: dict[str, str]
    notes: dict[str, str]
    body: list[BodyRow]
    # Outline sections no section of the report fills yet, to be added.
    missing_outline: list[OutlineEntry]
    # Figures whose code is not in the profile's catalogue (an error the clerk clears in the form).
    stray_figures: list[str]


def _lines(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return "\n".join(str(item) for item in value)


def figure_text(value: Any) -> str:
    """A figure as the clerk sees it in the form: whole numbers and decimals in Vietnamese notation,
    text as it was typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        try:
            return numbers.format_number(value)
        except ValueError:
            return str(value)
    return str(value)


def form_values(data: Mapping[str, Any], layout: FormLayout) -> FormValues:
    """The fields of the form for the report ``data`` (the structure of a YAML data file)."""
    defaults = layout.defaults
    signer = data.get("signer") if isinstance(data.get("signer"), dict) else None
    title = data.get("title")
    general = {
        "number": "" if data.get("number") is None else str(data["number"]),
        "date": "" if data.get("date") is None else str(data["date"]),
        "title": _lines(title) if title else _lines(defaults.title),
        "recipients": _lines(
            data["recipients"] if data.get("recipients") is not None else defaults.recipients
        ),
        "lead_in": _lines(data.get("lead_in")),
        "closing": NO_CLOSING if data.get("closing") is False else data.get("closing") or defaults.closing,
        "distribution": _lines(
            data["distribution"] if data.get("distribution") is not None else defaults.distribution
        ),
        "archive": ", ".join(data["archive"] if data.get("archive") is not None else defaults.archive),
        "appendix": "" if data.get("appendix") is False else "1",
        # "": as the profile says; "1" printed; "0" not printed.
        "data_window": "1"
        if data.get("data_window") is True
        else "0"
        if data.get("data_window") is False
        else "",
    }
    for name in SIGNER_FIELDS:
        general[f"signer.{name}"] = str((signer or defaults.signer).get(name) or "")
    raw_figures = _mapping(data.get("figures"))
    raw_notes = _mapping(data.get("figure_notes"))
    known = layout.kinds
    found = data.get("sections")
    sections: list[Any] = found if isinstance(found, list) else []
    body = list(_body_rows(sections, layout))
    headings = [(s.get("key"), str(s.get("heading") or "")) for s in sections if isinstance(s, dict)]
    missing = [entry for entry in layout.outline if _outline_index(entry, headings) is None]
    return FormValues(
        general=general,
        figures={str(code): figure_text(value) for code, value in raw_figures.items()},
        notes={str(code): str(note) for code, note in raw_notes.items() if note is not None},
        body=body,
        missing_outline=missing,
        stray_figures=[str(code) for code in raw_figures if code not in known],
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _outline_index(entry: OutlineEntry, headings: list[tuple[str | None, str]]) -> int | None:
    return outline_section(entry.item, headings)


def _body_rows(sections: list[Any], layout: FormLayout) -> Iterator[BodyRow]:
    headings = [(s.get("key"), str(s.get("heading") or "")) for s in sections if isinstance(s, dict)]
    matched: dict[int, OutlineEntry] = {}
    for entry in layout.outline:
        index = _outline_index(entry, headings)
        if index is not None and index not in matched:
            matched[index] = entry
    for index, section in enumerate(sections):
        yield from _block_rows(section, str(index), 0, matched.get(index))


def _block_rows(block: Any, path: str, depth: int, outline: OutlineEntry | None = None) -> Iterator[BodyRow]:
    if isinstance(block, dict) and "heading" in block:
        values = {
            "heading": str(block.get("heading") or ""),
            "key": str(block.get("key") or ""),
            "numbering": str(block.get("numbering") or ""),
            "own_heading": "1" if block.get("own_heading") else "",
            "text": str(block.get("text") or ""),
        }
        yield BodyRow("open", path, "h", depth, values, outline)
        for index, child in enumerate(block.get("content") or []):
            yield from _block_rows(child, f"{path}.{index}", depth + 1)
        yield BodyRow("close", path, "h", depth, values, outline)
        return
    kind, values = _block_values(block)
    yield BodyRow("block", path, kind, depth, values)


def _block_values(block: Any) -> tuple[str, dict[str, str]]:
    if isinstance(block, dict):
        if "list" in block:
            lines = _list_lines(block, 1)
            if lines is None:
                return "data", {"text": report_yaml(block)}
            return "list", {"text": "\n".join(lines)}
        if "numbered" in block:
            return "num", {"text": _lines(block.get("numbered"))}
        if "subheading" in block:
            return "sub", {"text": str(block.get("subheading") or "")}
        if "table" in block:
            table = block.get("table") or {}
            columns = [_column_text(c) for c in table.get("columns") or []]
            if None in columns:
                return "data", {"text": report_yaml(block)}
            number_column = table.get("number_column", "TT")
            widths = table.get("widths")
            return "table", {
                "columns": " | ".join(c for c in columns if c is not None),
                "rows": "\n".join(" | ".join(str(c) for c in row) for row in table.get("rows") or []),
                "number_column": "" if number_column is None else str(number_column),
                "widths": " | ".join(figure_text(w) for w in widths) if widths else "",
            }
        if "image" in block:
            width = block.get("width_cm")
            return "image", {
                "image": str(block.get("image") or ""),
                "caption": str(block.get("caption") or ""),
                "width_cm": "" if width is None else figure_text(width),
            }
    return "p", {"text": "" if block is None else str(block)}


def _list_lines(block: Mapping[str, Any], depth: int) -> list[str] | None:
    """A list ``depth`` lists deep as the lines of a list block's text: each item after its marker, indented
    two spaces a level where its marker alone would put it elsewhere; a paragraph of an item indented to the
    item's depth. ``None`` when an item holds what a line cannot say (a table, a picture)."""
    marker = block.get("marker") or MARKERS[(depth - 1) % len(MARKERS)]
    lead = "  " * (depth - 1) if _MARKER_DEPTH.get(marker) != depth else ""
    lines: list[str] = []
    for entry in block.get("list") or []:
        item = entry if isinstance(entry, dict) else {"text": entry}
        lines.append(f"{lead}{marker} {item.get('text') or ''}")
        if item.get("sub"):
            lines += _list_lines({"list": item["sub"]}, depth + 1) or []
        previous: Any = None
        for inner in item.get("content") or []:
            if isinstance(inner, str) and not _ITEM_LINE.match(inner):
                lines.append(f"{'  ' * depth}{inner}")
            elif isinstance(inner, dict) and "list" in inner and not _same_marker(inner, previous, depth + 1):
                nested = _list_lines(inner, depth + 1)
                if nested is None:
                    return None
                lines += nested
            else:
                return None
            previous = inner
    return lines


def _same_marker(block: Mapping[str, Any], previous: Any, depth: int) -> bool:
    """Whether a list follows a list of the same marker: read back, the two would be one list."""
    if not (isinstance(previous, dict) and "list" in previous):
        return False
    default = MARKERS[(depth - 1) % len(MARKERS)]
    return (block.get("marker") or default) == (previous.get("marker") or default)


def _column_text(column: Any) -> str | None:
    """A column of a table's header field: its name, or a group as "Số hồ sơ [Tiếp nhận; Đã giải quyết]"
    (``None`` for a group of one column, which that cannot say)."""
    if not isinstance(column, dict):
        return str(column)
    names = [str(name) for name in column.get("columns") or []]
    return f"{column.get('title') or ''} [{'; '.join(names)}]" if len(names) > 1 else None


def form_fields(values: FormValues) -> dict[str, str]:
    """The fields as the page's form sends them back when nothing is changed (the checkbox of the
    indicator appendix only when ticked)."""
    fields = {name: value for name, value in values.general.items() if name != "appendix"}
    fields["appendix_shown"] = "1"
    if values.general.get("appendix"):
        fields["appendix"] = "1"
    fields.update({f"fig.{code}": value for code, value in values.figures.items()})
    fields.update({f"note.{code}": note for code, note in values.notes.items()})
    for row in values.body:
        if row.event != "close":
            fields[f"{row.prefix}kind"] = row.kind
            fields.update({f"{row.prefix}{name}": value for name, value in row.values.items()})
    return fields


# --- form → data ----------------------------------------------------------------------------------


def _text(value: str | None) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


def _split_lines(value: str | None) -> list[str]:
    return [line for line in (" ".join(raw.split()) for raw in _text(value).splitlines()) if line]


def figure_value(text: str, kind: str) -> int | str | None:
    """What a figure typed in the form is stored as: a plain whole number ("4985", "4.985") as a number,
    anything else as typed ("02", "47,37", "có"), for the check to read in Vietnamese notation and the
    appendix to print as typed."""
    text = " ".join(_text(text).split())
    if not text:
        return None
    if kind in ("text",):
        return text
    if _WHOLE.match(text):
        return int(text)
    try:
        number = numbers.parse_number(text)
    except ValueError:
        return text
    if isinstance(number, int) and numbers.format_number(number) == text:
        return number
    return text


def data_from_form(form: Mapping[str, str], base: Mapping[str, Any], layout: FormLayout) -> dict[str, Any]:
    """The report's data from the form's fields; what the form does not edit comes from ``base`` (the
    version the form was opened on). Raises :class:`FormError` when the fields are not the form's."""
    defaults = layout.defaults
    found: dict[str, Any] = {k: v for k, v in base.items() if k not in _EDITED}
    number = _text(form.get("number"))
    if number:
        found["number"] = int(number) if number.isdigit() and len(number) < 10 else number
    date = _text(form.get("date"))
    if date:
        found["date"] = date
    title = _split_lines(form.get("title"))
    if title and tuple(title) != defaults.title:
        found["title"] = title
    window = _text(form.get("data_window"))
    if window in ("0", "1"):
        found["data_window"] = window == "1"
    for key in ("recipients", "distribution"):
        lines = _split_lines(form.get(key))
        if tuple(lines) != getattr(defaults, key):
            found[key] = lines
    if lead_in := _split_lines(form.get("lead_in")):
        found["lead_in"] = lead_in
    archive = [part for part in (" ".join(p.split()) for p in _text(form.get("archive")).split(",")) if part]
    if archive and tuple(archive) != defaults.archive:
        found["archive"] = archive
    closing = " ".join(_text(form.get("closing")).split())
    if closing.casefold() == NO_CLOSING.casefold():
        found["closing"] = False  # no closing sentence: the last paragraph carries the "./."
    elif closing and closing != defaults.closing:
        found["closing"] = closing
    signer = {name: " ".join(_text(form.get(f"signer.{name}")).split()) for name in SIGNER_FIELDS}
    if any(signer.values()) and signer != defaults.signer:
        found["signer"] = {name: value for name, value in signer.items() if value or name == "authority"}
    found["sections"] = _sections_from_form(form)
    figures, notes = _figures_from_form(form, layout)
    if figures:
        found["figures"] = figures
    if notes:
        found["figure_notes"] = notes
    if "appendix_shown" in form:
        if "appendix" not in form:
            found["appendix"] = False
    elif base.get("appendix") is False:
        found["appendix"] = False
    return ordered(found)


def ordered(data: Mapping[str, Any]) -> dict[str, Any]:
    """The keys of a report's data in the order the data files write them."""
    keys = [key for key in _ORDER if key in data] + [key for key in data if key not in _ORDER]
    return {key: data[key] for key in keys}


def _figures_from_form(form: Mapping[str, str], layout: FormLayout) -> tuple[dict[str, Any], dict[str, str]]:
    kinds = layout.kinds
    typed: dict[str, Any] = {}
    for name, text in form.items():
        if match := _FIGURE_FIELD.match(name):
            code = match[1]
            value = figure_value(text, kinds.get(code, "integer"))
            if value is not None:
                typed[code] = value
    order = [code for code in kinds if code in typed] + [code for code in typed if code not in kinds]
    notes = {}
    for code in [*kinds, *(c for c in typed if c not in kinds)]:
        note = " ".join(_text(form.get(f"note.{code}")).split())
        if note:
            notes[code] = note
    return {code: typed[code] for code in order}, notes


def _sections_from_form(form: Mapping[str, str]) -> list[Any]:
    nodes: dict[tuple[int, ...], dict[str, str]] = {}
    for name, value in form.items():
        if match := _BODY_FIELD.match(name):
            path = tuple(int(part) for part in match[1].rstrip(".").split("."))
            if len(path) > MAX_DEPTH:
                raise FormError.malformed("nội dung lồng quá nhiều cấp")
            nodes.setdefault(path, {})[match[2]] = value
    if len(nodes) > MAX_BLOCKS:
        raise FormError.malformed(f"quá {MAX_BLOCKS} khối nội dung")
    children: dict[tuple[int, ...], list[tuple[int, ...]]] = {}
    for path in sorted(nodes):
        if len(path) > 1 and path[:-1] not in nodes:
            raise FormError.malformed("một khối nội dung không thuộc mục nào")
        children.setdefault(path[:-1], []).append(path)

    def build(path: tuple[int, ...]) -> list[Any]:
        fields = nodes[path]
        kind = fields.get("kind")
        if kind not in BLOCK_KINDS:
            raise FormError.malformed("khối nội dung không rõ loại")
        if len(path) == 1 and kind != "h":
            raise FormError.malformed("mục lớn phải là một đề mục")
        if kind != "h" and path in children:
            raise FormError.malformed("chỉ đề mục mới chứa được khối khác")
        if kind == "h":
            content = [block for child in children.get(path, []) for block in build(child)]
            heading = " ".join(_text(fields.get("heading")).split())
            if not heading and not content and len(path) > 1:
                return []
            block: dict[str, Any] = {"heading": heading}
            for extra in ("key", "numbering"):
                if value := _text(fields.get(extra)):
                    block[extra] = value
            if _text(fields.get("own_heading")):
                block["own_heading"] = True
            if run_in := " ".join(_text(fields.get("text")).split()):
                block["text"] = run_in
            if content:
                block["content"] = content
            return [block]
        return _block_from_fields(kind, fields)

    return [block for path in children.get((), []) for block in build(path)]


def _block_from_fields(kind: str, fields: Mapping[str, str]) -> list[Any]:
    if kind == "p":
        return _split_lines(fields.get("text"))
    if kind == "list":
        return _list_blocks(fields.get("text") or "")
    if kind == "sub":
        text = " ".join(_text(fields.get("text")).split())
        return [{"subheading": text}] if text else []
    if kind == "data":
        return _kept_block(fields.get("text") or "")
    if kind == "num":
        lines = [_TYPED_NUMBER.sub("", line) for line in _split_lines(fields.get("text"))]
        return [{"numbered": lines}] if lines else []
    if kind == "table":
        columns = _cells(fields.get("columns") or "")
        rows = [_cells(line) for line in _text(fields.get("rows")).splitlines() if line.strip()]
        if not columns and not rows:
            return []
        header = [_column(name) for name in columns]
        width = sum(len(c["columns"]) if isinstance(c, dict) else 1 for c in header)
        rows = [_fit(row, width) for row in rows]
        table: dict[str, Any] = {"columns": header, "rows": rows}
        number_column = _text(fields.get("number_column", "TT"))
        if number_column != "TT":
            table = {"number_column": number_column or None, **table}
        if widths := _cells(fields.get("widths") or ""):
            table["widths"] = [_number_or_text(width) for width in widths]
        return [{"table": table}]
    if kind == "image":
        image = _text(fields.get("image"))
        if not image:
            return []
        block: dict[str, Any] = {"image": image}
        if caption := " ".join(_text(fields.get("caption")).split()):
            block["caption"] = caption
        width_text = _text(fields.get("width_cm"))
        if width_text:
            try:
                block["width_cm"] = plain_data(numbers.parse_number(width_text))
            except ValueError:
                block["width_cm"] = width_text
        return [block]
    raise FormError.malformed("khối nội dung không rõ loại")


def _list_blocks(text: str) -> list[Any]:
    """The list blocks of a list block's text (:func:`_list_lines`): an item is as deep as its indent says,
    or, not indented, as its marker says within the items above; a line without a marker is an item too,
    unless it is indented under an item, whose paragraph it then is."""
    found: list[Any] = []
    open_items: list[tuple[dict[str, Any], int]] = []

    def content_of(block: dict[str, Any], index: int) -> list[Any]:
        entries = block["list"]
        if isinstance(entries[index], str):
            entries[index] = {"text": entries[index], "content": []}
        return entries[index].setdefault("content", [])

    for raw in unicodedata.normalize("NFC", text).splitlines():
        stripped = raw.lstrip(" ")
        line = " ".join(stripped.split())
        if not line:
            continue
        indent = (len(raw) - len(stripped)) // 2
        item = _ITEM_LINE.match(line)
        if item is None and indent and open_items:
            del open_items[min(indent, len(open_items)) :]
            content_of(*open_items[-1]).append(line)
            continue
        if item is None:
            marker, words = "-", line
        else:
            marker, words = ("*" if item[2] else "+" if item[1] == "+" else "-"), item[3]
        depth = indent + 1 if indent else min(_MARKER_DEPTH[marker], len(open_items) + 1)
        depth = min(depth, len(open_items) + 1)
        del open_items[depth - 1 :]
        container = found if depth == 1 else content_of(*open_items[-1])
        written = None if marker == MARKERS[(depth - 1) % len(MARKERS)] else marker
        last = container[-1] if container else None
        block: dict[str, Any]
        if isinstance(last, dict) and "list" in last and last.get("marker") == written:
            block = last
        else:
            block = {"list": [], **({"marker": written} if written else {})}
            container.append(block)
        block["list"].append(words)
        open_items.append((block, len(block["list"]) - 1))
    return [short_form(block) for block in found]


def _column(name: str) -> Any:
    group = _GROUP.match(name)
    if group is None:
        return name
    return {"title": group[1], "columns": [" ".join(part.split()) for part in group[2].split(";")]}


def _number_or_text(text: str) -> Any:
    try:
        return plain_data(numbers.parse_number(text))
    except ValueError:
        return text  # the model says what is wrong with it, at the field


def _kept_block(text: str) -> list[Any]:
    """A block kept as the data file writes it (:data:`BLOCK_KINDS` "data"), read as safely as a data file."""
    if not _text(text):
        return []
    value = parse_yaml(text, Path("biểu mẫu")).data
    if not isinstance(value, str | dict):
        raise FormError.malformed("khối giữ nguyên không phải một khối nội dung")
    return [value]


def _cells(line: str) -> list[str]:
    line = _text(line)
    return [" ".join(cell.split()) for cell in _CELL_SEPARATOR.split(line)] if line else []


def _fit(row: list[str], width: int) -> list[str]:
    """A row as wide as the header: short rows padded; cells beyond the last column kept in it, so that
    nothing typed is dropped."""
    if width and len(row) > width:
        return [*row[: width - 1], " | ".join(row[width - 1 :])]
    return row + [""] * (width - len(row))


# --- where a problem is, in the form's words ------------------------------------------------------


def block_place(path: PathKey) -> tuple[int, ...]:
    """The body block a value of the narrative belongs to, by its indices: ("sections", 0, "content", 2,
    "list", 1) is in block (0, 2), the list; () when the path does not reach into a section."""
    return tuple(
        part
        for position, part in enumerate(path[1:], start=1)
        if isinstance(part, int) and (position == 1 or path[position - 1] == "content")
    )


def field_anchor(path: PathKey | None) -> str:
    """The id of the form element a value's problem is shown beside: a figure's row, a body block, a
    general field; "chung" (the top of the form) when no field holds it."""
    if not path:
        return "chung"
    head = path[0]
    if head in ("figures", "figure_notes"):
        return f"fig-{path[1]}" if len(path) > 1 else "so-lieu"
    if head == "sections":
        block = block_place(path)
        return f"b-{'-'.join(map(str, block))}" if block else "noi-dung"
    if head in LABELS and head not in ("unit", "period", "profile", "numbering", "appendices"):
        return str(head)
    return "chung"


@dataclass(frozen=True)
class FormSource:
    """A report's data as the form holds it, for the checks: a value's place is the form's field."""

    file: Path
    layout: FormLayout

    @property
    def missing_fix(self) -> str:
        return "Điền ô này trong biểu mẫu."

    def where(self, path: PathKey) -> str | None:
        return self.describe(path) or None

    def describe(self, path: PathKey) -> str:
        if not path:
            return ""
        head = path[0]
        if head in ("figures", "figure_notes") and len(path) > 1:
            row = next((r for r in self.layout.indicators if r.code == path[1]), None)
            return f"bảng số liệu, dòng {row.stt or row.label}" if row else f"bảng số liệu, mã '{path[1]}'"
        if head == "signer" and len(path) > 1:
            return f"{LABELS['signer']}, ô “{SIGNER_LABELS.get(str(path[1]), path[1])}”"
        if head == "sections":
            places = []
            for position, part in enumerate(path[1:], start=1):
                if isinstance(part, int) and position == 1:
                    places.append(f"mục {numbers.roman(part + 1)}")
                elif isinstance(part, int) and path[position - 1] == "content":
                    places.append(f"khối {part + 1}")
            return f"{LABELS['sections']}, {', '.join(places)}" if places else LABELS["sections"]
        label = LABELS.get(str(head), str(head))
        if len(path) > 1 and isinstance(path[1], int):
            return f"{label}, dòng {path[1] + 1}"
        return label

    def field(self, path: PathKey) -> str:
        return f"ô “{self.describe(path)}”"

    def figure_fix(self, code: str, label: str) -> str:
        return f"Điền số liệu “{label}” trong bảng số liệu."

    def section_fix(self, title: str, key: str) -> str:
        return f"Thêm mục lớn “{title}” (nút cuối phần Nội dung báo cáo) rồi viết nội dung của mục."

    def own_heading_fix(self, path: PathKey, keep: bool) -> str:
        if keep:
            return "Bỏ chọn “Giữ nguyên tên đề mục” của mục này để in theo đề cương; giữ nếu cố ý viết khác."
        return (
            "Muốn in đúng tên đã gõ thì chọn “Giữ nguyên tên đề mục” cho mục này; nếu không, không cần làm "
            "gì (hoặc sửa tên cho giống đề cương)."
        )
