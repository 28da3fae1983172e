"""Write a report as a workbook a clerk can fill in (layout: :mod:`cchc_gen.excel.layout`).

Everything a clerk should not change (labels, headers, STT, chỉ tiêu, đơn vị tính, codes) is locked by
sheet protection without a password (it guards against slips, not against people); the cells to fill are
yellow and unlocked, and each carries Excel data validation with a Vietnamese prompt and error message:
whole numbers ≥ 0, percentages 0–100, drop-down lists for coded answers and row kinds. Rows may be
inserted in "Thông tin chung" and inserted or deleted in "Nội dung".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cchc_gen.excel.layout import (
    AUTHORITIES,
    BODY_HEADER,
    BODY_SHEET,
    CUSTOM_TABLE,
    FIGURES_HEADER,
    FIGURES_SHEET,
    GUIDE_SHEET,
    HEADING_WITH_NUMBERING,
    IMAGE_CELLS,
    INFO_FIELDS,
    INFO_HEADER,
    INFO_SHEET,
    ITEM_KINDS,
    ITEM_MARKERS,
    LISTS_SHEET,
    NO,
    NO_CLOSING,
    NUMBERING_LABELS,
    PREVIOUS,
    TEXT,
    YES,
    InfoField,
    Kind,
    escape_underscores,
    heading_kind,
    indicator_rows,
)
from cchc_gen.model.profile import Indicator, Profile, RateRule, SumRule
from cchc_gen.model.report import (
    MARKERS,
    ColumnGroup,
    Heading,
    ImageBlock,
    ListBlock,
    ListItem,
    NumberedBlock,
    Report,
    Signer,
    SubheadingBlock,
    Table,
    TableBlock,
    Unit,
)
from cchc_gen.render.docx import save_atomically

FONT_NAME = "Times New Roman"
FONT = Font(name=FONT_NAME, size=12)
BOLD = Font(name=FONT_NAME, size=12, bold=True)
TITLE = Font(name=FONT_NAME, size=14, bold=True)
HINT = Font(name=FONT_NAME, size=11, italic=True, color="595959")
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
GROUP_FILL = PatternFill("solid", fgColor="E2EFDA")
_THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)
TEXT_FORMAT = "@"
FIRST_ROW = 5  # rows 1–3: title, unit and period, a hint; row 4: the header
SPARE_BODY_ROWS = 30
TABLE_COLUMNS_SHOWN = 6


# --- building blocks, shared with the multi-unit workbook ---------------------------------------------


def save_workbook(workbook: Workbook, target: Path) -> None:
    """Write ``workbook`` to a temporary file beside ``target``, then rename it into place."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "_x" in cell.value and cell.data_type == "s":
                    cell.value = escape_underscores(cell.value)
    save_atomically(target, workbook.save, "bảng tính", "Excel")


def title_rows(sheet: Worksheet, title: str, subtitle: str, hint: str, width: int) -> None:
    """Rows 1–3 of every sheet: title, unit and period, a one-line hint; merged across the table."""
    for row, (text, font) in enumerate(((title, TITLE), (subtitle, BOLD), (hint, HINT)), start=1):
        cell = sheet.cell(row, 1, text)
        cell.font = font
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if width > 1:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet.row_dimensions[3].height = 32


def header(sheet: Worksheet, row: int, names: tuple[str, ...] | list[str], first_column: int = 1) -> None:
    for column, name in enumerate(names, start=first_column):
        cell = sheet.cell(row, column, name)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")


