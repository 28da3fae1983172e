"""The page: paper size and orientation, margins, fonts and their colour, page numbers (NĐ 30/2020,
Phụ lục I, Phần I, mục I)."""

from __future__ import annotations

from typing import Any

from cchc_gen.nd30.docx_view import Paragraph, Section, Table
from cchc_gen.nd30.rules.judge import Judge, alignment, num
from cchc_gen.nd30.walk import w

FONT = "Times New Roman"


def check(judge: Judge) -> None:
    _paper(judge)
    _fonts(judge)
    _page_numbers(judge)


def _paper(judge: Judge) -> None:
    for section in judge.doc.sections:
        short, long = sorted((section.width, section.height))
        if abs(short - 210) > 1 or abs(long - 297) > 1:
            found = f"khổ {num(section.width)} × {num(section.height)} mm"
            judge.flag("kho-giay", found, "khổ A4 (210 × 297 mm)", section.where)
        if section.landscape and not _has_data_table(judge, section):
            judge.flag(
                "kho-giay",
                "trang nằm ngang (theo chiều rộng) mà không có bảng, biểu",
                "trình bày theo chiều dài khổ A4; chiều rộng chỉ cho trang có bảng, biểu",
                section.where,
            )
        margins = (
            ("trên", section.top, 20, 25),
            ("dưới", section.bottom, 20, 25),
            ("trái", section.left, 30, 35),
            ("phải", section.right, 15, 20),
        )
        for name, value, low, high in margins:
            if not low - 0.2 <= value <= high + 0.2:
                judge.flag(
                    "le-trang", f"lề {name} {num(value)} mm", f"lề {name} {low}–{high} mm", section.where
                )


def _has_data_table(judge: Judge, section: Section) -> bool:
    return any(
        isinstance(b, Table) and b.section == section.index and max(len(r) for r in b.rows or [[]]) >= 3
        for b in judge.doc.blocks
    )


def _header_footer_paragraphs(judge: Judge) -> list[Paragraph]:
    found, seen = [], set()
    for section in judge.doc.sections:
        for kind, parts in (("đầu trang", section.headers), ("chân trang", section.footers)):
            for part in parts.values():
                if part is not None and id(part) not in seen:
                    seen.add(id(part))
                    found += judge.doc.part_paragraphs(part, f"{kind} của {section.where}")
    return found


def _fonts(judge: Judge) -> None:
    required = f"{FONT} ở cả bốn ô phông (ascii, hAnsi, eastAsia, cs)"
    for paragraph in judge.doc.paragraphs + _header_footer_paragraphs(judge):
        for run in paragraph.text_runs:
            wrong: dict[str, list[str]] = {}
            for slot, font in run.format.fonts:
                if (font or "").strip().lower() != FONT.lower():
                    wrong.setdefault(font or "chưa đặt phông", []).append(slot)
            if wrong:
                found = "; ".join(f"{font} (ô {', '.join(slots)})" for font, slots in wrong.items())
                judge.flag("phong-chu", f"phông {found}", required, paragraph.location)
            if run.format.color.lower() not in ("auto", "000000", "text1"):
                judge.flag("mau-chu", f"chữ màu {run.format.color}", "chữ màu đen", paragraph.location)


def _page_numbers(judge: Judge) -> None:
    if not judge.doc.sections:
        return
    numbered = False
    for section in judge.doc.sections:
        for kind in ("default", "even") if judge.doc.even_and_odd_headers else ("default",):
            for paragraph in _page_fields(judge, section.headers.get(kind), f"đầu trang của {section.where}"):
                numbered = True
                judge.look("so-trang", paragraph, (13, 14), italic=False)
                if not (paragraph.format.centred or paragraph.text.startswith("\t")):
                    judge.flag(
                        "so-trang",
                        f"số trang {alignment(paragraph)}",
                        "số trang canh giữa",
                        paragraph.where,
                    )
        for kind, part in section.footers.items():
            if _page_fields(judge, part, f"chân trang của {section.where}"):
                where = f"chân trang ({kind}) của {section.where}"
                judge.flag("so-trang", "số trang ở chân trang", "số trang ở lề trên (đầu trang)", where)
    paragraphs = judge.doc.paragraphs
    several_pages = len(judge.doc.sections) > 1 or any(p.page_break for p in paragraphs)
    if not numbered and (several_pages or sum(len(p.text) for p in paragraphs) > 2500):
        judge.flag(
            "so-trang",
            "không có trường số trang (PAGE) ở đầu trang",
            "số trang từ trang 2, canh giữa ở lề trên",
            "đầu trang",
        )
    first = judge.doc.sections[0]
    page_one = first.headers.get("first") if first.title_page else first.headers.get("default")
    if _page_fields(judge, page_one, f"đầu trang của {first.where}"):
        found = "số trang hiện ở trang thứ nhất"
        if not first.title_page:
            found += " (chưa bật “Trang đầu khác” — titlePg)"
        judge.flag("so-trang-trang-1", found, "không hiển thị số trang ở trang thứ nhất", first.where)


def _page_fields(judge: Judge, part: Any, where: str) -> list[Paragraph]:
    """The paragraphs of a header or footer that hold a PAGE field."""
    if part is None:
        return []
    found = []
    for paragraph in judge.doc.part_paragraphs(part, where):
        element = paragraph.element
        instructions = [e.get(w("instr"), "") for e in element.iter(w("fldSimple"))]
        instructions += [e.text or "" for e in element.iter(w("instrText"))]
        if any(i.split()[:1] == ["PAGE"] for i in instructions):
            found.append(paragraph)
    return found
