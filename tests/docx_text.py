"""The text of a rendered .docx as blocks in document order, for comparing a report with its source text.

- A body paragraph is one block.
- A table row is one block: the text of each cell (its paragraphs joined by a space), the cells joined by
  a single space. A merged cell is counted once: a horizontal merge is one cell in the file, and the
  continuation cells of a vertical merge are empty.
- Content controls (w:sdt) are looked into; headers, footers and empty blocks are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph


@dataclass(frozen=True)
class Block:
    text: str
    table_row: bool = False


def normalize(text: str) -> str:
    """Whitespace collapsed to single spaces, ends trimmed."""
    return " ".join(text.split())


def blocks(path: Path) -> list[Block]:
    """Non-empty text blocks of the document body, in document order."""
    document = Document(str(path))
    found: list[Block] = []
    _walk(document.element.body, document.part, found)
    return [block for block in found if block.text.strip()]


def text_blocks(path: Path) -> list[str]:
    """Like :func:`blocks`, as plain strings."""
    return [block.text for block in blocks(path)]


def _walk(container, part, found: list[Block]) -> None:
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            found.append(Block(Paragraph(child, part).text))
        elif child.tag == qn("w:tbl"):
            for row in child.iterchildren(qn("w:tr")):
                cells = [_cell_text(cell, part) for cell in _cells(row)]
                found.append(Block(" ".join(cells), table_row=True))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _walk(content, part, found)


def _cells(row):
    for child in row.iterchildren():
        if child.tag == qn("w:tc"):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from content.iterchildren(qn("w:tc"))


def _cell_text(cell, part) -> str:
    return " ".join(Paragraph(p, part).text for p in cell.iter(qn("w:p")))
