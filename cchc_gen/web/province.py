"""The province's side of the workspace: the periods an officer opens for the units below hers, with a
deadline; the dashboard of one period (one row per child unit, in the state its report is in); sending a
submitted report back with a note; and the audit log for administrators.

The children of an officer are the units of the registry whose ``parent`` is her unit. Each page reads the
request, checks the role, makes its store or library calls, and renders, like :mod:`cchc_gen.web.views`.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc_gen import api
from cchc_gen.errors import CchcError, Problem
from cchc_gen.web import access, config, jobs, store
from cchc_gen.web.models import Event, Job, Period, Report, Role
from cchc_gen.web.views import home, saved_workbook, user_errors

# The states of a child's report on the dashboard, in the order the dashboard sorts them.
NOT_STARTED, DRAFTING, ERRORS = "chua-bat-dau", "dang-soan", "co-loi"
SUBMITTED, RETURNED = "da-nop", "tra-lai"
STATES = {
    NOT_STARTED: "Chưa bắt đầu",
    DRAFTING: "Đang soạn",
    ERRORS: "Có lỗi",
    SUBMITTED: "Đã nộp",
    RETURNED: "Đã trả lại để sửa",
}
SORTS = {"don-vi": "Đơn vị", "trang-thai": "Trạng thái", "nop": "Thời điểm nộp"}
EVENTS_SHOWN = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _officer_unit(request: HttpRequest) -> api.Unit:
    """The officer's unit (for an administrator, hers or else the registry's first top unit); anyone else
    is refused (HTTP 403)."""
    role = access.role_of(request.user)
    units = api.units(config.data_dir())
    if role is not None and role.kind == Role.ADMIN:
        top = role.unit if role.unit in units else next((c for c, u in units.items() if not u.parent), "")
        if top:
            return units[top]
    if role is None or role.kind != Role.OFFICER or role.unit not in units:
        raise PermissionDenied("Chỉ cán bộ Nội vụ cấp trên xem được trang theo dõi các đơn vị.")
    return units[role.unit]


def children(unit: api.Unit) -> list[api.Unit]:
    """The units directly below ``unit`` in the registry, in registry order."""
    return [child for child in api.units(config.data_dir()).values() if child.parent == unit.code]


def _period(code: str) -> Any:
    period = api.period_of(code)
    if period is None:
        raise Http404("Không có kỳ báo cáo này.")
    return period


@login_required
@require_POST
def open_period(request: HttpRequest) -> HttpResponse:
    unit = _officer_unit(request)
    code = request.POST.get("period", "").strip()
    problems = []
    if api.period_of(code) is None:
        problems.append(Problem(f"'{code}' không phải kỳ báo cáo hợp lệ.", fix="Chọn kỳ trong danh sách."))
    try:
        deadline = dt.date.fromisoformat(request.POST.get("deadline", "").strip())
    except ValueError:
        problems.append(
            Problem("Hạn nộp chưa đúng ngày.", fix="Chọn ngày hạn nộp trong ô “Hạn nộp” (ngày/tháng/năm).")
        )
    if problems:
        return home(request, problems, status=400)
    where = api.place(config.data_dir(), unit.code, code)
    store.open_period(where, deadline, request.user)
    messages.success(request, f"Đã mở {where.period.label}, hạn nộp {deadline:%d/%m/%Y}.")
    return redirect("cchc:dashboard", period=code)


@dataclass(frozen=True)
class Row:
    unit: api.Unit
    state: str
    report: Report | None
    errors: int = 0

    @property
    def label(self) -> str:
        return STATES[self.state]


def _row(where: api.Place, report: Report | None, head: store.Latest | None) -> Row:
    """The row of the child ``where.unit``: its report, and the latest revision of a report being drafted."""
    if report is None or not report.head:
        return Row(where.unit, NOT_STARTED, None)
    if report.state == Report.SUBMITTED:
        return Row(where.unit, SUBMITTED, report)
    if report.state == Report.RETURNED:
        return Row(where.unit, RETURNED, report)
    if head is None:
        return Row(where.unit, DRAFTING, report)
    errors = api.report_errors(where, head.data, version=head.revision)
    return Row(where.unit, ERRORS if errors else DRAFTING, report, errors)


def _sort_key(sort: str, order: dict[str, int]) -> Any:
    states = list(STATES)
    if sort == "trang-thai":
        return lambda row: (states.index(row.state), order[row.unit.code])
    if sort == "nop":
        far = dt.datetime.max.replace(tzinfo=dt.UTC)
        return lambda row: (
            row.report.submitted_at if row.state == SUBMITTED and row.report else far,
            order[row.unit.code],
        )
    return lambda row: order[row.unit.code]


@login_required
def dashboard(request: HttpRequest, period: str) -> HttpResponse:
    return _dashboard(request, period)


def _dashboard(
    request: HttpRequest, period: str, problems: list[Problem] | None = None, status: int = 200
) -> HttpResponse:
    """The dashboard; ``problems``: those of a collection workbook the officer uploaded, shown in its
    section. Its queries do not grow with the number of children: one for their reports, one for the
    latest data of those being drafted."""
    unit = _officer_unit(request)
    shown = _period(period)
    below = children(unit)
    found = Report.objects.filter(period=period, unit__in=[c.code for c in below])
    reports = {r.unit: r for r in found}
    drafting = store.latest(found.filter(state=Report.DRAFT, head__gt=0))
    data_dir = config.data_dir()
    opened = Period.objects.filter(unit=unit.code, period=period).first()
    # The children's reports are laid out with the profile chosen for the period she opened for them.
    profile = opened.profile if opened and opened.profile else None
    rows = [
        _row(api.Place(data_dir, child, shown, profile), reports.get(child.code), drafting.get(child.code))
        for child in below
    ]
    counts = {state: sum(row.state == state for row in rows) for state in STATES}
    sort = request.GET.get("sap-xep", "don-vi")
    sort = sort if sort in SORTS else "don-vi"
    wanted = request.GET.get("trang-thai", "")
    wanted = wanted if wanted in STATES else ""
    order = {child.code: index for index, child in enumerate(below)}
    listed = sorted((row for row in rows if not wanted or row.state == wanted), key=_sort_key(sort, order))
    missing = [row for row in rows if row.state != SUBMITTED]
    context = {
        "unit": unit,
        "period": shown,
        "opened": opened,
        "rows": listed,
        "total": len(rows),
        "counts": [(state, STATES[state], counts[state]) for state in STATES],
        "late": sum(1 for row in rows if row.state == SUBMITTED and row.report and row.report.late),
        "missing": missing,
        "reminder": "\n".join(f"- {row.unit.short_name}: {row.label.lower()}" for row in missing),
        "sort": sort,
        "sorts": SORTS,
        "wanted": wanted,
        "today": timezone.localdate(),
        "problems": problems or [],
    }
    return render(request, "cchc/tong-quan.html", context, status=status)


@login_required
def collection_download(request: HttpRequest, period: str) -> HttpResponse:
    """The collection workbook of the officer's units for the period, filled with their figures."""
    unit = _officer_unit(request)
    where = api.place(config.data_dir(), unit.code, _period(period).code)
    response = HttpResponse(store.collection_workbook(where), content_type=XLSX)
    name = f"thu-thap-{unit.code}-{where.period.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def collection_upload(request: HttpRequest, period: str) -> HttpResponse:
    """The figures of the filled-in collection workbook into every child's report; when it has any
    problem, nothing is imported and the dashboard lists every problem with its sheet and cell."""
    unit = _officer_unit(request)
    where = api.place(config.data_dir(), unit.code, _period(period).code)
    with tempfile.TemporaryDirectory(prefix="cchc-thu-thap-") as folder:
        saved = Path(folder) / "thu-thap.xlsx"
        name = saved.name
        try:
            name = saved_workbook(request, saved, "Nhập số liệu")
            result = store.import_collection(where, saved, request.user)
        except store.Conflict:
            messages.error(request, "Một báo cáo vừa được lưu bởi người khác; tải lên bảng thu thập lại.")
            return redirect(reverse("cchc:dashboard", kwargs={"period": period}))
        except CchcError as exc:
            # The messages name the uploaded file, not the temporary copy that was read.
            problems = [replace(p, file=Path(name)) if p.file == saved else p for p in exc.problems]
            return _dashboard(request, period, problems, status=400)
    messages.success(
        request,
        f"Đã nhập bảng thu thập: {len(result.changed)} đơn vị có số liệu mới, {len(result.unchanged)} "
        "đơn vị không đổi.",
    )
    for warning in result.warnings:
        messages.warning(request, str(warning))
    return redirect(reverse("cchc:dashboard", kwargs={"period": period}))