def widths(sheet: Worksheet, sizes: Sequence[float]) -> None:
    for column, size in enumerate(sizes, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = size


# Named styles: one assignment per cell instead of six, and the clerk sees in Excel's cell styles what a
# yellow cell is.
LABEL_STYLE, INPUT_STYLE, TEXT_INPUT_STYLE = "Ô khóa", "Ô cần điền", "Ô cần điền (chữ)"


def new_workbook() -> Workbook:
    """A workbook with the named styles of locked and fillable cells."""
    workbook = Workbook()
    styles = (
        (LABEL_STYLE, LOCKED_FILL, Protection(locked=True), "General"),
        (INPUT_STYLE, INPUT_FILL, UNLOCKED, "General"),
        (TEXT_INPUT_STYLE, INPUT_FILL, UNLOCKED, TEXT_FORMAT),
    )
    for name, fill, protection, number_format in styles:
        style = NamedStyle(name=name, font=FONT, fill=fill, border=BORDER, alignment=WRAP)
        style.protection = protection
        style.number_format = number_format
        workbook.add_named_style(style)
    return workbook


def first_sheet(workbook: Workbook) -> Worksheet:
    """The sheet a new workbook opens with (openpyxl's ``active`` may also be a chart sheet, or none)."""
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    return sheet


def _writable(cell: Cell | MergedCell) -> Cell:
    """``sheet.cell()`` gives a read-only MergedCell inside a merged range: writing there is a layout bug."""
    assert isinstance(cell, Cell), f"{cell.coordinate} lies inside a merged range"
    return cell


def label(cell: Cell | MergedCell, value: Any, font: Font = FONT) -> Cell:
    """A locked cell: a label, a header, a generated value."""
    cell = _writable(cell)
    cell.value = value
    cell.style = LABEL_STYLE
    if font is not FONT:
        cell.font = font
    return cell


def input_cell(cell: Cell | MergedCell, value: Any = None, text: bool = False) -> Cell:
    """A yellow, unlocked cell to fill; ``text`` keeps what is typed as text (no date or number guessing)."""
    cell = _writable(cell)
    cell.value = value
    cell.style = TEXT_INPUT_STYLE if text else INPUT_STYLE
    return cell


def protect(sheet: Worksheet, *, insert_rows: bool = False, delete_rows: bool = False) -> None:
    """Sheet protection without a password; column widths and row heights stay adjustable."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    protection.insertRows = not insert_rows
    protection.deleteRows = not delete_rows


def fit_rows(sheet: Worksheet, first_row: int = FIRST_ROW) -> None:
    """Row heights for the wrapped text the rows hold. Office programs do not all size rows on opening a
    file (LibreOffice keeps the default height), so long paragraphs would hide behind their neighbours;
    rows left empty keep an automatic height and grow as the clerk types."""
    merged = {cell for cells in sheet.merged_cells.ranges for cell in cells.cells}
    for number, row in enumerate(sheet.iter_rows(min_row=first_row), start=first_row):
        lines = 0
        for cell in row:
            if not isinstance(cell.value, str) or (cell.row, cell.column) in merged:
                continue
            width = sheet.column_dimensions[cell.column_letter].width or 10
            size = cell.font.size or 12
            per_line = max(1, int(width * 1.2 * 11 / size) - 2)
            lines = max(lines, sum(-(-len(part) // per_line) or 1 for part in cell.value.split("\n")))
        if lines > 1:
            sheet.row_dimensions[number].height = lines * 15.5 + 2


def print_setup(sheet: Worksheet) -> None:
    """Printed landscape, one page wide, the header row repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.page_setup.fitToPage = True
    sheet.print_title_rows = f"{FIRST_ROW - 1}:{FIRST_ROW - 1}"


def whole_number(minimum: int = 0) -> DataValidation:
    return DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1=str(minimum),
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="Cần số nguyên",
        error=f"Gõ một số nguyên từ {minimum} trở lên, không có dấu chấm hay dấu phẩy (ví dụ 1601).",
        showInputMessage=True,
        promptTitle="Số nguyên",
        prompt=f"Số nguyên từ {minimum} trở lên, ví dụ 1601. Để trống nếu không có số liệu.",
    )


def _level_from_1_to_9(error_title: str, error: str, prompt_title: str, prompt: str) -> DataValidation:
    """A heading's or a list item's level: a whole number from 1 to 9, or empty."""
    return DataValidation(
        type="whole",
        operator="between",
        formula1="1",
        formula2="9",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=error_title,
        error=error,
        showInputMessage=True,
        promptTitle=prompt_title,
        prompt=prompt,
    )


def percentage() -> DataValidation:
    return DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="Cần tỷ lệ từ 0 đến 100",
        error="Gõ tỷ lệ phần trăm từ 0 đến 100, ví dụ 47,37 hoặc 47,37%.",
        showInputMessage=True,
        promptTitle="Tỷ lệ %",
        prompt="Từ 0 đến 100, ví dụ 47,37 hoặc 47,37%. Để trống nếu chương trình tự tính được.",
    )


def decimal() -> DataValidation:
    return DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="-1E+15",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="Cần một số",
        error="Gõ một số, phần thập phân sau dấu phẩy, ví dụ 12,5.",
        showInputMessage=True,
        promptTitle="Số",
        prompt="Một số, ví dụ 12,5.",
    )


def prompt(title: str, text: str) -> DataValidation:
    """No restriction, only a hint shown when the cell is selected."""
    return DataValidation(showInputMessage=True, promptTitle=title, prompt=text, allow_blank=True)


class Lists:
    """Drop-down lists live on a hidden, locked sheet: long answers and commas are then no problem."""

    def __init__(self, workbook: Workbook) -> None:
        self.sheet = workbook.create_sheet(LISTS_SHEET)
        self.sheet.sheet_state = "hidden"
        protect(self.sheet)
        self.ranges: dict[tuple[str, ...], str] = {}

    def validation(self, entries: tuple[str, ...], title: str, text: str) -> DataValidation:
        if entries not in self.ranges:
            column = len(self.ranges) + 1
            for row, entry in enumerate(entries, start=1):
                self.sheet.cell(row, column, entry)
            letter = get_column_letter(column)
            self.ranges[entries] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$1:${letter}${len(entries)}"
        return DataValidation(
            type="list",
            formula1=self.ranges[entries],
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle="Chọn trong danh sách",
            error="Bấm mũi tên bên phải ô và chọn một giá trị trong danh sách.",
            showInputMessage=True,
            promptTitle=title,
            prompt=text,
        )


def answers(indicator: Indicator) -> tuple[str, ...]:
    """The drop-down entries of a coded answer: "0 – Chưa", "1 – Hoàn thành"."""
    return tuple(f"{n} – {answer}" for n, answer in sorted(indicator.codes.items()))


def figure_cell_value(value: Any, indicator: Indicator | None) -> Any:
    """A figure as the cell holds it: codes as their drop-down entry, text as typed, numbers as numbers."""
    if (
        indicator is not None
        and indicator.type == "code"
        and isinstance(value, int)
        and value in indicator.codes
    ):
        return f"{value} – {indicator.codes[value]}"
    return value


