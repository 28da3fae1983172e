"""Read a report workbook (see :mod:`cchc_gen.excel.layout`) into the same data as a YAML file.

The result is plain data for :class:`~cchc_gen.model.report.Report`, a :class:`WorkbookSource` that knows the
sheet and cell of every value (so that every later check says "Sheet 'Số liệu', ô D14"), and the problems
that only a workbook can have (a formula without its result, a merged value cell, a row that belongs
nowhere). Values are passed on as the clerk typed them: "1.601" stays text and is read in Vietnamese
notation by the checks, exactly as in YAML.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from cchc_gen.errors import Problem
from cchc_gen.excel.cells import (
    WORKBOOK_SUFFIXES,
    CellRef,
    FoundSheet,
    SheetCells,
    WorkbookSource,
    find_sheet,
    open_workbook,
)
from cchc_gen.excel.layout import (
    AUTHORITIES,
    BODY_SHEET,
    BODY_SIGNATURE,
    CODE,
    CUSTOM_TABLE,
    FIGURE,
    FIGURES_SHEET,
    FIGURES_SIGNATURE,
    IMAGE_CELLS,
    INFO_FIELDS,
    INFO_SHEET,
    INFO_SIGNATURE,
    ITEM_MARKERS,
    KEY,
    KIND,
    LABEL,
    LEVEL,
    LIST_LEVEL,
    NO,
    NO_CLOSING,
    NOTE,
    NUMBERING_LABELS,
    OWN_HEADING,
    SUB_NUMBERING,
    TEXT,
    VALUE,
    YES,
    InfoField,
    Kind,
    folded,
)
from cchc_gen.model.report import MARKERS, leaf_columns, short_form
from cchc_gen.source.yaml_file import PathKey
from cchc_gen.vn import numbers

__all__ = ["WORKBOOK_SUFFIXES", "WorkbookData", "answer_code", "figure_value", "read_workbook"]

# A coded answer as the drop-down list offers it: "1 – Hoàn thành".
_ANSWER = re.compile(r"^(\d+) – \S")
_KINDS = (
    {folded(kind.value): kind for kind in Kind}
    | {folded(kind.value.split(" (")[0]): kind for kind in Kind}
    | {marker: kind for kind, marker in ITEM_MARKERS.items()}
)
_NUMBERING = {folded(label).rstrip(".)"): style for style, label in NUMBERING_LABELS.items()}
_TABLE_KINDS = (Kind.TABLE, Kind.TABLE_PLAIN, Kind.TABLE_ROW, Kind.GROUPS, Kind.WIDTHS)
# How deep a list item is when its row gives no list level: as its marker says, within the items above.
_MARKER_DEPTH = {marker: depth for depth, marker in enumerate(MARKERS, start=1)}
_CENTIMETRES = re.compile(r"\s*cm$", re.IGNORECASE)


@dataclass
class WorkbookData:
    """What a workbook holds: report data, the cell of each value, and the workbook's own problems."""

    data: dict[str, Any]
    source: WorkbookSource
    problems: list[Problem] = field(default_factory=list)
    # Where a value was typed but refused (the problem says why): a figure, or some row of the body.
    refused: set[PathKey] = field(default_factory=set)


def read_workbook(file: Path) -> WorkbookData:
    """Read the report workbook ``file``; raises :class:`~cchc_gen.errors.DataError` if it cannot be read
    at all (not a workbook, a sheet missing), returns its other problems with the data."""
    books = open_workbook(file)
    problems: list[Problem] = []
    info = find_sheet(books, INFO_SHEET, INFO_SIGNATURE, problems)
    body = find_sheet(books, BODY_SHEET, BODY_SIGNATURE, problems)
    figures = find_sheet(books, FIGURES_SHEET, FIGURES_SIGNATURE, problems)
    source = WorkbookSource(file)
    source.record((), CellRef(info.cells.title))
    for key in ("sections", "appendices"):
        source.record((key,), CellRef(body.cells.title))
    for key in ("figures", "figure_notes"):
        source.record((key,), CellRef(figures.cells.title))
    refused: set[PathKey] = set()
    data = _read_info(info, source)
    before = len(problems)
    data.update(_BodyReader(body, source).read())
    if len(problems) > before:
        refused.add(("sections",))
    data.update(_read_figures(figures, source, refused))
    return WorkbookData(data, source, problems, refused)


# --- "Thông tin chung" ------------------------------------------------------------------------------


