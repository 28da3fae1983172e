"""A report made in Word read back into a data file: what ``cchc nhap-word`` does.

Units start using the product with last period's report, a .docx typed by hand. It is read the way Word
shows it (:mod:`cchc_gen.nd30.docx_view`), its elements found by their words and places
(:mod:`cchc_gen.nd30.elements`) — the header (as a table or as lines pushed into two columns with tabs),
BÁO CÁO and the trích yếu, Kính gửi, Nơi nhận, the signature and the appendices — and its body read into the
outline of the data file (:mod:`cchc_gen.source.word_body`). The unit is the registry's unit the header names,
or a registry entry proposed from the header and the signature; the period is the one the trích yếu names.

Nothing is guessed silently: what cannot be placed is kept (as text or as a note) and reported with its place
in the .docx, as is every guess. The data is then checked as ``cchc kiem-tra`` checks it, each problem
located in the .docx. With a new period (:func:`shift_period`) the report becomes the start of the next one:
Số, date and figures emptied, the text kept, and the words that still name the old period pointed out.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from docx.opc.exceptions import PackageNotFoundError
from lxml import etree
from pydantic import ValidationError

from cchc_gen.errors import DataError, Problem, Severity
from cchc_gen.excel.convert import parse_period, refuse_existing, report_data, report_yaml
from cchc_gen.excel.write import write_report_workbook
from cchc_gen.model.check import Figures, check_report
from cchc_gen.model.profile import (
    Profile,
    RateRule,
    SumRule,
    available_profiles,
    load_profile,
    profile_name_for,
)
from cchc_gen.model.profile import fold as outline_fold
from cchc_gen.model.report import Report, Unit, carried_over
from cchc_gen.nd30.docx_view import Paragraph, Table, WordDocument
from cchc_gen.nd30.elements import Layout, find_layout, is_blank, is_rule_line, is_upper, kinh_gui_inline
from cchc_gen.nd30.rules.header import TIEU_NGU
from cchc_gen.paths import DATA, PICTURE, Output, check_outputs
from cchc_gen.render.context import build_context, expand_profile_text, strip_end
from cchc_gen.render.docx import make_environment, write_atomically
from cchc_gen.source.loading import LoadedReport, load_registry
from cchc_gen.source.safety import check_archive
from cchc_gen.source.schema_errors import problems_from_validation
from cchc_gen.source.word_body import (
    UNMATCHED_TITLE,
    Body,
    Casing,
    HeadingNode,
    PictureKeeper,
    Reading,
    WordSource,
    fold,
    heading_data,
    heading_overrides,
    is_bold,
    is_indicator_table,
    keep_at_end,
    numbering_of,
    read_body,
    read_figures,
    renumbering,
    table_block,
)
from cchc_gen.source.yaml_file import PathKey
from cchc_gen.vn.dates import DateParseError, IssueDate
from cchc_gen.vn.periods import Period

WORD = "tệp Word"
_NUMBER = re.compile(
    r"(?i)^số\s*:?\s*(?P<number>[^/]*?)\s*/\s*(?P<kind>[^-\s/]*)\s*-\s*(?P<symbol>\S.*?)\s*$"
)
_DATE = re.compile(
    r"(?i)^(?P<place>.*?)\s*,?\s*ngày\s*(?P<day>\d{1,2})?\D*?tháng\s*(?P<month>\d{1,2})?\D*?"
    r"năm\s*(?P<year>\d{4})?"
)
_AUTHORITY = re.compile(r"^(?P<authority>TM|KT|Q|TL|TUQ)\.\s*(?P<rest>.*)$")
_ARCHIVE = re.compile(r"(?i)^lưu\s*:\s*(?P<entries>.*)$")
# The level of a unit by a word of its name, the first found in this order ("thị xã" is no "xã").
_LEVELS = (
    ("đoàn", "doan"),
    ("tổ", "doan"),
    ("sở", "so"),
    ("đặc khu", "dac-khu"),
    ("thị xã", "huyen"),
    ("thị trấn", "xa"),
    ("phường", "phuong"),
    ("xã", "xa"),
    ("huyện", "huyen"),
    ("quận", "huyen"),
    ("tỉnh", "tinh"),
    ("thành phố", "tinh"),
)


# --- opening the file -------------------------------------------------------------------------------------


def open_report(file: Path) -> tuple[WordDocument, Layout]:
    """The .docx read as Word shows it, and its elements; refused with a message a clerk understands when
    it is no Word file or no report."""
    check_archive(file, WORD)
    with zipfile.ZipFile(file) as archive:
        names = set(archive.namelist())
    fix = "Chọn tệp .docx của báo cáo (BÁO CÁO) kỳ trước, mở bằng Word và lưu lại dạng “Word Document”."
    if "word/document.xml" not in names:
        kind = (
            "một bảng tính Excel"
            if "xl/workbook.xml" in names
            else "một bài trình chiếu PowerPoint"
            if "ppt/presentation.xml" in names
            else "một tệp nén"
        )
        raise DataError.single(
            f"Tệp này là {kind} được đổi tên thành .docx, không phải tệp Word.", file=file, fix=fix
        )
    try:
        document = WordDocument(file)
    except (PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError):
        raise DataError.single(
            "Không đọc được tệp này như tệp Word .docx (tệp hỏng).", file=file, fix=fix
        ) from None
    if all(p.empty for p in document.paragraphs):
        raise DataError.single("Tệp Word này trống, không có chữ nào.", file=file, fix=fix)
    layout = find_layout(document)
    if layout.quoc_hieu is None:
        raise DataError.single(
            "Tệp này không phải văn bản hành chính: không thấy Quốc hiệu “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT "
            "NAM” ở đầu trang thứ nhất.",
            file=file,
            fix=fix,
        )
    if not layout.is_report:
        found = (
            f"văn bản có tên loại “{layout.type_name.plain}”"
            if layout.type_name is not None
            else "văn bản không có tên loại “BÁO CÁO” (có thể là công văn, thư)"
        )
        raise DataError.single(f"Tệp này là {found}, không phải báo cáo.", file=file, fix=fix)
    return document, layout


# --- the header, Kính gửi, Nơi nhận, signature -------------------------------------------------------------


@dataclass
class Header:
    governing: list[str]  # chủ quản, each printed line
    issuing: list[str]  # cơ quan ban hành, each printed line
    number: int | None
    symbol: str  # the ký hiệu's abbreviation of the issuing body ("UBND" in "Số: 05/BC-UBND")
    place: str
    date: IssueDate
    extra: list[Paragraph]  # header lines that are none of these


def _entry(text: str) -> str:
    return strip_end(text.lstrip("-–—•+ ").strip())


def _folded_name(lines: list[str]) -> str:
    return fold(" ".join(lines)).replace("ủy ban nhân dân", "ubnd")


class _Reader:
    """One .docx read into the parts of a report's data file."""

    def __init__(
        self, file: Path, document: WordDocument, layout: Layout, keep_picture: PictureKeeper
    ) -> None:
        self.layout = layout
        self.document = document
        self.reading = Reading(file, document, keep_picture)
        self.casing = Casing(p.plain for p in document.paragraphs)
        self.places: dict[PathKey, str] = {}

    def header(self) -> Header:
        layout, reading = self.layout, self.reading
        if layout.header_table is not None:
            reading.use(layout.header_table)
        reading.use(*layout.left, *layout.right)
        number, symbol = None, ""
        if layout.number is not None and (match := _NUMBER.match(layout.number.plain)):
            digits = re.sub(r"\D", "", match["number"])
            number = int(digits) if digits and int(digits) > 0 else None
            symbol = match["symbol"]
            self.places[("number",)] = layout.number.location
        place, date = "", IssueDate()
        if layout.date is not None and (match := _DATE.match(layout.date.plain)):
            place = match["place"].strip(" ,")
            parts = (int(match[part]) if match[part] else None for part in ("year", "month", "day"))
            try:
                date = IssueDate(*parts)
            except (DateParseError, ValueError):
                reading.warn(f"Ngày “{layout.date.plain}” không có thật; để trống ngày.", layout.date)
            self.places[("date",)] = layout.date.location
        known = {id(p) for p in (layout.number, layout.date, layout.quoc_hieu) if p is not None}

        def words(paragraphs: list[Paragraph]) -> list[Paragraph]:
            return [
                p for p in paragraphs if id(p) not in known and not is_rule_line(p) and not is_blank(p.plain)
            ]

        names = words(layout.left)
        split = len(names)
        while split > 0 and is_bold(names[split - 1]):  # the issuing body is bold, the chủ quản above it not
            split -= 1
        if split == len(names) and names:  # nothing bold: the last line is the issuing body
            split -= 1
        governing = [self.casing.restore(p.plain) for p in names[:split]]
        issuing = [self.casing.restore(p.plain, capitalize=i == 0) for i, p in enumerate(names[split:])]
        extra = [p for p in words(layout.right) if _letters(p.plain) != _letters(TIEU_NGU)]
        return Header(governing, issuing, number, symbol, place, date, extra)

    def title(self) -> list[str]:
        layout = self.layout
        self.reading.use(*[p for p in (layout.type_name, *layout.title) if p is not None])
        return [p.plain for p in layout.title]

    def recipients(self) -> list[str]:
        layout = self.layout
        if layout.kinh_gui is None:
            return []
        self.reading.use(layout.kinh_gui, *layout.recipients)
        inline = kinh_gui_inline(layout.kinh_gui)
        return [_entry(inline)] if inline else [_entry(p.plain) for p in layout.recipients if _entry(p.plain)]

    def distribution(self) -> tuple[list[str], list[str]]:
        """The Nơi nhận entries (without "Như trên", which is generated) and the archive line's entries."""
        layout = self.layout
        if layout.noi_nhan is None:
            return [], []
        self.reading.use(layout.noi_nhan, *layout.distribution)
        if layout.noi_nhan.cell is not None:
            self.reading.use(
                next(b for b in self.document.blocks if b.where == f"bảng {layout.noi_nhan.cell.table}")
            )
        entries, archive = [], []
        for paragraph in layout.distribution:
            for line in paragraph.text.split("\n"):
                entry = _entry(" ".join(line.split()))
                if not entry or entry.casefold() == "như trên":
                    continue
                if match := _ARCHIVE.match(entry):
                    archive = [strip_end(a.strip()) for a in match["entries"].split(",") if a.strip()]
                else:
                    entries.append(entry)
        return entries, archive

    def signer(self) -> dict[str, str] | None:
        """Quyền hạn (TM., KT. …) and on whose behalf, chức vụ, the signer's own position and name; the
        decree's "(Chữ ký …, dấu)" lines are the room to sign, not text."""
        signature = self.layout.signature
        self.reading.use(*signature)
        lines = [p.plain for p in signature if not is_blank(p.plain) and not p.plain.startswith("(")]
        if len(lines) < 2:
            where = signature[0] if signature else self.layout.noi_nhan
            if where is not None:
                self.reading.warn(
                    "Không đọc được khối chữ ký (quyền hạn, chức vụ, họ tên); dùng người ký của danh mục.",
                    where,
                )
            return None
        *head, name = lines
        signer: dict[str, str] = {}
        if match := _AUTHORITY.match(head[0]):
            signer["authority"] = f"{match['authority']}."
            signer["on_behalf"] = self.casing.restore(match["rest"])
            head = head[1:]
        if not head:
            self.reading.warn("Khối chữ ký không có dòng chức vụ của người ký.", signature[0])
            return None
        signer["title"] = self.casing.restore(head[0])
        if head[1:]:
            signer["own_position"] = self.casing.restore(" ".join(head[1:]))
        signer["name"] = name.title() if is_upper(name) else name
        return signer

    # -- the rest of the document --

    def appendix_tables(self) -> list[tuple[Table, list[str]]]:
        """The appendices' tables, each with the title lines above it."""
        found = []
        appendices = self.layout.appendices
        for index, appendix in enumerate(appendices):
            end = appendices[index + 1].block if index + 1 < len(appendices) else len(self.document.blocks)
            self.reading.use(appendix.heading, *appendix.title)
            if appendix.reference is not None:
                self.reading.use(appendix.reference)
            table = next(
                (b for b in self.document.blocks[appendix.block : end] if isinstance(b, Table)), None
            )
            if table is not None:
                self.reading.use(table)
                found.append((table, [p.plain for p in appendix.title]))
        return found

    def sweep(self, body: Body, header: Header) -> None:
        """Every block no part of the report has taken, kept as text and reported: before the body, in the
        lead-in; after it, at the end of the last section."""
        reading = self.reading
        before = 0
        for paragraph in header.extra:
            body.lead_in.insert(before, (paragraph.plain, paragraph))
            before += 1
            reading.warn(_UNPLACED_HEAD, paragraph, _UNPLACED_HEAD_FIX)
        blocks = self.document.blocks
        first = next((b for b in self.layout.body if not (isinstance(b, Paragraph) and b.empty)), None)
        start = blocks.index(first) if first in blocks else len(blocks)
        for index, block in enumerate(blocks):
            if reading.is_used(block):
                continue
            if isinstance(block, Paragraph) and (is_blank(block.plain) or is_rule_line(block)):
                continue
            if index < start and isinstance(block, Paragraph):
                reading.use(block)
                body.lead_in.insert(before, (block.plain, block))
                before += 1
                reading.warn(_UNPLACED_HEAD, block, _UNPLACED_HEAD_FIX)
            else:
                keep_at_end(reading, body.sections, block, "ở ngoài phần nội dung (sau chữ ký hoặc phụ lục)")

    def appendices(self, tables: list[tuple[Table, list[str]]], profile: Profile) -> dict[str, Any]:
        """The figures of the indicator appendix (the first table with the columns of one) and the other
        appendices as tables."""
        spec, reading = profile.spec, self.reading
        data: dict[str, Any] = {}
        appendices: list[dict[str, Any]] = []
        for table, title in tables:
            if spec.appendix is not None and "figures" not in data and is_indicator_table(table):
                figures = read_figures(reading, table, spec.appendix, spec.rate_decimals)
                data["figures"], data["figure_notes"] = figures.values, figures.notes
                self.places.update(figures.places)
                if figures.unmatched:
                    columns = list(spec.appendix.columns)
                    appendices.append(
                        {
                            "title": [UNMATCHED_TITLE],
                            "columns": columns,
                            "number_column": None,
                            "rows": figures.unmatched,
                        }
                    )
                continue
            block = table_block(reading, table, "STT")
            if block is None or not isinstance(block.data, dict):
                continue
            if not title:
                title = ["Phụ lục không có tên trong báo cáo gốc"]
                reading.warn(
                    "Bảng sau phần chữ ký không có tên phụ lục.", table, "Đặt tên phụ lục trong tệp dữ liệu."
                )
            appendices.append({"title": [self.casing.restore(line) for line in title], **block.data["table"]})
            for relative, where in block.places.items():
                self.places[("appendices", len(appendices) - 1, *relative[1:])] = where
        if appendices:
            data["appendices"] = appendices
        return data


