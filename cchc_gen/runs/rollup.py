"""Roll-up: the data file of the level above (a province, formerly a district) from its units' data.

:func:`roll_up` is what ``cchc tong-hop`` calls. The units rolled up are those whose ``parent`` in the
registry is the given unit, so the same code serves today's two-level government (province ← communes)
and the three levels of earlier periods (district ← communes, province ← districts): a district's file
written here is an ordinary data file, and rolls up into its province like any other.

How each kind of figure goes up (the kinds are the profile's indicator types):

- counts (``integer``, ``money``) are added over the units that gave them;
- a percentage is recomputed from the added counts with the profile's rate rule (done out of planned, on
  time out of resolved…), never averaged, when the units gave it; a percentage that no rate rule defines,
  and a ``decimal`` (a score, a measure), cannot be carried up: it is left empty, with a note giving the
  units' range;
- coded answers (``code``) and texts belong to each unit: left empty, with a note counting the answers.

A unit's data is its YAML file or its workbook in the period folder, read alike. A unit whose data has
errors (or that has both a YAML file and a workbook, which may say different things) is left out of the
sums (its figures are not to be trusted) and, like a unit with no data, is reported as a problem; a
report signed after the deadline is reported as late. The parent's file is written all the same, as a
normal data file: the figures feed the indicator appendix (Phụ lục I), a table of each unit's key figures
is the next appendix (Phụ lục II), and the outline's sections get sentences that quote the figures with
placeholders, for the writer to keep or rewrite. A parent whose own data for the period is a workbook
gets the roll-up in that workbook, so that its writer goes on working in the file they know and the
folder never holds two files of one unit.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from string import Template
from typing import Any, Literal

import yaml

from cchc_gen.errors import (
    CchcError,
    DataError,
    IncompleteRollup,
    OutputError,
    Problem,
    Severity,
    excerpt,
    os_reason,
    shown,
)
from cchc_gen.excel.write import write_report_workbook
from cchc_gen.model.check import Value, check_report
from cchc_gen.model.profile import DEFAULT_PROFILE, Indicator, Profile, ProfileSpec, RateRule, load_profile
from cchc_gen.model.report import Level, Report, Unit
from cchc_gen.paths import CHART, DATA, Output, check_outputs
from cchc_gen.render.context import expand_profile_text
from cchc_gen.render.docx import make_environment, save_atomically
from cchc_gen.source.loading import REGISTRY_FILE, PeriodFolder, load_registry, load_report
from cchc_gen.vn import numbers
from cchc_gen.vn.dates import IssueDate, prose_date
from cchc_gen.vn.periods import Period, PeriodError

CHART_SUFFIX = ".bieu-do.png"

# How the units of one level are named as a group: in titles, and as the subject of a sentence.
_GROUPS: dict[Level, tuple[str, str]] = {
    "xa": ("đơn vị hành chính cấp xã", "Cấp xã"),
    "phuong": ("đơn vị hành chính cấp xã", "Cấp xã"),
    "dac-khu": ("đơn vị hành chính cấp xã", "Cấp xã"),
    "huyen": ("đơn vị hành chính cấp huyện", "Cấp huyện"),
    "tinh": ("tỉnh, thành phố", "Các tỉnh, thành phố"),
    "so": ("sở, ban, ngành", "Các sở, ban, ngành"),
    "doan": ("đoàn, tổ công tác", "Các đoàn, tổ công tác"),
}
_MIXED_GROUP = ("đơn vị trực thuộc", "Các đơn vị trực thuộc")

_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)(?:/([a-z0-9_]+)|:dem)?\}")

# Sentences for the standard figures of the indicator catalogue, by outline section. A sentence is
# written only when every figure it quotes is known; "$who" is the units as a group ("Cấp xã"). The
# figures stay placeholders, so the text follows when the writer corrects a figure.
_SENTENCES: tuple[tuple[str, str], ...] = (
    (
        "chi-dao",
        "$who đã hoàn thành {kh_hoan_thanh/kh_nhiem_vu} nhiệm vụ theo kế hoạch cải cách hành chính, "
        "đạt {kh_ty_le}.",
    ),
    ("chi-dao", "$who ban hành {kh_van_ban_chi_dao:dem} văn bản chỉ đạo, điều hành cải cách hành chính."),
    (
        "chi-dao",
        "$who được giao {nv_tong_so:dem} nhiệm vụ; đã hoàn thành đúng hạn {nv_dung_han:dem} nhiệm vụ, "
        "hoàn thành quá hạn {nv_qua_han:dem} nhiệm vụ.",
    ),
    (
        "chi-dao",
        "$who phát hiện {kt_van_de_phat_hien:dem} vấn đề qua kiểm tra cải cách hành chính, "
        "đã xử lý xong {kt_van_de_da_xu_ly:dem} vấn đề.",
    ),
    (
        "chi-dao",
        "$who hoàn thành {tt_hoan_thanh/tt_nhiem_vu} nhiệm vụ theo kế hoạch tuyên truyền "
        "cải cách hành chính.",
    ),
    (
        "ket-qua",
        "$who ban hành {vbqppl_ban_hanh:dem} văn bản quy phạm pháp luật, "
        "rà soát {vbqppl_ra_soat:dem} văn bản; {vbqppl_da_xu_ly/vbqppl_kien_nghi_xu_ly} văn bản "
        "có kiến nghị xử lý đã được xử lý xong.",
    ),
    (
        "ket-qua",
        "$who tiếp nhận {hs_tiep_nhan:dem} hồ sơ thủ tục hành chính, "
        "đã giải quyết {hs_da_giai_quyet:dem} hồ sơ (trước hạn {hs_truoc_han:dem} hồ sơ, "
        "đúng hạn {hs_dung_han_so:dem} hồ sơ, quá hạn {hs_qua_han:dem} hồ sơ), "
        "đang giải quyết {hs_dang_giai_quyet:dem} hồ sơ.",
    ),
    ("ket-qua", "Tỷ lệ hồ sơ do cấp xã tiếp nhận được giải quyết trước hạn, đúng hạn đạt {hs_dung_han_xa}."),
    (
        "ket-qua",
        "Tỷ lệ hồ sơ do cấp huyện tiếp nhận được giải quyết trước hạn, đúng hạn đạt {hs_dung_han_huyen}.",
    ),
    (
        "ket-qua",
        "$who tiếp nhận {pakn_tiep_nhan:dem} phản ánh, kiến nghị, đã giải quyết "
        "{pakn_da_giai_quyet/pakn_tiep_nhan} phản ánh, kiến nghị.",
    ),
    (
        "ket-qua",
        "$who được giao {bc_duoc_giao:dem} biên chế công chức, có mặt {bc_co_mat:dem} người; "
        "đã tinh giản {bc_tinh_gian:dem} người.",
    ),
)


@dataclass(frozen=True)
class _Column:
    """A column of the per-unit table. ``count``: one figure; ``ratio``: "done/planned" from two;
    ``rate``: the first of ``codes`` that is known (the on-time rate is named after the level)."""

    header: str
    kind: Literal["count", "ratio", "rate"]
    codes: tuple[str, ...]


# The on-time rate is also what the chart draws: the figure a reader compares between units at a glance.
_ON_TIME = _Column(
    "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn", "rate", ("hs_dung_han_xa", "hs_dung_han_huyen")
)
# The chart goes where the sentences on the on-time rate are.
_ON_TIME_SECTION = "ket-qua"
_CHART_CAPTION = "Biểu đồ 1. Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn của từng đơn vị"
_CHART_WIDTH_CM = 16  # as drawn: its lettering is sized for that width
_COLUMNS = (
    _Column("Nhiệm vụ CCHC hoàn thành/kế hoạch", "ratio", ("kh_hoan_thanh", "kh_nhiem_vu")),
    _Column("Tỷ lệ hoàn thành kế hoạch", "rate", ("kh_ty_le",)),
    _Column("Hồ sơ tiếp nhận", "count", ("hs_tiep_nhan",)),
    _Column("Hồ sơ đã giải quyết", "count", ("hs_da_giai_quyet",)),
    _ON_TIME,
)


class UnitStatus(Enum):
    INCLUDED = "đã tổng hợp"
    MISSING = "chưa có số liệu"
    INVALID = "số liệu có lỗi"


@dataclass(frozen=True)
class UnitData:
    """One unit below the parent, and what its data file gave for the period."""

    unit: Unit
    file: Path
    status: UnitStatus
    figures: dict[str, Value] = field(default_factory=dict)
    profile: str | None = None
    problems: tuple[Problem, ...] = ()
    signed: IssueDate = field(default_factory=IssueDate)
    # None when no deadline was given, or when the signing date does not tell (its day left blank).
    late: bool | None = None


@dataclass(frozen=True)
class Rollup:
    """What :func:`roll_up` wrote, and what the person in charge must follow up."""

    parent: Unit
    period: Period
    written: Path
    backup: Path | None
    chart: Path | None
    units: list[UnitData]
    # Units with no data or with errors, and errors of the written file: the roll-up is incomplete.
    problems: list[Problem]
    # Late or undated reports, a chart that could not be drawn, warnings of the written file.
    warnings: list[Problem]

    def count(self, status: UnitStatus) -> int:
        return sum(u.status is status for u in self.units)

    def raise_for_problems(self) -> None:
        """Raise :class:`IncompleteRollup` when some unit is missing (once the summary has been shown)."""
        if self.problems:
            raise IncompleteRollup(self.problems, self.written)


def roll_up(
    parent_code: str,
    period: str,
    data_dir: Path = Path("data"),
    output: Path | None = None,
    *,
    overwrite: bool = False,
    deadline: date | None = None,
    chart: bool = False,
) -> Rollup:
    """Write the data file of ``parent_code`` for ``period`` from the data files of its units.

    The file goes to ``output``, by default the parent's data file of the period beside the units' files:
    ``<data_dir>/<period>/<parent_code>.yaml``, or ``<parent_code>.xlsx`` when the parent already has that
    workbook (a file ending in .xlsx is written as a workbook). An existing file is the writer's work: it
    is replaced only with ``overwrite``, and kept as ``<name>.bak`` (``.bak.2``… when that exists).
    Reports signed after ``deadline`` are late. With ``chart``, the units' on-time rates are also drawn
    to ``<name>.bieu-do.png`` beside the file.
    """
    try:
        when = Period.parse(period)
    except PeriodError as exc:
        raise DataError.single(str(exc), fix="Sửa giá trị của --period.") from None
    registry = data_dir / REGISTRY_FILE
    units = load_registry(registry)
    parent = _parent(parent_code, units, registry)
    children = [u for u in units.values() if u.parent == parent.code]
    if not children:
        raise DataError.single(
            f"Không có đơn vị nào trực thuộc {parent.short_name} ('{parent.code}') trong danh mục.",
            file=registry,
            fix=f"Ghi 'parent: {parent.code}' cho các đơn vị trực thuộc trong danh mục đơn vị.",
        )
    folder = PeriodFolder(data_dir / when.code)
    target = output or folder.file(parent.code) or folder.folder / f"{parent.code}.yaml"
    check_outputs(
        [Output(target, DATA, option="-o" if output else None)]
        + ([Output(chart_path(target), CHART)] if chart else []),
        inputs=[file for child in children for file in folder.claimed(child.code)],
        registries=[registry],
    )
    if target.exists() and not overwrite:
        raise OutputError.single(
            "Tệp dữ liệu tổng hợp đã có (có thể đã được sửa tay), không ghi đè.",
            file=target,
            fix="Chạy lại với --ghi-de để ghi đè (bản cũ được giữ lại thành tệp .bak), "
            "hoặc dùng -o để ghi vào tệp khác.",
        )
    profiles: dict[str | None, Profile] = {}
    gathered = [_gather(child, folder, when, units, registry, deadline, profiles) for child in children]
    profile = _common_profile(gathered, profiles)
    aggregate = _Aggregate(profile.spec, gathered)
    problems = [p for u in gathered for p in _unit_problems(u, when, units)]
    warnings = [p for u in gathered for p in _unit_warnings(u, deadline)]
    drawn = _chart(target, when, aggregate, gathered, warnings) if chart else None
    text = _document(parent, when, profile, aggregate, gathered, deadline, drawn)
    backup = _backup(target) if target.exists() else None
    if target.suffix.lower() == ".xlsx":
        write_report_workbook(target, Report.model_validate(yaml.safe_load(text)), parent, profile)
    else:
        save_atomically(target, lambda temporary: Path(temporary).write_text(text, encoding="utf-8"))

    own = check_report(load_report(target, registry, units), profile).problems
    if own_errors := [p for p in own if p.severity == Severity.ERROR]:
        problems.append(
            Problem(
                "Tệp tổng hợp không qua được kiểm tra của bộ mẫu: số liệu các đơn vị không đồng bộ.",
                target,
                fix="Bổ sung số liệu còn thiếu của các đơn vị rồi tổng hợp lại, "
                "hoặc sửa theo từng lỗi dưới đây.",
            )
        )
        problems += own_errors
    warnings += [p for p in own if p.severity != Severity.ERROR]
    return Rollup(parent, when, target, backup, drawn, gathered, problems, warnings)


# --- the units' data ----------------------------------------------------------------------------------


def _parent(code: str, units: dict[str, Unit], registry: Path) -> Unit:
    if code in units:
        return units[code]
    close = difflib.get_close_matches(code, list(units), n=1)
    raise DataError.single(
        f"Không có đơn vị mã '{excerpt(code)}' trong danh mục.",
        file=registry,
        fix=f"Có phải ý bạn là '{close[0]}'?" if close else "Dùng mã đơn vị đúng như trong danh mục.",
    )


def _gather(
    unit: Unit,
    folder: PeriodFolder,
    period: Period,
    units: dict[str, Unit],
    registry: Path,
    deadline: date | None,
    profiles: dict[str | None, Profile],
) -> UnitData:
    try:
        file = folder.file(unit.code)
    except DataError as exc:  # a YAML file and a workbook: the period folder is where to look
        return UnitData(unit, folder.folder, UnitStatus.INVALID, problems=tuple(exc.problems))
    if file is None:
        return UnitData(unit, folder.folder / f"{unit.code}.yaml", UnitStatus.MISSING)
    try:
        # The registry read once for all units: a province has a hundred communes.
        loaded = load_report(file, registry, units)
        report = loaded.report
        if report.unit != unit.code or report.period != period:
            raise DataError.single(
                f"Tệp ghi đơn vị '{report.unit}', kỳ {report.period.code}; "
                f"cần đơn vị '{unit.code}', kỳ {period.code}.",
                file=file,
                location=loaded.where(("unit",)),
                fix="Sửa trường 'unit', 'period' cho đúng, hoặc đặt tệp vào đúng thư mục kỳ.",
            )
        if report.profile not in profiles:
            profiles[report.profile] = load_profile(report.profile)
        checked = check_report(loaded, profiles[report.profile])
    except CchcError as exc:
        return UnitData(unit, file, UnitStatus.INVALID, problems=tuple(exc.problems))
    late = _is_late(report.date, deadline)
    if checked.errors:
        return UnitData(
            unit, file, UnitStatus.INVALID, {}, report.profile, tuple(checked.errors), report.date
        )
    return UnitData(
        unit, file, UnitStatus.INCLUDED, checked.figures.values, report.profile, (), report.date, late
    )


def _is_late(signed: IssueDate, deadline: date | None) -> bool | None:
    if deadline is None:
        return None
    if signed.as_date is not None:
        return signed.as_date > deadline
    if signed.year is None or signed.month is None:
        return None
    month, due = (signed.year, signed.month), (deadline.year, deadline.month)
    return None if month == due else month > due


def _common_profile(gathered: list[UnitData], profiles: dict[str | None, Profile]) -> Profile:
    """The profile the units' figures are coded in; the parent's file uses it too."""
    used: dict[str, list[str]] = {}
    for data in gathered:
        if data.status is UnitStatus.INCLUDED:
            used.setdefault(profiles[data.profile].name, []).append(data.unit.code)
    if len(used) > 1:
        listed = "; ".join(f"{name}: {', '.join(codes)}" for name, codes in used.items())
        raise DataError.single(
            f"Các đơn vị dùng những bộ mẫu khác nhau ({listed}), nên mã chỉ tiêu không cộng được với nhau.",
            fix="Dùng cùng một bộ mẫu (trường 'profile') cho mọi đơn vị của kỳ này.",
        )
    name = next(iter(used), None)
    return load_profile(name)


def _unit_problems(data: UnitData, period: Period, units: dict[str, Unit]) -> Iterator[Problem]:
    unit = data.unit
    if data.status is UnitStatus.MISSING:
        has_units = any(u.parent == unit.code for u in units.values())
        fix = (
            f"Tổng hợp số liệu của đơn vị này trước: cchc tong-hop {unit.code} --period {period.code}"
            if has_units
            else "Nhắc đơn vị gửi số liệu; đặt tệp vào đúng chỗ này (hoặc bảng tính cùng tên, đuôi .xlsx) "
            "rồi tổng hợp lại với --ghi-de."
        )
        yield Problem(
            f"{unit.short_name} ('{unit.code}') chưa có số liệu {period.label}.", data.file, None, fix
        )
    elif data.status is UnitStatus.INVALID:
        first = data.problems[0]
        more = f" (và {len(data.problems) - 1} lỗi khác)" if len(data.problems) > 1 else ""
        fix = (
            f"Xem mọi lỗi: cchc kiem-tra {shown(data.file)}; sửa xong thì tổng hợp lại với --ghi-de."
            if data.file.is_file()
            else f"{first.fix} Sau đó tổng hợp lại với --ghi-de."
        )
        yield Problem(
            f"Số liệu của {unit.short_name} ('{unit.code}') có lỗi nên chưa được cộng: {first.message}{more}",
            first.file or data.file,
            first.location,
            fix,
        )


def _signed(data: UnitData) -> str:
    day = data.signed.as_date
    return prose_date(day) if day else data.signed.short


def _unit_warnings(data: UnitData, deadline: date | None) -> Iterator[Problem]:
    if deadline is None or data.status is not UnitStatus.INCLUDED:
        return
    due = f"{deadline:%d/%m/%Y}"
    name = data.unit.short_name
    if data.late:
        yield Problem(
            f"{name} nộp muộn: báo cáo ký ngày {_signed(data)}, sau hạn {due}.",
            data.file,
            fix="Không cần sửa dữ liệu: số liệu vẫn được tổng hợp, đơn vị được ghi là nộp muộn trong "
            "Phụ lục II.",
            severity=Severity.WARNING,
        )
    elif data.late is None:
        yield Problem(
            f"{name}: báo cáo chưa ghi đủ ngày ký, không biết có nộp đúng hạn {due} không.",
            data.file,
            fix="Ghi đủ ngày ký vào trường 'date' của tệp dữ liệu, ví dụ 18/09/2026.",
            severity=Severity.WARNING,
        )


# --- the figures ---------------------------------------------------------------------------------------


def _indicators(items: list[Indicator]) -> Iterator[Indicator]:
    """Indicators with a code, in the order of the appendix."""
    for indicator in items:
        if indicator.code:
            yield indicator
        yield from _indicators(indicator.items)


def _names(units: list[UnitData]) -> str:
    if len(units) > 3:
        return f"{numbers.pad_count(len(units))} đơn vị"
    return ", ".join(u.unit.short_name for u in units)


def _percent(value: Value) -> str:
    """A rate as reports print it: the digits it has (a computed one is rounded to the profile's
    decimals), trailing zeros dropped: 99,8%, 100%."""
    return numbers.format_percent(value, None)


def _spread(values: list[Value], percent: bool) -> str:
    low, high = min(values), max(values)
    shown = _percent if percent else numbers.format_number
    if low == high:
        return shown(low)
    return f"từ {shown(low)} đến {shown(high)}"


class _Aggregate:
    """The parent's figures, with a note for each figure that could not simply be carried up."""

    def __init__(self, spec: ProfileSpec, gathered: list[UnitData]) -> None:
        self.included = [u for u in gathered if u.status is UnitStatus.INCLUDED]
        self.values: dict[str, Value] = {}
        self.notes: dict[str, str] = {}
        self.order = list(_indicators(spec.appendix.indicators)) if spec.appendix else []
        self.decimals = spec.rate_decimals
        rates: dict[str, RateRule] = {}
        for rule in spec.rules:
            if isinstance(rule, RateRule):
                rates.setdefault(rule.target, rule)
        # Counts first: the percentages are recomputed from them.
        for indicator in self.order:
            if indicator.type in ("integer", "money"):
                (self.same if indicator.aggregate == "same" else self.add)(indicator)
        for indicator in self.order:
            if indicator.type == "percentage":
                self.recompute(indicator, rates.get(indicator.code or ""))
            elif indicator.type in ("decimal", "code", "text"):
                self.describe(indicator)

    def given(self, code: str) -> list[UnitData]:
        return [u for u in self.included if code in u.figures]

    def add(self, indicator: Indicator) -> None:
        code = indicator.code or ""
        given = self.given(code)
        if not given:
            return
        self.values[code] = sum(int(u.figures[code]) for u in given)
        lacking = [u for u in self.included if code not in u.figures]
        if lacking:
            self.notes[code] = f"Không gồm {_names(lacking)}: chưa có số liệu chỉ tiêu này."

    def same(self, indicator: Indicator) -> None:
        """A figure every unit reports alike: carried up when they agree, left to the writer when not."""
        code = indicator.code or ""
        given = self.given(code)
        if not given:
            return
        values = {int(u.figures[code]) for u in given}
        if len(values) == 1:
            self.values[code] = values.pop()
            return
        spread = _spread([u.figures[code] for u in given], percent=False)
        self.notes[code] = f"Số liệu chung nhưng các đơn vị ghi khác nhau, không cộng: {spread}."

    def recompute(self, indicator: Indicator, rule: RateRule | None) -> None:
        code = indicator.code or ""
        given = self.given(code)
        if not given:
            return
        if rule is not None and all(c in self.values for c in (*rule.part, rule.whole)):
            whole = self.values[rule.whole]
            if whole:
                part = sum(int(self.values[c]) for c in rule.part)
                self.values[code] = numbers.rate(part, whole, self.decimals)
                return
            reason = "Tổng số để tính tỷ lệ bằng 0"
        elif rule is not None:
            reason = "Thiếu số liệu đếm để tính lại (không lấy trung bình)"
        else:
            reason = "Bộ mẫu không có quy tắc tính lại tỷ lệ này (không lấy trung bình)"
        spread = _spread([u.figures[code] for u in given], percent=True)
        self.notes[code] = f"{reason}; các đơn vị: {spread}."

    def describe(self, indicator: Indicator) -> None:
        code = indicator.code or ""
        given = self.given(code)
        if not given:
            return
        if indicator.type == "decimal":
            spread = _spread([u.figures[code] for u in given], percent=False)
            self.notes[code] = f"Số liệu riêng của từng đơn vị, không cộng; các đơn vị: {spread}."
        elif indicator.type == "code":
            counts = Counter(int(u.figures[code]) for u in given)
            answers = "; ".join(
                f"{indicator.codes[answer]}: {numbers.pad_count(n)} đơn vị"
                for answer, n in sorted(counts.items())
            )
            self.notes[code] = f"Câu trả lời riêng của từng đơn vị, không tổng hợp; {answers}."
        else:
            counted = numbers.pad_count(len(given))
            self.notes[code] = f"Nội dung riêng của từng đơn vị, không tổng hợp ({counted} đơn vị có ghi)."

    def figures(self) -> dict[str, int | str]:
        """The figures as the data file gives them: counts as numbers, rates in Vietnamese notation with
        their sign (a rate below 1% without it would not say whether it is a fraction of 1)."""
        shown: dict[str, int | str] = {}
        for indicator in self.order:
            value = self.values.get(indicator.code or "")
            if isinstance(value, int):
                shown[indicator.code or ""] = value
            elif value is not None:
                shown[indicator.code or ""] = _percent(value)
        return shown

    def notes_in_order(self) -> dict[str, str]:
        return {i.code: self.notes[i.code] for i in self.order if i.code in self.notes}


