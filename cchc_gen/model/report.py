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

# XML 1.0 forbids these; a value containing one would produce a .docx that Word refuses to open.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
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
    name: NonEmptyText

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


# --- the body -------------------------------------------------------------------------------------


class ListItem(Strict):
    """A "- ..." paragraph followed by its "+ ..." sub-items."""

    text: NonEmptyText
    sub: list[NonEmptyText] = []


class ListBlock(Strict):
    """Paragraphs that start with "- " (and "+ " one level below)."""

    entries: list[NonEmptyText | ListItem] = Field(alias="list", min_length=1)


class NumberedBlock(Strict):
    """Paragraphs numbered "1.", "2." … in running text (not headings), as in a "phương hướng" list."""

    numbered: list[NonEmptyText] = Field(min_length=1)


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


class Table(Strict):
    columns: list[NonEmptyText] = Field(min_length=1)
    number_column: Text | None = "TT"
    rows: list[list[Cell]] = Field(min_length=1)


class AppendixTable(Table):
    """A further appendix given by the data (per-unit results, findings per inspected commune…)."""

    title: list[NonEmptyText] = Field(min_length=1)
    number_column: Text | None = "STT"


class TableBlock(Strict):
    """A table inside the body; its row numbers are generated."""

    table: Table


# The width of the text between the margins of an A4 page (210 mm less 30 mm left and 15 mm right).
TEXT_WIDTH_CM = Decimal("16.5")


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


def _block_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "#text"
    if isinstance(value, dict | BaseModel):
        keys = value.keys() if isinstance(value, dict) else type(value).model_fields.keys()
        for kind in ("heading", "list", "numbered", "table", "image"):
            if kind in keys:
                return f"#{kind}"
    return None


Numbering = Literal["roman", "decimal", "nested", "letter"]
# How a first heading of each numbering style prints, to name the styles to a user.
NUMBERING_LABELS: dict[Numbering, str] = {"roman": "I.", "decimal": "1.", "nested": "1.1.", "letter": "a)"}


class Heading(Strict):
    """A numbered heading (section, item, sub-item) and what it contains."""

    heading: NonEmptyText
    key: str | None = None
    # How the headings directly inside this one are numbered, when not as the report's level says
    # (an item whose sub-items are "7.1.", "7.2." while points elsewhere at that depth are "a)").
    numbering: Numbering | None = None
    content: list[Block] = []


Block = Annotated[
    Annotated[NonEmptyText, Tag("#text")]
    | Annotated[Heading, Tag("#heading")]
    | Annotated[ListBlock, Tag("#list")]
    | Annotated[NumberedBlock, Tag("#numbered")]
    | Annotated[TableBlock, Tag("#table")]
    | Annotated[ImageBlock, Tag("#image")],
    Discriminator(
        _block_kind,
        custom_error_type="block_kind",
        custom_error_message=(
            "mục nội dung phải là một đoạn văn, hoặc một nhóm có 'heading', 'list', 'numbered', 'table' "
            "hay 'image'"
        ),
    ),
]
Heading.model_rebuild()


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
    sections: list[Heading] = Field(min_length=1)
    closing: Text | None = None
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
