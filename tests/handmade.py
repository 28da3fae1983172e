"""Reports made by hand in Word, the way clerks make them, built from the seeds (tests/fixtures/seeds) and the
decree's Mẫu 1.4 (tests/fixtures/reference), for the tests of ``cchc nhap-word`` and the format check.

A clerk sets the font on every run (Times New Roman 14) and indents and justifies each paragraph by hand, with
no styles of their own; types the heading numbers with a tab or spaces after them, or lets Word number them;
makes headings stand out with bold runs; often leaves an empty paragraph between paragraphs; lays the header
out as a borderless table or as lines pushed into two columns with tabs; puts Nơi nhận and the signature in
a two-column table; gives the appendix table a header of two rows ("Kết quả thống kê" over "Đơn vị tính" and
"Số liệu"); or starts from the decree's own sample and types over its dotted places. :class:`Habits` says
which of these a document has; :func:`clerk_document` writes the seed's text with them.
"""

from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from PIL import Image

from tests.test_seeds import Seed, web_paragraphs

REFERENCE = Path(__file__).resolve().parent / "fixtures" / "reference" / "nd30-phu-luc-III-mau-van-ban.docx"
FONT = "Times New Roman"


def mau_1_4(target: Path) -> Path:
    """Mẫu 1.4 (văn bản có tên loại) cut out of Phụ lục III into a document of its own, at ``target``.

    Phụ lục III holds about 48 samples one after another; Mẫu 1.4 is the body between its caption
    "Mẫu 1.4 - Văn bản có tên loại" and its "Ghi chú" table. Everything else is removed; the reference's own
    page setup, styles, numbering and headers (page number from page 2) stay. The superscript numbers 1–10 are
    the decree's pointers into its notes, not text of the sample, and go too.
    """
    document = docx.Document(str(REFERENCE))
    body = document.element.body
    children = list(body.iterchildren())
    start = next(i for i, c in enumerate(children) if _text(c).startswith("Mẫu 1.4 - Văn bản có tên loại"))
    end = next(i for i in range(start, len(children)) if _text(children[i]).startswith("Ghi chú"))
    for child in children[: start + 1] + children[end:]:
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    for run in list(body.iter(qn("w:r"))):
        script = run.find(f"{qn('w:rPr')}/{qn('w:vertAlign')}")
        if script is not None and script.get(qn("w:val")) == "superscript" and _text(run).strip().isdigit():
            run.getparent().remove(run)
    document.save(str(target))
    return target


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


# --- the seed cut into the parts of a report ----------------------------------------------------------------


@dataclass(frozen=True)
class Parts:
    governing: list[str]
    issuing: list[str]
    number: str
    date: str
    title: list[str]
    kinh_gui: str
    recipients: list[str]
    body: list[str]
    distribution: list[str]
    signature: list[str]
    appendix: list[str]


# A row the web copy moved one cell to the right (the vertically merged "Trong đó" cell above it came out as
# an extra empty cell), as the original table has it.
_SHIFTED_ROWS = {
    "\t\tTỷ lệ ĐVSNCL đã cắt giảm so với năm 2015\t%\t": "\tTỷ lệ ĐVSNCL đã cắt giảm so với năm 2015\t%\t\t"
}


def parts(seed: Seed, governing: list[str], issuing: list[str]) -> Parts:
    """The seed's paragraphs (web noise undone, slips of the original kept) as the parts of the report;
    ``governing`` and ``issuing`` are the header lines the web copy lost."""
    lines = [_SHIFTED_ROWS.get(p.text, p.text) for p in web_paragraphs(seed)]
    at = lines.index("BÁO CÁO")
    header = lines[:at]
    number = next(line for line in header if line.startswith("Số"))
    date = next(line for line in header if "ngày" in line)
    kinh_gui = next(i for i in range(at, len(lines)) if lines[i].startswith("Kính gửi"))
    title = lines[at + 1 : kinh_gui]
    position = kinh_gui + 1
    recipients = []
    if lines[kinh_gui].endswith(":"):
        while lines[position].startswith("- "):
            recipients.append(lines[position])
            position += 1
    noi_nhan = lines.index("Nơi nhận:")
    body = lines[position:noi_nhan]
    position = noi_nhan + 1
    distribution = []
    while position < len(lines) and lines[position].startswith("- "):
        distribution.append(lines[position])
        position += 1
    appendix = lines.index("Phụ lục") if "Phụ lục" in lines else len(lines)
    return Parts(
        governing,
        issuing,
        number,
        date,
        title,
        lines[kinh_gui],
        recipients,
        body,
        distribution,
        lines[position:appendix],
        lines[appendix:],
    )


