"""Guards for files that travel by email and USB stick, applied before anything else reads them.

- Every input is a regular file of bounded size: a device or a FIFO would be read forever
  (:func:`read_input`, :func:`check_regular`).
- .docx and .xlsx are zip archives, and a small archive can unpack to gigabytes (a zip bomb); a member may
  also be named to point outside the archive (``../``) or be a symbolic link. :func:`check_archive` looks at
  the archive's directory before anything opens it. A file protected by a password is not a zip archive
  but an OLE container holding the encrypted package, and is named as such.
- A Word template's external relationships (a remote picture, a link, an attached template that Word
  fetches when it opens the file) would be copied into every report: :func:`check_template` refuses them.
- A workbook with macros, or with more cells (or merged cells) than any report needs, is refused by
  :func:`check_workbook` before openpyxl builds a cell object for each of them.
"""

from __future__ import annotations

import errno
import os
import posixpath
import re
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, NoReturn
from xml.parsers import expat

from cchc_gen.errors import DataError, TemplateProblem, os_fix, os_reason, shown
from cchc_gen.vn.numbers import format_number

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_RATIO = 200  # unpacked/packed size of one member; text XML compresses well, but not this well
# Cells a workbook may store, merged cells counted one by one: openpyxl builds an object for each. A report
# workbook has a few thousand.
MAX_CELLS = 200_000
_LAST_ROW, _LAST_COLUMN = 1_048_576, 16_384

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_SYMLINK = 0o120000
_UNIX = 3  # ZipInfo.create_system of archives made on Unix, whose external attributes hold a file mode
_EXTERNAL = re.compile(rb"<Relationship\b[^>]*\bTargetMode\s*=\s*[\"']External[\"'][^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(rb"\b(Type|Target)\s*=\s*[\"']([^\"']*)[\"']")
_RELATIONSHIP_KINDS = {
    "image": "ảnh lấy từ nơi khác",
    "hyperlink": "liên kết",
    "attachedTemplate": "mẫu đính kèm",
    "oleObject": "đối tượng nhúng",
    "frame": "khung lấy nội dung từ nơi khác",
    "subDocument": "tài liệu con",
}
_MACRO_CONTENT = b"macroEnabled"
_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


def _refuse_unreadable(path: Path, exc: OSError, what: str) -> NoReturn:
    if exc.errno == errno.ENOENT and path.is_symlink():
        raise DataError.single(
            f"Đây là một liên kết (symlink) tới {shown(os.readlink(path))}, nhưng nơi đó không có tệp.",
            file=path,
            fix="Xóa liên kết này, hoặc đặt lại tệp mà nó trỏ tới, rồi chạy lại.",
        ) from None
    if exc.errno == errno.ENOENT:
        raise DataError.single(
            "Không tìm thấy tệp.", file=path, fix="Kiểm tra lại đường dẫn và tên tệp."
        ) from None
    raise DataError.single(f"Không đọc được {what}: {os_reason(exc)}.", file=path, fix=os_fix(exc)) from None


# What is not a regular file, in a clerk's words: reading one may never end.
_SPECIAL_FILES = (
    (stat.S_ISFIFO, "một ống dẫn (FIFO)"),
    (stat.S_ISCHR, "một thiết bị"),
    (stat.S_ISBLK, "một thiết bị"),
    (stat.S_ISSOCK, "một socket"),
)


def _refuse_irregular(path: Path, mode: int, what: str) -> None:
    if stat.S_ISDIR(mode):
        raise DataError.single(
            f"Không đọc được tệp: đây là một thư mục, không phải {what}.",
            file=path,
            fix="Đưa vào một tệp trong thư mục đó (cchc kiem-tra nhận cả thư mục).",
        )
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _SPECIAL_FILES if test(mode)), "một tệp đặc biệt")
        raise DataError.single(
            f"Không đọc {what} này: đây không phải tệp thông thường mà là {kind}, đọc vào có thể không bao "
            "giờ xong.",
            file=path,
            fix="Chép dữ liệu vào một tệp trên đĩa rồi đưa tệp đó vào; trong thư mục dữ liệu, xóa nó hoặc "
            "đổi tên cho khác đuôi .yaml, .xlsx.",
        )


def _refuse_size(path: Path, what: str, limit: int) -> NoReturn:
    raise DataError.single(
        f"{_sentence(what)} quá lớn (hơn {limit // 1024 // 1024} MB, giới hạn của {what}).",
        file=path,
        fix="Kiểm tra đã đưa đúng tệp chưa: dữ liệu của một báo cáo chỉ vài trăm KB; tách dữ liệu thành "
        "nhiều tệp nếu thật sự cần.",
    )


def check_regular(path: Path, what: str, limit: int = MAX_FILE_BYTES) -> int:
    """The size of ``path``; refuses anything but a regular file of at most ``limit`` bytes."""
    try:
        status = path.stat()
    except OSError as exc:
        _refuse_unreadable(path, exc, what)
    _refuse_irregular(path, status.st_mode, what)
    if status.st_size > limit:
        _refuse_size(path, what, limit)
    return status.st_size


