"""What the commands do, as library functions: one call per command, no printing, no exiting.

Every command of ``cchc`` calls exactly one function here, and so can any other caller (tests, a web
front-end). ``data_dir`` and ``templates`` are the ``--data`` and ``--templates`` options: left out, the
data folder and the profiles are found as :mod:`cchc_gen.paths` says, from any working folder. Anything a
user can fix is raised as a :class:`~cchc_gen.errors.CchcError`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from cchc_gen.errors import CchcError, CheckFailed, DataError, Problem, Severity
from cchc_gen.lazy import lazy_names
from cchc_gen.paths import (
    PDF,
    REPORT,
    DataFolder,
    Output,
    check_outputs,
    configured_data_folder,
    data_folder,
    find_data_folder,
    outputs_folder,
    registry_for,
    settings_file,
    settings_text,
    template_folders,
    templates_from,
)
from cchc_gen.paths import REGISTRY_FILE as REGISTRY_FILE

# Each command imports the stages it runs when it runs (Word, Excel, the data model, Django are heavy to
# import): ``cchc --help`` and ``cchc doc-so`` import none of them, ``cchc render`` of a YAML file no Excel.
if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

    from cchc_gen.excel.collect import CollectedReports as CollectedReports
    from cchc_gen.excel.collect import Imported
    from cchc_gen.excel.collect import collect_into_reports as collect_into_reports
    from cchc_gen.excel.collect import collection_workbook_bytes as collection_workbook_bytes
    from cchc_gen.excel.convert import NewWorkbook
    from cchc_gen.excel.registry import REGISTRY_COLUMNS as REGISTRY_COLUMNS
    from cchc_gen.excel.registry import registry_workbook as registry_workbook
    from cchc_gen.maintain.fields import FieldUse
    from cchc_gen.maintain.install import InstalledProfile as InstalledProfile
    from cchc_gen.maintain.install import install_profile as install_profile
    from cchc_gen.model.profile import available_profiles as available_profiles
    from cchc_gen.model.report import Unit as Unit
    from cchc_gen.nd30.check import FormatCheckRun
    from cchc_gen.render.pdf import pdf_available as pdf_available
    from cchc_gen.render.prepare import Prepared
    from cchc_gen.runs.batch import BatchReport, ProgressCallback
    from cchc_gen.runs.batch import Progress as Progress
    from cchc_gen.runs.rollup import Rollup
    from cchc_gen.source.loading import LoadedReport
    from cchc_gen.source.word import WordImported
    from cchc_gen.web.server import DemoAccount as DemoAccount
    from cchc_gen.web.server import Opened as Opened
    from cchc_gen.web.server import StoreImport as StoreImport
    from cchc_gen.workspace.files import PeriodFile as PeriodFile
    from cchc_gen.workspace.files import period_file as period_file
    from cchc_gen.workspace.files import period_reports as period_reports
    from cchc_gen.workspace.files import save_picture as save_picture
    from cchc_gen.workspace.files import saved_note as saved_note
    from cchc_gen.workspace.form import AUTHORITIES as AUTHORITIES
    from cchc_gen.workspace.form import SIGNER_LABELS as SIGNER_LABELS
    from cchc_gen.workspace.form import FormError as FormError
    from cchc_gen.workspace.form import field_anchor as field_anchor
    from cchc_gen.workspace.registry import replace_registry as replace_registry
    from cchc_gen.workspace.reports import Place as Place
    from cchc_gen.workspace.reports import ReportForm as ReportForm
    from cchc_gen.workspace.reports import WordStart as WordStart
    from cchc_gen.workspace.reports import check_report_data as check_report_data
    from cchc_gen.workspace.reports import close_pdf_service as close_pdf_service
    from cchc_gen.workspace.reports import data_from_report_form as data_from_report_form
    from cchc_gen.workspace.reports import new_report as new_report
    from cchc_gen.workspace.reports import period_of as period_of
    from cchc_gen.workspace.reports import place as place
    from cchc_gen.workspace.reports import report_changes as report_changes
    from cchc_gen.workspace.reports import report_document as report_document
    from cchc_gen.workspace.reports import report_errors as report_errors
    from cchc_gen.workspace.reports import report_form as report_form
    from cchc_gen.workspace.reports import report_from_previous as report_from_previous
    from cchc_gen.workspace.reports import report_from_word as report_from_word
    from cchc_gen.workspace.reports import report_from_workbook as report_from_workbook
    from cchc_gen.workspace.reports import report_pdf as report_pdf
    from cchc_gen.workspace.reports import report_preview_pages as report_preview_pages
    from cchc_gen.workspace.reports import report_workbook as report_workbook
    from cchc_gen.workspace.reports import report_yaml_text as report_yaml_text
    from cchc_gen.workspace.reports import suggested_periods as suggested_periods
    from cchc_gen.workspace.reports import units as units

# The web workspace's page actions (and the types they take), imported from their module when first used.
_LAZY_MODULES = {
    "cchc_gen.excel.collect": ["CollectedReports", "collect_into_reports", "collection_workbook_bytes"],
    "cchc_gen.excel.registry": ["REGISTRY_COLUMNS", "registry_workbook"],
    "cchc_gen.maintain.install": ["InstalledProfile", "install_profile"],
    "cchc_gen.model.profile": ["available_profiles"],
    "cchc_gen.model.report": ["Unit"],
    "cchc_gen.render.pdf": ["pdf_available"],
    "cchc_gen.runs.batch": ["Progress"],
    "cchc_gen.web.server": ["DemoAccount", "Opened", "StoreImport"],
    "cchc_gen.workspace.files": ["PeriodFile", "period_file", "period_reports", "save_picture", "saved_note"],
    "cchc_gen.workspace.form": ["AUTHORITIES", "SIGNER_LABELS", "FormError", "field_anchor"],
    "cchc_gen.workspace.registry": ["replace_registry"],
    "cchc_gen.workspace.reports": [
        "Place",
        "ReportForm",
        "WordStart",
        "check_report_data",
        "close_pdf_service",
        "data_from_report_form",
        "new_report",
        "period_of",
        "place",
        "report_changes",
        "report_document",
        "report_errors",
        "report_form",
        "report_from_previous",
        "report_from_word",
        "report_from_workbook",
        "report_pdf",
        "report_preview_pages",
        "report_workbook",
        "report_yaml_text",
        "suggested_periods",
        "units",
    ],
}
_LAZY = {name: module for module, names in _LAZY_MODULES.items() for name in names}


__getattr__ = lazy_names(globals(), _LAZY)


# --- render, kiem-tra --------------------------------------------------------------------------------------


def _default_output(loaded: LoadedReport, registry: Path) -> Path:
    """``outputs/<period>/<unit code>.docx`` in the outputs folder of the data folder that holds
    ``registry``: built from validated codes only, never from free text."""
    return outputs_folder(registry.parent) / loaded.report.period.code / f"{loaded.unit.code}.docx"


@dataclass(frozen=True)
class _Planned:
    """A report prepared, the file it goes to, and the registry it was read with."""

    prepared: Prepared
    target: Path
    registry: Path


def _loaded(data_file: Path, registry: Path) -> LoadedReport:
    """``load_report``, but a file that does not load whole is still checked for what of it is valid, so
    that every problem of the file (reading, the model, the unit, figures, narrative) is reported in one
    :class:`DataError`."""
    from cchc_gen.model.profile import profile_for
    from cchc_gen.render.docx import make_environment
    from cchc_gen.render.prepare import check_with_profile
    from cchc_gen.source.loading import InvalidReport, load_report

    try:
        return load_report(data_file, registry)
    except InvalidReport as exc:
        if exc.valid is None:
            raise
        problems = (
            exc.problems
            + check_with_profile(exc.valid, profile_for(exc.valid.report), make_environment()).problems
        )
        raise DataError(problems) from None


def _plan(
    data_file: Path, output: Path | None, env: SandboxedEnvironment, data_dir: Path | None, check: bool = True
) -> _Planned:
    from cchc_gen.render.prepare import prepare

    registry = registry_for(data_file, data_dir)
    prepared = prepare(_loaded(data_file, registry), env, check=check)
    return _Planned(prepared, output or _default_output(prepared.loaded, registry), registry)


def _check_targets(planned: list[_Planned], chosen: bool, pdf: bool = False) -> None:
    """Refuse the run before anything is written when a report (or its PDF) would go onto one of the
    data files or registries read, into a profile, through a link, or where another report goes."""
    from cchc_gen.render.pdf import pdf_beside

    option = "-o" if chosen else None
    outputs = []
    for item in planned:
        source = item.prepared.loaded.file
        outputs.append(Output(item.target, REPORT, source, option))
        if pdf:
            outputs.append(Output(pdf_beside(item.target), PDF, source, option))
    check_outputs(
        outputs,
        inputs=[item.prepared.loaded.file for item in planned],
        registries=[item.registry for item in planned],
    )


def _write(planned: _Planned, env: SandboxedEnvironment) -> Path:
    from cchc_gen.render.docx import render_docx

    prepared = planned.prepared
    render_docx(prepared.profile.template_path, prepared.context, planned.target, prepared.where, env)
    return planned.target


def render_report(
    data_file: Path,
    output: Path | None = None,
    *,
    check: bool = True,
    data_dir: Path | None = None,
    templates: Path | None = None,
) -> Path:
    """Render one data file to a .docx; returns the path written.

    The report is checked against its profile first and refused when it has errors. ``check=False``
    exists only to reproduce published reports whose own figures are wrong (the seeds); no command uses it.
    """
    from cchc_gen.render.docx import make_environment

    with templates_from(templates):
        env = make_environment()
        planned = _plan(data_file, output, env, data_dir, check)
        _check_targets([planned], output is not None)
        return _write(planned, env)


@dataclass(frozen=True)
class Rendered:
    """What a render run wrote, and the warnings (cảnh báo) it found on the way."""

    written: list[Path]
    warnings: list[Problem]


def render_reports(
    data_files: list[Path],
    output: Path | None = None,
    pdf: bool = False,
    *,
    data_dir: Path | None = None,
    templates: Path | None = None,
) -> Rendered:
    """``cchc render``: render each data file (``output`` only for a single file); with ``pdf``, also a
    PDF beside each.

    Every file is checked first and all problems are reported together; nothing is written unless all
    files are good.
    """
    from cchc_gen.render.docx import make_environment
    from cchc_gen.render.pdf import convert_to_pdf

    if output is not None and len(data_files) != 1:
        raise ValueError("output applies to a single data file")
    with templates_from(templates):
        env = make_environment()
        planned, problems = [], []
        for data_file in data_files:
            try:
                planned.append(_plan(data_file, output, env, data_dir))
            except CchcError as exc:
                problems += exc.problems
        if problems:
            raise DataError(problems)
        _check_targets(planned, output is not None, pdf)
        written = [_write(item, env) for item in planned]
    warnings = [w for item in planned for w in item.prepared.warnings]
    return Rendered(written + (convert_to_pdf(written) if pdf else []), warnings)


def data_files_in(paths: list[Path]) -> list[Path]:
    """The data files named, and those in the folders named: YAML files and workbooks (the unit registry,
    and the lock files Excel keeps beside an open workbook, are not data files)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            yaml_files = [p for p in path.rglob("*.yaml") if p.name != REGISTRY_FILE]
            workbooks = [p for p in path.rglob("*.xlsx") if not p.name.startswith(("~$", "."))]
            found += sorted(p for p in yaml_files + workbooks if not p.is_dir())
        else:
            found.append(path)
    return found


