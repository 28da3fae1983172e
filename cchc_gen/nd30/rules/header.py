"""The header: Quốc hiệu and Tiêu ngữ, the governing and the issuing body, "Số:", the place and date, and
how they sit in the header table (NĐ 30/2020, Phụ lục I, Phần I, mục II.1–4 and IV)."""

from __future__ import annotations

import re

from cchc_gen.errors import Severity
from cchc_gen.nd30.docx_view import Paragraph
from cchc_gen.nd30.elements import QUOC_HIEU, is_blank, is_rule_line
from cchc_gen.nd30.rules.judge import THIRD_TO_HALF, Judge, quoted

TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"

_DATE_LINE = re.compile(
    r"(?P<place>.*?)(?P<comma>,?)\s*(?P<w1>ngày)(?P<day>.*?)(?P<w2>tháng)(?P<month>.*?)(?P<w3>năm)(?P<year>.*)",
    re.I,
)

_SAME_LENGTH = (0.8, 1.25)  # Tiêu ngữ line "as long as the text", with room for the width estimate


def check(judge: Judge) -> None:
    layout = judge.layout
    qh = layout.quoc_hieu
    if qh is None:
        judge.flag(
            "quoc-hieu", "không có Quốc hiệu", f"“{QUOC_HIEU}” trên cùng, bên phải trang đầu", "trang đầu"
        )
        return
    _header_layout(judge)
    lines = qh.text.split("\n")
    first = " ".join(lines[0].split())
    if first not in (QUOC_HIEU, QUOC_HIEU.replace("HÒA", "HOÀ")):
        judge.flag("quoc-hieu", quoted(first), f"“{QUOC_HIEU}” (chữ in hoa)", qh.location)
    if len(lines) > 1:
        # Quốc hiệu and Tiêu ngữ in one paragraph (a line break between): only their words can be judged.
        _tieu_ngu_text(judge, " ".join(" ".join(lines[1:]).split()), qh)
    else:
        judge.look("quoc-hieu", qh, (12, 13), bold=True, upper=True, centred=True)
        after = layout.right[layout.right.index(qh) + 1 :] if qh in layout.right else []
        tieu_ngu = next((p for p in after if not p.empty), None)
        if tieu_ngu is not None and _tieu_ngu_text(judge, tieu_ngu.plain, tieu_ngu):
            judge.look("tieu-ngu", tieu_ngu, (13, 14), bold=True, centred=True)
            judge.line("tieu-ngu-duong-ke", layout.right, [tieu_ngu], _SAME_LENGTH, "dài bằng dòng chữ")
        elif tieu_ngu is None:
            judge.flag("tieu-ngu", "không có Tiêu ngữ dưới Quốc hiệu", f"“{TIEU_NGU}”", qh.location)
    names = _organs(judge)
    _number_line(judge)
    _date_line(judge)
    _number_and_date_places(judge, names)


def _number_and_date_places(judge: Judge, names: list[Paragraph]) -> None:
    """Số under the issuing body (left), the date under the Quốc hiệu (right), on the same line; ``names``
    are the lines of the governing and the issuing body."""
    layout = judge.layout
    number, date = layout.number, layout.date
    if layout.header_table is None or number is None or date is None:
        return
    left, right = layout.left, layout.right
    if number in left and names and left.index(number) < left.index(names[0]):
        required = "số, ký hiệu dưới tên cơ quan ban hành"
        judge.flag("so-ky-hieu", "số, ký hiệu ở trên tên cơ quan ban hành", required, number.location)
    qh = layout.quoc_hieu
    if date in right and qh in right and right.index(date) < right.index(qh):
        required = "địa danh, ngày tháng dưới Quốc hiệu, Tiêu ngữ"
        judge.flag("dia-danh-ngay", "địa danh, ngày tháng ở trên Quốc hiệu", required, date.location)
    if number in layout.right:
        found = "số, ký hiệu ở cột bên phải"
        judge.flag(
            "so-ky-hieu",
            found,
            "số, ký hiệu canh giữa dưới tên cơ quan ban hành (bên trái)",
            number.location,
        )
    if date in layout.left:
        found = "địa danh, ngày tháng ở cột bên trái"
        judge.flag(
            "dia-danh-ngay",
            found,
            "địa danh, ngày tháng canh giữa dưới Quốc hiệu, Tiêu ngữ",
            date.location,
        )
    if number.cell is not None and date.cell is not None and number.cell.row != date.cell.row:
        found = f"không cùng dòng với số, ký hiệu (dòng {date.cell.row} và {number.cell.row} của bảng)"
        judge.flag("dia-danh-ngay", found, "cùng một dòng với số, ký hiệu của văn bản", date.location)


