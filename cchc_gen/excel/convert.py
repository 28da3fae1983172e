"""Excel for clerks: what ``cchc mau-excel`` and ``cchc chuyen-doi`` do, as library functions.

- :func:`unit_workbook` writes the workbook of one unit for one period into its period folder
  (``data/<kỳ>/<mã đơn vị>.xlsx``), where every command (``render``, ``kiem-tra``, ``batch``, ``tong-hop``)
  reads it like a YAML file.
  It starts from the profile's outline, or from the unit's previous report (narrative, Kính gửi, người
  ký…) with that report's figures shown beside the empty input column; then it warns of every period the
  narrative carried over names that is not the new one ("Lũy kế 9 tháng" in an annual report).
- :func:`convert` turns a YAML data file into a workbook and back; both give the same report.

Neither ever overwrites a file: a workbook a clerk has filled in is worth more than a fresh one.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from cchc_gen.errors import DataError, OutputError, Problem, excerpt, shown
from cchc_gen.excel.cells import WORKBOOK_SUFFIXES
from cchc_gen.excel.write import write_report_workbook
from cchc_gen.model.check import stale_periods
from cchc_gen.model.profile import OutlineItem, Profile, load_profile, profile_for, profile_name_for
from cchc_gen.model.report import Heading, Report, Unit, carried_over
from cchc_gen.paths import WORKBOOK, YAML_DATA, Output, check_outputs
from cchc_gen.render.context import expand_profile_text
from cchc_gen.render.docx import make_environment, write_atomically
from cchc_gen.source.loading import (
    REGISTRY_FILE,
    YAML_SUFFIXES,
    LoadedReport,
    load_registry,
    load_report,
    period_file,
)
from cchc_gen.vn.periods import Period, PeriodError

DATA_DIR = Path("data")


def parse_period(text: str) -> Period:
    try:
        return Period.parse(text)
    except PeriodError as exc:
        raise DataError.single(str(exc), fix="Ghi kỳ theo một trong các dạng trên, ví dụ 2026-9T.") from None


def registry_unit(units: dict[str, Unit], code: str, registry: Path) -> Unit:
    unit = units.get(code)
    if unit is None:
        close = difflib.get_close_matches(code, list(units), n=1)
        hint = f"Có phải ý bạn là '{close[0]}'? " if close else ""
        raise DataError.single(
            f"Không có đơn vị mã '{excerpt(code)}' trong danh mục.",
            file=registry,
            fix=f"{hint}Dùng mã đơn vị như trong danh mục, ví dụ ht-duc-tho.",
        )
    return unit


def previous_file(data_dir: Path, period: Period, unit: str) -> Path | None:
    """The unit's data file of the latest period that ends before ``period`` ends (6T before 9T)."""
    candidates: list[tuple[Period, Path]] = []
    for folder in data_dir.iterdir() if data_dir.is_dir() else []:
        try:
            other = Period.parse(folder.name)
        except PeriodError:
            continue
        found = period_file(data_dir, other, unit) if other.code == folder.name else None
        if found is not None and other.window[1] < period.window[1]:
            candidates.append((other, found))
    if not candidates:
        return None
    # The latest end first; of two that end together, the longer one (6 tháng before quý II).
    return max(candidates, key=lambda c: c[0].chronological)[1]


def blank_report(unit: Unit, period: Period, profile: Profile) -> Report:
    """A report with the profile's outline as its headings (and the items of each), for a clerk to fill in."""
    env = make_environment()

    def headings(items: list[OutlineItem]) -> list[Any]:
        return [
            Heading(
                heading=expand_profile_text(i.title, unit, period, profile, env),
                key=i.key,
                content=headings(i.items),
            )
            for i in items
        ]

    return Report.model_construct(unit=unit.code, period=period, sections=headings(profile.spec.outline))


def refuse_existing(target: Path) -> None:
    if target.exists():
        raise OutputError.single(
            "Tệp đã có; không ghi đè để không mất dữ liệu đã điền.",
            file=target,
            fix="Xóa hoặc đổi tên tệp cũ, hoặc chọn tệp khác bằng -o.",
        )


@dataclass(frozen=True)
class NewWorkbook:
    """A workbook written for a clerk, and the warnings about what it carries from the previous report."""

    path: Path
    warnings: list[Problem]


