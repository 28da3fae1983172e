"""Loading data files: the unit registry and one report file, checked against the model.

A report file is YAML or a workbook (.xlsx, :mod:`cchc_gen.excel.read`); both give the same data, checked
the same way. Every problem found is reported with the file and the place in it (YAML line, or sheet and
cell); a file with problems never reaches the renderer, but what of it is still valid is handed on with its
problems (:class:`InvalidReport`), so that the checks can report theirs in the same run.
:class:`PeriodFolder` is where the commands that take every unit of a period (batch, roll-up) find each
unit's file.
"""

from __future__ import annotations

import difflib
import itertools
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from cchc_gen.errors import DataError, Problem, excerpt, shown
from cchc_gen.excel.read import WORKBOOK_SUFFIXES, read_workbook
from cchc_gen.model.report import Report, Unit
from cchc_gen.paths import REGISTRY_FILE, registry_for
from cchc_gen.source.locations import Source, YamlSource, as_source
from cchc_gen.source.safety import check_regular
from cchc_gen.source.schema_errors import problems_from_validation, valid_part
from cchc_gen.source.yaml_file import PathKey, YamlDocument, load_yaml
from cchc_gen.vn.periods import Period

YAML_SUFFIXES = (".yaml", ".yml")
# The data files of a period folder: the workbook is the one ``cchc mau-excel`` writes.
DATA_SUFFIXES = (*YAML_SUFFIXES, ".xlsx")


@dataclass(frozen=True)
class LoadedReport:
    """A report file, validated, with its unit resolved from the registry."""

    file: Path
    report: Report
    unit: Unit
    # A YAML document parsed by the caller itself (the batch's fast parser) stands for its YamlSource.
    source: Source | YamlDocument
    # Where the file has a value that loading refused (and reported): the checks do not call it missing.
    refused: frozenset[PathKey] = frozenset()

    def where(self, path: tuple[str | int, ...]) -> str | None:
        """Where the value at ``path`` is, in the words of the data file's kind ("dòng 12",
        "Sheet 'Số liệu', ô D14")."""
        return as_source(self.source).where(path)


@dataclass
class InvalidReport(DataError):
    """A report file with problems; ``valid`` is what of it is still valid (``None`` when not even the unit
    is known), for the checks that report their problems with these.

    To the user it is a :class:`~cchc_gen.errors.DataError`; it stays here rather than in errors.py
    because what it hands on is a :class:`LoadedReport`, which errors.py, below every stage, cannot know."""

    valid: LoadedReport | None = field(default=None, kw_only=True)


def load_registry(file: Path) -> dict[str, Unit]:
    """All units of the registry file, keyed by code."""
    if not file.is_file():
        raise DataError.single(
            "Không tìm thấy danh mục đơn vị.",
            file=file,
            fix=f"Đặt tệp {REGISTRY_FILE} cạnh tệp dữ liệu (hoặc ở thư mục cha), hoặc chỉ thư mục dữ liệu có "
            f"{REGISTRY_FILE} bằng tùy chọn --data, biến môi trường CCHC_DATA hay lệnh "
            "cchc cau-hinh --thu-muc-du-lieu.",
        )
    document = load_yaml(file)
    units_data = document.data.get("units") if isinstance(document.data, dict) else None
    if not isinstance(units_data, dict) or not units_data:
        raise DataError.single(
            "Danh mục đơn vị phải có trường 'units' chứa các đơn vị, mỗi đơn vị theo mã của nó.",
            file=file,
            location="dòng 1",
            fix="Bắt đầu tệp bằng 'units:' rồi liệt kê từng đơn vị, ví dụ 'ht-thanh-sen:'.",
        )
    units: dict[str, Unit] = {}
    problems: list[Problem] = []
    for code, data in units_data.items():
        fields = {"code": code, **data} if isinstance(data, dict) else data
        try:
            units[code] = Unit.model_validate(fields)
        except ValidationError as exc:
            problems += problems_from_validation(exc, document, prefix=("units", code), model=Unit)
    if problems:
        raise DataError(problems)
    if cycles := parent_cycles(units, YamlSource(document)):
        raise DataError(cycles)
    return units