def _read_info(found: FoundSheet, source: WorkbookSource) -> dict[str, Any]:
    cells = found.cells
    label_column, value_column = found.column(LABEL), found.column(VALUE)
    assert label_column and value_column  # the sheet was found by these headers
    fields = {folded(f.label): f for f in INFO_FIELDS}
    rows: dict[InfoField, list[int]] = {}
    current: InfoField | None = None
    for row in cells.rows_after(found.header):
        label = cells.text(row, label_column)
        has_value = cells.value(row, value_column) is not None
        if label:
            current = fields.get(folded(label))
            if current is None:
                if has_value:
                    close = difflib.get_close_matches(folded(label), list(fields), n=1)
                    hint = f"Có phải ý bạn là '{fields[close[0]].label}'? " if close else ""
                    cells.problem(
                        row,
                        label_column,
                        f"Mục '{label}' không có trong mẫu nên giá trị của nó không được đọc.",
                        f"{hint}Sửa tên mục cho đúng, hoặc xóa dòng này.",
                    )
                continue
            if current in rows and current.kind != "lines":
                cells.problem(
                    row,
                    label_column,
                    f"Mục '{current.label}' có ở hai dòng ({rows[current][0]} và {row}).",
                    "Giữ lại một dòng và xóa dòng kia.",
                )
                continue
            rows.setdefault(current, []).append(row)
        elif current is not None and current.kind == "lines":
            rows[current].append(row)  # an inserted row continues the list above it
        elif has_value:
            cells.problem(
                row,
                value_column,
                "Ô có giá trị nhưng dòng này không có tên mục nên không biết đó là gì.",
                "Chuyển giá trị vào đúng dòng của nó, hoặc xóa ô này.",
            )
    data: dict[str, Any] = {}
    for info_field, found_rows in rows.items():
        value = _info_value(cells, info_field, found_rows, value_column, source)
        if value is None:
            continue
        if info_field.path[0] == "signer":
            if "signer" not in data:
                source.record(("signer",), cells.ref(found_rows[0], value_column), "Người ký")
            data.setdefault("signer", {})[info_field.path[1]] = value
        else:
            data[info_field.path[0]] = value
    return data


def _info_value(
    cells: SheetCells, info_field: InfoField, rows: list[int], column: int, source: WorkbookSource
) -> Any:
    path = info_field.path
    source.record(path, cells.ref(rows[0], column), info_field.label)
    if info_field.kind == "lines":
        entries: list[str] = []
        for row in rows:
            for line in filter(None, (cells.text(row, column) or "").split("\n")):
                source.record((*path, len(entries)), cells.ref(row, column), info_field.label)
                entries.append(line)
        return entries or None
    row = rows[0]
    if info_field.kind == "date":
        return cells.value(row, column)
    text = cells.text(row, column)
    if text is None:
        return None
    if info_field.kind == "comma":
        return [part.strip() for part in text.split(",") if part.strip()] or None
    if info_field.kind == "numbering":
        return _numbering(cells, row, column, text)
    if info_field.kind == "yes_no":
        answer = {folded(YES): True, folded(NO): False}.get(folded(text))
        if answer is None:
            cells.problem(
                row, column, f"'{text}' không phải '{YES}' hay '{NO}'.", f"Chọn '{YES}' hoặc '{NO}'."
            )
        return answer
    if path == ("closing",) and folded(text) == folded(NO_CLOSING):
        return False
    if path == ("signer", "authority"):
        typed = text.upper().rstrip(".") + "."
        return typed if typed in AUTHORITIES else text
    return text


def _numbering(cells: SheetCells, row: int, column: int, text: str) -> list[str] | None:
    styles: list[str] = []
    for token in filter(None, (part.strip() for part in re.split(r"[,;]", text))):
        style = _NUMBERING.get(folded(token).rstrip(".)"))
        if style is None:
            cells.problem(
                row,
                column,
                f"Cách đánh số '{token}' không có.",
                "Ghi các cấp cách nhau bởi dấu phẩy, mỗi cấp là một trong: "
                + ", ".join(NUMBERING_LABELS.values())
                + " (ví dụ: I., 1., a)).",
            )
            return None
        styles.append(style)
    return styles or None


# --- "Nội dung" -------------------------------------------------------------------------------------


@dataclass
class _Open:
    """A heading whose content the following rows may extend."""

    level: int
    heading: dict[str, Any]
    path: PathKey


@dataclass
class _Item:
    """A list item whose content the following rows may extend (those with its list level)."""

    block: dict[str, Any]
    index: int
    path: PathKey  # the list block's

    def content(self) -> list[Any]:
        entries = self.block["list"]
        if isinstance(entries[self.index], str):
            entries[self.index] = {"text": entries[self.index], "content": []}
        return entries[self.index].setdefault("content", [])


