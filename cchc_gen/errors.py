"""Errors meant for users.

Every problem a clerk or a maintainer can fix is a :class:`CchcError`: it carries the file, the place in
the file (YAML line, sheet and cell, template paragraph), what is wrong and how to fix it, all in
Vietnamese. ``cli.py`` turns it into a message and exit code 1 in one place; the library never prints.
"""

from __future__ import annotations

import errno
import os
import re
import shlex
import sys
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePath
from typing import Self

# What a shell takes as part of a word: shlex's safe characters, with letters of any script (Vietnamese
# letters need no quotes). Windows' cmd and PowerShell read more characters, so fewer are left bare.
_BARE_POSIX = re.compile(r"[\w@%+=:,./-]+")
_BARE_WINDOWS = re.compile(r"[\w.:\\/-]+")


# How much of a value from an input a message quotes: enough to recognise it, never a whole pasted page.
EXCERPT_CHARACTERS = 60


def excerpt(value: object, limit: int = EXCERPT_CHARACTERS) -> str:
    """A value from an input as a message quotes it: whole when short, else its beginning, "…" and its
    length. Every message that quotes what a user typed goes through here, so that a five-megabyte line is
    never echoed back."""
    text = str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit].rstrip()}… ({len(text):,} ký tự)".replace(",", ".")


def shown(path: PurePath | str, windows: bool = sys.platform == "win32") -> str:
    """A path as the user pastes it into a shell: bare when it can be, else quoted (single quotes as
    ``shlex.quote`` on POSIX, double quotes on Windows). Every path printed for a user goes through here."""
    text = excerpt(path, 300)  # a path built from a pasted page is no path to paste
    if windows:
        return text if _BARE_WINDOWS.fullmatch(text) else f'"{text}"'
    return text if _BARE_POSIX.fullmatch(text) else shlex.quote(text)


class Severity(StrEnum):
    """How bad a problem is, in the word printed before it: an error stops the command (exit code 1), a
    warning is shown and lets it go on. Every check (data, profile, template, format) uses these two."""

    ERROR = "lỗi"
    WARNING = "cảnh báo"


class InvalidValue(ValueError):
    """A value a check refuses, and how to fix it. The validators of the data model raise it: pydantic
    keeps the exception with its error, and the problem made of that error (which names the field) takes
    its fix from here."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix


@dataclass
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    message: str
    file: Path | None = None
    location: str | None = None
    fix: str | None = None
    severity: Severity = Severity.ERROR
    # Where the value is in the report's data (``("figures", "kh_ty_le")``), when a check knows it: the
    # web form shows the problem beside that field. Not part of the message.
    path: tuple[str | int, ...] | None = field(default=None, compare=False)

    def __str__(self) -> str:
        where = ", ".join(part for part in (shown(self.file) if self.file else None, self.location) if part)
        text = f"{where}: {self.message}" if where else self.message
        if self.severity != Severity.ERROR:
            text = f"[{self.severity}] {text}"
        if self.fix:
            text += f"\n  Cách sửa: {self.fix}"
        return text


@dataclass
class CchcError(Exception):
    """Base of every error a user should read instead of a traceback."""

    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def single(
        cls,
        message: str,
        *,
        file: Path | str | None = None,
        location: str | None = None,
        fix: str | None = None,
    ) -> Self:
        return cls([Problem(message, Path(file) if file else None, location, fix)])

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class DataError(CchcError):
    """A data file (YAML or workbook) or the unit registry is wrong."""


class TemplateProblem(CchcError):
    """A template profile is wrong or uses something the data does not have."""


class OutputError(CchcError):
    """The report could not be written where it was asked to go."""


@dataclass
class CheckFailed(CchcError):
    """``cchc kiem-tra`` found errors; the message lists every problem, grouped by file."""

    checked: int = 0

    def __str__(self) -> str:
        return format_check(self.problems, self.checked)


class FormatCheckFailed(CchcError):
    """``cchc kiem-tra-the-thuc`` found layout errors; the findings themselves were listed before."""


class BatchError(CchcError):
    """Some units of a batch could not be generated; each problem names the unit's file and the reason."""


@dataclass
class IncompleteRollup(CchcError):
    """The parent's file was written, but some units are not in it, or it fails its own check."""

    written: Path | None = None

    def __str__(self) -> str:
        head = "Số liệu tổng hợp chưa đầy đủ"
        if self.written:
            head += f" (tệp {shown(self.written)} vẫn được ghi, không gồm số liệu của các đơn vị dưới đây)"
        return f"{head}:\n" + "\n".join(str(p) for p in self.problems)


