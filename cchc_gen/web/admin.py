"""The administrator's pages: logins of the units (made, disabled, given a new password), the profiles
(installed from an uploaded .zip only when their check passes), the unit registry (replaced from an
uploaded ``units.yaml`` only when it has no problem), and the profile each opened period uses.

Every page is for administrators only (HTTP 403 for anyone else). Like :mod:`cchc_gen.web.views`, a page
reads the request, makes its library or store call, records what changed in the audit log, and renders; a
problem with what was uploaded is shown on the page with its place and fix, every one of them at once. A
new password is shown once, on the page that answers the request (never in a cookie or the store, which
keeps only its hash).
"""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cchc_gen import api
from cchc_gen.errors import CchcError, Problem
from cchc_gen.web import access, config, store
from cchc_gen.web.models import Event, Period, Report, Role

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What an administrator may make here: the logins of units; another administrator is made with
# ``cchc tai-khoan tao``.
KINDS = {Role.CLERK: dict(Role.KINDS)[Role.CLERK], Role.OFFICER: dict(Role.KINDS)[Role.OFFICER]}


def _admin(request: HttpRequest) -> Role:
    role = access.role_of(request.user)
    if role is None or role.kind != Role.ADMIN:
        raise PermissionDenied("Chỉ người quản trị mở được trang quản trị.")
    return role


def _profile_names() -> list[str]:
    return [folder.name for folder in api.available_profiles()]


def _page(request: HttpRequest, status: int = 200, **shown: Any) -> HttpResponse:
    """The administration page, with what the request being answered adds (problems of one section, a
    new password)."""
    units = api.units(config.data_dir())
    roles = Role.objects.select_related("user").order_by("kind", "unit", "user__username")
    periods = []
    for opened in Period.objects.order_by("-period", "unit"):
        period = api.period_of(opened.period)
        unit = units.get(opened.unit)
        periods.append(
            {
                "opened": opened,
                "label": period.label if period else opened.period,
                "unit": unit.short_name if unit else opened.unit,
            }
        )
    context = {
        "roles": roles,
        "units": list(units.values()),
        "kinds": KINDS,
        "profiles": _profile_names(),
        "periods": periods,
        "registry": config.data_dir() / api.REGISTRY_FILE,
        "registry_columns": [title for _, title in api.REGISTRY_COLUMNS],
        **shown,
    }
    return render(request, "cchc/quan-tri.html", context, status=status)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    _admin(request)
    return _page(request)


# --- accounts -----------------------------------------------------------------------------------------


@login_required
@require_POST
def accounts(request: HttpRequest) -> HttpResponse:
    _admin(request)
    action = request.POST.get("action", "")
    username = request.POST.get("username", "").strip()[:150]
    try:
        if action == "tao":
            kind, unit = request.POST.get("kind", ""), request.POST.get("unit", "")
            if kind not in KINDS:
                raise CchcError.single(
                    "Chưa chọn vai trò của tài khoản.", fix="Chọn công chức hoặc cán bộ Nội vụ."
                )
            password = store.create_account(config.data_dir(), username, kind, unit, by=request.user)
            return _page(request, password={"username": username, "password": password, "new": True})
        if action == "dat-lai":
            password = store.reset_password(username, by=request.user)
            return _page(request, password={"username": username, "password": password, "new": False})
        if action in ("khoa", "mo-lai"):
            if username == request.user.get_username():
                raise CchcError.single(
                    "Không tự khóa tài khoản của chính mình.", fix="Nhờ một người quản trị khác làm việc này."
                )
            store.set_active(username, action == "mo-lai", request.user)
            verb = "Đã mở lại" if action == "mo-lai" else "Đã khóa"
            messages.success(request, f"{verb} tài khoản {username}.")
            return redirect("cchc:admin")
    except CchcError as exc:
        return _page(request, 400, account_problems=exc.problems)
    return _page(
        request,
        400,
        account_problems=[Problem("Không rõ việc cần làm với tài khoản.", fix="Tải lại trang rồi làm lại.")],
    )


# --- profiles, registry, periods ------------------------------------------------------------------------


def _saved(upload: UploadedFile, folder: str) -> Path:
    """The upload written to ``folder`` under a name of ours (only its suffix is the sender's)."""
    saved = Path(folder) / f"tai-len{PurePath(upload.name or '').suffix.lower()[:10]}"
    with saved.open("wb") as stream:
        for chunk in upload.chunks():
            stream.write(chunk)
    return saved


