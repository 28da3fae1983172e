"""The body and the appendices of a report read back from Word, for ``cchc nhap-word``.

The body's outline comes from the numbers in front of its headings, typed ("I.", "1.", "1.1.", "a)", with
spaces or tabs after them) or numbered by Word, never from styles: hand-made files rarely use them. A heading
of each kind ("I.", "1.", "1.1.", "a)") is the sibling of the nearest open heading of the same kind, else the
child of the innermost one. "1." is a heading when it stands out in bold (or, in a file where no numbered
line is bold, when it is short and ends without a full stop), else a numbered paragraph. "-" and "+" lines
are lists, other paragraphs text; tables, pictures with their captions, and the closing sentence ("… ./.")
are found too. The indicator appendix's rows are matched to the profile's catalogue by STT and label.

Everything is recorded with its place in the .docx (:class:`Reading`), so that whatever cannot be placed,
and every guess (a heading renumbered, a row matched on close wording), is a warning that says where.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from cchc_gen.errors import Problem, Severity
from cchc_gen.excel.layout import indicator_rows
from cchc_gen.model.pictures import PictureError
from cchc_gen.model.profile import Appendix, Indicator
from cchc_gen.model.report import TEXT_WIDTH_CM, Numbering
from cchc_gen.nd30.docx_view import PT_PER_CM, Image, Paragraph, Table, WordDocument, w
from cchc_gen.nd30.elements import (
    DASHES,
    LETTER_HEADING,
    NUMBER_HEADING,
    ROMAN_HEADING,
    is_blank,
    is_upper,
)
from cchc_gen.render.context import heading_number, strip_end
from cchc_gen.source.locations import YamlSource
from cchc_gen.source.yaml_file import PathKey, YamlDocument
from cchc_gen.vn import numbers
from cchc_gen.vn.numbers import LETTERS, roman_value

# The catalogue rows kept aside when a row of the document's appendix matches none of them.
UNMATCHED_TITLE = "Các dòng của phụ lục chưa khớp với danh mục chỉ tiêu"
_CLOSING_MARK = "./."
_NUMBER_COLUMNS = {"tt", "stt", "số tt", "số thứ tự"}
_CAPTION_LENGTH = 200
_BOLD_SHARE = 0.6
ROMAN_NUMERAL = re.compile(r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})")


# --- the document being read ---------------------------------------------------------------------------


# Keeps a picture of the report (its bytes, its file suffix) and returns its name for the data file; raises
# PictureError when the picture cannot be kept.
PictureKeeper = Callable[[bytes, str], str]


@dataclass
class Reading:
    """One .docx being read: where each value of the data comes from, which blocks have been taken,
    the pictures found, and the warnings."""

    file: Path
    document: WordDocument
    keep_picture: PictureKeeper
    problems: list[Problem] = field(default_factory=list)
    used: set[int] = field(default_factory=set)

    def use(self, *blocks: Paragraph | Table) -> None:
        self.used.update(id(block.element) for block in blocks)

    def is_used(self, block: Paragraph | Table) -> bool:
        return id(block.element) in self.used

    def warn(self, message: str, where: Paragraph | Table | str | None, fix: str | None = None) -> None:
        location = where.location if isinstance(where, Paragraph) else where
        location = location.where if isinstance(location, Table) else location
        self.problems.append(Problem(message, self.file, location, fix, Severity.WARNING))


@dataclass(frozen=True)
class WordSource:
    """A report read from a .docx, as the checks see it: each value's place is a paragraph or a table cell
    of the .docx ("đoạn 35 “Trên đây là…”", "bảng 4, dòng 12, ô 4"); its fields and fixes are named as in
    the YAML data file that the report is written to."""

    file: Path
    places: dict[PathKey, str]

    @property
    def _written(self) -> YamlSource:
        return YamlSource(YamlDocument(None, self.file))

    @property
    def missing_fix(self) -> str:
        return "Thêm nội dung này vào tệp dữ liệu đã tạo."

    def where(self, path: PathKey) -> str | None:
        for end in range(len(path), -1, -1):
            if path[:end] in self.places:
                return self.places[path[:end]]
        return None

    def describe(self, path: PathKey) -> str:
        return self._written.describe(path)

    def field(self, path: PathKey) -> str:
        return self._written.field(path)

    def figure_fix(self, code: str, label: str) -> str:
        return self._written.figure_fix(code, label)

    def section_fix(self, title: str, key: str) -> str:
        return self._written.section_fix(title, key)

    def own_heading_fix(self, path: PathKey, keep: bool) -> str:
        return self._written.own_heading_fix(path, keep)


def run_text(paragraph: Paragraph) -> str:
    """The paragraph's own text, without the number Word puts in front of it, spaces collapsed."""
    text = "".join(run.shown for run in paragraph.runs if not run.format.hidden)
    return " ".join(unicodedata.normalize("NFC", text).split())