# --- how one clerk works ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Habits:
    header: Literal["table", "tabs"] = "table"
    numbering: Literal["tab", "spaces", "word"] = "tab"
    gaps: bool = False
    two_row_header: bool = False
    picture: bool = False
    signature: Literal["table", "tabs"] = "table"


_ROMAN = re.compile(r"^(?P<n>[IVX]+)\.\s+(?P<text>.*)$")
_NESTED = re.compile(r"^(?P<n>\d+\.\d+)\.?\s+(?P<text>.*)$")
_DECIMAL = re.compile(r"^(?P<n>\d+)\.\s+(?P<text>.*)$")
_LETTER = re.compile(r"^(?P<n>[a-zđ])\)\s+(?P<text>.*)$")
_LIST = re.compile(r"^(?P<n>[-+])\s+(?P<text>.*)$")
# Word's numbering for the headings (I., 1., 1.1., a)), for "-" and "+" lists, and for numbered paragraphs.
_OUTLINE_LEVELS = (("upperRoman", "%1."), ("decimal", "%2."), ("decimal", "%2.%3."), ("lowerLetter", "%4)"))


@dataclass
class _Word:
    """The numbering definitions of a document numbered by Word."""

    document: docx.document.Document
    next_num: int = 300
    nums: dict[str, int] = field(default_factory=dict)

    def abstract(self, number: int, levels: list[tuple[str, str]]) -> None:
        xml = "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
            f'<w:pPr><w:ind w:left="0" w:firstLine="567"/></w:pPr></w:lvl>'
            for i, (fmt, text) in enumerate(levels)
        )
        numbering = self.document.part.numbering_part.element
        numbering.insert(
            0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{number}">{xml}</w:abstractNum>')
        )

    def num(self, abstract: int) -> int:
        self.next_num += 1
        numbering = self.document.part.numbering_part.element
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{self.next_num}">'
                f'<w:abstractNumId w:val="{abstract}"/></w:num>'
            )
        )
        return self.next_num

    def setup(self) -> None:
        self.abstract(201, list(_OUTLINE_LEVELS))
        self.abstract(202, [("bullet", "-"), ("bullet", "+")])
        self.abstract(203, [("decimal", "%1.")])
        self.nums = {"outline": self.num(201), "list": self.num(202)}