# --- the parent's data file ---------------------------------------------------------------------------


def _group(gathered: list[UnitData]) -> tuple[str, str]:
    """The units as a group: "các đơn vị hành chính cấp xã", and as a sentence subject ("Cấp xã")."""
    groups = {_GROUPS[u.unit.level] for u in gathered}
    return groups.pop() if len(groups) == 1 else _MIXED_GROUP


def _sections(
    spec: ProfileSpec, aggregate: _Aggregate, subject: str, chart: Path | None, title: Callable[[str], str]
) -> list[dict[str, Any]]:
    """The outline's sections (their titles said by ``title`` for the parent and period), with the sentences
    whose figures are all known, and the chart after the results' sentences."""
    known = set(aggregate.values)
    sentences: dict[str, list[Any]] = {}
    for section, text in _SENTENCES:
        codes = {code for match in _PLACEHOLDER.finditer(text) for code in match.groups() if code}
        if codes <= known:
            sentences.setdefault(section, []).append(Template(text).substitute(who=subject))
    if chart is not None:  # beside the data file, so named by its file name alone
        block = {"image": chart.name, "caption": _CHART_CAPTION, "width_cm": _CHART_WIDTH_CM}
        sentences.setdefault(_ON_TIME_SECTION, []).append(block)
    if not spec.outline:
        everything = [s for found in sentences.values() for s in found]
        return [{"heading": "Kết quả thực hiện công tác cải cách hành chính", "content": everything}]
    keys = [item.key for item in spec.outline]
    # Sentences meant for a section this outline does not have go to its first section.
    homeless = [s for key, found in sentences.items() if key not in keys for s in found]
    return [
        {
            "heading": title(item.title),
            "key": item.key,
            "content": sentences.get(item.key, []) + (homeless if index == 0 else []),
        }
        for index, item in enumerate(spec.outline)
    ]