def is_bold(paragraph: Paragraph) -> bool:
    """Most of the paragraph's letters are bold (a heading typed in bold runs)."""
    runs = paragraph.text_runs
    total = sum(len(run.text.strip()) for run in runs)
    bold = sum(len(run.text.strip()) for run in runs if run.format.bold)
    return total > 0 and bold / total >= _BOLD_SHARE


def _is_caption(paragraph: Paragraph) -> bool:
    """Short, centred and italic: the caption under a picture."""
    runs = paragraph.text_runs
    italic = bool(runs) and all(run.format.italic for run in runs)
    return italic and paragraph.format.centred and len(paragraph.plain) <= _CAPTION_LENGTH


def fold(text: str) -> str:
    """Text for comparison: case, accents' composition, spacing and punctuation do not matter."""
    text = unicodedata.normalize("NFC", text).casefold().replace("uỷ", "ủy")
    return " ".join(re.sub(r"[^\w%]+", " ", text).split())


class Casing:
    """How the document writes each word where case is free (inside sentences), to give text typed in
    capitals (headings, the issuing body, the signer's title) back its ordinary case: "XÃ QUẢNG THỌ" →
    "xã Quảng Thọ", "CÔNG TÁC CCHC" → "Công tác CCHC"."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._forms: dict[str, Counter[str]] = defaultdict(Counter)
        for text in texts:
            if is_upper(text):
                continue
            start = True
            for token in re.findall(r"[\w&]+|[.:;!?]", text):
                if token in ".:;!?":
                    start = True
                    continue
                if not start and not token.isdigit():
                    self._forms[token.casefold()][token] += 1
                start = False

    def word(self, word: str) -> str:
        forms = self._forms.get(word.casefold())
        if forms:
            return forms.most_common(1)[0][0]
        return word if ROMAN_NUMERAL.fullmatch(word) else word.lower()  # "quý IV" keeps its numeral

    def restore(self, text: str, capitalize: bool = True) -> str:
        """``text`` in ordinary case when it is all capitals; as it is otherwise."""
        if not is_upper(text):
            return text
        restored = re.sub(r"[\w&]+", lambda match: self.word(match.group()), text)
        return restored[:1].upper() + restored[1:] if capitalize else restored


# --- one line of the body -------------------------------------------------------------------------------

_STYLES: dict[str, Numbering] = {
    "roman": "roman",
    "decimal": "decimal",
    "nested": "nested",
    "letter": "letter",
}


@dataclass(frozen=True)
class Line:
    """A body paragraph with the number or list mark in front of it."""

    paragraph: Paragraph
    kind: str  # "roman", "decimal", "nested", "letter", "dash", "plus", or "" for a plain paragraph
    typed: str  # the number as typed ("I.", "1.2", "a)"), "" for none
    value: int  # the number's value (a letter's place in the alphabet), 0 for none
    depth: int  # parts of the number: "1.2." → 2
    text: str  # the text after the number or mark

    @property
    def kind_key(self) -> tuple[str, int]:
        return self.kind, self.depth if self.kind == "nested" else 0


def read_line(paragraph: Paragraph) -> Line:
    label = paragraph.label
    if label and not any(c.isalnum() for c in label):  # a bullet of Word's lists
        kind = "plus" if label.strip() == "+" else "dash"
        return Line(paragraph, kind, label, 0, 0, run_text(paragraph))
    text = paragraph.plain
    if match := ROMAN_HEADING.match(text):
        return Line(paragraph, "roman", match["n"] + ".", roman_value(match["n"]), 1, text[match.end() :])
    if match := NUMBER_HEADING.match(text):
        parts = [int(part) for part in match["n"].rstrip(".").split(".")]
        kind = "decimal" if len(parts) == 1 else "nested"
        return Line(paragraph, kind, match["n"], parts[-1], len(parts), text[match.end() :])
    if match := LETTER_HEADING.match(text):
        value = LETTERS.find(match["n"]) + 1
        return Line(paragraph, "letter", match["n"] + ")", value, 1, text[match.end() :])
    if text[:1] in DASHES and text[:1] != "+":
        return Line(paragraph, "dash", text[:1], 0, 0, text[1:].strip())
    if text.startswith("+"):
        return Line(paragraph, "plus", "+", 0, 0, text[1:].strip())
    return Line(paragraph, "", "", 0, 0, text)


# --- the outline ------------------------------------------------------------------------------------------


@dataclass
class Block:
    """A block of a heading's content as the data file writes it, with the places of its parts (paths
    relative to the block)."""

    data: Any
    places: dict[PathKey, str]


@dataclass
class HeadingNode:
    line: Line
    content: list[Block | HeadingNode] = field(default_factory=list)
    key: str | None = None
    text: str = ""
    # A section of the outline whose words are the report's own (kept as written when rendered again).
    own_heading: bool = False

    @property
    def style(self) -> Numbering:
        return _STYLES[self.line.kind]

    @property
    def headings(self) -> list[HeadingNode]:
        return [item for item in self.content if isinstance(item, HeadingNode)]


@dataclass
class Body:
    lead_in: list[tuple[str, Paragraph]]
    sections: list[HeadingNode]
    closing: tuple[str, Paragraph] | None


class _BodyReader:
    def __init__(self, reading: Reading, by_bold: bool) -> None:
        self.reading = reading
        self.by_bold = by_bold
        self.lead_in: list[tuple[str, Paragraph]] = []
        self.sections: list[HeadingNode] = []
        self.stack: list[HeadingNode] = []
        # Tables and pictures before the first heading (the lead-in holds paragraphs only).
        self.pending: list[Block] = []
        self.caption_for: Block | None = None

    def add(self, block: Block, paragraph: Paragraph | None = None) -> None:
        if self.stack:
            self.stack[-1].content.append(block)
        elif isinstance(block.data, str) and paragraph is not None:
            self.lead_in.append((block.data, paragraph))
        else:
            self.pending.append(block)

    def last(self, kind: str) -> Block | None:
        """The block the content ends with, when it is a block of ``kind`` ("list", "numbered")."""
        last = self.stack[-1].content[-1] if self.stack and self.stack[-1].content else None
        return last if isinstance(last, Block) and isinstance(last.data, dict) and kind in last.data else None

    def heading(self, line: Line) -> None:
        key = line.kind_key
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth].line.kind_key == key:
                del self.stack[depth:]
                break
        node = HeadingNode(line)
        (self.stack[-1].content if self.stack else self.sections).append(node)
        self.stack.append(node)

    def is_heading(self, line: Line) -> bool:
        if line.kind in ("roman", "nested", "letter"):
            return bool(line.text)
        if line.kind != "decimal" or not line.text:
            return False
        if self.by_bold:
            return is_bold(line.paragraph)
        return len(line.text) <= 150 and not line.text.endswith((".", ";"))

    def paragraph(self, paragraph: Paragraph) -> None:
        reading = self.reading
        reading.use(paragraph)
        pictures = reading.document.images(paragraph)
        if pictures:
            self.pictures(paragraph, pictures)
            return
        if paragraph.empty or is_blank(paragraph.plain):
            return
        caption_for, self.caption_for = self.caption_for, None
        if caption_for is not None and _is_caption(paragraph):
            caption_for.data["caption"] = paragraph.plain
            caption_for.places[("caption",)] = paragraph.location
            return
        line = read_line(paragraph)
        if self.is_heading(line):
            self.heading(line)
        elif line.kind == "dash" and line.text and self.stack:
            self.list_entry(line)
        elif line.kind == "plus" and line.text and (block := self.last("list")) is not None:
            entries = block.data["list"]
            item = entries[-1] if isinstance(entries[-1], dict) else {"text": entries[-1], "sub": []}
            entries[-1] = item
            block.places[("list", len(entries) - 1, "sub", len(item["sub"]))] = paragraph.location
            item["sub"].append(line.text)
        elif line.kind == "decimal" and line.text and self.stack:
            self.numbered(line)
        else:
            self.add(Block(paragraph.plain, {(): paragraph.location}), paragraph)

    def list_entry(self, line: Line) -> None:
        block = self.last("list")
        if block is None:
            block = Block({"list": []}, {(): line.paragraph.location})
            self.add(block)
        block.places[("list", len(block.data["list"]))] = line.paragraph.location
        block.data["list"].append(line.text)

    def numbered(self, line: Line) -> None:
        block = self.last("numbered")
        if block is None:
            block = Block({"numbered": []}, {(): line.paragraph.location})
            self.add(block)
        items = block.data["numbered"]
        if line.value != len(items) + 1:
            self.reading.warn(
                f"Đoạn đánh số “{line.typed}” sẽ được in lại là “{len(items) + 1}.” (số thứ tự do chương "
                "trình đánh, liền sau số trước).",
                line.paragraph,
                "Xem lại thứ tự các đoạn đánh số trong tệp dữ liệu đã tạo.",
            )
        block.places[("numbered", len(items))] = line.paragraph.location
        items.append(line.text)

    def pictures(self, paragraph: Paragraph, pictures: list[Image]) -> None:
        reading = self.reading
        if not paragraph.empty:
            self.add(Block(paragraph.plain, {(): paragraph.location}), paragraph)
        for picture in pictures:
            try:
                name = reading.keep_picture(picture.data, picture.suffix)
            except PictureError as exc:
                # Kept as a line of text where the picture was, so that it is not lost without a word.
                note = f"(Ảnh trong báo cáo gốc không đưa vào được: {exc.message})"
                self.add(Block(note, {(): paragraph.location}), paragraph)
                reading.warn(f"{exc.message} Đã ghi một dòng thay cho ảnh.", paragraph, exc.fix)
                continue
            data: dict[str, Any] = {"image": name}
            if picture.width:
                width = Decimal(str(round(picture.width / PT_PER_CM, 2))).normalize()
                fitted = min(max(width, Decimal(2)), TEXT_WIDTH_CM)
                if fitted != width:
                    reading.warn(
                        f"Ảnh rộng {numbers.format_number(width)} cm được đặt lại rộng "
                        f"{numbers.format_number(fitted)} cm (từ 2 cm đến bề rộng phần chữ của trang).",
                        paragraph,
                    )
                data["width_cm"] = fitted
            block = Block(data, {(): paragraph.location})
            self.add(block)
            self.caption_for = block

    def table(self, table: Table) -> None:
        self.reading.use(table)
        self.caption_for = None
        block = table_block(self.reading, table, "TT")
        if block is not None:
            self.add(block, table.paragraphs[0] if table.paragraphs else None)


def read_body(reading: Reading, blocks: list[Paragraph | Table]) -> Body:
    """The lead-in, the sections and the closing sentence of the blocks between Kính gửi and Nơi nhận."""
    closing, after = _closing(reading, blocks)
    decimal = [read_line(b) for b in blocks if isinstance(b, Paragraph)]
    by_bold = any(line.kind == "decimal" and is_bold(line.paragraph) for line in decimal)
    reader = _BodyReader(reading, by_bold)
    for block in blocks[:after] if closing else blocks:
        if isinstance(block, Table):
            reader.table(block)
        elif not (closing and block is closing[1]):
            reader.paragraph(block)
    for block in blocks[after:] if closing else []:
        if reading.is_used(block) or (
            isinstance(block, Paragraph) and (block.empty or is_blank(block.plain))
        ):
            continue
        keep_at_end(reading, reader.sections, block, "sau câu kết “… ./.”")
    if reader.pending:
        for item in reader.pending:
            place = next(iter(item.places.values()))
            reading.warn("Bảng hoặc ảnh này đứng trước đề mục đầu tiên; đã đặt vào đầu mục I.", place)
        if reader.sections:
            reader.sections[0].content[:0] = reader.pending
    return Body(reader.lead_in, reader.sections, closing)


def _closing(reading: Reading, blocks: list[Paragraph | Table]) -> tuple[tuple[str, Paragraph] | None, int]:
    """The closing sentence ("Trên đây là báo cáo … ./.") and the index of the first block after it."""
    texts = [(i, b) for i, b in enumerate(blocks) if isinstance(b, Paragraph) and not b.empty]
    found: tuple[int, Paragraph] | None = None
    for position in range(len(texts) - 1, -1, -1):
        index, paragraph = texts[position]
        if paragraph.plain == _CLOSING_MARK and position > 0:
            reading.use(paragraph)
            found = texts[position - 1]
            break
        if paragraph.plain.endswith(_CLOSING_MARK):
            found = (index, paragraph)
            break
    if found is None:
        found = next(((i, p) for i, p in reversed(texts) if p.plain.startswith("Trên đây")), None)
    if found is None:
        reading.warn(
            "Không thấy câu kết (“Trên đây là báo cáo … ./.”): báo cáo tạo ra từ tệp dữ liệu sẽ in câu kết "
            "mặc định của bộ mẫu.",
            texts[-1][1] if texts else None,
            "Thêm trường 'closing' vào tệp dữ liệu nếu cần câu kết khác.",
        )
        return None, len(blocks)
    index, paragraph = found
    reading.use(paragraph)
    text = strip_end(paragraph.plain.removesuffix(_CLOSING_MARK).rstrip())
    return (text, paragraph), index + 1


def keep_at_end(reading: Reading, sections: list[HeadingNode], block: Paragraph | Table, where: str) -> None:
    """A block ``where`` no part of the report is (after the closing sentence, after the signature), kept at
    the end of the last section and reported."""
    reading.use(block)
    if not sections:
        return
    last = sections[-1]
    kept = (
        table_block(reading, block, "TT")
        if isinstance(block, Table)
        else Block(block.plain, {(): block.location})
    )
    if kept is None:
        return
    last.content.append(kept)
    what = "Bảng" if isinstance(block, Table) else "Đoạn"
    reading.warn(
        f"{what} {where} không thuộc phần nào của báo cáo; đã giữ lại ở cuối mục {last.line.typed} "
        f"“{last.text or last.line.text}”.",
        block,
        "Chuyển nội dung này vào đúng chỗ trong tệp dữ liệu, hoặc xóa nếu không cần.",
    )


# --- tables ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridCell:
    text: str
    paragraph: Paragraph | None  # the cell's first paragraph, for its place
    span: int  # grid columns the cell covers; 0 for a column covered by the cell before it


def grid_rows(table: Table) -> list[list[GridCell]]:
    """Each row's cells by column of the table's grid: a merged cell at its first column, the columns it
    spans empty."""
    grid = table.element.find(w("tblGrid"))
    width = len(grid.findall(w("gridCol"))) if grid is not None else 0
    width = max([width, *(cell.column for row in table.rows for cell, _ in row)])
    rows = []
    for row in table.rows:
        cells = [GridCell("", None, 0)] * width
        starts = [cell.column for cell, _ in row] + [width + 1]
        for (cell, paragraphs), end in zip(row, starts[1:], strict=False):
            text = " ".join(p.plain for p in paragraphs if not p.empty)
            cells[cell.column - 1] = GridCell(text, paragraphs[0] if paragraphs else None, end - cell.column)
        rows.append(cells)
    return rows


def table_block(reading: Reading, table: Table, number_column: str | None) -> Block | None:
    """A table of the body (``number_column``: the model's default name of its numbering column) as a
    table block; a table of one row is kept as a paragraph."""
    rows = grid_rows(table)
    texts = [[cell.text for cell in row] for row in rows]
    if len(texts) < 2:
        text = " ".join(t for row in texts for t in row if t)
        if not text:
            return None
        reading.warn("Bảng chỉ có một dòng; đã giữ lại thành một đoạn văn.", table)
        return Block(text, {(): table.where})
    columns, data_rows = _columns_and_rows(reading, table, texts)
    places: dict[PathKey, str] = {(): table.where}
    numbered = _numbering_column(columns, data_rows)
    if numbered:
        columns, data_rows = columns[1:], [row[1:] for row in data_rows]
    for r, row in enumerate(rows[1:]):
        for c, cell in enumerate(row[1:] if numbered else row):
            if cell.paragraph is not None:
                places[("table", "rows", r, c)] = cell.paragraph.location
    spec: dict[str, Any] = {"columns": columns, "rows": data_rows}
    name = texts[0][0] if numbered else None
    if name != number_column:
        spec["number_column"] = name
    return Block({"table": spec}, places)


def _columns_and_rows(
    reading: Reading, table: Table, texts: list[list[str]]
) -> tuple[list[str], list[list[str]]]:
    header = list(texts[0])
    for index, name in enumerate(header):
        if not name:
            header[index] = header[index - 1] if index and header[index - 1] else f"Cột {index + 1}"
            reading.warn(
                f"Ô tiêu đề cột {index + 1} của bảng để trống (hoặc gộp ô); đặt tên cột là "
                f"“{header[index]}”.",
                table,
            )
    return header, [list(row) for row in texts[1:]]


def _numbering_column(columns: list[str], rows: list[list[str]]) -> bool:
    """The first column is a numbering column the renderer generates: named TT or STT, rows 1, 2, 3 …"""
    if len(columns) < 2 or fold(columns[0]) not in _NUMBER_COLUMNS:
        return False
    return all(row[0].rstrip(".") == str(index) for index, row in enumerate(rows, start=1))


# --- numbering of the outline ----------------------------------------------------------------------------


def numbering_of(sections: list[HeadingNode]) -> list[Numbering]:
    """The numbering of each level of the outline: the way most of the headings at that level are numbered
    (the first way when as many are numbered otherwise)."""
    found: list[Numbering] = []
    level = sections
    while level:
        styles = Counter(node.style for node in level)
        found.append(max(styles, key=lambda style: (styles[style], -[n.style for n in level].index(style))))
        level = [child for node in level for child in node.headings]
    return found


def heading_overrides(sections: list[HeadingNode], numbering: list[Numbering]) -> dict[int, Numbering]:
    """The headings (by id) whose sub-headings are numbered otherwise than their level says."""
    overrides: dict[int, Numbering] = {}

    def walk(nodes: list[HeadingNode], depth: int) -> None:
        for node in nodes:
            children = node.headings
            if children:
                wanted = numbering[min(depth + 1, len(numbering) - 1)]
                if children[0].style != wanted:
                    overrides[id(node)] = children[0].style
                walk(children, depth + 1)

    walk(sections, 0)
    return overrides


def renumbering(reading: Reading, sections: list[HeadingNode]) -> None:
    """Warn of every heading number the renderer will print otherwise than typed ("e)" after "d)")."""

    def walk(nodes: list[HeadingNode], parent: str) -> None:
        for rank, node in enumerate(nodes, start=1):
            printed = heading_number(node.style, rank, parent)
            typed = node.line.typed
            if typed.rstrip(".") != printed.rstrip("."):
                reading.warn(
                    f"Số đề mục “{typed}” sẽ được in lại là “{printed}” (số đề mục do chương trình đánh).",
                    node.line.paragraph,
                    "Xem lại thứ tự các đề mục trong tệp dữ liệu đã tạo.",
                )
            walk(node.headings, printed)

    walk(sections, "")


def heading_data(
    nodes: list[HeadingNode], overrides: dict[int, Numbering], path: PathKey, places: dict[PathKey, str]
) -> list[Any]:
    """The headings at ``path`` and their content as the data file writes them; ``places`` gets the place
    of each value."""
    return [_heading_data(node, overrides, (*path, index), places) for index, node in enumerate(nodes)]


def _heading_data(
    node: HeadingNode, overrides: dict[int, Numbering], path: PathKey, places: dict[PathKey, str]
) -> dict[str, Any]:
    places[path] = places[(*path, "heading")] = node.line.paragraph.location
    data: dict[str, Any] = {"heading": node.text or node.line.text}
    if node.key:
        data["key"] = node.key
    if node.own_heading:
        data["own_heading"] = True
    if id(node) in overrides:
        data["numbering"] = overrides[id(node)]
    content: list[Any] = []
    for position, item in enumerate(node.content):
        here = (*path, "content", position)
        if isinstance(item, HeadingNode):
            content.append(_heading_data(item, overrides, here, places))
            continue
        for relative, where in item.places.items():
            places[(*here, *relative)] = where
        content.append(item.data)
    if content:
        data["content"] = content
    return data


# --- the indicator appendix --------------------------------------------------------------------------------

_ROLES = (
    ("unit", ("đơn vị tính", "đvt")),
    ("note", ("ghi chú",)),
    ("stt", ("stt", "tt", "số tt", "số thứ tự")),
    ("label", ("chỉ tiêu", "nội dung", "tên chỉ tiêu")),
    ("value", ("số liệu", "kết quả", "giá trị", "số lượng")),
)


_ROW_ROLES = ("stt", "label", "unit", "value", "note")


@dataclass(frozen=True)
class AppendixRow:
    stt: str
    label: str
    unit: str
    value: str
    note: str
    places: dict[str, str]  # role → place in the .docx


def column_roles(rows: list[list[GridCell]]) -> tuple[dict[int, str], int]:
    """The role of each grid column ("stt", "label", "unit", "value", "note") from the header rows (a
    lower row refines a cell spanning columns above it, as "Kết quả thống kê" over "Đơn vị tính" and
    "Số liệu"), and how many rows the header has."""
    roles: dict[int, str] = {}
    header_rows = 0
    for row in rows[:3]:
        found = {}
        for index, cell in enumerate(row):
            role = _role(cell.text)
            if role:
                found.update(dict.fromkeys(range(index, index + max(cell.span, 1)), role))
        if not found or _looks_like_stt(row[0].text):
            break
        roles.update(found)
        header_rows += 1
    return roles, header_rows


def _role(text: str) -> str | None:
    folded = fold(text)
    if not folded:
        return None
    for role, words in _ROLES:
        if folded in words or any(folded.startswith(word) for word in words if len(word) > 3):
            return role
    return None


def _looks_like_stt(text: str) -> bool:
    return bool(re.fullmatch(r"(?:\d{1,2}\.?)+|[IVX]+\.?|[a-zđ]\)", text.strip()))


def is_indicator_table(table: Table) -> bool:
    roles, _ = column_roles(grid_rows(table))
    return {"label", "value"} <= set(roles.values())


def appendix_rows(table: Table) -> Iterator[AppendixRow]:
    rows = grid_rows(table)
    roles, header_rows = column_roles(rows)
    for row in rows[header_rows:]:
        texts: dict[str, list[str]] = defaultdict(list)
        places: dict[str, str] = {}
        for column, cell in enumerate(row):
            role = roles.get(column)
            if role and cell.text:
                texts[role].append(cell.text)
                if cell.paragraph is not None:
                    places.setdefault(role, cell.paragraph.location)
        if not any(texts.values()):
            continue
        first = next((cell.paragraph for cell in row if cell.paragraph is not None), None)
        if first is not None:
            places.setdefault("row", first.location.split(", ô")[0])
        stt, label, unit, value, note = (" ".join(texts[role]) for role in _ROW_ROLES)
        yield AppendixRow(stt, label, unit, value, note, places)


@dataclass
class Figures:
    values: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    places: dict[PathKey, str] = field(default_factory=dict)
    unmatched: list[list[str]] = field(default_factory=list)


def read_figures(reading: Reading, table: Table, appendix: Appendix, rate_decimals: int) -> Figures:
    """The figures of the indicator appendix, each row matched to the catalogue by its STT and label."""
    catalogue = _Catalogue(appendix)
    figures = Figures()
    for row in appendix_rows(table):
        where = row.places.get("label") or row.places.get("row")
        match = catalogue.match(row)
        if match is None:
            if row.label or row.value:
                _unmatched(reading, figures, row, where, "không khớp chỉ tiêu nào của danh mục")
            continue
        stt, indicator = catalogue.rows[match].stt, catalogue.rows[match].indicator
        if fold(row.label) != catalogue.labels[match]:
            reading.warn(
                f"Dòng phụ lục “{row.stt} {row.label}” được hiểu là chỉ tiêu “{stt} {indicator.label}”"
                f"{f' ({indicator.code})' if indicator.code else ''}.",
                where,
                "Kiểm tra số liệu của chỉ tiêu này trong tệp dữ liệu đã tạo.",
            )
        note = row.note if fold(row.note) != fold(indicator.note) else ""
        if indicator.code is None:
            if row.value or note:
                _unmatched(reading, figures, row, where, "là dòng nhóm, không có mã để ghi số liệu")
            continue
        code = indicator.code
        if row.value:
            value = figure_value(row.value, indicator, rate_decimals)
            value_place = row.places.get("value", where or "")
            if value is None:
                reading.warn(
                    f"Không đọc được số liệu “{row.value}” của chỉ tiêu “{indicator.label}” ({code}); "
                    "đã ghi vào ghi chú của chỉ tiêu.",
                    value_place,
                    f"Gõ số liệu theo kiểu Việt Nam (ví dụ 1.601 hoặc 47,37) vào figures.{code}.",
                )
                note = f"{note} (số liệu trong báo cáo gốc: {row.value})".strip()
            else:
                figures.values[code] = value
                figures.places[("figures", code)] = value_place
        if note:
            figures.notes[code] = note
            figures.places[("figure_notes", code)] = row.places.get("note", where or "")
    return figures


class _Catalogue:
    """The profile's catalogue in appendix order, each row taken once."""

    def __init__(self, appendix: Appendix) -> None:
        self.rows = list(indicator_rows(appendix.indicators))
        self.labels = [fold(row.indicator.label) for row in self.rows]
        self.matchers = []
        for label in self.labels:
            matcher = difflib.SequenceMatcher(None, autojunk=False)
            matcher.set_seq2(label)
            self.matchers.append(matcher)
        self.taken: set[int] = set()
        self.next = 0

    def match(self, row: AppendixRow) -> int | None:
        """The catalogue row ``row`` is: the same label (the nearest after the last match when several
        have it), else the closest one, helped by an equal STT and by coming next."""
        label = fold(row.label)
        stt = row.stt.strip().rstrip(".")
        free = [i for i in range(len(self.rows)) if i not in self.taken]
        same = [i for i in free if self.labels[i] == label]
        found = (
            min(same, key=lambda i: (self.stt(i) != stt, abs(i - self.next)))
            if same
            else self.closest(label, stt, free)
        )
        if found is not None:
            self.taken.add(found)
            self.next = found + 1
        return found

    def stt(self, index: int) -> str:
        return self.rows[index].stt.rstrip(".")

    def closest(self, label: str, stt: str, free: list[int]) -> int | None:
        best, best_score = None, 0.0
        for index in free:
            matcher = self.matchers[index]
            matcher.set_seq1(label)
            if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
                continue
            ratio = matcher.ratio()
            same_stt = bool(stt) and stt == self.stt(index)
            score = ratio + (0.15 if same_stt else 0) + (0.05 if 0 <= index - self.next < 3 else 0)
            if (ratio >= 0.75 or (same_stt and ratio >= 0.5)) and score > best_score:
                best, best_score = index, score
        return best


def _unmatched(reading: Reading, figures: Figures, row: AppendixRow, where: str | None, why: str) -> None:
    figures.unmatched.append([row.stt, row.label, row.unit, row.value, row.note])
    reading.warn(
        f"Dòng phụ lục “{row.stt} {row.label}” {why}; đã giữ lại trong phụ lục “{UNMATCHED_TITLE}”.",
        where,
        "Ghi số liệu vào đúng mã chỉ tiêu trong figures, hoặc xóa phụ lục đó nếu không cần.",
    )


def figure_value(text: str, indicator: Indicator, rate_decimals: int) -> int | Decimal | str | None:
    """A figure as the appendix shows it: a number when it reads back as printed, the text as typed when
    its digits matter ("02", "1714"), the code of an answer written out; None when it is no number."""
    if indicator.type == "text":
        return text
    if indicator.type == "code":
        answers = {fold(answer): code for code, answer in indicator.codes.items()}
        if fold(text) in answers:
            return answers[fold(text)]
    try:
        typed = numbers.read_typed(text)
    except ValueError:
        return None
    number = typed.number
    printed = (
        numbers.percent_number(number, rate_decimals)
        if indicator.type == "percentage"
        else numbers.format_number(number)
    )
    if printed != text:
        return text
    return int(number) if number == int(number) else Decimal(number)
