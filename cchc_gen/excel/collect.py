"""One sheet for a province to collect the figures of its communes, and back into each period file.

``cchc mau-excel-thu-thap`` writes one row per unit under a parent unit and one column per indicator of
the profile (codes in the header row, above them the chỉ tiêu, đơn vị tính and how to fill in), filled
with the figures the units' period files already have. ``cchc nhap-excel-thu-thap`` reads it back: the
sheet is then what the figures are, so a cell emptied in the sheet removes that figure from the file.

Nothing is written unless every row is good: the figures of each row are checked against the profile
(types, rules) first, and every problem names its cell. A YAML period file keeps its comments and layout
(only the lines of ``figures`` change); a workbook period file gets its "Số liệu" cells changed; a unit
without a period file gets a new workbook with the outline and its figures.

The web workspace keeps reports as data in its store rather than files: :func:`collection_workbook_bytes`
fills the same sheet from those, and :func:`collect_into_reports` checks a filled-in sheet and returns each
report's data with the sheet's figures (every problem at once, at its sheet and cell), for the store to save
as new revisions in one transaction.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from pydantic import TypeAdapter, ValidationError

from cchc_gen.errors import CchcError, DataError, Problem, Severity, excerpt, shown
from cchc_gen.excel.cells import CellRef, FoundSheet, WorkbookSource, find_sheet, open_workbook
from cchc_gen.excel.convert import (
    DATA_DIR,
    blank_report,
    parse_period,
    plain_data,
    refuse_existing,
    registry_unit,
    report_data,
)
from cchc_gen.excel.layout import CODE, FIGURE, FIGURES_SHEET, FIGURES_SIGNATURE, folded, indicator_rows
from cchc_gen.excel.read import figure_value
from cchc_gen.excel.write import (
    BOLD,
    FONT_NAME,
    HINT,
    Lists,
    Validations,
    answers,
    derivations,
    figure_cell_value,
    figure_validation,
    first_sheet,
    header,
    how_to_fill,
    input_cell,
    label,
    new_workbook,
    protect,
    save_workbook,
    title_rows,
    write_report_workbook,
)
from cchc_gen.model.check import check_report
from cchc_gen.model.profile import Indicator, Profile, load_profile, profile_name_for
from cchc_gen.model.report import FigureValue, Report, Unit
from cchc_gen.paths import DATA, WORKBOOK, Output, check_outputs
from cchc_gen.render.docx import write_atomically
from cchc_gen.source.loading import (
    REGISTRY_FILE,
    LoadedReport,
    PeriodFolder,
    load_registry,
    load_report,
    period_file,
)
from cchc_gen.source.yaml_file import parse_yaml, read_data_text
from cchc_gen.vn import numbers
from cchc_gen.vn.periods import Period, PeriodError

COLLECTION_SHEET = "Thu thập số liệu"
UNIT_CODE, UNIT_NAME = "Mã đơn vị", "Tên đơn vị"
SIGNATURE = (UNIT_CODE, UNIT_NAME)
PERIOD_LABEL, PARENT_LABEL, PROFILE_LABEL = "Kỳ báo cáo", "Đơn vị cấp trên", "Bộ mẫu"
GROUP_ROW, LABEL_ROW, UNIT_ROW, HOW_ROW, HEADER_ROW = 8, 9, 10, 11, 12
FIRST_COLUMN = 3


@dataclass(frozen=True)
class Imported:
    """What reading a collection workbook back changed, and the warnings of its figures."""

    updated: list[Path] = field(default_factory=list)
    created: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _children(units: dict[str, Unit], parent: Unit, registry: Path) -> list[Unit]:
    children = [unit for unit in units.values() if unit.parent == parent.code]
    if not children:
        raise DataError.single(
            f"Đơn vị '{parent.code}' không có đơn vị trực thuộc nào trong danh mục.",
            file=registry,
            fix="Dùng mã của đơn vị cấp trên (ví dụ mã tỉnh), có các đơn vị ghi 'parent' là mã đó.",
        )
    return children


def _same_profile(loaded: LoadedReport, profile: Profile) -> None:
    used = profile_name_for(loaded.report.profile, loaded.report.period)
    if used != profile.name:
        raise DataError.single(
            f"Tệp dữ liệu dùng bộ mẫu '{used}', bảng thu thập dùng bộ mẫu '{profile.name}'.",
            file=loaded.file,
            location=loaded.where(("profile",)),
            fix="Thu thập riêng số liệu của các đơn vị dùng cùng một bộ mẫu.",
        )


@dataclass(frozen=True)
class _Collection:
    """Whose figures a collection workbook holds: the parent unit, its children, the period, the profile."""

    registry: Path
    units: dict[str, Unit]
    parent: Unit
    children: list[Unit]
    period: Period
    profile: Profile


def _collection(parent_code: str, period_text: str, data_dir: Path) -> _Collection:
    period = parse_period(period_text)
    registry = data_dir / REGISTRY_FILE
    units = load_registry(registry)
    parent = registry_unit(units, parent_code, registry)
    children = _children(units, parent, registry)
    profile = load_profile(profile_name_for(None, period))
    return _Collection(registry, units, parent, children, period, profile)


def collection_workbook(
    parent_code: str, period_text: str, output: Path | None = None, *, data_dir: Path = DATA_DIR
) -> Path:
    """Write the collection workbook of the units under ``parent_code``; returns the path written.

    Default path: ``thu-thap-<mã cấp trên>-<kỳ>.xlsx`` in the working folder (not in the period folder,
    where it would be taken for a unit's data file).
    """
    collection = _collection(parent_code, period_text, data_dir)
    registry, parent, children = collection.registry, collection.parent, collection.children
    period, profile = collection.period, collection.profile
    option = "-o" if output is not None else None
    output = output or Path(f"thu-thap-{parent.code}-{period.code}.xlsx")
    # Not where a unit's data file is, or would be: it would be read as that unit's data.
    folder = PeriodFolder(data_dir / period.code)
    claimed = [file for child in children for file in folder.claimed(child.code)]
    check_outputs([Output(output, WORKBOOK, option=option)], claimed, [registry])
    refuse_existing(output)
    figures: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    for child in children:
        found = period_file(data_dir, period, child.code)
        if found is None:
            continue
        try:
            loaded = load_report(found, registry)
            _same_profile(loaded, profile)
        except CchcError as exc:
            problems += exc.problems
            continue
        figures[child.code] = dict(loaded.report.figures)
    if problems:
        raise DataError(problems)
    save_workbook(_build(parent, children, period, profile, figures), output)
    return output


def collection_workbook_bytes(
    parent_code: str, period_text: str, reports: Mapping[str, Mapping[str, Any]], *, data_dir: Path = DATA_DIR
) -> bytes:
    """The collection workbook of the units under ``parent_code``, filled with the figures of
    ``reports`` (unit code → report data, as the web workspace keeps them)."""
    collection = _collection(parent_code, period_text, data_dir)
    figures = {
        child.code: dict(reports[child.code].get("figures") or {})
        for child in collection.children
        if child.code in reports
    }
    book = _build(collection.parent, collection.children, collection.period, collection.profile, figures)
    with tempfile.TemporaryDirectory(prefix="cchc-thu-thap-") as folder:
        target = Path(folder) / f"thu-thap-{collection.parent.code}-{collection.period.code}.xlsx"
        save_workbook(book, target)
        return target.read_bytes()


def _build(
    parent: Unit, children: list[Unit], period: Period, profile: Profile, figures: dict[str, dict[str, Any]]
) -> Workbook:
    workbook = new_workbook()
    sheet = first_sheet(workbook)
    sheet.title = COLLECTION_SHEET
    lists = Lists(workbook)
    rows = list(indicator_rows(profile.spec.appendix.indicators)) if profile.spec.appendix else []
    columns: list[tuple[str, Indicator, str]] = []  # code, indicator, its top-level group
    group = ""
    for item in rows:
        if item.depth == 0:
            group = item.indicator.plain_label
        if item.indicator.code:
            columns.append((item.indicator.code, item.indicator, group))
    width = FIRST_COLUMN - 1 + len(columns)
    title_rows(
        sheet,
        f"THU THẬP SỐ LIỆU CẢI CÁCH HÀNH CHÍNH {period.label.upper()}",
        f"Các đơn vị trực thuộc {parent.name}",
        "Mỗi dòng một đơn vị, mỗi cột một chỉ tiêu; gõ vào các ô màu vàng. Ô để trống: không có số liệu "
        "(ô đã có số mà xóa đi thì số liệu đó bị xóa khỏi tệp dữ liệu của đơn vị); tỷ lệ, tổng tính được "
        "thì để trống.",
        min(width, 12),
    )
    for row, (name, value) in enumerate(
        ((PERIOD_LABEL, period.code), (PARENT_LABEL, parent.code), (PROFILE_LABEL, profile.name)), start=4
    ):
        label(sheet.cell(row, 1), name, BOLD)
        label(sheet.cell(row, 2), value)
    for row, name in ((LABEL_ROW, "Chỉ tiêu"), (UNIT_ROW, "Đơn vị tính"), (HOW_ROW, "Cách nhập")):
        label(sheet.cell(row, 2), name, BOLD)
    header(sheet, HEADER_ROW, [UNIT_CODE, UNIT_NAME, *(code for code, _, _ in columns)])
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 30
    small = Font(name=FONT_NAME, size=10)
    stt = {item.indicator.code: item.stt for item in rows if item.indicator.code}
    derived: dict[str, str] = {}
    for level in {child.level for child in children}:
        derived.update(derivations(profile, level))
    last_row = HEADER_ROW + len(children)
    validations = Validations(sheet)
    start = FIRST_COLUMN
    for index, (code, indicator, group_label) in enumerate(columns):
        column = FIRST_COLUMN + index
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = 16
        label(sheet.cell(LABEL_ROW, column), f"{stt[code]} {indicator.plain_label}".strip(), small)
        label(sheet.cell(UNIT_ROW, column), indicator.unit or None, small)
        label(sheet.cell(HOW_ROW, column), how_to_fill(indicator, derived.get(code)), HINT)
        if index + 1 == len(columns) or columns[index + 1][2] != group_label:
            label(sheet.cell(GROUP_ROW, start), group_label, BOLD)
            if column > start:
                sheet.merge_cells(
                    start_row=GROUP_ROW, start_column=start, end_row=GROUP_ROW, end_column=column
                )
            start = column + 1
        for offset, child in enumerate(children, start=1):
            figure = figures.get(child.code, {}).get(code)
            input_cell(sheet.cell(HEADER_ROW + offset, column), figure_cell_value(figure, indicator))
        if last_row > HEADER_ROW:
            validations.add(
                f"{indicator.type}:{answers(indicator)}",
                lambda indicator=indicator: figure_validation(indicator, lists),
                f"{letter}{HEADER_ROW + 1}:{letter}{last_row}",
            )
    sheet.row_dimensions[LABEL_ROW].height = 190
    sheet.row_dimensions[HOW_ROW].height = 60
    for offset, child in enumerate(children, start=1):
        label(sheet.cell(HEADER_ROW + offset, 1), child.code)
        label(sheet.cell(HEADER_ROW + offset, 2), child.short_name)
    for row in range(GROUP_ROW, HOW_ROW + 1):
        for column in range(FIRST_COLUMN, width + 1):
            sheet.cell(row, column).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, FIRST_COLUMN).coordinate
    protect(sheet)
    workbook.properties.title = f"Thu thập số liệu CCHC — {parent.short_name} — {period.label}"
    workbook.properties.creator = "cchc"
    return workbook


# --- reading it back ----------------------------------------------------------------------------------


@dataclass
class _UnitRow:
    code: str
    row: int
    figures: dict[str, Any]
    source: WorkbookSource


@dataclass(frozen=True)
class _Setting:
    """A value above the header, and its cell (the sheet when there is none)."""

    text: str | None
    cell: CellRef


def _setting(found: FoundSheet, name: str) -> _Setting:
    """A value above the header, in the cell right of its label ("Kỳ báo cáo" | "2026-9T")."""
    cells = found.cells
    for row in range(1, found.header):
        for column in range(1, min(cells.last_column, 20)):
            text = cells.text(row, column)
            if text and folded(text) == folded(name):
                return _Setting(cells.text(row, column + 1), cells.ref(row, column + 1))
    return _Setting(None, CellRef(cells.title))


def _read(file: Path) -> tuple[dict[str, _Setting], list[_UnitRow]]:
    books = open_workbook(file)
    problems: list[Problem] = []
    found = find_sheet(books, COLLECTION_SHEET, SIGNATURE, problems)
    cells = found.cells
    settings = {name: _setting(found, name) for name in (PERIOD_LABEL, PARENT_LABEL, PROFILE_LABEL)}
    for name in (PERIOD_LABEL, PROFILE_LABEL):
        if not settings[name].text:
            problems.append(
                Problem(
                    f"Không thấy ô '{name}' phía trên dòng tiêu đề.",
                    file,
                    str(CellRef(cells.title)),
                    f"Khôi phục ô '{name}' và giá trị bên phải nó (như trong bảng tính tạo bằng cchc "
                    "mau-excel-thu-thap).",
                )
            )
    unit_column, name_column = found.column(UNIT_CODE), found.column(UNIT_NAME)
    codes = {
        column: text
        for column in range(1, cells.last_column + 1)
        if column not in (unit_column, name_column) and (text := cells.text(found.header, column))
    }
    assert unit_column
    rows: list[_UnitRow] = []
    seen: dict[str, int] = {}
    for row in cells.rows_after(found.header):
        code = cells.text(row, unit_column)
        source = WorkbookSource(file)
        source.record(("figures",), cells.ref(row, unit_column), UNIT_CODE)
        figures: dict[str, Any] = {}
        for column, indicator in codes.items():
            source.record(("figures", indicator), cells.ref(row, column), f"số liệu '{indicator}'")
            value = figure_value(cells, row, column)
            if value is not None:
                figures[indicator] = value
        if not code:
            if figures:
                cells.problem(
                    row,
                    unit_column,
                    f"Dòng có số liệu nhưng không có mã đơn vị (cột '{UNIT_CODE}').",
                    "Ghi mã đơn vị như trong danh mục, hoặc xóa dòng này.",
                )
            continue
        if code in seen:
            cells.problem(
                row,
                unit_column,
                f"Đơn vị '{excerpt(code)}' có ở hai dòng ({seen[code]} và {row}).",
                "Giữ lại một dòng cho mỗi đơn vị.",
            )
            continue
        seen[code] = row
        rows.append(_UnitRow(code, row, figures, source))
    if problems:
        raise DataError(problems)
    return settings, rows


def import_collection(workbook: Path, *, data_dir: Path = DATA_DIR) -> Imported:
    """Put the figures of a collection workbook into each unit's period file (see the module doc)."""
    settings, rows = _read(workbook)
    period = parse_period(settings[PERIOD_LABEL].text or "")
    profile = load_profile(settings[PROFILE_LABEL].text)
    registry = data_dir / REGISTRY_FILE
    units = load_registry(registry)
    problems: list[Problem] = []
    plans: list[tuple[Unit, _UnitRow, LoadedReport | None]] = []
    for row in rows:
        unit = units.get(row.code)
        if unit is None:
            problems.append(
                Problem(
                    f"Không có đơn vị mã '{excerpt(row.code)}' trong danh mục {shown(registry)}.",
                    workbook,
                    row.source.where(("figures",)),
                    "Sửa mã đơn vị cho đúng danh mục, hoặc xóa dòng này.",
                )
            )
            continue
        try:
            found = period_file(data_dir, period, unit.code)
            current = load_report(found, registry) if found else None
            if current is not None:
                _same_profile(current, profile)
        except CchcError as exc:
            problems += exc.problems
            continue
        problems += _check(workbook, unit, period, profile, row)
        plans.append((unit, row, current))
    if any(p.severity == Severity.ERROR for p in problems):
        raise DataError([p for p in problems if p.severity == Severity.ERROR])
    check_outputs(
        [
            Output(current.file, DATA) if current else Output(_new_file(data_dir, period, unit), WORKBOOK)
            for unit, row, current in plans
            if (current is None and row.figures) or (current and current.report.figures != row.figures)
        ],
        [workbook],
        [registry],
    )
    result = Imported(warnings=problems)
    for unit, row, current in plans:
        if current is None:
            if row.figures:
                target = _new_file(data_dir, period, unit)
                report = blank_report(unit, period, profile).model_copy(update={"figures": row.figures})
                write_report_workbook(target, report, unit, profile)
                result.created.append(target)
        elif current.report.figures == row.figures:
            result.unchanged.append(current.file)
        elif current.file.suffix.lower() == ".xlsx":
            result.warnings.extend(_update_workbook(current, row.figures, profile))
            result.updated.append(current.file)
        else:
            _update_yaml(current, row.figures)
            result.updated.append(current.file)
    return result


@dataclass(frozen=True)
class CollectedReports:
    """What a collection workbook changes in reports kept as data: the data of each changed report (by
    unit code) with the workbook's figures, the units whose figures were already those, the warnings."""

    changed: dict[str, dict[str, Any]]
    unchanged: list[str]
    warnings: list[Problem]


_FIGURES: TypeAdapter[dict[str, FigureValue]] = TypeAdapter(dict[str, FigureValue])


def _same_figures(before: Any, after: dict[str, Any]) -> bool:
    """Whether the report's figures (as stored) are the row's, read the way the model reads them."""
    try:
        return _FIGURES.validate_python(before or {}) == _FIGURES.validate_python(after)
    except ValidationError:
        return False


def collect_into_reports(
    workbook: Path,
    parent_code: str,
    period_text: str,
    reports: Mapping[str, Mapping[str, Any]],
    *,
    locked: Collection[str] = (),
    data_dir: Path = DATA_DIR,
) -> CollectedReports:
    """The figures of a filled-in collection workbook put into the reports of the units under
    ``parent_code`` for the period: ``reports`` (unit code → report data) are their current reports, a
    unit without one gets the profile's outline with its figures. Nothing is returned unless every row is
    good: a :class:`DataError` lists every problem at its sheet and cell (the workbook of another period
    or profile, a unit not under ``parent_code``, figures the checks refuse, new figures for a unit in
    ``locked``, whose report was submitted)."""
    settings, rows = _read(workbook)
    collection = _collection(parent_code, period_text, data_dir)
    period, profile = collection.period, collection.profile
    problems: list[Problem] = []
    named = settings[PERIOD_LABEL]
    named_period = _named_period(named.text)
    if named_period is None or named_period.code != period.code:
        problems.append(
            Problem(
                f"Bảng thu thập ghi kỳ '{excerpt(named.text or '')}', đang nhập số liệu {period.label}.",
                workbook,
                str(named.cell),
                f"Tải bảng thu thập {period.label} ở trang theo dõi kỳ này, điền rồi tải lên.",
            )
        )
    if settings[PROFILE_LABEL].text != profile.name:
        problems.append(
            Problem(
                f"Bảng thu thập dùng bộ mẫu '{excerpt(settings[PROFILE_LABEL].text or '')}', báo cáo "
                f"{period.label} dùng bộ mẫu '{profile.name}'.",
                workbook,
                str(settings[PROFILE_LABEL].cell),
                f"Ghi lại '{profile.name}' vào ô này, hoặc tải lại bảng thu thập của kỳ này.",
            )
        )
    changed: dict[str, dict[str, Any]] = {}
    unchanged: list[str] = []
    for row in rows:
        unit = collection.units.get(row.code)
        if unit is None or unit.parent != collection.parent.code:
            problems.append(
                Problem(
                    f"Đơn vị '{excerpt(row.code)}' không phải đơn vị trực thuộc "
                    f"{collection.parent.short_name}.",
                    workbook,
                    row.source.where(("figures",)),
                    "Sửa mã đơn vị cho đúng (như trong bảng tải về), hoặc xóa dòng này.",
                )
            )
            continue
        problems += _check(workbook, unit, period, profile, row)
        current = reports.get(unit.code)
        if current is not None and _same_figures(current.get("figures"), row.figures):
            unchanged.append(unit.code)
            continue
        if unit.code in locked:
            problems.append(
                Problem(
                    f"Báo cáo {period.label} của {unit.short_name} đã nộp nên không nhập số liệu mới được.",
                    workbook,
                    row.source.where(("figures",)),
                    "Trả lại báo cáo để đơn vị sửa rồi nhập, hoặc giữ nguyên số liệu của đơn vị này trong "
                    "bảng.",
                )
            )
            continue
        base = dict(current) if current is not None else report_data(blank_report(unit, period, profile))
        base.pop("figures", None)
        changed[unit.code] = plain_data({**base, "figures": row.figures} if row.figures else base)
    errors = [p for p in problems if p.severity == Severity.ERROR]
    if errors:
        raise DataError(errors)
    return CollectedReports(changed, unchanged, problems)


def _named_period(text: str | None) -> Period | None:
    try:
        return Period.parse(text or "")
    except PeriodError:
        return None


def _new_file(data_dir: Path, period: Period, unit: Unit) -> Path:
    """The data file made for a unit that has none yet: a workbook, in the period folder."""
    return data_dir / period.code / f"{unit.code}.xlsx"


def _check(workbook: Path, unit: Unit, period: Period, profile: Profile, row: _UnitRow) -> list[Problem]:
    """The checks of the figures of one row (types, rules), located at the row's cells.

    Only the figures come from this sheet; the text of the unit's report is checked where it lives
    (``cchc kiem-tra``), so problems that have no cell here are not this sheet's and are left out.
    """
    report = Report.model_validate(
        {
            "unit": unit.code,
            "period": period.code,
            "profile": profile.name,
            "sections": [{"heading": COLLECTION_SHEET}],
            "figures": row.figures,
        }
    )
    checked = check_report(LoadedReport(workbook, report, unit, row.source), profile)
    return [p for p in checked.problems if p.location is not None]


# --- writing figures into period files ------------------------------------------------------------------

_FIGURES_KEY = re.compile(r"^figures\s*:(.*)$")
_ENTRY = re.compile(r"^(\s+)([A-Za-z0-9_]+)\s*:(.*)$")
_COMMENT = re.compile(r"""^\s*(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^#'"]*?)(\s+#.*)?$""")


def yaml_scalar(value: Any) -> str:
    """A figure as a YAML data file writes it: whole numbers bare, everything else quoted text (so that
    "1.601" stays 1601 and "02" keeps its zero), decimals in Vietnamese notation."""
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        value = numbers.format_number(value)
    return json.dumps(value, ensure_ascii=False)


def replace_figures(text: str, figures: dict[str, Any], current: dict[str, Any]) -> str:
    """``text`` (a YAML data file whose figures are ``current``) with its ``figures`` block holding exactly
    ``figures``.

    Lines of unchanged figures stay as they are, changed ones keep their place and comment, figures no
    longer there lose their line, new ones are added after the last one; nothing else in the file changes.
    """
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if _FIGURES_KEY.match(line)), None)
    if start is None:
        if not figures:
            return text
        ending = "" if not text or text.endswith("\n") else "\n"
        return (
            text + ending + "figures:\n" + "".join(f"  {c}: {yaml_scalar(v)}\n" for c, v in figures.items())
        )
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t"):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    if not figures:
        return "".join(lines[:start] + lines[end:])
    after_key = lines[start].split(":", 1)[1].strip()
    flow = bool(after_key) and not after_key.startswith("#")  # "figures: {a: 1}": rewritten as a block
    head = "figures:\n" if flow else lines[start]
    kept: list[str] = []
    written: set[str] = set()
    indent, last_entry = "  ", -1
    for line in [] if flow else lines[start + 1 : end]:
        entry = _ENTRY.match(line.rstrip("\n"))
        if entry is None:
            kept.append(line)
            continue
        indent, code, rest = entry.groups()
        if code not in figures:
            continue
        written.add(code)
        last_entry = len(kept)
        if code in current and current[code] == figures[code]:
            kept.append(line)
            continue
        comment = _COMMENT.match(rest)
        tail = (comment.group(1) or "") if comment else ""
        kept.append(f"{indent}{code}: {yaml_scalar(figures[code])}{tail}\n")
    kept[last_entry + 1 : last_entry + 1] = [
        f"{indent}{code}: {yaml_scalar(value)}\n" for code, value in figures.items() if code not in written
    ]
    return "".join([*lines[:start], head, *kept, *lines[end:]])


