"""Reading workbooks as clerks leave them, each value with its sheet and cell.

- A formula is read as the office program last computed it; a formula whose result the file does not
  hold (a file written by a program that does not calculate) or whose result is an error is a problem at
  its cell, never a silent empty value.
- Sheets are found by their header row, wherever they are and whatever they are named; hidden sheets are
  read too. Columns are found by their header text.
- Text is NFC with non-breaking and zero-width spaces made plain.
- A file that unpacks to far more than it weighs (a zip bomb), carries macros or stores far more cells than
  a report needs is refused before it is opened (:func:`~cchc_gen.source.safety.check_workbook`), and
  openpyxl parses the XML through defusedxml (a dependency), so entity expansion ("XML bombs") is refused
  instead of eating the memory.
- The layout reads the cells that hold a value, never the whole used range that one stray cell can
  stretch to XFD1048576.

openpyxl is imported when a workbook is opened, not with this module: loading a YAML report imports this
module (for the suffixes of workbooks) and must not pay for openpyxl.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zipfile import BadZipFile

from defusedxml import DefusedXmlException

from cchc_gen.errors import DataError, Problem
from cchc_gen.excel.layout import (
    BODY_SHEET,
    FIGURES_SHEET,
    KEY,
    KIND,
    LEVEL,
    OWN_HEADING,
    TEXT,
    Kind,
    clean,
    folded,
)
from cchc_gen.source.locations import as_written
from cchc_gen.source.safety import check_workbook
from cchc_gen.source.yaml_file import PathKey
from cchc_gen.vn import numbers

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
HEADER_SEARCH_ROWS = 60
HEADER_SEARCH_COLUMNS = 60
_RESAVE = "Mở tệp bằng Excel hoặc LibreOffice Calc và lưu lại dưới dạng Excel Workbook (.xlsx)."
# openpyxl's warning for a date-formatted cell whose number is no date (after 31/12/9999): the cell is then
# read as the error #VALUE!.
_DATE_OUT_OF_RANGE = re.compile(r"Cell (\w+) is marked as a date but the serial value (\S+) is outside")


@dataclass(frozen=True)
class CellRef:
    """A place in a workbook: a cell of a sheet, or the sheet itself."""

    sheet: str
    cell: str | None = None

    def __str__(self) -> str:
        return f"Sheet '{self.sheet}', ô {self.cell}" if self.cell else f"Sheet '{self.sheet}'"


@dataclass
class WorkbookSource:
    """A workbook as a data file: the cell of every value read from it, and the name of its field."""

    file: Path
    places: dict[PathKey, CellRef] = field(default_factory=dict)
    names: dict[PathKey, str] = field(default_factory=dict)

    @property
    def missing_fix(self) -> str:
        return "Điền giá trị vào ô này."

    def field(self, path: PathKey) -> str:
        where = self.where(path)
        return f"ô '{self.describe(path)}'" + (f" ({where})" if where else "")

    def figure_fix(self, code: str, label: str) -> str:
        place = self.places.get(("figures", code))
        if place is None:  # a workbook made from an older catalogue has no row for it
            return (
                f"Thêm vào sheet '{FIGURES_SHEET}' một dòng cho chỉ tiêu '{label}' (mã chỉ tiêu {code}) và "
                "điền số liệu."
            )
        return f"Điền số liệu '{label}' (mã chỉ tiêu {code}) vào {place}."

    def section_fix(self, title: str, key: str) -> str:
        body = self.places.get(("sections",))
        sheet = body.sheet if body else BODY_SHEET
        return (
            f"Thêm vào sheet '{sheet}' một dòng loại '{Kind.HEADING.value}', cột '{LEVEL}' ghi 1, "
            f"cột '{TEXT}' ghi '{title}' (hoặc cột '{KEY}' ghi '{key}'), và các dòng nội dung của mục ngay "
            "dưới nó."
        )

    def own_heading_fix(self, path: PathKey, keep: bool) -> str:
        own = f"{Kind.HEADING.value}, {OWN_HEADING}"
        if keep:
            return (
                f"Đổi cột '{KIND}' của dòng đề mục thành '{Kind.HEADING.value}' để in theo đề cương; giữ "
                f"'{own}' nếu cố ý viết khác."
            )
        return (
            f"Muốn in đúng chữ đã viết thì chọn cột '{KIND}' của dòng này là '{own}'; nếu không, không cần "
            "làm gì (hoặc sửa đề mục cho giống đề cương)."
        )

    def record(self, path: PathKey, place: CellRef, name: str | None = None) -> None:
        self.places[path] = place
        if name:
            self.names[path] = name

    def where(self, path: PathKey) -> str | None:
        found = _nearest(self.places, as_written(path, self.places))
        return str(found) if found else None

    def describe(self, path: PathKey) -> str:
        return _nearest(self.names, path) or ".".join(str(p) for p in path)


def _nearest(table: dict[PathKey, Any], path: PathKey) -> Any:
    while True:
        if path in table:
            return table[path]
        if not path:
            return None
        path = path[:-1]


class Workbooks:
    """One file as written (with its formulas) and, only when a formula is read, as last computed."""

    def __init__(self, file: Path) -> None:
        self.file = file
        # Cells formatted as dates whose number is past the year 9999, and that number, by coordinate.
        self.bad_dates: dict[str, str] = {}
        self.formulas = self._load(data_only=False)
        self._values: Workbook | None = None

    @property
    def values(self) -> Workbook:
        """The same file with the results of formulas as the office program saved them."""
        if self._values is None:
            self._values = self._load(data_only=True)
        return self._values

    def _load(self, data_only: bool) -> Workbook:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            book = _load(self.file, data_only)
        for warning in caught:
            if found := _DATE_OUT_OF_RANGE.search(str(warning.message)):
                self.bad_dates[found[1]] = found[2]
        return book


def open_workbook(file: Path) -> Workbooks:
    """Open ``file``; a missing, old-format, damaged or hostile file is a :class:`DataError`."""
    if file.suffix.lower() == ".xls":
        raise DataError.single("Tệp Excel 97-2003 (.xls) không đọc được.", file=file, fix=_RESAVE)
    check_workbook(file)
    return Workbooks(file)


def _load(file: Path, data_only: bool) -> Workbook:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(file, data_only=data_only)
    except (DefusedXmlException, ValueError) as exc:
        # openpyxl reports unreadable XML as a ValueError caused by the parser's own error.
        if not isinstance(exc, DefusedXmlException) and not isinstance(exc.__cause__, DefusedXmlException):
            raise DataError.single(
                "Tệp không phải bảng tính Excel (.xlsx) hợp lệ.", file=file, fix=_RESAVE
            ) from None
        raise DataError.single(
            "Tệp có cấu trúc XML bị cấm (khai báo thực thể) — có thể là tệp độc hại; không đọc tệp này.",
            file=file,
            fix="Nhờ người gửi lưu lại bảng tính bằng Excel, hoặc nhập lại dữ liệu vào tệp tạo bằng "
            "cchc mau-excel.",
        ) from None
    except (InvalidFileException, BadZipFile, KeyError, TypeError, OSError):
        raise DataError.single(
            "Tệp không phải bảng tính Excel (.xlsx) hợp lệ.", file=file, fix=_RESAVE
        ) from None


# In a number format, what shows as itself: "text", \x, _x (a space as wide as x), *x (x repeated),
# [colour or condition].
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')


def shows_percent(number_format: str, value: float) -> bool:
    """Whether a cell's number format shows ``value`` times 100 with a "%": "0.00%" and '0.0" "%' do,
    '0.00"%"' and "0.00\\%" (a literal sign) do not. A negative value uses the format's second section."""
    sections = _FORMAT_LITERALS.sub("", number_format).split(";")
    section = sections[1] if value < 0 and len(sections) > 1 else sections[0]
    return "%" in section