@login_required
@require_POST
@user_errors
def send_back(request: HttpRequest, period: str, unit: str) -> HttpResponse:
    officer = _officer_unit(request)
    try:
        where = api.place(config.data_dir(), unit, period)
    except CchcError:
        raise Http404("Không có đơn vị hoặc kỳ báo cáo này.") from None
    if where.unit.parent != officer.code:
        raise PermissionDenied("Đơn vị này không thuộc đơn vị của bạn.")
    note = request.POST.get("note", "").strip()[:500]
    if not note:
        raise CchcError.single(
            "Chưa ghi lý do trả lại.", fix="Ghi cho đơn vị biết cần sửa gì, rồi bấm “Trả lại để sửa”."
        )
    store.send_back(where, note, request.user)
    messages.success(request, f"Đã trả lại báo cáo của {where.unit.short_name} để sửa.")
    return redirect(reverse("cchc:dashboard", kwargs={"period": period}))


@login_required
@require_POST
@user_errors
def roll_up(request: HttpRequest, period: str) -> HttpResponse:
    unit = _officer_unit(request)
    where = api.place(config.data_dir(), unit.code, _period(period).code)
    try:
        result = store.roll_up(where, request.user)
    except store.Conflict:
        messages.error(request, "Báo cáo của đơn vị vừa được lưu bởi người khác; bấm “Tổng hợp” lại.")
        return redirect(reverse("cchc:dashboard", kwargs={"period": period}))
    messages.success(
        request,
        f"Đã tổng hợp số liệu của {result.submitted}/{result.children} đơn vị đã nộp thành phiên bản "
        f"{result.revision.number} của báo cáo {unit.short_name}.",
    )
    if result.submitted < result.children:
        messages.warning(
            request,
            f"{result.children - result.submitted} đơn vị chưa nộp nên chưa có trong số liệu tổng hợp.",
        )
    return redirect(reverse("cchc:report", kwargs={"unit": unit.code, "period": period}))


