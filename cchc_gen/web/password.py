"""A login's change of its own password, required after a one-time password.

A password made by the administrator (or by ``cchc tai-khoan``) is handed over once and known to two
people: until its owner replaces it with her own, :class:`ChangeRequired` sends every page of hers to the
change page (logging out stays possible). The new password follows the workspace's rules (length, not a
common one), checked by Django's validators, their refusals said in Vietnamese here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from cchc_gen.web import access, store


@login_required
def change(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {}
    if request.method == "POST":
        new, again = request.POST.get("new", ""), request.POST.get("again", "")
        errors: list[str] = []
        if new != again:
            errors.append("Hai lần nhập mật khẩu mới không giống nhau.")
        elif request.user.check_password(new):
            errors.append("Mật khẩu mới phải khác mật khẩu đang dùng.")
        else:
            try:
                validate_password(new, request.user)
            except ValidationError as exc:
                errors += [_said(error) for error in exc.error_list]
        if not errors:
            store.change_password(request.user, new)
            update_session_auth_hash(request, request.user)
            messages.success(request, "Đã đổi mật khẩu.")
            return redirect("cchc:home")
        context["errors"] = errors
    status = 400 if context.get("errors") else 200
    return render(request, "cchc/doi-mat-khau.html", context, status=status)


def _said(error: ValidationError) -> str:
    """A password rule's refusal in Vietnamese (Django's own translation lags behind its messages)."""
    params = error.params or {}
    if error.code == "password_too_short":
        return f"Mật khẩu quá ngắn: cần ít nhất {params.get('min_length', 8)} ký tự."
    if error.code == "password_too_common":
        return "Mật khẩu này quá phổ biến nên dễ bị đoán; chọn mật khẩu khác."
    if error.code == "password_entirely_numeric":
        return "Mật khẩu không được chỉ gồm chữ số."
    return "Mật khẩu chưa đạt yêu cầu an toàn; chọn mật khẩu dài hơn, khó đoán hơn."


class ChangeRequired:
    """Send a login whose password is still the one-time one to the change page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        role = access.role_of(request.user)
        if role is not None and role.must_change_password:
            allowed = (reverse("cchc:change-password"), reverse("cchc:logout"), settings.STATIC_URL)
            if not request.path.startswith(allowed):
                return redirect("cchc:change-password")
        return self.get_response(request)
