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
  ``data/``, ``outputs/``, ``templates/`` side by side), else ``outputs/`` inside the data folder.

Paths are shown to users by :func:`cchc_gen.errors.shown`, quoted for pasting into a shell.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import os
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

import click
import yaml

from cchc_gen.errors import CchcError, DataError, shown

REGISTRY_FILE = "units.yaml"
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
    for folder in data_file.resolve().parents:
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
    except (OSError, UnicodeDecodeError) as exc:
        raise _broken_settings(file, str(exc)) from None
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
