"""The unit registry as a batch reads it: one unit's entry at a time, from an index kept with the outputs.

The registry of every commune of the country is megabytes of YAML; parsed whole it costs seconds and tens
of megabytes, on every run. Here it is read once as a stream of parser events that cuts out the text of
each unit's entry; each entry is checked once and kept as the unit it makes (its JSON, read without the
work of YAML) in an index (``outputs/.registry-index.sqlite``) with the registry's size, time of change and
digest: a run for one unit reads that unit, and the index is made again as soon as the registry changes.
An index made in the same moment as a change of the registry is not kept (two changes within the clock's
step would look the same). A registry with anchors (entries sharing values) is loaded whole by
``load_registry``, every run; one that cannot be read that way is reported by ``load_registry`` too, with
its usual messages.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from cchc_gen.errors import CchcError, OutputError
from cchc_gen.model.report import Unit
from cchc_gen.paths import RECORD, Output, check_outputs
from cchc_gen.render.docx import save_atomically
from cchc_gen.source.loading import load_registry
from cchc_gen.source.yaml_file import parse_yaml, read_data_text

INDEX_FILE = ".registry-index.sqlite"
_SETTLED_NS = 2_000_000_000  # a registry changed less than this before it is indexed may change unseen
# What the index was made from: its own version (an index made by another version of cchc is made again),
# and the registry's path, size, time of change and inode.
_KEY = ("version", "path", "size", "mtime_ns", "inode")
_VERSION = 3  # 3: each unit as the JSON of its model, not the YAML text of its entry
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Listed:
    """A unit as the registry lists it, for the units expected in a period."""

    code: str
    parent: str | None
    short_name: str


class RegistryIndex:
    """The units of the registry file, each parsed when asked for; the index file ``index_file``."""

    def __init__(self, file: Path, index_file: Path) -> None:
        self.file = file
        if not file.is_file():
            load_registry(file)  # says that it is missing
        status = os.stat(file)
        self.key = (_VERSION, os.fsencode(file.resolve()), status.st_size, status.st_mtime_ns, status.st_ino)
        self.units: dict[str, Unit] | None = None  # the whole registry, when it has anchors
        self.entries: dict[str, bytes | None] | None = None  # the index not kept: its units, for this run
        self.listed: list[Listed] = []  # with the units not kept
        self.index = _open(index_file, self.key)
        if self.index is not None:
            self.sha256, self.broken = str(_meta(self.index)["sha256"]), bool(_meta(self.index)["broken"])
            return
        self.sha256, entries = _digest(file), _entry_texts(file)
        if entries is None:
            self.units = load_registry(file)
            self.listed = [Listed(code, unit.parent, unit.short_name) for code, unit in self.units.items()]
            self.broken = False
            return
        # Each entry checked once, as the index is made: a run for the whole period needs to know
        # whether the registry is sound, and which units it expects, without parsing it whole.
        units, listed, self.broken = _survey(entries, file)
        if time.time_ns() - status.st_mtime_ns < _SETTLED_NS:
            self.entries, self.listed = units, listed
            return
        meta = (self.key, self.sha256, self.broken)
        try:
            check_outputs([Output(index_file, RECORD)])
            save_atomically(index_file, lambda temporary: _write(temporary, meta, units, listed))
        except OutputError:  # no index where it goes (the outputs folder is a file…): read for this run
            self.entries, self.listed = units, listed
            return
        self.index = _open(index_file, self.key)

    def unit(self, code: str) -> Unit | None:
        """The unit ``code``, or None when it is missing or wrong (``load_report`` then says why)."""
        if self.units is not None:
            return self.units.get(code)
        if self.entries is not None:
            kept = self.entries.get(code)
        else:
            assert self.index is not None, "an index or its units"
            key = code.encode("utf-8", "surrogatepass")  # a file name from a USB stick may not be UTF-8
            row = self.index.execute("SELECT unit FROM entries WHERE code = ?", (key,)).fetchone()
            kept = row[0] if row is not None else None
        try:
            return Unit.model_validate_json(kept) if kept is not None else None
        except ValidationError:  # an index changed by hand: load_report reads the registry itself
            return None

    def every_unit(self) -> Iterator[Listed]:
        """Every unit, in the registry's order, read from the index as it goes (a batch keeps none of
        them); a registry with a problem is reported by ``load_registry``, with its usual messages."""
        if self.broken:
            load_registry(self.file)
        if self.index is None:
            yield from self.listed
            return
        rows = self.index.execute("SELECT code, parent, short_name FROM entries ORDER BY place")
        for code, parent, name in rows:
            yield Listed(code.decode("utf-8", "surrogatepass"), parent, name)

    def close(self) -> None:
        if self.index is not None:
            self.index.close()


def _parsed(code: str, text: bytes, file: Path) -> Unit | None:
    try:
        return Unit.model_validate({"code": code, **parse_yaml(text.decode(), file).data})
    except (yaml.YAMLError, CchcError, ValidationError, TypeError):
        return None


def _survey(entries: dict[str, bytes], file: Path) -> tuple[dict[str, bytes | None], list[Listed], bool]:
    """The unit each of ``entries`` makes, as JSON (None: a wrong entry), every unit as listed, and whether
    some entry is wrong or parents come back round. ``entries`` is emptied as they are checked, so that
    the registry is held once. Only what an entry sets is kept: the unit read back is the one it makes."""
    units: dict[str, bytes | None] = {}
    listed, broken = [], False
    for name in list(entries):
        unit = _parsed(name, entries.pop(name), file)
        units[name] = unit.model_dump_json(exclude_unset=True).encode() if unit is not None else None
        broken = broken or unit is None
        listed.append(Listed(name, unit.parent, unit.short_name) if unit else Listed(name, None, name))
    parents = {unit.code: unit.parent for unit in listed}
    for start in parents:
        seen: set[str] = set()
        code: str | None = start
        while code is not None and code in parents and code not in seen:
            seen.add(code)
            code = parents[code]
        broken = broken or code in seen
    return units, listed, broken


def _open(index_file: Path, key: tuple[Any, ...]) -> sqlite3.Connection | None:
    """The index, if it is there and made from the registry as it is now."""
    if not index_file.is_file() or index_file.is_symlink():
        return None
    index = sqlite3.connect(index_file)
    try:
        # One entry is read per unit, and the whole index only once, in order: a small page cache does,
        # and the batch's memory does not grow with the period.
        index.execute("PRAGMA cache_size = -256")
        meta = _meta(index)
        if tuple(meta.get(name) for name in _KEY) == key:
            return index
    except sqlite3.Error:
        pass
    index.close()
    return None


def _meta(index: sqlite3.Connection) -> dict[str, Any]:
    return dict(index.execute("SELECT key, value FROM meta").fetchall())


def _write(path: str, meta: tuple[Any, ...], units: dict[str, bytes | None], listed: list[Listed]) -> None:
    key, sha256, broken = meta
    with contextlib.closing(sqlite3.connect(path)) as index:
        index.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value)")
        columns = "code BLOB PRIMARY KEY, place INTEGER, parent TEXT, short_name TEXT, unit BLOB"
        index.execute(f"CREATE TABLE entries ({columns})")
        rows = [*zip(_KEY, key, strict=True), ("sha256", sha256), ("broken", broken)]
        index.executemany("INSERT INTO meta VALUES (?, ?)", rows)
        index.executemany(
            "INSERT INTO entries VALUES (?, ?, ?, ?, ?)",
            (
                (
                    unit.code.encode("utf-8", "surrogatepass"),
                    place,
                    unit.parent,
                    unit.short_name,
                    units[unit.code],
                )
                for place, unit in enumerate(listed)
            ),
        )
        index.commit()


def _digest(file: Path) -> str:
    digest = hashlib.sha256()
    with open(file, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _entry_texts(registry_file: Path) -> dict[str, bytes] | None:
    """The YAML text of each unit's entry (UTF-8, half the memory of a str of Vietnamese), by code;
    None when entries may share anchored values."""
    text = read_data_text(registry_file) if registry_file.is_file() else ""
    entries: dict[str, bytes] = {}
    # One frame per open collection: [is a mapping, a key comes next, the last key].
    frames: list[list[Any]] = []
    code, start = None, None
    try:
        for event in yaml.parse(text, Loader=_YAML_LOADER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                return None
            if isinstance(event, yaml.StreamStartEvent | yaml.StreamEndEvent | yaml.DocumentStartEvent):
                continue
            in_units = len(frames) == 2 and frames[0][2] == "units" and frames[1][0]
            if isinstance(event, yaml.CollectionEndEvent | yaml.DocumentEndEvent):
                if isinstance(event, yaml.CollectionEndEvent):
                    frames.pop()
                if start is not None and len(frames) == 2:
                    assert isinstance(code, str) and event.end_mark is not None  # parsed events have marks
                    entries[code] = (" " * start.column + text[start.index : event.end_mark.index]).encode()
                    start = None
                if frames and frames[-1][0]:
                    frames[-1][1] = True
                continue
            parent = frames[-1] if frames else None
            if parent is not None and parent[0] and parent[1]:  # a key
                parent[1], parent[2] = False, getattr(event, "value", None)
                if in_units:
                    code = parent[2]
                    if code in entries or not isinstance(code, str):
                        raise ValueError(code)
                continue
            if in_units:
                start = event.start_mark
            if isinstance(event, yaml.CollectionStartEvent):
                frames.append([isinstance(event, yaml.MappingStartEvent), True, None])
                continue
            if in_units:  # a unit given as a single value (not valid: its worker reports it)
                assert isinstance(code, str) and start is not None and event.end_mark is not None
                entries[code] = text[start.index : event.end_mark.index].encode()
                start = None
            if parent is not None and parent[0]:
                parent[1] = True
    except (yaml.YAMLError, ValueError):
        entries = {}
    if not entries:
        load_registry(registry_file)  # says what is wrong; if nothing is, the registry is loaded whole
        return None
    return entries
