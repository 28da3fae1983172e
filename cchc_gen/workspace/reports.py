"""What the workspace does with one unit's report for one period, as library calls (exposed in ``api``).

The web application calls one of these per page action: open the report as a form with its problems, read
the form back, start the report for a period, produce its .docx (the same parts as ``cchc render`` makes
from the same data), its PDF, its workbook or YAML file. Unit and period always come from the registry and
the period notation, never as text from a request; the report's files are in the data folder's period
folder, as the CLI has them.
"""

from __future__ import annotations

import functools
import hashlib
import json
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from cchc_gen.errors import DataError, Problem, Severity
from cchc_gen.excel.convert import (
    blank_report,
    parse_period,
    plain_data,
    registry_unit,
    report_data,
    report_yaml,
)
from cchc_gen.excel.read import read_workbook
from cchc_gen.excel.write import write_report_workbook
from cchc_gen.model.profile import Profile
from cchc_gen.model.report import Report, Unit, carried_over
from cchc_gen.render.context import build_context
from cchc_gen.render.docx import CompiledTemplate, make_environment
from cchc_gen.render.pdf import PdfService, pdf_page_images
from cchc_gen.source.loading import REGISTRY_FILE, load_report_data
from cchc_gen.source.safety import check_archive
from cchc_gen.source.word import read_word
from cchc_gen.vn.periods import Period, PeriodError
from cchc_gen.workspace import drafts
from cchc_gen.workspace.files import period_file_path, save_picture
from cchc_gen.workspace.form import (
    LABELS,
    FormLayout,
    FormSource,
    FormValues,
    data_from_form,
    form_layout,
    form_values,
    ordered,
)


@dataclass(frozen=True)
class Place:
    """A unit of the registry and a period: whose report, for when, and where its files are."""

    data_dir: Path
    unit: Unit
    period: Period
    # The profile chosen for the period's reports (in the web workspace, by the administrator): a report
    # whose data names none is laid out with it instead of the one chosen by date.
    profile: str | None = None

    @property
    def registry_file(self) -> Path:
        return self.data_dir / REGISTRY_FILE

    @property
    def data_file(self) -> Path:
        return period_file_path(self.data_dir, self.period, self.unit)


def place(data_dir: Path, unit_code: str, period_code: str) -> Place:
    """The unit (by its code in the registry) and the period (in the period notation); a
    :class:`~cchc_gen.errors.DataError` when either is not one."""
    registry_file = data_dir / REGISTRY_FILE
    unit = registry_unit(drafts.registry(registry_file), unit_code, registry_file)
    period = parse_period(period_code)
    if period.code != period_code:
        raise DataError.single(
            f"Kỳ '{period_code}' phải viết là '{period.code}'.", fix="Dùng cách viết kỳ của chương trình."
        )
    return Place(data_dir, unit, period)


def units(data_dir: Path) -> dict[str, Unit]:
    """The unit registry of the data folder."""
    return drafts.registry(data_dir / REGISTRY_FILE)


def _profile(where: Place, data: Mapping[str, Any]) -> Profile:
    named = data.get("profile")
    return drafts.cached_profile(named if isinstance(named, str) and named else where.profile, where.period)


def _layout(where: Place, profile: Profile) -> FormLayout:
    return form_layout(profile, where.unit, where.period)


@dataclass(frozen=True)
class ReportForm:
    """A report as its page shows it: the form's layout, the values of its fields, its problems, and the
    unit's previous report's figures beside its own."""

    place: Place
    layout: FormLayout
    values: FormValues
    check: drafts.DraftCheck
    previous_label: str = ""
    previous: Mapping[str, str] = field(default_factory=dict)
    # Figures still the same as in the previous report: carried over, perhaps not brought up to date.
    stale: frozenset[str] = frozenset()

    def computed(self, code: str) -> str:
        """A figure a rule derived (the clerk left it empty), as the narrative quotes it; "" otherwise."""
        figures = self.check.figures
        if figures is None or self.values.figures.get(code) or code not in figures.values:
            return ""
        return figures.quoted(code)


