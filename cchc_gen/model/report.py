"""The data model: what stays with a unit, and what belongs to one report of one period.

A :class:`Unit` lives in the registry (``data/units.yaml``): official names, issuing body and its ký hiệu
abbreviation, place name, default signer, Kính gửi and Nơi nhận. A :class:`Report` is one period file:
Số, date, trích yếu, lead-ins, the body as nested blocks, figures, and overrides of the unit's defaults.

Numbers of sections, items and table rows are never typed: they are generated when the report is laid
out (:mod:`cchc_gen.render.context`).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
)

from cchc_gen.errors import InvalidValue
from cchc_gen.vn.dates import IssueDate, parse_issue_date
from cchc_gen.vn.periods import Period

# XML 1.0 forbids these; a value containing one would produce a .docx that Word refuses to open. The
# noncharacters U+FDD0–U+FDEF are no text either: the renderer uses them as marks (cchc_gen.render.marks).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufdd0-\ufdef\ufffe\uffff]")
_UNIT_CODE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
# A unit code names its output file; Windows refuses these names whatever the extension.
_WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def clean_text(value: Any) -> Any:
    """NFC, no XML-invalid characters, one line per paragraph (a line break stretches justified text)."""
    if not isinstance(value, str):
        return value
    value = unicodedata.normalize("NFC", value)
    # Nearly every text: every whitespace but the space, and every character XML forbids, is unprintable,
    # so a printable text with single spaces inside is already clean (and this is quicker than looking).
    if value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " ":
        return value
    if bad := _XML_INVALID.search(value):
        raise InvalidValue(
            f"có ký tự điều khiển không hợp lệ (mã {ord(bad.group()):#04x}) — thường do dán từ phần mềm khác",
            "Xóa ký tự lạ, hoặc gõ lại đoạn này thay vì dán.",
        )
    return " ".join(value.split())


Text = Annotated[str, BeforeValidator(clean_text)]
NonEmptyText = Annotated[str, BeforeValidator(clean_text), Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Authority = Literal["", "TM.", "KT.", "Q.", "TL.", "TUQ."]


class Signer(Strict):
    """Who signs, and with which authority (quyền hạn): "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"."""

    authority: Authority = ""
    on_behalf: Text = ""
    title: NonEmptyText
    own_position: Text = ""
    # Left blank for the office to write in by hand, like the Số and the day, while the signer is not known.
    name: Text = ""

    @field_validator("on_behalf")
    @classmethod
    def _needs_authority(cls, value: str, info: Any) -> str:
        if value and not info.data.get("authority"):
            raise InvalidValue(
                "có 'on_behalf' thì phải có 'authority' (TM., KT., Q., TL. hoặc TUQ.)",
                "Ghi 'authority' của người ký (ví dụ TM.), hoặc xóa 'on_behalf' nếu người ký ký thẳng.",
            )
        return value


Level = Literal["xa", "phuong", "dac-khu", "huyen", "tinh", "so", "doan"]


class Unit(Strict):
    """What stays with a unit from one period to the next."""

    code: str
    name: NonEmptyText
    short_name: NonEmptyText
    level: Level
    parent: str | None = None
    governing_body: Text = ""
    # One entry per printed line: "[Ủy ban nhân dân, xã Quảng Thọ]" breaks where a clerk expects it.
    issuing_body: Annotated[
        list[NonEmptyText], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)
    ] = Field(min_length=1)
    symbol: NonEmptyText
    place: NonEmptyText
    signer: Signer
    recipients: list[NonEmptyText] = []
    distribution: list[NonEmptyText] = []
    archive: list[NonEmptyText] = ["VT"]

    @field_validator("code")
    @classmethod
    def _code_is_safe(cls, value: str) -> str:
        if value in _WINDOWS_RESERVED:
            raise InvalidValue(
                f"mã đơn vị '{value}' trùng tên thiết bị dành riêng của Windows",
                f"Chọn mã khác, ví dụ thêm tên tỉnh phía trước: ht-{value}.",
            )
        if not _UNIT_CODE.match(value):
            raise InvalidValue(
                "mã đơn vị chỉ gồm chữ thường không dấu, chữ số và dấu '-', dài tối đa 40 ký tự",
                "Đổi mã đơn vị cho đúng cách viết trên, ví dụ ht-thanh-sen (và sửa trường 'unit' của các tệp "
                "dữ liệu của đơn vị theo mã mới).",
            )
        return value


# --- the body ---------------------------------------------------------------------------------------

# The markers of list items by how deep the list is nested: "- …", then "+ …", then "* …", then again.
MARKERS = ("-", "+", "*")
Marker = Literal["-", "+", "*"]


class ListItem(Strict):
    """A "- ..." paragraph and what it holds: "+ ..." sub-items (``sub``, the short form of a list of plain
    items), or any paragraphs, lists and tables (``content``), printed after it before the next item."""

    text: NonEmptyText
    sub: list[NonEmptyText] = []
    content: list[Block] = []

    @field_validator("content")
    @classmethod
    def _no_headings(cls, content: list[Any]) -> list[Any]:
        if any(isinstance(block, Heading) for block in content):
            raise ValueError("một ý của danh sách không chứa đề mục; đặt đề mục ở ngoài danh sách")
        return content


class ListBlock(Strict):
    """Paragraphs that start with "- " ("+ " one level below, "* " two levels below): ``marker`` gives
    another marker than the one of the list's depth (a "*" list at the top, as some reports write)."""

    entries: list[NonEmptyText | ListItem] = Field(alias="list", min_length=1)
    marker: Marker | None = None