def _tieu_ngu_text(judge: Judge, text: str, paragraph: Paragraph) -> bool:
    """Judge the words of the Tiêu ngữ; False when ``text`` is not the Tiêu ngữ at all."""
    if "".join(c for c in text.upper() if c.isalpha()) != "ĐỘCLẬPTỰDOHẠNHPHÚC":
        judge.flag("tieu-ngu", f"dưới Quốc hiệu là {quoted(text)}", f"“{TIEU_NGU}”", paragraph.location)
        return False
    if text != TIEU_NGU:
        judge.flag(
            "tieu-ngu",
            quoted(text),
            f"“{TIEU_NGU}” (chữ thường, viết hoa chữ đầu mỗi cụm, gạch nối “-” có cách chữ)",
            paragraph.location,
        )
    return True


def _header_layout(judge: Judge) -> None:
    layout = judge.layout
    table = layout.header_table
    if table is None:
        judge.flag(
            "dau-trang-bang",
            "phần đầu không trình bày bằng bảng",
            "bảng hai cột không viền: trái là cơ quan ban hành, số, ký hiệu; phải là Quốc hiệu, "
            "Tiêu ngữ, địa danh và ngày tháng",
            layout.quoc_hieu.location if layout.quoc_hieu else "trang đầu",
            Severity.WARNING,
        )
        return
    if not layout.left:
        judge.flag(
            "dau-trang-bang",
            "Quốc hiệu ở cột đầu tiên của bảng",
            "Quốc hiệu ở cột bên phải, cơ quan ban hành ở cột bên trái",
            table.where,
        )
    borders = judge.doc.table_borders(table)
    if borders:
        found = f"bảng có đường viền ({', '.join(sorted(borders))})"
        judge.flag("dau-trang-bang", found, "bảng không có đường viền", table.where)


def _organs(judge: Judge) -> list[Paragraph]:
    """Chủ quản (regular) above ban hành (bold): the bold lines at the bottom are the issuing body.
    Returns the lines of both, top to bottom."""
    layout = judge.layout
    if layout.header_table is None:
        return []
    skip = (layout.number, layout.date)
    names = [
        p
        for p in layout.left
        if not p.empty and not is_rule_line(p) and p not in skip and not p.plain.startswith("V/v")
    ]
    if not names:
        judge.flag(
            "co-quan-ban-hanh",
            "không có tên cơ quan ban hành",
            "tên cơ quan, tổ chức ban hành ở góc trên bên trái",
            layout.header_table.where,
        )
        return names
    split = len(names)
    while split > 0 and all(run.format.bold for run in names[split - 1].text_runs):
        split -= 1
    split = min(split, len(names) - 1)
    for paragraph in names[:split]:
        judge.look("co-quan-chu-quan", paragraph, (12, 13), bold=False, upper=True, centred=True)
    for paragraph in names[split:]:
        judge.look("co-quan-ban-hanh", paragraph, (12, 13), bold=True, upper=True, centred=True)
    judge.line(
        "co-quan-ban-hanh-duong-ke",
        layout.left,
        names[split:],
        THIRD_TO_HALF,
        "dài từ 1/3 đến 1/2 dòng chữ",
    )
    return names


