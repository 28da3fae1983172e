"""What a Jinja template cannot say about text and tables, carried through it as marks and applied after.

A docxtpl template prints a value into a run (``{{ b.text }}``) or a table cell; it cannot split the run into
bold and italic pieces, give a table the widths of its columns, or merge a header cell with the one below.
So the layout puts marks into the values (:func:`marked`, :func:`table_mark`, :data:`MERGE_START`…), the
template prints them like any text, and :func:`apply_marks` turns the rendered XML into the runs and the
table properties the marks stand for, keeping everything the template gave each run and cell (its font, its
size, the bold of a header row).

The marks are Unicode noncharacters (U+FDD0–U+FDEF), which are never text: the data model refuses them in
anything typed (:func:`cchc_gen.model.report.clean_text`), so a report can never print one or fake one.
Autoescaping leaves them as they are and never touches the XML around them, so the escaping guarantees hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from cchc_gen.model.inline import Span, spans

# A run of text with its emphasis: every mark holds until the next one or the end of the run.
PLAIN, BOLD, ITALIC, BOLD_ITALIC = "\ufdd0", "\ufdd1", "\ufdd2", "\ufdd3"
_STYLES = {(False, False): PLAIN, (True, False): BOLD, (False, True): ITALIC, (True, True): BOLD_ITALIC}
# In the first cell of a table: the widths of its grid columns in twips between the two marks ("1200,3400");
# with nothing between them, the cells' widths are made to agree with the template's own grid.
TABLE_START, TABLE_END = "\ufdd4", "\ufdd5"
# A cell that starts a vertical merge, and one that continues it (the cell below, left empty).
MERGE_START, MERGE_CONTINUE = "\ufdd6", "\ufdd7"
RESERVED = re.compile("[\ufdd0-\ufdef]")
_MARKS = (PLAIN, BOLD, ITALIC, BOLD_ITALIC, TABLE_START, TABLE_END, MERGE_START, MERGE_CONTINUE)
_RUN_MARKS = re.compile("[\ufdd0-\ufdd3]")
_RUN_MARK_SET = frozenset(_STYLES.values())
_RUN_MARK_SPLIT = re.compile("([\ufdd0-\ufdd3])")

_RUN = re.compile(r"<w:r(?=[ >])([^>]*)>(.*?)</w:r>", re.DOTALL)
_RUN_PROPERTIES = re.compile(r"<w:rPr>.*?</w:rPr>|<w:rPr/>", re.DOTALL)
_RUN_CONTENT = re.compile(
    r"<w:t(?:\s[^>]*)?>(.*?)</w:t>|<w:t(?:\s[^>]*)?/>|<[^>]+/>|<(\w+:\w+)[^>]*>.*?</\2>", re.DOTALL
)
_EMPHASIS = re.compile(r"<w:(?:b|bCs|i|iCs)(?:\s[^>]*)?/>")
_BEFORE_EMPHASIS = re.compile(r"^<w:rPr>((?:<w:rStyle[^>]*/>)?(?:<w:rFonts[^>]*/>)?)")

_CELL = re.compile(r"<w:tc(?=[ >])[^>]*>.*?</w:tc>", re.DOTALL)
_CELL_OPENING = re.compile(r"<w:tc(?=[ >])[^>]*>")
_GRID = re.compile(r"<w:tblGrid>.*?</w:tblGrid>|<w:tblGrid/>", re.DOTALL)
_GRID_COLUMN = re.compile(r'<w:gridCol\b[^>]*?(?:w:w="(\d+)")?[^>]*/>')
_SPAN = re.compile(r'<w:gridSpan w:val="(\d+)"/>')
_ROW = re.compile(r"<w:tr(?=[ >]).*?</w:tr>", re.DOTALL)
_TABLE_WIDTH = re.compile(r"<w:tblW\b[^>]*/>")
_CELL_WIDTH = re.compile(r"<w:tcW\b[^>]*/>")
_TABLE_MARK = re.compile(f"{TABLE_START}([0-9,]*){TABLE_END}")
_TABLE_MARKS = (TABLE_START, MERGE_START, MERGE_CONTINUE)


def marked(text: str, fill: Callable[[str], str] = str) -> str:
    """``text`` with its emphasis as marks (and its escapes undone); ``fill`` is applied to each piece
    (figures put in for their placeholders). The text after it in the same run keeps the run's own style."""
    if "*" not in text and "\\" not in text:  # most text: no emphasis, nothing escaped
        return fill(text)
    return marked_spans(spans(text), fill)