def _cell(column: _Column, values: dict[str, Value]) -> str:
    if column.kind == "ratio":
        part, whole = column.codes
        if part in values and whole in values:
            return f"{numbers.pad_count(values[part])}/{numbers.pad_count(values[whole])}"
        return ""
    code = next((c for c in column.codes if c in values), None)
    if code is None:
        return ""
    if column.kind == "rate":
        return _percent(values[code])
    return numbers.format_number(values[code])


def _status_note(data: UnitData, deadline: date | None) -> str:
    if data.status is not UnitStatus.INCLUDED:
        return "Chưa có số liệu" if data.status is UnitStatus.MISSING else "Số liệu có lỗi, chưa tổng hợp"
    if data.late:
        return f"Nộp muộn (ký ngày {_signed(data)})"
    if deadline is not None and data.late is None:
        return "Chưa ghi đủ ngày ký"
    return ""


def _unit_table(
    period: Period, aggregate: _Aggregate, gathered: list[UnitData], deadline: date | None, group: str
) -> dict[str, Any]:
    """Phụ lục II: one row per unit with its key figures and rates, then the totals."""
    columns = [
        c
        for c in _COLUMNS
        if any(_cell(c, u.figures) for u in aggregate.included) or _cell(c, aggregate.values)
    ]
    rows = [
        _Row(
            [
                str(index),
                data.unit.short_name,
                *(_cell(c, data.figures) for c in columns),
                _status_note(data, deadline),
            ]
        )
        for index, data in enumerate(gathered, start=1)
    ]
    included = f"{numbers.pad_count(len(aggregate.included))}/{numbers.pad_count(len(gathered))} đơn vị"
    rows.append(_Row(["", "Cộng", *(_cell(c, aggregate.values) for c in columns), f"Tổng hợp {included}"]))
    return {
        "title": ["Kết quả thực hiện công tác cải cách hành chính", f"{period.label} của các {group}"],
        "number_column": None,
        "columns": ["STT", "Đơn vị", *(c.header for c in columns), "Ghi chú"],
        "rows": rows,
    }