def header_row(sheet: Worksheet, signature: Iterable[str]) -> tuple[int, dict[str, int]] | None:
    """The first row holding every header of ``signature``, and the column of each header text in it."""
    wanted = {folded(name) for name in signature}
    last_row = min(sheet.max_row, HEADER_SEARCH_ROWS)
    last_column = min(sheet.max_column, HEADER_SEARCH_COLUMNS)
    for number, row in enumerate(sheet.iter_rows(min_row=1, max_row=last_row, max_col=last_column), start=1):
        columns: dict[str, int] = {}
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip():
                columns.setdefault(folded(cell.value), cell.column)
        if wanted <= columns.keys():
            return number, columns
    return None


@dataclass(frozen=True)
class FoundSheet:
    """A sheet found by its header: the header row and the column of each header text."""

    cells: SheetCells
    header: int
    columns: dict[str, int]

    def column(self, name: str) -> int | None:
        return self.columns.get(folded(name))


def find_sheet(
    books: Workbooks, expected: str, signature: tuple[str, ...], problems: list[Problem]
) -> FoundSheet:
    """The sheet whose header row holds ``signature``. Two such sheets are refused, whatever their names:
    a copy left beside the sheet may hold other figures, and either could be the one the clerk meant."""
    found = [(sheet, hit) for sheet in books.formulas.worksheets if (hit := header_row(sheet, signature))]
    headers = ", ".join(f"'{name}'" for name in signature)
    if not found:
        raise DataError.single(
            f"Không tìm thấy sheet '{expected}' (sheet có dòng tiêu đề gồm {headers}).",
            file=books.file,
            fix="Khôi phục sheet này hoặc dòng tiêu đề của nó (Hoàn tác, hoặc chép từ một bảng tính mới "
            "tạo bằng cchc mau-excel).",
        )
    if len(found) > 1:
        names = ", ".join(f"'{sheet.title}'" for sheet, _ in found)
        raise DataError.single(
            f"Có nhiều sheet cùng dạng sheet '{expected}': {names}; không biết đọc sheet nào.",
            file=books.file,
            fix=f"Xóa các sheet thừa (hoặc xóa dòng tiêu đề của chúng), chỉ giữ một sheet '{expected}'.",
        )
    sheet, (row, columns) = found[0]
    cells = SheetCells(books, sheet.title, problems)
    return FoundSheet(cells, row, columns)


