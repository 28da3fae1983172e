"""Jinja filters available in every template profile.

Each filter is a plain function registered in :data:`FILTERS`; the rendering environment installs them
all. The docstring's first line is the Vietnamese description shown in the maintainers' filter table.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from . import dates
from .periods import Period


def ngay_tieu_de(value: date | dates.IssueDate) -> str:
    """Ngày ở dòng địa danh theo NĐ 30: 05/01/2024 → "ngày 05 tháng 01 năm 2024"."""
    return dates.header_date(value)


def ngay(value: date) -> str:
    """Ngày trong câu văn: 2023-01-18 → "18/01/2023"."""
    return dates.prose_date(value)


def ky(value: Period | str) -> str:
    """Tên kỳ báo cáo trong câu văn: "2023-Q1" → "quý I năm 2023"."""
    return Period.parse(value).label if isinstance(value, str) else value.label


def ky_sau(value: Period | str) -> str:
    """Tên kỳ tiếp theo: "2023-Q1" → "quý II năm 2023"."""
    period = Period.parse(value) if isinstance(value, str) else value
    return period.next.label


FILTERS: dict[str, Callable[..., Any]] = {
    "ngay_tieu_de": ngay_tieu_de,
    "ngay": ngay,
    "ky": ky,
    "ky_sau": ky_sau,
}