class _Row(list[str]):
    """A table row, written on one line as the data files do: [Máy vi tính, "06", ""]."""


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as in the hand-written data files."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_Dumper.add_representer(
    _Row, lambda dumper, row: dumper.represent_sequence("tag:yaml.org,2002:seq", row, flow_style=True)
)


def _document(
    parent: Unit,
    period: Period,
    profile: Profile,
    aggregate: _Aggregate,
    gathered: list[UnitData],
    deadline: date | None,
    chart: Path | None,
) -> str:
    group, subject = _group(gathered)
    body: dict[str, Any] = {}
    if aggregate.included:
        counted = f"{numbers.pad_count(len(aggregate.included))}/{numbers.pad_count(len(gathered))}"
        body["lead_in"] = [
            f"Trên cơ sở báo cáo của {counted} {group}, {parent.name} báo cáo kết quả thực hiện công tác "
            f"cải cách hành chính {period.label} như sau:"
        ]
    env = make_environment()
    body["sections"] = _sections(
        profile.spec,
        aggregate,
        subject,
        chart,
        lambda text: expand_profile_text(text, parent, period, profile, env),
    )
    if figures := aggregate.figures():
        body["figures"] = figures
    if notes := aggregate.notes_in_order():
        body["figure_notes"] = notes
    body["appendices"] = [_unit_table(period, aggregate, gathered, deadline, group)]

    status = {s: [u for u in gathered if u.status is s] for s in UnitStatus}
    header = [
        f"Dữ liệu tổng hợp báo cáo cải cách hành chính {period.label} của {parent.short_name},",
        f"do lệnh `cchc tong-hop {parent.code} --period {period.code}` tạo từ số liệu của {group}.",
        "Các câu trong các mục là câu gợi ý: giữ, sửa hoặc viết lại; số liệu trong ngoặc nhọn lấy",
        "từ phần figures. Số đếm được cộng từ các đơn vị; tỷ lệ được tính lại từ số đếm đã cộng",
        "(không lấy trung bình). Chỉ tiêu chung của mọi đơn vị (số TTHC đang có hiệu lực… theo quyết định",
        "của tỉnh) được giữ nguyên khi các đơn vị ghi giống nhau, không cộng.",
        "",
        "Tình hình số liệu của các đơn vị:",
    ]
    for state, found in status.items():
        if found:
            header.append(f"- {state.value.capitalize()}: {', '.join(u.unit.short_name for u in found)}")
    if deadline is not None:
        late = [u.unit.short_name for u in gathered if u.late]
        header.append(f"- Hạn nộp {deadline:%d/%m/%Y}; nộp muộn: {', '.join(late) or 'không có'}")
    text = "".join(f"# {line}".rstrip() + "\n" for line in header)
    text += f"unit: {parent.code}\nperiod: {period.code}\n"
    if profile.name != DEFAULT_PROFILE:
        text += f"profile: {profile.name}\n"
    text += "number:   # số văn bản: văn thư điền khi vào sổ\ndate:     # ngày ký, ví dụ 25/09/2026\n"
    dumped = yaml.dump(body, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6)
    # A blank line before each top-level field, as in the hand-written files.
    return text + re.sub(r"^(?=[a-z_]+:)", "\n", dumped, flags=re.MULTILINE)