def read_input(path: Path, what: str, limit: int) -> bytes:
    """The bytes of the input file ``path`` (named ``what`` in messages): a regular file of at most
    ``limit`` bytes. Opened without waiting, so that a FIFO is refused instead of waited on, and read no
    further than the limit, so that a device such as /dev/zero is never read forever. A socket, which
    cannot be opened at all, is named as such before (:func:`check_regular`)."""
    check_regular(path, what, limit)
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        _refuse_unreadable(path, exc, what)
    try:
        _refuse_irregular(path, os.fstat(handle).st_mode, what)
    except DataError:
        os.close(handle)
        raise
    with os.fdopen(handle, "rb") as stream:
        try:
            data = stream.read(limit + 1)
        except OSError as exc:
            _refuse_unreadable(path, exc, what)
    if len(data) > limit:
        _refuse_size(path, what, limit)
    return data


def _not_an_archive(path: Path, what: str, fix: str) -> NoReturn:
    """Why ``path`` is not a zip archive, when it can be told: a password, or the old binary format."""
    try:
        with path.open("rb") as stream:
            head = stream.read(MAX_FILE_BYTES)
    except OSError:
        head = b""
    if head.startswith(_OLE_MAGIC) and _ENCRYPTED_PACKAGE in head:
        raise DataError.single(
            f"{_sentence(what)} được bảo vệ bằng mật khẩu (đã mã hóa) nên không đọc được.",
            file=path,
            fix="Mở tệp bằng mật khẩu, vào File → Info → Protect → Encrypt with Password, xóa mật khẩu "
            "rồi lưu lại (hoặc Save As thành tệp mới không đặt mật khẩu) và dùng tệp đó.",
        )
    if head.startswith(_OLE_MAGIC):
        raise DataError.single(
            f"Tệp này là tệp Office 97-2003 (.doc/.xls) được đổi đuôi, không phải {what} hợp lệ.",
            file=path,
            fix=fix,
        )
    raise DataError.single(
        f"Tệp này không phải {what} hợp lệ (không mở được như tệp Office).", file=path, fix=fix
    )


def unsafe_member(member: zipfile.ZipInfo) -> str | None:
    """Why the member is unsafe to unpack anywhere: a name leaving the archive, or a symbolic link."""
    name = member.filename.replace("\\", "/")
    if name.startswith("/") or re.match(r"[A-Za-z]:", name) or ".." in PurePosixPath(name).parts:
        return f"phần '{member.filename}' có tên trỏ ra ngoài tệp"
    if member.create_system == _UNIX and stat.S_IFMT(member.external_attr >> 16) == _SYMLINK:
        return f"phần '{member.filename}' là một liên kết tượng trưng (symlink)"
    return None


def check_archive(path: Path, what: str) -> list[zipfile.ZipInfo]:
    """Refuse ``path`` (a .docx or .xlsx, named ``what`` in messages) if it is not a sane zip archive;
    returns its members."""
    fix = f"Mở {what} bằng Word hoặc Excel, lưu lại thành tệp mới rồi dùng tệp đó."
    check_regular(path, what)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        _not_an_archive(path, what, fix)
    unpacked = sum(m.file_size for m in members)
    too_dense = any(m.compress_size and m.file_size / m.compress_size > MAX_RATIO for m in members)
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES or too_dense:
        raise DataError.single(
            f"{_sentence(what)} có cấu trúc bất thường (giải nén ra {unpacked // 1024 // 1024} MB, "
            f"{len(members)} phần) — có thể là tệp độc hại.",
            file=path,
            fix=fix,
        )
    for member in members:
        if reason := unsafe_member(member):
            raise DataError.single(
                f"{_sentence(what)} có cấu trúc bất thường: {reason} — có thể là tệp độc hại.",
                file=path,
                fix=fix,
            )
    return members


# --- Word templates -------------------------------------------------------------------------------------


def _external_targets(archive: zipfile.ZipFile) -> Iterator[tuple[str, str, str]]:
    """(relationships part, kind, target) of each external relationship of the package."""
    for name in archive.namelist():
        if name.endswith(".rels"):
            for match in _EXTERNAL.finditer(archive.read(name)):
                attributes = {
                    key.decode(): value.decode("utf-8", "replace")
                    for key, value in _ATTRIBUTE.findall(match[0])
                }
                kind = posixpath.basename(attributes.get("Type", ""))
                yield name, _RELATIONSHIP_KINDS.get(kind, kind or "liên kết"), attributes.get("Target", "")


def check_template(path: Path) -> None:
    """Refuse the Word template ``path`` if it is not a sane archive or reaches outside itself: every
    external relationship of a template would be copied into every report, and some (a remote picture, an
    attached template) are fetched by Word when the report is opened."""
    try:
        check_archive(path, "tệp Word mẫu")
    except DataError as exc:
        raise TemplateProblem(exc.problems) from None
    with zipfile.ZipFile(path) as archive:
        external = list(_external_targets(archive))
    if external:
        part, kind, target = external[0]
        more = f" (và {len(external) - 1} liên kết khác)" if len(external) > 1 else ""
        raise TemplateProblem.single(
            f"Tệp Word mẫu có {kind} trỏ ra ngoài tệp: “{target[:100]}”{more}. Liên kết này sẽ được chép "
            "vào mọi báo cáo và Word có thể tải nội dung từ đó khi mở báo cáo.",
            file=path,
            location=f"phần {part}",
            fix="Trong Word: xóa liên kết (chuột phải → Remove Hyperlink), chèn ảnh từ tệp trên máy thay "
            "cho ảnh liên kết (Insert → Pictures, không chọn Link to File), bỏ mẫu đính kèm (Developer → "
            "Document Template, xóa tên mẫu), rồi lưu lại.",
        )


