"""The workbook a clerk fills in: its sheets, headers, row kinds and fields, shared by writer and reader.

One report of one unit for one period is four sheets:

- "Thông tin chung": one row per field (Số, ngày ký, trích yếu, Kính gửi, người ký…): label, value, hint.
  A field with several values (Kính gửi, đoạn mở đầu, Nơi nhận) has one row per value, all with the same
  label; a row without a label continues the field above it, so rows can be inserted.
- "Nội dung": the narrative, one row per paragraph: level (Cấp), kind (Loại), outline key, list level (Cấp
  ý), text; table cells go in the columns to the right of the text, and so do an image's caption and width
  (its file name is the text). The heading tree is given by the levels of the heading rows; other rows
  belong to the heading above them unless their own level says which one. A list item ("-", "+", "*") is as
  deep as its marker says, or as its list level says; a paragraph, list or table with a list level belongs
  to the list item of that level above it.
- "Số liệu": the indicator catalogue of the profile (STT, chỉ tiêu, đơn vị tính), a value and a note
  column, and the indicator code that the narrative quotes as ``{code}``.
- "Hướng dẫn": how to fill it in.

The reader finds each sheet by its header row, not by its name or position, and each column by its
header text, so renamed, reordered or moved sheets and columns still read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from cchc_gen.model.profile import Indicator
from cchc_gen.model.report import NUMBERING_LABELS, Numbering

INFO_SHEET = "Thông tin chung"
BODY_SHEET = "Nội dung"
FIGURES_SHEET = "Số liệu"
GUIDE_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh sách"

# Header texts; the reader looks sheets and columns up by these.
LABEL, VALUE, HINT = "Mục", "Giá trị", "Hướng dẫn"
LEVEL, KIND, KEY, LIST_LEVEL, TEXT = "Cấp", "Loại", "Mã mục", "Cấp ý", "Nội dung"
STT, INDICATOR, UNIT, FIGURE, NOTE, CODE, HOW = (
    "STT",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Số liệu",
    "Ghi chú",
    "Mã chỉ tiêu",
    "Cách nhập",
)
INFO_HEADER = (LABEL, VALUE, HINT)
BODY_HEADER = (LEVEL, KIND, KEY, LIST_LEVEL, TEXT)
FIGURES_HEADER = (STT, INDICATOR, UNIT, FIGURE, NOTE, CODE, HOW)
PREVIOUS = "Kỳ trước"

# Header cells that identify each sheet (all must be in one row).
INFO_SIGNATURE = (LABEL, VALUE)
BODY_SIGNATURE = (LEVEL, KIND, TEXT)
FIGURES_SIGNATURE = (CODE, FIGURE)

YES, NO = "Có", "Không"
# Typed as the closing sentence: the report has none.
NO_CLOSING = NO
AUTHORITIES = ("TM.", "KT.", "Q.", "TL.", "TUQ.")


class Kind(Enum):
    """What a row of the "Nội dung" sheet is."""

    HEADING = "Đề mục"
    RUN_IN = "Đoạn liền đề mục"
    SUBHEADING = "Tiêu đề không số"
    TEXT = "Đoạn văn"
    DASH = "Gạch đầu dòng (-)"
    PLUS = "Ý nhỏ (+)"
    STAR = "Ý nhỏ hơn (*)"
    NUMBERED = "Đánh số (1., 2.)"
    GROUPS = "Nhóm cột"
    TABLE = "Bảng"
    TABLE_PLAIN = "Bảng không đánh số"
    WIDTHS = "Độ rộng cột (cm)"
    TABLE_ROW = "Dòng bảng"
    IMAGE = "Ảnh"
    APPENDIX = "Phụ lục"


# The marker of each kind of list item row, and how deep a list of that marker is unless its row says.
ITEM_MARKERS: dict[Kind, str] = {Kind.DASH: "-", Kind.PLUS: "+", Kind.STAR: "*"}
ITEM_KINDS = {marker: kind for kind, marker in ITEM_MARKERS.items()}


# What the cells of an "Ảnh" row hold, from the "Nội dung" column on: field of the image block → name.
IMAGE_CELLS = {"image": "tên tệp ảnh", "caption": "chú thích ảnh", "width_cm": "chiều rộng ảnh (cm)"}


# A table whose numbering column has its own header: "Bảng, cột số thứ tự: STT".
CUSTOM_TABLE = "Bảng, cột số thứ tự:"

# Options of a heading row after its kind, separated by commas: "Đề mục, mục con 1.1." numbers its own
# sub-headings otherwise than their level does; "Đề mục, giữ nguyên tên" keeps its words where the outline
# has other words for it.
SUB_NUMBERING = "mục con"
OWN_HEADING = "giữ nguyên tên"
HEADING_WITH_NUMBERING: dict[Numbering, str] = {
    style: f"{Kind.HEADING.value}, {SUB_NUMBERING} {label}" for style, label in NUMBERING_LABELS.items()
}


def heading_kind(numbering: Numbering | None, own_heading: bool) -> str:
    """The kind of a heading row with its options."""
    options = [f"{SUB_NUMBERING} {NUMBERING_LABELS[numbering]}"] if numbering else []
    return ", ".join([Kind.HEADING.value, *options, *([OWN_HEADING] if own_heading else [])])


FieldKind = Literal["text", "lines", "comma", "date", "numbering", "yes_no"]


@dataclass(frozen=True)
class InfoField:
    """A field of the "Thông tin chung" sheet: its label, its path in the report data, how it is typed."""

    label: str
    path: tuple[str, ...]
    kind: FieldKind = "text"
    locked: bool = False


INFO_FIELDS = (
    InfoField("Mã đơn vị", ("unit",), locked=True),
    InfoField("Kỳ báo cáo", ("period",), locked=True),
    InfoField("Bộ mẫu", ("profile",), locked=True),
    InfoField("Số văn bản", ("number",)),
    InfoField("Ngày ký", ("date",), "date"),
    InfoField("Trích yếu", ("title",), "lines"),
    InfoField("Kính gửi", ("recipients",), "lines"),
    InfoField("Đoạn mở đầu", ("lead_in",), "lines"),
    InfoField("Câu kết", ("closing",)),
    InfoField("Nơi nhận", ("distribution",), "lines"),
    InfoField("Lưu", ("archive",), "comma"),
    InfoField("Quyền hạn ký", ("signer", "authority")),
    InfoField("Thay mặt / ký thay", ("signer", "on_behalf")),
    InfoField("Chức vụ người ký", ("signer", "title")),
    InfoField("Chức vụ riêng", ("signer", "own_position")),
    InfoField("Họ tên người ký", ("signer", "name")),
    InfoField("Cách đánh số đề mục", ("numbering",), "numbering"),
    InfoField("Kèm phụ lục số liệu", ("appendix",), "yes_no"),
    InfoField("Dòng thời gian số liệu", ("data_window",), "yes_no"),
)

# Report fields that the workbook holds somewhere; a field added to the model must be added here and to
# the workbook, or a conversion would silently drop it (tests/test_excel.py checks this list).
WORKBOOK_FIELDS = {f.path[0] for f in INFO_FIELDS} | {"sections", "appendices", "figures", "figure_notes"}

_ODD_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u200b": None, "\ufeff": None})


# In a workbook's XML "_xHHHH_" stands for a character, so an underscore before such text is written as
# "_x005F_" (LibreOffice even reads "_xa_" in "vbdt_ket_noi_xa_ty_le" as a line break). openpyxl neither
# writes nor reads inline text that way; the writer escapes and the reader undoes it.
_ESCAPABLE = re.compile(r"_(?=x[0-9A-Fa-f]{1,4}_)")
ESCAPED_UNDERSCORE = "_x005F_"


def escape_underscores(text: str) -> str:
    """Text as a cell of a workbook must hold it (idempotent)."""
    return _ESCAPABLE.sub(ESCAPED_UNDERSCORE, text.replace(ESCAPED_UNDERSCORE, "_"))


def clean(text: str) -> str:
    """Text as typed in a cell: NFC, odd spaces (non-breaking, zero-width) made plain, lines trimmed."""
    text = text.replace(ESCAPED_UNDERSCORE, "_")
    text = unicodedata.normalize("NFC", text).translate(_ODD_SPACES).replace("\r\n", "\n")
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def folded(text: str) -> str:
    """A header or label for comparison: case, spacing and a trailing ':' or '*' do not matter."""
    return " ".join(clean(text).split()).rstrip(" :*").casefold()


@dataclass(frozen=True)
class IndicatorRow:
    """One row of the indicator catalogue as the appendix shows it (STT generated the same way)."""

    stt: str
    indicator: Indicator
    depth: int


def indicator_rows(
    indicators: list[Indicator], parent: str = "", depth: int = 0, breakdown: bool = False
) -> Iterator[IndicatorRow]:
    """The catalogue in appendix order: "1.", "1.1.", …; parts of a "Trong đó" breakdown have no STT."""
    for index, indicator in enumerate(indicators, start=1):
        number = f"{parent}{index}."
        stt = ("Trong đó" if index == 1 else "") if breakdown else number
        yield IndicatorRow(stt, indicator, depth)
        yield from indicator_rows(indicator.items, number, depth + 1, indicator.breakdown)
