"""The batch's manifest: what each unit's output was generated from, read one unit at a time.

``outputs/<period>/.manifest.jsonl`` holds one JSON line per record, and the last line of a unit is its
record. Lines are only ever appended, as soon as an output is written, so that a killed run loses none. A
run looks up the records of its own units only: an index beside the manifest
(``.manifest-index.sqlite``) gives where each unit's last line starts, so a run for one unit of a period of
every commune of the country reads one line, not the whole file. The index is a cache of the manifest:
lines appended after it (by a run that was killed before it saved its index) are indexed when the next run
opens the manifest, and an index that does not match the file (another file put in its place, a damaged
index) is made again from the file. When superseded lines outnumber the records, the manifest is written
again without them (to a temporary file renamed into place).

A line cut short by a kill, or damaged on disk (not UTF-8, not JSON), is no record: that unit's output is
then checked against its bytes instead, so a report edited by hand is still never overwritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from cchc_gen.render.docx import save_atomically

MANIFEST_FILE = ".manifest.jsonl"
INDEX_FILE = ".manifest-index.sqlite"
# Superseded lines kept before the manifest is written again without them: beyond this many, and beyond
# as many as there are records (so that writing it again costs less than the runs it spares).
COMPACT_AFTER = 10_000
_COMMIT_EVERY = 500  # records indexed between two commits; a kill loses at most these, read again next time
_VERSION = 1  # of the index's tables: an index made by another version of cchc is made again
_TAIL = 64  # bytes before the end of what the index covers, checked to be the same file


class Manifest:
    """The manifest of an output folder, opened by one batch run at a time (under the batch's lock)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST_FILE
        self.index_path = folder / INDEX_FILE
        self.path.touch()
        self.file: BinaryIO = open(self.path, "r+b")  # noqa: SIM115  (closed by close())
        self.index = self._open_index()
        self.pending = 0
        self.lock = threading.Lock()
        if self._superseded() > max(COMPACT_AFTER, self._records()):
            self._compact()

    # --- reading ------------------------------------------------------------------------------------------

    def get(self, unit: str) -> dict[str, Any] | None:
        """The unit's record, None when it has none (or its last line was damaged)."""
        with self.lock:
            return self._get(unit)

    def _get(self, unit: str) -> dict[str, Any] | None:
        row = self.index.execute(
            "SELECT offset, length FROM records WHERE unit = ?", (_key(unit),)
        ).fetchone()
        if row is None:
            return None
        record = _record(os.pread(self.file.fileno(), row[1], row[0]))
        if record is None or record[0] != unit:  # the index does not match the file: made again
            self.index.close()
            self.index = self._rebuild()
            return self._get(unit)
        return record[1]

    # --- writing ------------------------------------------------------------------------------------------

    def record(self, unit: str, entry: dict[str, Any]) -> None:
        """Append the unit's new record (it supersedes the one before)."""
        with self.lock:
            self._append(unit, _line(unit, entry))

    def _append(self, unit: str, line: bytes) -> None:
        offset = self.file.seek(0, os.SEEK_END)
        self.file.write(line)
        self.file.flush()
        self._note(unit, offset, len(line), offset + len(line))
        self.pending += 1
        if self.pending >= _COMMIT_EVERY:
            self.index.commit()
            self.pending = 0

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.index.commit()
        self.index.close()
        self.file.close()

    # --- the index ----------------------------------------------------------------------------------------

    def _open_index(self) -> sqlite3.Connection:
        """The index, brought up to the end of the manifest; made again when it is not the manifest's."""
        try:
            index = _connect(self.index_path)
        except sqlite3.Error:
            return self._rebuild()
        try:
            status = os.fstat(self.file.fileno())
            covered = self._meta(index, "covered")
            if (
                self._meta(index, "version") != _VERSION
                or self._meta(index, "inode") != status.st_ino
                or covered is None
                or covered > status.st_size
                or _tail_of(self.file, covered) != self._meta_text(index, "tail")
            ):
                raise sqlite3.DatabaseError("the index of another manifest")
            self._index_lines(index, covered)
        except sqlite3.Error:
            index.close()
            return self._rebuild()
        return index

    def _rebuild(self) -> sqlite3.Connection:
        """A new index of the whole manifest."""
        self.index_path.unlink(missing_ok=True)
        index = _connect(self.index_path)
        index.execute("CREATE TABLE records (unit BLOB PRIMARY KEY, offset INTEGER, length INTEGER)")
        index.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value)")
        meta = {"version": _VERSION, "inode": os.fstat(self.file.fileno()).st_ino, "covered": 0, "lines": 0}
        index.executemany("INSERT INTO meta VALUES (?, ?)", [*meta.items(), ("tail", "")])
        self._index_lines(index, 0)
        return index

    def _index_lines(self, index: sqlite3.Connection, start: int) -> None:
        """Index the manifest's lines from byte ``start`` to its end. A last line cut short by a kill is
        ended, so that the next record starts on a line of its own."""
        self.file.seek(start)
        offset, rows = start, []
        for line in self.file:
            if not line.endswith(b"\n"):
                self.file.write(b"\n")
                self.file.flush()
                line += b"\n"
            record = _record(line)
            if record is not None:
                rows.append((_key(record[0]), offset, len(line)))
            offset += len(line)
        index.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?)", rows)
        index.execute("UPDATE meta SET value = value + ? WHERE key = 'lines'", (len(rows),))
        self._set_covered(index, offset)
        index.commit()

    def _note(self, unit: str, offset: int, length: int, end: int) -> None:
        self.index.execute("INSERT OR REPLACE INTO records VALUES (?, ?, ?)", (_key(unit), offset, length))
        self.index.execute("UPDATE meta SET value = value + 1 WHERE key = 'lines'")
        self._set_covered(self.index, end)

    def _set_covered(self, index: sqlite3.Connection, end: int) -> None:
        """The index covers the manifest up to byte ``end``."""
        index.execute("UPDATE meta SET value = ? WHERE key = 'covered'", (end,))
        index.execute("UPDATE meta SET value = ? WHERE key = 'tail'", (_tail_of(self.file, end),))

    @staticmethod
    def _meta(index: sqlite3.Connection, key: str) -> int | None:
        row = index.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return int(row[0]) if row is not None else None

    @staticmethod
    def _meta_text(index: sqlite3.Connection, key: str) -> str | None:
        row = index.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row is not None else None

    def _records(self) -> int:
        return int(self.index.execute("SELECT count(*) FROM records").fetchone()[0])

    def _superseded(self) -> int:
        return (self._meta(self.index, "lines") or 0) - self._records()

    # --- compaction ---------------------------------------------------------------------------------------

    def _compact(self) -> None:
        """Write the manifest again with the last line of each unit only, then index it again."""

        def write(temporary: str) -> None:
            with open(temporary, "wb") as out:
                for line in self._last_lines():
                    out.write(line)

        save_atomically(self.path, write, "tệp ghi chép", "chương trình khác")
        self.index.close()
        self.file.close()
        self.file = open(self.path, "r+b")  # noqa: SIM115  (closed by close())
        self.index = self._rebuild()

    def _last_lines(self) -> Iterator[bytes]:
        rows = self.index.execute("SELECT offset, length FROM records ORDER BY offset")
        for offset, length in rows:
            yield os.pread(self.file.fileno(), length, offset)