@dataclass(frozen=True)
class FilesChecked:
    """What ``cchc kiem-tra`` found in files without errors: their warnings, and how many files."""

    warnings: list[Problem]
    checked: int


def check_files(
    paths: list[Path], *, data_dir: Path | None = None, templates: Path | None = None
) -> FilesChecked:
    """``cchc kiem-tra``: check data files (or folders of them) without rendering; every problem of every
    file at once.

    Raises :class:`CheckFailed` when any file has an error.
    """
    from cchc_gen.model.profile import profile_for
    from cchc_gen.render.docx import make_environment
    from cchc_gen.render.prepare import check_with_profile

    files = data_files_in(paths)
    if not files:
        raise DataError.single(
            "Không có tệp dữ liệu nào để kiểm tra.",
            file=paths[0] if paths else None,
            fix="Đưa vào tệp .yaml, hoặc thư mục chứa các tệp .yaml của các đơn vị.",
        )
    problems: list[Problem] = []
    env = make_environment()
    with templates_from(templates):
        for data_file in files:
            try:
                loaded = _loaded(data_file, registry_for(data_file, data_dir))
                problems += check_with_profile(loaded, profile_for(loaded.report), env).problems
            except CchcError as exc:
                problems += exc.problems
    if any(p.severity == Severity.ERROR for p in problems):
        raise CheckFailed(problems, checked=len(files))
    return FilesChecked(problems, len(files))


