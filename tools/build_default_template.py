"""Build templates/bao-cao-dinh-ky/template.docx, the default profile's Word template.

This script is the source of the bundled profile's template.docx: change the template here, run the script
and commit both (tests/test_template_sources.py checks that the committed file is the script's output). The
output is the same bytes on every run, so an unchanged template leaves git clean. A maintainer's own profile
(a copy made by `cchc template new`) is edited in Word instead. Layout per Nghị định 30/2020/NĐ-CP,
Phụ lục I.

    python tools/build_default_template.py [output.docx]
"""

from __future__ import annotations

import copy
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

FONT = "Times New Roman"
CENTER, JUSTIFY, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT
TIEU_NGU_RULE = "_" * 24  # "Độc lập - Tự do - Hạnh phúc" in 14 pt bold is about 24 underscores wide


def set_fonts(rpr_parent) -> None:
    """Times New Roman in all four font slots, so Vietnamese never falls back to another font."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def style_paragraph(
    paragraph,
    text: str = "",
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    align=CENTER,
    before: float = 0,
    after: float = 0,
    first_line: float | None = None,
    left: float | None = None,
    keep_next: bool = False,
):
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.0
    if first_line is not None:
        fmt.first_line_indent = Cm(first_line)
    if left is not None:
        fmt.left_indent = Cm(left)
    fmt.keep_with_next = keep_next or None
    if text:
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.italic = italic
        set_fonts(run._r)
    return paragraph


def add(container, text: str = "", **kwargs):
    return style_paragraph(container.add_paragraph(), text, **kwargs)


def tag(container, text: str):
    """A paragraph holding only a docxtpl structural tag; docxtpl removes it when rendering."""
    return style_paragraph(container.add_paragraph(), text, size=14, align=LEFT)


def insert_before(parent, element, *successors: str) -> None:
    """Insert ``element`` before the first of ``successors`` present: Word rejects children out of order."""
    for name in successors:
        found = parent.find(qn(name))
        if found is not None:
            found.addprevious(element)
            return
    parent.append(element)


TBLPR_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")


def no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    insert_before(tbl_pr, borders, *TBLPR_AFTER_BORDERS)


def grid_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    insert_before(tbl_pr, borders, *TBLPR_AFTER_BORDERS)


def fixed_widths(table, widths_mm: list[float]) -> None:
    table.autofit = False  # <w:tblLayout w:type="fixed"/>
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(width).twips)))


def repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    tr_pr.append(element)


def page_number_field(paragraph) -> None:
    """A PAGE field: Word and LibreOffice compute it when the document is shown or converted."""
    run = paragraph.add_run()
    run.font.size = Pt(14)
    set_fonts(run._r)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def setup_section(section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    # Page numbers from page 2: the first page has its own, empty header.
    section.different_first_page_header_footer = True


def setup_headers(section) -> None:
    section.header.is_linked_to_previous = False
    header = section.header.paragraphs[0]
    style_paragraph(header, align=CENTER)
    page_number_field(header)
    section.first_page_header.is_linked_to_previous = False
    style_paragraph(section.first_page_header.paragraphs[0], align=CENTER)


def setup_styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    set_fonts(normal.element)
    # The document defaults too, so text outside any style is Times New Roman.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    fonts = rpr_default.find(qn("w:rPr")).find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)

    def body_style(name: str, *, bold=False, italic=False, keep_next=False):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size = Pt(14)
        style.font.bold = bold
        style.font.italic = italic
        fmt = style.paragraph_format
        fmt.alignment = JUSTIFY
        fmt.first_line_indent = Cm(1.27)
        fmt.space_before = Pt(6)
        fmt.space_after = Pt(0)
        fmt.line_spacing = 1.15
        # A heading is kept whole and on the page of what follows it: no page ends with a heading.
        fmt.keep_with_next = keep_next
        fmt.keep_together = keep_next or None
        fmt.widow_control = True
        return style

    body = body_style("CCHC Nội dung")
    body_style("CCHC Mục", bold=True, keep_next=True)
    body_style("CCHC Khoản", bold=True, keep_next=True)
    body_style("CCHC Tiểu mục", bold=True, italic=True, keep_next=True)
    body_style("CCHC Điểm", keep_next=True)
    # A heading without a number ("Kết quả thực hiện của Ủy ban nhân dân tỉnh" inside a section).
    body_style("CCHC Đề mục không số", bold=True, keep_next=True)
    # The closing sentence is body text kept whole and on the page of the signature block that follows
    # it, so that the signature never stands on a page of its own under nothing but the page number.
    closing = document.styles.add_style("CCHC Đoạn kết", WD_STYLE_TYPE.PARAGRAPH)
    closing.base_style = body
    closing.paragraph_format.keep_with_next = True
    closing.paragraph_format.keep_together = True

    # A picture centred on its own line, kept with its caption below it.
    picture = document.styles.add_style("CCHC Ảnh", WD_STYLE_TYPE.PARAGRAPH)
    picture.base_style = normal
    fmt = picture.paragraph_format
    fmt.alignment, fmt.space_before, fmt.space_after, fmt.line_spacing = CENTER, Pt(6), Pt(0), 1.0
    fmt.keep_with_next = True
    caption = document.styles.add_style("CCHC Chú thích ảnh", WD_STYLE_TYPE.PARAGRAPH)
    caption.base_style = normal
    caption.font.size = Pt(13)
    caption.font.italic = True
    fmt = caption.paragraph_format
    fmt.alignment, fmt.space_before, fmt.space_after, fmt.line_spacing = CENTER, Pt(3), Pt(6), 1.0

    # Table cells take all their formatting from this style, none from the runs: an appendix has a few
    # hundred cells, and direct formatting repeated in each would make up most of the document.
    cell = document.styles.add_style("CCHC Ô bảng", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.font.size = Pt(12)
    fmt = cell.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0


def cell_text(cell, text: str, *, bold: bool = False, align=CENTER) -> None:
    """A table cell's paragraph in the style "CCHC Ô bảng", with only its alignment and boldness given."""
    paragraph = cell.paragraphs[0]
    paragraph.style = cell.part.document.styles["CCHC Ô bảng"]
    paragraph.paragraph_format.alignment = align
    if text:
        run = paragraph.add_run(text)
        if bold:
            run.font.bold = True