@dataclass
class _Table:
    """A table whose header row has been read; it joins the report with its first row."""

    header_row: int
    table: dict[str, Any]
    container: list[Any] | None  # None: the table of an appendix
    path: PathKey | None = None
    header: list[tuple[int, str | None]] = field(default_factory=list)
    groups: tuple[int, list[Any]] | None = None  # the "Nhóm cột" row above, and its groups


class _BodyReader:
    def __init__(self, found: FoundSheet, source: WorkbookSource) -> None:
        self.cells = found.cells
        self.found = found
        self.source = source
        self.level_column = found.column(LEVEL)
        self.kind_column = found.column(KIND)
        self.key_column = found.column(KEY)
        self.list_level_column = found.column(LIST_LEVEL)
        text_column = found.column(TEXT)
        assert self.level_column and self.kind_column and text_column  # found by these headers
        self.text_column: int = text_column
        fixed = {self.level_column, self.kind_column, self.key_column, self.list_level_column}
        self.table_columns = [self.text_column] + [
            c for c in range(self.text_column + 1, self.cells.last_column + 1) if c not in fixed
        ]
        self.sections: list[dict[str, Any]] = []
        self.appendices: list[dict[str, Any]] = []
        self.open: list[_Open] = []
        self.items: list[_Item] = []
        # A level typed on a row starts a new group there: a list or numbered group does not go on.
        self.fresh = False
        self.table: _Table | None = None
        self.groups: tuple[int, list[Any]] | None = None  # a "Nhóm cột" row waiting for its table
        self.last_kind: Kind | None = None

    def read(self) -> dict[str, Any]:
        for row in self.cells.rows_after(self.found.header):
            end = self.cells.row_end(row)
            texts = [self.cells.text(row, column) for column in self.table_columns if column <= end]
            while texts and texts[-1] is None:
                texts.pop()
            if not texts:
                continue  # an empty row, or a row left for text that was never typed
            kind = self.kind(row)
            if kind is not None:
                self.row(row, kind, texts)
            self.last_kind = kind
        self.close_appendix()
        self.close_groups()
        _short_lists(self.sections)
        data: dict[str, Any] = {"sections": self.sections}
        if self.appendices:
            data["appendices"] = self.appendices
        return data

    def ref(self, row: int, column: int | None = None) -> CellRef:
        return self.cells.ref(row, column or self.text_column)

    def problem(self, row: int, message: str, fix: str | None, column: int | None = None) -> None:
        self.cells.problem(row, column or self.text_column, message, fix)

    def typed_kind(self, row: int) -> str | None:
        assert self.kind_column
        return self.cells.text(row, self.kind_column)

    def kind(self, row: int) -> Kind | None:
        typed = self.typed_kind(row)
        if typed is None:
            return Kind.TEXT
        kind = _KINDS.get(folded(typed))
        if kind is None and folded(typed).startswith(folded(CUSTOM_TABLE)):
            kind = Kind.TABLE
        if kind is None and _heading_options(typed) is not None:
            kind = Kind.HEADING
        if kind is None:
            kinds = ", ".join(f"'{k.value}'" for k in Kind)
            self.problem(row, f"Loại dòng '{typed}' không có.", f"Chọn một trong: {kinds}.", self.kind_column)
        return kind

    def number(self, row: int, column: int | None, what: str, fix: str) -> tuple[bool, int | None]:
        """Whether a level cell is usable, and the level typed (``None`` when left empty)."""
        value = self.cells.value(row, column) if column else None
        if value is None:
            return True, None
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 9:
            self.problem(row, f"{what} '{value}' không hợp lệ.", fix, column)
            return False, None
        return True, value

    def row(self, row: int, kind: Kind, texts: list[str | None]) -> None:
        usable, level = self.number(
            row,
            self.level_column,
            LEVEL,
            "Ghi cấp bằng một số: 1 cho mục I, II…; 2 cho mục 1, 2…; 3 cho a, b…",
        )
        usable_list, list_level = self.number(
            row,
            self.list_level_column,
            LIST_LEVEL,
            "Ghi cấp ý bằng một số: 1 cho ý '-', 2 cho ý '+' bên trong, 3 cho ý '*'…; để trống nếu dòng "
            "không thuộc ý nào.",
        )
        if not (usable and usable_list):
            return
        if kind not in (Kind.TABLE, Kind.TABLE_PLAIN):
            self.close_groups()
        if kind is Kind.IMAGE and len(texts) > len(IMAGE_CELLS):
            self.problem(
                row,
                f"Dòng loại '{kind.value}' chỉ dùng {len(IMAGE_CELLS)} ô: "
                + ", ".join(IMAGE_CELLS.values())
                + f" (từ cột '{TEXT}' sang phải), nhưng ô này cũng có chữ.",
                "Xóa chữ ở ô này, hoặc chuyển vào ô chú thích ảnh.",
                self.table_columns[len(texts) - 1],
            )
            return
        if kind not in (*_TABLE_KINDS, Kind.IMAGE) and len(texts) > 1:
            column = self.table_columns[len(texts) - 1]
            self.problem(
                row,
                f"Dòng loại '{kind.value}' chỉ dùng cột '{TEXT}', nhưng ô này cũng có chữ.",
                f"Chuyển chữ sang cột '{TEXT}', hoặc chọn loại '{Kind.TABLE_ROW.value}' nếu đây là "
                "một dòng bảng.",
                column,
            )
            return
        text = texts[0] or ""
        if kind is Kind.APPENDIX:
            self.appendix(row, text)
        elif kind is Kind.GROUPS:
            self.close_table()
            self.groups = (row, self.column_groups(row))
        elif kind in (Kind.TABLE, Kind.TABLE_PLAIN):
            self.table_header(row, kind, texts, level, list_level)
        elif kind is Kind.WIDTHS:
            self.widths(row, texts)
        elif kind is Kind.TABLE_ROW:
            self.table_row(row, texts)
        elif kind is Kind.IMAGE and texts[0] is None:
            self.problem(
                row,
                f"Dòng loại '{kind.value}' chưa có tên tệp ảnh ở cột '{TEXT}'.",
                "Ghi tên tệp ảnh PNG hoặc JPEG (ví dụ bieu-do.png), đặt tệp cùng thư mục với bảng tính; "
                "hoặc xóa dòng này nếu không dùng ảnh.",
            )
        elif self.appendices:
            self.problem(
                row,
                f"Sau dòng '{Kind.APPENDIX.value}' chỉ có bảng của phụ lục, không có '{kind.value}'.",
                "Chuyển dòng này lên trên các phụ lục.",
                self.kind_column,
            )
        elif kind is Kind.HEADING:
            self.heading(row, level, text)
        elif kind is Kind.RUN_IN:
            self.run_in(row, text)
        else:
            self.content(row, kind, level, list_level, text)

    def heading(self, row: int, level: int | None, text: str) -> None:
        self.close_table()
        self.items.clear()
        level = level or (self.open[-1].level if self.open else 1)
        if level > len(self.open) + 1:
            self.problem(
                row,
                f"Đề mục cấp {level} nhưng phía trên chưa có đề mục cấp {len(self.open) + 1}.",
                f"Sửa cấp thành {len(self.open) + 1} hoặc nhỏ hơn, hoặc thêm đề mục cấp "
                f"{len(self.open) + 1} phía trên.",
                self.level_column,
            )
            return
        del self.open[level - 1 :]
        heading: dict[str, Any] = {"heading": text, "content": []}
        key = self.cells.text(row, self.key_column) if self.key_column else None
        if key:
            heading["key"] = key
        numbering, own = _heading_options(self.typed_kind(row) or "") or (None, False)
        if numbering:
            heading["numbering"] = numbering
        if own:
            heading["own_heading"] = True
        if self.open:
            parent = self.open[-1]
            path: PathKey = (*parent.path, "content", len(parent.heading["content"]))
            parent.heading["content"].append(heading)
        else:
            path = ("sections", len(self.sections))
            self.sections.append(heading)
        self.source.record(path, self.ref(row), "đề mục")
        if self.key_column:
            self.source.record((*path, "key"), self.ref(row, self.key_column), KEY)
        self.source.record((*path, "own_heading"), self.ref(row, self.kind_column), KIND)
        self.open.append(_Open(level, heading, path))
        self.fresh = False

    def run_in(self, row: int, text: str) -> None:
        """The paragraph printed on the line of the heading right above it."""
        heading = self.open[-1] if self.open else None
        if self.last_kind is not Kind.HEADING or heading is None or "text" in heading.heading:
            self.problem(
                row,
                f"Dòng '{Kind.RUN_IN.value}' phải đứng ngay dưới dòng đề mục của nó.",
                f"Chuyển dòng này xuống ngay dưới dòng '{Kind.HEADING.value}', hoặc đổi loại thành "
                f"'{Kind.TEXT.value}'.",
                self.kind_column,
            )
            return
        heading.heading["text"] = text
        self.source.record((*heading.path, "text"), self.ref(row), "đoạn liền đề mục")

    def container(self, row: int, list_level: int | None) -> tuple[list[Any], PathKey] | None:
        """Where a row goes: the content of the list item of its list level, or of the heading above."""
        if list_level is None:
            self.items.clear()
            heading = self.open[-1]
            return heading.heading["content"], (*heading.path, "content")
        if list_level > len(self.items):
            above = f"chỉ có ý đến cấp {len(self.items)}" if self.items else "chưa có ý nào"
            self.problem(
                row,
                f"Cấp ý {list_level} nhưng phía trên {above}.",
                f"Sửa cấp ý thành số từ 1 đến {len(self.items)}, hoặc để trống để dòng không thuộc ý nào."
                if self.items
                else "Để trống cấp ý: phía trên không có gạch đầu dòng nào.",
                self.list_level_column,
            )
            return None
        del self.items[list_level:]
        item = self.items[-1]
        return item.content(), (*item.path, "list", item.index, "content")

    def group(self, content: list[Any], key: str, marker: str | None = None) -> dict[str, Any] | None:
        """The list or numbered group the row goes on with: the last block of its container, of its kind."""
        last = content[-1] if content and not self.fresh else None
        if isinstance(last, dict) and key in last and last.get("marker") == marker:
            return last
        return None

    def content(self, row: int, kind: Kind, level: int | None, list_level: int | None, text: str) -> None:
        self.close_table()
        if not self.open:
            self.problem(
                row,
                "Nội dung này chưa thuộc đề mục nào.",
                f"Thêm một dòng loại '{Kind.HEADING.value}' cấp 1 phía trên.",
            )
            return
        if level is not None:
            if level > len(self.open):
                self.problem(
                    row,
                    f"Cấp {level} nhưng phía trên chỉ có đề mục đến cấp {len(self.open)}.",
                    f"Sửa cấp thành số từ 1 đến {len(self.open)}, hoặc để trống để thuộc đề mục ngay trên.",
                    self.level_column,
                )
                return
            del self.open[level:]
            self.items.clear()
            self.fresh = True  # a level typed on the row starts a new group (numbering restarts)
        if kind in ITEM_MARKERS:
            self.item(row, kind, list_level, text)
            self.fresh = False
            return
        place = self.container(row, list_level)
        if place is None:
            return
        content, base = place
        if kind is Kind.TEXT:
            self.source.record((*base, len(content)), self.ref(row), "đoạn văn")
            content.append(text)
        elif kind is Kind.SUBHEADING:
            self.source.record((*base, len(content)), self.ref(row), "tiêu đề không số")
            content.append({"subheading": text})
        elif kind is Kind.IMAGE:
            self.image(row, content, (*base, len(content)))
        else:
            block = self.group(content, "numbered")
            if block is None:
                block = {"numbered": []}
                content.append(block)
            path = (*base, content.index(block), "numbered", len(block["numbered"]))
            self.source.record(path, self.ref(row), kind.value.lower())
            block["numbered"].append(text)
        self.fresh = False

    def item(self, row: int, kind: Kind, list_level: int | None, text: str) -> None:
        """A list item: as deep as its list level says, or as its marker says within the items above."""
        marker = ITEM_MARKERS[kind]
        depth = list_level or min(_MARKER_DEPTH[marker], len(self.items) + 1)
        if depth > len(self.items) + 1:
            above = f"chỉ có ý đến cấp {len(self.items)}" if self.items else "chưa có ý nào"
            self.problem(
                row,
                f"Ý cấp {depth} nhưng phía trên {above}.",
                f"Sửa cấp ý thành số từ 1 đến {len(self.items) + 1}, hoặc để trống.",
                self.list_level_column or self.kind_column,
            )
            return
        place = self.container(row, depth - 1) if depth > 1 else self.container(row, None)
        if place is None:
            return
        content, base = place
        # The marker of the list's depth is not written: a "-" list at the top, "+" inside it…
        written = None if marker == MARKERS[(depth - 1) % len(MARKERS)] else marker
        block = self.group(content, "list", written)
        if block is None:
            block = {"list": []} | ({"marker": written} if written else {})
            content.append(block)
        path = (*base, content.index(block))
        self.source.record((*path, "list", len(block["list"])), self.ref(row), kind.value.lower())
        if len(block["list"]) == 0 or depth > 1:
            self.source.record(path, self.ref(row), "danh sách")
        self.items.append(_Item(block, len(block["list"]), path))
        block["list"].append(text)

    def image(self, row: int, content: list[Any], path: PathKey) -> None:
        """An image block from its cells (file name, caption, width); the model checks the width's range."""
        self.source.record(path, self.ref(row), "ảnh")
        block: dict[str, Any] = {}
        # A sheet whose spare columns were deleted may have no caption or width column.
        for (key, name), column in zip(IMAGE_CELLS.items(), self.table_columns, strict=False):
            self.source.record((*path, key), self.ref(row, column), name)
            value = self.cells.value(row, column) if key == "width_cm" else self.cells.text(row, column)
            if value is None:
                continue
            if key == "width_cm":
                try:
                    value = _centimetres(value)
                except numbers.NumberError as exc:
                    self.problem(
                        row,
                        f"Chiều rộng ảnh: {exc}",
                        "Ghi chiều rộng bằng một số xentimét từ 2 đến 16,5, phần thập phân sau dấu phẩy "
                        "(ví dụ 12,5); để trống để dùng 15 cm.",
                        column,
                    )
                    return
            block[key] = value
        content.append(block)

    def column_groups(self, row: int) -> list[Any]:
        """The groups of a "Nhóm cột" row, cell by cell: a group's title over each of its columns (typed
        in each cell, or in cells merged across them), ``None`` over a column of no group."""
        found: list[Any] = []
        for column in self.table_columns:
            anchor = self.cells.merged_anchor(row, column)
            found.append((anchor, self.cells.text(*anchor)) if anchor else self.cells.text(row, column))
        return found

    def close_groups(self) -> None:
        if self.groups is not None:
            row, _ = self.groups
            self.groups = None
            self.problem(
                row,
                f"Dòng '{Kind.GROUPS.value}' phải đứng ngay trên dòng '{Kind.TABLE.value}' (tên các cột).",
                f"Chuyển dòng này lên ngay trên dòng '{Kind.TABLE.value}' của bảng, hoặc xóa dòng này.",
                self.kind_column,
            )

    def table_header(
        self, row: int, kind: Kind, texts: list[str | None], level: int | None, list_level: int | None
    ) -> None:
        self.close_table()
        assert self.kind_column
        names = [t or "" for t in texts]
        groups, self.groups = self.groups, None
        table: dict[str, Any] = {"columns": _grouped(names, groups[1]) if groups else names, "rows": []}
        if kind is Kind.TABLE_PLAIN:
            table["number_column"] = None
        typed = self.typed_kind(row) or ""
        if folded(typed).startswith(folded(CUSTOM_TABLE)):
            table["number_column"] = typed.split(":", 1)[1].strip()
        header = list(zip(self.table_columns, texts, strict=False))
        if self.appendices and "columns" not in self.appendices[-1]:
            self.appendices[-1].update(table)
            self.table = _Table(
                row, self.appendices[-1], None, ("appendices", len(self.appendices) - 1), header
            )
            self.record_header(self.table, groups)
            return
        if self.appendices:
            self.problem(
                row,
                "Mỗi phụ lục chỉ có một bảng.",
                f"Thêm một dòng '{Kind.APPENDIX.value}' (tên phụ lục) phía trên bảng này.",
                self.kind_column,
            )
            return
        if not self.open:
            self.problem(row, "Bảng này chưa thuộc đề mục nào.", "Thêm một dòng 'Đề mục' cấp 1 phía trên.")
            return
        if level is not None and level <= len(self.open):
            del self.open[level:]
        place = self.container(row, list_level)
        if place is None:
            return
        content, base = place
        self.table = _Table(row, {"table": table}, content, (*base, len(content), "table"), header, groups)
        self.fresh = False

    def record_header(self, table: _Table, groups: tuple[int, list[Any]] | None = None) -> None:
        assert table.path is not None
        self.source.record(table.path, self.ref(table.header_row), "bảng")
        for index, (column, _) in enumerate(table.header):
            self.source.record((*table.path, "columns", index), self.ref(table.header_row, column), "tên cột")
        if groups is not None:
            self.source.record((*table.path, "columns"), self.ref(groups[0]), "nhóm cột")

    def widths(self, row: int, texts: list[str | None]) -> None:
        table = self.table.table.get("table", self.table.table) if self.table else None
        if table is None or table["rows"]:
            self.problem(
                row,
                f"Dòng '{Kind.WIDTHS.value}' phải đứng ngay dưới dòng '{Kind.TABLE.value}' (tên các cột).",
                f"Chuyển dòng này lên ngay dưới dòng '{Kind.TABLE.value}' của bảng, hoặc xóa dòng này.",
                self.kind_column,
            )
            return
        values = [self.cells.value(row, column) for column in self.table_columns[: len(texts)]]
        table["widths"] = [v if isinstance(v, int | float) else (v or "") for v in values]
        assert self.table and self.table.path is not None
        self.source.record((*self.table.path, "widths"), self.ref(row), "độ rộng cột")
        for index, column in enumerate(self.table_columns[: len(texts)]):
            self.source.record((*self.table.path, "widths", index), self.ref(row, column), "độ rộng cột")

    def table_row(self, row: int, texts: list[str | None]) -> None:
        if self.table is None:
            self.problem(
                row,
                f"Dòng bảng này không đứng dưới dòng '{Kind.TABLE.value}' nào.",
                f"Thêm một dòng loại '{Kind.TABLE.value}' (tên các cột) phía trên.",
                self.kind_column,
            )
            return
        table = self.table.table.get("table", self.table.table)
        width = len(leaf_columns(table["columns"]))
        if len(texts) > width:
            self.problem(
                row,
                f"Dòng bảng có {len(texts)} ô nhưng bảng chỉ có {width} cột.",
                "Thêm tên cột cho ô thừa ở dòng 'Bảng', hoặc xóa ô thừa.",
                self.table_columns[len(texts) - 1],
            )
            return
        if self.table.container is not None and not table["rows"]:
            self.record_header(self.table, self.table.groups)
            self.table.container.append(self.table.table)
        assert self.table.path is not None
        index = len(table["rows"])
        self.source.record((*self.table.path, "rows", index), self.ref(row), "dòng bảng")
        for position, column in enumerate(self.table_columns[:width]):
            self.source.record((*self.table.path, "rows", index, position), self.ref(row, column), "ô bảng")
        table["rows"].append([t or "" for t in texts] + [""] * (width - len(texts)))

    def close_table(self) -> None:
        """A table ends at the first row that is not one of its rows; a table without rows is a problem."""
        table = self.table
        if table is None:
            return
        self.table = None
        rows = table.table.get("table", table.table)["rows"]
        if not rows:
            self.problem(
                table.header_row,
                "Bảng này chưa có dòng nào.",
                f"Thêm các dòng loại '{Kind.TABLE_ROW.value}' ngay dưới, hoặc xóa dòng '{Kind.TABLE.value}'.",
                self.kind_column,
            )

    def close_appendix(self) -> None:
        """An appendix ends where the next one starts; one without a table (or rows) is left out."""
        self.close_table()
        if self.appendices and not self.appendices[-1].get("rows"):
            first = self.source.places[("appendices", len(self.appendices) - 1)]
            if "columns" not in self.appendices[-1]:
                self.cells.problems.append(
                    Problem(
                        "Phụ lục này chưa có bảng.",
                        self.cells.file,
                        str(first),
                        f"Thêm một dòng loại '{Kind.TABLE.value}' (tên các cột) và các dòng bảng ngay dưới "
                        "tên phụ lục, hoặc xóa phụ lục.",
                    )
                )
            self.appendices.pop()

    def appendix(self, row: int, text: str) -> None:
        self.close_table()
        self.items.clear()
        if self.appendices and self.last_kind is Kind.APPENDIX and "columns" not in self.appendices[-1]:
            titles = self.appendices[-1]["title"]
        else:
            self.close_appendix()
            self.appendices.append({"title": []})
            titles = self.appendices[-1]["title"]
            self.source.record(("appendices", len(self.appendices) - 1), self.ref(row), "phụ lục")
            self.open.clear()
        path = ("appendices", len(self.appendices) - 1, "title", len(titles))
        self.source.record(path, self.ref(row), "tên phụ lục")
        titles.append(text)