def parent_cycles(units: dict[str, Unit], source: Source) -> list[Problem]:
    """A unit that is its own parent, or parents that come back round (a → b → a): the roll-up of any of
    them would be written over the data of a unit it rolls up. ``source``: the registry file they were read
    from, which places each ``parent``."""
    order = list(units)
    problems: list[Problem] = []
    reported: set[str] = set()
    for start in order:
        chain: list[str] = []
        code: str | None = start
        while code is not None and code in units and code not in chain:
            chain.append(code)
            code = units[code].parent
        if code is None or code not in chain or code in reported:
            continue
        cycle = chain[chain.index(code) :]
        first = min(range(len(cycle)), key=lambda i: order.index(cycle[i]))
        cycle = cycle[first:] + cycle[:first]
        reported.update(cycle)
        lines = [f"'{unit}' ({source.where(('units', unit, 'parent'))})" for unit in cycle]
        if len(cycle) == 1:
            message = f"Đơn vị {lines[0]} ghi chính nó là đơn vị cấp trên ('parent: {cycle[0]}')."
        else:
            message = f"Các đơn vị cấp trên lặp vòng: {' → '.join([*lines, lines[0]])}."
        problems.append(
            Problem(
                message + " Tổng hợp theo danh mục này sẽ ghi đè dữ liệu của chính các đơn vị được tổng hợp.",
                source.file,
                source.where(("units", cycle[0], "parent")),
                "Sửa trường 'parent' cho đúng mã đơn vị cấp trên thật của đơn vị đó; đơn vị cấp cao nhất thì "
                "xóa trường 'parent'.",
            )
        )
    return problems


def load_report(
    data_file: Path, registry_file: Path | None = None, units: dict[str, Unit] | None = None
) -> LoadedReport:
    """Load and check one report file (YAML, or a workbook by its suffix); its unit must be in the
    registry. ``units`` is the registry already loaded, for callers that load many files.

    Raises :class:`InvalidReport` with every problem of the file that loading finds (reading, the model,
    the unit), and what of the file is still valid.
    """
    source: Source
    refused: set[PathKey] = set()
    if data_file.suffix.lower() in WORKBOOK_SUFFIXES:
        workbook = read_workbook(data_file)
        data, source, problems = workbook.data, workbook.source, list(workbook.problems)
        refused |= workbook.refused
    else:
        document = load_yaml(data_file)
        if not isinstance(document.data, dict):
            raise DataError.single(
                "Tệp dữ liệu phải là một nhóm trường dạng 'tên: giá trị' (unit, period, sections...).",
                file=data_file,
                fix="Xem một tệp trong data/ làm mẫu.",
            )
        data, source, problems = document.data, YamlSource(document), []
    return load_report_data(data, source, registry_file or registry_for(data_file), units, problems, refused)


def load_report_data(
    data: object,
    source: Source,
    registry_file: Path,
    units: dict[str, Unit] | None = None,
    problems: list[Problem] | None = None,
    refused: set[PathKey] | None = None,
) -> LoadedReport:
    """Check report data already read (from a file, or from a form in the web workspace) against the
    model; ``source`` places each value, ``problems`` are those found while reading it and ``refused``
    where reading refused a value. Raises :class:`InvalidReport` as :func:`load_report` does."""
    problems = list(problems or [])
    refused = set(refused or ())
    try:
        report: Report | None = Report.model_validate(data)
    except ValidationError as exc:
        problems += problems_from_validation(exc, source, model=Report, data=data)
        valid = valid_part(Report, data, exc)
        report = valid[0] if valid else None
        refused |= valid[1] if valid else set()
    if report is None:
        raise InvalidReport(problems)
    if units is None:
        try:
            units = load_registry(registry_file)
        except DataError as exc:
            raise InvalidReport(problems + exc.problems) from None
    unit = units.get(report.unit)
    if unit is None:
        close = difflib.get_close_matches(report.unit, list(units), n=1)
        hint = f"Có phải ý bạn là '{close[0]}'? " if close else ""
        problems.append(
            Problem(
                f"Không tìm thấy đơn vị có mã '{excerpt(report.unit)}' trong danh mục "
                f"{shown(registry_file)}.",
                source.file,
                source.where(("unit",)),
                f"{hint}Sửa {source.field(('unit',))} cho đúng mã, hoặc thêm đơn vị vào danh mục.",
                path=("unit",),
            )
        )
        raise InvalidReport(problems)
    loaded = LoadedReport(source.file, report, unit, source, frozenset(refused))
    if problems:
        raise InvalidReport(problems, valid=loaded)
    return loaded