def _update_yaml(current: LoadedReport, figures: dict[str, Any]) -> None:
    file = current.file
    text = read_data_text(file)
    old = current.report.figures
    updated = replace_figures(text, figures, old)
    before, after = parse_yaml(text, file).data or {}, parse_yaml(updated, file).data or {}
    expected = {
        code: (before.get("figures") or {}).get(code)
        if old.get(code) == value
        else yaml.safe_load(yaml_scalar(value))
        for code, value in figures.items()
    }
    before.pop("figures", None)
    if (after.pop("figures", None) or {}) != expected or before != after:
        raise DataError.single(
            "Không cập nhật được phần figures của tệp này (cách viết khác thường).",
            file=file,
            fix="Sửa tay phần figures theo bảng thu thập, hoặc viết lại phần figures mỗi chỉ tiêu một dòng "
            "'mã: số liệu' rồi chạy lại.",
        )
    write_atomically(file, updated, "tệp dữ liệu", "trình soạn thảo")


def _update_workbook(current: LoadedReport, figures: dict[str, Any], profile: Profile) -> list[Problem]:
    """Change the "Số liệu" cells of a unit's workbook; formulas elsewhere keep their results as values,
    because a file written here carries no computed results (a warning says which cells)."""
    books = open_workbook(current.file)
    found = find_sheet(books, FIGURES_SHEET, FIGURES_SIGNATURE, [])
    sheet = books.formulas[found.cells.title]
    code_column, value_column = found.column(CODE), found.column(FIGURE)
    assert code_column and value_column
    catalogue = profile.spec.indicators()
    rows = {
        code: row
        for row in found.cells.rows_after(found.header)
        if (code := found.cells.text(row, code_column))
    }
    missing = [code for code in figures if code not in rows]
    if missing:
        raise DataError.single(
            "Bảng tính không có dòng cho chỉ tiêu: " + ", ".join(missing) + ".",
            file=current.file,
            location=str(CellRef(sheet.title)),
            fix="Thêm các chỉ tiêu này vào sheet Số liệu (tạo lại bảng tính bằng cchc mau-excel), hoặc "
            "xóa số liệu của chúng trong bảng thu thập.",
        )
    frozen: list[str] = []
    for formulas in books.formulas.worksheets:
        for cells in formulas.iter_rows():
            for cell in cells:
                cached = (
                    books.values[formulas.title][cell.coordinate].value if cell.data_type == "f" else None
                )
                if cached is not None:
                    cell.value = cached
                    frozen.append(str(CellRef(formulas.title, cell.coordinate)))
    for code, row in rows.items():
        if figures.get(code) != current.report.figures.get(code):
            sheet.cell(row, value_column).value = figure_cell_value(figures.get(code), catalogue.get(code))
    save_workbook(books.formulas, current.file)
    if not frozen:
        return []
    return [
        Problem(
            "Các công thức trong bảng tính được thay bằng kết quả của chúng: " + ", ".join(frozen) + ".",
            current.file,
            fix="Không cần sửa; nhập lại công thức nếu muốn.",
            severity=Severity.WARNING,
        )
    ]
