"""Guards for files that travel by email and USB stick: .docx and .xlsx are zip archives, and a small
archive can unpack to gigabytes (a zip bomb). Check the archive's directory before anything opens it."""

from __future__ import annotations

import zipfile
from pathlib import Path

from cchc_gen.errors import DataError

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_RATIO = 200  # unpacked/packed size of one member; text XML compresses well, but not this well


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


def check_archive(path: Path, what: str) -> None:
    """Refuse ``path`` (a .docx or .xlsx, named ``what`` in messages) if it is not a sane zip archive."""
    fix = f"Mở {what} bằng Word hoặc Excel, lưu lại thành tệp mới rồi dùng tệp đó."
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DataError.single(f"Không đọc được {what} ({exc.strerror}).", file=path) from None
    if size > MAX_FILE_BYTES:
        raise DataError.single(f"{_sentence(what)} quá lớn ({size // 1024 // 1024} MB).", file=path, fix=fix)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise DataError.single(
            f"Tệp này không phải {what} hợp lệ (không mở được như tệp Office).", file=path, fix=fix
        ) from None
    unpacked = sum(m.file_size for m in members)
    too_dense = any(m.compress_size and m.file_size / m.compress_size > MAX_RATIO for m in members)
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES or too_dense:
        raise DataError.single(
            f"{_sentence(what)} có cấu trúc bất thường (giải nén ra {unpacked // 1024 // 1024} MB, "
            f"{len(members)} phần) — có thể là tệp độc hại.",
            file=path,
            fix=fix,
        )