def marked_spans(pieces: list[Span], fill: Callable[[str], str] = str) -> str:
    """Pieces of text with their emphasis, as one marked text (:func:`marked`)."""
    if not any(span.bold or span.italic for span in pieces):
        return fill("".join(span.text for span in pieces))
    shown = "".join(_STYLES[span.bold, span.italic] + fill(span.text) for span in pieces)
    return shown + PLAIN


def table_mark(widths: list[int] | None) -> str:
    """The mark that gives a table its column widths (twips), or only makes its cells agree with its grid."""
    return f"{TABLE_START}{','.join(map(str, widths or []))}{TABLE_END}"


def apply_marks(xml: str) -> str:
    """The rendered XML of a part with its marks turned into runs and table properties, and none left.

    A report's XML is a few hundred kilobytes with a few marks: each kind is found with ``str.find`` (a
    pass in C), again only once passed, only the tables and runs that hold one are looked at with regular
    expressions, and the marks left are taken out in one pass."""
    if not any(mark in xml for mark in _MARKS):
        return xml
    if TABLE_START in xml:
        xml = _tables(xml)
    if any(mark in xml for mark in _RUN_MARK_SET):
        xml = _marked_runs(xml)
    marks = _Marks(xml)
    pieces, done = [], 0
    while (at := marks.next(done)) >= 0:
        pieces.append(xml[done:at])
        # A table mark outside a table (or in one left as it is): its widths go with it.
        widths = _TABLE_MARK.match(xml, at) if xml[at] == TABLE_START else None
        done = widths.end() if widths else at + 1
    return "".join([*pieces, xml[done:]])


class _Marks:
    """Where the next of ``marks`` is in ``text``: each found once, and again only when passed."""

    def __init__(self, text: str, marks: Iterable[str] = _MARKS) -> None:
        self.text = text
        self.found = {mark: text.find(mark) for mark in marks}

    def next(self, start: int) -> int:
        """Where the first mark at or after ``start`` is; -1 when none is."""
        first = -1
        for mark, at in self.found.items():
            if 0 <= at < start:
                at = self.found[mark] = self.text.find(mark, start)
            if at >= 0 and (first < 0 or at < first):
                first = at
        return first


# --- runs ------------------------------------------------------------------------------------------------


def _marked_runs(xml: str) -> str:
    """``xml`` with each run that holds a mark split; only those runs are looked at (a report has thousands
    of runs and a few marks)."""
    marks, pieces, done = _Marks(xml, _RUN_MARK_SET), [], 0
    while (at := marks.next(done)) >= 0:
        start = max(xml.rfind("<w:r>", done, at), xml.rfind("<w:r ", done, at))
        end = xml.find("</w:r>", at)
        run = _RUN.fullmatch(xml, start, end + len("</w:r>")) if start >= 0 and end >= 0 else None
        if run is None:  # a mark outside a run's text: taken out with the others
            pieces.append(xml[done : at + 1])
            done = at + 1
            continue
        pieces += [xml[done:start], _split_run(run)]
        done = run.end()
    return "".join([*pieces, xml[done:]])