def _backup(target: Path) -> Path:
    """Copy the file about to be replaced to ``<name>.bak``, or ``.bak.2``… so that no copy is lost."""
    backup = target.with_name(f"{target.name}.bak")
    number = 1
    while os.path.lexists(backup):  # a link there, even a broken one, is not followed
        number += 1
        backup = target.with_name(f"{target.name}.bak.{number}")
    try:
        shutil.copy2(target, backup)
    except OSError as exc:
        raise OutputError.single(
            f"Không chép được bản cũ ra {backup.name} ({os_reason(exc)}), nên chưa ghi đè.",
            file=target,
            fix="Kiểm tra quyền ghi trong thư mục này.",
        ) from None
    return backup


# --- the chart -----------------------------------------------------------------------------------------

# The chart's two faces, named by file: matplotlib's own DejaVu Serif, Book and Bold, both with every
# Vietnamese letter. A face asked for by family name is whatever the machine has under that name, and a
# family can have the letters in its regular face and not in its bold one (Liberation Serif 2 beside
# Debian's Liberation Serif 1.x, some "Times New Roman" copies): the bold title then came out as empty
# boxes, with matplotlib's warnings on the officer's screen. The same files on every machine, and the
# same picture.
_REGULAR_FACE, _BOLD_FACE = "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"
_CM = 1 / 2.54
_HIGH, _LOW = "#1f4e79", "#c0504d"