def _short_lists(blocks: list[Any]) -> None:
    """The lists of the body as a data file writes them (:func:`~cchc_gen.model.report.short_form`); the
    places of the sub-items, recorded in the item's content, are found there (:func:`as_written`)."""
    for block in blocks:
        if isinstance(block, dict) and "list" in block:
            short_form(block)
        elif isinstance(block, dict) and "heading" in block:
            _short_lists(block.get("content", []))


def _heading_options(typed: str) -> tuple[str | None, bool] | None:
    """The numbering of the sub-headings and whether the heading keeps its words, from a heading row's kind
    ("Đề mục, mục con 1.1., giữ nguyên tên"); ``None`` when the kind is no heading."""
    first, *options = [part.strip() for part in typed.split(",")]
    if folded(first) != folded(Kind.HEADING.value):
        return None
    numbering, own = None, False
    for option in filter(None, options):
        if folded(option) == folded(OWN_HEADING):
            own = True
        elif folded(option).startswith(folded(SUB_NUMBERING)):
            numbering = _NUMBERING.get(folded(option)[len(folded(SUB_NUMBERING)) :].strip().rstrip(".)"))
            if numbering is None:
                return None
        else:
            return None
    return numbering, own


def _grouped(names: list[str], groups: list[Any]) -> list[Any]:
    """The columns of a table, those under one group gathered into it ({title, columns})."""
    columns: list[Any] = []
    previous: Any = None
    for index, name in enumerate(names):
        group = groups[index] if index < len(groups) else None
        title = group[1] if isinstance(group, tuple) else group
        if not title:
            columns.append(name)
        elif group == previous and isinstance(columns[-1], dict):
            columns[-1]["columns"].append(name)
        else:
            columns.append({"title": title, "columns": [name]})
        previous = group
    return columns