class SheetCells:
    """The values of one sheet as last computed, with the problems of each cell located by sheet and cell."""

    def __init__(self, books: Workbooks, title: str, problems: list[Problem]) -> None:
        self.books = books
        self.sheet = books.formulas[title]
        self.file = books.file
        self.problems = problems
        self.title = title
        self._reported: set[tuple[int, int, str]] = set()
        # The last column holding a value, of each row holding one. openpyxl keeps the cells stored in the
        # file in ``_cells``; its public iterators visit the whole used range, creating every cell of it.
        self._row_ends: dict[int, int] = {}
        for (row, column), cell in self.sheet._cells.items():
            if cell.value is not None and column > self._row_ends.get(row, 0):
                self._row_ends[row] = column

    def rows_after(self, row: int) -> list[int]:
        """The rows below ``row`` that hold a value, in order: the rows the layout reads."""
        return sorted(r for r in self._row_ends if r > row)

    def row_end(self, row: int) -> int:
        """The last column of ``row`` holding a value (0 for an empty row)."""
        return self._row_ends.get(row, 0)

    @property
    def last_column(self) -> int:
        """The last column holding a value, in any row."""
        return max(self._row_ends.values(), default=0)

    def ref(self, row: int, column: int | None = None) -> CellRef:
        from openpyxl.utils import get_column_letter

        return CellRef(self.title, f"{get_column_letter(column)}{row}" if column else None)

    def problem(self, row: int, column: int, message: str, fix: str | None) -> None:
        """Report a problem at a cell, once however often the cell is read."""
        if (row, column, message) not in self._reported:
            self._reported.add((row, column, message))
            self.problems.append(Problem(message, self.file, str(self.ref(row, column)), fix))

    def value(self, row: int, column: int) -> Any:
        """The cell's value (text cleaned, ``None`` when empty); formulas give their saved result."""
        cell = self.sheet.cell(row, column)
        value = cell.value
        if cell.data_type == "f":
            formula = value if isinstance(value, str) else "(công thức mảng)"
            cell = self.books.values[self.title].cell(row, column)
            value = cell.value
            if value is None:
                self.problem(
                    row,
                    column,
                    f"Ô có công thức {formula} nhưng tệp không lưu kết quả của công thức (tệp được ghi bởi "
                    "một chương trình không tính công thức).",
                    "Mở tệp bằng Excel hoặc LibreOffice Calc rồi lưu lại để công thức được tính, hoặc gõ "
                    "thẳng giá trị thay cho công thức.",
                )
                return None
        if cell.data_type == "e" and cell.coordinate in self.books.bad_dates:
            self.problem(
                row,
                column,
                f"Ô định dạng ngày tháng nhưng số {self.books.bad_dates[cell.coordinate]} không phải ngày "
                "nào (sau năm 9999).",
                "Gõ lại ngày theo kiểu dd/mm/yyyy, ví dụ 05/01/2024; nếu ô là số liệu thì đổi định dạng ô "
                "sang Number (Số).",
            )
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(
                row,
                column,
                "Số ở ô này quá lớn (vượt giới hạn số của Excel, khoảng 1,8 × 10^308).",
                "Gõ lại đúng con số cần ghi.",
            )
            return None
        if cell.data_type == "e":
            self.problem(
                row,
                column,
                f"Công thức ở ô này cho kết quả lỗi {value}.",
                "Sửa công thức, hoặc xóa công thức và gõ thẳng giá trị.",
            )
            return None
        if isinstance(value, str):
            return clean(value) or None
        return value

    def percent(self, row: int, column: int, value: Any) -> str | None:
        """A number in a percent-formatted cell as the cell shows it, else ``None``.

        Excel and LibreOffice store "46,34%" typed in a cell as 0.4634 and format the cell as a percentage;
        only the format tells 46,34% from 0,4634. The value is scaled exactly (no binary arithmetic) and
        keeps its digits: 0.4634 → "46,34%", 0.05 → "5%", 1 → "100%".
        """
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if not shows_percent(self.sheet.cell(row, column).number_format, value):
            return None
        return numbers.format_percent(numbers.parse_number(value) * 100, None)

    def text(self, row: int, column: int) -> str | None:
        """The cell as text: numbers as typed ("06" stays as text, 1601 gives "1601"), a percent-formatted
        number as shown ("46,34%"), dates dd/mm/yyyy."""
        value = self.value(row, column)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if (shown := self.percent(row, column, value)) is not None:
            return shown
        if isinstance(value, dt.datetime | dt.date):
            return f"{value:%d/%m/%Y}"
        if isinstance(value, float):
            if value.is_integer():
                return str(int(value))
            try:
                return numbers.format_number(Decimal(repr(value)))
            except numbers.NumberError as exc:  # 5e-324: hundreds of decimal places
                self.problem(row, column, f"Số ở ô này không dùng được: {exc}", "Gõ lại đúng con số cần ghi.")
                return None
        return str(value)

    def merged_anchor(self, row: int, column: int) -> tuple[int, int] | None:
        """The top left cell of the merged range that holds this cell, if any."""
        for merged in self.sheet.merged_cells.ranges:
            if merged.min_row <= row <= merged.max_row and merged.min_col <= column <= merged.max_col:
                return merged.min_row, merged.min_col
        return None

    def vertical_merge(self, row: int, column: int) -> str | None:
        """The merged range (``D14:D15``) spanning several rows that holds this cell, if any."""
        for merged in self.sheet.merged_cells.ranges:
            if (
                merged.max_row > merged.min_row
                and merged.min_row <= row <= merged.max_row
                and merged.min_col <= column <= merged.max_col
            ):
                return merged.coord
        return None
