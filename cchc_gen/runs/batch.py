"""Batch: the reports of every unit of a period, fast, and never losing a file.

:func:`run_batch` is what ``cchc batch`` calls. It renders the data file of every unit,
``data/<period>/<unit code>.yaml`` or the workbook ``data/<period>/<unit code>.xlsx``, to
``outputs/<period>/<unit code>.docx`` (and ``.pdf``), in the data folder's outputs folder
(:func:`~cchc_gen.paths.outputs_folder`), with the same pipeline as ``cchc render``
(:func:`~cchc_gen.render.prepare.prepare`):

- fast: each worker process builds the template once (:class:`~cchc_gen.render.docx.CompiledTemplate`),
  YAML files are parsed by libyaml, the period folder is listed once, and units are shared out between
  processes a few at a time; memory stays the same for 100 units or for every commune of the country;
- a run for some units (``--units``) costs the same in a period of ten units or of every commune of the
  country: it looks for their data files by name, reads their entries from an index of the registry
  (:mod:`~cchc_gen.runs.registry_index`) and their records from the manifest's index
  (:mod:`~cchc_gen.runs.manifest`);
- one bad unit never stops the others: its problems are kept in its result and the run goes on; a unit
  with both a YAML file and a workbook is one of them, as nothing tells which of the two is right;
- every output is written to a temporary file and renamed into place, so an interrupted run leaves no
  partial file; the temporary files of a killed run are removed by the next one;
- ``outputs/<period>/.manifest.jsonl`` records what each output was generated from (hashes of the data
  file, the registry, the template and profile, the generator's code) and the hash of the output. A
  unit whose inputs and output are unchanged is skipped, so a run resumes where the last one stopped.
  An output that no longer has the hash recorded was changed by hand (or not made by cchc): it is not
  overwritten without ``force``, and then a copy is kept in ``outputs/<period>/ban-cu/``;
- an output open in Word (its ``~$`` lock file is there) is reported for that unit, not written.

Progress is reported through a callback; the library never prints.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import datetime as dt
import difflib
import gc
import hashlib
import itertools
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from cchc_gen.errors import BatchError, CchcError, DataError, OutputError, Problem, excerpt, shown
from cchc_gen.model.pictures import PictureError, picture_path
from cchc_gen.model.profile import (
    PROFILE_FILE,
    TEMPLATE_FILE,
    Profile,
    find_profile,
    load_profile,
    profile_name_for,
)
from cchc_gen.model.report import Report, Unit
from cchc_gen.paths import (
    PDF,
    RECORD,
    REPORT,
    Output,
    check_outputs,
    outputs_folder,
    own_templates,
    templates_from,
)
from cchc_gen.render import pdf
from cchc_gen.render.docx import CompiledTemplate, make_environment, save_atomically
from cchc_gen.render.prepare import prepare
from cchc_gen.runs.manifest import INDEX_FILE as MANIFEST_INDEX_FILE
from cchc_gen.runs.manifest import MANIFEST_FILE, Manifest
from cchc_gen.runs.registry_index import INDEX_FILE as REGISTRY_INDEX_FILE
from cchc_gen.runs.registry_index import RegistryIndex
from cchc_gen.source.loading import (
    REGISTRY_FILE,
    YAML_SUFFIXES,
    LoadedReport,
    PeriodFolder,
    data_files,
    load_report,
)
from cchc_gen.source.yaml_file import parse_yaml
from cchc_gen.vn.periods import Period, PeriodError

BACKUP_FOLDER = "ban-cu"
LOCK_FILE = ".cchc-batch.lock"
RUNNING_FILE = ".cchc-batch.running"
UNITS_PER_TASK = 16
TASKS_WAITING = 3  # per worker: enough to keep it busy, few enough to keep memory flat


class Status(Enum):
    DONE = "đã tạo"
    SKIPPED = "bỏ qua"
    FAILED = "lỗi"


@dataclass(frozen=True)
class UnitResult:
    """What happened to one unit; ``reason`` is set when worth showing (always for a failure).
    ``produced`` holds what a worker generated from: data file and output hashes, profile, time."""

    unit: str
    status: Status
    reason: str = ""
    problems: tuple[Problem, ...] = ()
    warnings: int = 0
    produced: dict[str, Any] | None = None  # a manifest entry, as JSON


@dataclass(frozen=True)
class Progress:
    """Sent to the progress callback after each unit of a stage ("docx", then "pdf")."""

    stage: str
    done: int
    total: int
    unit: str


@dataclass
class BatchReport:
    """The outcome of a batch: the status of every unit, and the results worth showing (every failure).

    Only those results are kept, so that a batch of thousands of units runs in constant memory.
    """

    period: str
    output_dir: Path
    statuses: dict[str, Status] = field(default_factory=dict)
    notable: dict[str, UnitResult] = field(default_factory=dict)
    warnings: int = 0
    pdfs_written: int = 0
    # The registry's units expected for the period that have no data file, one problem each. Expected are
    # the units below the same superior as a unit with data (a province's communes), when no --units.
    missing: list[Problem] = field(default_factory=list)

    def add(self, result: UnitResult) -> None:
        self.statuses[result.unit] = result.status
        self.warnings += result.warnings
        if result.reason:
            self.notable[result.unit] = result
        else:
            self.notable.pop(result.unit, None)

    def count(self, status: Status) -> int:
        return sum(1 for s in self.statuses.values() if s is status)

    @property
    def problems(self) -> list[Problem]:
        return [p for r in self.notable.values() if r.status is Status.FAILED for p in r.problems]

    def raise_for_problems(self, allow_missing: bool = False) -> None:
        """Raise :class:`BatchError` when some unit failed, or (unless ``allow_missing``) when some
        expected unit has no data (once the summary has been shown)."""
        problems = self.problems + ([] if allow_missing else self.missing)
        if problems:
            raise BatchError(problems)


ProgressCallback = Callable[[Progress], None]


def run_batch(
    data_dir: Path = Path("data"),
    period: str | None = None,
    units: list[str] | None = None,
    *,
    pdf_too: bool = False,
    jobs: int | None = None,
    force: bool = False,
    on_progress: ProgressCallback | None = None,
    period_profile: str | None = None,
) -> BatchReport:
    """Generate the reports of every unit that has data for ``period`` (the latest one in ``data_dir``
    when not given), or only of ``units``; with ``pdf_too`` also their PDFs. ``period_profile``: the
    profile of the reports whose data names none (the one chosen for the period in the web workspace),
    instead of the one chosen by date.

    ``jobs`` is the number of worker processes (the number of CPUs when not given). ``force`` regenerates
    every unit, also those up to date and those changed by hand (keeping a copy of those first).
    Raises :class:`~cchc_gen.errors.CchcError` only for what stops the whole batch (no data, a broken
    registry, a missing LibreOffice with ``pdf_too``); a unit's problems are in its result.
    """
    code, folder, unit_codes = _select(data_dir, period, units)
    converter = pdf.PdfConverter(jobs or os.cpu_count() or 1) if pdf_too else None
    registry_file = data_dir / REGISTRY_FILE
    registry = RegistryIndex(registry_file, outputs_folder(data_dir) / REGISTRY_INDEX_FILE)
    output_dir = outputs_folder(data_dir) / code
    report = BatchReport(code, output_dir)
    if units is None:
        report.missing = _missing(registry, folder, unit_codes)
    with _locked(output_dir):
        manifest = Manifest(output_dir)
        try:
            inputs = _Inputs(registry.sha256, period_profile)
            progress = _Counter("docx", len(unit_codes), on_progress)

            def plan() -> Iterator[_Job]:
                for unit in unit_codes:
                    try:
                        data_file = folder.file(unit)
                    except DataError as exc:
                        report.add(
                            UnitResult(unit, Status.FAILED, _first_line(exc.problems), tuple(exc.problems))
                        )
                        progress.step(unit)
                        continue
                    assert data_file is not None, "the units are those with a data file"
                    skipped = None if force else _up_to_date(unit, data_file, output_dir, manifest, inputs)
                    if skipped is None:
                        recorded = manifest.get(unit)
                        yield _Job(unit, data_file, output_dir, recorded, force, registry.unit(unit))
                    else:
                        report.add(skipped)
                        progress.step(unit)

            workers = min(jobs or os.cpu_count() or 1, -(-len(unit_codes) // UNITS_PER_TASK))
            # Smaller tasks for a small batch, so that the workers finish together.
            size = max(1, min(UNITS_PER_TASK, len(unit_codes) // (workers * 8)))
            for result in _render_all(plan(), registry_file, period_profile, workers, size):
                report.add(result)
                if result.produced is not None:
                    manifest.record(
                        result.unit, {**inputs.record(result.produced["profile"]), **result.produced}
                    )
                progress.step(result.unit)
            if converter is not None:
                _convert_all(converter, report, manifest, force, on_progress)
        finally:
            manifest.close()
            registry.close()
    report.notable = dict(sorted(report.notable.items()))
    return report


def _select(
    data_dir: Path, period: str | None, units: list[str] | None
) -> tuple[str, PeriodFolder, list[str]]:
    """The period's code, its folder's data files, and the codes of the units to render (the names of
    their files)."""
    found = {
        folder.name: folder
        for folder in data_dir.glob("*")
        if folder.is_dir() and _period_code(folder.name) == folder.name and any(data_files(folder))
    }
    if period is None:
        if not found:
            raise DataError.single(
                "Không có dữ liệu của kỳ nào trong thư mục này.",
                file=data_dir,
                fix="Đặt dữ liệu mỗi kỳ vào một thư mục con theo tên kỳ, ví dụ "
                "data/2026-9T/<mã đơn vị>.yaml hoặc bảng tính data/2026-9T/<mã đơn vị>.xlsx.",
            )
        code = next(iter(found)) if len(found) == 1 else _usual_period(found)
    else:
        try:
            code = Period.parse(period).code
        except PeriodError as exc:
            raise DataError.single(str(exc), fix="Sửa giá trị của --period.") from None
        if code not in found:
            raise DataError.single(
                f"Không có dữ liệu kỳ {code} trong thư mục {shown(data_dir)}.",
                file=data_dir / code,
                fix=f"Các kỳ có dữ liệu: {', '.join(sorted(found)) or '(chưa có)'}.",
            )
    # A run for some units looks for their files only: one unit's run costs the same in any period.
    folder = PeriodFolder(found[code], units or None)
    files = folder.units
    if units:
        unknown = [unit for unit in units if unit not in files]
        if unknown:
            every = PeriodFolder(found[code]).units
            raise DataError(
                [
                    Problem(
                        f"Không có tệp dữ liệu của đơn vị '{excerpt(unit)}' cho kỳ {code}.",
                        found[code],
                        None,
                        _did_you_mean(unit, every) + "Kiểm tra mã đơn vị trong --units.",
                    )
                    for unit in unknown
                ]
            )
        files = sorted(set(units))
    return code, folder, files


def _usual_period(found: dict[str, Path]) -> str:
    """The latest period that a majority of the units (of all periods) have data for; when none has a
    majority, the one most units have (the latest of those): not the newest period one unit started."""
    units = {code: set(PeriodFolder(folder).units) for code, folder in found.items()}
    everyone = set().union(*units.values())

    def latest(code: str) -> tuple[Any, ...]:
        return tuple(Period.parse(code).window[::-1])

    majority = [code for code, have in units.items() if 2 * len(have) > len(everyone)]
    if majority:
        return max(majority, key=latest)
    return max(units, key=lambda code: (len(units[code]), latest(code)))


def _missing(registry: RegistryIndex, folder: PeriodFolder, present: list[str]) -> list[Problem]:
    """The registry's units below the superior of a unit in ``present`` that are not in ``present``,
    in registry order, each as a problem. Two passes over the registry's index, so that a period of
    every commune of the country keeps none of its units in memory."""
    have = set(present)
    superiors = {unit.parent for unit in registry.every_unit() if unit.parent and unit.code in have}
    return [
        Problem(
            f"{unit.short_name} ({code}) chưa có dữ liệu kỳ {folder.folder.name}.",
            folder.folder,
            None,
            f"Đặt tệp dữ liệu {folder.folder.name}/{code}.yaml (hoặc .xlsx) của đơn vị vào thư mục này, hoặc "
            "chạy với --cho-phep-thieu để chỉ tạo báo cáo của các đơn vị đã có dữ liệu.",
        )
        for unit in registry.every_unit()
        if unit.parent in superiors and (code := unit.code) not in have
    ]


def _period_code(name: str) -> str | None:
    try:
        return Period.parse(name).code
    except PeriodError:
        return None


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f"Có phải ý bạn là '{close[0]}'? " if close else ""


class _Counter:
    def __init__(self, stage: str, total: int, on_progress: ProgressCallback | None) -> None:
        self.stage, self.total, self.done, self.on_progress = stage, total, 0, on_progress

    def step(self, unit: str) -> None:
        self.done += 1
        if self.on_progress is not None:
            self.on_progress(Progress(self.stage, self.done, self.total, unit))


# --- What an output was generated from ------------------------------------------------------------------


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _picture_sha256(data_file: Path, name: str) -> str | None:
    try:
        return _sha256(picture_path(data_file.parent, name))
    except (PictureError, OSError):
        return None


class _Inputs:
    """Hashes of what every unit's output depends on besides its own data file."""

    def __init__(self, registry_sha256: str, period_profile: str | None) -> None:
        self.registry = registry_sha256
        self.period_profile = period_profile
        # Every module of the package, sub-packages included: an edited generator renders again.
        package = Path(__file__).resolve().parent.parent
        digest = hashlib.sha256()
        for source in sorted(package.rglob("*.py")):
            digest.update(source.relative_to(package).as_posix().encode() + b"\0" + source.read_bytes())
        self.generator = digest.hexdigest()
        self._profiles: dict[str, dict[str, str | None]] = {}

    def profile(self, name: str) -> dict[str, str | None]:
        if name not in self._profiles:
            folder = find_profile(name)
            self._profiles[name] = {
                "template_sha256": _sha256(folder / TEMPLATE_FILE) if folder else None,
                "profile_sha256": _sha256(folder / PROFILE_FILE) if folder else None,
            }
        return self._profiles[name]

    def record(self, profile: str) -> dict[str, Any]:
        """The inputs of a unit's output besides its data file; the same objects for every unit."""
        return {
            "registry_sha256": self.registry,
            "profile": profile,
            **self.profile(profile),
            "period_profile": self.period_profile,
            "generator_sha256": self.generator,
        }


