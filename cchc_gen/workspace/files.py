"""The period files the CLI works on, and the workspace's reports.

The web workspace keeps every version of a report in its store; the CLI (``cchc batch``, ``tong-hop``,
``kiem-tra``) reads ``data/<kỳ>/<mã đơn vị>.yaml``. So that both see the same report, every version saved
in the browser is also written to that file (:func:`write_period_file`), atomically; and the period files
already there are read into the store (:func:`period_reports`), when the store is new and on request
(``cchc nhap-kho``).

A unit has one data file per period: when it had a workbook (``<mã>.xlsx``) and saves from the browser,
the workbook is renamed ``<mã>.xlsx.bak`` (every command passes it by) and the YAML file takes its place;
its content is in the store since it was imported.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cchc_gen.errors import CchcError, DataError, OutputError, Problem
from cchc_gen.excel.convert import plain_data, report_yaml
from cchc_gen.excel.read import WORKBOOK_SUFFIXES, read_workbook
from cchc_gen.model.pictures import picture_from_bytes
from cchc_gen.model.report import Unit
from cchc_gen.render.docx import write_atomically
from cchc_gen.source.loading import REGISTRY_FILE, PeriodFolder, load_registry, load_report
from cchc_gen.source.yaml_file import load_yaml
from cchc_gen.vn.periods import Period, PeriodError

YAML_SUFFIX = ".yaml"
BACKUP_SUFFIX = ".bak"


def period_file_path(data_dir: Path, period: Period, unit: Unit) -> Path:
    """``<data>/<kỳ>/<mã đơn vị>.yaml``: built from a period and a unit of the registry, never from text
    a request brought."""
    return data_dir / period.code / f"{unit.code}{YAML_SUFFIX}"


@dataclass(frozen=True)
class PeriodFile:
    """A version of a report ready to be written to its period file: the YAML is made beforehand, so that
    a save holds the store's lock only for the write itself."""

    target: Path
    unit: Unit
    period: Period
    body: str

    def write(self, saved: str) -> Path:
        """Write it (temporary file, then rename); ``saved`` says which version, by whom and when, in the
        file's heading comment. The unit's workbook for the period, if any, is renamed out of the way."""
        heading = (
            f"# Dữ liệu báo cáo của {self.unit.name}, {self.period.label}.\n"
            f"# {saved}\n"
            "# Tệp này được ghi lại mỗi khi báo cáo được lưu trong trình duyệt (cchc serve). Sửa tệp\n"
            "# bằng tay thì chạy 'cchc nhap-kho' để đưa bản đã sửa vào kho; cách viết từng trường:\n"
            "# docs/du-lieu.md.\n"
        )
        write_atomically(self.target, heading + self.body, "tệp dữ liệu", "trình soạn thảo")
        for suffix in WORKBOOK_SUFFIXES:
            workbook = self.target.with_suffix(suffix)
            if workbook.is_file():
                try:
                    os.replace(workbook, workbook.with_name(workbook.name + BACKUP_SUFFIX))
                except OSError as exc:
                    raise OutputError.single(
                        f"Không đổi tên được bảng tính cũ của đơn vị ({exc.strerror}); các lệnh cchc sẽ thấy "
                        "hai tệp dữ liệu cho cùng đơn vị.",
                        file=workbook,
                        fix="Đóng bảng tính nếu đang mở trong Excel rồi lưu lại báo cáo.",
                    ) from None
        return self.target


def period_file(data_dir: Path, unit: Unit, period: Period, data: Mapping[str, Any]) -> PeriodFile:
    """The period file of a version of the report, ready to be written."""
    return PeriodFile(period_file_path(data_dir, period, unit), unit, period, report_yaml(dict(data)))


@dataclass
class PeriodReport:
    """A unit's report for a period, read from its period file: the data as the file holds it."""

    unit: str
    period: str
    data: dict[str, Any]
    file: Path


@dataclass
class PeriodReports:
    """The reports found in a data folder's period folders, and the files that could not be read."""

    reports: list[PeriodReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def period_folders(data_dir: Path) -> list[tuple[Period, Path]]:
    """The period folders of a data folder (``2026-9T``…), oldest first."""
    found = []
    for folder in data_dir.iterdir() if data_dir.is_dir() else []:
        try:
            period = Period.parse(folder.name)
        except PeriodError:
            continue
        if period.code == folder.name and folder.is_dir():
            found.append((period, folder))
    return sorted(found, key=lambda item: item[0].chronological)


def period_reports(data_dir: Path) -> PeriodReports:
    """Every unit's report in every period folder of ``data_dir``: the files of units in the registry
    that pass the model's checks (the other files' problems are listed, the files are left as they are)."""
    registry = data_dir / REGISTRY_FILE
    units = load_registry(registry)
    result = PeriodReports()
    for period, folder in period_folders(data_dir):
        files = PeriodFolder(folder)
        for code in files.units:
            try:
                file = files.file(code)
                if file is None:
                    continue
                loaded = load_report(file, registry, units)
                if loaded.unit.code != code or loaded.report.period != period:
                    raise DataError.single(
                        f"Tệp ghi đơn vị '{loaded.unit.code}', kỳ {loaded.report.period.code}, nhưng nằm "
                        f"ở chỗ của đơn vị '{code}', kỳ {period.code}.",
                        file=file,
                        fix="Đặt tệp vào thư mục kỳ của nó và đặt tên theo mã đơn vị.",
                    )
            except CchcError as exc:
                result.problems += exc.problems
                continue
            raw = read_workbook(file).data if file.suffix in WORKBOOK_SUFFIXES else load_yaml(file).data
            result.reports.append(PeriodReport(code, period.code, plain_data(raw), file))
    return result


def save_picture(data_dir: Path, period: Period, unit: Unit, upload_name: str, content: bytes) -> str:
    """Keep a picture uploaded for the report beside its period file; returns its name for the report's
    data. The name is made from the unit and the picture's hash, never from the uploaded file's name."""
    picture = picture_from_bytes(upload_name, content)
    suffix = ".png" if content.startswith(b"\x89PNG") else ".jpg"
    name = f"{unit.code}-anh-{picture.sha256[:12]}{suffix}"
    target = data_dir / period.code / name
    if not target.is_file():
        write_atomically(target, content, "ảnh", "trình xem ảnh")
    return name


def saved_note(number: int, author: str, when: dt.datetime) -> str:
    """The heading line of a period file written from the workspace."""
    return f"Phiên bản {number}, lưu bởi {author} lúc {when:%H:%M ngày %d/%m/%Y}."
