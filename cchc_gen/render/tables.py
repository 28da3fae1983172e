"""Tables as a template prints them: one or two header rows, the rows, and the width of every column.

A column group ("Số hồ sơ" over "Tiếp nhận", "Đã giải quyết") makes a second header row: the group's title
spans its columns, and every other column's title spans both rows. The widths of the columns are the data's
(``widths``, in cm), or fitted to what each column holds, the way a browser lays out a table: no column is
narrower than its longest word (so "UBND xã Thành Sen" and "17/09/2026" never break inside a word) and the
room left is shared by how much text each column has. Both travel to the rendered document as marks
(:mod:`cchc_gen.render.marks`).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from cchc_gen.model.report import NUMBER_COLUMN_CM, TEXT_WIDTH_CM, Column, ColumnGroup, Table, leaf_columns
from cchc_gen.render.marks import MERGE_CONTINUE, MERGE_START, RESERVED, marked, table_mark

# Times New Roman 12 pt (the table cell style): the width of a capital, of a digit, of another character
# (about 0.68, 0.5 and 0.45 of the size), bold a little wider, and what a cell adds on either side of its
# text.
CAPITAL_CM, DIGIT_CM, CHAR_CM = 0.29, 0.21, 0.19
BOLD = 1.08
PADDING_CM = 0.45
TWIPS_PER_CM = 1440 / 2.54


class _CharWidths(dict[str, float]):
    """The width of each character, in cm, worked out once for the characters tables hold most (the text
    of a report has a few hundred different ones)."""

    def __missing__(self, char: str) -> float:
        width = CAPITAL_CM if char.isupper() else DIGIT_CM if char.isdigit() else CHAR_CM
        if len(self) < 4096:
            self[char] = width
        return width


_CHAR_WIDTHS = _CharWidths()


def _width_cm(text: str, bold: bool = False) -> float:
    """About how wide ``text`` prints on one line, in cm."""
    width = sum(map(_CHAR_WIDTHS.__getitem__, text))
    return width * (BOLD if bold else 1)


def header_rows(
    columns: list[Column], number_column: str | None, width_mark: str
) -> list[list[dict[str, Any]]]:
    """The header rows of a table: cells with their text and the number of columns they span. The first
    cell carries ``width_mark``."""
    top: list[dict[str, Any]] = []
    below: list[dict[str, Any]] = []
    grouped = any(isinstance(column, ColumnGroup) for column in columns)
    for column in ([number_column] if number_column is not None else []) + list(columns):
        if isinstance(column, ColumnGroup):
            top.append({"text": marked(column.title), "span": len(column.columns)})
            below += [{"text": marked(name), "span": 1} for name in column.columns]
        elif grouped:
            top.append({"text": MERGE_START + marked(column), "span": 1})
            below.append({"text": MERGE_CONTINUE, "span": 1})
        else:
            top.append({"text": marked(column), "span": 1})
    top[0]["text"] = width_mark + top[0]["text"]
    return [top, below] if grouped else [top]


def fitted_widths(titles: list[str], rows: list[list[str]], room: float) -> list[float]:
    """Widths in cm for columns headed ``titles`` holding ``rows`` (as printed), within ``room`` cm."""
    narrowest, widest = [], []
    for index, title in enumerate(titles):
        texts = [RESERVED.sub("", row[index]) for row in rows if index < len(row)]
        heading = RESERVED.sub("", title)
        words = [_width_cm(word) for text in texts for word in text.split()]
        words += [_width_cm(word, bold=True) for word in heading.split()]
        # A long title wraps in the header; the rows' text decides how wide a column would like to be.
        lines = [_width_cm(text) for text in texts] + words
        narrowest.append(max(words, default=0) + PADDING_CM)
        widest.append(min(max(lines, default=0) + PADDING_CM, room))
    least, most = sum(narrowest), sum(widest)
    if least >= room:
        return [width * room / least for width in narrowest]
    if most <= room:
        # Every column on one line: the room left goes to each by its width.
        return [width * room / most for width in widest]
    share = (room - least) / (most - least)
    return [low + (high - low) * share for low, high in zip(narrowest, widest, strict=True)]


def table_context(table: Table, fill: Callable[[str], str]) -> dict[str, Any]:
    """What a template prints of a data table: its columns (the generated number column first), header rows
    with the widths of its columns, and its rows (numbered when it has a number column)."""
    numbered = table.number_column is not None
    leaves = table.leaves
    rows = [
        ([str(i)] if numbered else [])
        + [marked(cell, fill) for cell in row]
        + [""] * (len(leaves) - len(row))
        for i, row in enumerate(table.rows, 1)
    ]
    titles = ([table.number_column] if table.number_column is not None else []) + leaves
    if table.widths is not None:
        widths = [float(NUMBER_COLUMN_CM)] * numbered + [float(width) for width in table.widths]
    else:
        widths = fitted_widths(titles, rows, float(TEXT_WIDTH_CM))
    mark = table_mark([round(width * TWIPS_PER_CM) for width in widths])
    return {
        "columns": [marked(title) for title in titles],
        "head": header_rows(table.columns, table.number_column, mark),
        "rows": rows,
        "widths": [Decimal(str(round(width, 2))) for width in widths],
    }


def leaves_of(columns: list[Column]) -> list[str]:
    """The titles of the columns the rows fill, marked for print."""
    return [marked(name) for name in leaf_columns(columns)]