_UNPLACED_HEAD = (
    "Đoạn này ở phần đầu văn bản không thuộc thành phần nào của thể thức; đã giữ lại ở phần mở đầu."
)
_UNPLACED_HEAD_FIX = "Xem lại đoạn này trong tệp dữ liệu đã tạo (lead_in)."


def _letters(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalpha())


# --- unit, period, profile --------------------------------------------------------------------------------


def find_unit(units: dict[str, Unit], header: Header, file: Path) -> Unit | None:
    """The registry's unit whose issuing body the header prints (with its place or ký hiệu)."""
    name = _folded_name(header.issuing)
    found = [
        unit
        for unit in units.values()
        if _folded_name(unit.issuing_body) == name
        and (fold(unit.place) == fold(header.place) or unit.symbol == header.symbol)
    ]
    if len(found) > 1:
        codes = ", ".join(unit.code for unit in found)
        raise DataError.single(
            f"Tên cơ quan ban hành “{' '.join(header.issuing)}” khớp nhiều đơn vị trong danh mục: {codes}.",
            file=file,
            fix="Chỉ rõ đơn vị bằng tùy chọn --unit MÃ.",
        )
    return found[0] if found else None


def compare_header(reading: Reading, layout: Layout, header: Header, unit: Unit) -> None:
    """Warn when the header says otherwise than the registry: the report is printed from the registry."""
    said: list[tuple[str, str, str, Paragraph | None]] = [
        (
            _folded_name(header.issuing),
            _folded_name(unit.issuing_body),
            "tên cơ quan ban hành",
            layout.left[0] if layout.left else None,
        ),
        (fold(header.place), fold(unit.place), "địa danh", layout.date),
        (header.symbol, unit.symbol, "chữ viết tắt trong ký hiệu", layout.number),
    ]
    for found, registry, what, where in said:
        if found and found != registry:
            reading.warn(
                f"Báo cáo ghi {what} khác danh mục đơn vị ({unit.code}); báo cáo tạo ra sẽ in theo danh mục.",
                where,
                f"Sửa danh mục đơn vị nếu {what} đã đổi.",
            )


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c))


