"""Where cchc finds what it reads and where it writes, from any working folder and on any path.

- Profiles (bộ mẫu): the user's own folder first — the ``--templates`` option (:func:`templates_from`),
  else ``$CCHC_TEMPLATES``, else ``templates/`` in the working folder — then the profiles that ship inside
  the package (``cchc_gen.templates``: the repository's top-level ``templates/``, as package data).
- The data folder (``units.yaml`` and the period folders): the ``--data`` option, else ``$CCHC_DATA``, else
  ``data/`` in the working folder when it holds a registry, else the folder set once with
  ``cchc cau-hinh --thu-muc-du-lieu`` (a small settings file in click's per-user folder).
- The unit registry of one data file: the ``--data`` folder's when given, else ``units.yaml`` beside or
  above the data file, else the data folder's.
- Outputs: ``outputs/`` beside a data folder named ``data`` (a project laid out like the repository:
  ``data/``, ``outputs/``, ``templates/`` side by side), else ``outputs/`` inside the data folder. Every
  command checks what it is about to write with :func:`check_outputs` before it writes anything: never one
  of its inputs, the registry or a profile's file, never through a symbolic link, always with the suffix
  of what is written, and never one file for two inputs.

Paths are shown to users by :func:`cchc_gen.errors.shown`, quoted for pasting into a shell.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import os
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

import click

from cchc_gen.errors import CchcError, DataError, OutputError, Problem, os_reason, shown

REGISTRY_FILE = "units.yaml"
PROFILE_FILE = "profile.yaml"
TEMPLATE_FILE = "template.docx"
DATA_FOLDER = "data"
OUTPUTS_FOLDER = "outputs"
TEMPLATES_FOLDER = "templates"
DATA_VARIABLE = "CCHC_DATA"
TEMPLATES_VARIABLE = "CCHC_TEMPLATES"
BUNDLED_TEMPLATES = "cchc_gen.templates"
SETTINGS_FILE = "config.yaml"
APP_NAME = "cchc"

# The --templates option of the command being run; a context variable rather than a parameter of every
# function down to the profile loader, as $CCHC_TEMPLATES is read there too.
_templates_option: ContextVar[Path | None] = ContextVar("templates_option", default=None)


# --- profiles -----------------------------------------------------------------------------------------


@contextlib.contextmanager
def templates_from(folder: Path | None) -> Iterator[None]:
    """Within the block, the user's own profiles are in ``folder`` (the ``--templates`` option);
    ``None`` changes nothing."""
    token = _templates_option.set(folder) if folder is not None else None
    try:
        yield
    finally:
        if token is not None:
            _templates_option.reset(token)


def own_templates() -> Path | None:
    """The user's own profiles folder: ``--templates``, else ``$CCHC_TEMPLATES``, else ``templates/`` in
    the working folder when there is one; None when there is none of these."""
    if (chosen := _templates_option.get()) is not None:
        return chosen
    if variable := os.environ.get(TEMPLATES_VARIABLE):
        return Path(variable)
    local = Path.cwd() / TEMPLATES_FOLDER
    return local if local.is_dir() else None


def new_templates_folder() -> Path:
    """Where ``cchc template new`` puts a profile: the user's own folder, ``templates/`` in the working
    folder when there is none (the bundled profiles are the installed program's, never written to)."""
    return own_templates() or Path.cwd() / TEMPLATES_FOLDER


def bundled_templates() -> Path:
    """The profiles that ship inside the package (in a checkout, the top-level ``templates/``)."""
    return Path(str(importlib.resources.files(BUNDLED_TEMPLATES)))


def template_folders() -> list[Path]:
    """Where profiles are looked for, in order: the user's own folder, then the bundled profiles."""
    bundled = bundled_templates()
    own = own_templates()
    if own is None or _same_folder(own, bundled):
        return [bundled]
    return [own, bundled]


def _same_folder(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve()
    except OSError:
        return False


# --- data ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataFolder:
    """The data folder in use, and what chose it (in the words of the command line)."""

    folder: Path
    chosen_by: str


def find_data_folder(given: Path | None = None) -> DataFolder:
    """The data folder: ``given`` (``--data``), else ``$CCHC_DATA``, else ``data/`` in the working folder
    when it holds a registry, else the configured one, else ``data/`` (where a missing registry is then
    reported)."""
    if given is not None:
        return DataFolder(given, "tùy chọn --data")
    if variable := os.environ.get(DATA_VARIABLE):
        return DataFolder(Path(variable), f"biến môi trường {DATA_VARIABLE}")
    local = Path(DATA_FOLDER)
    if (local / REGISTRY_FILE).is_file():
        return DataFolder(local, "thư mục data/ ở thư mục đang làm việc")
    configured = configured_data_folder()
    if configured is not None:
        return DataFolder(configured, f"cài đặt trong {shown(settings_file())}")
    return DataFolder(local, "mặc định")


def data_folder(given: Path | None = None) -> Path:
    """The folder of :func:`find_data_folder`."""
    return find_data_folder(given).folder


def registry_for(data_file: Path, data_dir: Path | None = None) -> Path:
    """The unit registry of ``data_file``: in ``data_dir`` when given (``--data``), else ``units.yaml``
    beside or above the data file, else in the data folder (:func:`data_folder`)."""
    if data_dir is not None:
        return data_dir / REGISTRY_FILE
    # realpath, not resolve(): a link that loops is for the reader to report, not a RuntimeError here.
    for folder in Path(os.path.realpath(data_file)).parents:
        candidate = folder / REGISTRY_FILE
        if candidate.is_file():
            return candidate
    return data_folder() / REGISTRY_FILE


def outputs_folder(data_dir: Path) -> Path:
    """Where the reports made from ``data_dir`` go: ``outputs/`` beside it when it is named ``data`` (a
    project laid out like the repository), else ``outputs/`` inside it."""
    absolute = Path(os.path.abspath(data_dir))
    if absolute.name != DATA_FOLDER:
        return data_dir / OUTPUTS_FOLDER
    # "data" stays relative ("outputs"), as it was typed; "." or ".." named data need the absolute path.
    return (data_dir if data_dir.name == DATA_FOLDER else absolute).parent / OUTPUTS_FOLDER


# --- outputs -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """What a command writes, as messages name it, and the suffixes its file may have (any when none)."""

    what: str
    suffixes: tuple[str, ...] = ()


REPORT = Kind("báo cáo Word", (".docx",))
PDF = Kind("bản PDF", (".pdf",))
WORKBOOK = Kind("bảng tính Excel", (".xlsx",))
YAML_DATA = Kind("tệp dữ liệu YAML", (".yaml", ".yml"))
DATA = Kind("tệp dữ liệu", (".yaml", ".yml", ".xlsx"))
CHART = Kind("biểu đồ", (".png",))
PICTURE = Kind("tệp ảnh")
PROFILE = Kind("bộ mẫu")
# The manifest, lock file and backups of a batch: named by cchc, written beside the reports.
RECORD = Kind("tệp ghi chép của cchc")


@dataclass(frozen=True)
class Output:
    """A file a command is about to write. ``source`` is the input it is made from (two inputs never
    make one file); ``option`` is how the user named it ("-o", "TỆP_RA"), None when cchc chose the name."""

    path: Path
    kind: Kind
    source: Path | None = None
    option: str | None = None


def check_outputs(
    outputs: Iterable[Output], inputs: Iterable[Path] = (), registries: Iterable[Path] = ()
) -> None:
    """Refuse, before anything is written, every output that would destroy or leak a file: one of the
    run's ``inputs`` or ``registries`` (the same file however it is spelt, hard links included), a file in
    a profile's folder, a symbolic link (writing through it would replace, or back up, a file elsewhere:
    refused rather than replaced, so that a link someone planted is seen and nothing outside is touched),
    a name without the suffix of what is written, and one file made from two inputs. Raises
    :class:`OutputError` with a problem for each output refused."""
    inputs, registries = list(inputs), list(registries)
    problems: list[Problem] = []
    made: dict[str, Output] = {}
    for output in outputs:
        problem = _refusal(output, inputs, registries)
        earlier = made.setdefault(_real(output.path), output)
        if problem is None and earlier.source and output.source and not _same(earlier.source, output.source):
            problem = Problem(
                f"Hai tệp {shown(earlier.source)} và {shown(output.source)} cùng ghi ra {output.kind.what} "
                "này: tệp sau sẽ ghi đè tệp trước.",
                output.path,
                fix="Bỏ một trong hai tệp khỏi lệnh (giữ tệp có dữ liệu đúng của đơn vị và kỳ đó), hoặc tạo "
                "từng báo cáo riêng bằng tùy chọn -o.",
            )
        if problem is not None:
            problems.append(problem)
    if problems:
        raise OutputError(problems)


def _refusal(output: Output, inputs: list[Path], registries: list[Path]) -> Problem | None:
    """Why ``output`` must not be written, or None."""
    path, what = output.path, output.kind.what
    other = f"chọn tệp khác bằng {output.option}" if output.option else None

    def refused(message: str, fix: str) -> Problem:
        return Problem(message, path, fix=fix)

    for name, files in (("danh mục đơn vị", registries), ("tệp", inputs)):
        for read in files:
            if not _same(path, read):
                continue
            fix = f"{other[0].upper()}{other[1:]}." if other else "Chọn thư mục hoặc tên khác cho tệp ra."
            if not os.path.lexists(read):  # where a unit's data file would be: what is written there is read
                return refused(
                    f"Đây là chỗ của tệp {shown(read)}, nơi các lệnh tìm dữ liệu: {what} ghi ra đó sẽ bị đọc "
                    "như dữ liệu của đơn vị.",
                    fix,
                )
            if not other:
                fix = f"Đổi tên hoặc chuyển {shown(read)} sang thư mục khác rồi chạy lại."
            return refused(
                f"Đây là {name} {shown(read)} mà lệnh này đọc vào: ghi {what} ra đó sẽ mất tệp này.", fix
            )
    if (profile := _profile_holding(path)) is not None:
        return refused(
            f"Tệp này nằm trong bộ mẫu {shown(profile)}: ghi {what} vào đó sẽ sửa bộ mẫu của các báo cáo.",
            "Chọn tệp ở thư mục khác, ngoài thư mục các bộ mẫu.",
        )
    if os.path.islink(path):
        return refused(
            f"Đây là một liên kết (symlink) tới {shown(os.readlink(path))}: cchc không ghi qua liên kết, "
            "để không thay hay chép một tệp ở nơi khác.",
            "Xóa liên kết này (nơi nó trỏ tới không bị ảnh hưởng) rồi chạy lại"
            + (f", hoặc {other}." if other else "."),
        )
    suffixes = output.kind.suffixes
    if suffixes and path.suffix.lower() not in suffixes:
        has = f"có đuôi '{path.suffix}'" if path.suffix else "không có đuôi"
        example = path.with_name(f"{path.stem or 'bao-cao'}{suffixes[0]}")
        return refused(
            f"Tên tệp {has}, nhưng lệnh này ghi {what}: tệp phải có đuôi {' hoặc '.join(suffixes)}.",
            f"Đặt tên tệp có đuôi {suffixes[0]}, ví dụ {shown(example)}.",
        )
    return None


def _real(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def _same(one: Path, other: Path) -> bool:
    """Whether two paths name one file: the same file on disk (another spelling, a link), or, when one
    does not exist, the same place."""
    try:
        return os.path.samefile(one, other)
    except OSError:
        return _real(one) == _real(other)


def _profile_holding(path: Path) -> Path | None:
    """The profile folder (a folder with a profile.yaml) that ``path`` is in, at any depth, if any."""
    for folder in Path(os.path.realpath(path)).parents:
        if (folder / PROFILE_FILE).is_file():
            return folder
    return None


# --- settings ------------------------------------------------------------------------------------------


def settings_file() -> Path:
    """The per-user settings file (on Linux ``~/.config/cchc/config.yaml``, on Windows in
    ``%APPDATA%\\cchc``, on macOS in ``~/Library/Application Support/cchc``)."""
    return Path(click.get_app_dir(APP_NAME)) / SETTINGS_FILE


def configured_data_folder() -> Path | None:
    """The data folder set with ``cchc cau-hinh --thu-muc-du-lieu``, if any."""
    file = settings_file()
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _broken_settings(file, os_reason(exc)) from None
    except UnicodeDecodeError:
        raise _broken_settings(file, "tệp không phải văn bản UTF-8") from None
    import yaml  # here, not with the module: cchc --help and doc-so read no YAML

    try:
        settings = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _broken_settings(file, str(exc).splitlines()[0]) from None
    if settings is None:
        return None
    folder = settings.get("data") if isinstance(settings, dict) else None
    if folder is not None and not isinstance(folder, str):
        raise _broken_settings(file, "trường 'data' phải là đường dẫn một thư mục")
    return Path(folder) if folder else None


def settings_text(data_dir: Path | None) -> str:
    """The settings file that sets ``data_dir`` as the data folder (none when ``None``)."""
    import yaml

    lines = ["# Cài đặt của cchc, ghi bằng lệnh cchc cau-hinh.\n"]
    if data_dir is not None:
        lines.append(yaml.safe_dump({"data": str(data_dir)}, allow_unicode=True))
    return "".join(lines)


def _broken_settings(file: Path, reason: str) -> CchcError:
    return DataError.single(
        f"Không đọc được tệp cài đặt ({reason}).",
        file=file,
        fix="Đặt lại thư mục dữ liệu: cchc cau-hinh --thu-muc-du-lieu <thư mục>, hoặc xóa tệp này.",
    )
