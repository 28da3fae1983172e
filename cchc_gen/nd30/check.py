"""The format check (cchc kiem-tra-the-thuc): does a .docx follow Nghị định 30/2020/NĐ-CP, Phụ lục I?

Works on any .docx, ours or typed by hand. Three steps, one module each: read the document as Word shows it
(:mod:`cchc_gen.nd30.docx_view`), find its elements by what they say (:mod:`cchc_gen.nd30.elements`), compare
each with its rule (:mod:`cchc_gen.nd30.rules`, where the rule list is). This module is the entry point
and writes the findings as text for people or JSON for tools.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from cchc_gen.errors import DataError, FormatCheckFailed, Problem, Severity, shown
from cchc_gen.nd30.docx_view import WordDocument
from cchc_gen.nd30.elements import find_layout
from cchc_gen.nd30.rules import Finding, apply_rules
from cchc_gen.source.safety import check_archive

__all__ = ["Finding", "FormatCheckRun", "check_document", "check_files"]


def check_document(path: Path) -> list[Finding]:
    """Every departure of one .docx from the layout rules, errors and warnings, in reading order."""
    path = Path(path)
    try:
        check_archive(path, "tệp Word")
        document = WordDocument(path)
    except DataError as exc:
        return [
            Finding(
                "tep-docx",
                Severity.ERROR,
                exc.problems[0].message,
                "tệp .docx mở được bằng Word",
                ("cả tệp",),
            )
        ]
    except (PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError):
        return [
            Finding(
                "tep-docx",
                Severity.ERROR,
                "không đọc được như tệp Word .docx (có thể là tệp .doc cũ hoặc tệp hỏng)",
                "tệp .docx: mở bằng Word rồi lưu lại dưới dạng “Word Document (*.docx)”",
                ("cả tệp",),
            )
        ]
    return apply_rules(document, find_layout(document))


@dataclass(frozen=True)
class FileResult:
    path: Path
    findings: list[Finding]

    @property
    def errors(self) -> int:
        return sum(f.severity == Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == Severity.WARNING for f in self.findings)


@dataclass(frozen=True)
class FormatCheckRun:
    """The findings of every file checked."""

    files: list[FileResult]

    @property
    def errors(self) -> int:
        return sum(f.errors for f in self.files)

    @property
    def warnings(self) -> int:
        return sum(f.warnings for f in self.files)

    def to_text(self) -> str:
        """Findings grouped by file: the rule, what was found, what is required, the decree, where."""
        lines: list[str] = []
        for result in self.files:
            if not result.findings:
                lines.append(f"{shown(result.path)}: đạt, không có lỗi thể thức.")
                continue
            lines.append(f"{shown(result.path)}: {result.errors} lỗi, {result.warnings} cảnh báo")
            for finding in result.findings:
                lines.append(
                    f"  [{finding.severity}] {finding.rule}: {finding.found}; cần: {finding.required}."
                )
                lines.append(f"      Quy định: {finding.reference}")
                more = f" và {len(finding.where) - 3} chỗ khác" if len(finding.where) > 3 else ""
                lines.append(f"      Vị trí: {'; '.join(finding.where[:3])}{more}")
        lines.append(f"Đã kiểm tra {len(self.files)} tệp: {self.errors} lỗi, {self.warnings} cảnh báo.")
        return "\n".join(lines)

    def to_json(self) -> str:
        files = [
            {
                "file": str(result.path),
                "errors": result.errors,
                "warnings": result.warnings,
                "findings": [finding.as_dict() for finding in result.findings],
            }
            for result in self.files
        ]
        data = {"files": files, "errors": self.errors, "warnings": self.warnings}
        return json.dumps(data, ensure_ascii=False, indent=2)

    def raise_for_errors(self) -> None:
        """Raise :class:`FormatCheckFailed` when a file has an error; warnings alone pass."""
        failed = [result for result in self.files if result.errors]
        if failed:
            message = f"{self.errors} lỗi thể thức trong {len(failed)}/{len(self.files)} tệp."
            fix = "Sửa từng lỗi theo danh sách trên (vị trí, điều cần có) rồi kiểm tra lại."
            raise FormatCheckFailed([Problem(message, fix=fix)])


def check_files(paths: Iterable[Path]) -> FormatCheckRun:
    """Check each .docx; a file that cannot be read is a finding of its own, not a stop."""
    return FormatCheckRun([FileResult(Path(path), check_document(Path(path))) for path in paths])