def code_for(text: str, units: dict[str, Unit]) -> str:
    """A unit code made of ``text`` (its letters without accents), not yet taken in the registry."""
    base = re.sub(r"[^a-z0-9]+", "-", _ascii(text).lower()).strip("-")[:36].strip("-") or "don-vi"
    code, n = base, 2
    while code in units:
        code, n = f"{base}-{n}", n + 1
    return code


def propose_unit(
    reading: Reading,
    units: dict[str, Unit],
    code: str | None,
    header: Header,
    signer: dict[str, str] | None,
    recipients: list[str],
    distribution: tuple[list[str], list[str]],
) -> Unit:
    """A registry entry for a unit the registry does not have, from the header and the signature."""
    issuing = header.issuing or ["(chưa rõ tên cơ quan ban hành)"]
    name = " ".join(issuing)
    words = f" {fold(name)} "
    level = next((level for word, level in _LEVELS if f" {word} " in words), None)
    if level is None:
        level = "xa"
        reading.warn(
            f"Không biết cấp của đơn vị “{name}”; mục danh mục đề xuất ghi cấp xã (level: xa).",
            None,
            "Sửa 'level' của đơn vị khi dán vào danh mục.",
        )
    governing = " ".join(header.governing)
    parents = [
        u.code for u in units.values() if governing and fold(governing) in (fold(u.name), fold(u.short_name))
    ]
    entries, archive = distribution
    data: dict[str, Any] = {
        "code": code or code_for(header.place or name, units),
        "name": name,
        "short_name": re.sub(r"(?i)ủy ban nhân dân|uỷ ban nhân dân", "UBND", name),
        "level": level,
        "parent": parents[0] if parents else None,
        "governing_body": governing,
        "issuing_body": issuing,
        "symbol": header.symbol or "UBND",
        "place": header.place or name,
        "signer": signer or {"title": "(chức vụ người ký)", "name": "(họ tên người ký)"},
        "recipients": recipients,
        "distribution": entries,
        "archive": archive or ["VT"],
    }
    try:
        return Unit.model_validate(data)
    except ValidationError as exc:
        messages = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise DataError.single(
            f"Không đề xuất được mục danh mục cho đơn vị này ({messages}).",
            file=reading.file,
            fix="Thêm đơn vị vào danh mục units.yaml rồi chạy lại với --unit MÃ.",
        ) from None