def report_form(
    where: Place, data: Mapping[str, Any], previous: Mapping[str, Any] | None = None
) -> ReportForm:
    """The report ``data`` as a form, checked; with the unit's ``previous`` report (of an earlier
    period), its figures are shown beside, and those still equal to them are pointed out."""
    data = _fitted(where, data)
    profile = _profile(where, data)
    layout = _layout(where, profile)
    check = drafts.check_draft(data, where.data_file, where.registry_file, layout, profile)
    values = form_values(data, layout)
    if previous is None:
        return ReportForm(where, layout, values, check)
    before = form_values(previous, layout).figures
    stale = frozenset(code for code, text in values.figures.items() if text and before.get(code) == text)
    label = _period_label(previous)
    if stale:
        warning = Problem(
            f"{len(stale)} số liệu vẫn bằng số liệu {label} (đánh dấu “= kỳ trước”): kiểm tra đã cập nhật "
            "cho kỳ này chưa.",
            location=LABELS["figures"],
            fix="Sửa các số liệu đã thay đổi; số liệu thật sự không đổi thì giữ nguyên.",
            severity=Severity.WARNING,
            path=("figures",),
        )
        check = drafts.DraftCheck([*check.problems, warning], check.figures, check.loaded, check.checked)
    return ReportForm(where, layout, values, check, label, before, stale)


def _period_label(data: Mapping[str, Any]) -> str:
    try:
        return Period.parse(str(data.get("period"))).label
    except PeriodError:
        return "kỳ trước"


def check_report_data(where: Place, data: Mapping[str, Any]) -> drafts.DraftCheck:
    """Every problem of the report ``data``, placed at its field."""
    data = _fitted(where, data)
    profile = _profile(where, data)
    return drafts.check_draft(data, where.data_file, where.registry_file, _layout(where, profile), profile)


_ERRORS_KEPT = 4096
_errors: OrderedDict[tuple[str, ...], tuple[dict[str, Unit], Profile, int]] = OrderedDict()
_errors_lock = threading.Lock()


def report_errors(where: Place, data: Mapping[str, Any], version: int | None = None) -> int:
    """The number of errors of the report ``data``, as :func:`check_report_data` counts them; remembered
    for the same content while the registry and the profile are those read then, because the province's
    dashboard asks it for every report being drafted at each view. ``version`` names content that never
    changes (a revision of the web store), so that it need not be hashed."""
    fitted = _fitted(where, data)
    profile = _profile(where, fitted)
    registry = units(where.data_dir)
    if version is None:
        text = json.dumps(fitted, sort_keys=True, ensure_ascii=False, default=str)
        content = hashlib.sha256(text.encode()).hexdigest()
    else:
        content = f"phiên bản {version}"
    key = (str(where.data_dir), where.unit.code, where.period.code, content)
    with _errors_lock:
        known = _errors.get(key)
        if known is not None and known[0] is registry and known[1] is profile:
            _errors.move_to_end(key)
            return known[2]
    errors = check_report_data(where, fitted).errors
    with _errors_lock:
        _errors[key] = (registry, profile, errors)
        while len(_errors) > _ERRORS_KEPT:
            _errors.popitem(last=False)
    return errors


def data_from_report_form(where: Place, form: Mapping[str, str], base: Mapping[str, Any]) -> dict[str, Any]:
    """The report's data from the form's fields (``base``: the version the form was opened on)."""
    base = _fitted(where, base)
    return data_from_form(form, base, _layout(where, _profile(where, base)))


def report_changes(where: Place, mine: Mapping[str, Any], theirs: Mapping[str, Any]) -> list[drafts.Change]:
    """The fields that differ between two versions of the report, labelled as in the form."""
    theirs = _fitted(where, theirs)
    return drafts.changes(_fitted(where, mine), theirs, _layout(where, _profile(where, theirs)))


def _fitted(where: Place, data: Mapping[str, Any]) -> dict[str, Any]:
    """The data with the report's unit and period: those are the place's, whatever the data says."""
    return ordered({**data, "unit": where.unit.code, "period": where.period.code})


