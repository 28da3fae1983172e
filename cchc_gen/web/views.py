"""The pages: each reads the request, checks who may do it, makes one library or store call, and renders.

Unit and period in a URL are looked up in the registry and the period notation (:func:`_place`) before
anything else: a code that is not there is "not found", and nothing from a request becomes a path. Every
error a request can cause ends on a page in Vietnamese: a problem with the clerk's data (a
:class:`~cchc_gen.errors.CchcError`) is shown with its place and fix; Django's 400/403/404/500 and a
refused CSRF token have pages of their own.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cchc_gen import api
from cchc_gen.api import AUTHORITIES, SIGNER_LABELS, FormError, field_anchor
from cchc_gen.errors import CchcError, Problem, Severity
from cchc_gen.web import access, config, store
from cchc_gen.web.models import Event, Period, Report, Revision, Role

_DOWNLOADS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "yaml": ("text/yaml; charset=utf-8", "yaml"),
}


def _place(unit: str, period: str) -> api.Place:
    """The unit and period of a URL, with the profile chosen for the period."""
    try:
        where = api.place(config.data_dir(), unit, period)
    except CchcError:
        raise Http404("Không có đơn vị hoặc kỳ báo cáo này.") from None
    return store.with_period_profile(where)


def _units() -> dict[str, Any]:
    return api.units(config.data_dir())


def _report_url(where: api.Place, name: str = "report", **extra: Any) -> str:
    return reverse(f"cchc:{name}", kwargs={"unit": where.unit.code, "period": where.period.code, **extra})


def _problem_page(
    request: HttpRequest, title: str, problems: list[Problem], status: int = 400
) -> HttpResponse:
    return render(request, "cchc/loi.html", {"title": title, "problems": problems}, status=status)


def user_errors(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A problem with what the clerk sent (a broken workbook, a form that is not ours) becomes a page
    that says what and how to fix it, with status 400."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except CchcError as exc:
            return _problem_page(request, "Không làm được việc này", exc.problems)

    return wrapped


def _readable(request: HttpRequest, unit: str, period: str) -> api.Place:
    where = _place(unit, period)
    access.require(request.user, where.unit.code, _units(), change=False)
    return where


def _writable(request: HttpRequest, unit: str, period: str) -> api.Place:
    where = _place(unit, period)
    access.require(request.user, where.unit.code, _units(), change=True)
    return where


def _report(where: api.Place) -> Report:
    report = store.find(where)
    if report is None or not report.head:
        raise Http404("Đơn vị chưa có báo cáo kỳ này.")
    return report


def _number(text: str | None, what: str) -> int:
    if text is None or not text.isdigit() or len(text) > 9:
        raise FormError.malformed(f"thiếu hoặc sai {what}")
    return int(text)


# --- login ------------------------------------------------------------------------------------------


def login_page(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("cchc:home")
    context: dict[str, Any] = {"next": request.GET.get("next", "")}
    if request.method == "POST":
        username = request.POST.get("username", "").strip()[:150]
        password = request.POST.get("password", "")
        address = access.client_address(request)
        context["username"] = username
        locked = access.minutes_locked(username, address)
        if locked:
            context["error"] = (
                f"Đăng nhập sai quá nhiều lần nên tạm bị khóa. Vui lòng thử lại sau {locked} phút, hoặc "
                "nhờ người quản trị đặt lại mật khẩu."
            )
            return render(request, "cchc/dang-nhap.html", context, status=429)
        user = authenticate(request, username=username, password=password)
        if user is None or access.role_of(user) is None:
            access.record_failure(username, address)
            store.log(None, Event.LOGIN_FAILED, detail=f"{username} từ {address}")
            context["error"] = "Tên đăng nhập hoặc mật khẩu không đúng."
            return render(request, "cchc/dang-nhap.html", context, status=401)
        login(request, user)
        access.forget_failures(username)
        store.log(user, Event.LOGIN, detail=address)
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = reverse("cchc:home")
        return redirect(target)
    return render(request, "cchc/dang-nhap.html", context)


@require_POST
def logout_page(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        store.log(request.user, Event.LOGOUT)
    logout(request)
    return redirect("cchc:login")


# --- home -------------------------------------------------------------------------------------------


@login_required
def home(
    request: HttpRequest, start_problems: list[Problem] | None = None, status: int = 200
) -> HttpResponse:
    units = _units()
    readable = access.readable_units(request.user, units)
    writable = set(access.writable_units(request.user, units))
    reports = Report.objects.filter(unit__in=readable, head__gt=0).order_by("-updated_at")
    revisions = Revision.objects.filter(report__in=reports).select_related("author").defer("data")
    heads = {(r.report_id, r.number): r for r in revisions}
    rows = []
    for report in reports:
        head = heads.get((report.id, report.head))
        period = api.period_of(report.period)
        label = period.label if period else report.period
        rows.append({"report": report, "unit": units.get(report.unit), "period_label": label, "head": head})
    today = timezone.localdate()
    context = {
        "opened": _open_periods(request, units),
        "today": today,
        "rows": rows,
        "writable": [units[code] for code in units if code in writable],
        "periods": api.suggested_periods(today),
        "start_problems": start_problems or [],
    }
    return render(request, "cchc/trang-chu.html", context, status=status)


def _open_periods(request: HttpRequest, units: dict[str, Any]) -> list[dict[str, Any]]:
    """The periods opened by the officer herself, or (for a clerk) by her unit's superior, latest first,
    each with its label."""
    role = access.role_of(request.user)
    if role is None or role.unit not in units:
        return []
    opener = role.unit if role.kind == Role.OFFICER else (units[role.unit].parent or "")
    found = []
    for opened in Period.objects.filter(unit=opener):
        period = api.period_of(opened.period)
        found.append({"opened": opened, "label": period.label if period else opened.period})
    return found


@login_required
@require_POST
def start(request: HttpRequest, unit: str) -> HttpResponse:
    period_code = request.POST.get("period", "").strip()
    where = _writable(request, unit, period_code) if api.period_of(period_code) else None
    if where is None:
        problem = Problem(f"'{period_code}' không phải kỳ báo cáo hợp lệ.", fix="Chọn kỳ trong danh sách.")
        return home(request, [problem], status=400)
    mode = request.POST.get("mode")
    said: list[Problem] = []
    try:
        if mode == "ky-truoc":
            previous = store.previous_report(where)
            if previous is None:
                raise CchcError.single(
                    f"{where.unit.short_name} chưa có báo cáo kỳ nào trước {where.period.label} để chép.",
                    fix="Chọn “Báo cáo trống theo đề cương” hoặc tải lên bảng tính.",
                )
            data, origin = api.report_from_previous(where, store.revision(previous).data), Revision.PREVIOUS
        elif mode == "bang-tinh":
            data, origin = _uploaded_workbook(request, where), Revision.UPLOAD
        elif mode == "word":
            started = _uploaded_word(request, where)
            data, origin, said = started.data, Revision.WORD, started.problems
        else:
            data, origin = api.new_report(where), Revision.EMPTY
        store.start(where, data, request.user, origin)
    except CchcError as exc:
        return home(request, exc.problems, status=400)
    messages.success(request, f"Đã tạo báo cáo {where.period.label}.")
    for problem in said:
        # What reading the Word report could not place or had to guess, with its place in the .docx.
        where_in_word = f"Tệp Word, {problem.location}: " if problem.location else "Tệp Word: "
        messages.warning(
            request, where_in_word + problem.message + (f" {problem.fix}" if problem.fix else "")
        )
    return redirect(_report_url(where))


def saved_workbook(request: HttpRequest, saved: Path, button: str) -> str:
    """The workbook uploaded in the form's ``workbook`` field, written to ``saved``; returns its name as
    uploaded. Refused with a message when there is none or it is not an .xlsx (``button``: the one to
    press again)."""
    upload = request.FILES.get("workbook")
    if upload is None or not upload.size:
        raise CchcError.single(
            "Chưa chọn bảng tính để tải lên.", fix=f"Chọn tệp .xlsx rồi bấm lại “{button}”."
        )
    if not upload.name.lower().endswith(".xlsx"):
        raise CchcError.single(
            f"Tệp “{upload.name}” không phải bảng tính .xlsx.",
            fix="Mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu Excel Workbook (.xlsx) rồi tải lên tệp đó.",
        )
    with saved.open("wb") as stream:
        for chunk in upload.chunks():
            stream.write(chunk)
    return upload.name


def _uploaded_workbook(request: HttpRequest, where: api.Place) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="cchc-tai-len-") as folder:
        saved = Path(folder) / f"{where.unit.code}.xlsx"
        saved_workbook(request, saved, "Bắt đầu")
        return api.report_from_workbook(where, saved)


def _uploaded_word(request: HttpRequest, where: api.Place) -> api.WordStart:
    upload = request.FILES.get("word")
    if upload is None or not upload.size:
        raise CchcError.single(
            "Chưa chọn báo cáo Word để tải lên.", fix="Chọn tệp .docx rồi bấm lại “Bắt đầu”."
        )
    if not upload.name.lower().endswith(".docx"):
        raise CchcError.single(
            f"Tệp “{upload.name}” không phải tệp Word .docx.",
            fix="Mở báo cáo bằng Word, chọn Lưu thành (Save As) kiểu Word Document (.docx) rồi tải lên tệp "
            "đó.",
        )
    with tempfile.TemporaryDirectory(prefix="cchc-tai-len-") as folder:
        saved = Path(folder) / f"{where.unit.code}.docx"
        with saved.open("wb") as stream:
            for chunk in upload.chunks():
                stream.write(chunk)
        started = api.report_from_word(where, saved)
    # The messages name the uploaded file, not the temporary copy that was read.
    return api.WordStart(started.data, [replace(p, file=Path(upload.name)) for p in started.problems])


# --- the report -------------------------------------------------------------------------------------


def _previous_data(where: api.Place) -> dict[str, Any] | None:
    previous = store.previous_report(where)
    return store.revision(previous).data if previous is not None else None


def _form_context(
    request: HttpRequest, where: api.Place, report: Report, data: dict[str, Any], parent: int, **extra: Any
) -> dict[str, Any]:
    form = api.report_form(where, data, _previous_data(where))
    check = form.check
    figures = form.values.figures
    rows = []
    for row in form.layout.indicators:
        code = row.code or ""
        rows.append(
            {
                "field": row,
                "value": figures.get(code, ""),
                "note": form.values.notes.get(code, ""),
                "computed": form.computed(code) if code else "",
                "previous": form.previous.get(code, ""),
                "stale": code in form.stale,
                "problems": check.by_field.get(f"fig-{code}", []) if code else [],
            }
        )
    stray = [
        {"code": code, "value": figures[code], "problems": check.by_field.get(f"fig-{code}", [])}
        for code in form.values.stray_figures
    ]
    body = [
        {
            "row": row,
            "anchor": f"b-{row.path.replace('.', '-')}",
            "problems": check.by_field.get(f"b-{row.path.replace('.', '-')}", [])
            if row.event != "close"
            else [],
        }
        for row in form.values.body
    ]
    head = store.revision(report)
    draft = store.draft(report, request.user)
    writable = where.unit.code in access.writable_units(request.user, _units())
    problems = [
        {"problem": p, "anchor": field_anchor(p.path)}
        for p in sorted(check.problems, key=lambda p: p.severity != Severity.ERROR)
    ]
    general = form.values.general
    return {
        "place": where,
        "report": report,
        "head": head,
        "parent": parent,
        "form": form,
        "general": general,
        "at": check.by_field,
        "at_general": check.by_field.get("chung", []),
        "at_body": check.by_field.get("noi-dung", []),
        "at_figures": check.by_field.get("so-lieu", []),
        "problems": problems,
        "errors": check.errors,
        "warnings": check.warnings,
        "rows": rows,
        "stray": stray,
        "body": body,
        "draft": draft,
        "editable": writable and report.state != Report.SUBMITTED,
        "writable": writable,
        "authorities": AUTHORITIES,
        "signer": [
            {"name": name, "field": f"signer.{name}", "label": label, "value": general[f"signer.{name}"]}
            for name, label in SIGNER_LABELS.items()
        ],
        **extra,
    }


@login_required
@user_errors
def report_page(request: HttpRequest, unit: str, period: str) -> HttpResponse:
    if request.method == "POST":
        return _save(request, unit, period)
    where = _readable(request, unit, period)
    report = _report(where)
    data, parent = store.revision(report).data, report.head
    showing_draft = False
    if request.GET.get("ban-nhap") == "1" and (draft := store.draft(report, request.user)) is not None:
        data, parent, showing_draft = draft.data, draft.base, True
    context = _form_context(request, where, report, data, parent, showing_draft=showing_draft)
    return render(request, "cchc/bao-cao.html", context)


def _save(request: HttpRequest, unit: str, period: str) -> HttpResponse:
    where = _writable(request, unit, period)
    report = _report(where)
    parent = _number(request.POST.get("parent"), "phiên bản đang sửa")
    if parent > report.head or parent < 1:
        raise FormError.malformed("phiên bản đang sửa không có")
    fields = request.POST.dict()
    for name, upload in request.FILES.items():
        if name.startswith("b.") and name.endswith(".file") and upload.size:
            fields[name.removesuffix(".file") + ".image"] = api.save_picture(
                where.data_dir, where.period, where.unit, upload.name, upload.read()
            )
    data = api.data_from_report_form(where, fields, store.revision(report, parent).data)
    try:
        made = store.save(where, data, parent, request.user)
    except store.Conflict as conflict:
        return _conflict_page(request, where, report, data, conflict.latest)
    messages.success(request, f"Đã lưu phiên bản {made.number}.")
    return redirect(_report_url(where))


def _conflict_page(
    request: HttpRequest, where: api.Place, report: Report, mine: dict[str, Any], latest: Revision
) -> HttpResponse:
    context = {
        "place": where,
        "report": report,
        "latest": latest,
        "changes": api.report_changes(where, mine, latest.data),
    }
    return render(request, "cchc/xung-dot.html", context, status=409)


@login_required
@require_POST
@user_errors
def draft_action(request: HttpRequest, unit: str, period: str) -> HttpResponse:
    """What the clerk does with her kept draft: save it over the latest revision, or drop it."""
    where = _writable(request, unit, period)
    report = _report(where)
    draft = store.draft(report, request.user)
    if draft is None:
        messages.info(request, "Không còn bản nháp nào.")
        return redirect(_report_url(where))
    if request.POST.get("action") == "luu":
        parent = _number(request.POST.get("parent"), "phiên bản mới nhất")
        try:
            made = store.save(where, draft.data, parent, request.user)
        except store.Conflict as conflict:
            return _conflict_page(request, where, report, draft.data, conflict.latest)
        messages.success(request, f"Đã lưu bản của bạn thành phiên bản {made.number}.")
    else:
        store.drop_draft(report, request.user)
        messages.info(request, "Đã bỏ bản nháp.")
    return redirect(_report_url(where))


@login_required
@require_POST
def autosave(request: HttpRequest, unit: str, period: str) -> JsonResponse:
    """The browser's own save of the form every minute: kept as the clerk's draft, not a revision."""
    where = _writable(request, unit, period)
    report = _report(where)
    try:
        parent = _number(request.POST.get("parent"), "phiên bản đang sửa")
        data = api.data_from_report_form(
            where, request.POST.dict(), store.revision(report, min(parent, report.head)).data
        )
    except CchcError as exc:
        return JsonResponse({"ok": False, "message": exc.problems[0].message}, status=400)
    store.keep_draft(where, data, parent, request.user)
    return JsonResponse({"ok": True, "time": timezone.localtime().strftime("%H:%M")})


@login_required
@require_POST
@user_errors
def submit(request: HttpRequest, unit: str, period: str) -> HttpResponse:
    where = _writable(request, unit, period)
    if request.POST.get("action") == "mo-lai":
        store.reopen(where, request.user)
        messages.info(request, "Báo cáo đã mở lại để sửa; sửa xong nhớ nộp lại.")
        return redirect(_report_url(where))
    number = _number(request.POST.get("revision"), "phiên bản cần nộp")
    try:
        report = store.submit(where, number, request.user)
    except store.Conflict as conflict:
        latest = conflict.latest
        messages.error(
            request,
            f"Báo cáo vừa được {store.author_name(latest.author)} lưu thành phiên bản {latest.number}; "
            "xem lại rồi bấm nộp.",
        )
    except store.SubmitRefused as refused:
        messages.error(
            request, f"Báo cáo còn {refused.errors} lỗi nên chưa nộp được. Sửa các lỗi rồi nộp lại."
        )
    else:
        when = timezone.localtime(report.submitted_at)
        messages.success(request, f"Đã nộp báo cáo lúc {when:%H:%M ngày %d/%m/%Y}.")
    return redirect(_report_url(where))


# --- producing ----------------------------------------------------------------------------------------


@login_required
def download(request: HttpRequest, unit: str, period: str, kind: str) -> HttpResponseBase:
    where = _readable(request, unit, period)
    report = _report(where)
    number = request.GET.get("phien-ban")
    try:
        revision = store.revision(report, _number(number, "phiên bản") if number else None)
    except (Revision.DoesNotExist, FormError):
        raise Http404("Không có phiên bản này.") from None
    content_type, suffix = _DOWNLOADS[kind]
    name = f"{where.unit.code}-{where.period.code}.{suffix}"
    try:
        if kind == "docx":
            response: HttpResponseBase = HttpResponse(api.report_document(where, revision.data), content_type)
        elif kind == "pdf":
            pdf = api.report_pdf(where, revision.data, config.state_dir() / "pdf")
            response = FileResponse(pdf.open("rb"), content_type=content_type)
        elif kind == "xlsx":
            response = HttpResponse(api.report_workbook(where, revision.data), content_type)
        else:
            response = HttpResponse(api.report_yaml_text(where, revision.data).encode("utf-8"), content_type)
    except CchcError as exc:
        errors = len(exc.problems)
        messages.error(
            request,
            f"Chưa tạo được tệp .{suffix}: báo cáo còn {errors} lỗi (đánh dấu đỏ). Sửa hết lỗi rồi tải lại."
            if kind in ("docx", "pdf")
            else f"Chưa tạo được tệp .{suffix}: {exc.problems[0].message}",
        )
        return redirect(_report_url(where))
    disposition = "inline" if request.GET.get("xem") == "1" and kind == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    store.log(request.user, Event.DOWNLOAD, where, f"{suffix}, phiên bản {revision.number}")
    return response


def _preview_pages(where: api.Place, report: Report) -> list[Path]:
    return api.report_preview_pages(where, store.revision(report).data, config.state_dir())


@login_required
def preview(request: HttpRequest, unit: str, period: str) -> HttpResponse:
    where = _readable(request, unit, period)
    report = _report(where)
    try:
        pages = _preview_pages(where, report)
    except CchcError as exc:
        messages.error(request, f"Chưa xem trước được: {exc.problems[0].message} Sửa các lỗi rồi thử lại.")
        return redirect(_report_url(where))
    context = {"place": where, "report": report, "pages": range(1, len(pages) + 1)}
    return render(request, "cchc/xem-truoc.html", context)


@login_required
def preview_page(request: HttpRequest, unit: str, period: str, page: int) -> FileResponse:
    where = _readable(request, unit, period)
    try:
        pages = _preview_pages(where, _report(where))
    except CchcError:
        raise Http404("Chưa có ảnh xem trước của báo cáo này.") from None
    if not 1 <= page <= len(pages):
        raise Http404("Không có trang này.")
    return FileResponse(pages[page - 1].open("rb"), content_type="image/png")


# --- history --------------------------------------------------------------------------------------------


@login_required
def history(request: HttpRequest, unit: str, period: str) -> HttpResponse:
    where = _readable(request, unit, period)
    report = _report(where)
    revisions = report.revisions.select_related("author").defer("data")
    writable = where.unit.code in access.writable_units(request.user, _units())
    context = {"place": where, "report": report, "revisions": revisions, "writable": writable}
    return render(request, "cchc/lich-su.html", context)


@login_required
@user_errors
def revision_page(request: HttpRequest, unit: str, period: str, number: int) -> HttpResponse:
    where = _readable(request, unit, period)
    report = _report(where)
    try:
        shown = store.revision(report, number)
    except Revision.DoesNotExist:
        raise Http404("Không có phiên bản này.") from None
    context = _form_context(request, where, report, shown.data, report.head, shown=shown)
    context["editable"] = False
    return render(request, "cchc/bao-cao.html", context)


@login_required
@require_POST
@user_errors
def restore(request: HttpRequest, unit: str, period: str, number: int) -> HttpResponse:
    where = _writable(request, unit, period)
    report = _report(where)
    parent = _number(request.POST.get("parent"), "phiên bản mới nhất")
    try:
        made = store.restore(where, number, parent, request.user)
    except Revision.DoesNotExist:
        raise Http404("Không có phiên bản này.") from None
    except store.Conflict as conflict:
        return _conflict_page(request, where, report, store.revision(report, number).data, conflict.latest)
    messages.success(request, f"Đã khôi phục phiên bản {number} thành phiên bản mới {made.number}.")
    return redirect(_report_url(where))


# --- errors ----------------------------------------------------------------------------------------------


def _error(request: HttpRequest, status: int, title: str, message: str, fix: str = "") -> HttpResponse:
    return render(request, "cchc/loi.html", {"title": title, "message": message, "fix": fix}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        400,
        "Yêu cầu không hợp lệ",
        "Dữ liệu trình duyệt gửi lên không đúng hoặc quá lớn.",
        "Tải lại trang rồi thử lại; nếu gửi tệp, kiểm tra dung lượng và định dạng của tệp.",
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if isinstance(exception, PermissionDenied) and str(exception) else ""
    user = request.user if request.user.is_authenticated else None
    store.log(user, Event.DENIED, detail=f"{request.method} {request.path}")
    return _error(
        request,
        403,
        "Không có quyền truy cập",
        message or "Tài khoản của bạn không được làm việc này.",
        "Mỗi tài khoản chỉ làm việc với báo cáo của đơn vị mình. Cần quyền khác thì liên hệ người quản trị.",
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        "Không tìm thấy trang",
        "Không có trang, đơn vị, kỳ báo cáo hoặc phiên bản này.",
        "Quay về trang chủ và chọn lại báo cáo.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        "Lỗi chương trình",
        "Chương trình gặp lỗi không mong đợi; dữ liệu đã lưu trước đó không bị ảnh hưởng.",
        "Thử lại sau ít phút. Nếu lỗi lặp lại, báo người quản trị thời điểm xảy ra lỗi.",
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        "Phiên làm việc không hợp lệ",
        "Yêu cầu bị từ chối vì thiếu mã bảo vệ của trang (CSRF) hoặc phiên làm việc đã hết hạn.",
        "Tải lại trang (F5), đăng nhập lại nếu cần, rồi làm lại thao tác.",
    )