# --- doc-so -----------------------------------------------------------------------------------------------


def spell_out(
    text: str,
    *,
    amount: bool = False,
    chan: bool = False,
    le: bool = False,
    tu: bool = False,
    ngan: bool = False,
) -> str:
    """``cchc doc-so``: a number typed in Vietnamese notation, in words (with ``amount``, as an amount of
    money; ``chan``, ``le``, ``tu``, ``ngan``: the clerks' switches)."""
    from cchc_gen.vn import numbers

    style = numbers.ReadingStyle.from_flags(le=le, tu=tu, ngan=ngan)
    return numbers.spell_out(text, amount=amount, chan=chan, style=style)


# --- batch, tong-hop ---------------------------------------------------------------------------------------


def run_batch(
    data_dir: Path | None = None,
    period: str | None = None,
    units: list[str] | None = None,
    *,
    pdf_too: bool = False,
    jobs: int | None = None,
    force: bool = False,
    on_progress: ProgressCallback | None = None,
    templates: Path | None = None,
    period_profile: str | None = None,
) -> BatchReport:
    """``cchc batch``: the reports of every unit of a period (:func:`cchc_gen.runs.batch.run_batch`)."""
    from cchc_gen.runs import batch

    with templates_from(templates):
        return batch.run_batch(
            data_folder(data_dir),
            period,
            units,
            pdf_too=pdf_too,
            jobs=jobs,
            force=force,
            on_progress=on_progress,
            period_profile=period_profile,
        )


