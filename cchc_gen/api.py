"""What the commands do, as library functions: one call per command, no printing, no exiting."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from .errors import CchcError, DataError, Problem
from .layout import build_context
from .loading import LoadedReport, load_report
from .pdf import convert_to_pdf
from .profiles import Profile, load_profile
from .rendering import make_environment, render_docx

OUTPUTS = Path("outputs")


def default_output(loaded: LoadedReport) -> Path:
    """``outputs/<period>/<unit code>.docx``: built from validated codes only, never from free text."""
    return OUTPUTS / loaded.report.period.code / f"{loaded.unit.code}.docx"


def check_figure_codes(loaded: LoadedReport, profile: Profile) -> None:
    """Every figure must belong to an indicator of the profile, or it would silently vanish."""
    known = _indicator_codes(profile)
    problems = []
    for field in ("figures", "figure_notes"):
        for code in getattr(loaded.report, field):
            if code in known:
                continue
            close = difflib.get_close_matches(code, sorted(known), n=1)
            problems.append(
                Problem(
                    f"Chỉ tiêu '{code}' không có trong danh mục chỉ tiêu của bộ mẫu '{profile.name}'.",
                    loaded.file,
                    f"dòng {loaded.document.line_of((field, code))}",
                    f"Có phải ý bạn là '{close[0]}'?" if close else "Sửa mã chỉ tiêu cho đúng danh mục.",
                )
            )
    if problems:
        raise DataError(problems)


def _indicator_codes(profile: Profile) -> set[str]:
    codes: set[str] = set()
    stack = list(profile.spec.appendix.indicators) if profile.spec.appendix else []
    while stack:
        indicator = stack.pop()
        if indicator.code:
            codes.add(indicator.code)
        stack.extend(indicator.items)
    return codes


@dataclass(frozen=True)
class _Prepared:
    """A report checked and laid out, ready to be written."""

    loaded: LoadedReport
    profile: Profile
    context: dict[str, Any]
    target: Path


def _prepare(data_file: Path, output: Path | None, env: SandboxedEnvironment) -> _Prepared:
    loaded = load_report(data_file)
    profile = load_profile(loaded.report.profile)
    check_figure_codes(loaded, profile)
    context = build_context(loaded.report, loaded.unit, profile, env)
    return _Prepared(loaded, profile, context, output or default_output(loaded))


def _write(prepared: _Prepared, env: SandboxedEnvironment) -> Path:
    report = prepared.loaded.report
    where = f"của đơn vị {prepared.loaded.unit.code}, kỳ {report.period.code}"
    render_docx(prepared.profile.template_path, prepared.context, prepared.target, where, env)
    return prepared.target


def render_report(data_file: Path, output: Path | None = None) -> Path:
    """Render one data file to a .docx; returns the path written."""
    env = make_environment()
    return _write(_prepare(data_file, output, env), env)


def render_reports(data_files: list[Path], output: Path | None = None, pdf: bool = False) -> list[Path]:
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
    return written + (convert_to_pdf(written) if pdf else [])