@login_required
@require_POST
def zip_all(request: HttpRequest, period: str) -> HttpResponse:
    """Start the zip of the period's submitted reports (or resume the one a stopped server left)."""
    unit = _officer_unit(request)
    code = _period(period).code
    below = [child.code for child in children(unit)]
    submitted = list(
        Report.objects.filter(period=code, unit__in=below, state=Report.SUBMITTED).values_list(
            "unit", flat=True
        )
    )
    if not submitted:
        messages.error(request, "Chưa có đơn vị nào nộp báo cáo kỳ này.")
        return redirect(reverse("cchc:dashboard", kwargs={"period": code}))
    units = sorted(submitted, key=below.index)
    waiting = Job.objects.filter(unit=unit.code, period=code, state=Job.RUNNING)
    job = next((found for found in waiting if found.units == units), None)
    if job is None:
        job = Job.objects.create(
            unit=unit.code, period=code, units=units, total=len(units), created_by=request.user
        )
        where = api.place(config.data_dir(), unit.code, code)
        store.log(request.user, Event.DOWNLOAD, where, f"gói .zip {len(units)} báo cáo đã nộp")
    jobs.start(job)
    return redirect(reverse("cchc:job", kwargs={"job": job.pk}))


def _job(request: HttpRequest, number: int) -> Job:
    unit = _officer_unit(request)
    job = Job.objects.filter(pk=number).first()
    if job is None:
        raise Http404("Không có gói báo cáo này.")
    if job.unit != unit.code:
        raise PermissionDenied("Gói báo cáo này không phải của đơn vị bạn.")
    return job


@login_required
def job_page(request: HttpRequest, job: int) -> HttpResponse:
    found = _job(request, job)
    running = found.state == Job.RUNNING
    context = {
        "job": found,
        "period": api.period_of(found.period),
        "running": running and jobs.alive(found),
        "interrupted": running and not jobs.alive(found),
    }
    return render(request, "cchc/goi.html", context)


@login_required
@require_POST
def job_resume(request: HttpRequest, job: int) -> HttpResponse:
    found = _job(request, job)
    if found.state != Job.DONE:
        jobs.start(found)
    return redirect(reverse("cchc:job", kwargs={"job": found.pk}))


@login_required
def job_download(request: HttpRequest, job: int) -> FileResponse:
    found = _job(request, job)
    file = jobs.folder() / found.file
    if found.state != Job.DONE or not found.file or not file.is_file():
        raise Http404("Gói báo cáo chưa tạo xong.")
    response = FileResponse(file.open("rb"), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="bao-cao-{found.unit}-{found.period}.zip"'
    return response


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    role = access.role_of(request.user)
    if role is None or role.kind != Role.ADMIN:
        raise PermissionDenied("Chỉ người quản trị xem được nhật ký.")
    wanted = request.GET.get("viec", "")
    events = Event.objects.select_related("user").order_by("-at", "-id")
    if wanted in Event.ACTIONS:
        events = events.filter(action=wanted)
    context = {"events": events[:EVENTS_SHOWN], "actions": Event.ACTIONS, "wanted": wanted}
    return render(request, "cchc/nhat-ky.html", context)
