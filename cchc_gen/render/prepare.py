"""From a loaded report to what its template is rendered with: the one pipeline of ``render`` and ``batch``.

:func:`prepare` picks the report's profile, checks the report against it, refuses it when it has errors,
and builds the template's context. ``cchc render`` (:mod:`cchc_gen.api`) calls it for each data file and
``cchc batch`` (:mod:`cchc_gen.runs.batch`) for each unit; they differ only in how they load a data file
(the batch parses YAML with libyaml and reads the registry once) and in how they write the document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from cchc_gen.errors import DataError, Problem, Severity
from cchc_gen.model.check import Checked, check_report
from cchc_gen.model.profile import Profile, profile_for
from cchc_gen.model.report import Report
from cchc_gen.render.context import build_context, expand_profile_text
from cchc_gen.source.loading import LoadedReport


@dataclass(frozen=True)
class Prepared:
    """A report checked and laid out, ready to be rendered with its profile's template."""

    loaded: LoadedReport
    profile: Profile
    checked: Checked
    context: dict[str, Any]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.checked.problems if p.severity != Severity.ERROR]

    @property
    def where(self) -> str:
        """The report, in the words of a rendering error ("của đơn vị ht-duc-tho, kỳ 2026-9T")."""
        return f"của đơn vị {self.loaded.unit.code}, kỳ {self.loaded.report.period.code}"


def check_with_profile(loaded: LoadedReport, profile: Profile, env: SandboxedEnvironment) -> Checked:
    """:func:`check_report` with the profile's text fields said for the report's unit and period (the
    outline's titles, to compare with the report's headings)."""
    unit, period = loaded.unit, loaded.report.period
    return check_report(loaded, profile, lambda text: expand_profile_text(text, unit, period, profile, env))


def prepare(
    loaded: LoadedReport,
    env: SandboxedEnvironment,
    *,
    choose_profile: Callable[[Report], Profile] = profile_for,
    check: bool = True,
) -> Prepared:
    """Pick the profile of ``loaded`` (``choose_profile``: a batch keeps the profiles it has loaded),
    check the report against it, refuse it on errors, and build the template's context.

    ``check=False`` renders a report in spite of its errors: only for published reports whose own
    figures are wrong (the seeds); no command uses it.
    """
    profile = choose_profile(loaded.report)
    checked = check_with_profile(loaded, profile, env)
    if check and checked.errors:
        raise DataError(checked.problems)
    context = build_context(loaded.report, loaded.unit, profile, checked.figures, env, checked.pictures)
    return Prepared(loaded, profile, checked, context)