def unit_entry(unit: Unit) -> str:
    """The unit as lines to paste under 'units:' in the registry."""
    data = unit.model_dump(exclude={"code"}, exclude_defaults=True)
    return "".join(f"  {line}\n" for line in report_yaml({unit.code: data}).splitlines())


def find_period(
    title: list[str], body: Body, layout: Layout, file: Path, assumed: Period | None = None
) -> Period:
    """The period the trích yếu names (else the lead-in, else the closing sentence, else ``assumed``)."""
    texts = [*title, *(text for text, _ in body.lead_in), body.closing[0] if body.closing else ""]
    period = next((found for text in texts if (found := Period.find(text))), assumed)
    if period is None:
        raise DataError.single(
            "Không biết báo cáo này của kỳ nào: trích yếu không ghi kỳ báo cáo (quý, 6 tháng, 9 tháng, năm).",
            file=file,
            location=layout.title[0].location if layout.title else None,
            fix="Ghi kỳ của báo cáo bằng tùy chọn --period, ví dụ --period 2023-Q1.",
        )
    return period


def choose_profile(sections: list[HeadingNode], period: Period, level: str, has_figures: bool) -> Profile:
    """The profile whose outline the report's sections follow best (the sections a unit of this level must
    have, then any; an indicator appendix when the report has one), the profile chosen by date on a tie."""
    default = profile_name_for(None, period)
    best: tuple[tuple[int, int, bool, bool], Profile] | None = None
    for folder in available_profiles():
        profile = load_profile(folder.name)
        spec = profile.spec
        matched = [
            item for item in spec.outline if any(_matches(item.match or [item.title], s) for s in sections)
        ]
        score = (
            sum(level in item.required for item in matched),
            len(matched),
            has_figures == (spec.appendix is not None),
            folder.name == default,
        )
        if best is None or score > best[0]:
            best = (score, profile)
    return best[1] if best else load_profile(default)


