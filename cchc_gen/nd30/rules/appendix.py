"""The appendices: each on a new page, its heading and title, its "(Kèm theo …)" line, which must match
the document's number and date, and its own page numbers (NĐ 30/2020, Phụ lục I, Phần I, mục III)."""

from __future__ import annotations

import re

from cchc_gen.nd30.docx_view import Table
from cchc_gen.nd30.elements import Appendix
from cchc_gen.nd30.rules.judge import Judge, quoted
from cchc_gen.vn.numbers import roman

_REFERENCE = re.compile(
    r"\(Kèm theo\s+(?P<kind>.+?)\s+số\s*(?P<number>[^/]*?)\s*/\s*(?P<symbol>\S+)\s+"
    r"ngày\s*(?P<date>.+?)\s+của\s+(?P<issuer>.+)\)"
)


def check(judge: Judge) -> None:
    for number, appendix in enumerate(judge.layout.appendices, start=1):
        _appendix(judge, appendix, number)


def _appendix(judge: Judge, appendix: Appendix, number: int) -> None:
    heading, where = appendix.heading, appendix.heading.location
    if appendix.word != "Phụ lục":
        judge.flag("phu-luc-tieu-de", f"“{appendix.word}”", "“Phụ lục” (chữ in thường)", where)
    label = appendix.number
    if label and not re.fullmatch(r"[IVXLC]+", label):
        judge.flag("phu-luc-tieu-de", f"số thứ tự “{label}”", f"số La Mã “{roman(number)}”", where)
    elif len(judge.layout.appendices) > 1 and label != roman(number):
        required = f"“Phụ lục {roman(number)}” (nhiều phụ lục thì đánh số La Mã theo thứ tự)"
        judge.flag("phu-luc-tieu-de", quoted(heading.plain), required, where)
    judge.look("phu-luc-tieu-de", heading, (14, 14), bold=True, centred=True)
    for paragraph in appendix.title:
        judge.look("phu-luc-tieu-de", paragraph, (13, 14), bold=True, upper=True, centred=True)
    _new_page(judge, appendix)
    _reference(judge, appendix)
    sections = judge.doc.sections
    section = sections[heading.section - 1] if 0 < heading.section <= len(sections) else None
    if heading.section == 1 or section is None or section.page_start != 1:
        judge.flag(
            "so-trang-phu-luc",
            "phụ lục không đánh số trang lại từ 1",
            "số trang của phụ lục đánh riêng: phụ lục là một section riêng, số trang bắt đầu từ 1",
            where,
        )


def _new_page(judge: Judge, appendix: Appendix) -> None:
    heading = appendix.heading
    if heading.format.page_break_before or heading.page_break:
        return
    for block in reversed(judge.doc.blocks[: appendix.block]):
        if isinstance(block, Table):
            break
        if block.section != heading.section:
            if judge.doc.sections[heading.section - 1].start != "continuous":
                return
            break
        if block.page_break:
            return
        if not block.empty:
            break
    judge.flag(
        "phu-luc-trang-moi",
        "phụ lục tiếp ngay sau nội dung",
        "phụ lục bắt đầu ở trang mới",
        heading.location,
    )


def _reference(judge: Judge, appendix: Appendix) -> None:
    """The "(Kèm theo Báo cáo số …/BC-… ngày … của …)" line; its number and date are the report's."""
    paragraph = appendix.reference
    if paragraph is None:
        judge.flag(
            "phu-luc-dan-chieu",
            "không có dòng “(Kèm theo …)”",
            "“(Kèm theo Báo cáo số …/BC-… ngày … của …)” dưới tên phụ lục",
            appendix.heading.location,
        )
        return
    where = paragraph.location
    judge.look("phu-luc-dan-chieu", paragraph, (13, 14), bold=False, italic=True, centred=True)
    match = _REFERENCE.fullmatch(paragraph.plain)
    if match is None:
        required = "“(Kèm theo <tên loại> số <số>/<ký hiệu> ngày <ngày tháng năm> của <cơ quan>)”"
        judge.flag("phu-luc-dan-chieu", quoted(paragraph.plain, 70), required, where)
        return
    if judge.layout.is_report and match["kind"] != "Báo cáo":
        judge.flag("phu-luc-dan-chieu", f"“Kèm theo {match['kind']}”", "“Kèm theo Báo cáo”", where)
    found_number = (match["number"].strip(), match["symbol"])
    if judge.number is not None and found_number != judge.number:
        found = f"số, ký hiệu “{'/'.join(found_number)}”"
        judge.flag("phu-luc-dan-chieu", found, f"số, ký hiệu của văn bản “{'/'.join(judge.number)}”", where)
    date = match["date"]
    parts = re.fullmatch(r"(?P<day>[^/]*)/(?P<month>[^/]*)/(?P<year>.*)", date) or re.fullmatch(
        r"(?P<day>.*?)\s*tháng(?P<month>.*?)năm(?P<year>.*)", date
    )
    if parts is None:
        judge.flag(
            "phu-luc-dan-chieu",
            f"ngày “{date}”",
            "ngày dạng “06/12/2023” hoặc “06 tháng 12 năm 2023”",
            where,
        )
        return
    value = judge.date_parts(parts["day"], parts["month"], parts["year"], where, "phu-luc-dan-chieu")
    if judge.date is not None and any(
        a is not None and b is not None and a != b for a, b in zip(value, judge.date, strict=True)
    ):
        judge.flag("phu-luc-dan-chieu", f"ngày “{date}”", "ngày ban hành ghi ở đầu văn bản", where)