# --- starting a report ----------------------------------------------------------------------------


def new_report(where: Place) -> dict[str, Any]:
    """An empty report: the profile's outline as its sections."""
    profile = drafts.cached_profile(where.profile, where.period)
    return plain_data(report_data(blank_report(where.unit, where.period, profile)))


def report_from_previous(where: Place, previous: Mapping[str, Any]) -> dict[str, Any]:
    """The report started from the unit's report of an earlier period (narrative, Kính gửi, signer,
    figures), with Số, date, trích yếu and closing left for the new period. The previous report must pass
    the model's checks."""
    source = FormSource(where.data_file, _layout(where, _profile(where, _fitted(where, previous))))
    try:
        loaded = load_report_data(dict(previous), source, where.registry_file, units(where.data_dir))
    except DataError as exc:
        raise DataError(
            [
                Problem(
                    "Báo cáo kỳ trước còn lỗi nên chưa chép sang kỳ này được: " + exc.problems[0].message,
                    fix="Mở báo cáo kỳ trước, sửa lỗi rồi lưu; hoặc bắt đầu báo cáo trống.",
                )
            ]
        ) from None
    previous_report = loaded.report
    # Unlike the workbook (which shows them beside an empty column), the form keeps the previous figures
    # to be brought up to date; those left unchanged are pointed out (see report_form).
    started = carried_over(previous_report, where.period).model_copy(
        update={"figures": previous_report.figures, "figure_notes": previous_report.figure_notes}
    )
    return plain_data(report_data(started))


def report_from_workbook(where: Place, workbook: Path) -> dict[str, Any]:
    """The report read from a workbook a clerk uploaded (the layout of ``cchc mau-excel``), checked by the
    same archive guard and reader as the CLI's; it must be the unit's workbook for the period."""
    check_archive(workbook, "bảng tính")
    read = read_workbook(workbook)
    registry = units(where.data_dir)
    report = load_report_data(
        read.data, read.source, where.registry_file, registry, read.problems, read.refused
    ).report
    if report.unit != where.unit.code or report.period != where.period:
        raise DataError.single(
            f"Bảng tính là báo cáo của đơn vị '{report.unit}', {report.period.label}; đang tạo báo cáo của "
            f"{where.unit.short_name}, {where.period.label}.",
            file=workbook.name,
            fix="Tải lên đúng bảng tính của đơn vị và kỳ này (ô “Đơn vị” và “Kỳ báo cáo” ở sheet Thông tin "
            "chung).",
        )
    return plain_data(read.data)


@dataclass(frozen=True)
class WordStart:
    """A report started from a Word report: its data, and what the reading said (each with its place in
    the .docx) for the clerk to look at."""

    data: dict[str, Any]
    problems: list[Problem]


def report_from_word(where: Place, document: Path) -> WordStart:
    """The report started from a Word report a clerk uploaded (read as ``cchc nhap-word`` reads it, behind
    the same archive guard): it must be the unit's; a report of another period becomes the start of this
    one, as the previous period's report does (:func:`~cchc_gen.model.report.carried_over`). Its pictures
    are kept beside the period file, as pictures uploaded in the form are."""

    def keep(data: bytes, suffix: str) -> str:
        return save_picture(where.data_dir, where.period, where.unit, f"anh{suffix}", data)

    read = read_word(
        document, units(where.data_dir), keep, unit_code=where.unit.code, assumed_period=where.period
    )
    report = read.report if read.report.period == where.period else carried_over(read.report, where.period)
    return WordStart(plain_data(report_data(report)), read.problems)


# --- producing -------------------------------------------------------------------------------------


_RENDER_LOCK = threading.Lock()


@functools.lru_cache(maxsize=4)
def _compiled(template: Path, stamp: tuple[int, int]) -> tuple[CompiledTemplate, SandboxedEnvironment]:
    env = make_environment()
    return CompiledTemplate(template, env), env


