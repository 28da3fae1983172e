"""``cchc template new``: a new profile, copied from one the maintainer has, to adapt in Word.

The copy gets a README saying where it comes from, and is used only by name until its profile.yaml says
from when it applies (``valid_from``).
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

from cchc_gen.errors import TemplateProblem, excerpt
from cchc_gen.model.profile import PROFILE_FILE, profile_folder
from cchc_gen.paths import PROFILE, Output, check_outputs, new_templates_folder
from cchc_gen.render.docx import write_atomically
from cchc_gen.vn.dates import DateParseError, parse_date

PROFILE_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$")
_COPY_IGNORED = shutil.ignore_patterns("~$*", ".*", "*.tmp")
_VALID_FROM_LINE = re.compile(r"^valid_from:.*$", re.MULTILINE)
_NAME_LINE = re.compile(r"^name:.*$", re.MULTILINE)


def new_profile(new: str, source: str, valid_from: str | None = None) -> Path:
    """Copy the profile ``source`` to a new profile ``new``; returns its folder.

    The copy is used only by name (``profile: <new>`` in a data file) until it has a ``valid_from``:
    given here, or written later in its profile.yaml. Its README says where it comes from.
    """
    if not PROFILE_NAME.match(new):
        raise TemplateProblem.single(
            f"Tên bộ mẫu '{excerpt(new)}' không hợp lệ.",
            fix="Chỉ dùng chữ thường không dấu, chữ số và dấu '-', ví dụ bao-cao-dinh-ky-2025.",
        )
    origin = profile_folder(source)
    target = new_templates_folder() / new
    check_outputs([Output(target, PROFILE)], [origin])
    if target.exists():
        raise TemplateProblem.single(
            f"Đã có bộ mẫu hoặc thư mục '{new}'.", file=target, fix="Chọn một tên khác cho bộ mẫu mới."
        )
    start = _parse_valid_from(valid_from) if valid_from is not None else None
    shutil.copytree(origin, target, ignore=_COPY_IGNORED)
    profile = target / PROFILE_FILE
    text = profile.read_text(encoding="utf-8")
    line = (
        f"valid_from: {start.isoformat()}"
        if start
        else f"# valid_from: chưa ghi — bộ mẫu chỉ được dùng khi tệp dữ liệu ghi 'profile: {new}'"
    )
    if _VALID_FROM_LINE.search(text):
        text = _VALID_FROM_LINE.sub(line, text, count=1)
    elif (name := _NAME_LINE.search(text)) is not None:
        text = f"{text[: name.end()]}\n{line}{text[name.end() :]}"
    else:
        text = f"{line}\n{text}"
    write_atomically(profile, text, PROFILE_FILE, "trình soạn thảo")
    readme = target / "README.md"
    before = readme.read_text(encoding="utf-8").rstrip() + "\n\n" if readme.is_file() else ""
    notes = (
        f"{before}## Bộ mẫu `{new}`\n\n"
        f"Sao chép từ bộ mẫu `{source}` bằng `cchc template new`. Ghi vào đây: văn bản hướng dẫn mới, ngày "
        f"áp dụng (`valid_from` trong profile.yaml) và những gì thay đổi so với `{source}`.\n"
    )
    write_atomically(readme, notes, "README.md", "trình soạn thảo")
    return target


def _parse_valid_from(text: str) -> date:
    try:
        return parse_date(text)
    except DateParseError as exc:
        raise TemplateProblem.single(
            f"Ngày áp dụng không hợp lệ: {exc}", fix="Gõ ngày theo dạng ngày/tháng/năm, ví dụ 01/07/2025."
        ) from None