def _up_to_date(
    unit: str, data_file: Path, output_dir: Path, manifest: Manifest, inputs: _Inputs
) -> UnitResult | None:
    """The skipped result of a unit whose output was generated from the same inputs, else None."""
    entry = manifest.get(unit)
    if entry is None:
        return None
    expected = {**inputs.record(entry.get("profile", "")), "data_sha256": _sha256(data_file)}
    if any(entry.get(key) != value for key, value in expected.items()):
        return None
    if any(_picture_sha256(data_file, name) != sha for name, sha in entry.get("pictures_sha256", {}).items()):
        return None
    output = output_dir / f"{unit}.docx"
    if output.is_symlink():  # never read through a link planted at an output; the worker reports it
        return None
    current = _sha256(output)
    if current is None:
        return None
    if current != entry.get("docx_sha256"):
        return UnitResult(
            unit, Status.SKIPPED, "đã sửa tay sau khi tạo; dữ liệu không đổi nên giữ nguyên bản đã sửa"
        )
    return UnitResult(unit, Status.SKIPPED)


# --- Rendering, in worker processes ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    unit: str
    data_file: Path
    output_dir: Path
    recorded: dict[str, Any] | None
    force: bool
    registry_unit: Unit | None


def _render_all(
    plan: Iterator[_Job], registry_file: Path, period_profile: str | None, workers: int, size: int
) -> Iterator[UnitResult]:
    """Results of the jobs of ``plan``, in tasks of ``size`` units, with at most a few tasks waiting."""
    tasks = iter(lambda: list(itertools.islice(plan, size)), [])
    # The user's own profiles folder (--templates) is passed on: a worker process does not inherit it.
    templates = own_templates()
    if workers <= 1:
        worker = _Worker(registry_file, templates, period_profile)
        for task in tasks:
            yield from worker.run(task)
        return
    executor = concurrent.futures.ProcessPoolExecutor(
        workers, initializer=_start_worker, initargs=(registry_file, templates, period_profile)
    )
    try:
        pending: set[concurrent.futures.Future[list[UnitResult]]] = set()
        for task in tasks:
            pending.add(executor.submit(_run_in_worker, task))
            if len(pending) >= TASKS_WAITING * workers:
                done, pending = concurrent.futures.wait(
                    pending, return_when=concurrent.futures.FIRST_COMPLETED
                )
                for future in done:
                    yield from future.result()
        for future in concurrent.futures.as_completed(pending):
            yield from future.result()
    finally:
        executor.shutdown(cancel_futures=True)