def report_document(where: Place, data: Mapping[str, Any]) -> bytes:
    """The report's .docx, as ``cchc render`` writes it from the same data; refused (DataError with every
    error) while the report has errors."""
    data = _fitted(where, data)
    profile = _profile(where, data)
    check = drafts.check_draft(data, where.data_file, where.registry_file, _layout(where, profile), profile)
    if check.errors or check.loaded is None or check.checked is None:
        raise DataError([p for p in check.problems if p.severity == Severity.ERROR])
    template = profile.template_path
    status = template.stat()
    loaded, checked = check.loaded, check.checked
    # One compiled template per profile, shared: its render mutates the template's core properties.
    with _RENDER_LOCK:
        compiled, env = _compiled(template, (status.st_mtime_ns, status.st_size))
        context = build_context(loaded.report, loaded.unit, profile, checked.figures, env, checked.pictures)
        return compiled.render_bytes(context, f"của đơn vị {where.unit.code}, kỳ {where.period.code}")


def report_workbook(where: Place, data: Mapping[str, Any]) -> bytes:
    """The report as the workbook ``cchc chuyen-doi`` writes (the data must pass the model's checks)."""
    data = _fitted(where, data)
    profile = _profile(where, data)
    source = FormSource(where.data_file, _layout(where, profile))
    report: Report = load_report_data(data, source, where.registry_file, units(where.data_dir)).report
    with tempfile.TemporaryDirectory(prefix="cchc-xlsx-") as folder:
        target = Path(folder) / f"{where.unit.code}.xlsx"
        write_report_workbook(target, report, where.unit, profile)
        return target.read_bytes()


def report_yaml_text(where: Place, data: Mapping[str, Any]) -> str:
    """The report as a YAML data file."""
    heading = f"# Dữ liệu báo cáo của {where.unit.name}, {where.period.label}.\n"
    return heading + report_yaml(_fitted(where, data))


_PDF_SERVICE: PdfService | None = None
_PDF_LOCK = threading.Lock()


def pdf_service() -> PdfService:
    """The LibreOffice kept running for the workspace's PDFs (started at the first PDF asked for)."""
    global _PDF_SERVICE
    with _PDF_LOCK:
        if _PDF_SERVICE is None:
            _PDF_SERVICE = PdfService()
        return _PDF_SERVICE


def report_preview_pages(where: Place, data: Mapping[str, Any], cache: Path) -> list[Path]:
    """The report's pages as PNG pictures, for a preview (made once per document, kept in ``cache``); an
    empty list when poppler's pdftoppm is not installed (show the PDF itself then)."""
    pdf = report_pdf(where, data, cache / "pdf")
    return pdf_page_images(pdf, cache / "trang" / pdf.stem)


def period_of(code: str) -> Period | None:
    """The period written ``code`` in the period notation, else None."""
    try:
        period = Period.parse(code)
    except PeriodError:
        return None
    return period if period.code == code else None


def suggested_periods(today: date) -> list[Period]:
    """The periods a clerk is likely to report for around ``today``: this year's and last year's, latest
    first."""
    found = []
    for year in (today.year, today.year - 1):
        for suffix in ("-Q1", "-6T", "-Q2", "-Q3", "-9T", "-Q4", "-6TC", ""):
            found.append(Period.parse(f"{year}{suffix}"))
    return sorted(found, key=lambda period: period.chronological, reverse=True)


def close_pdf_service() -> None:
    """Stop the workspace's LibreOffice (the server is stopping)."""
    global _PDF_SERVICE
    with _PDF_LOCK:
        if _PDF_SERVICE is not None:
            _PDF_SERVICE.close()
            _PDF_SERVICE = None


def report_pdf(where: Place, data: Mapping[str, Any], cache: Path) -> Path:
    """The report's PDF, converted from its .docx by the long-lived LibreOffice; kept in ``cache`` by the
    document's hash, so that the same document is converted once. Takes no lock of the CLI's batch."""
    document = report_document(where, data)
    digest = hashlib.sha256(document).hexdigest()[:24]
    target = cache / f"{digest}.pdf"
    if not target.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="cchc-pdf-", dir=cache) as folder:
            source = Path(folder) / f"{where.unit.code}.docx"
            source.write_bytes(document)
            pdf_service().convert(source, target)
    return target