class NumberedBlock(Strict):
    """Paragraphs numbered "1.", "2." … in running text (not headings), as in a "phương hướng" list."""

    numbered: list[NonEmptyText] = Field(min_length=1)


class SubheadingBlock(Strict):
    """A heading without a number ("Kết quả thực hiện của Ủy ban nhân dân tỉnh" inside a section), printed
    in the style the profile's template gives it (bold, italic); it does not count in the numbering."""

    subheading: NonEmptyText


Cell = Annotated[str, BeforeValidator(lambda v: clean_text(v if isinstance(v, str) else _cell_text(v)))]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        raise InvalidValue(
            "ô bảng không nhận giá trị đúng/sai",
            "Gõ chữ hoặc số vào ô; muốn in chữ true, false, có, không thì đặt trong ngoặc kép.",
        )
    return str(value)


# The width of the text between the margins of an A4 page (210 mm less 30 mm left and 15 mm right).
TEXT_WIDTH_CM = Decimal("16.5")
# The generated number column of a table whose widths are given.
NUMBER_COLUMN_CM = Decimal("1.2")
MIN_COLUMN_CM = Decimal("0.8")


class ColumnGroup(Strict):
    """A header cell over several columns: "Số hồ sơ" over "Tiếp nhận", "Đã giải quyết"; the columns
    beside the group take both header rows."""

    title: NonEmptyText
    columns: list[NonEmptyText] = Field(min_length=1)


Column = NonEmptyText | ColumnGroup


def leaf_columns(columns: list[Any]) -> list[str]:
    """The columns as the rows fill them: a group's columns in its place (a group as read, or as data)."""
    names: list[str] = []
    for column in columns:
        if isinstance(column, ColumnGroup):
            names += column.columns
        elif isinstance(column, dict):
            names += list(column.get("columns", []))
        else:
            names.append(column)
    return names


