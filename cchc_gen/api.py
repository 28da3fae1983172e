"""What the commands do, as library functions: one call per command, no printing, no exiting."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from cchc_gen.errors import CchcError, CheckFailed, DataError, Problem
from cchc_gen.model.check import ERROR, check_report
from cchc_gen.model.profile import Profile, load_profile, profile_name_for
from cchc_gen.render.context import build_context
from cchc_gen.render.docx import make_environment, render_docx
from cchc_gen.render.pdf import convert_to_pdf
from cchc_gen.source.loading import REGISTRY_FILE, LoadedReport, load_report

OUTPUTS = Path("outputs")


def default_output(loaded: LoadedReport) -> Path:
    """``outputs/<period>/<unit code>.docx``: built from validated codes only, never from free text."""
    return OUTPUTS / loaded.report.period.code / f"{loaded.unit.code}.docx"


@dataclass(frozen=True)
class _Prepared:
    """A report checked and laid out, ready to be written."""

    loaded: LoadedReport
    profile: Profile
    context: dict[str, Any]
    target: Path
    warnings: list[Problem]


def _prepare(
    data_file: Path, output: Path | None, env: SandboxedEnvironment, check: bool = True
) -> _Prepared:
    loaded = load_report(data_file)
    profile = load_profile(profile_name_for(loaded.report.profile, loaded.report.period))
    checked = check_report(loaded, profile)
    if check and checked.errors:
        raise DataError(checked.problems)
    context = build_context(loaded.report, loaded.unit, profile, checked.figures, env, checked.pictures)
    warnings = [p for p in checked.problems if p.severity != ERROR]
    return _Prepared(loaded, profile, context, output or default_output(loaded), warnings)


def _write(prepared: _Prepared, env: SandboxedEnvironment) -> Path:
    report = prepared.loaded.report
    where = f"của đơn vị {prepared.loaded.unit.code}, kỳ {report.period.code}"
    render_docx(prepared.profile.template_path, prepared.context, prepared.target, where, env)
    return prepared.target


def render_report(data_file: Path, output: Path | None = None, *, check: bool = True) -> Path:
    """Render one data file to a .docx; returns the path written.

    The report is checked against its profile first and refused when it has errors. ``check=False``
    exists only to reproduce published reports whose own figures are wrong (the seeds); no command uses it.
    """
    env = make_environment()
    return _write(_prepare(data_file, output, env, check), env)


@dataclass(frozen=True)
class Rendered:
    """What a render run wrote, and the warnings (cảnh báo) it found on the way."""

    written: list[Path]
    warnings: list[Problem]


def render_reports(data_files: list[Path], output: Path | None = None, pdf: bool = False) -> Rendered:
    """Render each data file (``output`` only for a single file); with ``pdf``, also a PDF beside each.

    Every file is checked first and all problems are reported together; nothing is written unless all
    files are good.
    """
    if output is not None and len(data_files) != 1:
        raise ValueError("output applies to a single data file")
    env = make_environment()
    prepared, problems = [], []
    for data_file in data_files:
        try:
            prepared.append(_prepare(data_file, output, env))
        except CchcError as exc:
            problems += exc.problems
    if problems:
        raise DataError(problems)
    written = [_write(item, env) for item in prepared]
    warnings = [w for item in prepared for w in item.warnings]
    return Rendered(written + (convert_to_pdf(written) if pdf else []), warnings)


def data_files_in(paths: list[Path]) -> list[Path]:
    """The data files named, and those in the folders named: YAML files and workbooks (the unit registry,
    and the lock files Excel keeps beside an open workbook, are not data files)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            yaml_files = [p for p in path.rglob("*.yaml") if p.name != REGISTRY_FILE]
            workbooks = [p for p in path.rglob("*.xlsx") if not p.name.startswith(("~$", "."))]
            found += sorted(yaml_files + workbooks)
        else:
            found.append(path)
    return found


def check_files(paths: list[Path]) -> list[Problem]:
    """Check data files (or folders of them) without rendering; every problem of every file at once.

    Raises :class:`CheckFailed` when any file has an error; returns the warnings otherwise.
    """
    files = data_files_in(paths)
    if not files:
        raise DataError.single(
            "Không có tệp dữ liệu nào để kiểm tra.",
            file=paths[0] if paths else None,
            fix="Đưa vào tệp .yaml, hoặc thư mục chứa các tệp .yaml của các đơn vị.",
        )
    problems: list[Problem] = []
    for data_file in files:
        try:
            loaded = load_report(data_file)
            problems += check_report(
                loaded, load_profile(profile_name_for(loaded.report.profile, loaded.report.period))
            ).problems
        except CchcError as exc:
            problems += exc.problems
    if any(p.severity == ERROR for p in problems):
        raise CheckFailed(problems, checked=len(files))
    return problems