def format_check(problems: list[Problem], checked: int) -> str:
    """Problems grouped by file, then a one-line summary."""
    lines: list[str] = []
    by_file: dict[Path | None, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.file, []).append(problem)
    for file, found in by_file.items():
        lines.append(f"{shown(file) if file else '(không rõ tệp)'}:")
        for problem in found:
            where = f"{problem.location}: " if problem.location else ""
            lines.append(f"  - [{problem.severity}] {where}{problem.message}")
            if problem.fix:
                lines.append(f"    Cách sửa: {problem.fix}")
    errors = sum(p.severity == Severity.ERROR for p in problems)
    lines.append(f"Đã kiểm tra {checked} tệp: {errors} lỗi, {len(problems) - errors} cảnh báo.")
    return "\n".join(lines)


# Why a file could not be read, listed or written, and what to do, by the error number the operating system
# gives: its own text is English ("Is a directory", "Permission denied").
_SAME_AS_ACCESS = "Xin quyền truy cập tệp, thư mục này, hoặc chép tệp sang thư mục của mình rồi chạy lại."
_DISK_FULL = "Giải phóng dung lượng đĩa, hoặc chọn ổ đĩa khác, rồi chạy lại."
_IN_USE = "Đóng chương trình đang mở tệp này rồi chạy lại."
_OS_ERRORS: dict[int, tuple[str, str]] = {
    errno.ENOENT: (
        "không có tệp hoặc thư mục này",
        "Kiểm tra lại đường dẫn và tên tệp (cả chữ hoa, chữ thường và dấu).",
    ),
    errno.EACCES: ("không có quyền ghi hoặc đọc ở đây", _SAME_AS_ACCESS),
    errno.EPERM: ("hệ thống không cho phép thao tác này", _SAME_AS_ACCESS),
    errno.EISDIR: (
        "đây là một thư mục, không phải tệp",
        "Đưa vào một tệp trong thư mục đó (lệnh cchc kiem-tra nhận cả thư mục).",
    ),
    errno.ENOTDIR: (
        "một phần của đường dẫn là tệp, không phải thư mục",
        "Kiểm tra lại đường dẫn: mọi phần đứng trước tên tệp phải là thư mục.",
    ),
    errno.ENAMETOOLONG: (
        "tên hoặc đường dẫn tệp quá dài",
        "Đặt tên tệp, thư mục ngắn hơn, hoặc chuyển tệp vào thư mục gần gốc ổ đĩa.",
    ),
    errno.ELOOP: (
        "đường dẫn có liên kết (symlink) trỏ vòng quanh",
        "Sửa hoặc xóa các liên kết trong đường dẫn.",
    ),
    errno.EROFS: (
        "ổ đĩa hoặc thư mục chỉ cho đọc (read-only)",
        "Chọn thư mục ghi được (không phải đĩa CD hay USB đã khóa ghi), hoặc chép dữ liệu vào máy.",
    ),
    errno.ENOSPC: ("đĩa đã đầy", _DISK_FULL),
    getattr(errno, "EDQUOT", errno.ENOSPC): ("đã hết phần dung lượng đĩa được dùng", _DISK_FULL),
    errno.EIO: (
        "lỗi đọc ghi của thiết bị (đĩa hoặc USB hỏng, hoặc đã bị rút ra)",
        "Kiểm tra ổ đĩa hoặc USB, chép tệp vào máy rồi chạy lại.",
    ),
    errno.EBUSY: ("tệp đang bị chương trình khác dùng", _IN_USE),
    getattr(errno, "ETXTBSY", errno.EBUSY): ("tệp đang bị chương trình khác dùng", _IN_USE),
    errno.EEXIST: ("đã có tệp hoặc thư mục cùng tên", "Đổi tên hoặc chuyển tệp, thư mục đã có rồi chạy lại."),
    errno.EMFILE: (
        "mở quá nhiều tệp cùng lúc",
        "Đóng bớt chương trình rồi chạy lại (với cchc batch: giảm -j).",
    ),
    errno.ENFILE: (
        "mở quá nhiều tệp cùng lúc",
        "Đóng bớt chương trình rồi chạy lại (với cchc batch: giảm -j).",
    ),
}


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in Vietnamese: never the system's English text."""
    if exc.errno in _OS_ERRORS:
        return _OS_ERRORS[exc.errno][0]
    name = errno.errorcode.get(exc.errno) if exc.errno is not None else None
    return f"lỗi hệ thống {name or type(exc).__name__}"


def os_fix(exc: OSError) -> str:
    """What to do when a file operation failed with ``exc``."""
    if exc.errno in _OS_ERRORS:
        return _OS_ERRORS[exc.errno][1]
    return "Kiểm tra đường dẫn, quyền truy cập và dung lượng đĩa rồi chạy lại."


def os_problem(exc: OSError) -> Problem:
    """An error of the operating system that no step of a command foresaw (reading a file, listing a
    folder): the file, why, and what to do."""
    file = Path(os.fsdecode(exc.filename)) if exc.filename is not None else None
    return Problem(f"Không đọc hoặc ghi được tệp: {os_reason(exc)}.", file, fix=os_fix(exc))