def _number_line(judge: Judge) -> None:
    paragraph = judge.layout.number
    if paragraph is None:
        judge.flag(
            "so-ky-hieu",
            "không có dòng số, ký hiệu",
            "“Số: 05/BC-UBND” dưới tên cơ quan ban hành",
            "trang đầu",
        )
        return
    text, where = paragraph.text.strip(), paragraph.location
    match = re.fullmatch(
        r"(?P<word>[^\s:.;/]+)(?P<sep>\s*[:.;]?)(?P<number>[^/]*)/(?P<symbol>.*)", text, re.S
    )
    if match is None:
        judge.flag("so-ky-hieu", quoted(text), "“Số: 05/BC-UBND”", where)
        return
    if match["word"] != "Số" or match["sep"] != ":":
        judge.flag(
            "so-ky-hieu",
            f"“{match['word']}{match['sep']}”",
            "“Số:” (chữ thường, dấu hai chấm liền sau)",
            where,
        )
    number, symbol = match["number"], match["symbol"]
    digits, code = number.strip(), symbol.strip()
    if digits and not is_blank(digits):
        if not digits.isdigit() or int(digits) == 0:
            judge.flag("so-ky-hieu", f"số “{digits}”", "số thứ tự bằng chữ số Ả Rập, từ 01", where)
        elif int(digits) < 10 and digits != f"{int(digits):02d}":
            judge.flag(
                "so-ky-hieu",
                f"số “{digits}”",
                f"“{int(digits):02d}” (số nhỏ hơn 10 thêm 0 phía trước)",
                where,
            )
        elif int(digits) >= 10 and digits.startswith("0"):
            judge.flag(
                "so-ky-hieu", f"số “{digits}”", f"“{int(digits)}” (chỉ số nhỏ hơn 10 mới thêm 0)", where
            )
        if number != number.rstrip() or symbol != symbol.lstrip():
            judge.flag("so-ky-hieu", quoted(text), "không có khoảng trắng trước và sau dấu “/”", where)
    if code and not is_blank(code):
        if " " in code:
            judge.flag(
                "so-ky-hieu",
                f"ký hiệu “{code}”",
                "các nhóm chữ viết tắt nối bằng “-”, không cách chữ",
                where,
            )
        elif not all(c.isdigit() or c.isupper() or c in "-&." for c in code):
            judge.flag("so-ky-hieu", f"ký hiệu “{code}”", "ký hiệu bằng chữ in hoa", where)
        elif judge.layout.is_report and code.split("-")[0] != "BC":
            judge.flag("so-ky-hieu", f"ký hiệu “{code}”", "ký hiệu của báo cáo bắt đầu bằng “BC-”", where)
        judge.number = ("" if is_blank(digits) else digits, code)
    judge.look("so-ky-hieu", paragraph, (13, 13), bold=False, centred=True)


def _date_line(judge: Judge) -> None:
    paragraph = judge.layout.date
    if paragraph is None:
        judge.flag(
            "dia-danh-ngay",
            "không có dòng địa danh và ngày tháng",
            "“Quảng Thọ, ngày 06 tháng 12 năm 2023” cùng dòng với số, ký hiệu",
            "trang đầu",
        )
        return
    where = paragraph.location
    match = _DATE_LINE.fullmatch(paragraph.plain)
    if match is None:
        judge.flag("dia-danh-ngay", quoted(paragraph.plain), "“<địa danh>, ngày … tháng … năm …”", where)
        return
    place = match["place"].strip()
    if not place:
        judge.flag("dia-danh-ngay", "không có địa danh", "địa danh trước ngày tháng, sau có dấu phẩy", where)
    elif not is_blank(place):
        if not place[0].isupper():
            judge.flag("dia-danh-ngay", f"địa danh “{place}”", "chữ cái đầu của địa danh viết hoa", where)
        if not match["comma"]:
            judge.flag("dia-danh-ngay", f"“{place} ngày”", f"“{place}, ngày” (dấu phẩy sau địa danh)", where)
    words = (match["w1"], match["w2"], match["w3"])
    if words != ("ngày", "tháng", "năm"):
        judge.flag("dia-danh-ngay", f"“{' … '.join(words)}”", "“ngày … tháng … năm” (chữ thường)", where)
    judge.date = judge.date_parts(match["day"], match["month"], match["year"], where, "dia-danh-ngay")
    judge.look("dia-danh-ngay", paragraph, (13, 14), bold=False, italic=True, centred=True)