def _upload(request: HttpRequest, suffixes: tuple[str, ...], what: str, fix: str) -> UploadedFile:
    upload = request.FILES.get("file")
    if upload is None or not upload.size:
        raise CchcError.single(f"Chưa chọn {what} để tải lên.", fix=fix)
    if not (upload.name or "").lower().endswith(suffixes):
        raise CchcError.single(f"Tệp “{upload.name}” không phải {what} ({', '.join(suffixes)}).", fix=fix)
    return upload


def _refused(request: HttpRequest, action: str, what: str, problems: list[Problem]) -> None:
    """An upload refused, in the audit log: which file, and its first problem."""
    upload = request.FILES.get("file")
    name = upload.name if upload is not None else "(chưa chọn tệp)"
    first = f"; {problems[0].message}" if problems else ""
    store.log(request.user, action, detail=f"từ chối {what} {name}: {len(problems)} lỗi{first}")


@login_required
@require_POST
def profile_upload(request: HttpRequest) -> HttpResponse:
    _admin(request)
    try:
        upload = _upload(
            request, (".zip",), "tệp nén bộ mẫu", "Nén thư mục bộ mẫu thành tệp .zip rồi chọn tệp đó."
        )
        with tempfile.TemporaryDirectory(prefix="cchc-bo-mau-") as folder:
            installed = api.install_profile(_saved(upload, folder), upload.name or "")
    except CchcError as exc:
        _refused(request, Event.TEMPLATE, "bộ mẫu", exc.problems)
        return _page(request, 400, profile_problems=exc.problems)
    verb = "thay bộ mẫu cũ cùng tên" if installed.replaced else "cài mới"
    store.log(request.user, Event.TEMPLATE, detail=f"bộ mẫu {installed.name}: {verb}")
    messages.success(request, f"Đã cài bộ mẫu {installed.name} ({verb}).")
    for warning in installed.warnings:
        messages.warning(request, f"Bộ mẫu {installed.name}: {warning.message}")
    return redirect("cchc:admin")


@login_required
@require_POST
def registry_upload(request: HttpRequest) -> HttpResponse:
    _admin(request)
    keep = set(Role.objects.exclude(unit="").values_list("unit", flat=True))
    keep |= set(Report.objects.values_list("unit", flat=True))
    try:
        upload = _upload(
            request,
            (".yaml", ".xlsx"),
            "danh mục đơn vị",
            f"Chọn tệp {api.REGISTRY_FILE} hoặc bảng tính danh mục (.xlsx) đã sửa rồi tải lên lại.",
        )
        with tempfile.TemporaryDirectory(prefix="cchc-danh-muc-") as folder:
            saved = _saved(upload, folder)
            units = api.replace_registry(config.data_dir(), saved, upload.name or "", sorted(keep))
    except CchcError as exc:
        _refused(request, Event.REGISTRY, "danh mục", exc.problems)
        return _page(request, 400, registry_problems=exc.problems)
    store.log(request.user, Event.REGISTRY, detail=f"nhập {len(units)} đơn vị từ {upload.name}")
    messages.success(request, f"Đã thay danh mục đơn vị: {len(units)} đơn vị.")
    return redirect("cchc:admin")


@login_required
def registry_download(request: HttpRequest) -> HttpResponse:
    """The registry as a workbook, to edit in Excel and upload again."""
    _admin(request)
    content = api.registry_workbook(config.data_dir() / api.REGISTRY_FILE)
    store.log(request.user, Event.DOWNLOAD, detail="danh mục đơn vị, bảng tính .xlsx")
    response = HttpResponse(content, content_type=_XLSX)
    response["Content-Disposition"] = 'attachment; filename="danh-muc-don-vi.xlsx"'
    return response


@login_required
@require_POST
def period_profile(request: HttpRequest) -> HttpResponse:
    _admin(request)
    number = request.POST.get("opened", "")
    opened = Period.objects.filter(pk=int(number)).first() if number.isdigit() and len(number) < 10 else None
    profile = request.POST.get("profile", "")
    if opened is None or (profile and profile not in _profile_names()):
        problem = Problem("Không có kỳ báo cáo hoặc bộ mẫu này.", fix="Tải lại trang rồi chọn lại.")
        return _page(request, 400, period_problems=[problem])
    store.choose_profile(opened, profile, request.user)
    messages.success(request, f"Kỳ {opened.period}: báo cáo dùng bộ mẫu {profile or 'theo ngày hiệu lực'}.")
    return redirect("cchc:admin")