def roll_up(
    parent_code: str,
    period: str,
    *,
    data_dir: Path | None = None,
    output: Path | None = None,
    overwrite: bool = False,
    deadline: date | None = None,
    chart: bool = False,
    templates: Path | None = None,
) -> Rollup:
    """``cchc tong-hop``: the data file of a unit from its units' data
    (:func:`cchc_gen.runs.rollup.roll_up`)."""
    from cchc_gen.runs import rollup

    with templates_from(templates):
        return rollup.roll_up(
            parent_code,
            period,
            data_folder(data_dir),
            output,
            overwrite=overwrite,
            deadline=deadline,
            chart=chart,
        )


# --- Excel -------------------------------------------------------------------------------------------------


def unit_workbook(
    unit_code: str,
    period: str,
    output: Path | None = None,
    *,
    from_previous: bool = False,
    data_dir: Path | None = None,
    templates: Path | None = None,
) -> NewWorkbook:
    """``cchc mau-excel``: the workbook a clerk fills in for one unit and period; with ``from_previous``,
    also the warnings about the periods its carried-over words name."""
    from cchc_gen.excel import convert as excel_convert

    with templates_from(templates):
        return excel_convert.unit_workbook(
            unit_code, period, output, from_previous=from_previous, data_dir=data_folder(data_dir)
        )


