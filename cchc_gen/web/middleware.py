"""Limits and headers every response gets.

- :class:`RequestLimits` refuses a request body larger than the upload limit before Django reads it, with
  a page in Vietnamese (Django's own limit would only end in a bare "400").
- :class:`PrivatePages` keeps reports out of shared caches and allows only the application's own scripts,
  styles and pictures (there is no inline script or style, and no CDN).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'self'; frame-src 'self'; frame-ancestors 'self'; "
    "base-uri 'none'; form-action 'self'"
)


class RequestLimits:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.CCHC_UPLOAD_LIMIT
        if length > limit:
            return render(
                request,
                "cchc/loi.html",
                {
                    "title": "Tệp quá lớn",
                    "message": f"Dữ liệu gửi lên ({length / 1024 / 1024:.1f} MB) vượt giới hạn "
                    f"{limit // 1024 // 1024} MB nên không được nhận.",
                    "fix": "Giảm dung lượng tệp (ảnh: lưu lại ở độ phân giải thấp hơn; bảng tính: xóa các "
                    "sheet không cần) rồi tải lên lại.",
                },
                status=413,
            )
        return self.get_response(request)


class PrivatePages:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", _POLICY)
        if not request.path.startswith(settings.STATIC_URL):
            response.headers["Cache-Control"] = "no-store"
        return response