def _matches(words: list[str], section: HeadingNode) -> bool:
    heading = fold(section.line.text)
    return any(fold(word) in heading for word in words)


def assign_keys(
    sections: list[HeadingNode], profile: Profile, casing: Casing, unit: Unit, period: Period
) -> None:
    """The outline's key on each section that matches an outline item, and the text of each heading: those
    numbered "I." given back their ordinary case (the renderer prints them in capitals again). A section
    whose words are not the outline's (as the report prints them) keeps its own: a keyed section is printed
    in the outline's words otherwise."""

    def walk(nodes: list[HeadingNode]) -> None:
        for node in nodes:
            node.text = casing.restore(node.line.text) if node.style == "roman" else node.line.text
            walk(node.headings)

    walk(sections)
    env = make_environment()
    free = list(sections)
    for item in profile.spec.outline:
        section = next((s for s in free if _matches(item.match or [item.title], s)), None)
        if section is not None:
            section.key = item.key
            title = expand_profile_text(item.title, unit, period, profile, env)
            section.own_heading = outline_fold(section.text) != outline_fold(title)
            free.remove(section)


# --- the whole report -------------------------------------------------------------------------------------


@dataclass
class WordReport:
    """A report read from a .docx: the report, its unit (registered or proposed) and profile, where each of
    its values came from, and the warnings."""

    report: Report
    unit: Unit
    registered: bool
    profile: Profile
    source: WordSource
    problems: list[Problem]


