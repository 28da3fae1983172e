"""Pictures in a report: PNG or JPEG files that the data names, read and checked before they are placed.

A data file names a picture relative to its own folder (``image: ht.bieu-do.png``); the name can never
lead out of that folder. The picture is read once, when the report is checked; the renderer places it
where the template prints ``{{ b.image }}``, through the placer it installs for the time of a render
(:func:`placing`), since only the renderer knows the package the picture goes into.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath, PureWindowsPath

from cchc_gen.errors import excerpt, os_fix, os_reason, shown
from cchc_gen.vn import numbers

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE_PX = 10_000
# The text area of an A4 page is 25.7 cm high; a picture leaves room for its caption.
MAX_HEIGHT_CM = Decimal(22)
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"))


class PictureError(ValueError):
    """What is wrong with a picture, in Vietnamese, and how to fix it. Internal: the check that reads the
    picture turns it into a :class:`~cchc_gen.errors.Problem` at the data file's line."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message, self.fix = message, fix


@dataclass(frozen=True)
class Picture:
    """A picture file as read: its name in the data, its bytes and its size in pixels."""

    name: str
    data: bytes
    width_px: int
    height_px: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def height_cm(self, width_cm: Decimal) -> Decimal:
        return width_cm * self.height_px / self.width_px


def picture_path(folder: Path, name: str) -> Path:
    """Where the picture ``name`` of a data file in ``folder`` is; never outside ``folder`` by its name."""
    relative = PurePosixPath(name.replace("\\", "/"))
    if relative.is_absolute() or PureWindowsPath(name).drive or ".." in relative.parts:
        raise PictureError(
            f"Tên ảnh '{excerpt(name)}' phải là tên tệp nằm trong thư mục của tệp dữ liệu.",
            "Chép ảnh vào cùng thư mục với tệp dữ liệu (hoặc một thư mục con) rồi ghi tên tệp ảnh, "
            "ví dụ bieu-do.png hoặc anh/bieu-do.png.",
        )
    return folder / relative


def read_picture(folder: Path, name: str) -> Picture:
    """The picture ``name`` (relative to ``folder``), or a :class:`PictureError` saying what is wrong."""
    path = picture_path(folder, name)
    try:
        if not path.resolve().is_relative_to(folder.resolve()):  # a link that leads elsewhere
            raise PictureError(
                f"Ảnh '{excerpt(name)}' trỏ ra ngoài thư mục của tệp dữ liệu.",
                "Chép chính tệp ảnh (không dùng lối tắt) vào thư mục của tệp dữ liệu.",
            )
        size = path.stat().st_size
        if not path.is_file():
            raise FileNotFoundError
        if size > MAX_BYTES:
            raise PictureError(
                f"Ảnh '{excerpt(name)}' quá lớn ({size / 1024 / 1024:.1f} MB; "
                f"tối đa {MAX_BYTES // 1024 // 1024} MB).",
                "Giảm kích thước ảnh (lưu lại ở độ phân giải thấp hơn) rồi chạy lại.",
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise PictureError(
            f"Không tìm thấy ảnh '{excerpt(name)}' trong thư mục {shown(folder)}.",
            "Kiểm tra tên tệp ảnh (cả phần mở rộng .png/.jpg) và chép ảnh vào thư mục của tệp dữ liệu.",
        ) from None
    except OSError as exc:
        raise PictureError(
            f"Không đọc được ảnh '{excerpt(name)}': {os_reason(exc)}.",
            os_fix(exc),
        ) from None
    return _checked(name, data)


def picture_from_bytes(name: str, data: bytes) -> Picture:
    """A picture received as bytes (uploaded in the web workspace), checked as one read from a file."""
    if len(data) > MAX_BYTES:
        raise PictureError(
            f"Ảnh '{name}' quá lớn ({len(data) / 1024 / 1024:.1f} MB; "
            f"tối đa {MAX_BYTES // 1024 // 1024} MB).",
            "Giảm kích thước ảnh (lưu lại ở độ phân giải thấp hơn) rồi tải lên lại.",
        )
    return _checked(name, data)


def _checked(name: str, data: bytes) -> Picture:
    # python-docx reads the size as it will when placing the picture; loaded only for reports with pictures.
    from docx.image.exceptions import (
        InvalidImageStreamError,
        UnexpectedEndOfFileError,
        UnrecognizedImageError,
    )
    from docx.image.image import Image

    if not any(data.startswith(signature) for signature, _ in _SIGNATURES):
        raise PictureError(
            f"Tệp '{excerpt(name)}' không phải ảnh PNG hoặc JPEG.",
            "Lưu ảnh (hoặc biểu đồ) dưới dạng PNG hay JPEG rồi ghi tên tệp mới.",
        )
    try:
        image = Image.from_blob(data)
        width, height = image.px_width, image.px_height
    except (InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError, ValueError, KeyError):
        width = height = 0
    if not (0 < width <= MAX_SIDE_PX and 0 < height <= MAX_SIDE_PX):
        raise PictureError(
            f"Ảnh '{excerpt(name)}' bị hỏng hoặc có kích thước không đọc được"
            + (f" ({width}×{height} điểm ảnh)." if width and height else "."),
            "Mở ảnh bằng phần mềm xem ảnh rồi lưu lại "
            f"(mỗi chiều tối đa {numbers.format_number(MAX_SIDE_PX)} điểm ảnh).",
        )
    return Picture(name, data, width, height)


@dataclass(frozen=True)
class PlacedPicture:
    """A picture at the width the data asks for, as the template prints it: ``{{ b.image }}``."""

    picture: Picture
    width_cm: Decimal

    def __html__(self) -> str:
        place = _PLACER.get()
        if place is None:
            raise RuntimeError("a picture is printed only while a renderer places pictures")
        return place(self)


_PLACER: ContextVar[Callable[[PlacedPicture], str] | None] = ContextVar("cchc_picture_placer", default=None)


@contextmanager
def placing(place: Callable[[PlacedPicture], str]) -> Iterator[None]:
    """Within this block, a picture printed by a template is turned into XML by ``place``."""
    token = _PLACER.set(place)
    try:
        yield
    finally:
        _PLACER.reset(token)
