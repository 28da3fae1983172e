"""A .docx read the way Word shows it, for the format check (:mod:`cchc_gen.nd30.check`).

Word decides how a run looks from layers: the document defaults, the paragraph style and the styles it
is based on, the character style, then the run's own formatting; a paragraph's alignment, indents and
spacing come from the same layers, with the list level in between. :class:`WordDocument` resolves them,
walks the body in reading order (paragraphs, table cells, content controls) with
:mod:`cchc_gen.nd30.walk`, which names each paragraph for messages as the template linter does ("đoạn 12",
"bảng 1, dòng 2, ô 1"), and writes out automatic list numbers ("I.", "1.", "a)") as the reader sees them. It
also finds the pictures and the lines drawn as shapes, resolves each section's
paper, margins and headers, and estimates text widths with the Times New Roman metrics that the rules
prescribe.

Table styles' fonts and paragraph settings and text in text boxes are not read: the reports and the
decree's samples put their text in paragraphs and plain tables.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import docx
from lxml import etree

from cchc_gen.nd30.walk import Block, CellPosition, TableNode, as_number, paragraphs, w, walk
from cchc_gen.vn.numbers import roman

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_V = "{urn:schemas-microsoft-com:vml}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"

FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
_THEME_ATTRS = {"ascii": "asciiTheme", "hAnsi": "hAnsiTheme", "eastAsia": "eastAsiaTheme", "cs": "cstheme"}
_TOGGLES = ("b", "i", "caps", "vanish")
_OFF = {"0", "false", "off", "none"}
TWIPS_PER_MM = 1440 / 25.4
PT_PER_CM = 72 / 2.54
SUPERSCRIPT_SCALE = 2 / 3  # Word draws superscript and subscript text at about two thirds of its size


def _on(element: Any) -> bool:
    return element.get(w("val"), "true").lower() not in _OFF


# Advance widths of " " … "~" in Times New Roman, in thousandths of an em (the Liberation Serif metrics,
# which are Times New Roman's). A Vietnamese letter is as wide as its base letter.
_REGULAR = (
    "250 333 408 500 500 833 778 180 333 333 500 564 250 333 250 278 500 500 500 500 500 500 500 500 500 500 "
    "278 278 564 564 564 444 921 722 667 667 722 611 556 722 722 333 389 722 611 889 722 722 556 722 667 556 "
    "611 722 722 944 722 722 611 333 278 333 469 500 333 444 500 444 500 444 333 500 500 278 278 500 278 778 "
    "500 500 500 500 333 389 278 500 500 722 500 500 444 480 200 480 541"
)
_BOLD = (
    "250 333 555 500 500 1000 833 278 333 333 500 570 250 333 250 278 500 500 500 500 500 500 500 500 500 "
    "500 333 333 570 570 570 500 930 722 667 722 722 667 611 778 778 389 500 778 667 944 722 778 611 778 722 "
    "556 667 722 722 1000 722 722 667 333 278 333 581 500 333 500 556 444 556 444 333 500 556 278 333 556 "
    "278 833 556 500 556 556 444 389 333 556 500 722 500 500 444 394 220 394 520"
)
_WIDTHS = {False: [int(n) for n in _REGULAR.split()], True: [int(n) for n in _BOLD.split()]}
_WIDE = {"…": 1000, "–": 500, "—": 1000, "“": 444, "”": 444}


@cache
def char_width(char: str, bold: bool) -> int:
    """Width of one character in thousandths of an em."""
    if char in _WIDE:
        return _WIDE[char]
    base = {"Đ": "D", "đ": "d"}.get(char) or unicodedata.normalize("NFD", char)[0]
    code = ord(base) - 32
    return _WIDTHS[bold][code] if 0 <= code < 95 else 500


@dataclass(frozen=True)
class RunFormat:
    """How a run looks, after every layer of formatting."""

    fonts: tuple[tuple[str, str | None], ...]
    size: float  # points; Word's default is 10
    bold: bool
    italic: bool
    caps: bool
    hidden: bool
    color: str
    script: str | None


@dataclass(frozen=True)
class Run:
    text: str
    format: RunFormat

    @property
    def shown(self) -> str:
        return self.text.upper() if self.format.caps else self.text

    @property
    def width(self) -> float:
        """Estimated width in points."""
        size = self.format.size * (SUPERSCRIPT_SCALE if self.format.script else 1)
        em = sum(char_width(c, self.format.bold) for c in self.shown if c not in "\t\n")
        return em * size / 1000


@dataclass(frozen=True)
class Border:
    style: str
    size: float  # points


@dataclass(frozen=True)
class ParagraphFormat:
    """Alignment, indents (points), spacing (points; line in lines or points) after every layer."""

    style_id: str | None
    alignment: str
    left: float
    right: float
    first_line: float
    before: float
    after: float
    line_rule: str
    line: float
    contextual: bool
    page_break_before: bool
    borders: dict[str, Border]

    @property
    def justified(self) -> bool:
        return self.alignment in ("both", "distribute")

    @property
    def centred(self) -> bool:
        return self.alignment == "center"


@dataclass(frozen=True)
class Shape:
    """A straight line drawn as a shape."""

    width: float  # points
    solid: bool


@dataclass(frozen=True)
class Image:
    """An image placed in a paragraph (a photo, a chart saved as a picture), as stored in the file."""

    data: bytes
    suffix: str  # ".png", ".jpeg" … as the file names its part
    width: float | None  # points, as placed


@dataclass(eq=False)
class Paragraph:
    element: Any
    runs: list[Run]
    label: str
    format: ParagraphFormat
    where: str
    section: int
    cell: CellPosition | None
    page_break: bool
    shapes: list[Shape]
    pictures: int = 0  # pictures and charts drawn in the paragraph

    @property
    def text(self) -> str:
        """The text as shown (capitals applied, list number in front), Unicode-composed."""
        body = "".join(run.shown for run in self.runs if not run.format.hidden)
        return unicodedata.normalize("NFC", f"{self.label} {body}" if self.label else body)

    @property
    def plain(self) -> str:
        """The text with runs of white space made single spaces and the ends trimmed."""
        return " ".join(self.text.split())

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    @property
    def text_runs(self) -> list[Run]:
        return [run for run in self.runs if run.text.strip() and not run.format.hidden]

    @property
    def width(self) -> float:
        return sum(run.width for run in self.runs if not run.format.hidden)

    def excerpt(self, length: int = 60) -> str:
        text = self.plain
        return text if len(text) <= length else text[: length - 1].rstrip() + "…"

    @property
    def location(self) -> str:
        return f"{self.where} “{self.excerpt()}”" if not self.empty else self.where


@dataclass(eq=False)
class Table:
    index: int
    element: Any
    rows: list[list[tuple[CellPosition, list[Paragraph]]]]
    section: int

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [p for row in self.rows for _, paragraphs in row for p in paragraphs]

    @property
    def where(self) -> str:
        return f"bảng {self.index}"


@dataclass(frozen=True)
class Section:
    index: int
    width: float  # mm
    height: float
    top: float
    bottom: float
    left: float
    right: float
    start: str
    title_page: bool
    page_start: int | None
    headers: dict[str, Any]  # "default" / "first" / "even" → w:hdr element (inherited from earlier sections)
    footers: dict[str, Any]

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def text_width(self) -> float:
        """Width between the margins, in points."""
        return (self.width - self.left - self.right) / 25.4 * 72

    @property
    def where(self) -> str:
        return f"section {self.index}"


class _Styles:
    """Style chains, document defaults and theme fonts, with the merged layers cached per style pair."""

    def __init__(self, root: Any, theme: dict[str, str | None]) -> None:
        self._by_id: dict[str, Any] = {}
        self._defaults: dict[str, str] = {}
        self._theme = theme
        for style in root.iter(w("style")) if root is not None else ():
            style_id, kind = style.get(w("styleId")), style.get(w("type"), "paragraph")
            self._by_id[style_id] = style
            if style.get(w("default"), "").lower() in ("1", "true", "on"):
                self._defaults.setdefault(kind, style_id)
        defaults = root.find(w("docDefaults")) if root is not None else None
        self._doc_rpr = defaults.find(f"{w('rPrDefault')}/{w('rPr')}") if defaults is not None else None
        self._doc_ppr = defaults.find(f"{w('pPrDefault')}/{w('pPr')}") if defaults is not None else None
        self._run_base: dict[tuple[str | None, str | None], dict[str, Any]] = {}

    def default(self, kind: str) -> str | None:
        return self._defaults.get(kind)

    def paragraph_style(self, paragraph: Any) -> str | None:
        style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
        return style.get(w("val")) if style is not None else self._defaults.get("paragraph")

    def chain(self, style_id: str | None) -> list[Any]:
        """The style and those it is based on, base first."""
        found, seen = [], set()
        while style_id and style_id not in seen and style_id in self._by_id:
            seen.add(style_id)
            style = self._by_id[style_id]
            found.append(style)
            based = style.find(w("basedOn"))
            style_id = based.get(w("val")) if based is not None else None
        return found[::-1]

    def run_format(self, paragraph_style: str | None, run: Any) -> RunFormat:
        rpr = run.find(w("rPr"))
        char_style = rpr.find(w("rStyle")) if rpr is not None else None
        char_id = char_style.get(w("val")) if char_style is not None else self._defaults.get("character")
        key = (paragraph_style, char_id)
        if key not in self._run_base:
            props: dict[str, Any] = {}
            _merge_rpr(props, self._doc_rpr)
            for style in self.chain(paragraph_style) + self.chain(char_id):
                _merge_rpr(props, style.find(w("rPr")))
            self._run_base[key] = props
        props = dict(self._run_base[key])
        _merge_rpr(props, rpr)
        fonts = tuple((slot, self._font(props.get(f"font:{slot}"))) for slot in FONT_SLOTS)
        return RunFormat(
            fonts=fonts,
            size=props.get("sz", 10.0),
            bold=props.get("b", False),
            italic=props.get("i", False),
            caps=props.get("caps", False),
            hidden=props.get("vanish", False),
            color=props.get("color", "auto"),
            script=props.get("vertAlign") if props.get("vertAlign") in ("superscript", "subscript") else None,
        )

    def _font(self, value: tuple[str, str] | None) -> str | None:
        if value is None:
            return None
        kind, name = value
        return self._theme.get(name) if kind == "theme" else name

    def paragraph_props(self, style_id: str | None, level: Any, ppr: Any) -> dict[str, Any]:
        props: dict[str, Any] = {}
        _merge_ppr(props, self._doc_ppr)
        for style in self.chain(style_id):
            _merge_ppr(props, style.find(w("pPr")))
        if level is not None:
            _merge_ppr(props, level.find(w("pPr")))
        _merge_ppr(props, ppr)
        return props


def _merge_rpr(props: dict[str, Any], rpr: Any) -> None:
    if rpr is None:
        return
    fonts = rpr.find(w("rFonts"))
    if fonts is not None:
        for slot in FONT_SLOTS:
            theme, name = fonts.get(w(_THEME_ATTRS[slot])), fonts.get(w(slot))
            if theme:
                props[f"font:{slot}"] = ("theme", theme)
            elif name:
                props[f"font:{slot}"] = ("name", name)
    for toggle in _TOGGLES:
        element = rpr.find(w(toggle))
        if element is not None:
            props[toggle] = _on(element)
    size = rpr.find(w("sz"))
    if size is not None and as_number(size.get(w("val"))) is not None:
        props["sz"] = float(size.get(w("val"))) / 2
    color = rpr.find(w("color"))
    if color is not None:
        props["color"] = color.get(w("themeColor")) or color.get(w("val"), "auto")
    script = rpr.find(w("vertAlign"))
    if script is not None:
        props["vertAlign"] = script.get(w("val"))


def _merge_ppr(props: dict[str, Any], ppr: Any) -> None:
    if ppr is None:
        return
    alignment = ppr.find(w("jc"))
    if alignment is not None:
        props["jc"] = alignment.get(w("val"), "left")
    numbering = ppr.find(w("numPr"))
    if numbering is not None:
        for part in ("numId", "ilvl"):
            element = numbering.find(w(part))
            if element is not None:
                props[part] = element.get(w("val"))
    indent = ppr.find(w("ind"))
    if indent is not None:
        for names, key in ((("left", "start"), "left"), (("right", "end"), "right")):
            for name in names:
                if as_number(indent.get(w(name))) is not None:
                    props[key] = float(indent.get(w(name))) / 20
        if as_number(indent.get(w("firstLine"))) is not None:
            props["first"] = float(indent.get(w("firstLine"))) / 20
        if as_number(indent.get(w("hanging"))) is not None:
            props["first"] = -float(indent.get(w("hanging"))) / 20
    spacing = ppr.find(w("spacing"))
    if spacing is not None:
        for name in ("before", "after", "line"):
            if as_number(spacing.get(w(name))) is not None:
                props[name] = float(spacing.get(w(name)))
        if spacing.get(w("lineRule")):
            props["lineRule"] = spacing.get(w("lineRule"))
    for toggle in ("contextualSpacing", "pageBreakBefore"):
        element = ppr.find(w(toggle))
        if element is not None:
            props[toggle] = _on(element)
    borders = ppr.find(w("pBdr"))
    if borders is not None:
        for edge in _elements(borders):
            size = as_number(edge.get(w("sz")))
            props[f"border:{etree.QName(edge).localname}"] = Border(
                edge.get(w("val"), "none"), (size or 2) / 8
            )


def _paragraph_format(props: dict[str, Any], style_id: str | None) -> ParagraphFormat:
    rule = props.get("lineRule", "auto")
    line = props.get("line", 240)
    jc = props.get("jc", "left")
    alignment = {"start": "left", "end": "right", "justify": "both"}.get(jc, jc)
    return ParagraphFormat(
        style_id=style_id,
        alignment=alignment,
        left=props.get("left", 0.0),
        right=props.get("right", 0.0),
        first_line=props.get("first", 0.0),
        before=props.get("before", 0) / 20,
        after=props.get("after", 0) / 20,
        line_rule=rule,
        line=line / 240 if rule == "auto" else line / 20,
        contextual=props.get("contextualSpacing", False),
        page_break_before=props.get("pageBreakBefore", False),
        borders={
            key.split(":", 1)[1]: value
            for key, value in props.items()
            if key.startswith("border:") and value.style not in ("nil", "none")
        },
    )


def _letters(number: int) -> str:
    # Word's letter lists: a … z, then aa … zz.
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1) if number > 0 else ""


def _formatas_number(number: int, kind: str) -> str:
    if kind == "upperRoman":
        return roman(number)
    if kind == "lowerRoman":
        return roman(number).lower()
    if kind == "upperLetter":
        return _letters(number).upper()
    if kind == "lowerLetter":
        return _letters(number)
    if kind == "decimalZero":
        return f"{number:02d}"
    if kind == "none":
        return ""
    return str(number)


class _Numbering:
    """Automatic list numbers, counted in reading order as Word counts them."""

    def __init__(self, root: Any) -> None:
        abstracts = (
            {a.get(w("abstractNumId")): a for a in root.iter(w("abstractNum"))} if root is not None else {}
        )
        self._levels: dict[str, dict[int, Any]] = {}
        self._starts: dict[str, dict[int, int]] = {}
        for num in root.iter(w("num")) if root is not None else ():
            abstract_ref = num.find(w("abstractNumId"))
            abstract = abstracts.get(abstract_ref.get(w("val"))) if abstract_ref is not None else None
            levels = (
                {int(lvl.get(w("ilvl"), 0)): lvl for lvl in abstract.iter(w("lvl"))}
                if abstract is not None
                else {}
            )
            starts = {}
            for override in num.iter(w("lvlOverride")):
                ilvl = int(override.get(w("ilvl"), 0))
                level = override.find(w("lvl"))
                if level is not None:
                    levels[ilvl] = level
                start = override.find(w("startOverride"))
                if start is not None and as_number(start.get(w("val"))) is not None:
                    starts[ilvl] = int(start.get(w("val")))
            self._levels[num.get(w("numId"))] = levels
            self._starts[num.get(w("numId"))] = starts
        self._counters: dict[str, list[int | None]] = {}

    def level(self, num_id: str | None, ilvl: int) -> Any:
        return self._levels.get(num_id or "", {}).get(ilvl)

    def _start(self, num_id: str, ilvl: int) -> int:
        if ilvl in self._starts[num_id]:
            return self._starts[num_id][ilvl]
        start = self.level(num_id, ilvl).find(w("start")) if self.level(num_id, ilvl) is not None else None
        return int(as_number(start.get(w("val"))) or 0) if start is not None else 0

    def label(self, num_id: str, ilvl: int) -> str:
        level = self.level(num_id, ilvl)
        if level is None:
            return ""
        counters = self._counters.setdefault(num_id, [None] * 10)
        current = counters[ilvl]
        counters[ilvl] = self._start(num_id, ilvl) if current is None else current + 1
        for deeper in range(ilvl + 1, len(counters)):
            counters[deeper] = None
        text_element = level.find(w("lvlText"))
        text = text_element.get(w("val"), "") if text_element is not None else ""
        kind = level.find(w("numFmt"))
        if kind is not None and kind.get(w("val")) == "bullet":
            return text

        def fill(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            other = self.level(num_id, index)
            other_kind = other.find(w("numFmt")) if other is not None else None
            counted = counters[index]
            value = counted if counted is not None else self._start(num_id, index)
            return _formatas_number(value, other_kind.get(w("val")) if other_kind is not None else "decimal")

        return re.sub(r"%([1-9])", fill, text)


def _theme_fonts(root: Any) -> dict[str, str | None]:
    fonts: dict[str, str | None] = {}
    if root is None:
        return fonts
    for kind in ("major", "minor"):
        scheme = root.find(f".//{_A}{kind}Font")
        if scheme is None:
            continue
        for tag, names in (("latin", ("Ascii", "HAnsi")), ("ea", ("EastAsia",)), ("cs", ("Bidi",))):
            element = scheme.find(f"{_A}{tag}")
            typeface = element.get("typeface") if element is not None else None
            for name in names:
                fonts[f"{kind}{name}"] = typeface or None
    return fonts


_CSS_UNITS = {"pt": 1.0, "in": 72.0, "cm": PT_PER_CM, "mm": PT_PER_CM / 10, "px": 0.75, "": 0.75}


def _css_length(value: str) -> float | None:
    """A VML length ("449.65pt", "2cm", "12") in points."""
    match = re.fullmatch(r"\s*(-?[\d.]+)\s*(pt|in|cm|mm|px)?\s*", value)
    return float(match.group(1)) * _CSS_UNITS[match.group(2) or ""] if match else None


def _css_property(style: str, name: str) -> float | None:
    for declaration in style.split(";"):
        key, _, value = declaration.partition(":")
        if key.strip() == name:
            return _css_length(value)
    return None


def _shapes(run: Any) -> Iterator[Shape]:
    """Straight lines drawn in a run: DrawingML (the mc:Choice, not its fallback) or VML."""
    drawings = list(run.iter(w("drawing")))
    for drawing in drawings:
        extent = drawing.find(f".//{_WP}extent")
        geometry = drawing.find(f".//{_A}prstGeom")
        if extent is None or geometry is None:
            continue
        width, height = (as_number(extent.get(k)) or 0 for k in ("cx", "cy"))
        thin = height <= 3 * 12700 and width > 10 * max(height, 1)
        if geometry.get("prst") in ("line", "straightConnector1") or thin:
            dash = drawing.find(f".//{_A}ln/{_A}prstDash")
            yield Shape(width / 12700, dash is None or dash.get("val") == "solid")
    if drawings:
        return
    for pict in run.iter(w("pict")):
        for shape in pict.iter(f"{_V}line", f"{_V}shape", f"{_V}rect"):
            stroke = shape.find(f"{_V}stroke")
            solid = stroke is None or stroke.get("dashstyle", "solid") == "solid"
            if shape.tag == f"{_V}line":
                start = _css_length(shape.get("from", "0,0").split(",")[0]) or 0
                end = _css_length(shape.get("to", "0,0").split(",")[0]) or 0
                yield Shape(abs(end - start), solid)
                continue
            style = shape.get("style", "")
            box_width, box_height = _css_property(style, "width"), _css_property(style, "height")
            if box_width and (box_height or 0) <= 3 and box_width > 10 * max(box_height or 0, 0.1):
                yield Shape(box_width, solid)


# The kinds of DrawingML graphic that are a picture to the reader: an image, a chart, a SmartArt diagram.
_PICTURE_KINDS = {"picture", "chart", "diagram"}


def _pictures(run: Any) -> int:
    """Pictures drawn in a run: DrawingML (the mc:Choice, not its fallback) or VML images."""
    drawings = list(run.iter(w("drawing")))
    if drawings:
        return sum(
            data.get("uri", "").rsplit("/", 1)[-1] in _PICTURE_KINDS
            for drawing in drawings
            for data in drawing.iter(f"{_A}graphicData")
        )
    return sum(1 for _ in run.iter(f"{_V}imagedata"))


def _run_text(run: Any) -> tuple[str, bool]:
    """The text a run shows, and whether it holds a page break."""
    text, page_break = [], False
    for child in run:
        tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if tag == "t":
            text.append(child.text or "")
        elif tag == "tab":
            text.append("\t")
        elif tag in ("br", "cr"):
            if child.get(w("type")) == "page":
                page_break = True
            else:
                text.append("\n")
        elif tag == "noBreakHyphen":
            text.append("-")
    return "".join(text), page_break


_HIDDEN_CONTAINERS = {w("del"), w("moveFrom"), f"{_MC}Fallback"}


def own_runs(paragraph: Any) -> Iterator[Any]:
    """The runs of a paragraph in order, also inside hyperlinks, fields, insertions and content controls;
    not those of paragraphs nested in text boxes, nor deleted text."""
    for run in paragraph.iter(w("r")):
        for ancestor in run.iterancestors():
            if ancestor is paragraph:
                yield run
                break
            if ancestor.tag == w("p") or ancestor.tag in _HIDDEN_CONTAINERS:
                break


def _xml_part(document: Any, suffix: str) -> Any:
    for rel in document.part.rels.values():
        if rel.is_external or not rel.reltype.endswith(suffix):
            continue
        part = rel.target_part
        if hasattr(part, "element"):
            return part.element
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        return etree.fromstring(part.blob, parser)
    return None


class WordDocument:
    """The body of a .docx in reading order, with every paragraph's effective formatting."""

    def __init__(self, path: Path) -> None:
        self._document = docx.Document(str(path))
        self._styles = _Styles(
            _xml_part(self._document, "/styles"), _theme_fonts(_xml_part(self._document, "/theme"))
        )
        self._numbering = _Numbering(_xml_part(self._document, "/numbering"))
        settings = _xml_part(self._document, "/settings")
        self.even_and_odd_headers = settings is not None and settings.find(w("evenAndOddHeaders")) is not None
        self.paragraphs: list[Paragraph] = []
        self._section = 1
        self.blocks = self._blocks(walk(self._document.element.body))
        self.sections = self._read_sections()

    def _blocks(self, nodes: list[Block]) -> list[Paragraph | Table]:
        """The walked blocks read in reading order, which numbers lists and counts sections."""
        found: list[Paragraph | Table] = []
        for node in nodes:
            if isinstance(node, TableNode):
                found.append(self._table(node))
                continue
            found.append(self._paragraph(node.element, node.cell, node.where))
            if node.element.find(f"{w('pPr')}/{w('sectPr')}") is not None:
                self._section += 1
        return found

    def _table(self, node: TableNode) -> Table:
        table = Table(node.index, node.element, [], self._section)
        for row in node.rows:
            cells = []
            for cell in row:
                blocks = self._blocks(cell.blocks)
                cells.append((cell.position, [b for b in blocks if isinstance(b, Paragraph)]))
            table.rows.append(cells)
        return table

    def _paragraph(self, element: Any, cell: CellPosition | None, where: str) -> Paragraph:
        style_id = self._styles.paragraph_style(element)
        ppr = element.find(w("pPr"))
        base = self._styles.paragraph_props(style_id, None, ppr)
        label, level = "", None
        if base.get("numId") not in (None, "0"):
            ilvl = int(as_number(base.get("ilvl")) or 0)
            level = self._numbering.level(base["numId"], ilvl)
            label = self._numbering.label(base["numId"], ilvl)
        props = self._styles.paragraph_props(style_id, level, ppr) if level is not None else base
        runs: list[Run] = []
        page_break = False
        shapes: list[Shape] = []
        pictures = 0
        for run in own_runs(element):
            text, breaks = _run_text(run)
            page_break = page_break or breaks
            shapes.extend(_shapes(run))
            pictures += _pictures(run)
            if text:
                runs.append(Run(text, self._styles.run_format(style_id, run)))
        paragraph = Paragraph(
            element=element,
            runs=runs,
            label=label.strip(),
            format=_paragraph_format(props, style_id),
            where=where,
            section=self._section,
            cell=cell,
            page_break=page_break,
            shapes=shapes,
            pictures=pictures,
        )
        self.paragraphs.append(paragraph)
        return paragraph

    def _read_sections(self) -> list[Section]:
        elements = [p.find(f"{w('pPr')}/{w('sectPr')}") for p in self._document.element.body.iter(w("p"))]
        elements = [e for e in elements if e is not None]
        final = self._document.element.body.find(w("sectPr"))
        if final is not None:
            elements.append(final)
        sections: list[Section] = []
        headers: dict[str, Any] = {}
        footers: dict[str, Any] = {}
        for index, element in enumerate(elements, start=1):
            for tag, current in (("headerReference", headers), ("footerReference", footers)):
                for reference in element.iter(w(tag)):
                    part = self._document.part.related_parts.get(reference.get(_R_ID))
                    current[reference.get(w("type"), "default")] = getattr(part, "element", None)
            size, margins = element.find(w("pgSz")), element.find(w("pgMar"))

            def mm(node: Any, name: str, fallback: float) -> float:
                value = as_number(node.get(w(name))) if node is not None else None
                return abs(value) / TWIPS_PER_MM if value is not None else fallback

            start = element.find(w("type"))
            numbering = element.find(w("pgNumType"))
            page_start = as_number(numbering.get(w("start"))) if numbering is not None else None
            title = element.find(w("titlePg"))
            sections.append(
                Section(
                    index=index,
                    width=mm(size, "w", 215.9),
                    height=mm(size, "h", 279.4),
                    top=mm(margins, "top", 25.4),
                    bottom=mm(margins, "bottom", 25.4),
                    left=mm(margins, "left", 31.75),
                    right=mm(margins, "right", 31.75),
                    start=start.get(w("val"), "nextPage") if start is not None else "nextPage",
                    title_page=title is not None and _on(title),
                    page_start=int(page_start) if page_start is not None else None,
                    headers=dict(headers),
                    footers=dict(footers),
                )
            )
        return sections

    def table_borders(self, table: Table) -> set[str]:
        """The edges of a table drawn with a visible line: its own borders, its style's, its cells'."""
        properties = table.element.find(w("tblPr"))
        style = properties.find(w("tblStyle")) if properties is not None else None
        style_id = style.get(w("val")) if style is not None else self._styles.default("table")
        edges: dict[str, bool] = {}
        layers = [s.find(f"{w('tblPr')}/{w('tblBorders')}") for s in self._styles.chain(style_id)]
        layers.append(properties.find(w("tblBorders")) if properties is not None else None)
        for layer in layers:
            for edge in _elements(layer):
                edges[etree.QName(edge).localname] = _visible(edge)
        visible = {name for name, shown in edges.items() if shown}
        for cell in table.element.iter(w("tc")):
            if next(cell.iterancestors(w("tbl"))) is not table.element:
                continue
            borders = cell.find(f"{w('tcPr')}/{w('tcBorders')}")
            for edge in _elements(borders):
                if _visible(edge):
                    visible.add(f"ô: {etree.QName(edge).localname}")
        return visible

    def images(self, paragraph: Paragraph) -> list[Image]:
        """The images a paragraph shows (inline or floating), in order, with their bytes; lines and shapes
        are not images."""
        found = []
        for run in own_runs(paragraph.element):
            for blip in run.iter(f"{_A}blip"):
                part = self._document.part.related_parts.get(blip.get(_R_EMBED))
                if part is None or not hasattr(part, "blob"):
                    continue
                frame = next((a for a in blip.iterancestors(f"{_WP}inline", f"{_WP}anchor")), None)
                extent = frame.find(f"{_WP}extent") if frame is not None else None
                width = as_number(extent.get("cx")) if extent is not None else None
                suffix = Path(str(part.partname)).suffix.lower()
                found.append(Image(part.blob, suffix, width / 12700 if width else None))
        return found

    def part_paragraphs(self, part: Any, where: str) -> list[Paragraph]:
        """The paragraphs of a header or footer part, read like body paragraphs."""
        found = []
        for node in paragraphs(walk(part, text_boxes=True)):
            element = node.element
            style_id = self._styles.paragraph_style(element)
            runs = []
            for run in own_runs(element):
                text, _ = _run_text(run)
                if text:
                    runs.append(Run(text, self._styles.run_format(style_id, run)))
            props = self._styles.paragraph_props(style_id, None, element.find(w("pPr")))
            found.append(
                Paragraph(
                    element=element,
                    runs=runs,
                    label="",
                    format=_paragraph_format(props, style_id),
                    where=f"{where}, {node.where}",
                    section=0,
                    cell=node.cell,
                    page_break=False,
                    shapes=[],
                )
            )
        return found


def _elements(parent: Any) -> list[Any]:
    """The child elements (not comments) of ``parent``, which may be missing."""
    return [child for child in parent if isinstance(child.tag, str)] if parent is not None else []


def _visible(edge: Any) -> bool:
    return edge.get(w("val"), "none") not in ("nil", "none") and edge.get(w("sz")) != "0"