def convert(
    source: Path, target: Path, *, data_dir: Path | None = None, templates: Path | None = None
) -> Path:
    """``cchc chuyen-doi``: a data file turned from YAML into a workbook or back; returns ``target``."""
    from cchc_gen.excel import convert as excel_convert

    with templates_from(templates):
        return excel_convert.convert(source, target, registry_for(source, data_dir))


def collection_workbook(
    parent_code: str,
    period: str,
    output: Path | None = None,
    *,
    data_dir: Path | None = None,
    templates: Path | None = None,
) -> Path:
    """``cchc mau-excel-thu-thap``: one sheet to collect the figures of every unit below ``parent_code``."""
    from cchc_gen.excel import collect as excel_collect

    with templates_from(templates):
        return excel_collect.collection_workbook(parent_code, period, output, data_dir=data_folder(data_dir))


def import_collection(
    workbook: Path, *, data_dir: Path | None = None, templates: Path | None = None
) -> Imported:
    """``cchc nhap-excel-thu-thap``: the figures of a collection workbook put into each unit's data file."""
    from cchc_gen.excel import collect as excel_collect

    with templates_from(templates):
        return excel_collect.import_collection(workbook, data_dir=data_folder(data_dir))


# --- nhap-word -------------------------------------------------------------------------------------------


def import_word(
    docx: Path,
    *,
    unit: str | None = None,
    period: str | None = None,
    new_period: str | None = None,
    output: Path | None = None,
    data_dir: Path | None = None,
    templates: Path | None = None,
) -> WordImported:
    """``cchc nhap-word``: a report made in Word (.docx) read back into a data file (YAML, or a workbook
    when ``output`` ends in .xlsx), by default ``<thư mục dữ liệu>/<kỳ>/<mã đơn vị>.yaml``.

    ``unit`` is the unit's code (found from the header when left out; a registry entry is proposed when the
    unit is not registered), ``period`` the report's period (found in its trích yếu when left out).
    ``new_period`` starts that period from the report: Số, date and figures emptied, the text kept.
    """
    from cchc_gen.source import word

    folder = data_folder(data_dir)
    registry = registry_for(output, data_dir) if output is not None else folder / REGISTRY_FILE
    with templates_from(templates):
        return word.import_word(
            docx,
            unit_code=unit,
            period_text=period,
            new_period_text=new_period,
            output=output,
            data_dir=folder,
            registry=registry,
        )


# --- template, kiem-tra-the-thuc ---------------------------------------------------------------------------


def new_profile(
    new: str, source: str, valid_from: str | None = None, *, templates: Path | None = None
) -> Path:
    """``cchc template new``: a copy of the profile ``source``, in the user's own profiles folder."""
    from cchc_gen.maintain import scaffold

    with templates_from(templates):
        return scaffold.new_profile(new, source, valid_from)


def template_fields(profile: str, *, templates: Path | None = None) -> list[FieldUse]:
    """``cchc template fields``: every field the profile uses, with the places that use it."""
    from cchc_gen.maintain import fields

    with templates_from(templates):
        return fields.template_fields(profile)


def check_profile(profile: str, *, templates: Path | None = None) -> list[Problem]:
    """``cchc template check``: the profile's problems; raises :class:`CheckFailed` on errors, returns
    the warnings otherwise."""
    from cchc_gen.maintain import lint

    with templates_from(templates):
        return lint.check_profile(profile)


def check_format(files: list[Path]) -> FormatCheckRun:
    """``cchc kiem-tra-the-thuc``: the findings of the Nghị định 30 format check of each .docx."""
    from cchc_gen.nd30 import check as format_rules

    return format_rules.check_files(files)