class Clerk:
    """Writes a report into a new document (or into the decree's sample) as a clerk with ``habits`` would."""

    def __init__(self, habits: Habits, document: docx.document.Document | None = None) -> None:
        self.habits = habits
        self.document = document or docx.Document()
        self.anchor = None  # paragraphs go before this element when typing into a sample
        self.word = _Word(self.document) if habits.numbering == "word" else None
        if self.word is not None:
            self.word.setup()
        self.numbered_run: int | None = None

    # -- paragraphs with direct formatting --

    def paragraph(
        self,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent: bool = True,
        size: float = 14,
        container=None,
        gap: bool | None = None,
    ):
        if container is not None:
            paragraph = container.add_paragraph()
        elif self.anchor is not None:
            element = OxmlElement("w:p")
            self.anchor.addprevious(element)
            paragraph = DocxParagraph(element, self.document._body)
        else:
            paragraph = self.document.add_paragraph()
        if text:
            run = paragraph.add_run(text)
            run.font.name, run.font.size, run.bold, run.italic = FONT, Pt(size), bold, italic
            run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.space_after = Pt(6)
        if indent:
            fmt.first_line_indent = Cm(1.27)
        if (self.habits.gaps if gap is None else gap) and container is None:
            self.paragraph("", indent=False, gap=False)
        return paragraph

    def centred(self, text: str, **formatting) -> None:
        self.paragraph(text, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, **formatting)

    def numbered(self, paragraph, key: str, level: int) -> None:
        properties = OxmlElement("w:numPr")
        for tag, value in (("w:ilvl", str(level)), ("w:numId", str(key))):
            element = OxmlElement(tag)
            element.set(qn("w:val"), value)
            properties.append(element)
        paragraph._p.get_or_add_pPr().append(properties)

    # -- the parts of a report --

    def header(self, parts: Parts) -> None:
        left = [(line, False) for line in parts.governing] + [(line, True) for line in parts.issuing]
        right = [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True), ("Độc lập - Tự do - Hạnh phúc", True)]
        if self.habits.header == "tabs":
            rows = max(len(left), len(right))
            left += [("", False)] * (rows - len(left))
            right += [("", False)] * (rows - len(right))
            for (l_text, l_bold), (r_text, r_bold) in zip(left, right, strict=True):
                paragraph = self.paragraph("", indent=False, align=WD_ALIGN_PARAGRAPH.LEFT, gap=False)
                for text, bold in ((l_text, l_bold), ("\t\t", False), (r_text, r_bold)):
                    run = paragraph.add_run(text)
                    run.font.name, run.font.size, run.bold = FONT, Pt(13), bold
            paragraph = self.paragraph("", indent=False, align=WD_ALIGN_PARAGRAPH.LEFT, gap=False)
            for text, italic in ((parts.number, False), ("\t\t", False), (parts.date, True)):
                run = paragraph.add_run(text)
                run.font.name, run.font.size, run.italic = FONT, Pt(13), italic
            self.paragraph("", indent=False, gap=False)
            return
        table = self.document.add_table(rows=2, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        cells = table.rows[0].cells
        for cell, lines in (
            (cells[0], [*left, ("________", True)]),
            (cells[1], [*right, ("______________", True)]),
        ):
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
            for text, bold in lines:
                self.paragraph(
                    text, bold=bold, size=13, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, container=cell
                )
        cells = table.rows[1].cells
        cells[0].paragraphs[0].add_run(parts.number).font.size = Pt(13)
        cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = cells[1].paragraphs[0].add_run(parts.date)
        run.italic, run.font.size = True, Pt(13)
        cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.paragraph("", indent=False, gap=False)

    def title(self, parts: Parts) -> None:
        self.centred("BÁO CÁO", bold=True)
        for line in parts.title:
            self.centred(line, bold=True)
        self.centred("__________", bold=True)
        if parts.recipients:
            self.centred(parts.kinh_gui)
            for line in parts.recipients:
                self.paragraph(line, indent=False)
        else:
            self.centred(parts.kinh_gui)

    def body(self, lines: list[str]) -> None:
        rows: list[str] = []
        for index, line in enumerate(lines):
            if "\t" in line:
                rows.append(line)
                continue
            if rows:
                self.table(rows)
                rows = []
            self.line(line)
            if self.habits.picture and index == 6:
                self.picture()
        if rows:
            self.table(rows)

    def line(self, line: str) -> None:
        gap = " " * 2 if self.habits.numbering == "spaces" else "\t"
        if match := _ROMAN.match(line):
            self.heading(match["n"] + ".", match["text"], 0, bold=True)
        elif match := _NESTED.match(line):
            self.heading(match["n"], match["text"], 2, bold=True, typed_gap=" ")
        elif (
            (match := _DECIMAL.match(line)) and len(match["text"]) <= 150 and not match["text"].endswith(".")
        ):
            self.heading(match["n"] + ".", match["text"], 1, bold=True)
        elif match := _LETTER.match(line):
            self.heading(match["n"] + ")", match["text"], 3, bold=False)
        elif match := _DECIMAL.match(line):
            if self.word is not None:
                if self.numbered_run is None or match["n"] == "1":
                    self.numbered_run = self.word.num(203)
                self.numbered(self.paragraph(match["text"]), str(self.numbered_run), 0)
            else:
                self.paragraph(f"{match['n']}.{gap}{match['text']}")
        elif match := _LIST.match(line):
            if self.word is not None:
                level = 0 if match["n"] == "-" else 1
                self.numbered(self.paragraph(match["text"]), str(self.word.nums["list"]), level)
            else:
                self.paragraph(f"{match['n']}{gap if match['n'] == '-' else ' '}{match['text']}")
        else:
            self.paragraph(line)

    def heading(
        self, number: str, text: str, level: int, *, bold: bool, typed_gap: str | None = None
    ) -> None:
        if self.word is not None:
            self.numbered(self.paragraph(text, bold=bold), str(self.word.nums["outline"]), level)
            return
        gap = typed_gap or (" " * 2 if self.habits.numbering == "spaces" else "\t")
        self.paragraph(f"{number}{gap}{text}", bold=bold)

    def picture(self) -> None:
        image = io.BytesIO()
        Image.new("RGB", (400, 200), (31, 78, 121)).save(image, "PNG")
        paragraph = self.paragraph("", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph.add_run().add_picture(io.BytesIO(image.getvalue()), width=Cm(12))
        self.centred("Hình 1. Bộ phận tiếp nhận và trả kết quả của huyện", italic=True)

    def table(self, rows: list[str], header_rows: int = 1) -> None:
        cells = [row.split("\t") for row in rows]
        width = max(len(row) for row in cells)
        table = self.document.add_table(rows=0, cols=width)
        table.style = self.document.styles["Table Grid"]
        for row in cells:
            row_cells = table.add_row().cells
            for index, text in enumerate(row):
                paragraph = row_cells[index].paragraphs[0]
                run = paragraph.add_run(text.strip())
                run.font.name, run.font.size = FONT, Pt(12)
                run.bold = len(table.rows) <= header_rows
        if header_rows == 2:
            top, second = table.rows[0].cells, table.rows[1].cells
            spans = [i for i in range(width) if not cells[0][i].strip()]
            for column in range(width):
                if column in spans:
                    top[column - 1].merge(top[column])
                elif not cells[1][column].strip():
                    top[column].merge(second[column])
        if self.habits.gaps:
            self.paragraph("", indent=False, gap=False)

    def signature(self, parts: Parts, lines: list[str]) -> None:
        if self.habits.signature == "tabs":
            self.signature_in_tabs(parts, lines)
            return
        table = self.document.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        left.paragraphs[0]._p.getparent().remove(left.paragraphs[0]._p)
        right.paragraphs[0]._p.getparent().remove(right.paragraphs[0]._p)
        self.paragraph(
            "Nơi nhận:",
            bold=True,
            italic=True,
            size=12,
            indent=False,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            container=left,
        )
        for entry in parts.distribution:
            self.paragraph(entry, size=11, indent=False, align=WD_ALIGN_PARAGRAPH.LEFT, container=left)
        for index, line in enumerate(lines):
            if index == 2:
                for _ in range(3):
                    self.paragraph("", indent=False, container=right)
            bold = True
            self.paragraph(line, bold=bold, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, container=right)

    def signature_in_tabs(self, parts: Parts, lines: list[str]) -> None:
        """Nơi nhận on the left, the signature pushed to the right with tabs, the signer's name alone on its
        line after room to sign."""
        left = [("Nơi nhận:", True, True, 12), *((entry, False, False, 11) for entry in parts.distribution)]
        right = [*lines[:-1], *[""] * 3, lines[-1]]
        for index in range(max(len(left), len(right))):
            paragraph = self.paragraph("", indent=False, align=WD_ALIGN_PARAGRAPH.LEFT, gap=False)
            text, bold, italic, size = left[index] if index < len(left) else ("", False, False, 11)
            signature = right[index] if index < len(right) else ""
            for part, part_bold, part_italic, part_size in (
                (text, bold, italic, size),
                ("\t\t\t" if signature else "", False, False, 11),
                (signature, True, False, 14),
            ):
                if part:
                    run = paragraph.add_run(part)
                    run.font.name, run.font.size = FONT, Pt(part_size)
                    run.bold, run.italic = part_bold, part_italic

    def appendix(self, lines: list[str]) -> None:
        if not lines:
            return
        breaker = self.document.add_paragraph().add_run()
        breaker.add_break(WD_BREAK.PAGE)
        rows = [line for line in lines if "\t" in line]
        for line in lines:
            if "\t" in line:
                break
            italic = line.startswith("(")
            self.centred(line, bold=not italic, italic=italic)
        self.table(rows, header_rows=2 if self.habits.two_row_header else 1)


def clerk_document(
    seed: Seed, habits: Habits, target: Path, governing: list[str], issuing: list[str]
) -> Path:
    """The seed typed by a clerk with ``habits`` into a new document, saved at ``target``."""
    report = parts(seed, governing, issuing)
    clerk = Clerk(habits)
    section = clerk.document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin, section.top_margin = Cm(3), Cm(1.5), Cm(2)
    clerk.header(report)
    clerk.title(report)
    clerk.body(report.body)
    clerk.signature(report, report.signature)
    clerk.appendix(report.appendix)
    clerk.document.save(str(target))
    return target


def typed_into_mau_1_4(seed: Seed, target: Path, issuing: list[str]) -> Path:
    """The seed typed over the dotted places of the decree's Mẫu 1.4 (its header and signature tables, its
    styles and page setup), the body typed with spaces after the heading numbers, the closing sentence left
    without "./." since the sample has its own "./." paragraph."""
    report = parts(seed, [], issuing)
    document = docx.Document(str(mau_1_4(target)))
    header, signature = document.tables[0], document.tables[1]
    left, right = header.rows[0].cells
    _retype(left.paragraphs[0], "")
    _retype(left.paragraphs[1], issuing[0])
    for line in reversed(issuing[1:]):
        added = copy.deepcopy(left.paragraphs[1]._p)
        left.paragraphs[1]._p.addnext(added)
        _retype(DocxParagraph(added, left), line)
    number = next(p for p in left.paragraphs if p.text.startswith("Số"))
    _retype(number, report.number)
    date = next(p for p in right.paragraphs if "ngày" in p.text)
    _retype(date, report.date)
    paragraphs = document.paragraphs
    kind = next(i for i, p in enumerate(paragraphs) if p.text.startswith("TÊN LOẠI"))
    _retype(paragraphs[kind], "BÁO CÁO")
    title, content = (
        i for i in range(kind, len(paragraphs)) if re.fullmatch(r"[.…\s]{5,}", paragraphs[i].text)
    )
    _retype(paragraphs[title], report.title[0])
    content = paragraphs[content]
    kinh_gui = copy.deepcopy(content._p)
    content._p.addprevious(kinh_gui)
    _retype(DocxParagraph(kinh_gui, content._parent), report.kinh_gui)
    clerk = Clerk(Habits(numbering="spaces"), document)
    clerk.anchor = content._p
    body = list(report.body)
    body[-1] = body[-1].removesuffix("./.")
    clerk.body(body)
    content._p.getparent().remove(content._p)
    entries, signer = signature.rows[0].cells
    lines = [p for p in entries.paragraphs if p.text.startswith("-")]
    for line in lines[1:-1]:
        line._p.getparent().remove(line._p)
    template = lines[0]._p
    for entry in report.distribution[:-1]:
        added = copy.deepcopy(template)
        lines[-1]._p.addprevious(added)
        _retype(DocxParagraph(added, entries), entry)
    template.getparent().remove(template)
    _retype(lines[-1], report.distribution[-1])
    authority = next(p for p in signer.paragraphs if p.text.startswith("QUYỀN HẠN"))
    _retype(authority, report.signature[0])
    for line in reversed(report.signature[1:-1]):
        added = copy.deepcopy(authority._p)
        authority._p.addnext(added)
        _retype(DocxParagraph(added, signer), line)
    _retype(next(p for p in signer.paragraphs if p.text.startswith("Họ và tên")), report.signature[-1])
    document.save(str(target))
    return target


def _retype(paragraph, text: str) -> None:
    """The paragraph's text replaced, in the formatting of its first run."""
    runs = paragraph.runs
    for run in runs[1:]:
        run._r.getparent().remove(run._r)
    if runs:
        runs[0].text = text
    else:
        paragraph.add_run(text)