def header_block(document) -> None:
    table = document.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    no_borders(table)
    fixed_widths(table, [68, 104])
    left, right = table.rows[0].cells
    left.paragraphs[0]._p.getparent().remove(left.paragraphs[0]._p)
    tag(left, "{%p if unit.governing_body %}")
    add(left, "{{ unit.governing_body }}", size=13)
    tag(left, "{%p endif %}")
    tag(left, "{%p for line in unit.issuing_body %}")
    add(left, "{{ line }}", size=13, bold=True)
    tag(left, "{%p endfor %}")
    add(left, "{{ doc.issuing_rule }}", size=13, bold=True, after=6)
    style_paragraph(right.paragraphs[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True)
    add(right, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True)
    add(right, TIEU_NGU_RULE, size=14, bold=True, after=6)
    number_cell, date_cell = table.rows[1].cells
    style_paragraph(number_cell.paragraphs[0], "{{ doc.number_line }}", size=13)
    style_paragraph(date_cell.paragraphs[0], "{{ doc.date_line }}", size=14, italic=True)


def title_block(document) -> None:
    add(document, "{{ doc.type_name }}", bold=True, before=18)
    tag(document, "{%p for line in doc.title %}")
    add(document, "{{ line }}", bold=True)
    tag(document, "{%p endfor %}")
    # The data window "(số liệu tính từ … đến …)" on a line of its own, regular weight, when asked for.
    tag(document, "{%p if doc.window %}")
    add(document, "{{ doc.window }}")
    tag(document, "{%p endif %}")
    add(document, "{{ doc.title_rule }}", bold=True, after=6)
    tag(document, "{%p if recipients.inline %}")
    add(document, "Kính gửi: {{ recipients.inline }}", before=6, after=6)
    tag(document, "{%p elif recipients.lines %}")
    # As in the decree's own sample (Phụ lục III, Mẫu 1.5): "Kính gửi:" from 3,5 cm, the list from 4,5 cm.
    add(document, "Kính gửi:", align=LEFT, first_line=3.5, before=6)
    tag(document, "{%p for line in recipients.lines %}")
    add(document, "{{ line }}", align=LEFT, left=4.5)
    tag(document, "{%p endfor %}")
    tag(document, "{%p endif %}")


def header_loop(table, row_index: int, name: str) -> None:
    """Row ``row_index`` of ``table`` as the header rows of ``name``: ``{%tr for hr in <name>.head %}``
    around a row of cells that span as many columns as each says (``h.span``), bold, repeated on every page.
    The row keeps three cells (the loop's start, one cell, its end): the cells past them are taken out."""
    rows = table.rows
    loop_start, header, loop_end = rows[row_index], rows[row_index + 1], rows[row_index + 2]
    cell_text(loop_start.cells[0], f"{{%tr for hr in {name}.head %}}", align=LEFT)
    cell_text(loop_end.cells[0], "{%tr endfor %}", align=LEFT)
    repeat_header(header)
    texts = ["{%tc for h in hr %}", "{% colspan h.span %}{{ h.text }}", "{%tc endfor %}"]
    for index, cell in enumerate(header.cells):
        if index < len(texts):
            cell_text(cell, texts[index], bold=True)
        else:
            cell._tc.getparent().remove(cell._tc)


def dynamic_table(document, name: str) -> None:
    """A table whose columns come from the data: header rows ``<name>.head`` (a group's title over its
    columns; the widths of the columns ride in the first cell) and rows of cells ``<name>.rows``."""
    table = document.add_table(rows=6, cols=3)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid_borders(table)
    header_loop(table, 0, name)
    layout = [
        (f"{{%tr for r in {name}.rows %}}", "", ""),
        ("{%tc for cell in r %}", "{{ cell }}", "{%tc endfor %}"),
        ("{%tr endfor %}", "", ""),
    ]
    for row, texts in zip(table.rows[3:], layout, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell_text(cell, text)


def body_block(document) -> None:
    tag(document, "{%p for paragraph in lead_in %}")
    document.add_paragraph("{{ paragraph }}", style="CCHC Nội dung")
    tag(document, "{%p endfor %}")
    tag(document, "{%p for b in body %}")
    # One paragraph style per heading level: the maintainer restyles a level in Word, not here.
    levels = {"h1": "CCHC Mục", "h2": "CCHC Khoản", "h3": "CCHC Tiểu mục", "h4": "CCHC Điểm"}
    for index, (kind, style) in enumerate(levels.items()):
        tag(document, f'{{%p {"elif" if index else "if"} b.kind == "{kind}" %}}')
        document.add_paragraph("{{ b.number }} {{ b.text }}", style=style)
    tag(document, '{%p elif b.kind == "subheading" %}')
    document.add_paragraph("{{ b.text }}", style="CCHC Đề mục không số")
    tag(document, '{%p elif b.kind == "table" %}')
    dynamic_table(document, "b")
    tag(document, '{%p elif b.kind == "image" %}')
    document.add_paragraph("{{ b.image }}", style="CCHC Ảnh")
    tag(document, "{%p if b.caption %}")
    document.add_paragraph("{{ b.caption }}", style="CCHC Chú thích ảnh")
    tag(document, "{%p endif %}")
    tag(document, "{%p else %}")
    document.add_paragraph("{{ b.text }}", style="CCHC Nội dung")
    tag(document, "{%p endif %}")
    tag(document, "{%p endfor %}")
    document.add_paragraph("{{ closing }}", style="CCHC Đoạn kết")


def signature_block(document) -> None:
    table = document.add_table(rows=1, cols=2)
    no_borders(table)
    fixed_widths(table, [80, 92])
    # Nơi nhận and the signature stay together on one page.
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    left, right = table.rows[0].cells
    style_paragraph(left.paragraphs[0], "Nơi nhận:", size=12, bold=True, italic=True, align=LEFT, before=12)
    tag(left, "{%p for entry in distribution %}")
    add(left, "{{ entry }}", size=11, align=LEFT)
    tag(left, "{%p endfor %}")
    first = right.paragraphs[0]
    style_paragraph(first, align=CENTER, before=12)
    first._p.getparent().remove(first._p)
    tag(right, "{%p if signer.authority %}")
    add(right, "{{ signer.authority }}", size=14, bold=True, before=12)
    add(right, "{{ signer.title }}", size=14, bold=True)
    tag(right, "{%p else %}")
    add(right, "{{ signer.title }}", size=14, bold=True, before=12)
    tag(right, "{%p endif %}")
    for _ in range(4):
        add(right, "")
    tag(right, "{%p if signer.own_position %}")
    add(right, "{{ signer.own_position }}", size=14, bold=True)
    tag(right, "{%p endif %}")
    add(right, "{{ signer.name }}", size=14, bold=True)


def appendix_block(document, indicators: bool) -> None:
    """Every appendix of the report; with ``indicators``, the indicator table for the appendix of kind
    "indicators", the data's own tables for the others."""
    tag(document, "{%p for appendix in appendices %}")
    # Each appendix starts a section: a new page, numbered on its own from its second page. The section
    # break sits in the loop, so every appendix gets one (docxtpl repeats the paragraph that carries it).
    document.add_section(WD_SECTION.NEW_PAGE)
    # That paragraph is 1 pt high, so that it never spills onto a page of its own when the signature
    # block ends exactly at the bottom of a page.
    breaker = document.paragraphs[-1]
    fmt = breaker.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(1)
    add(document, "{{ appendix.heading }}", bold=True)
    tag(document, "{%p for line in appendix.title %}")
    add(document, "{{ line }}", bold=True)
    tag(document, "{%p endfor %}")
    add(document, "{{ appendix.reference }}", italic=True)
    add(document, "_" * 10, bold=True, after=6)
    if indicators:
        tag(document, '{%p if appendix.kind == "indicators" %}')
        indicator_table(document)
        tag(document, "{%p else %}")
    dynamic_table(document, "appendix")
    if indicators:
        tag(document, "{%p endif %}")
    tag(document, "{%p endfor %}")


def indicator_table(document) -> None:
    """The indicator appendix: STT, label, unit, value, note; a group row bold, an indicator row plain. Its
    header rows come from the profile's columns (one row, or two under a group)."""
    table = document.add_table(rows=9, cols=5)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid_borders(table)
    fixed_widths(table, [17, 70, 24, 20, 34])
    header_loop(table, 0, "appendix")
    fields = ["{{ r.stt }}", "{{ r.label }}", "{{ r.unit }}", "{{ r.value }}", "{{ r.note }}"]
    aligns = [CENTER, LEFT, CENTER, CENTER, LEFT]
    # One row template for a group (bold) and one for an indicator, chosen per row.
    layout = [
        (["{%tr for r in appendix.rows %}"], [LEFT], False),
        (["{%tr if r.group %}"], [LEFT], False),
        (fields, aligns, True),
        (["{%tr else %}"], [LEFT], False),
        (fields, aligns, False),
        (["{%tr endif %}"], [LEFT], False),
    ]
    for row, (texts, row_aligns, bold) in zip(table.rows[3:], layout, strict=True):
        for cell, text, align in zip(row.cells, texts, row_aligns, strict=False):
            cell_text(cell, text, bold=bold and text != "{{ r.note }}", align=align)
    cell_text(table.add_row().cells[0], "{%tr endfor %}", align=LEFT)


def prune_styles(document) -> None:
    """Drop the styles python-docx's blank document ships but this template never uses (some are
    Courier or Calibri): a maintainer who picks one from Word's list would break the layout rules."""
    used = document.element.xml + "".join(
        part.blob.decode("utf-8") for part in document.part.package.parts if "header" in part.partname
    )
    keep = {"Normal", "Default Paragraph Font", "Normal Table", "No List"}
    for style in list(document.styles):
        if style.name in keep or style.name.startswith("CCHC"):
            continue
        if f'w:val="{style.style_id}"' not in used:
            style.element.getparent().remove(style.element)
    remaining = {style.style_id for style in document.styles}
    for link in document.styles.element.iter(qn("w:link"), qn("w:next")):
        if link.get(qn("w:val")) not in remaining:
            link.getparent().remove(link)


def build(
    output: Path, *, title: str = "Báo cáo định kỳ cải cách hành chính", indicators: bool = True
) -> None:
    """The template, saved to ``output``; ``title`` is the file's title property. Without ``indicators``
    the template has no indicator appendix, for a profile without an indicator catalogue."""
    document = Document()
    setup_styles(document)
    setup_section(document.sections[0])
    setup_headers(document.sections[0])
    header_block(document)
    title_block(document)
    body_block(document)
    signature_block(document)
    appendix_block(document, indicators)
    prune_styles(document)
    # Appendix sections show the same headers and restart numbering. Headers are named explicitly, not
    # inherited: when a report has no appendix, the last section is the only one left. Restarting the
    # first section too is harmless and lets the section break inside the loop be one and the same.
    first, last = document.sections[0]._sectPr, document.sections[-1]._sectPr
    for reference in reversed(first.findall(qn("w:headerReference"))):
        last.insert(0, copy.deepcopy(reference))
    for sect_pr in (first, last):
        restart = OxmlElement("w:pgNumType")
        restart.set(qn("w:start"), "1")
        insert_before(sect_pr, restart, "w:cols", "w:titlePg", "w:docGrid")
    document.core_properties.title = title
    document.core_properties.author = "cchc_gen"
    output.parent.mkdir(parents=True, exist_ok=True)
    save_reproducibly(document, output)


def save_reproducibly(document, output: Path) -> None:
    """Save with every zip entry dated 1980-01-01: python-docx stamps the time of saving, which would make
    each run a new binary for git even when no part changed."""
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename)
            fixed.external_attr = entry.external_attr
            target.writestr(fixed, source.read(entry), zipfile.ZIP_DEFLATED)


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("templates/bao-cao-dinh-ky/template.docx"))
