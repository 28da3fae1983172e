"""The unit registry as a workbook: one sheet, one row per unit, one column per field of ``units.yaml``.

A maintainer who keeps the province's units in Excel uploads that workbook instead of a ``units.yaml``. The
sheet is found by its header row (the column titles below, in any order; the optional ones may be left
out). A list field (the lines of the issuing body, the recipients, the archive) holds one item per line of
its cell (Alt+Enter). Every row is checked against the same model as ``units.yaml`` and every problem is
reported at once, at its sheet and cell; the registry read is written out as the ``units.yaml`` text the
data folder keeps. :func:`registry_workbook` writes a data folder's registry in that layout, to edit and
upload again.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from cchc_gen.errors import DataError, Problem, excerpt
from cchc_gen.excel.cells import WorkbookSource, find_sheet, open_workbook
from cchc_gen.model.report import Unit
from cchc_gen.source.loading import parent_cycles
from cchc_gen.source.schema_errors import problems_from_validation
from cchc_gen.source.yaml_file import load_yaml

SHEET = "Đơn vị"
# The field of units.yaml each column holds (a dotted name for the signer's), and its title.
REGISTRY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "Mã đơn vị"),
    ("name", "Tên đầy đủ"),
    ("short_name", "Tên ngắn"),
    ("level", "Cấp"),
    ("parent", "Mã đơn vị cấp trên"),
    ("governing_body", "Cơ quan chủ quản"),
    ("issuing_body", "Tên cơ quan ban hành"),
    ("symbol", "Ký hiệu"),
    ("place", "Địa danh"),
    ("signer.authority", "Thẩm quyền ký"),
    ("signer.on_behalf", "Thay mặt"),
    ("signer.title", "Chức vụ người ký"),
    ("signer.own_position", "Chức vụ riêng của người ký"),
    ("signer.name", "Họ tên người ký"),
    ("recipients", "Kính gửi"),
    ("distribution", "Nơi nhận khác"),
    ("archive", "Lưu"),
)
SIGNATURE = ("Mã đơn vị", "Tên đầy đủ", "Tên ngắn", "Cấp")
LISTS = {"issuing_body", "recipients", "distribution", "archive"}


def read_registry_workbook(file: Path) -> dict[str, dict[str, Any]]:
    """The units of the registry workbook ``file``, keyed by code, as ``units.yaml`` holds them; a
    :class:`~cchc_gen.errors.DataError` with every problem found, each at its cell, otherwise."""
    books = open_workbook(file)
    problems: list[Problem] = []
    found = find_sheet(books, SHEET, SIGNATURE, problems)
    cells = found.cells
    source = WorkbookSource(file)
    columns = [
        (name, title, column)
        for name, title in REGISTRY_COLUMNS
        if (column := found.column(title)) is not None
    ]
    code_column = found.column("Mã đơn vị")
    assert code_column is not None  # in the signature the sheet was found by
    units: dict[str, dict[str, Any]] = {}
    valid: dict[str, Unit] = {}
    for row in cells.rows_after(found.header):
        code = cells.text(row, code_column)
        if code is None:
            if any(cells.text(row, column) for _, _, column in columns):
                cells.problem(
                    row,
                    code_column,
                    "Dòng có thông tin đơn vị nhưng thiếu mã đơn vị.",
                    "Ghi mã đơn vị, ví dụ ht-duc-tho; dòng không dùng thì xóa hẳn.",
                )
            continue
        if code in units:
            cells.problem(
                row,
                code_column,
                f"Mã đơn vị '{excerpt(code)}' đã có ở một dòng phía trên.",
                "Mỗi đơn vị một dòng, mỗi mã một đơn vị: xóa dòng trùng hoặc sửa mã.",
            )
            continue
        fields: dict[str, Any] = {}
        source.record(("units", code), cells.ref(row, code_column), "Mã đơn vị")
        for name, title, column in columns:
            path = ("units", code, *name.split("."))
            source.record(path, cells.ref(row, column), title)
            if name == "signer.title":  # a signer left out is told at its title
                source.record(("units", code, "signer"), cells.ref(row, column), title)
            text = cells.text(row, column)
            if name == "code" or text is None:
                continue
            value: Any = text.split("\n") if name in LISTS else text
            if "." in name:
                group, key = name.split(".")
                fields.setdefault(group, {})[key] = value
            else:
                fields[name] = value
        units[code] = fields
        try:
            valid[code] = Unit.model_validate({"code": code, **fields})
        except ValidationError as exc:
            problems += problems_from_validation(exc, source, prefix=("units", code), model=Unit, data=fields)
    if not problems and not units:
        problems.append(
            Problem(
                f"Sheet '{cells.title}' chưa có đơn vị nào.",
                file,
                fix="Mỗi đơn vị ghi một dòng dưới dòng tiêu đề.",
            )
        )
    if not problems:
        problems += parent_cycles(valid, source)
    if problems:
        raise DataError(problems)
    return units


def registry_workbook(registry_file: Path) -> bytes:
    """The registry ``registry_file`` (a ``units.yaml``) as a registry workbook, the values as written."""
    document = load_yaml(registry_file)
    units = document.data.get("units") if isinstance(document.data, dict) else None
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its sheet
    sheet.title = SHEET
    sheet.append([title for _, title in REGISTRY_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for code, fields in (units or {}).items():
        fields = fields if isinstance(fields, dict) else {}
        row: list[Any] = []
        for name, _ in REGISTRY_COLUMNS:
            group, _dot, key = name.partition(".")
            value = (fields.get(group) or {}).get(key) if key else fields.get(name)
            value = code if name == "code" else value
            row.append("\n".join(map(str, value)) if isinstance(value, list) else value)
        sheet.append(row)
    for index, (_, title) in enumerate(REGISTRY_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(title) + 4)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def registry_yaml(units: dict[str, dict[str, Any]]) -> str:
    """The ``units.yaml`` text of ``units``."""
    head = "# Danh mục đơn vị, nhập từ bảng tính danh mục.\n"
    return head + yaml.safe_dump({"units": units}, allow_unicode=True, sort_keys=False, width=1000)
