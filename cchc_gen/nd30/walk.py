"""One walk over the paragraphs and tables of a .docx part, and the words that name each place in it.

The format checker (:mod:`cchc_gen.nd30.docx_view`) and the template linter (:mod:`cchc_gen.maintain.lint`)
both read a Word file paragraph by paragraph and tell the user where something is. Both walk it here, so
that they name a place in the same words, as the reader counts in Word:

- "đoạn 12": the 12th paragraph outside tables, in the body (or in one header or footer);
- "bảng 2, dòng 3, ô 1": the paragraph of the first cell of the third row of the second table; tables are
  counted in reading order, a table inside a cell after the table around it; ", đoạn 2" is added when the
  cell has more than one paragraph.

Content controls (``w:sdt``) and custom XML (``w:customXml``) around paragraphs, tables, rows or cells are
walked through as if they were not there. Paragraphs in text boxes are walked only when asked for: headers
and footers often put the page number in one; the body's text boxes are not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def w(tag: str) -> str:
    """The qualified name of a WordprocessingML element or attribute."""
    return f"{{{W_NS}}}{tag}"


def as_number(value: str | None) -> float | None:
    """An attribute's number, or None when it is missing or not a number."""
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


@dataclass(frozen=True)
class CellPosition:
    """Where a table cell is: its table, its row and its rank in the row, from 1; the grid column it starts
    at (a merged cell spans several) and its width in points when the document gives one."""

    table: int
    row: int
    cell: int
    column: int
    width: float | None

    @property
    def where(self) -> str:
        return f"bảng {self.table}, dòng {self.row}, ô {self.cell}"


@dataclass(eq=False)
class ParagraphNode:
    element: Any
    where: str
    cell: CellPosition | None


@dataclass(eq=False)
class CellNode:
    position: CellPosition
    blocks: list[Block]


@dataclass(eq=False)
class TableNode:
    index: int
    element: Any
    rows: list[list[CellNode]]


Block = ParagraphNode | TableNode


def walk(part: Any, *, text_boxes: bool = False) -> list[Block]:
    """The paragraphs and tables of a part (``w:body``, ``w:hdr``, ``w:ftr``) in reading order, each
    paragraph named; with ``text_boxes``, the paragraphs of a text box follow the paragraph it is drawn in."""
    return _Walker(text_boxes).blocks(part, None)


def paragraphs(blocks: list[Block]) -> Iterator[ParagraphNode]:
    """Every paragraph of ``blocks`` in reading order, those in tables (and tables in tables) included."""
    for block in blocks:
        if isinstance(block, ParagraphNode):
            yield block
        else:
            for row in block.rows:
                for cell in row:
                    yield from paragraphs(cell.blocks)


def children(element: Any, tag: str) -> Iterator[Any]:
    """Direct children with this tag, also those wrapped in content controls or custom XML."""
    for child in element.iterchildren():
        if child.tag == w(tag):
            yield child
        elif (inside := _unwrapped(child)) is not None:
            yield from children(inside, tag)


def _unwrapped(element: Any) -> Any:
    """What a content control or custom XML element holds; None for any other element."""
    if element.tag == w("sdt"):
        return element.find(w("sdtContent"))
    return element if element.tag == w("customXml") else None


class _Walker:
    def __init__(self, text_boxes: bool) -> None:
        self.text_boxes = text_boxes
        self.paragraphs = 0  # outside tables
        self.tables = 0

    def blocks(self, container: Any, cell: CellPosition | None) -> list[Block]:
        found: list[Block] = []
        self._walk(container, cell, found)
        return found

    def _walk(self, container: Any, cell: CellPosition | None, out: list[Block]) -> None:
        for child in container.iterchildren():
            if child.tag == w("p"):
                if cell is None:
                    self.paragraphs += 1
                out.append(ParagraphNode(child, f"đoạn {self.paragraphs}", cell))
                if self.text_boxes:
                    for box in _text_boxes(child):
                        self._walk(box, cell, out)
            elif child.tag == w("tbl"):
                out.append(self._table(child))
            elif (inside := _unwrapped(child)) is not None:
                self._walk(inside, cell, out)

    def _table(self, element: Any) -> TableNode:
        self.tables += 1
        table = TableNode(self.tables, element, [])
        columns = element.find(w("tblGrid"))
        grid = (
            [(as_number(c.get(w("w"))) or 0) / 20 for c in columns.iter(w("gridCol"))]
            if columns is not None
            else []
        )
        for row_index, row in enumerate(children(element, "tr"), start=1):
            cells, column = [], 1
            for rank, tc in enumerate(children(row, "tc"), start=1):
                span_element = tc.find(f"{w('tcPr')}/{w('gridSpan')}")
                span = int(as_number(span_element.get(w("val"))) or 1) if span_element is not None else 1
                width_element = tc.find(f"{w('tcPr')}/{w('tcW')}")
                width = None
                if width_element is not None and width_element.get(w("type"), "dxa") == "dxa":
                    width = (as_number(width_element.get(w("w"))) or 0) / 20 or None
                if width is None and grid[column - 1 : column - 1 + span]:
                    width = sum(grid[column - 1 : column - 1 + span]) or None
                position = CellPosition(table.index, row_index, rank, column, width)
                blocks = self.blocks(tc, position)
                own = [b for b in blocks if isinstance(b, ParagraphNode)]
                for number, paragraph in enumerate(own, start=1):
                    paragraph.where = position.where + (f", đoạn {number}" if len(own) > 1 else "")
                cells.append(CellNode(position, blocks))
                column += span
            table.rows.append(cells)
        return table


def _text_boxes(paragraph: Any) -> Iterator[Any]:
    """The text boxes drawn in a paragraph (the DrawingML one, not its VML fallback copy), not those drawn
    in the paragraphs of another text box."""
    for box in paragraph.iter(w("txbxContent")):
        if _drawn_in(box) is paragraph:
            yield box


def _drawn_in(box: Any) -> Any:
    """The paragraph a text box is drawn in; None for the copy in a markup-compatibility fallback."""
    for ancestor in box.iterancestors():
        if ancestor.tag == _FALLBACK:
            return None
        if ancestor.tag == w("p"):
            return ancestor
    return None