def _chart(
    target: Path,
    period: Period,
    aggregate: _Aggregate,
    gathered: list[UnitData],
    warnings: list[Problem],
) -> Path | None:
    """The units' on-time rates as horizontal bars, best first, with the parent's rate as a line."""
    bars = [
        (u.unit.short_name, u.figures[code])
        for u in aggregate.included
        if (code := next((c for c in _ON_TIME.codes if c in u.figures), None))
    ]
    if not bars:
        warnings.append(
            Problem(
                "Không vẽ biểu đồ: chưa đơn vị nào có tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn.",
                target,
                severity=Severity.WARNING,
            )
        )
        return None
    overall = next((aggregate.values[c] for c in _ON_TIME.codes if c in aggregate.values), None)
    path = chart_path(target)
    title = f"Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn\ncủa các {_group(gathered)[0]}\n{period.label}"
    # A unit's name is the one text of the chart not written here: a character the face lacks is drawn
    # as "?" and named in a warning, rather than left to matplotlib to draw as an empty box.
    have = _characters(_chart_faces()[0])
    if missing := "".join(dict.fromkeys(c for name, _ in bars for c in name if ord(c) not in have)):
        warnings.append(
            Problem(
                f"Biểu đồ: phông chữ của biểu đồ không có ký tự {', '.join(f'“{c}”' for c in missing)} "
                "trong tên đơn vị; biểu đồ ghi “?” thay cho ký tự đó.",
                path,
                fix="Sửa tên ngắn (short_name) của đơn vị trong danh mục đơn vị: chỉ dùng chữ tiếng Việt, "
                "chữ số và dấu câu.",
                severity=Severity.WARNING,
            )
        )
        bars = [("".join("?" if c in missing else c for c in name), value) for name, value in bars]
    save_atomically(path, lambda temporary: _draw(temporary, title, bars, overall))
    return path