def figure_validation(indicator: Indicator, lists: Lists) -> DataValidation | None:
    if indicator.type in ("integer", "money"):
        return whole_number()
    if indicator.type == "percentage":
        return percentage()
    if indicator.type == "decimal":
        return decimal()
    if indicator.type == "code":
        return lists.validation(answers(indicator), "Chọn câu trả lời", "Bấm mũi tên để chọn.")
    return None


class Validations:
    """One data validation per kind of input, each covering all its cells (Excel keeps them in one list)."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.by_key: dict[str, DataValidation] = {}

    def add(self, key: str, make: Any, cell: str) -> None:
        if key not in self.by_key:
            validation = make()
            if validation is None:
                return
            self.by_key[key] = validation
            self.sheet.add_data_validation(validation)
        self.by_key[key].add(cell)


def derivations(profile: Profile, level: str) -> dict[str, str]:
    """For each figure a rule can compute: how, in the words of the "Cách nhập" column."""
    found: dict[str, str] = {}
    for rule in profile.spec.rules:
        if rule.levels and level not in rule.levels:
            continue
        if isinstance(rule, RateRule):
            part = " + ".join(rule.part)
            part = f"({part})" if len(rule.part) > 1 else part
            found[rule.target] = f"{part} / {rule.whole} × 100"
        elif isinstance(rule, SumRule):
            found[rule.total] = " + ".join(rule.parts)
    return found


def how_to_fill(indicator: Indicator, derived: str | None) -> str:
    text = {
        "integer": "Số nguyên ≥ 0.",
        "money": "Số tiền (đồng), số nguyên ≥ 0.",
        "decimal": "Một số, phần thập phân sau dấu phẩy.",
        "percentage": "Tỷ lệ % từ 0 đến 100, ví dụ 47,37 hoặc 47,37%.",
        "code": "Chọn trong danh sách.",
        "text": "Ghi bằng chữ.",
    }[indicator.type or "integer"]
    if derived:
        text += f" Để trống để chương trình tự tính = {derived}."
    return text


# --- one report -------------------------------------------------------------------------------------


def build_workbook(report: Report, unit: Unit, profile: Profile, previous: Report | None = None) -> Workbook:
    """The workbook of ``report``; with ``previous``, the figures of that report beside the input column."""
    workbook = new_workbook()
    guide = first_sheet(workbook)
    guide.title = GUIDE_SHEET
    lists = Lists(workbook)
    subtitle = f"{unit.name} — {report.period.label}"
    _info_sheet(workbook.create_sheet(INFO_SHEET, 1), report, unit, profile, lists, subtitle)
    _body_sheet(workbook.create_sheet(BODY_SHEET, 2), report, lists, subtitle)
    _figures_sheet(workbook.create_sheet(FIGURES_SHEET, 3), report, unit, profile, lists, subtitle, previous)
    _guide_sheet(guide, subtitle)
    workbook.active = 1
    workbook.properties.title = f"Dữ liệu báo cáo CCHC — {subtitle}"
    workbook.properties.creator = "cchc"
    return workbook


def write_report_workbook(
    target: Path, report: Report, unit: Unit, profile: Profile, previous: Report | None = None
) -> None:
    save_workbook(build_workbook(report, unit, profile, previous), target)


# --- "Thông tin chung" --------------------------------------------------------------------------------


def _signer_text(signer: Signer) -> str:
    parts = [f"{signer.authority} {signer.on_behalf}".strip(), signer.title, signer.own_position, signer.name]
    return ", ".join(p for p in parts if p)


def _date_text(report: Report) -> str | None:
    date = report.date
    if date.day is not None:
        return f"{date.day:02d}/{date.month:02d}/{date.year}"
    if date.month is not None:
        return f"{date.month}/{date.year}"
    return None


def _info_values(report: Report) -> dict[str, list[Any]]:
    signer = report.signer
    return {
        "unit": [report.unit],
        "period": [report.period.code],
        "profile": [report.profile],
        "number": [report.number],
        "date": [_date_text(report)],
        "title": list(report.title or []),
        "recipients": list(report.recipients or []),
        "lead_in": list(report.lead_in),
        "data_window": [None if report.data_window is None else YES if report.data_window else NO],
        "closing": [NO_CLOSING if report.closing is False else report.closing],
        "distribution": list(report.distribution or []),
        "archive": [", ".join(report.archive) if report.archive else None],
        "authority": [signer.authority or None] if signer else [None],
        "on_behalf": [signer.on_behalf or None] if signer else [None],
        "title_of_signer": [signer.title] if signer else [None],
        "own_position": [signer.own_position or None] if signer else [None],
        "name": [signer.name] if signer else [None],
        "numbering": [", ".join(NUMBERING_LABELS[s] for s in report.numbering) if report.numbering else None],
        "appendix": [YES if report.appendix else NO],
    }


def _key(info_field: InfoField) -> str:
    return "title_of_signer" if info_field.path == ("signer", "title") else info_field.path[-1]


# Empty rows left under fields with several values, for the clerk to fill.
_SPARE = {"title": 1, "recipients": 1, "lead_in": 2, "distribution": 2}


def _hints(report: Report, unit: Unit, profile: Profile) -> dict[str, str]:
    def default(values: list[str]) -> str:
        return "; ".join(values) if values else "(không có)"

    numbering = ", ".join(NUMBERING_LABELS[s] for s in profile.spec.numbering)
    return {
        "unit": f"{unit.short_name}. Không sửa.",
        "period": f"{report.period.label[0].upper()}{report.period.label[1:]}. Không sửa.",
        "profile": f"Để trống: bộ mẫu theo kỳ báo cáo ({profile.name}).",
        "number": "Số đăng ký văn bản, ví dụ 232. Để trống để văn thư điền khi vào sổ.",
        "date": "Ngày/tháng/năm, ví dụ 06/12/2023. Gõ tháng/năm (ví dụ 9/2026) để trống ngày.",
        "title": "Để trống: trích yếu mặc định của bộ mẫu. Nhiều ô: mỗi ô in thành một dòng.",
        "recipients": f"Mỗi nơi một ô. Để trống: {default(unit.recipients)}.",
        "lead_in": "Các đoạn “Thực hiện …” trước mục I, mỗi đoạn một ô. Chèn thêm dòng nếu cần.",
        "data_window": f"Có: in dòng “(số liệu tính từ … đến …)” dưới trích yếu, theo kỳ báo cáo. Để trống: "
        f"{YES if profile.spec.data_window else NO} (theo bộ mẫu).",
        "closing": f"Để trống: câu kết mặc định của bộ mẫu. Gõ {NO_CLOSING} nếu báo cáo không có câu kết "
        "(dấu ./. đặt cuối đoạn cuối cùng). Không gõ “./.”.",
        "distribution": f"Mỗi nơi một ô (“Như trên” tự thêm). Để trống: {default(unit.distribution)}.",
        "archive": f"Cách nhau bởi dấu phẩy, ví dụ VT, VP. Để trống: {', '.join(unit.archive)}.",
        "authority": f"TM., KT., Q., TL., TUQ. hoặc để trống. Để trống cả 5 ô người ký: "
        f"{_signer_text(unit.signer)}.",
        "on_behalf": "Ví dụ: Ủy ban nhân dân (sau TM.), Chủ tịch (sau KT.).",
        "title_of_signer": "Ví dụ: Chủ tịch, Phó Chủ tịch.",
        "own_position": "Dòng chức vụ riêng phía trên tên (nếu có).",
        "name": "Họ và tên, không ghi học hàm, học vị. Để trống (khi đã ghi chức vụ) để ghi tay sau.",
        "numbering": f"Ví dụ: I., 1., a) hoặc I., 1., 1.1., a). Để trống: {numbering}.",
        "appendix": "Có: in phụ lục số liệu (sheet Số liệu) sau báo cáo.",
    }


def _info_sheet(
    sheet: Worksheet, report: Report, unit: Unit, profile: Profile, lists: Lists, subtitle: str
) -> None:
    title_rows(
        sheet,
        "THÔNG TIN CHUNG CỦA BÁO CÁO",
        subtitle,
        "Gõ vào các ô màu vàng; ô để trống thì dùng mặc định ghi ở cột Hướng dẫn. Chèn thêm dòng dưới "
        "một mục có nhiều ô (Kính gửi, Đoạn mở đầu, Nơi nhận) nếu cần.",
        3,
    )
    widths(sheet, [26, 80, 52])
    header(sheet, FIRST_ROW - 1, INFO_HEADER)
    values = _info_values(report)
    hints = _hints(report, unit, profile)
    validations = Validations(sheet)
    row = FIRST_ROW
    for info_field in INFO_FIELDS:
        key = _key(info_field)
        entries = values[key] + [None] * _SPARE.get(key, 0)
        for index, value in enumerate(entries):
            label(sheet.cell(row, 1), info_field.label, BOLD)
            cell = sheet.cell(row, 2)
            if info_field.locked:
                label(cell, value)
            else:
                input_cell(cell, value, text=key != "number")
            label(sheet.cell(row, 3), hints[key] if index == 0 else None, HINT)
            if key == "number":
                validations.add(key, lambda: whole_number(1), cell.coordinate)
            elif key == "authority":
                validations.add(
                    key,
                    lambda: lists.validation(AUTHORITIES, "Quyền hạn ký", "Để trống nếu ký không thay ai."),
                    cell.coordinate,
                )
            elif key in ("appendix", "data_window"):
                validations.add(
                    "yes_no",
                    lambda: lists.validation((YES, NO), "Có hoặc Không", "Chọn Có hoặc Không."),
                    cell.coordinate,
                )
            elif key == "date":
                validations.add(
                    key, lambda: prompt("Ngày ký", "Ví dụ 06/12/2023, hoặc 9/2026."), cell.coordinate
                )
            row += 1
    sheet.freeze_panes = f"A{FIRST_ROW}"
    fit_rows(sheet)
    print_setup(sheet)
    protect(sheet, insert_rows=True)


# --- "Nội dung" ---------------------------------------------------------------------------------------


@dataclass
class _BodyRow:
    kind: Kind | str  # a string for a heading with options, or a table with its own numbering-column header
    cells: list[str | Decimal]
    indent: int
    level: int | None = None
    key: str | None = None
    list_level: int | None = None
    # Of a "Nhóm cột" row: how many cells each of its groups spans (1 for a column of no group).
    spans: list[int] | None = None


def _table_kind(table: Table, default: str) -> Kind | str:
    if table.number_column is None:
        return Kind.TABLE_PLAIN
    if table.number_column == default:
        return Kind.TABLE
    return f"{CUSTOM_TABLE} {table.number_column}"


def _table_rows(table: Table, default: str, indent: int, list_level: int | None = None) -> Iterator[_BodyRow]:
    if any(isinstance(column, ColumnGroup) for column in table.columns):
        titles: list[str | Decimal] = []
        spans: list[int] = []
        for column in table.columns:
            if isinstance(column, ColumnGroup):
                titles += [column.title] + [""] * (len(column.columns) - 1)
                spans.append(len(column.columns))
            else:
                titles.append("")
                spans.append(1)
        yield _BodyRow(Kind.GROUPS, titles, indent, list_level=list_level, spans=spans)
    yield _BodyRow(_table_kind(table, default), list(table.leaves), indent, list_level=list_level)
    if table.widths is not None:
        yield _BodyRow(Kind.WIDTHS, list(table.widths), indent)
    for row in table.rows:
        yield _BodyRow(Kind.TABLE_ROW, list(row), indent)


def _list_rows(block: ListBlock, depth: int, indent: int) -> Iterator[_BodyRow]:
    """A list ``depth`` lists deep: its level is written where its marker alone would give another."""
    marker = block.marker or MARKERS[(depth - 1) % len(MARKERS)]
    written = None if MARKERS.index(marker) + 1 == depth else depth
    for entry in block.entries:
        item = entry if isinstance(entry, ListItem) else ListItem(text=entry)
        yield _BodyRow(ITEM_KINDS[marker], [item.text], indent + depth - 1, list_level=written)
        if item.sub:
            yield from _list_rows(ListBlock.model_construct(entries=item.sub, marker=None), depth + 1, indent)
        for inner in item.content:
            yield from _block_rows(inner, indent + depth, depth)


def _block_rows(block: Any, indent: int, list_level: int | None = None) -> Iterator[_BodyRow]:
    """The rows of a block; ``list_level`` is the depth of the list item that holds it."""
    if isinstance(block, str):
        yield _BodyRow(Kind.TEXT, [block], indent, list_level=list_level)
    elif isinstance(block, SubheadingBlock):
        yield _BodyRow(Kind.SUBHEADING, [block.subheading], indent, list_level=list_level)
    elif isinstance(block, ListBlock):
        yield from _list_rows(block, (list_level or 0) + 1, indent - (list_level or 0))
    elif isinstance(block, NumberedBlock):
        for text in block.numbered:
            yield _BodyRow(Kind.NUMBERED, [text], indent, list_level=list_level)
    elif isinstance(block, TableBlock):
        yield from _table_rows(block.table, "TT", indent, list_level)
    elif isinstance(block, ImageBlock):
        # The default width is left out, as a data file leaves it out, so that conversions keep the file.
        width = [block.width_cm] if block.width_cm != ImageBlock.model_fields["width_cm"].default else []
        yield _BodyRow(Kind.IMAGE, [block.image, block.caption or "", *width], indent, list_level=list_level)


def _same_group(block: Any, previous: Any) -> bool:
    """Whether ``block`` would be read as going on with ``previous``: a list of the same marker, or numbered
    paragraphs after numbered paragraphs."""
    if isinstance(block, ListBlock) and isinstance(previous, ListBlock):
        return block.marker == previous.marker
    return isinstance(block, NumberedBlock) and isinstance(previous, NumberedBlock)


def body_rows(report: Report) -> list[_BodyRow]:
    """The narrative as rows. A row belongs to the heading above it, so a row that belongs to an outer
    heading (after a sub-heading) carries its level, and so does a group that follows a group of the
    same kind (two lists in a row stay two lists)."""
    rows: list[_BodyRow] = []
    open_level = 0

    def heading(item: Heading, level: int) -> None:
        nonlocal open_level
        kind = heading_kind(item.numbering, item.own_heading)
        rows.append(_BodyRow(kind, [item.heading], level - 1, level, item.key))
        if item.text:
            rows.append(_BodyRow(Kind.RUN_IN, [item.text], level))
        open_level = level
        if not item.content:
            rows.extend(_BodyRow(Kind.TEXT, [""], level) for _ in range(2))
        previous: Any = None
        for block in item.content:
            if isinstance(block, Heading):
                heading(block, level + 1)
            else:
                start = len(rows)
                rows.extend(_block_rows(block, level))
                if open_level != level or _same_group(block, previous):
                    rows[start].level = level
                open_level = level
            previous = block

    for section in report.sections:
        heading(section, 1)
    for appendix in report.appendices:
        rows.extend(_BodyRow(Kind.APPENDIX, [line], 0) for line in appendix.title)
        rows.extend(_table_rows(appendix, "STT", 0))
    return rows


_IMAGE_PROMPTS = (
    "Tệp PNG hoặc JPEG, đặt cùng thư mục với bảng tính, ví dụ bieu-do.png.",
    "In dưới ảnh, ví dụ: Biểu đồ 1. Tỷ lệ hồ sơ giải quyết đúng hạn. Để trống nếu không cần.",
    "Từ 2 đến 16,5; để trống: 15 cm.",
)
_PLAIN_ROWS = (Kind.TEXT, *ITEM_MARKERS, Kind.NUMBERED, Kind.TABLE_ROW, Kind.RUN_IN, Kind.WIDTHS)
_TEXT_COLUMN = BODY_HEADER.index(TEXT) + 1


def _body_sheet(sheet: Worksheet, report: Report, lists: Lists, subtitle: str) -> None:
    rows = body_rows(report)
    table_width = max([len(r.cells) for r in rows] + [TABLE_COLUMNS_SHOWN])
    names = [*BODY_HEADER, *(f"Cột {n}" for n in range(2, table_width + 1))]
    title_rows(
        sheet,
        "NỘI DUNG BÁO CÁO",
        subtitle,
        "Mỗi dòng một đoạn. Đề mục ghi Cấp (1: I., 2: 1., 3: a)…); không gõ số thứ tự. Chèn dòng để thêm "
        "đoạn, xóa dòng để bỏ đoạn. Bảng: tên cột ở dòng “Bảng”, mỗi dòng bảng một dòng. Xem sheet "
        "Hướng dẫn.",
        len(names),
    )
    widths(sheet, [7, 22, 14, 8, 90] + [18] * (table_width - 1))
    header(sheet, FIRST_ROW - 1, names)
    validations = Validations(sheet)
    kinds = (*(kind.value for kind in Kind), *HEADING_WITH_NUMBERING.values(), heading_kind(None, True))
    last = FIRST_ROW + len(rows) + SPARE_BODY_ROWS - 1
    for row in range(FIRST_ROW, last + 1):
        for column in range(1, len(names) + 1):
            input_cell(sheet.cell(row, column), text=column not in (1, 4))
    for offset, body_row in enumerate(rows):
        row = FIRST_ROW + offset
        kind = body_row.kind.value if isinstance(body_row.kind, Kind) else body_row.kind
        sheet.cell(row, 1).value = body_row.level
        sheet.cell(row, 2).value = kind
        sheet.cell(row, 3).value = body_row.key
        sheet.cell(row, 4).value = body_row.list_level
        for column, text in enumerate(body_row.cells, start=_TEXT_COLUMN):
            sheet.cell(row, column).value = text if text != "" else None
        text_cell = sheet.cell(row, _TEXT_COLUMN)
        text_cell.alignment = Alignment(wrap_text=True, vertical="top", indent=body_row.indent)
        if (isinstance(body_row.kind, str) and not body_row.kind.startswith(CUSTOM_TABLE)) or (
            body_row.kind in (Kind.HEADING, Kind.SUBHEADING)
        ):
            for column in range(1, len(names) + 1):
                sheet.cell(row, column).font = BOLD
        elif body_row.kind is Kind.IMAGE:
            # The columns to the right are named "Cột 2", "Cột 3"; a prompt says what they hold here.
            cells = enumerate(zip(IMAGE_CELLS.values(), _IMAGE_PROMPTS, strict=True), _TEXT_COLUMN)
            for column, (name, text) in cells:
                validations.add(
                    name, partial(prompt, name.capitalize(), text), sheet.cell(row, column).coordinate
                )
        elif body_row.kind not in _PLAIN_ROWS:
            for column in range(_TEXT_COLUMN, _TEXT_COLUMN + len(body_row.cells)):
                sheet.cell(row, column).font = BOLD
        if body_row.spans:
            column = _TEXT_COLUMN
            for span in body_row.spans:
                if span > 1:
                    sheet.merge_cells(
                        start_row=row, start_column=column, end_row=row, end_column=column + span - 1
                    )
                column += span
    validations.add(
        "level",
        lambda: _level_from_1_to_9(
            "Cấp đề mục",
            "Cấp là một số từ 1 đến 9: 1 cho mục I., 2 cho mục 1., 3 cho a)…",
            "Cấp",
            "Đề mục: 1 (I.), 2 (1.), 3 (a)). Dòng khác: để trống (thuộc đề mục ngay trên).",
        ),
        f"A{FIRST_ROW}:A{last}",
    )
    validations.add(
        "kind",
        lambda: lists.validation(kinds, "Loại dòng", "Để trống: đoạn văn."),
        f"B{FIRST_ROW}:B{last}",
    )
    validations.add(
        "list_level",
        lambda: _level_from_1_to_9(
            "Cấp ý",
            "Cấp ý là một số từ 1 đến 9: 1 cho ý “-”, 2 cho ý “+” bên trong, 3 cho ý “*”…",
            "Cấp ý",
            "Ý “-”, “+”, “*”: để trống. Đoạn văn, bảng nằm trong một ý: cấp của ý đó (1, 2…).",
        ),
        f"D{FIRST_ROW}:D{last}",
    )
    sheet.freeze_panes = f"{get_column_letter(_TEXT_COLUMN)}{FIRST_ROW}"
    fit_rows(sheet)
    print_setup(sheet)
    protect(sheet, insert_rows=True, delete_rows=True)


# --- "Số liệu" ----------------------------------------------------------------------------------------


def _figures_sheet(
    sheet: Worksheet,
    report: Report,
    unit: Unit,
    profile: Profile,
    lists: Lists,
    subtitle: str,
    previous: Report | None,
) -> None:
    names = list(FIGURES_HEADER)
    if previous is not None:
        names.append(f"{PREVIOUS} ({previous.period.label})")
    title_rows(
        sheet,
        "SỐ LIỆU CHỈ TIÊU (PHỤ LỤC)",
        subtitle,
        "Gõ số liệu vào cột Số liệu (ô vàng). Ô để trống: không có số liệu; số 0 là có số liệu bằng 0. "
        "Tỷ lệ, tổng tính được thì để trống. Đoạn văn trích số liệu bằng {mã chỉ tiêu}.",
        len(names),
    )
    widths(sheet, [8, 60, 16, 14, 36, 26, 40] + ([16] if previous else []))
    header(sheet, FIRST_ROW - 1, names)
    catalogue = list(indicator_rows(profile.spec.appendix.indicators)) if profile.spec.appendix else []
    known = {r.indicator.code for r in catalogue if r.indicator.code}
    extra = [c for c in dict.fromkeys([*report.figures, *report.figure_notes]) if c not in known]
    derived = derivations(profile, unit.level)
    validations = Validations(sheet)
    row = FIRST_ROW
    for item in catalogue:
        _figure_row(
            sheet, row, item.stt, item.indicator, item.depth, report, previous, derived, lists, validations
        )
        row += 1
    for code in extra:
        stray = Indicator(code=code, label="(chỉ tiêu không có trong danh mục của bộ mẫu)", type="text")
        _figure_row(sheet, row, "", stray, 0, report, previous, derived, lists, validations)
        row += 1
    sheet.freeze_panes = f"C{FIRST_ROW}"
    fit_rows(sheet)
    print_setup(sheet)
    protect(sheet)


def _figure_row(
    sheet: Worksheet,
    row: int,
    stt: str,
    indicator: Indicator,
    depth: int,
    report: Report,
    previous: Report | None,
    derived: dict[str, str],
    lists: Lists,
    validations: Validations,
) -> None:
    code = indicator.code
    group = bool(indicator.items) and not code
    font = BOLD if indicator.items else FONT
    label(sheet.cell(row, 1), stt, font)
    label(sheet.cell(row, 2), indicator.plain_label, font).alignment = Alignment(
        wrap_text=True, vertical="top", indent=depth
    )
    label(sheet.cell(row, 3), indicator.unit or None)
    if code is None:
        for column in (4, 5, 6, 7):
            label(sheet.cell(row, column), None)
    else:
        value = input_cell(sheet.cell(row, 4), figure_cell_value(report.figures.get(code), indicator))
        input_cell(sheet.cell(row, 5), report.figure_notes.get(code), text=True)
        label(sheet.cell(row, 6), code)
        label(sheet.cell(row, 7), how_to_fill(indicator, derived.get(code)), HINT)
        validations.add(
            f"{indicator.type}:{answers(indicator)}",
            lambda: figure_validation(indicator, lists),
            value.coordinate,
        )
    if previous is not None:
        before = previous.figures.get(code) if code else None
        label(sheet.cell(row, 8), figure_cell_value(before, indicator))
    if group:
        for column in range(1, sheet.max_column + 1):
            sheet.cell(row, column).fill = GROUP_FILL


# --- "Hướng dẫn" --------------------------------------------------------------------------------------

GUIDE = [
    ("Bảng tính này dùng để làm gì", True),
    (
        "Bảng tính chứa dữ liệu của một báo cáo cải cách hành chính: điền xong, lưu lại (giữ định dạng "
        ".xlsx) rồi gửi cho người tạo báo cáo. Chương trình cchc đọc bảng tính và in báo cáo đúng thể thức "
        "Nghị định 30/2020/NĐ-CP: cchc render <tệp.xlsx>. Kiểm tra trước: cchc kiem-tra <tệp.xlsx>.",
        False,
    ),
    ("Quy tắc chung", True),
    (
        "- Chỉ gõ vào các ô màu vàng. Các ô khác được khóa (không cần mật khẩu) để giữ cấu trúc bảng tính.",
        False,
    ),
    (
        "- Không đổi tên hay xóa các dòng tiêu đề (dòng có nền xanh); thêm, bớt, sắp xếp sheet không sao.",
        False,
    ),
    (
        "- Không gõ số thứ tự đề mục (I., 1., a)), STT của bảng, dấu “- ” hay “+ ” đầu dòng, dấu “./.” cuối "
        "câu kết: chương trình tự thêm.",
        False,
    ),
    ("- Ô nào có danh sách chọn (mũi tên bên phải ô) thì bấm mũi tên để chọn.", False),
    ("Sheet “Thông tin chung”", True),
    (
        "Số, ngày ký, trích yếu, Kính gửi, các đoạn mở đầu, câu kết, Nơi nhận, người ký. Ô để trống thì "
        "chương trình dùng mặc định của đơn vị hoặc của bộ mẫu (ghi ở cột Hướng dẫn). Mục có nhiều giá trị "
        "(Kính gửi, Đoạn mở đầu, Nơi nhận) ghi mỗi giá trị một ô; cần thêm thì chèn dòng ngay dưới.",
        False,
    ),
    ("Sheet “Nội dung”", True),
    (
        "Mỗi dòng là một đoạn của báo cáo, theo thứ tự in. Cột Loại cho biết dòng là gì: Đề mục, Đoạn văn "
        "(để trống Loại cũng là đoạn văn), Gạch đầu dòng (-), Ý nhỏ (+), Ý nhỏ hơn (*), Đánh số (1., 2.), "
        "Tiêu đề không số, Đoạn liền đề mục, Bảng, Nhóm cột, Độ rộng cột (cm) và Dòng bảng, Ảnh, Phụ lục.",
        False,
    ),
    (
        "Danh sách lồng nhau: ý “+” nằm trong ý “-” ngay trên nó, ý “*” nằm trong ý “+”. Một đoạn văn, bảng "
        "hay danh sách nằm trong một ý thì ghi cột Cấp ý: 1 là trong ý “-”, 2 là trong ý “+” bên trong… (để "
        "trống: không thuộc ý nào). Ý có dấu khác cấp của nó (ví dụ ý “*” ở ngoài cùng) thì ghi Cấp ý của "
        "chính nó.",
        False,
    ),
    (
        "Tiêu đề không số: một dòng tiêu đề không đánh số, không làm lệch số các đề mục. Đoạn liền đề mục "
        "(ngay dưới dòng Đề mục): đoạn văn in trên cùng dòng với đề mục, sau dấu “:”. Chữ đậm, nghiêng: gõ "
        "**chữ đậm**, *chữ nghiêng* ngay trong ô; gõ \\* để in dấu sao.",
        False,
    ),
    (
        "Đề mục khớp với đề cương của bộ mẫu được in theo tên trong đề cương; chọn Loại “Đề mục, giữ nguyên "
        "tên” để in đúng tên đã gõ.",
        False,
    ),
    (
        "Đề mục ghi Cấp: 1 là mục lớn (I., II.), 2 là mục nhỏ (1., 2.), 3 là điểm (a), b)). Các dòng khác "
        "để trống Cấp: chúng thuộc đề mục ngay phía trên. Chỉ ghi Cấp cho dòng khác khi đoạn đó thuộc một "
        "đề mục cấp trên (ví dụ đoạn kết của mục I sau các mục 1., 2.), hoặc để bắt đầu lại số thứ tự 1., 2.",
        False,
    ),
    (
        "Bảng: một dòng loại Bảng ghi tên các cột (cột Nội dung là cột thứ nhất, rồi Cột 2, Cột 3…), "
        "tiếp theo mỗi dòng của bảng là một dòng loại Dòng bảng. Cột TT (số thứ tự) tự sinh; chọn “Bảng "
        "không đánh số” nếu bảng không có cột TT.",
        False,
    ),
    (
        "Tiêu đề bảng hai dòng: ngay trên dòng Bảng, một dòng loại Nhóm cột ghi tên nhóm trên các cột của "
        "nhóm (gộp các ô đó, hoặc gõ cùng tên vào từng ô), để trống trên cột không thuộc nhóm. Chiều rộng "
        "cột: ngay dưới dòng Bảng, một dòng loại Độ rộng cột (cm) ghi chiều rộng từng cột (không tính cột "
        "TT); không có dòng này thì chương trình tự chia theo chữ của từng cột.",
        False,
    ),
    (
        "Ảnh (biểu đồ, ảnh chụp): một dòng loại Ảnh; cột Nội dung ghi tên tệp ảnh PNG hoặc JPEG (ví dụ "
        "bieu-do.png), Cột 2 ghi chú thích in dưới ảnh (để trống nếu không cần), Cột 3 ghi chiều rộng ảnh "
        "bằng xentimét, từ 2 đến 16,5 (để trống: 15 cm). Đặt tệp ảnh cùng thư mục với bảng tính (hoặc "
        "trong một thư mục con, ghi ví dụ anh/bieu-do.png) và gửi kèm bảng tính.",
        False,
    ),
    (
        "Phụ lục riêng (sau phụ lục số liệu): các dòng loại Phụ lục ghi tên phụ lục (mỗi dòng một dòng "
        "tên), ngay dưới là một dòng Bảng và các Dòng bảng của nó. Phụ lục đặt ở cuối sheet.",
        False,
    ),
    (
        "Cột Mã mục: để nguyên; chương trình dùng để nhận ra mục của đề cương khi tên mục được viết khác. "
        "Dòng để trống Nội dung thì bỏ qua; xóa các đề mục không dùng.",
        False,
    ),
    ("Sheet “Số liệu”", True),
    (
        "Mỗi dòng một chỉ tiêu của phụ lục thống kê; gõ số liệu vào cột Số liệu. Ô để trống là không có "
        "số liệu, số 0 là có số liệu bằng 0. Tỷ lệ và tổng tính được từ số liệu khác (xem cột Cách nhập) "
        "thì để trống, chương trình tự tính; nếu gõ thì phải khớp với phép tính.",
        False,
    ),
    (
        "Số gõ theo kiểu Việt Nam cũng được đọc đúng: 1.601 là một nghìn sáu trăm linh một, 47,37 là bốn "
        "mươi bảy phẩy ba mươi bảy, “30.000.000 đồng” là ba mươi triệu. Có thể dùng công thức (ví dụ "
        "=D12+D13): chương trình đọc kết quả Excel đã tính khi lưu tệp.",
        False,
    ),
    (
        "Đoạn văn trích số liệu bằng mã chỉ tiêu trong ngoặc nhọn, để đoạn văn và phụ lục luôn cùng một số: "
        "{kh_nhiem_vu} in 19; {kh_hoan_thanh:dem} in 09; {kh_hoan_thanh/kh_nhiem_vu} in 09/19; tỷ lệ in kèm "
        "dấu %.",
        False,
    ),
    ("Khi chương trình báo lỗi", True),
    (
        "Mỗi lỗi ghi tên sheet và ô, ví dụ “Sheet 'Số liệu', ô D14: …”, kèm cách sửa. Sửa đúng ô đó, lưu "
        "lại rồi chạy lại.",
        False,
    ),
]


def _guide_sheet(sheet: Worksheet, subtitle: str) -> None:
    title_rows(sheet, "HƯỚNG DẪN ĐIỀN BẢNG TÍNH", subtitle, "Đọc trước khi điền.", 1)
    widths(sheet, [120])
    for row, (text, heading) in enumerate(GUIDE, start=FIRST_ROW - 1):
        cell = sheet.cell(row, 1, text)
        cell.font = BOLD if heading else FONT
        cell.alignment = WRAP
    fit_rows(sheet)
    protect(sheet)