class NewPictures:
    """The pictures of a report read from Word, named ``<prefix>-anh-1.png`` … in their order, to be written
    beside its data file."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.found: dict[str, bytes] = {}

    def __call__(self, data: bytes, suffix: str) -> str:
        name = f"{self.prefix}-anh-{len(self.found) + 1}{suffix}"
        self.found[name] = data
        return name


def read_word(
    file: Path,
    units: dict[str, Unit],
    keep_picture: PictureKeeper,
    *,
    unit_code: str | None = None,
    period: Period | None = None,
    assumed_period: Period | None = None,
) -> WordReport:
    """Read the report ``file`` (see the module's docstring); ``units`` is the unit registry.

    ``unit_code`` names the unit (refused when the header names another unit of the registry), ``period``
    the report's period; else they are found in the document. ``assumed_period`` is the period of a report
    that names none. ``keep_picture`` keeps each picture and names it for the data.
    """
    document, layout = open_report(file)
    reader = _Reader(file, document, layout, keep_picture)
    reading = reader.reading
    header = reader.header()
    title = reader.title()
    recipients = reader.recipients()
    body = read_body(reading, layout.body)
    distribution = reader.distribution()
    signer = reader.signer()
    period = period or find_period(title, body, layout, file, assumed_period)
    found = find_unit(units, header, file)
    if unit_code and found is not None and found.code != unit_code:
        raise DataError.single(
            f"Báo cáo này là của {found.short_name} (mã '{found.code}'), không phải của đơn vị "
            f"'{unit_code}'.",
            file=file,
            location=layout.left[0].location if layout.left else None,
            fix="Chọn đúng báo cáo Word của đơn vị, hoặc bỏ mã đơn vị để dùng đơn vị ghi ở phần đầu báo cáo.",
        )
    unit = units.get(unit_code) if unit_code else found
    registered = unit is not None
    if unit is None:
        unit = propose_unit(reading, units, unit_code, header, signer, recipients, distribution)
    else:
        compare_header(reading, layout, header, unit)
    tables = reader.appendix_tables()
    reader.sweep(body, header)
    profile = choose_profile(body.sections, period, unit.level, any(is_indicator_table(t) for t, _ in tables))
    assign_keys(body.sections, profile, reader.casing, unit, period)
    renumbering(reading, body.sections)

    places = reader.places
    data: dict[str, Any] = {"unit": unit.code, "period": period.code, "number": header.number}
    if header.date.year is not None:
        data["date"] = header.date
    if title:
        data["title"] = title
        places.update({("title", i): paragraph.location for i, paragraph in enumerate(layout.title)})
    data["recipients"] = recipients
    data["lead_in"] = [text for text, _ in body.lead_in]
    places.update({("lead_in", i): paragraph.location for i, (_, paragraph) in enumerate(body.lead_in)})
    data["numbering"] = numbering_of(body.sections) or list(profile.spec.numbering)
    overrides = heading_overrides(body.sections, data["numbering"])
    data["sections"] = heading_data(body.sections, overrides, ("sections",), places)
    if body.closing:
        data["closing"] = body.closing[0]
        places[("closing",)] = body.closing[1].location
    data["distribution"], data["archive"] = distribution[0], distribution[1] or None
    data["signer"] = signer
    data.update(reader.appendices(tables, profile))
    source = WordSource(file, places)
    try:
        report = Report.model_validate(data)
    except ValidationError as exc:
        raise DataError(problems_from_validation(exc, source, model=Report)) from None
    report = without_defaults(report, unit, profile)
    if profile.name != profile_name_for(None, period):
        report = report.model_copy(update={"profile": profile.name})
    return WordReport(report, unit, registered, profile, source, reading.problems)


def without_defaults(report: Report, unit: Unit, profile: Profile) -> Report:
    """The report without the values that print as the unit's and the profile's defaults print: a data file
    says only what is particular to its report (what a render prints is compared, part by part)."""
    env = make_environment()
    plain = Report.model_construct(**{**dict(report), "sections": [], "figures": {}, "appendices": []})
    parts: dict[tuple[str, ...], Callable[[dict[str, Any]], Any]] = {
        ("title",): lambda context: context["doc"]["title"],
        ("closing",): lambda context: context["closing"],
        ("recipients",): lambda context: context["recipients"],
        ("signer",): lambda context: context["signer"],
        ("distribution", "archive"): lambda context: context["distribution"],
    }
    printed = build_context(plain, unit, profile, Figures(), env)
    update: dict[str, Any] = {}
    for names, part in parts.items():
        default = plain.model_copy(update=dict.fromkeys(names))
        if part(build_context(default, unit, profile, Figures(), env)) == part(printed):
            update.update(dict.fromkeys(names))
    if report.numbering == list(profile.spec.numbering):
        update["numbering"] = None
    return report.model_copy(update=update)


# --- a new period -----------------------------------------------------------------------------------------


def shift_period(read: WordReport, new: Period) -> WordReport:
    """Start ``new`` from this report, as ``cchc mau-excel --tu-ky-truoc`` starts a period from the last
    one (:func:`~cchc_gen.model.report.carried_over`): Số, date, figures, trích yếu and closing sentence left
    for the new period, the text kept. The checks (:func:`checked`) point out the words that still name the
    old period."""
    return replace(read, report=carried_over(read.report, new))


# --- checking and writing -----------------------------------------------------------------------------------


def _outline_words(read: WordReport) -> Callable[[str], str]:
    """The profile's texts said for the report's unit and period, as ``cchc kiem-tra`` says them."""
    env = make_environment()
    unit, period = read.unit, read.report.period
    return lambda text: expand_profile_text(text, unit, period, read.profile, env)


def checked(read: WordReport, folder: Path) -> WordReport:
    """The report checked as ``cchc kiem-tra`` checks it, its pictures found in ``folder`` (where they are
    written beside the data file), each problem located in the .docx; and the derived figures typed in its
    appendix left for the rules to compute when they agree."""
    beside = folder / read.source.file.name  # the checks look for pictures beside the data file
    loaded = LoadedReport(beside, read.report, read.unit, read.source)
    words = _outline_words(read)
    result = check_report(loaded, read.profile, words)
    derived = {
        rule.total if isinstance(rule, SumRule) else rule.target
        for rule in read.profile.spec.rules
        if isinstance(rule, SumRule | RateRule)
    } & set(read.report.figures)
    report = read.report
    if derived:
        bare = {code: value for code, value in report.figures.items() if code not in derived}
        recomputed = check_report(
            replace(loaded, report=report.model_copy(update={"figures": bare})), read.profile, words
        )
        same = {
            code
            for code in derived
            if code in recomputed.figures.values
            and recomputed.figures.display(code) == result.figures.display(code)
        }
        figures = {code: value for code, value in report.figures.items() if code not in same}
        report = report.model_copy(update={"figures": figures})
    problems = [replace(p, file=read.source.file) if p.file == beside else p for p in result.problems]
    return replace(read, report=report, problems=read.problems + problems)


@dataclass(frozen=True)
class WordImported:
    """What ``cchc nhap-word`` wrote, and what the user has to look at."""

    written: Path
    pictures: list[Path]
    unit: str
    period: str
    profile: str
    # The registry entry to paste into units.yaml when the unit is not registered yet, else None.
    unit_entry: str | None
    registry: Path
    problems: list[Problem]

    @property
    def errors(self) -> int:
        return sum(p.severity == Severity.ERROR for p in self.problems)


def import_word(
    file: Path,
    *,
    unit_code: str | None,
    period_text: str | None,
    new_period_text: str | None,
    output: Path | None,
    data_dir: Path,
    registry: Path,
) -> WordImported:
    """Read ``file`` and write its data file (YAML, or a workbook for an .xlsx ``output``) with its pictures
    beside it; ``output`` defaults to ``<data_dir>/<kỳ>/<mã đơn vị>.yaml``. Nothing is overwritten."""
    period = parse_period(period_text) if period_text else None
    new_period = parse_period(new_period_text) if new_period_text else None
    units = load_registry(registry) if registry.is_file() else {}
    pictures = NewPictures(code_for(file.stem, {}))
    read = read_word(file, units, pictures, unit_code=unit_code, period=period)
    if new_period is not None:
        read = shift_period(read, new_period)
    target = output or data_dir / read.report.period.code / f"{read.unit.code}.yaml"
    written = [target.parent / name for name in pictures.found]
    check_outputs(
        [
            Output(target, DATA, file, "-o" if output else None),
            *(Output(path, PICTURE, file) for path in written),
        ],
        [file],
        [registry],
    )
    for path in (target, *written):
        refuse_existing(path)
    for path, data in zip(written, pictures.found.values(), strict=True):
        write_atomically(path, data, "tệp ảnh", "chương trình xem ảnh")
    read = checked(read, target.parent)
    report = read.report
    if target.suffix.lower() == ".xlsx":
        write_report_workbook(target, report, read.unit, read.profile)
    else:
        heading = (
            f"# Dữ liệu báo cáo của {read.unit.name}, {report.period.label}.\n"
            f"# Nhập từ tệp Word {file.name} bằng cchc nhap-word: xem lại các cảnh báo khi nhập; cách viết "
            "từng trường: docs/du-lieu.md.\n"
        )
        write_atomically(target, heading + report_yaml(report_data(report)), "tệp dữ liệu", "trình soạn thảo")
    return WordImported(
        target,
        written,
        read.unit.code,
        report.period.code,
        read.profile.name,
        None if read.registered else unit_entry(read.unit),
        registry,
        read.problems,
    )
