"""A generated workbook, edited in tests the way a clerk edits it in Excel, and read back by cchc."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from cchc_gen.errors import DataError, Problem
from cchc_gen.excel import convert as excel
from cchc_gen.model.check import Checked, check_report
from cchc_gen.model.profile import load_profile
from cchc_gen.source.loading import LoadedReport, load_report


class Book:
    """An .xlsx file opened with openpyxl; cells are found by what they hold, as a clerk finds them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.workbook = openpyxl.load_workbook(path)

    def __getitem__(self, sheet: str) -> Any:
        return self.workbook[sheet]

    def row_of(self, sheet: str, column: str, text: str, nth: int = 0) -> int:
        rows = [c.row for c in self.workbook[sheet][column] if isinstance(c.value, str) and c.value == text]
        return rows[nth]

    def figure(self, code: str) -> str:
        """The value cell of an indicator in "Số liệu" (its code is in column F)."""
        return f"D{self.row_of('Số liệu', 'F', code)}"

    def info(self, label: str, nth: int = 0) -> str:
        """The value cell of a field of "Thông tin chung"."""
        return f"B{self.row_of('Thông tin chung', 'A', label, nth)}"

    def body(self, text: str) -> int:
        """The row of "Nội dung" whose text (column E) starts with ``text``."""
        return next(
            c.row
            for c in self.workbook["Nội dung"]["E"]
            if isinstance(c.value, str) and c.value.startswith(text)
        )

    def save(self) -> Book:
        self.workbook.save(self.path)
        return self

    def problems(self) -> list[Problem]:
        """What reading the workbook reports (nothing when it reads)."""
        try:
            load_report(self.path)
        except DataError as exc:
            return exc.problems
        return []

    def load(self) -> LoadedReport:
        return load_report(self.path)

    def check(self) -> Checked:
        loaded = self.load()
        return check_report(loaded, load_profile(loaded.report.profile))


def as_workbook(yaml_file: Path, *, keep_yaml: bool = False) -> Path:
    """A unit's YAML data turned into the workbook a clerk fills in (``cchc chuyen-doi``), beside it;
    the YAML file is removed unless ``keep_yaml``."""
    workbook = excel.convert(yaml_file, yaml_file.with_suffix(".xlsx"))
    if not keep_yaml:
        yaml_file.unlink()
    return workbook


def located(problems: list[Problem]) -> list[tuple[str | None, str]]:
    """Problems as (place, message) pairs, the way the assertions state them."""
    return [(p.location, p.message) for p in problems]
