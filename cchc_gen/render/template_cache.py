"""Built templates and compiled Jinja code kept on disk between runs.

Building a profile's Word template (docxtpl's patches, python-docx's package, the parts no tag touches
deflated) and compiling its Jinja code cost more than rendering a report, and need docxtpl and python-docx
loaded: a single ``cchc render``, each batch worker and each web worker would pay them on every start. They
are kept in the user's cache folder (found by platformdirs), each under a key made of what it is made from:
the template's bytes or the Jinja source, and the code that made it (every module of ``cchc_gen.render``,
and the versions of Python, Jinja, docxtpl and python-docx), so that nothing stale is ever used.

Each entry is a ``marshal`` file with the checksum of what was written. Jinja's own bytecode cache is not
used: it would run a damaged file (a changed byte in a constant is another text in a signed report) and
fail on others. As with Python's own ``__pycache__``, what is in the folder is run: the folder is private
to the user and not used when anyone else could write to it. A damaged or unreadable entry is built
again, and a folder that cannot be written is no cache, never an error: the cache only ever saves time.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import marshal
import os
import stat
import sys
import tempfile
import time
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from jinja2 import Template
from jinja2.sandbox import SandboxedEnvironment

_FORMAT = b"cchc-template-cache 1"
# The libraries whose code shapes what is kept, besides Jinja (whose version is read without a cost).
_LIBRARIES = ("docxtpl", "docx", "lxml")
_KEEP_SECONDS = 30 * 24 * 3600  # entries not written again for a month are removed when a new one is


@functools.cache
def _folder() -> Path | None:
    """The cache folder, made private to the user; None when it cannot be made, or others could write
    to it."""
    from platformdirs import user_cache_dir

    folder = Path(user_cache_dir("cchc_gen", appauthor=False)) / "templates"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = folder.lstat()
    except OSError:
        return None
    foreign = hasattr(os, "getuid") and status.st_uid != os.getuid()
    if foreign or not stat.S_ISDIR(status.st_mode) or status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None
    return folder


def forget_folder() -> None:
    """Look for the cache folder again at the next use (after a change of XDG_CACHE_HOME, in tests)."""
    _folder.cache_clear()


@functools.cache
def _fingerprint() -> str:
    """What every entry depends on besides its own source: the code of cchc_gen.render and the libraries."""
    digest = hashlib.sha256(_FORMAT + sys.version.encode() + jinja2.__version__.encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + module.read_bytes())
    for library in _LIBRARIES:
        spec = importlib.util.find_spec(library)  # found, not imported
        origin = spec.origin if spec is not None and spec.origin else ""
        with contextlib.suppress(OSError):
            status = os.stat(origin)
            origin += f":{status.st_size}:{status.st_mtime_ns}"
        digest.update(origin.encode())
    return digest.hexdigest()


def compiled(env: SandboxedEnvironment, source: str) -> Template:
    """``env.from_string(source)``, with the compiled code taken from the cache when it holds it."""
    key = b"jinja\0" + source.encode("utf-8", "surrogatepass")
    code = _load(key)
    if not isinstance(code, CodeType):
        code = env.compile(source)
        _store(key, code)
    return env.template_class.from_code(env, code, env.make_globals(None))


def load_build(template: bytes) -> Any:
    """What :func:`store_build` kept for a template of these bytes, or None."""
    return _load(b"build\0" + template)


def store_build(template: bytes, build: Any) -> None:
    """Keep ``build`` (made of what ``marshal`` writes) for a template of these bytes, if the cache can."""
    _store(b"build\0" + template, build)


def _entry(key: bytes) -> Path | None:
    folder = _folder()
    if folder is None:
        return None
    return folder / f"{hashlib.sha256(_fingerprint().encode() + key).hexdigest()}.bin"


def _load(key: bytes) -> Any:
    """The value kept under ``key``, or None: an entry that is missing, unreadable or damaged (its
    checksum is that of the value written) is none."""
    path = _entry(key)
    try:
        data = path.read_bytes() if path is not None else b""
    except OSError:
        return None
    checksum, payload = data[:32], data[32:]
    if not payload or hashlib.sha256(payload).digest() != checksum:
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None


def _store(key: bytes, value: Any) -> None:
    """Keep ``value`` under ``key``, written whole or not at all; nothing when the cache cannot."""
    path = _entry(key)
    if path is None:
        return
    payload = marshal.dumps(value)
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "wb") as file:
            file.write(hashlib.sha256(payload).digest() + payload)
        os.replace(temporary, path)
        temporary = None
        _prune(path.parent)
    except OSError:
        pass
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _prune(folder: Path) -> None:
    """Remove the entries not written for a month: those of templates and code no longer in use."""
    oldest = time.time() - _KEEP_SECONDS
    for entry in folder.iterdir():
        with contextlib.suppress(OSError):
            if entry.stat().st_mtime < oldest:
                entry.unlink()