def _split_run(match: re.Match[str]) -> str:
    attributes, inner = match.groups()
    found = _RUN_PROPERTIES.match(inner)
    properties = found.group() if found else ""
    content = inner[len(properties) :]
    runs: list[str] = []
    style = PLAIN
    pieces: list[str] = []

    def flush() -> None:
        if any(piece.startswith("<") for piece in pieces):  # no run for the space between two elements
            runs.append(f"<w:r{attributes}>{_emphasised(properties, style)}{''.join(pieces)}</w:r>")
        pieces.clear()

    position = 0
    for element in _RUN_CONTENT.finditer(content):
        pieces.append(content[position : element.start()])  # never text: whitespace between elements
        position = element.end()
        text = element.group(1)
        if text is None or not _RUN_MARKS.search(text):
            pieces.append(element.group())
            continue
        for part in _RUN_MARK_SPLIT.split(text):
            if _RUN_MARKS.fullmatch(part):
                flush()
                style = part
            elif part:
                pieces.append(f'<w:t xml:space="preserve">{part}</w:t>')
    pieces.append(content[position:])
    flush()
    return "".join(runs)


def _emphasised(properties: str, style: str) -> str:
    """Run properties with bold and italic added (never taken away: emphasis in a bold cell stays bold)."""
    if style == PLAIN:
        return properties
    bold, italic = style in (BOLD, BOLD_ITALIC), style in (ITALIC, BOLD_ITALIC)
    added = ("<w:b/><w:bCs/>" if bold else "") + ("<w:i/><w:iCs/>" if italic else "")
    if not properties or properties == "<w:rPr/>":
        return f"<w:rPr>{added}</w:rPr>"
    kept = _EMPHASIS.sub(lambda m: "" if _is_toggle(m.group(), bold, italic) else m.group(), properties)
    # In the order the schema wants them: after the style and fonts, before everything else.
    head = _BEFORE_EMPHASIS.match(kept)
    assert head is not None  # the properties start with <w:rPr>
    return kept[: head.end()] + added + kept[head.end() :]


def _is_toggle(element: str, bold: bool, italic: bool) -> bool:
    """Whether an emphasis element of the run is one the mark sets (and is put again in its place)."""
    name = element[3:].split("/")[0].split()[0]
    return (bold and name in ("b", "bCs")) or (italic and name in ("i", "iCs"))


# --- tables ----------------------------------------------------------------------------------------------


def _tables(xml: str) -> str:
    """Each table that holds a table mark (in its first cell), with its grid, widths and merges set."""
    pieces, done = [], 0
    while (at := xml.find(TABLE_START, done)) >= 0:
        start = max(xml.rfind("<w:tbl>", done, at), xml.rfind("<w:tbl ", done, at))
        end = xml.find("</w:tbl>", at)
        if start < 0 or end < 0:  # a mark outside a table: taken out with the others
            pieces.append(xml[done : at + 1])
            done = at + 1
            continue
        end += len("</w:tbl>")
        pieces += [xml[done:start], _table(xml[start:end])]
        done = end
    return "".join([*pieces, xml[done:]])