def _centimetres(value: Any) -> numbers.Number:
    """A width as typed: a number, or text in Vietnamese notation with or without its unit ("12,5 cm")."""
    return numbers.parse_number(_CENTIMETRES.sub("", value) if isinstance(value, str) else value)


# --- "Số liệu" --------------------------------------------------------------------------------------


def answer_code(text: str) -> int | None:
    """The code of a coded answer as the drop-down list writes it ("1 – Hoàn thành" → 1)."""
    match = _ANSWER.match(text)
    return int(match.group(1)) if match else None


def figure_value(cells: SheetCells, row: int, column: int) -> int | Decimal | str | None:
    """A figure as typed: whole numbers as ``int``, others exact, text as text for the checks to read, a
    number in a percent-formatted cell as the cell shows it ("46,34%" for the 0.4634 stored)."""
    value = cells.value(row, column)
    if value is None:
        return None
    if (shown := cells.percent(row, column, value)) is not None:
        return shown
    if isinstance(value, bool):
        cells.problem(
            row, column, "Ô có giá trị đúng/sai (TRUE/FALSE), không phải số liệu.", "Gõ con số vào ô này."
        )
        return None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        shown = f"{value:%d/%m/%Y}" if isinstance(value, dt.date) else str(value)
        cells.problem(
            row,
            column,
            f"Excel đã hiểu số liệu gõ ở ô này là ngày tháng ({shown}).",
            "Chọn ô, đổi định dạng sang Number (Số) rồi gõ lại con số; phân số như 09/19 thì ghi vào "
            "cột Ghi chú.",
        )
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, str):
        code = answer_code(value)
        return value if code is None else code
    return value


