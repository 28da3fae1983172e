"""Where the elements of an administrative document are, found by what they say.

The format rules (:mod:`cchc_gen.nd30.rules`) need to know which paragraph is the Quốc hiệu, the issuing
body, "Số:", the date line, the tên loại and its trích yếu, "Kính gửi", the body, "Nơi nhận", the signature
and each appendix, and which paragraphs of the body are captions of a picture or a table. Hand-made
documents put them in a header table or in plain paragraphs, in either order within the header, so each is
found by its words and its place relative to the others, never by a fixed paragraph number. A header typed
as lines whose right half is pushed over with tabs ("Số: 05/BC-UBND<tab><tab>An Bình, ngày …") is read as the
two columns it shows.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from cchc_gen.nd30.docx_view import Paragraph, Table, WordDocument

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
APPENDIX = re.compile(r"(?i)(?P<word>phụ lục)(?:\s+(?P<number>[IVXLC]+|\d+))?\s*[.:]?")
DASHES = ("-", "–", "—", "+", "•")
# Heading numbers as typed: "I. ", "1. " or "1.1. " (the last dot sometimes left out), "a) ".
ROMAN_HEADING = re.compile(r"^(?P<n>(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3}))\.\s")
NUMBER_HEADING = re.compile(r"^(?P<n>\d{1,2}\.|\d{1,2}(?:\.\d{1,2})+\.?)\s")
LETTER_HEADING = re.compile(r"^(?P<n>[a-zđ])\)\s")
_NOI_NHAN = re.compile(r"(?i)nơi\s+nhận\s*[:.]?")  # the label on a line of its own, not "Nơi nhận hồ sơ …"
# A note in brackets under the trích yếu (the data window of a report), no part of the trích yếu itself.
_TITLE_NOTE = re.compile(r"\(.+\)")
# A caption's words: "Hình 1.", "Biểu đồ 2:", "Bảng 3 -", "Sơ đồ 1.2." and its title; not "Bảng 1 cho thấy…".
_CAPTION = re.compile(r"(?i)(?:hình|biểu đồ|sơ đồ|đồ thị|bảng|ảnh)\s+\d+(?:\.\d+)*\s*[.:–—-]\s*\S")
_HEADER_BLOCKS = 8  # the Quốc hiệu is among the first blocks of page 1, not in a quotation further on
_NUMBER_LINE = re.compile(r"(?i)\s*số\b[^/]*/")
_DATE_LINE = re.compile(r"(?i)ngày.*tháng.*năm")
# Tên loại văn bản hành chính (NĐ 30/2020, Phụ lục III, mục I), as they stand on their own line.
_DOCUMENT_TYPES = frozenset(
    {
        *("BÁO CÁO", "TỜ TRÌNH", "KẾ HOẠCH", "THÔNG BÁO", "QUYẾT ĐỊNH", "NGHỊ QUYẾT", "CHỈ THỊ", "QUY CHẾ"),
        *("QUY ĐỊNH", "HƯỚNG DẪN", "CHƯƠNG TRÌNH", "PHƯƠNG ÁN", "ĐỀ ÁN", "DỰ ÁN", "BIÊN BẢN", "CÔNG ĐIỆN"),
        *("GIẤY MỜI", "GIẤY GIỚI THIỆU", "THÔNG CÁO", "BẢN GHI NHỚ", "HỢP ĐỒNG"),
    }
)


def is_blank(text: str) -> bool:
    """Left for the office to fill in (or a line of dots in the decree's samples): no letter, no digit."""
    return not any(c.isalnum() for c in text)


def is_upper(text: str) -> bool:
    return any(c.isalpha() for c in text) and text == text.upper()


def is_rule_line(paragraph: Paragraph) -> bool:
    """A line typed as underscores."""
    return bool(re.fullmatch(r"_{3,}", paragraph.plain))


def kinh_gui_inline(paragraph: Paragraph) -> str:
    """The recipient written on the "Kính gửi" line itself, if any."""
    return paragraph.plain[len("Kính gửi") :].lstrip(" :").strip()


def _is_gap(paragraph: Paragraph) -> bool:
    return (
        paragraph.empty and not paragraph.shapes and not paragraph.pictures and not paragraph.format.borders
    )


def _is_caption(blocks: list[Paragraph | Table], index: int) -> bool:
    """A caption: its words ("Biểu đồ 1. …") right under or right above a picture or a table."""
    block = blocks[index]
    if not isinstance(block, Paragraph) or not _CAPTION.match(block.plain):
        return False
    solid = [b for b in blocks if not (isinstance(b, Paragraph) and _is_gap(b))]
    place = solid.index(block)
    beside = solid[max(0, place - 1) : place] + solid[place + 1 : place + 2]
    return any(isinstance(b, Table) or b.pictures for b in beside)


# Tabs (and the spaces around them) between two words: where a line typed as two columns is split.
_COLUMN_GAP = re.compile(r"(?<=\S)[ \u00a0]*\t\s*(?=\S)")


def split_columns(paragraph: Paragraph) -> tuple[Paragraph | None, Paragraph | None]:
    """A line typed as two columns, the right one pushed over with tabs: its left part and its right part,
    each as a paragraph of its own at the same place. ``(paragraph, None)`` when no tab stands between two
    words; ``(None, paragraph)`` when the line starts with a tab (right column only)."""
    text = "".join(run.text for run in paragraph.runs)
    if not text.strip():
        return paragraph, None
    if "\t" in text[: len(text) - len(text.lstrip())]:
        return None, _part(paragraph, text, len(text) - len(text.lstrip()), len(text), "")
    gap = _COLUMN_GAP.search(text)
    if gap is None:
        return paragraph, None
    left = _part(paragraph, text, 0, gap.start(), paragraph.label)
    return left, _part(paragraph, text, gap.end(), len(text), "")


def _part(paragraph: Paragraph, text: str, start: int, end: int, label: str) -> Paragraph:
    """The runs of ``paragraph`` cut to the characters ``start``–``end`` of its text."""
    runs, offset = [], 0
    for run in paragraph.runs:
        low, high = max(start, offset), min(end, offset + len(run.text))
        if low < high:
            runs.append(dataclasses.replace(run, text=run.text[low - offset : high - offset]))
        offset += len(run.text)
    return dataclasses.replace(paragraph, runs=runs, label=label, shapes=[])


@dataclass
class Appendix:
    heading: Paragraph
    block: int  # index of the heading among the document's blocks
    word: str
    number: str | None
    title: list[Paragraph] = field(default_factory=list)
    reference: Paragraph | None = None


@dataclass
class Layout:
    """The elements found; an element the document does not have is None or empty."""

    header_table: Table | None = None
    left: list[Paragraph] = field(default_factory=list)  # the header's left column, top to bottom
    right: list[Paragraph] = field(default_factory=list)  # the header's right column
    quoc_hieu: Paragraph | None = None
    number: Paragraph | None = None
    date: Paragraph | None = None
    type_name: Paragraph | None = None
    title: list[Paragraph] = field(default_factory=list)
    # A line in brackets under the trích yếu, above its rule: "(số liệu tính từ 15/12/2021 đến 14/6/2022)".
    title_note: Paragraph | None = None
    kinh_gui: Paragraph | None = None
    recipients: list[Paragraph] = field(default_factory=list)
    body: list[Paragraph | Table] = field(default_factory=list)  # blocks from the first lead-in to Nơi nhận
    captions: list[Paragraph] = field(default_factory=list)  # the body's captions of pictures and tables
    noi_nhan: Paragraph | None = None
    distribution: list[Paragraph] = field(default_factory=list)  # the "- …;" lines under Nơi nhận
    signature: list[Paragraph] = field(default_factory=list)
    appendices: list[Appendix] = field(default_factory=list)

    @property
    def is_report(self) -> bool:
        return self.type_name is not None and self.type_name.plain.upper() == "BÁO CÁO"


def find_layout(document: WordDocument) -> Layout:
    return _Finder(document).find()


class _Finder:
    def __init__(self, document: WordDocument) -> None:
        self.doc = document
        self.blocks = document.blocks
        self.layout = Layout()

    def find(self) -> Layout:
        """Without a Quốc hiệu on its first page a document is no administrative document: nothing else is
        looked for (its paper, margins, fonts and page numbers are still checked)."""
        position = self._header()
        if position is None:
            return self.layout
        position = self._title(position)
        position = self._kinh_gui(position)
        end = self._body(position)
        self._signature(end)
        for index in range(end, len(self.blocks)):
            block = self.blocks[index]
            if isinstance(block, Paragraph) and (match := APPENDIX.fullmatch(block.plain)):
                self.layout.appendices.append(self._appendix(index, block, match))
        return self.layout

    def _header(self) -> int | None:
        """Find the header's elements; returns the block index just after the header."""
        layout = self.layout
        first_blocks = self.blocks[:_HEADER_BLOCKS]
        first_page = [p for b in first_blocks for p in (b.paragraphs if isinstance(b, Table) else [b])]
        layout.quoc_hieu = next((p for p in first_page if _first_line(p) == QUOC_HIEU), None)
        if layout.quoc_hieu is None:
            return self._header_in_columns()
        tables = {b.index: b for b in self.blocks if isinstance(b, Table)}
        cell = layout.quoc_hieu.cell
        layout.header_table = tables.get(cell.table) if cell is not None else None
        if layout.header_table is not None and cell is not None:
            for row in layout.header_table.rows:
                for position, paragraphs in row:
                    (layout.right if position.column >= cell.column else layout.left).extend(paragraphs)
            after = self.blocks.index(layout.header_table) + 1
        elif layout.quoc_hieu in self.blocks:
            start = self.blocks.index(layout.quoc_hieu)
            head = [b for b in self.blocks[: start + 8] if isinstance(b, Paragraph)]
            layout.left, layout.right = (
                head[: head.index(layout.quoc_hieu)],
                head[head.index(layout.quoc_hieu) :],
            )
            after = start + 1
        else:
            return None
        header = layout.left + layout.right
        layout.number = next((p for p in header if _NUMBER_LINE.match(p.text)), None)
        layout.date = next((p for p in header if _DATE_LINE.search(p.text)), None)
        if layout.header_table is None:
            found = [p for p in (layout.number, layout.date) if p is not None]
            after = max([after] + [self.blocks.index(p) + 1 for p in found])
            layout.left = [p for p in layout.left if self.blocks.index(p) < after]
            layout.right = [p for p in layout.right if self.blocks.index(p) < after]
        return after

    def _header_in_columns(self) -> int | None:
        """The header typed as lines of two columns (:func:`split_columns`), down to the date line; returns
        the block index after it, None when no line's right part is the Quốc hiệu."""
        layout = self.layout
        lines: list[tuple[Paragraph | None, Paragraph | None]] = []
        after = 0
        for index, block in enumerate(self.blocks[: 2 * _HEADER_BLOCKS]):
            if not isinstance(block, Paragraph) or block.plain.upper() in _DOCUMENT_TYPES:
                break
            left, right = split_columns(block)
            lines.append((left, right))
            after = index + 1
            if right is not None and _DATE_LINE.search(right.text):
                break
        layout.quoc_hieu = next((r for _, r in lines if r is not None and _first_line(r) == QUOC_HIEU), None)
        if layout.quoc_hieu is None:
            return None
        layout.left = [left for left, _ in lines if left is not None and not _is_gap(left)]
        layout.right = [right for _, right in lines if right is not None]
        header = layout.left + layout.right
        layout.number = next((p for p in header if _NUMBER_LINE.match(p.text)), None)
        layout.date = next((p for p in header if _DATE_LINE.search(p.text)), None)
        return after

    def _title(self, position: int) -> int:
        """Tên loại and the trích yếu under it; returns the block index after them and their line."""
        index = next((i for i in range(position, len(self.blocks)) if not self._skippable(i)), None)
        if index is None or not isinstance(paragraph := self.blocks[index], Paragraph):
            return position
        words = paragraph.plain.upper()
        looks_like_type = words in _DOCUMENT_TYPES or (
            is_upper(paragraph.text) and len(words.split()) <= 6 and not is_rule_line(paragraph)
        )
        if words.startswith("KÍNH GỬI") or not looks_like_type:
            return position
        self.layout.type_name = paragraph
        index += 1
        while index < len(self.blocks) and len(self.layout.title) < 4:
            block = self.blocks[index]
            if not isinstance(block, Paragraph) or block.plain.upper().startswith("KÍNH GỬI"):
                break
            if _is_gap(block):
                if self.layout.title and not self._title_continues(index):
                    break
                index += 1
                continue
            if is_rule_line(block) or block.shapes or block.empty:
                index += 1  # the line under the trích yếu
                break
            if not block.format.centred:
                break
            if self.layout.title and _TITLE_NOTE.fullmatch(block.plain):
                self.layout.title_note = block
                index += 1
                continue
            self.layout.title.append(block)
            index += 1
        return index

    def _title_continues(self, gap: int) -> bool:
        """After an empty line under a line of the trích yếu, the trích yếu goes on when the next line is
        centred bold text again (a hand-made file with an empty paragraph between all its lines)."""
        following = next((i for i in range(gap, len(self.blocks)) if not self._skippable(i)), None)
        if following is None or not isinstance(block := self.blocks[following], Paragraph):
            return False
        bold = bool(block.text_runs) and all(run.format.bold for run in block.text_runs)
        starts_body = block.plain.upper().startswith("KÍNH GỬI") or is_rule_line(block) or bool(block.shapes)
        return block.format.centred and bold and not starts_body

    def _skippable(self, index: int) -> bool:
        block = self.blocks[index]
        return isinstance(block, Paragraph) and _is_gap(block)

    def _kinh_gui(self, position: int) -> int:
        for index in range(position, min(position + 4, len(self.blocks))):
            block = self.blocks[index]
            if isinstance(block, Paragraph) and block.plain.lower().startswith("kính gửi"):
                self.layout.kinh_gui = block
                index += 1
                if kinh_gui_inline(block):
                    return index
                end = index
                while index < len(self.blocks):
                    entry = self.blocks[index]
                    if isinstance(entry, Paragraph) and _is_gap(entry):
                        index += 1
                        continue
                    if not isinstance(entry, Paragraph) or entry.plain[:1] not in DASHES:
                        break
                    self.layout.recipients.append(entry)
                    index = end = index + 1
                return end
        return position

    def _body(self, position: int) -> int:
        """The body runs up to Nơi nhận (or its table), or to the first appendix; returns that block index."""
        end = len(self.blocks)
        for index in range(position, len(self.blocks)):
            block = self.blocks[index]
            paragraphs = block.paragraphs if isinstance(block, Table) else [block]
            label = next((p for p in paragraphs if _is_noi_nhan(p)), None)
            if label is None and isinstance(block, Paragraph):
                left, _ = split_columns(block)
                label = left if left is not None and left is not block and _is_noi_nhan(left) else None
            if label is not None:
                self.layout.noi_nhan, end = label, index
                break
            if isinstance(block, Paragraph) and APPENDIX.fullmatch(block.plain):
                end = index
                break
        body = self.layout.body = self.blocks[position:end]
        self.layout.captions = [
            b for i, b in enumerate(body) if isinstance(b, Paragraph) and _is_caption(body, i)
        ]
        return end

    def _signature(self, end: int) -> None:
        """The Nơi nhận lines and the signature: the rest of the label's table cell, and the signature beside
        it in its row; else the "- …" lines after the label, and the first table after the body whose cell
        starts with an upper-case line and holds a name below it."""
        label = self.layout.noi_nhan
        candidates: list[list[Paragraph]] = []
        if label is not None and label.cell is not None:
            table = next(b for b in self.blocks if isinstance(b, Table) and b.index == label.cell.table)
            row = table.rows[label.cell.row - 1]
            cell = next(p for c, p in row if c.column == label.cell.column)
            self.layout.distribution = [p for p in cell[cell.index(label) + 1 :] if not p.empty]
            candidates += [paragraphs for position, paragraphs in row if position.column > label.cell.column]
        elif label is not None and label not in self.blocks:
            self._signature_in_columns(end)
            return
        elif label is not None:
            for block in self.blocks[self.blocks.index(label) + 1 :]:
                if not isinstance(block, Paragraph) or block.empty or block.plain[:1] not in DASHES:
                    break
                self.layout.distribution.append(block)
        for block in self.blocks[end:]:
            if isinstance(block, Paragraph) and APPENDIX.fullmatch(block.plain):
                break
            if isinstance(block, Table):
                candidates += [paragraphs for row in block.rows for _, paragraphs in row[1:]]
        for paragraphs in candidates:
            texts = [p for p in paragraphs if not p.empty]
            if len(texts) >= 2 and is_upper(texts[0].text):
                self.layout.signature = paragraphs
                return

    def _signature_in_columns(self, end: int) -> None:
        """Nơi nhận and the signature typed as lines of two columns (:func:`split_columns`): the "- …" lines
        on the left, the signature on the right, down to a table or an appendix."""
        for block in self.blocks[end:]:
            if not isinstance(block, Paragraph) or (block.plain and APPENDIX.fullmatch(block.plain)):
                break
            left, right = split_columns(block)
            if left is not None and not _is_gap(left) and not _is_noi_nhan(left):
                if left.plain[:1] in DASHES:
                    self.layout.distribution.append(left)
                else:
                    right = right or left  # a line of its own under the signature: the signer's name
            if right is not None:
                self.layout.signature.append(right)

    def _appendix(self, index: int, heading: Paragraph, match: re.Match[str]) -> Appendix:
        """The heading, the title lines under it and the "(Kèm theo …)" line."""
        appendix = Appendix(heading, index, match["word"], match["number"])
        for block in self.blocks[index + 1 : index + 9]:
            if not isinstance(block, Paragraph) or is_rule_line(block):
                break
            if block.empty:
                continue
            if block.plain.lower().startswith("(kèm theo"):
                appendix.reference = block
                break
            appendix.title.append(block)
        return appendix


def _is_noi_nhan(paragraph: Paragraph) -> bool:
    """The Nơi nhận label on a line of its own, not "Nơi nhận hồ sơ …"."""
    return bool(_NOI_NHAN.fullmatch(paragraph.text.split("\n")[0].strip()))


def _first_line(paragraph: Paragraph) -> str:
    """The first line, upper case, spaces collapsed, the older "HOÀ" spelled "HÒA"."""
    return " ".join(paragraph.text.split("\n")[0].split()).upper().replace("HOÀ", "HÒA")