def _table(table: str) -> str:
    """A table with its marks applied: the widths of its grid, every row's cells then as wide as the columns
    they span (with no widths in its mark, the template's grid is kept and only its marked rows, the header,
    are seen to); the merges of its marked cells. Only the rows that must change are looked at: an indicator
    appendix has hundreds of rows and marks in its header only."""
    mark = _TABLE_MARK.search(table)
    widths = [int(w) for w in mark.group(1).split(",") if w] if mark else []
    grid = _GRID.search(table)
    every_row = bool(widths)
    if widths and grid is not None:
        columns = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        table = f"{table[: grid.start()]}<w:tblGrid>{columns}</w:tblGrid>{table[grid.end() :]}"
    elif grid is not None:
        widths = [int(w or 0) for w in _GRID_COLUMN.findall(grid.group())]
    sized = bool(mark and widths and all(widths))
    if sized:
        table = _TABLE_WIDTH.sub(f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>', table, count=1)
        if "<w:tblLayout " not in table:
            table = _with_table_property(table, '<w:tblLayout w:type="fixed"/>')

    def row(text: str) -> str:
        if sized:
            text = _row_widths(text, widths)
        return _CELL.sub(_merge, text) if MERGE_START in text or MERGE_CONTINUE in text else text

    if every_row:
        return _ROW.sub(lambda found: row(found.group()), table)
    marks, pieces, done = _Marks(table, _TABLE_MARKS), [], 0
    while (at := marks.next(done)) >= 0:
        start = max(table.rfind("<w:tr>", done, at), table.rfind("<w:tr ", done, at))
        end = table.find("</w:tr>", at)
        if start < 0 or end < 0:  # a mark outside the rows: taken out with the others
            pieces.append(table[done : at + 1])
            done = at + 1
            continue
        end += len("</w:tr>")
        pieces += [table[done:start], row(table[start:end])]
        done = end
    return "".join([*pieces, table[done:]])


def _row_widths(row: str, widths: list[int]) -> str:
    row = _TABLE_MARK.sub("", row)
    column = 0

    def width(cell: re.Match[str]) -> str:
        nonlocal column
        text = cell.group()
        span = _SPAN.search(text)
        count = int(span.group(1)) if span else 1
        total = sum(widths[column : column + count])
        column += count
        if not total:
            return text
        # First in the cell's properties, as the schema orders them (docxtpl puts a span before the width).
        element = f'<w:tcW w:w="{total}" w:type="dxa"/>'
        return _with_cell_property(_CELL_WIDTH.sub("", text, count=1), element, first=True)

    return _CELL.sub(width, row)


def _merge(cell: re.Match[str]) -> str:
    text = cell.group()
    if MERGE_START in text:
        element = '<w:vMerge w:val="restart"/>'
    elif MERGE_CONTINUE in text:
        element = "<w:vMerge/>"
    else:
        return text
    text = text.replace(MERGE_START, "").replace(MERGE_CONTINUE, "")
    text = _with_cell_property(text, element, first=False)
    if "<w:vAlign " not in text:
        text = _with_cell_property(text, '<w:vAlign w:val="center"/>', first=False, last=True)
    return text


_AFTER_MERGE = re.compile(r"<w:(?:tcBorders|shd|noWrap|tcMar|textDirection|tcFitText|vAlign|hideMark)\b")
_AFTER_VALIGN = re.compile(r"<w:hideMark\b")


def _with_cell_property(cell: str, element: str, *, first: bool, last: bool = False) -> str:
    """``cell`` with ``element`` in its properties, where the schema orders it: the width first, a merge after
    the width and span, the vertical alignment near the end."""
    opening = _CELL_OPENING.match(cell)
    assert opening is not None
    head, rest = cell[: opening.end()], cell[opening.end() :]
    if rest.startswith("<w:tcPr/>"):
        rest = "<w:tcPr></w:tcPr>" + rest[len("<w:tcPr/>") :]
    elif not rest.startswith("<w:tcPr>"):
        rest = "<w:tcPr></w:tcPr>" + rest
    end = rest.index("</w:tcPr>")
    properties = rest[len("<w:tcPr>") : end]
    if first:
        properties = element + properties
    else:
        follower = (_AFTER_VALIGN if last else _AFTER_MERGE).search(properties)
        at = follower.start() if follower else len(properties)
        properties = properties[:at] + element + properties[at:]
    return f"{head}<w:tcPr>{properties}</w:tcPr>{rest[end + len('</w:tcPr>') :]}"


_AFTER_LAYOUT = re.compile(r"<w:(?:tblCellMar|tblLook|tblCaption|tblDescription)\b")


def _with_table_property(table: str, element: str) -> str:
    """``table`` with ``element`` (its layout) in its properties, before the cell margins and the look."""
    start, end = table.index("<w:tblPr>") + len("<w:tblPr>"), table.index("</w:tblPr>")
    follower = _AFTER_LAYOUT.search(table, start, end)
    at = follower.start() if follower else end
    return table[:at] + element + table[at:]
