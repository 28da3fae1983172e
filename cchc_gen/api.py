"""What the commands do, as library functions: one call per command, no printing, no exiting."""

from __future__ import annotations

import difflib
from pathlib import Path

from .errors import DataError, Problem
from .layout import build_context
from .loading import LoadedReport, load_report
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


def render_report(data_file: Path, output: Path | None = None) -> Path:
    """Render one data file to a .docx; returns the path written."""
    loaded = load_report(data_file)
    profile = load_profile(loaded.report.profile)
    check_figure_codes(loaded, profile)
    env = make_environment()
    context = build_context(loaded.report, loaded.unit, profile, env)
    target = output or default_output(loaded)
    where = f"của đơn vị {loaded.unit.code}, kỳ {loaded.report.period.code}"
    render_docx(profile.template_path, context, target, where, env)
    return target
