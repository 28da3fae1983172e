"""Where a value of a data file is, in the words of the file's kind.

A report is the same :class:`~cchc_gen.model.report.Report` whether it was typed in YAML or in a workbook, and
every check speaks of a value by its path in the data (``("figures", "kh_ty_le")``). A :class:`Source`
turns that path back into what the clerk sees: "dòng 12" in a YAML file, "Sheet 'Số liệu', ô D14" in a
workbook, and names the field the way that file names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cchc_gen.source.yaml_file import PathKey, YamlDocument


class Source(Protocol):
    """A data file as the checks see it: its path, and where each value of the data is in it."""

    @property
    def file(self) -> Path: ...

    @property
    def missing_fix(self) -> str:
        """How to fix a required value that is not there, in this kind of file."""
        ...

    def where(self, path: PathKey) -> str | None:
        """The place of the value at ``path`` (or of its nearest parent), or ``None`` if unknown."""
        ...

    def describe(self, path: PathKey) -> str:
        """The name of the field at ``path`` as this kind of file shows it."""
        ...


@dataclass(frozen=True)
class YamlSource:
    """A YAML data file: places are lines, fields are dotted names (``sections[mục 1].heading``)."""

    document: YamlDocument

    @property
    def file(self) -> Path:
        return self.document.file

    @property
    def missing_fix(self) -> str:
        return "Thêm trường này vào tệp."

    def where(self, path: PathKey) -> str | None:
        line = self.document.line_of(path)
        return f"dòng {line}" if line else None

    def describe(self, path: PathKey) -> str:
        parts = []
        for part in path:
            if isinstance(part, int):
                parts.append(f"[mục {part + 1}]")
            else:
                parts.append(("." if parts else "") + part)
        return "".join(parts)


def as_source(document: YamlDocument | Source) -> Source:
    """A source for ``document``; YAML documents parsed elsewhere (the batch's own parser) are wrapped."""
    return YamlSource(document) if isinstance(document, YamlDocument) else document
