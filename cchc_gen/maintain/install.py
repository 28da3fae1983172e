"""A profile uploaded as a .zip of its folder, installed in the user's own profiles folder only when
``cchc template check`` passes on it.

The archive is looked at before anything is unpacked: a member named to leave the folder (``../``, an
absolute path, a drive letter), a symbolic link, too many members, too many bytes once unpacked, or a
member that unpacks far beyond its packed size (a zip bomb) refuse it whole. What is unpacked is counted
again while it is written, so that an archive lying about its sizes stops at the limit. The profile is
unpacked into a hidden folder beside the profiles (on the same disk), checked there, and renamed into
place: the profiles in use never see half of it. A profile of the same name is replaced.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cchc_gen.errors import Problem, TemplateProblem, excerpt
from cchc_gen.maintain.lint import check_profile_folder
from cchc_gen.maintain.scaffold import PROFILE_NAME
from cchc_gen.model.profile import PROFILE_FILE
from cchc_gen.paths import new_templates_folder
from cchc_gen.source.safety import MAX_RATIO, unsafe_member

MAX_ARCHIVE_BYTES = 20 * 1024 * 1024
MAX_PROFILE_BYTES = 40 * 1024 * 1024
MAX_PROFILE_FILES = 100
_CHUNK = 64 * 1024
_STAGING_PREFIX = ".tai-len-"
_FIX = (
    "Nén lại đúng thư mục bộ mẫu (chứa profile.yaml và template.docx) bằng chức năng nén của Windows "
    "(chuột phải → Send to → Compressed (zipped) folder), rồi tải lên tệp .zip đó."
)


@dataclass(frozen=True)
class InstalledProfile:
    """A profile installed from an archive: its name, its folder, the warnings its check gave, and
    whether it replaced a profile of the same name."""

    name: str
    folder: Path
    warnings: list[Problem]
    replaced: bool


def _refuse(archive: Path, message: str, fix: str = _FIX) -> TemplateProblem:
    return TemplateProblem.single(message, file=archive, fix=fix)


def _members(archive: Path) -> list[zipfile.ZipInfo]:
    """The members of ``archive`` to unpack (folders and the hidden files of Windows and macOS left
    out); refuses an archive that is not a sane, small zip."""
    try:
        size = archive.stat().st_size
        with zipfile.ZipFile(archive) as opened:
            members = opened.infolist()
    except (zipfile.BadZipFile, OSError):
        raise _refuse(archive, "Tệp tải lên không phải tệp nén .zip đọc được.") from None
    if size > MAX_ARCHIVE_BYTES:
        limit = MAX_ARCHIVE_BYTES // 1024 // 1024
        raise _refuse(archive, f"Tệp nén quá lớn (hơn {limit} MB) cho một bộ mẫu.")
    for member in members:
        if reason := unsafe_member(member):
            raise _refuse(archive, f"Tệp nén có cấu trúc bất thường: {reason} — có thể là tệp độc hại.")
    files = [m for m in members if not m.is_dir() and not _hidden(m.filename)]
    unpacked = sum(m.file_size for m in files)
    too_dense = any(m.compress_size and m.file_size / m.compress_size > MAX_RATIO for m in files)
    if len(files) > MAX_PROFILE_FILES or unpacked > MAX_PROFILE_BYTES or too_dense:
        raise _refuse(
            archive,
            f"Tệp nén có cấu trúc bất thường (giải nén ra {unpacked // 1024 // 1024} MB, {len(files)} tệp; "
            f"một bộ mẫu chỉ có vài tệp, dưới {MAX_PROFILE_BYTES // 1024 // 1024} MB) — có thể là tệp độc "
            "hại.",
        )
    return files


def _hidden(name: str) -> bool:
    """A file a system adds beside what was zipped (``__MACOSX/``, ``.DS_Store``, ``~$`` lock files)."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return any(part.startswith((".", "~$", "__MACOSX")) for part in parts)


def _layout(archive: Path, files: list[zipfile.ZipInfo], name_hint: str) -> tuple[str, str]:
    """The profile's name and the folder of the archive that holds its profile.yaml ("" for the top):
    the zip of a folder holds ``<name>/profile.yaml``; a zip of the folder's files, ``profile.yaml``
    (then the name is the archive's)."""
    names = [PurePosixPath(m.filename.replace("\\", "/")) for m in files]
    if PurePosixPath(PROFILE_FILE) in names:
        return PurePosixPath(name_hint).stem, ""
    tops = {path.parts[0] for path in names if len(path.parts) > 1}
    if len(tops) == 1 and len(names) == sum(len(p.parts) > 1 for p in names):
        top = tops.pop()
        if PurePosixPath(top, PROFILE_FILE) in names:
            return top, top
    raise _refuse(archive, f"Tệp nén không có tệp {PROFILE_FILE} của bộ mẫu ở thư mục gốc.")


def _unpack(archive: Path, files: list[zipfile.ZipInfo], top: str, target: Path) -> None:
    """The members under ``top`` into ``target``, counting the bytes written against the limit."""
    written = 0
    with zipfile.ZipFile(archive) as opened:
        for member in files:
            relative = PurePosixPath(member.filename.replace("\\", "/"))
            if top:
                relative = relative.relative_to(top)
            path = target.joinpath(*relative.parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                with opened.open(member) as source, path.open("xb") as sink:
                    while chunk := source.read(_CHUNK):
                        written += len(chunk)
                        if written > MAX_PROFILE_BYTES:
                            raise _refuse(
                                archive, "Tệp nén giải nén ra quá nhiều dữ liệu — có thể là tệp độc hại."
                            )
                        sink.write(chunk)
            except FileExistsError:
                raise _refuse(archive, f"Tệp nén có hai tệp cùng tên '{excerpt(member.filename)}'.") from None
            except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError):
                shown = excerpt(member.filename)
                raise _refuse(archive, f"Không giải nén được tệp '{shown}' trong tệp nén.") from None


def install_profile(archive: Path, name_hint: str) -> InstalledProfile:
    """Install the profile in ``archive`` (a .zip of its folder, or of its files: then the profile is named
    as ``name_hint``, the uploaded file's name) in the user's own profiles folder, replacing one of the
    same name; only when its check finds no error (:class:`~cchc_gen.errors.CheckFailed` with every
    problem otherwise). Nothing is installed when anything fails."""
    files = _members(archive)
    name, top = _layout(archive, files, name_hint)
    if not PROFILE_NAME.match(name):
        raise _refuse(
            archive,
            f"Tên bộ mẫu '{excerpt(name)}' không hợp lệ.",
            "Đặt tên thư mục bộ mẫu chỉ bằng chữ thường không dấu, chữ số và dấu '-', ví dụ "
            "bao-cao-dinh-ky-2026, rồi nén lại.",
        )
    root = new_templates_folder()
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=root))
    try:
        folder = staging / name
        folder.mkdir()
        _unpack(archive, files, top, folder)
        warnings = check_profile_folder(folder)
        target = root / name
        replaced = target.exists()
        if replaced:
            os.rename(target, staging / f"{name}.cu")
        try:
            os.rename(folder, target)
        except OSError:
            if replaced:
                os.rename(staging / f"{name}.cu", target)
            raise
        return InstalledProfile(name, target, warnings, replaced)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