# --- Workbooks ------------------------------------------------------------------------------------------


class _TooManyCells(Exception):
    """Internal: stops counting a sheet's cells past the budget; the caller reports the sheet as a
    :class:`~cchc_gen.errors.DataError`."""


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """The title of each worksheet member ("xl/worksheets/sheet1.xml" → "Số liệu"), as far as it can be
    read; openpyxl says the rest when it opens the workbook."""
    try:
        workbook = archive.read("xl/workbook.xml")
        relationships = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for match in re.finditer(rb"<Relationship\b[^>]*>", relationships):
        attributes = dict(re.findall(rb"\b(Id|Target)\s*=\s*\"([^\"]*)\"", match[0]))
        if b"Id" in attributes and b"Target" in attributes:
            target = attributes[b"Target"].decode("utf-8", "replace")
            targets[attributes[b"Id"]] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    names = {}
    for match in re.finditer(rb"<(?:\w+:)?sheet\b[^>]*>", workbook):
        title = re.search(rb"\bname\s*=\s*\"([^\"]*)\"", match[0])
        rid = re.search(rb"\b(?:\w+:)?id\s*=\s*\"([^\"]*)\"", match[0])
        if title and rid and rid[1] in targets:
            names[posixpath.normpath(targets[rid[1]])] = title[1].decode("utf-8", "replace")
    return names


def _count_cells(stream: IO[bytes], budget: int) -> int:
    """Cells stored in one worksheet, merged cells counted one by one, stopping past ``budget``."""
    # Imported here, as openpyxl is wherever a workbook is read: a YAML report does not import it.
    from openpyxl.utils.cell import range_boundaries

    counted = 0

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal counted
        local = name.rpartition(" ")[2]
        if local == "c":
            counted += 1
        elif local == "mergeCell" and "ref" in attributes:
            try:
                left, top, right, bottom = range_boundaries(attributes["ref"])
            except (ValueError, TypeError):
                return  # openpyxl says what is wrong with it
            # A whole column or row ("A:A", "1:1") has no bound on the other side.
            columns = (right or _LAST_COLUMN) - (left or 1) + 1
            counted += columns * ((bottom or _LAST_ROW) - (top or 1) + 1)
        if counted > budget:
            raise _TooManyCells

    def no_entities(*_: object) -> None:
        raise expat.ExpatError("entity")  # refused with its own message when openpyxl reads the file

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EntityDeclHandler = no_entities
    try:
        while chunk := stream.read(1 << 16):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        pass  # openpyxl says what is wrong with the XML
    return counted


def check_workbook(path: Path) -> None:
    """Refuse the workbook ``path`` if it is not a sane archive, carries macros, or stores more cells than
    :data:`MAX_CELLS` (a used range stretched to XFD1048576, a million rows, a merge over a whole sheet)."""
    what = "bảng tính"
    if path.suffix.lower() == ".xlsm":
        _refuse_macros(path)
    members = check_archive(path, what)
    with zipfile.ZipFile(path) as archive:
        names = {m.filename for m in members}
        types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
        if _MACRO_CONTENT in types or any(n.lower().endswith("vbaproject.bin") for n in names):
            _refuse_macros(path)
        titles = _sheet_names(archive)
        budget = MAX_CELLS
        for member in members:
            if _WORKSHEET.fullmatch(member.filename):
                try:
                    with archive.open(member) as stream:
                        budget -= _count_cells(stream, budget)
                except _TooManyCells:
                    title = titles.get(member.filename, member.filename)
                    raise DataError.single(
                        f"Bảng tính lưu quá nhiều ô (hơn {format_number(MAX_CELLS)} ô, tính cả ô gộp) — "
                        f"đến sheet '{title}'. Bảng tính báo cáo chỉ cần vài nghìn ô.",
                        file=path,
                        fix=f"Trong sheet '{title}': chọn các dòng và cột thừa phía dưới và bên phải dữ "
                        "liệu, xóa hẳn (chuột phải → Delete, không chỉ xóa nội dung), bỏ các ô gộp quá lớn, "
                        "rồi lưu lại.",
                    ) from None


def _refuse_macros(path: Path) -> NoReturn:
    raise DataError.single(
        "Bảng tính có macro (VBA) — không nhận tệp có macro vì macro có thể chứa mã độc.",
        file=path,
        fix="Mở tệp bằng Excel, chọn File → Save As → Excel Workbook (*.xlsx) (Excel bỏ macro khi lưu), "
        "rồi dùng tệp .xlsx mới.",
    )