def chart_path(target: Path) -> Path:
    """Where the chart of the data file ``target`` goes: beside it."""
    return target.with_name(target.stem + CHART_SUFFIX)


def _chart_faces() -> tuple[Path, Path]:
    """The files of the chart's regular and bold faces."""
    import matplotlib

    folder = Path(matplotlib.get_data_path(), "fonts", "ttf")
    return folder / _REGULAR_FACE, folder / _BOLD_FACE


def _characters(face: Path) -> set[int]:
    """The code points ``face`` has a glyph for."""
    from matplotlib.ft2font import FT2Font

    return set(FT2Font(str(face)).get_charmap())


def _draw(file: str, title: str, points: list[tuple[str, Value]], overall: Value | None) -> None:
    """A dot per unit on a percentage axis that starts just below the lowest rate: on-time rates sit
    within a point or two of 100%, where bars from zero would all look the same. Dots, unlike bars, do
    not claim a length from zero, so the cut axis does not mislead; units below the overall rate stand
    out in another colour. Every text is given its face, so none falls back to a face found by name."""
    # Imported here: only a roll-up with a chart pays for loading matplotlib.
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

    ordered = sorted(points, key=lambda point: (-Decimal(point[1]), point[0]))
    names = [name for name, _ in ordered]
    values = [float(value) for _, value in ordered]
    reference = float(overall) if overall is not None else None
    lowest = min([*values, reference if reference is not None else 100.0])
    left = max(0.0, math.floor(lowest - max(0.5, (100 - lowest) * 0.25)))
    right = 100 + (100 - left) * 0.18  # room for the labels of the dots at 100%
    size = 10 if len(ordered) <= 30 else max(4, 300 // len(ordered))
    height = min(23.0, 4.0 + len(ordered) * size * 0.07)
    regular_face, bold_face = _chart_faces()
    regular = FontProperties(fname=regular_face, size=size)
    bold = FontProperties(fname=bold_face, size=size * 1.2)  # matplotlib's "large", as titles are
    figure = Figure(figsize=(16 * _CM, height * _CM), dpi=200, layout="constrained")
    axes = figure.add_subplot()
    low = [reference is not None and v < reference for v in values]
    colours = [_LOW if is_low else _HIGH for is_low in low]
    axes.hlines(range(len(values)), left, values, color="#d9d9d9", linewidth=1)
    axes.scatter(values, range(len(values)), color=colours, s=size * 6, zorder=3)
    for row, (value, (_, rate)) in enumerate(zip(values, ordered, strict=True)):
        axes.annotate(
            _percent(rate),
            (value, row),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontproperties=regular,
        )
    handles = []
    if overall is not None:
        axes.axvline(float(overall), color="#404040", linestyle="--", linewidth=1)
        handles.append(Line2D([], [], color="#404040", linestyle="--", label=f"Chung: {_percent(overall)}"))
        if any(low):
            handles.append(Line2D([], [], color=_LOW, marker="o", linestyle="", label="Thấp hơn tỷ lệ chung"))
    axes.set_yticks(range(len(names)), names)
    axes.invert_yaxis()
    axes.set_xlim(left, right)
    ticks = [t for t in MaxNLocator(nbins=6).tick_values(left, 100) if left <= t <= 100 + 1e-9]
    axes.xaxis.set_major_locator(FixedLocator(ticks))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{numbers.format_number(Decimal(f'{x:g}'))}%"))
    for label in axes.get_xticklabels() + axes.get_yticklabels():
        label.set_fontproperties(regular)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title(title, fontproperties=bold)
    if handles:
        figure.legend(
            handles=handles, loc="outside lower center", ncols=len(handles), frameon=False, prop=regular
        )
    figure.savefig(file, format="png", metadata={"Software": None})