def unit_workbook(
    unit_code: str,
    period_text: str,
    output: Path | None = None,
    *,
    from_previous: bool = False,
    data_dir: Path = DATA_DIR,
) -> NewWorkbook:
    """Write the workbook of ``unit_code`` for a period.

    Default path: ``<data_dir>/<kỳ>/<mã đơn vị>.xlsx``, refused when the unit already has a data file
    for that period (convert that file instead). ``from_previous`` starts from the unit's previous report,
    and warns of the periods its words name that are not the new one, at their cells in the new workbook.
    """
    period = parse_period(period_text)
    registry = data_dir / REGISTRY_FILE
    unit = registry_unit(load_registry(registry), unit_code, registry)
    option = "-o" if output is not None else None
    if output is None:
        existing = period_file(data_dir, period, unit.code)
        if existing is not None and existing.suffix.lower() in YAML_SUFFIXES:
            raise OutputError.single(
                f"Đơn vị đã có tệp dữ liệu kỳ {period.code}.",
                file=existing,
                fix=f"Dùng cchc chuyen-doi {shown(existing)} <tệp.xlsx> để có bảng tính từ tệp đó, hoặc chọn "
                "tệp khác bằng -o.",
            )
        output = data_dir / period.code / f"{unit.code}.xlsx"
    found = previous_file(data_dir, period, unit.code) if from_previous else None
    check_outputs([Output(output, WORKBOOK, option=option)], [found] if found else [], [registry])
    refuse_existing(output)
    previous: Report | None = None
    if from_previous:
        if found is None:
            raise DataError.single(
                f"Chưa có dữ liệu kỳ nào trước kỳ {period.code} của đơn vị '{unit.code}' trong "
                f"{shown(data_dir)}.",
                fix="Bỏ tùy chọn --tu-ky-truoc để tạo bảng tính trống theo đề cương.",
            )
        previous = load_report(found, registry).report
    profile = load_profile(profile_name_for(previous.profile if previous else None, period))
    report = carried_over(previous, period) if previous else blank_report(unit, period, profile)
    write_report_workbook(output, report, unit, profile, previous)
    warnings = stale_periods(load_report(output, registry, {unit.code: unit})) if previous else []
    return NewWorkbook(output, warnings)


# --- YAML ↔ workbook ----------------------------------------------------------------------------------


def plain_data(value: Any) -> Any:
    """Data as a YAML data file (or JSON) writes it: exact decimals as numbers, dates as the clerk types
    them (06/12/2023), nested the same way."""
    if isinstance(value, Decimal):
        # A width typed 12 stays 12, not 12.0; 12.0 and 47.37 keep their decimals.
        return int(value) if value.as_tuple().exponent == 0 else float(value)
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if isinstance(value, dict):
        return {str(key): plain_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain_data(item) for item in value]
    return value


def report_data(report: Report) -> dict[str, Any]:
    """The report as a YAML data file writes it (only what differs from the defaults)."""
    # The body's union picks its member by key; pydantic's serializer cannot tell a list block by its alias
    # and says so before serializing it correctly, which the round-trip tests check.
    data = report.model_dump(by_alias=True, exclude_defaults=True, warnings=False)
    data["period"] = report.period.code
    date = report.date
    data.pop("date", None)
    if date.day is not None:
        data["date"] = f"{date.day:02d}/{date.month:02d}/{date.year}"
    elif date.month is not None:
        data["date"] = f"{date.month}/{date.year}"
    if report.title and len(report.title) == 1:
        data["title"] = report.title[0]
    return plain_data(data)


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as the data files in data/ are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def yaml_text(loaded: LoadedReport) -> str:
    report = loaded.report
    heading = (
        f"# Dữ liệu báo cáo của {loaded.unit.name}, {report.period.label}.\n"
        f"# Chuyển từ {loaded.file.name} bằng cchc chuyen-doi; cách viết từng trường: docs/du-lieu.md.\n"
    )
    return heading + report_yaml(report_data(report))


def report_yaml(data: dict[str, Any]) -> str:
    """Report data (the structure of a YAML data file) written as the data files in data/ are."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)


def convert(source: Path, target: Path, registry: Path | None = None) -> Path:
    """Convert a data file between YAML and a workbook, by their suffixes; returns ``target``.
    ``registry`` is the unit registry (by default, the one :func:`~cchc_gen.source.loading.load_report`
    finds)."""
    kinds = {suffix: "yaml" for suffix in YAML_SUFFIXES} | {".xlsx": "xlsx"}
    ends = (kinds.get(source.suffix.lower()), kinds.get(target.suffix.lower()))
    if None in ends or ends[0] == ends[1]:
        raise DataError.single(
            f"Không chuyển được từ '{source.suffix}' sang '{target.suffix}'.",
            file=source,
            fix="Chuyển giữa tệp .yaml và bảng tính .xlsx, ví dụ: cchc chuyen-doi ht-duc-tho.yaml "
            "ht-duc-tho.xlsx (hoặc ngược lại).",
        )
    kind = WORKBOOK if ends[1] == "xlsx" else YAML_DATA
    check_outputs([Output(target, kind, source, "tham số TỆP_RA")], [source], [registry] if registry else [])
    refuse_existing(target)
    loaded = load_report(source, registry)
    if target.suffix.lower() in WORKBOOK_SUFFIXES:
        write_report_workbook(target, loaded.report, loaded.unit, profile_for(loaded.report))
    else:
        write_atomically(target, yaml_text(loaded), "tệp dữ liệu", "trình soạn thảo")
    return target