def _read_figures(found: FoundSheet, source: WorkbookSource, refused: set[PathKey]) -> dict[str, Any]:
    cells = found.cells
    code_column, value_column, note_column = found.column(CODE), found.column(FIGURE), found.column(NOTE)
    assert code_column and value_column  # the sheet was found by these headers
    figures: dict[str, Any] = {}
    notes: dict[str, str] = {}
    seen: dict[str, int] = {}
    merged: set[str] = set()
    for row in cells.rows_after(found.header):
        code = cells.text(row, code_column)
        if not code:
            if cells.value(row, value_column) is not None:
                cells.problem(
                    row,
                    value_column,
                    f"Ô có số liệu nhưng dòng này không có mã chỉ tiêu (cột '{CODE}') nên số liệu không "
                    "được đọc.",
                    "Gõ số liệu vào dòng của chỉ tiêu đó, hoặc xóa ô này.",
                )
            continue
        if code in seen:
            cells.problem(
                row,
                code_column,
                f"Mã chỉ tiêu '{code}' có ở hai dòng ({seen[code]} và {row}).",
                "Xóa dòng thừa, giữ lại một dòng cho mỗi chỉ tiêu.",
            )
            continue
        seen[code] = row
        span = cells.vertical_merge(row, value_column)
        if span:
            refused.add(("figures", code))
            if span not in merged:
                merged.add(span)
                cells.problem(
                    row,
                    value_column,
                    f"Các ô {span} đã được gộp (merge) nên không biết số liệu thuộc chỉ tiêu nào.",
                    "Bỏ gộp ô (Merge & Center → Unmerge Cells) rồi gõ số liệu cho từng chỉ tiêu.",
                )
            continue
        source.record(("figures", code), cells.ref(row, value_column), f"số liệu '{code}'")
        reported = len(cells.problems)
        value = figure_value(cells, row, value_column)
        if value is not None:
            figures[code] = value
        elif len(cells.problems) > reported:
            refused.add(("figures", code))
        if note_column:
            source.record(("figure_notes", code), cells.ref(row, note_column), f"ghi chú '{code}'")
            note = cells.text(row, note_column)
            if note:
                notes[code] = note
    data: dict[str, Any] = {}
    if figures:
        data["figures"] = figures
    if notes:
        data["figure_notes"] = notes
    return data
