"""The layout rules of Nghị định 30/2020/NĐ-CP, Phụ lục I, applied to one document.

Each rule has an id, the place in the decree it comes from and the element it is about (:data:`RULES`).
:func:`apply_rules` compares what :mod:`cchc_gen.nd30.elements` found with the rule: the text (case,
punctuation, numbering, zero-padding) and the formatting as Word shows it (size, bold, italic, alignment,
indents, spacing, fonts). A rule about an element the document does not have is skipped; a missing element
that such a document must have is an error. Fields left as dots for the office to fill in are not judged.
Line lengths are estimated from Times New Roman metrics, so a length out of range is a warning (cảnh báo).

The same departure in many places (Calibri in 60 paragraphs) is one finding listing all the places.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from cchc_gen.errors import Severity
from cchc_gen.nd30.docx_view import PT_PER_CM, Paragraph, Section, Table, WordDocument, w
from cchc_gen.nd30.elements import (
    DASHES,
    QUOC_HIEU,
    Appendix,
    Layout,
    is_blank,
    is_rule_line,
    is_upper,
    kinh_gui_inline,
)
from cchc_gen.vn.numbers import roman

FONT = "Times New Roman"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"

_PART_I = "NĐ 30/2020, Phụ lục I, Phần I"


@dataclass(frozen=True)
class Rule:
    id: str
    reference: str
    element: str


RULES = {
    rule.id: rule
    for rule in (
        Rule("tep-docx", "điều kiện để kiểm tra", "tệp Word (.docx)"),
        Rule("kho-giay", f"{_PART_I}, mục I.1–2", "khổ giấy và chiều trình bày"),
        Rule("le-trang", f"{_PART_I}, mục I.3", "định lề trang"),
        Rule("phong-chu", f"{_PART_I}, mục I.4", "phông chữ"),
        Rule("mau-chu", f"{_PART_I}, mục I.4", "màu chữ"),
        Rule("so-trang", f"{_PART_I}, mục I.7", "số trang"),
        Rule("so-trang-trang-1", f"{_PART_I}, mục I.7", "không hiển thị số trang thứ nhất"),
        Rule("so-trang-phu-luc", f"{_PART_I}, mục III.1.đ", "số trang của phụ lục"),
        Rule("dau-trang-bang", f"{_PART_I}, mục IV (ô số 1–4)", "bố trí phần đầu văn bản"),
        Rule("quoc-hieu", f"{_PART_I}, mục II.1.a", "Quốc hiệu"),
        Rule("tieu-ngu", f"{_PART_I}, mục II.1.b", "Tiêu ngữ"),
        Rule("tieu-ngu-duong-ke", f"{_PART_I}, mục II.1.b", "đường kẻ dưới Tiêu ngữ"),
        Rule("co-quan-chu-quan", f"{_PART_I}, mục II.2.b", "tên cơ quan, tổ chức chủ quản trực tiếp"),
        Rule("co-quan-ban-hanh", f"{_PART_I}, mục II.2.b", "tên cơ quan, tổ chức ban hành văn bản"),
        Rule("co-quan-ban-hanh-duong-ke", f"{_PART_I}, mục II.2.b", "đường kẻ dưới tên cơ quan ban hành"),
        Rule("so-ky-hieu", f"{_PART_I}, mục II.3", "số, ký hiệu của văn bản"),
        Rule("dia-danh-ngay", f"{_PART_I}, mục II.4", "địa danh và thời gian ban hành văn bản"),
        Rule("ten-loai", f"{_PART_I}, mục II.5.b", "tên loại văn bản"),
        Rule("trich-yeu", f"{_PART_I}, mục II.5.b", "trích yếu nội dung văn bản"),
        Rule("trich-yeu-vv", f"{_PART_I}, mục II.5.b", "trích yếu của văn bản có tên loại (không có “V/v”)"),
        Rule("trich-yeu-duong-ke", f"{_PART_I}, mục II.5.b", "đường kẻ dưới trích yếu"),
        Rule("kinh-gui", f"{_PART_I}, mục II.9.d (ô số 9a)", "Kính gửi"),
        Rule("noi-dung-can-le", f"{_PART_I}, mục II.6.e", "nội dung văn bản — canh đều hai lề"),
        Rule("noi-dung-thut-dau-dong", f"{_PART_I}, mục II.6.e", "nội dung văn bản — lùi đầu dòng"),
        Rule(
            "noi-dung-khoang-cach", f"{_PART_I}, mục II.6.e", "nội dung văn bản — khoảng cách giữa các đoạn"
        ),
        Rule("noi-dung-gian-dong", f"{_PART_I}, mục II.6.e", "nội dung văn bản — khoảng cách giữa các dòng"),
        Rule("noi-dung-co-chu", f"{_PART_I}, mục II.6.e", "nội dung văn bản — cỡ chữ"),
        Rule(
            "chu-thich",
            "thông lệ trình bày văn bản hành chính (NĐ 30/2020 không quy định riêng)",
            "chú thích hình, biểu đồ, bảng",
        ),
        Rule("de-muc-so-thu-tu", f"{_PART_I}, mục II.6.đ", "số thứ tự của mục, khoản, điểm"),
        Rule("de-muc-muc", f"{_PART_I}, mục V (STT 6.b)", "số thứ tự và tiêu đề của mục (I., II. …)"),
        Rule("ket-thuc", "NĐ 30/2020, Phụ lục III, Mẫu 1.4", "dấu kết thúc nội dung “./.”"),
        Rule("noi-nhan-vi-tri", f"{_PART_I}, mục II.9.d (ô số 9b)", "vị trí của Nơi nhận"),
        Rule(
            "noi-nhan-dinh-dang", f"{_PART_I}, mục II.9.d (ô số 9b)", "chữ “Nơi nhận” và danh sách nơi nhận"
        ),
        Rule("noi-nhan-dau-cau", f"{_PART_I}, mục II.9.d (ô số 9b)", "dấu câu của danh sách nơi nhận"),
        Rule("noi-nhan-nhu-tren", f"{_PART_I}, mục II.9.b", "“Như trên” khi có Kính gửi"),
        Rule("chu-ky-quyen-han", f"{_PART_I}, mục II.7.b", "quyền hạn của người ký"),
        Rule("chu-ky-chuc-vu", f"{_PART_I}, mục II.7.đ", "quyền hạn, chức vụ của người ký"),
        Rule("chu-ky-ho-ten", f"{_PART_I}, mục II.7.c–đ", "họ và tên người ký"),
        Rule("phu-luc-trang-moi", "NĐ 30/2020, Phụ lục III, Mẫu 2.1", "phụ lục bắt đầu ở trang mới"),
        Rule("phu-luc-tieu-de", f"{_PART_I}, mục III.1.a–b", "từ “Phụ lục”, số thứ tự và tên phụ lục"),
        Rule("phu-luc-dan-chieu", f"{_PART_I}, mục III.1.c", "thông tin chỉ dẫn kèm theo văn bản"),
    )
}


@dataclass(frozen=True)
class Finding:
    """One departure from a rule: which rule, how bad, what was found, what is required, and where."""

    rule: str
    severity: Severity
    found: str
    required: str
    where: tuple[str, ...]

    @property
    def reference(self) -> str:
        rule = RULES[self.rule]
        return f"{rule.reference} — {rule.element}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "reference": self.reference,
            "found": self.found,
            "required": self.required,
            "where": list(self.where),
        }


def apply_rules(document: WordDocument, layout: Layout) -> list[Finding]:
    return _Rules(document, layout).apply()


_ALIGNMENTS = {"left": "căn trái", "right": "căn phải", "center": "canh giữa", "both": "canh đều hai lề"}
_PREFIXES = ("TM.", "KT.", "Q.", "TL.", "TUQ.")
_PREFIX_LIKE = re.compile(
    r"(?i)^(?:T\s*/\s*U\s*Q|T\s*/\s*M|K\s*/\s*T|T\s*/\s*L|TUQ|TM|KT|TL|Q)\.?(?=[\s.:]|$)"
)
_TITLES = re.compile(
    r"^(?:(?:GS|PGS|TSKH|TS|ThS|THS|Ths|KS|BS|CN|LS|NGƯT|NGND)(?:\.|\s)|"
    r"(?i:giáo sư|phó giáo sư|tiến sĩ|thạc sĩ|kỹ sư|bác sĩ|luật sư|cử nhân)\s)"
)
_LETTERS = "abcdđeghiklmnopqrstuvxy"  # điểm a), b) … in the Vietnamese alphabet
_ROMAN_HEADING = re.compile(r"^(?P<n>(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3}))\.\s")
_NUMBER_HEADING = re.compile(r"^(?P<n>\d{1,2}\.|\d{1,2}(?:\.\d{1,2})+\.?)\s")
_LETTER_HEADING = re.compile(r"^(?P<n>[a-zđ])\)\s")
_REFERENCE = re.compile(
    r"\(Kèm theo\s+(?P<kind>.+?)\s+số\s*(?P<number>[^/]*?)\s*/\s*(?P<symbol>\S+)\s+"
    r"ngày\s*(?P<date>.+?)\s+của\s+(?P<issuer>.+)\)"
)
_DATE_LINE = re.compile(
    r"(?P<place>.*?)(?P<comma>,?)\s*(?P<w1>ngày)(?P<day>.*?)(?P<w2>tháng)(?P<month>.*?)(?P<w3>năm)(?P<year>.*)",
    re.I,
)
_NOT_SOLID = {
    "dotted",
    "dashed",
    "dashSmallGap",
    "dotDash",
    "dotDotDash",
    "dashDotStroked",
    "wave",
    "doubleWave",
}
_SAME_LENGTH = (0.8, 1.25)  # Tiêu ngữ line "as long as the text", with room for the width estimate
_THIRD_TO_HALF = (1 / 3 - 0.08, 1 / 2 + 0.08)  # "1/3 to 1/2 of the text", likewise


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _sizes(low: float, high: float) -> str:
    return f"{_num(low)} pt" if low == high else f"{_num(low)}–{_num(high)} pt"


def _quoted(text: str, length: int = 40) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= length else text[: length - 1].rstrip() + '…'}”"


def _tail(text: str) -> str:
    """The end of a line, whole words, enough to see its punctuation."""
    words = text.split()
    tail = " ".join(words[-3:])
    return f"“…{tail}”" if len(words) > 3 else f"“{tail}”"


def _alignment(paragraph: Paragraph) -> str:
    return _ALIGNMENTS.get(paragraph.format.alignment, paragraph.format.alignment)


def _padded(text: str, unit: str) -> str | None:
    """The right spelling of a day or month number when ``text`` is wrong, else None: days below 10 and
    months 1 and 2 take a leading 0, nothing else does."""
    value = int(text)
    pad = value < 10 if unit == "ngày" else value in (1, 2)
    correct = f"{value:02d}" if pad else str(value)
    return None if text == correct else correct


def _roman_value(text: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for index, char in enumerate(text):
        value = values[char]
        total += -value if index + 1 < len(text) and values[text[index + 1]] > value else value
    return total


@dataclass(frozen=True)
class _Line:
    kind: str
    width: float
    solid: bool


class _Rules:
    def __init__(self, document: WordDocument, layout: Layout) -> None:
        self.doc = document
        self.layout = layout
        self._found: dict[tuple[str, Severity, str, str], list[str]] = {}
        self._number: tuple[str, str] | None = None
        self._names: list[Paragraph] = []  # the lines of the chủ quản and the issuing body
        self._date: tuple[int | None, int | None, int | None] | None = None

    def apply(self) -> list[Finding]:
        self.paper()
        self.fonts()
        self.page_numbers()
        self.header()
        self.title()
        self.kinh_gui()
        self.body()
        self.noi_nhan()
        self.signature()
        for number, appendix in enumerate(self.layout.appendices, start=1):
            self.appendix(appendix, number)
        return [
            Finding(rule, severity, found, required, tuple(where))
            for (rule, severity, found, required), where in self._found.items()
        ]

    def flag(
        self, rule: str, found: str, required: str, where: str, severity: Severity = Severity.ERROR
    ) -> None:
        places = self._found.setdefault((rule, severity, found, required), [])
        if where not in places:
            places.append(where)

    def look(
        self,
        rule: str,
        paragraph: Paragraph,
        sizes: tuple[float, float],
        *,
        bold: bool | None = None,
        italic: bool | None = False,
        upper: bool | None = None,
        centred: bool = False,
        severity: Severity = Severity.ERROR,
    ) -> None:
        """Size, weight, slant, case and alignment of one element (runs in superscript are note marks)."""
        runs = [run for run in paragraph.text_runs if not run.format.script]
        if not runs or is_blank(paragraph.text):
            return
        where = paragraph.location
        found_sizes = sorted({run.format.size for run in runs})
        if any(not sizes[0] <= size <= sizes[1] for size in found_sizes):
            shown = ", ".join(_num(s) for s in found_sizes)
            self.flag(rule, f"cỡ chữ {shown} pt", f"cỡ chữ {_sizes(*sizes)}", where, severity)
        if bold is not None and any(run.format.bold != bold for run in runs):
            found, required = ("chữ không đậm", "chữ đậm") if bold else ("chữ đậm", "chữ không đậm")
            self.flag(rule, found, required, where, severity)
        if italic is not None and any(run.format.italic != italic for run in runs):
            found, required = ("chữ đứng", "chữ nghiêng") if italic else ("chữ nghiêng", "chữ đứng")
            self.flag(rule, found, required, where, severity)
        if upper is True and not is_upper(paragraph.text):
            self.flag(rule, "có chữ thường", "chữ in hoa", where, severity)
        if upper is False and is_upper(paragraph.text) and sum(c.isalpha() for c in paragraph.text) > 1:
            self.flag(rule, "chữ in hoa", "chữ in thường (chỉ viết hoa chữ cái đầu)", where, severity)
        if centred and not paragraph.format.centred:
            self.flag(rule, _alignment(paragraph), "canh giữa", where, severity)

    # --- paper, fonts, page numbers ---

    def paper(self) -> None:
        for section in self.doc.sections:
            short, long = sorted((section.width, section.height))
            if abs(short - 210) > 1 or abs(long - 297) > 1:
                found = f"khổ {_num(section.width)} × {_num(section.height)} mm"
                self.flag("kho-giay", found, "khổ A4 (210 × 297 mm)", section.where)
            if section.landscape and not self._has_data_table(section):
                self.flag(
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
                    self.flag(
                        "le-trang", f"lề {name} {_num(value)} mm", f"lề {name} {low}–{high} mm", section.where
                    )

    def _has_data_table(self, section: Section) -> bool:
        return any(
            isinstance(b, Table) and b.section == section.index and max(len(r) for r in b.rows or [[]]) >= 3
            for b in self.doc.blocks
        )

    def _header_footer_paragraphs(self) -> list[Paragraph]:
        found, seen = [], set()
        for section in self.doc.sections:
            for kind, parts in (("đầu trang", section.headers), ("chân trang", section.footers)):
                for part in parts.values():
                    if part is not None and id(part) not in seen:
                        seen.add(id(part))
                        found += self.doc.part_paragraphs(part, f"{kind} của {section.where}")
        return found

    def fonts(self) -> None:
        required = f"{FONT} ở cả bốn ô phông (ascii, hAnsi, eastAsia, cs)"
        for paragraph in self.doc.paragraphs + self._header_footer_paragraphs():
            for run in paragraph.text_runs:
                wrong: dict[str, list[str]] = {}
                for slot, font in run.format.fonts:
                    if (font or "").strip().lower() != FONT.lower():
                        wrong.setdefault(font or "chưa đặt phông", []).append(slot)
                if wrong:
                    found = "; ".join(f"{font} (ô {', '.join(slots)})" for font, slots in wrong.items())
                    self.flag("phong-chu", f"phông {found}", required, paragraph.location)
                if run.format.color.lower() not in ("auto", "000000", "text1"):
                    self.flag("mau-chu", f"chữ màu {run.format.color}", "chữ màu đen", paragraph.location)

    def page_numbers(self) -> None:
        if not self.doc.sections:
            return
        numbered = False
        for section in self.doc.sections:
            for kind in ("default", "even") if self.doc.even_and_odd_headers else ("default",):
                for paragraph in self._page_fields(
                    section.headers.get(kind), f"đầu trang của {section.where}"
                ):
                    numbered = True
                    self.look("so-trang", paragraph, (13, 14), italic=False)
                    if not (paragraph.format.centred or paragraph.text.startswith("\t")):
                        self.flag(
                            "so-trang",
                            f"số trang {_alignment(paragraph)}",
                            "số trang canh giữa",
                            paragraph.where,
                        )
            for kind, part in section.footers.items():
                if self._page_fields(part, f"chân trang của {section.where}"):
                    where = f"chân trang ({kind}) của {section.where}"
                    self.flag("so-trang", "số trang ở chân trang", "số trang ở lề trên (đầu trang)", where)
        paragraphs = self.doc.paragraphs
        several_pages = len(self.doc.sections) > 1 or any(p.page_break for p in paragraphs)
        if not numbered and (several_pages or sum(len(p.text) for p in paragraphs) > 2500):
            self.flag(
                "so-trang",
                "không có trường số trang (PAGE) ở đầu trang",
                "số trang từ trang 2, canh giữa ở lề trên",
                "đầu trang",
            )
        first = self.doc.sections[0]
        page_one = first.headers.get("first") if first.title_page else first.headers.get("default")
        if self._page_fields(page_one, f"đầu trang của {first.where}"):
            found = "số trang hiện ở trang thứ nhất"
            if not first.title_page:
                found += " (chưa bật “Trang đầu khác” — titlePg)"
            self.flag("so-trang-trang-1", found, "không hiển thị số trang ở trang thứ nhất", first.where)

    def _page_fields(self, part: Any, where: str) -> list[Paragraph]:
        """The paragraphs of a header or footer that hold a PAGE field."""
        if part is None:
            return []
        found = []
        for paragraph in self.doc.part_paragraphs(part, where):
            element = paragraph.element
            instructions = [e.get(w("instr"), "") for e in element.iter(w("fldSimple"))]
            instructions += [e.text or "" for e in element.iter(w("instrText"))]
            if any(i.split()[:1] == ["PAGE"] for i in instructions):
                found.append(paragraph)
        return found

    # --- header ---

    def header(self) -> None:
        layout = self.layout
        qh = layout.quoc_hieu
        if qh is None:
            self.flag(
                "quoc-hieu", "không có Quốc hiệu", f"“{QUOC_HIEU}” trên cùng, bên phải trang đầu", "trang đầu"
            )
            return
        self._header_layout()
        lines = qh.text.split("\n")
        first = " ".join(lines[0].split())
        if first not in (QUOC_HIEU, QUOC_HIEU.replace("HÒA", "HOÀ")):
            self.flag("quoc-hieu", _quoted(first), f"“{QUOC_HIEU}” (chữ in hoa)", qh.location)
        if len(lines) > 1:
            # Quốc hiệu and Tiêu ngữ in one paragraph (a line break between): only their words can be judged.
            self._tieu_ngu_text(" ".join(" ".join(lines[1:]).split()), qh)
        else:
            self.look("quoc-hieu", qh, (12, 13), bold=True, upper=True, centred=True)
            after = layout.right[layout.right.index(qh) + 1 :] if qh in layout.right else []
            tieu_ngu = next((p for p in after if not p.empty), None)
            if tieu_ngu is not None and self._tieu_ngu_text(tieu_ngu.plain, tieu_ngu):
                self.look("tieu-ngu", tieu_ngu, (13, 14), bold=True, centred=True)
                self._line("tieu-ngu-duong-ke", layout.right, [tieu_ngu], _SAME_LENGTH, "dài bằng dòng chữ")
            elif tieu_ngu is None:
                self.flag("tieu-ngu", "không có Tiêu ngữ dưới Quốc hiệu", f"“{TIEU_NGU}”", qh.location)
        self._organs()
        self._number_line()
        self._date_line()
        self._number_and_date_places()

    def _number_and_date_places(self) -> None:
        """Số under the issuing body (left), the date under the Quốc hiệu (right), on the same line."""
        layout = self.layout
        number, date = layout.number, layout.date
        if layout.header_table is None or number is None or date is None:
            return
        left, right = layout.left, layout.right
        if number in left and self._names and left.index(number) < left.index(self._names[0]):
            required = "số, ký hiệu dưới tên cơ quan ban hành"
            self.flag("so-ky-hieu", "số, ký hiệu ở trên tên cơ quan ban hành", required, number.location)
        qh = layout.quoc_hieu
        if date in right and qh in right and right.index(date) < right.index(qh):
            required = "địa danh, ngày tháng dưới Quốc hiệu, Tiêu ngữ"
            self.flag("dia-danh-ngay", "địa danh, ngày tháng ở trên Quốc hiệu", required, date.location)
        if number in layout.right:
            found = "số, ký hiệu ở cột bên phải"
            self.flag(
                "so-ky-hieu",
                found,
                "số, ký hiệu canh giữa dưới tên cơ quan ban hành (bên trái)",
                number.location,
            )
        if date in layout.left:
            found = "địa danh, ngày tháng ở cột bên trái"
            self.flag(
                "dia-danh-ngay",
                found,
                "địa danh, ngày tháng canh giữa dưới Quốc hiệu, Tiêu ngữ",
                date.location,
            )
        if number.cell is not None and date.cell is not None and number.cell.row != date.cell.row:
            found = f"không cùng dòng với số, ký hiệu (dòng {date.cell.row} và {number.cell.row} của bảng)"
            self.flag("dia-danh-ngay", found, "cùng một dòng với số, ký hiệu của văn bản", date.location)

    def _tieu_ngu_text(self, text: str, paragraph: Paragraph) -> bool:
        """Judge the words of the Tiêu ngữ; False when ``text`` is not the Tiêu ngữ at all."""
        if "".join(c for c in text.upper() if c.isalpha()) != "ĐỘCLẬPTỰDOHẠNHPHÚC":
            self.flag("tieu-ngu", f"dưới Quốc hiệu là {_quoted(text)}", f"“{TIEU_NGU}”", paragraph.location)
            return False
        if text != TIEU_NGU:
            self.flag(
                "tieu-ngu",
                _quoted(text),
                f"“{TIEU_NGU}” (chữ thường, viết hoa chữ đầu mỗi cụm, gạch nối “-” có cách chữ)",
                paragraph.location,
            )
        return True

    def _header_layout(self) -> None:
        layout = self.layout
        table = layout.header_table
        if table is None:
            self.flag(
                "dau-trang-bang",
                "phần đầu không trình bày bằng bảng",
                "bảng hai cột không viền: trái là cơ quan ban hành, số, ký hiệu; phải là Quốc hiệu, "
                "Tiêu ngữ, địa danh và ngày tháng",
                layout.quoc_hieu.location if layout.quoc_hieu else "trang đầu",
                Severity.WARNING,
            )
            return
        if not layout.left:
            self.flag(
                "dau-trang-bang",
                "Quốc hiệu ở cột đầu tiên của bảng",
                "Quốc hiệu ở cột bên phải, cơ quan ban hành ở cột bên trái",
                table.where,
            )
        borders = self.doc.table_borders(table)
        if borders:
            found = f"bảng có đường viền ({', '.join(sorted(borders))})"
            self.flag("dau-trang-bang", found, "bảng không có đường viền", table.where)

    def _organs(self) -> None:
        """Chủ quản (regular) above ban hành (bold): the bold lines at the bottom are the issuing body."""
        layout = self.layout
        if layout.header_table is None:
            return
        skip = (layout.number, layout.date)
        names = [
            p
            for p in layout.left
            if not p.empty and not is_rule_line(p) and p not in skip and not p.plain.startswith("V/v")
        ]
        self._names = names
        if not names:
            self.flag(
                "co-quan-ban-hanh",
                "không có tên cơ quan ban hành",
                "tên cơ quan, tổ chức ban hành ở góc trên bên trái",
                layout.header_table.where,
            )
            return
        split = len(names)
        while split > 0 and all(run.format.bold for run in names[split - 1].text_runs):
            split -= 1
        split = min(split, len(names) - 1)
        for paragraph in names[:split]:
            self.look("co-quan-chu-quan", paragraph, (12, 13), bold=False, upper=True, centred=True)
        for paragraph in names[split:]:
            self.look("co-quan-ban-hanh", paragraph, (12, 13), bold=True, upper=True, centred=True)
        self._line(
            "co-quan-ban-hanh-duong-ke",
            layout.left,
            names[split:],
            _THIRD_TO_HALF,
            "dài từ 1/3 đến 1/2 dòng chữ",
        )

    def _line(
        self,
        rule: str,
        column: list[Paragraph],
        text: list[Paragraph],
        ratio: tuple[float, float],
        length: str,
    ) -> None:
        """The solid line under ``text`` and its length against the longest line of the text."""
        last = text[-1]
        line = self._line_under(column, last)
        if line is None:
            self.flag(
                rule, "không có đường kẻ", f"đường kẻ ngang nét liền, {length}, đặt cân đối", last.location
            )
            return
        if not line.solid:
            self.flag(rule, f"đường kẻ ({line.kind}) không liền nét", "đường kẻ nét liền", last.location)
        if any(is_blank(p.text) for p in text):
            return
        longest = max(p.width for p in text)
        container = self._width(last)
        text_width = min(longest, container) if container else longest
        share = line.width / text_width if text_width else ratio[0]
        if not ratio[0] <= share <= ratio[1]:
            found = f"đường kẻ ({line.kind}) dài khoảng {round(share * 100)}% dòng chữ (ước tính)"
            self.flag(rule, found, f"đường kẻ {length}", last.location, Severity.WARNING)

    def _width(self, paragraph: Paragraph) -> float:
        """The width a paragraph's lines can take, in points."""
        if paragraph.cell is not None and paragraph.cell.width:
            width = paragraph.cell.width
        elif 0 < paragraph.section <= len(self.doc.sections):
            width = self.doc.sections[paragraph.section - 1].text_width
        else:
            return 0.0
        return width - paragraph.format.left - paragraph.format.right

    def _line_under(self, column: list[Paragraph], paragraph: Paragraph) -> _Line | None:
        """The line drawn under ``paragraph``: its own bottom border or shape, the next paragraphs'
        underscores, border or shape, or a shape anywhere in its table cell (shapes float)."""
        if "bottom" in paragraph.format.borders:
            return self._border(paragraph, "bottom")
        if paragraph.shapes:
            return _Line("hình vẽ", paragraph.shapes[0].width, paragraph.shapes[0].solid)
        following = column[column.index(paragraph) + 1 :] if paragraph in column else []
        for candidate in following[:3]:
            if "top" in candidate.format.borders:
                return self._border(candidate, "top")
            if is_rule_line(candidate):
                return _Line("gạch dưới “___”", candidate.width, True)
            if candidate.shapes:
                return _Line("hình vẽ", candidate.shapes[0].width, candidate.shapes[0].solid)
            if candidate.empty and "bottom" in candidate.format.borders:
                return self._border(candidate, "bottom")
            if not candidate.empty:
                break
        cell = paragraph.cell
        if cell is not None:
            same_cell = [
                p
                for p in column
                if p.cell is not None and (p.cell.row, p.cell.column) == (cell.row, cell.column)
            ]
            shapes = [shape for p in same_cell for shape in p.shapes]
            if shapes:
                return _Line("hình vẽ", shapes[0].width, shapes[0].solid)
        return None

    def _border(self, paragraph: Paragraph, edge: str) -> _Line:
        border = paragraph.format.borders[edge]
        return _Line("đường viền của đoạn", self._width(paragraph), border.style not in _NOT_SOLID)

    def _number_line(self) -> None:
        paragraph = self.layout.number
        if paragraph is None:
            self.flag(
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
            self.flag("so-ky-hieu", _quoted(text), "“Số: 05/BC-UBND”", where)
            return
        if match["word"] != "Số" or match["sep"] != ":":
            self.flag(
                "so-ky-hieu",
                f"“{match['word']}{match['sep']}”",
                "“Số:” (chữ thường, dấu hai chấm liền sau)",
                where,
            )
        number, symbol = match["number"], match["symbol"]
        digits, code = number.strip(), symbol.strip()
        if digits and not is_blank(digits):
            if not digits.isdigit() or int(digits) == 0:
                self.flag("so-ky-hieu", f"số “{digits}”", "số thứ tự bằng chữ số Ả Rập, từ 01", where)
            elif int(digits) < 10 and digits != f"{int(digits):02d}":
                self.flag(
                    "so-ky-hieu",
                    f"số “{digits}”",
                    f"“{int(digits):02d}” (số nhỏ hơn 10 thêm 0 phía trước)",
                    where,
                )
            elif int(digits) >= 10 and digits.startswith("0"):
                self.flag(
                    "so-ky-hieu", f"số “{digits}”", f"“{int(digits)}” (chỉ số nhỏ hơn 10 mới thêm 0)", where
                )
            if number != number.rstrip() or symbol != symbol.lstrip():
                self.flag("so-ky-hieu", _quoted(text), "không có khoảng trắng trước và sau dấu “/”", where)
        if code and not is_blank(code):
            if " " in code:
                self.flag(
                    "so-ky-hieu",
                    f"ký hiệu “{code}”",
                    "các nhóm chữ viết tắt nối bằng “-”, không cách chữ",
                    where,
                )
            elif not all(c.isdigit() or c.isupper() or c in "-&." for c in code):
                self.flag("so-ky-hieu", f"ký hiệu “{code}”", "ký hiệu bằng chữ in hoa", where)
            elif self.layout.is_report and code.split("-")[0] != "BC":
                self.flag("so-ky-hieu", f"ký hiệu “{code}”", "ký hiệu của báo cáo bắt đầu bằng “BC-”", where)
            self._number = ("" if is_blank(digits) else digits, code)
        self.look("so-ky-hieu", paragraph, (13, 13), bold=False, centred=True)

    def _date_line(self) -> None:
        paragraph = self.layout.date
        if paragraph is None:
            self.flag(
                "dia-danh-ngay",
                "không có dòng địa danh và ngày tháng",
                "“Quảng Thọ, ngày 06 tháng 12 năm 2023” cùng dòng với số, ký hiệu",
                "trang đầu",
            )
            return
        where = paragraph.location
        match = _DATE_LINE.fullmatch(paragraph.plain)
        if match is None:
            self.flag("dia-danh-ngay", _quoted(paragraph.plain), "“<địa danh>, ngày … tháng … năm …”", where)
            return
        place = match["place"].strip()
        if not place:
            self.flag(
                "dia-danh-ngay", "không có địa danh", "địa danh trước ngày tháng, sau có dấu phẩy", where
            )
        elif not is_blank(place):
            if not place[0].isupper():
                self.flag("dia-danh-ngay", f"địa danh “{place}”", "chữ cái đầu của địa danh viết hoa", where)
            if not match["comma"]:
                self.flag(
                    "dia-danh-ngay", f"“{place} ngày”", f"“{place}, ngày” (dấu phẩy sau địa danh)", where
                )
        words = (match["w1"], match["w2"], match["w3"])
        if words != ("ngày", "tháng", "năm"):
            self.flag("dia-danh-ngay", f"“{' … '.join(words)}”", "“ngày … tháng … năm” (chữ thường)", where)
        self._date = self._date_parts(match["day"], match["month"], match["year"], where, "dia-danh-ngay")
        self.look("dia-danh-ngay", paragraph, (13, 14), bold=False, italic=True, centred=True)

    def _date_parts(
        self, day: str, month: str, year: str, where: str, rule: str
    ) -> tuple[int | None, int | None, int | None]:
        """Day, month and year (None where left blank), flagging wrong numbers and zero-padding."""
        parts: list[int | None] = []
        for text, unit, high in ((day.strip(), "ngày", 31), (month.strip(), "tháng", 12)):
            if is_blank(text):
                parts.append(None)
            elif not text.isdigit() or not 1 <= int(text) <= high:
                self.flag(rule, f"{unit} “{text}”", f"{unit} bằng chữ số Ả Rập, từ 1 đến {high}", where)
                parts.append(None)
            else:
                correct = _padded(text, unit)
                if correct is not None:
                    which = "ngày nhỏ hơn 10" if unit == "ngày" else "chỉ tháng 1, 2"
                    self.flag(rule, f"{unit} {text}", f"{unit} {correct} ({which} có số 0 phía trước)", where)
                parts.append(int(text))
        year = year.strip()
        if is_blank(year):
            parts.append(None)
        elif not re.fullmatch(r"\d{4}", year):
            self.flag(rule, f"năm “{year}”", "năm viết đủ bốn chữ số", where)
            parts.append(None)
        else:
            parts.append(int(year))
        day_value, month_value, year_value = parts
        if day_value and month_value and year_value:
            try:
                datetime.date(year_value, month_value, day_value)
            except ValueError:
                found = f"ngày {day_value}/{month_value}/{year_value} không có thật"
                self.flag(rule, found, "một ngày có thật", where)
        return day_value, month_value, year_value

    # --- tên loại, trích yếu, Kính gửi ---

    def title(self) -> None:
        layout = self.layout
        if layout.type_name is None:
            if layout.kinh_gui is None and layout.quoc_hieu is not None:
                self.flag(
                    "ten-loai",
                    "không thấy tên loại văn bản dưới phần đầu",
                    "tên loại (ví dụ “BÁO CÁO”) canh giữa, dưới số và ngày tháng",
                    "trang đầu",
                )
            return
        self.look("ten-loai", layout.type_name, (13, 14), bold=True, upper=True, centred=True)
        if not layout.title:
            self.flag(
                "trich-yeu", "không có trích yếu", "trích yếu ngay dưới tên loại", layout.type_name.location
            )
            return
        first = layout.title[0]
        if re.match(r"(?i)\s*v\s*/\s*v\b", first.text):
            self.flag(
                "trich-yeu-vv",
                f"trích yếu bắt đầu bằng “V/v”: {_quoted(first.plain)}",
                "trích yếu không có “V/v” (chỉ công văn mới dùng “V/v”)",
                first.location,
            )
        for paragraph in layout.title:
            self.look("trich-yeu", paragraph, (13, 14), bold=True, upper=False, centred=True)
        column = [b for b in self.doc.blocks if isinstance(b, Paragraph)]
        self._line("trich-yeu-duong-ke", column, layout.title, _THIRD_TO_HALF, "dài từ 1/3 đến 1/2 dòng chữ")

    def kinh_gui(self) -> None:
        paragraph = self.layout.kinh_gui
        if paragraph is None:
            return
        where = paragraph.location
        if not paragraph.plain.startswith("Kính gửi:"):
            required = "“Kính gửi:” (chữ thường, dấu hai chấm sau “Kính gửi”)"
            self.flag("kinh-gui", _quoted(paragraph.plain), required, where)
        self.look("kinh-gui", paragraph, (13, 14), italic=False)
        rest = kinh_gui_inline(paragraph)
        if rest:
            if rest.endswith((";", ",")):
                self.flag(
                    "kinh-gui",
                    f"kết thúc bằng {_tail(rest)}",
                    "một nơi nhận viết cùng dòng, không có “;”",
                    where,
                )
            return
        entries = self.layout.recipients
        if not entries:
            self.flag(
                "kinh-gui",
                "“Kính gửi:” không có tên nơi nhận",
                "tên nơi nhận cùng dòng, hoặc các dòng “- …;”",
                where,
            )
            return
        if len(entries) == 1:
            found, required = "danh sách chỉ có một nơi nhận", "một nơi nhận viết cùng dòng với “Kính gửi:”"
            self.flag("kinh-gui", found, required, entries[0].location, Severity.WARNING)
        for position, entry in enumerate(entries):
            self._entry("kinh-gui", entry.plain, entry.location, last=position == len(entries) - 1)
            self.look("kinh-gui", entry, (13, 14), italic=False)

    def _entry(self, rule: str, text: str, where: str, *, last: bool) -> None:
        """A "- …;" line of a list of recipients; the last one ends with "."."""
        if not text.startswith("- "):
            self.flag(rule, f"dòng bắt đầu bằng {_quoted(text[:2])}", "đầu dòng có gạch đầu dòng “- ”", where)
        if not text.endswith("." if last else ";"):
            found = f"dòng {'cuối ' if last else ''}kết thúc bằng {_tail(text)}"
            required = (
                "dòng cuối cùng kết thúc bằng dấu chấm “.”" if last else "cuối dòng có dấu chấm phẩy “;”"
            )
            self.flag(rule, found, required, where)

    # --- body ---

    def body(self) -> None:
        paragraphs = [b for b in self.layout.body if isinstance(b, Paragraph) and not b.empty]
        previous: Paragraph | None = None
        for block in self.layout.body:
            if isinstance(block, Table) or block.empty:
                previous = None  # a table or an empty line stands between: the space is there
                continue
            if block in self.layout.captions:
                self._caption(block)
            elif not is_blank(block.text):
                self._body_paragraph(block, previous)
            previous = block
        self._numbering([p for p in paragraphs if not is_blank(p.text)])
        if paragraphs:
            last = paragraphs[-1]
            if not last.text.rstrip().endswith("./."):
                found = f"đoạn cuối kết thúc bằng {_tail(last.text)}"
                self.flag("ket-thuc", found, "kết thúc phần nội dung bằng “./.”", last.location)
        elif self.layout.type_name is not None:
            where = self.layout.type_name.location
            self.flag("ket-thuc", "không có nội dung", "nội dung văn bản, kết thúc bằng “./.”", where)

    def _body_paragraph(self, paragraph: Paragraph, previous: Paragraph | None) -> None:
        """Justified, indented 1 or 1.27 cm, ≥ 6 pt below the paragraph above, 1–1.5 lines, 13–14 pt."""
        where, fmt = paragraph.location, paragraph.format
        if not fmt.justified:
            self.flag("noi-dung-can-le", _alignment(paragraph), "canh đều hai lề", where)
        indent = fmt.first_line / PT_PER_CM
        if not any(abs(indent - allowed) <= 0.03 for allowed in (1.0, 1.27)):
            found = f"lùi đầu dòng {_num(round(indent, 2))} cm"
            self.flag("noi-dung-thut-dau-dong", found, "lùi đầu dòng 1 cm hoặc 1,27 cm", where)
        if previous is not None:
            gap = previous.format.after + fmt.before
            if fmt.contextual and fmt.style_id == previous.format.style_id:
                gap = 0.0
            if gap < 6 - 0.05:
                self.flag("noi-dung-khoang-cach", f"cách đoạn trên {_num(gap)} pt", "tối thiểu 6 pt", where)
        self._line_spacing(paragraph)
        self.look("noi-dung-co-chu", paragraph, (13, 14), italic=None)

    def _caption(self, paragraph: Paragraph) -> None:
        """A caption is no paragraph of running text: it is centred under (or above) its picture or table,
        as Vietnamese reports print them, without the first-line indent that would push it off centre. The
        decree has no rule for captions, so a departure is a warning."""
        self.look("chu-thich", paragraph, (12, 14), italic=None, centred=True, severity=Severity.WARNING)
        indent = paragraph.format.first_line / PT_PER_CM
        if abs(indent) > 0.03:
            found = f"lùi đầu dòng {_num(round(indent, 2))} cm"
            self.flag("chu-thich", found, "không lùi đầu dòng", paragraph.location, Severity.WARNING)

    def _line_spacing(self, paragraph: Paragraph) -> None:
        fmt = paragraph.format
        if fmt.line_rule == "auto":
            lines = fmt.line
        else:
            # An exact or minimum height in points: one line of Times New Roman is about 1.15 × its size.
            size = max((run.format.size for run in paragraph.text_runs), default=14.0)
            lines = fmt.line / (size * 1.15)
        if not 1.0 - 0.05 <= lines <= 1.5 + 0.05:
            shown = f"{_num(round(lines, 2))} dòng" + (
                "" if fmt.line_rule == "auto" else f" ({_num(fmt.line)} pt)"
            )
            self.flag(
                "noi-dung-gian-dong", f"giãn dòng {shown}", "từ dòng đơn đến 1,5 dòng", paragraph.location
            )

    def _numbering(self, paragraphs: list[Paragraph]) -> None:
        """I, II, III …; then 1, 2 … (and 1.1, 1.2 …) under each; a, b, c, d, đ, e … under those."""
        numbers: list[int] = []
        roman_next, letter_next = 1, 0
        for paragraph in paragraphs:
            text, where = paragraph.plain, paragraph.location
            if match := _ROMAN_HEADING.match(text):
                value = _roman_value(match["n"])
                if value != roman_next:
                    self._slip(f"{match['n']}.", f"{roman(roman_next)}.", where)
                roman_next, numbers, letter_next = value + 1, [], 0
                if not is_upper(text) or not all(run.format.bold for run in paragraph.text_runs):
                    self.flag("de-muc-muc", _quoted(text), "số La Mã và tiêu đề mục in hoa, đậm", where)
            elif match := _NUMBER_HEADING.match(text):
                path = [int(part) for part in match["n"].rstrip(".").split(".")]
                depth = len(path)
                expected = [*numbers[: depth - 1], numbers[depth - 1] + 1 if len(numbers) >= depth else 1]
                expected += [1] * (depth - len(expected))
                if path != expected:
                    dotted = ".".join(map(str, expected)) + ("." if match["n"].endswith(".") else "")
                    self._slip(match["n"], dotted, where)
                numbers, letter_next = path, 0
            elif match := _LETTER_HEADING.match(text):
                position = _LETTERS.find(match["n"])
                if position != letter_next:
                    wanted = _LETTERS[letter_next] if letter_next < len(_LETTERS) else "?"
                    self._slip(f"{match['n']})", f"{wanted})", where)
                letter_next = (position if position >= 0 else letter_next) + 1

    def _slip(self, found: str, expected: str, where: str) -> None:
        self.flag(
            "de-muc-so-thu-tu",
            f"số thứ tự “{found}” (bỏ số, trùng số hoặc sai thứ tự)",
            f"“{expected}” — liền sau số trước; điểm theo chữ cái a, b, c, d, đ, e …",
            where,
        )

    # --- Nơi nhận and signature ---

    def noi_nhan(self) -> None:
        label = self.layout.noi_nhan
        if label is None:
            if self.layout.type_name is not None or self.layout.kinh_gui is not None:
                self.flag(
                    "noi-nhan-dinh-dang",
                    "không có “Nơi nhận”",
                    "“Nơi nhận:” cuối văn bản, bên trái",
                    "cuối văn bản",
                )
            return
        lines = label.text.split("\n")
        head = lines[0].strip()
        if head != "Nơi nhận:":
            self.flag(
                "noi-nhan-dinh-dang", _quoted(head), "“Nơi nhận:” (chữ thường, dấu hai chấm)", label.location
            )
        if len(lines) == 1:
            self.look("noi-nhan-dinh-dang", label, (12, 12), bold=True, italic=True)
        self._noi_nhan_position(label)
        entries = [(" ".join(line.split()), label.location) for line in lines[1:] if line.strip()]
        for paragraph in self._entry_paragraphs(label):
            entries += [
                (" ".join(line.split()), paragraph.location)
                for line in paragraph.text.split("\n")
                if line.strip()
            ]
            self.look("noi-nhan-dinh-dang", paragraph, (11, 11), bold=False, italic=False)
        if not entries:
            self.flag(
                "noi-nhan-dau-cau",
                "không có nơi nhận nào",
                "các dòng “- …;”, dòng cuối “- Lưu: VT, … .”",
                label.location,
            )
            return
        for position, (text, where) in enumerate(entries):
            last = position == len(entries) - 1
            self._entry("noi-nhan-dau-cau", text, where, last=last)
            archive = bool(re.match(r"-?\s*Lưu\s*:", text))
            if last and not archive:
                self.flag(
                    "noi-nhan-dau-cau",
                    f"dòng cuối {_quoted(text)}",
                    "dòng cuối “- Lưu: VT, <đơn vị soạn thảo>.”",
                    where,
                )
            elif last and not re.match(r"-?\s*Lưu\s*:\s*VT\b", text):
                self.flag("noi-nhan-dau-cau", _quoted(text), "“- Lưu: VT, …” (sau “Lưu:” là “VT”)", where)
            elif not last and archive:
                self.flag(
                    "noi-nhan-dau-cau", "dòng “Lưu” không ở cuối", "“- Lưu: VT, … .” là dòng cuối cùng", where
                )
        if self.layout.kinh_gui is not None and not re.fullmatch(r"-\s*Như trên\s*;", entries[0][0]):
            self.flag(
                "noi-nhan-nhu-tren",
                f"dòng đầu {_quoted(entries[0][0])}",
                "dòng đầu “- Như trên;”",
                entries[0][1],
            )

    def _noi_nhan_position(self, label: Paragraph) -> None:
        if label.format.alignment not in ("left", "both"):
            self.flag("noi-nhan-vi-tri", _alignment(label), "sát lề trái", label.location)
        if label.cell is None:
            return
        if label.cell.column != 1:
            self.flag(
                "noi-nhan-vi-tri",
                f"ở cột {label.cell.column} của bảng",
                "sát lề trái (cột đầu)",
                label.location,
            )
        signature = next((p for p in self.layout.signature if p.cell is not None), None)
        if signature is not None and signature.cell is not None:
            beside = (signature.cell.table, signature.cell.row) == (label.cell.table, label.cell.row)
            if not beside:
                found = f"chữ ký ở {signature.where}, không cùng hàng"
                self.flag(
                    "noi-nhan-vi-tri",
                    found,
                    "ngang hàng với dòng quyền hạn, chức vụ của người ký",
                    label.location,
                )

    def _entry_paragraphs(self, label: Paragraph) -> list[Paragraph]:
        """The recipients under the label: the rest of its table cell, or the "- …" paragraphs after it."""
        blocks = self.doc.blocks
        if label.cell is not None:
            table = next(b for b in blocks if isinstance(b, Table) and b.index == label.cell.table)
            cell = next(p for c, p in table.rows[label.cell.row - 1] if c.column == label.cell.column)
            return [p for p in cell[cell.index(label) + 1 :] if not p.empty]
        found = []
        for block in blocks[blocks.index(label) + 1 :]:
            if not isinstance(block, Paragraph) or block.empty or block.plain[:1] not in DASHES:
                break
            found.append(block)
        return found

    def signature(self) -> None:
        texts, note = [], False
        for paragraph in self.layout.signature:
            # "(Chữ ký của người có thẩm quyền, dấu …)" in the decree's samples marks the space to sign.
            if paragraph.plain.startswith("(") or note:
                note = not paragraph.plain.endswith(")")
            elif not paragraph.empty:
                texts.append(paragraph)
        if len(texts) < 2:
            if self.layout.noi_nhan is not None:
                self.flag(
                    "chu-ky-chuc-vu",
                    "không có quyền hạn, chức vụ và họ tên người ký",
                    "quyền hạn, chức vụ (in hoa, đậm) và họ tên người ký ở bên phải, ngang hàng Nơi nhận",
                    self.layout.noi_nhan.location,
                )
            return
        name = texts[-1]
        self._authority(texts[0])
        for paragraph in texts[:-1]:
            self.look("chu-ky-chuc-vu", paragraph, (13, 14), bold=True, upper=True, centred=True)
        if _TITLES.match(name.plain):
            found = f"họ tên {_quoted(name.plain)} có học hàm, học vị"
            self.flag(
                "chu-ky-ho-ten", found, "không ghi học hàm, học vị, danh hiệu trước họ tên", name.location
            )
        self.look("chu-ky-ho-ten", name, (13, 14), bold=True, upper=False, centred=True)

    def _authority(self, paragraph: Paragraph) -> None:
        """TM., KT., Q., TL., TUQ.: upper case, with a full stop, then a space."""
        text = paragraph.plain
        match = _PREFIX_LIKE.match(text)
        if match is None:
            return
        written = match.group(0)
        canonical = next((p for p in _PREFIXES if p[:-1] == re.sub(r"[\s/.]", "", written).upper()), "TM.")
        if written != canonical or not text[match.end() :].startswith(" "):
            self.flag(
                "chu-ky-quyen-han",
                f"quyền hạn {_quoted(text, 24)}",
                f"“{canonical} …” — viết tắt in hoa có dấu chấm (TM., KT., Q., TL., TUQ.), rồi khoảng trắng",
                paragraph.location,
            )

    # --- appendices ---

    def appendix(self, appendix: Appendix, number: int) -> None:
        heading, where = appendix.heading, appendix.heading.location
        if appendix.word != "Phụ lục":
            self.flag("phu-luc-tieu-de", f"“{appendix.word}”", "“Phụ lục” (chữ in thường)", where)
        label = appendix.number
        if label and not re.fullmatch(r"[IVXLC]+", label):
            self.flag("phu-luc-tieu-de", f"số thứ tự “{label}”", f"số La Mã “{roman(number)}”", where)
        elif len(self.layout.appendices) > 1 and label != roman(number):
            required = f"“Phụ lục {roman(number)}” (nhiều phụ lục thì đánh số La Mã theo thứ tự)"
            self.flag("phu-luc-tieu-de", _quoted(heading.plain), required, where)
        self.look("phu-luc-tieu-de", heading, (14, 14), bold=True, centred=True)
        for paragraph in appendix.title:
            self.look("phu-luc-tieu-de", paragraph, (13, 14), bold=True, upper=True, centred=True)
        self._new_page(appendix)
        self._reference(appendix)
        sections = self.doc.sections
        section = sections[heading.section - 1] if 0 < heading.section <= len(sections) else None
        if heading.section == 1 or section is None or section.page_start != 1:
            self.flag(
                "so-trang-phu-luc",
                "phụ lục không đánh số trang lại từ 1",
                "số trang của phụ lục đánh riêng: phụ lục là một section riêng, số trang bắt đầu từ 1",
                where,
            )

    def _new_page(self, appendix: Appendix) -> None:
        heading = appendix.heading
        if heading.format.page_break_before or heading.page_break:
            return
        for block in reversed(self.doc.blocks[: appendix.block]):
            if isinstance(block, Table):
                break
            if block.section != heading.section:
                if self.doc.sections[heading.section - 1].start != "continuous":
                    return
                break
            if block.page_break:
                return
            if not block.empty:
                break
        self.flag(
            "phu-luc-trang-moi",
            "phụ lục tiếp ngay sau nội dung",
            "phụ lục bắt đầu ở trang mới",
            heading.location,
        )

    def _reference(self, appendix: Appendix) -> None:
        """The "(Kèm theo Báo cáo số …/BC-… ngày … của …)" line; its number and date are the report's."""
        paragraph = appendix.reference
        if paragraph is None:
            self.flag(
                "phu-luc-dan-chieu",
                "không có dòng “(Kèm theo …)”",
                "“(Kèm theo Báo cáo số …/BC-… ngày … của …)” dưới tên phụ lục",
                appendix.heading.location,
            )
            return
        where = paragraph.location
        self.look("phu-luc-dan-chieu", paragraph, (13, 14), bold=False, italic=True, centred=True)
        match = _REFERENCE.fullmatch(paragraph.plain)
        if match is None:
            required = "“(Kèm theo <tên loại> số <số>/<ký hiệu> ngày <ngày tháng năm> của <cơ quan>)”"
            self.flag("phu-luc-dan-chieu", _quoted(paragraph.plain, 70), required, where)
            return
        if self.layout.is_report and match["kind"] != "Báo cáo":
            self.flag("phu-luc-dan-chieu", f"“Kèm theo {match['kind']}”", "“Kèm theo Báo cáo”", where)
        found_number = (match["number"].strip(), match["symbol"])
        if self._number is not None and found_number != self._number:
            found = f"số, ký hiệu “{'/'.join(found_number)}”"
            self.flag(
                "phu-luc-dan-chieu", found, f"số, ký hiệu của văn bản “{'/'.join(self._number)}”", where
            )
        date = match["date"]
        parts = re.fullmatch(r"(?P<day>[^/]*)/(?P<month>[^/]*)/(?P<year>.*)", date) or re.fullmatch(
            r"(?P<day>.*?)\s*tháng(?P<month>.*?)năm(?P<year>.*)", date
        )
        if parts is None:
            self.flag(
                "phu-luc-dan-chieu",
                f"ngày “{date}”",
                "ngày dạng “06/12/2023” hoặc “06 tháng 12 năm 2023”",
                where,
            )
            return
        value = self._date_parts(parts["day"], parts["month"], parts["year"], where, "phu-luc-dan-chieu")
        if self._date is not None and any(
            a is not None and b is not None and a != b for a, b in zip(value, self._date, strict=True)
        ):
            self.flag("phu-luc-dan-chieu", f"ngày “{date}”", "ngày ban hành ghi ở đầu văn bản", where)