_worker: _Worker | None = None


def _start_worker(registry_file: Path, templates: Path | None, period_profile: str | None) -> None:
    global _worker
    # What the worker inherits from the process that started it (modules, classes, the parent's data)
    # lives as long as it does: left out of its garbage collections, which otherwise walk all of it again
    # and again, copying the pages they touch.
    gc.freeze()
    _keep_freed_memory()
    _worker = _Worker(registry_file, templates, period_profile)


# glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_KEPT_MEMORY = 64 * 1024 * 1024


def _keep_freed_memory() -> None:
    """Keep the memory a report frees for the next one, in a worker process on Linux.

    By default glibc gives a freed block of 128 KB or more back to the system at once, and trims its heap
    when the top is free: a report's XML, a few hundred kilobytes made and dropped in every render, then
    comes as fresh pages from the system each time, about a sixth of a report's time. A worker renders
    report after report, so it keeps up to 64 MB for the next one (``mallopt``); the process that started
    it (the command, or the web server) keeps its own settings."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None)
        libc.mallopt(_M_TRIM_THRESHOLD, _KEPT_MEMORY)
        libc.mallopt(_M_MMAP_THRESHOLD, _KEPT_MEMORY // 4)


def _run_in_worker(task: list[_Job]) -> list[UnitResult]:
    assert _worker is not None, "the pool's initializer sets up the worker"
    return list(_worker.run(task))


class _Worker:
    """Renders units, building each profile's template once."""

    def __init__(self, registry_file: Path, own_templates: Path | None, period_profile: str | None) -> None:
        self.registry_file = registry_file
        self.own_templates = own_templates
        self.period_profile = period_profile
        self.env = make_environment()
        self.profile_names: dict[tuple[str | None, str], str] = {}
        self.profiles: dict[str, Profile] = {}
        self.templates: dict[str, CompiledTemplate] = {}

    def run(self, task: list[_Job]) -> Iterator[UnitResult]:
        for job in task:
            try:
                with templates_from(self.own_templates):
                    result = self.render(job)
            except CchcError as exc:
                result = UnitResult(job.unit, Status.FAILED, _first_line(exc.problems), tuple(exc.problems))
            yield result

    def render(self, job: _Job) -> UnitResult:
        data = job.data_file.read_bytes()
        loaded = self.load(job, data)
        _check_names(job, loaded)
        prepared = prepare(loaded, self.env, choose_profile=self.profile)
        document = self.template(prepared.profile).render_bytes(prepared.context, prepared.where)
        document_sha = hashlib.sha256(document).hexdigest()
        written, note = _write_guarded(job, document, document_sha)
        produced: dict[str, Any] = {
            "data": str(job.data_file),
            "data_sha256": hashlib.sha256(data).hexdigest(),
            "profile": prepared.profile.name,
            "docx_sha256": document_sha,
            "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        pictures = prepared.checked.pictures
        if pictures:  # inputs of the output too: a chart drawn again means a report made again
            produced["pictures_sha256"] = {name: p.sha256 for name, p in pictures.items()}
        status = Status.DONE if written else Status.SKIPPED
        problems = len(prepared.checked.problems)
        return UnitResult(job.unit, status, note, warnings=problems, produced=produced)

    def load(self, job: _Job, data: bytes) -> LoadedReport:
        """``load_report`` for a batch: libyaml's parser for YAML, and the unit from the registry read
        once. Whatever is wrong goes through ``load_report`` itself with the whole registry, so that
        problems read exactly as in every command."""
        try:
            if job.registry_unit is None:
                raise KeyError(job.unit)
            if job.data_file.suffix.lower() not in YAML_SUFFIXES:
                return load_report(job.data_file, self.registry_file, {job.unit: job.registry_unit})
            document = parse_yaml(data, job.data_file)
            report = Report.model_validate(document.data)
            if report.unit != job.unit:
                raise KeyError(report.unit)
            return LoadedReport(job.data_file, report, job.registry_unit, document)
        except (OSError, UnicodeDecodeError, yaml.YAMLError, CchcError, ValidationError, KeyError):
            return load_report(job.data_file, self.registry_file)

    def profile(self, report: Report) -> Profile:
        """The profile of ``report``, loaded once per profile: choosing one by date looks at every
        profile folder, so the choice is kept per profile named and period too."""
        key = (report.profile or self.period_profile, report.period.code)
        if key not in self.profile_names:
            self.profile_names[key] = profile_name_for(key[0], report.period)
        name = self.profile_names[key]
        if name not in self.profiles:
            self.profiles[name] = load_profile(name)
        return self.profiles[name]

    def template(self, profile: Profile) -> CompiledTemplate:
        """The profile's Word template, built once."""
        if profile.name not in self.templates:
            self.templates[profile.name] = CompiledTemplate(profile.template_path, self.env)
        return self.templates[profile.name]


def _check_names(job: _Job, loaded: LoadedReport) -> None:
    """The file name is the unit code and the folder the period: outputs are named from them."""
    report = loaded.report
    if loaded.unit.code != job.unit or report.period.code != job.data_file.parent.name:
        raise DataError.single(
            f"Tệp dữ liệu của đơn vị '{loaded.unit.code}', kỳ {report.period.code} phải có tên "
            f"{report.period.code}/{loaded.unit.code}{job.data_file.suffix}.",
            file=job.data_file,
            location=loaded.where(("unit",)),
            fix="Đổi tên tệp (hoặc chuyển thư mục) cho khớp với trường 'unit' và 'period', "
            "hoặc sửa hai trường này.",
        )


def _first_line(problems: list[Problem]) -> str:
    first = problems[0].message if problems else ""
    more = f" (và {len(problems) - 1} lỗi khác)" if len(problems) > 1 else ""
    return first + more


# --- Writing without losing anything --------------------------------------------------------------------


def word_lock_file(output: Path) -> Path | None:
    """The lock file Word (``~$``…, over the first one or two letters of long names) or LibreOffice
    (``.~lock.…#``) keeps beside a document it has open."""
    name = output.name
    candidates = (f"~${name}", f"~${name[1:]}", f"~${name[2:]}", f".~lock.{name}#")
    return next((output.parent / c for c in candidates if (output.parent / c).exists()), None)


def _write_guarded(job: _Job, document: bytes, document_sha: str) -> tuple[bool, str]:
    """Write ``document`` unless that would lose something: whether it was written and a note worth
    showing; raises when it must not be written."""
    target = job.output_dir / f"{job.unit}.docx"
    check_outputs([Output(target, REPORT)])
    current = _sha256(target)
    if current == document_sha:
        return False, ""
    lock = word_lock_file(target)
    if lock is not None:
        raise OutputError.single(
            f"Báo cáo đang mở trong Word (có tệp khóa {lock.name}) nên không ghi đè được.",
            file=target,
            fix="Đóng tệp trong Word rồi chạy lại lệnh.",
        )
    recorded = job.recorded.get("docx_sha256") if job.recorded else None
    note = ""
    if current is not None and current != recorded:
        if not job.force:
            raise OutputError.single(
                "Báo cáo đã bị sửa tay sau lần tạo gần nhất (hoặc không do cchc tạo ra), nên không ghi đè.",
                file=target,
                fix="Giữ bản đã sửa thì không cần làm gì. Muốn tạo lại từ dữ liệu: chạy lại với --force "
                f"(bản đang có được chép vào {BACKUP_FOLDER}/ trước).",
            )
        backup = _backup(target)
        note = f"tạo lại; bản đã sửa tay lưu ở {shown(backup)}"
    save_atomically(target, lambda temporary: Path(temporary).write_bytes(document))
    return True, note


def _backup(target: Path) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = target.parent / BACKUP_FOLDER
    check_outputs([Output(folder, RECORD)])
    backup = folder / f"{target.stem}-{stamp}{target.suffix}"
    save_atomically(backup, lambda temporary: shutil.copyfile(target, temporary))
    return backup


@contextlib.contextmanager
def _locked(output_dir: Path) -> Iterator[None]:
    """One batch at a time per output folder: the manifest and the clean-up of temporary files need it.
    The temporary files of a run that did not end (its mark, :data:`RUNNING_FILE`, is still there) are
    removed first; a run that ends removes its mark, so that the next one need not list the folder."""
    output_dir.mkdir(parents=True, exist_ok=True)
    names = (LOCK_FILE, RUNNING_FILE, MANIFEST_FILE, MANIFEST_INDEX_FILE)
    check_outputs([Output(output_dir / name, RECORD) for name in names])
    with open(output_dir / LOCK_FILE, "w") as handle:
        if not _try_lock(handle.fileno()):
            raise OutputError.single(
                "Một lần chạy khác đang tạo báo cáo của kỳ này.",
                file=output_dir,
                fix="Chờ lần chạy đó xong rồi chạy lại.",
            )
        running = output_dir / RUNNING_FILE
        if running.exists():
            _remove_stale_temporaries(output_dir)
        running.touch()
        yield
        running.unlink()


def _try_lock(descriptor: int) -> bool:
    """Lock the open file for this process, released when it is closed; False when another holds it.
    The lock modules are the platform's own (fcntl on POSIX, msvcrt on Windows), hence imported here."""
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _remove_stale_temporaries(output_dir: Path) -> None:
    """Temporary files left by a run that was killed (under the lock, no other run is writing)."""
    for folder in (output_dir, output_dir / BACKUP_FOLDER):
        for temporary in folder.glob(".*.tmp"):
            temporary.unlink(missing_ok=True)


# --- PDF ---------------------------------------------------------------------------------------------------


def _convert_all(
    converter: pdf.PdfConverter,
    report: BatchReport,
    manifest: Manifest,
    force: bool,
    on_progress: ProgressCallback | None,
) -> None:
    """PDF for every unit whose .docx is there and whose PDF is missing or was made from another .docx."""
    wanted = []
    for unit, status in report.statuses.items():
        entry = manifest.get(unit) if status is not Status.FAILED else None
        if entry is None:
            continue
        docx = report.output_dir / f"{unit}.docx"
        source_sha = _sha256(docx)
        pdf_file = pdf.pdf_beside(docx)
        try:
            check_outputs([Output(pdf_file, PDF)])
        except OutputError as exc:
            report.add(UnitResult(unit, Status.FAILED, _first_line(exc.problems), tuple(exc.problems)))
            continue
        if (
            force
            or entry.get("pdf_from_sha256") != source_sha
            or _sha256(pdf_file) != entry.get("pdf_sha256")
        ):
            wanted.append((unit, docx, pdf_file, source_sha))
    progress = _Counter("pdf", len(wanted), on_progress)

    def done(index: int, problem: Problem | None) -> None:
        unit, _, pdf_file, source_sha = wanted[index]
        if problem is None:
            manifest.record(
                unit,
                {
                    **(manifest.get(unit) or {}),
                    "pdf_sha256": _sha256(pdf_file),
                    "pdf_from_sha256": source_sha,
                },
            )
            report.pdfs_written += 1
        else:
            report.add(UnitResult(unit, Status.FAILED, f"PDF: {problem.message}", (problem,)))
        progress.step(unit)

    converter.convert([(docx, pdf_file) for _, docx, pdf_file, _ in wanted], done)
