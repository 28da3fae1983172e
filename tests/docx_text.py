"""The text of a rendered .docx as blocks in document order, for comparing a report with its source text.

- A body paragraph is one block.
- A table row is one block: the text of each cell (its paragraphs joined by a space), the cells joined by
  a single space. A merged cell is counted once: a horizontal merge is one cell in the file, and the
  continuation cells of a vertical merge are empty.
- Content controls (w:sdt) are looked into; headers, footers and empty blocks are left out.
- With ``italic`` markup (``("<i>", "</i>")``), the text a report emphasises in italics (runs made italic
  in a body or table-cell paragraph of the profile's styles, "CCHC …") is written inside it, as a web copy
  of the report marks it; the italics of the template's own lines (the date, the appendix reference) are not.
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


Markup = tuple[str, str] | None


def blocks(path: Path, italic: Markup = None) -> list[Block]:
    """Non-empty text blocks of the document body, in document order."""
    document = Document(str(path))
    found: list[Block] = []
    _walk(document.element.body, document.part, found, italic)
    return [block for block in found if block.text.strip()]


def text_blocks(path: Path) -> list[str]:
    """Like :func:`blocks`, as plain strings."""
    return [block.text for block in blocks(path)]


def _walk(container, part, found: list[Block], italic: Markup) -> None:
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            found.append(Block(_text(Paragraph(child, part), italic)))
        elif child.tag == qn("w:tbl"):
            for row in child.iterchildren(qn("w:tr")):
                cells = [_cell_text(cell, part, italic) for cell in _cells(row)]
                found.append(Block(" ".join(cells), table_row=True))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _walk(content, part, found, italic)


def _text(paragraph: Paragraph, italic: Markup) -> str:
    style = paragraph.style.name if paragraph.style is not None else ""
    if italic is None or not style.startswith("CCHC") or not any(r.font.italic for r in paragraph.runs):
        return paragraph.text
    pieces: list[str] = []
    inside = False
    for run in paragraph.runs:
        if bool(run.font.italic) != inside:
            pieces.append(italic[0] if not inside else italic[1])
            inside = not inside
        pieces.append(run.text)
    return "".join([*pieces, italic[1] if inside else ""])


def _cells(row):
    for child in row.iterchildren():
        if child.tag == qn("w:tc"):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from content.iterchildren(qn("w:tc"))


def _cell_text(cell, part, italic: Markup = None) -> str:
    return " ".join(_text(Paragraph(p, part), italic) for p in cell.iter(qn("w:p")))
