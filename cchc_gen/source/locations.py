"""Where a value of a data file is, in the words of the file's kind.

A report is the same :class:`~cchc_gen.model.report.Report` whether it was typed in YAML or in a workbook, and
every check speaks of a value by its path in the data (``("figures", "kh_ty_le")``). A :class:`Source`
turns that path back into what the clerk sees: "dòng 12" in a YAML file, "Sheet 'Số liệu', ô D14" in a
workbook, names the field the way that file names it, and says how to fix what is missing in the words
of that file: fields and lines for YAML, sheets, rows, columns and labels for a workbook. A check says
what is wrong; the source says where and what to type, so no check asks which kind of file it reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from cchc_gen.errors import excerpt
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

    def field(self, path: PathKey) -> str:
        """The value at ``path`` as a fix names it: "trường 'unit'", "ô 'Mã đơn vị' (Sheet …, ô B5)"."""
        ...

    def figure_fix(self, code: str, label: str) -> str:
        """How to give the figure ``code`` (labelled ``label`` in the catalogue) that the data lacks."""
        ...

    def section_fix(self, title: str, key: str) -> str:
        """How to add the section ``title`` (outline key ``key``) that the outline requires."""
        ...

    def own_heading_fix(self, path: PathKey, keep: bool) -> str:
        """How to print the heading at ``path`` in the outline's words (``keep``: it keeps its own now), or
        in its own words (it takes the outline's now)."""
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
        line = self.document.line_of(as_written(path, self.document.lines))
        return f"dòng {line}" if line else None

    def describe(self, path: PathKey) -> str:
        parts = []
        for part in path:
            if isinstance(part, int):
                parts.append(f"[mục {part + 1}]")
            else:
                parts.append(("." if parts else "") + excerpt(part))
        return "".join(parts)

    def field(self, path: PathKey) -> str:
        # From the last field named: the place already gives the line ("width_cm", "lead_in[mục 2]").
        named = max((i for i, part in enumerate(path) if isinstance(part, str)), default=0)
        return f"trường '{self.describe(path[named:])}'"

    def figure_fix(self, code: str, label: str) -> str:
        return f"Thêm '{code}: <số liệu>' ({label}) vào phần figures."

    def section_fix(self, title: str, key: str) -> str:
        return f"Thêm mục có 'heading: {title}' (hoặc 'key: {key}') và nội dung của nó vào phần sections."

    def own_heading_fix(self, path: PathKey, keep: bool) -> str:
        if keep:
            return "Bỏ 'own_heading: true' của mục này để in theo đề cương; giữ nếu cố ý viết khác."
        return (
            "Muốn in đúng chữ đã viết thì thêm 'own_heading: true' vào mục này; nếu không, không cần làm gì "
            "(hoặc sửa đề mục cho giống đề cương)."
        )


def as_written(path: PathKey, places: Mapping[PathKey, Any]) -> PathKey:
    """``path`` in the model as the file may write it (``places``: where the file's values are): the plain
    sub-items of a list item are its ``sub`` in the model, and may be the first list of its ``content`` in
    the file (a workbook's rows, a YAML file written that way)."""
    if path in places or "sub" not in path:
        return path
    at = path.index("sub")
    written = (*path[:at], "content", 0, "list", *path[at + 1 :])
    return written if written in places else path


def as_source(document: YamlDocument | Source) -> Source:
    """A source for ``document``; YAML documents parsed elsewhere (the batch's own parser) are wrapped."""
    return YamlSource(document) if isinstance(document, YamlDocument) else document