# --- cau-hinh ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """Where cchc reads and writes, as set and as found: what ``cchc cau-hinh`` shows."""

    file: Path
    configured_data: Path | None
    data: DataFolder
    templates: list[Path]


def configure(data_dir: Path | None = None, *, forget_data: bool = False) -> Settings:
    """``cchc cau-hinh``: set the data folder once for every working folder (``data_dir``, which must
    hold a unit registry), or forget it (``forget_data``); returns the settings in force."""
    if data_dir is not None and forget_data:
        raise ValueError("a data folder is either set or forgotten")
    if forget_data:
        _save_settings(None)
    elif data_dir is not None:
        folder = data_dir.resolve()
        if not (folder / REGISTRY_FILE).is_file():
            raise DataError.single(
                f"Thư mục này không có danh mục đơn vị {REGISTRY_FILE}.",
                file=folder,
                fix=f"Chọn thư mục dữ liệu có tệp {REGISTRY_FILE} (và các thư mục kỳ), ví dụ thư mục data "
                "của bộ dữ liệu.",
            )
        _save_settings(folder)
    return Settings(settings_file(), configured_data_folder(), find_data_folder(), template_folders())


def _save_settings(data_dir: Path | None) -> None:
    from cchc_gen.render.docx import save_atomically

    text = settings_text(data_dir)
    save_atomically(
        settings_file(),
        lambda temporary: Path(temporary).write_text(text, encoding="utf-8"),
        "tệp cài đặt",
        "trình soạn thảo",
    )


# --- serve, nhap-kho, tai-khoan: the web workspace ---------------------------------------------------------
# The page actions of the workspace are the workspace's library calls imported above (place, report_form,
# report_document…); these are its commands. Django is started only inside them.

_ROLES = {"cong-chuc": "clerk", "noi-vu": "officer", "quan-tri": "admin"}


def serve(
    data_dir: Path | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    https: bool = False,
    on_opened: Callable[[Opened], None],
    on_ready: Callable[[str], None],
) -> None:
    """``cchc serve``: open the data folder's store (the period files and demo logins on a fresh one,
    told to ``on_opened``), then answer browsers on ``host``:``port`` until stopped (``on_ready`` gets the
    address). ``https``: behind a reverse proxy that speaks HTTPS."""
    from cchc_gen.web import server
    from cchc_gen.web.config import WebOptions

    options = WebOptions.from_environment(data_folder(data_dir), https=https)
    server.serve(options, host, port, on_opened, on_ready)


def import_into_store(data_dir: Path | None = None) -> StoreImport:
    """``cchc nhap-kho``: read the period files of the data folder into the web workspace's store."""
    from cchc_gen.web import server
    from cchc_gen.web.config import WebOptions

    return server.import_files(WebOptions.from_environment(data_folder(data_dir)))


def create_account(username: str, role: str, unit: str = "", *, data_dir: Path | None = None) -> str:
    """``cchc tai-khoan tao``: a login of the web workspace; ``role`` is cong-chuc, noi-vu or quan-tri.
    Returns its random password, to hand over once."""
    from cchc_gen.web import server
    from cchc_gen.web.config import WebOptions

    options = WebOptions.from_environment(data_folder(data_dir))
    return server.create_account(options, username, _ROLES[role], unit)


def reset_password(username: str, *, data_dir: Path | None = None) -> str:
    """``cchc tai-khoan dat-lai-mat-khau``: a new random password for a login (returned, to hand over
    once); a login locked by failed attempts opens again."""
    from cchc_gen.web import server
    from cchc_gen.web.config import WebOptions

    return server.reset_password(WebOptions.from_environment(data_folder(data_dir)), username)


# The roles ``cchc tai-khoan tao --vai-tro`` offers.
ACCOUNT_ROLES = tuple(_ROLES)