def _width(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return Decimal(value.strip().removesuffix("cm").strip().replace(",", "."))
        except ArithmeticError:
            raise ValueError(f"chiều rộng cột '{value}' phải là một số xentimét, ví dụ 3 hoặc 2,5") from None
    return value


Width = Annotated[Decimal, BeforeValidator(_width)]


class Table(Strict):
    columns: list[Column] = Field(min_length=1)
    number_column: Text | None = "TT"
    rows: list[list[Cell]] = Field(min_length=1)
    # The width of each column typed (not the generated number column), in cm; without it, the columns are
    # fitted to what they hold.
    widths: list[Width] | None = None

    @property
    def leaves(self) -> list[str]:
        return leaf_columns(self.columns)

    @field_validator("widths")
    @classmethod
    def _widths_fit(cls, widths: list[Decimal] | None, info: Any) -> list[Decimal] | None:
        if widths is None:
            return None
        columns = info.data.get("columns")
        if columns is not None and len(widths) != len(leaf_columns(columns)):
            raise ValueError(
                f"có {len(widths)} chiều rộng cho {len(leaf_columns(columns))} cột; ghi mỗi cột một chiều "
                "rộng (không tính cột số thứ tự)"
            )
        if any(width < MIN_COLUMN_CM for width in widths):
            raise ValueError(f"mỗi cột rộng ít nhất {_cm(MIN_COLUMN_CM)} cm")
        room = TEXT_WIDTH_CM - (NUMBER_COLUMN_CM if info.data.get("number_column") is not None else 0)
        if (total := sum(widths, Decimal(0))) > room:
            raise ValueError(
                f"tổng chiều rộng các cột là {_cm(total)} cm, rộng hơn phần chữ của trang "
                f"({_cm(room)} cm, không tính cột số thứ tự)"
            )
        return widths


def _cm(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


class AppendixTable(Table):
    """A further appendix given by the data (per-unit results, findings per inspected commune…)."""

    title: list[NonEmptyText] = Field(min_length=1)
    number_column: Text | None = "STT"


class TableBlock(Strict):
    """A table inside the body; its row numbers are generated."""

    table: Table


class ImageBlock(Strict):
    """A picture in the body (a chart, a photo of a scanned table): a PNG or JPEG file named relative to
    the data file, centred, with an optional caption below it."""

    image: NonEmptyText
    caption: NonEmptyText | None = None
    width_cm: Decimal = Decimal(15)

    @field_validator("width_cm")
    @classmethod
    def _fits_the_page(cls, value: Decimal) -> Decimal:
        if not 2 <= value <= TEXT_WIDTH_CM:
            widest = str(TEXT_WIDTH_CM).replace(".", ",")
            raise InvalidValue(
                f"chiều rộng ảnh phải từ 2 đến {widest} cm (bề rộng phần chữ của trang A4)",
                f"Ghi chiều rộng ảnh từ 2 đến {widest} cm, hoặc để trống (15 cm).",
            )
        return value


_BLOCK_KINDS = ("heading", "list", "numbered", "table", "image", "subheading")


def _block_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "#text"
    if isinstance(value, dict | BaseModel):
        keys = value.keys() if isinstance(value, dict) else type(value).model_fields.keys()
        if isinstance(value, ListBlock):
            return "#list"
        for kind in _BLOCK_KINDS:
            if kind in keys:
                return f"#{kind}"
    return None


Numbering = Literal["roman", "decimal", "nested", "letter"]
# How a first heading of each numbering style prints, to name the styles to a user.
NUMBERING_LABELS: dict[Numbering, str] = {"roman": "I.", "decimal": "1.", "nested": "1.1.", "letter": "a)"}


class Heading(Strict):
    """A numbered heading (section, item, sub-item) and what it contains.

    A heading that matches an entry of the profile's outline is printed in the outline's words, so that a
    changed outline reaches every report; ``own_heading`` keeps the words of the data instead (the checks
    then warn that they differ). ``text`` is a paragraph printed on the heading's own line, after it
    ("3.3. Thực hiện phân cấp quản lý: Thực hiện phân cấp đúng thẩm quyền …").
    """

    heading: NonEmptyText
    key: str | None = None
    own_heading: bool = False
    text: NonEmptyText | None = None
    # How the headings directly inside this one are numbered, when not as the report's level says
    # (an item whose sub-items are "7.1.", "7.2." while points elsewhere at that depth are "a)").
    numbering: Numbering | None = None
    content: list[Block] = []

    @field_validator("content")
    @classmethod
    def _canonical(cls, content: list[Any]) -> list[Any]:
        return [canonical_list(block, 0) if isinstance(block, ListBlock) else block for block in content]


Block = Annotated[
    Annotated[NonEmptyText, Tag("#text")]
    | Annotated[Heading, Tag("#heading")]
    | Annotated[ListBlock, Tag("#list")]
    | Annotated[NumberedBlock, Tag("#numbered")]
    | Annotated[TableBlock, Tag("#table")]
    | Annotated[ImageBlock, Tag("#image")]
    | Annotated[SubheadingBlock, Tag("#subheading")],
    Discriminator(
        _block_kind,
        custom_error_type="block_kind",
        custom_error_message=(
            "mục nội dung phải là một đoạn văn, hoặc một nhóm có 'heading', 'list', 'numbered', 'table', "
            "'image' hay 'subheading'"
        ),
    ),
]
Heading.model_rebuild()
ListItem.model_rebuild()


def canonical_list(block: ListBlock, depth: int) -> ListBlock:
    """``block`` (nested ``depth`` lists deep) in the one form every way of writing it comes to: the marker
    of its depth left out, an item without content written as its text, and plain sub-items that open an
    item's content written as its ``sub`` — so a report read from a workbook equals the one written in YAML.
    """
    marker = None if block.marker == MARKERS[depth % len(MARKERS)] else block.marker
    entries: list[str | ListItem] = []
    for entry in block.entries:
        if isinstance(entry, str):
            entries.append(entry)
            continue
        sub = list(entry.sub)
        content = [canonical_list(b, depth + 1) if isinstance(b, ListBlock) else b for b in entry.content]
        while content and isinstance(first := content[0], ListBlock) and first.marker is None:
            if not all(isinstance(e, str) for e in first.entries):
                break
            sub += [e for e in first.entries if isinstance(e, str)]
            content.pop(0)
        if not sub and not content:
            entries.append(entry.text)
        elif sub != entry.sub or content != entry.content:
            entries.append(ListItem.model_construct(text=entry.text, sub=sub, content=content))
        else:
            entries.append(entry)
    if marker == block.marker and entries == block.entries:
        return block
    return ListBlock.model_construct(entries=entries, marker=marker)


def short_form(block: dict[str, Any]) -> dict[str, Any]:
    """A list block's data (as read from a workbook or a form, items with their ``content``) as a data file
    writes it, the same as :func:`canonical_list` makes the model: plain sub-items that open an item's
    content as its ``sub``, an item with nothing inside as its text."""
    for index, entry in enumerate(block["list"]):
        if not isinstance(entry, dict):
            continue
        content = [
            short_form(inner) if isinstance(inner, dict) and "list" in inner else inner
            for inner in entry.pop("content", [])
        ]
        sub: list[Any] = list(entry.pop("sub", []))
        while content and isinstance(first := content[0], dict) and "list" in first and "marker" not in first:
            if not all(isinstance(e, str) for e in first["list"]):
                break
            sub += first["list"]
            content.pop(0)
        entry |= ({"sub": sub} if sub else {}) | ({"content": content} if content else {})
        block["list"][index] = entry if len(entry) > 1 else entry["text"]
    return block


def _figure(value: Any) -> Any:
    if isinstance(value, list | dict):
        raise InvalidValue(
            "số liệu phải là một con số (hoặc chữ, với chỉ tiêu ghi bằng chữ), không phải danh sách hay nhóm "
            "trường",
            "Ghi số liệu ngay sau mã chỉ tiêu, trên cùng một dòng, ví dụ kh_nhiem_vu: 19.",
        )
    return value


# One check for a value that no member of the union takes, instead of one refusal per member.
FigureValue = Annotated[int | Decimal | str | None, BeforeValidator(_figure)]


def _period(value: Any) -> Period:
    if isinstance(value, Period):
        return value
    return Period.parse(str(value))  # its PeriodError is a ValueError, with a fix


def _issue_date(value: Any) -> IssueDate:
    if isinstance(value, IssueDate):
        return value
    return parse_issue_date(value)  # its DateParseError is a ValueError, with a fix


def _number(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str) and value.strip().isdigit() and int(value) > 0:
        return int(value)
    raise InvalidValue(
        "số văn bản phải là số nguyên dương (ví dụ 232), hoặc để trống để văn thư điền",
        "Ghi số thứ tự của văn bản bằng chữ số, không kèm ký hiệu (ví dụ 232); chưa có số thì để trống.",
    )


class Report(Strict):
    """One report of one unit for one period."""

    unit: NonEmptyText
    period: Annotated[Period, BeforeValidator(_period)]
    profile: str | None = None
    number: Annotated[int | None, BeforeValidator(_number)] = None
    date: Annotated[IssueDate, BeforeValidator(_issue_date)] = IssueDate()
    # Trích yếu; several entries print as several lines (where the writer wants the line to break).
    title: Annotated[
        list[NonEmptyText] | None, BeforeValidator(lambda v: [v] if isinstance(v, str) else v)
    ] = None
    recipients: list[NonEmptyText] | None = None
    lead_in: list[NonEmptyText] = []
    numbering: list[Numbering] | None = Field(default=None, min_length=1)
    # A line "(số liệu tính từ … đến …)" under the trích yếu, from the period; None: as the profile says.
    data_window: bool | None = None
    sections: list[Heading] = Field(min_length=1)
    # The closing sentence ("Trên đây là báo cáo …"); None: the profile's; False: none, the last paragraph
    # of the last section then carries the "./.".
    closing: Literal[False] | Text | None = None
    distribution: list[NonEmptyText] | None = None
    archive: list[NonEmptyText] | None = None
    signer: Signer | None = None
    figures: dict[str, FigureValue] = {}
    figure_notes: dict[str, NonEmptyText] = {}
    # False leaves the indicator appendix out even when there are figures (they still feed the text).
    appendix: bool = True
    appendices: list[AppendixTable] = []


def carried_over(previous: Report, period: Period) -> Report:
    """The unit's previous report as the start of ``period``: the narrative, Kính gửi, Nơi nhận and signer
    are kept to be brought up to date; Số, date, trích yếu, closing sentence and figures are left for the
    new period (trích yếu and closing then come from the profile, with the new period's name)."""
    return previous.model_copy(
        update={
            "period": period,
            "number": None,
            "date": IssueDate(),
            "title": None,
            "closing": None,
            "figures": {},
            "figure_notes": {},
        }
    )