def data_files(folder: Path) -> Iterator[Path]:
    """The data files in a period folder (YAML files and workbooks), in no particular order. Hidden files
    and the lock files that Excel (``~$…``) and LibreOffice (``.~lock.…#``) keep beside an open workbook
    are not data; a FIFO, a device or a broken link named like a data file is, so that it is reported
    (:meth:`PeriodFolder.file`) rather than silently left out."""
    try:
        entries = os.scandir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    with entries:
        for entry in entries:
            name = entry.name
            if (
                not name.startswith((".", "~$"))
                and os.path.splitext(name)[1].lower() in DATA_SUFFIXES
                and not entry.is_dir()
            ):
                yield Path(entry.path)


class PeriodFolder:
    """The data files of one period folder (``data/<kỳ>/``), listed once: a unit's file is named by its
    code, ``<mã đơn vị>.yaml`` or the workbook ``<mã đơn vị>.xlsx``. With ``units``, only the files of
    these units are looked for, by name, without listing the folder: a run for one unit of a period of
    every commune of the country costs what it costs in a period of ten."""

    def __init__(self, folder: Path, units: Iterable[str] | None = None) -> None:
        self.folder = folder
        # File names, not paths: a batch keeps this for every unit of the period while it runs.
        self._files: dict[str, list[str]] = {}
        for path in data_files(folder) if units is None else _files_of(folder, units):
            self._files.setdefault(path.stem, []).append(path.name)

    @property
    def units(self) -> list[str]:
        """The codes of the units that have a data file (or more than one), sorted."""
        return sorted(self._files)

    def claimed(self, unit: str) -> list[Path]:
        """The unit's data files, and where its file would be under each data suffix: paths no other
        file may take, as it would be read as the unit's data."""
        names = [*self._files.get(unit, ()), *(f"{unit}{suffix}" for suffix in DATA_SUFFIXES)]
        return [self.folder / name for name in names]

    def file(self, unit: str) -> Path | None:
        """The unit's data file, None when it has none. Two files of one unit (a YAML file and a
        workbook) are refused rather than one picked: they may well say different things."""
        found = [self.folder / name for name in sorted(self._files.get(unit, ()))]
        if len(found) > 1:
            raise DataError.single(
                f"Đơn vị '{unit}' có {len(found)} tệp dữ liệu cho kỳ {self.folder.name}: "
                f"{', '.join(path.name for path in found)}; không biết dùng tệp nào.",
                file=self.folder,
                fix="Giữ lại một tệp (YAML hoặc bảng tính), xóa hoặc chuyển các tệp kia ra khỏi thư mục kỳ.",
            )
        if found:  # a FIFO or a device is refused before anyone reads it (the batch hashes it first)
            check_regular(found[0], "tệp dữ liệu")
        return found[0] if found else None


def _files_of(folder: Path, units: Iterable[str]) -> Iterator[Path]:
    """The data files of ``units`` in ``folder``, as :func:`data_files` finds them: each unit's name with
    every data suffix, in capitals or not, once each (a folder that ignores the case of names finds the
    same file under every spelling)."""
    for unit in units:
        if unit.startswith((".", "~$")):
            continue
        seen: set[tuple[int, int]] = set()
        for suffix in DATA_SUFFIXES:
            for letters in itertools.product(*({c.lower(), c.upper()} for c in suffix)):
                path = folder / (unit + "".join(letters))
                try:
                    status = path.lstat()
                except OSError:
                    continue
                if (status.st_dev, status.st_ino) not in seen and not path.is_dir():
                    seen.add((status.st_dev, status.st_ino))
                    yield path


def period_file(data_dir: Path, period: Period, unit: str) -> Path | None:
    """The unit's data file for the period (``<kỳ>/<mã>.yaml`` or ``.xlsx``), if there is one."""
    return PeriodFolder(data_dir / period.code).file(unit)