def _connect(path: Path) -> sqlite3.Connection:
    # The PDF stage records from the converter's threads, one at a time (Manifest.lock).
    index = sqlite3.connect(path, check_same_thread=False)
    index.execute("PRAGMA synchronous = OFF")  # a cache of the manifest: a damaged one is made again
    return index


def _key(unit: str) -> bytes:
    """The unit's code as the index keeps it: a file name from a USB stick may not be UTF-8."""
    return unit.encode("utf-8", "surrogatepass")


def _tail_of(file: BinaryIO, end: int) -> str:
    """A digest of the bytes just before ``end``: the manifest is the one indexed, up to there."""
    return hashlib.sha256(os.pread(file.fileno(), _TAIL, max(0, end - _TAIL))).hexdigest() if end else ""


def _record(line: bytes) -> tuple[str, dict[str, Any]] | None:
    """The unit and the record of a manifest line, None when the line is no record."""
    try:
        record = json.loads(line)
    except ValueError:
        return None
    if isinstance(record, dict) and isinstance(record.get("unit"), str):
        return record.pop("unit"), record
    return None


def _line(unit: str, entry: dict[str, Any]) -> bytes:
    # ASCII: a path whose name is not UTF-8 (from a USB stick) holds surrogates that UTF-8 cannot write.
    return (json.dumps({"unit": unit, **entry}) + "\n").encode("ascii")
