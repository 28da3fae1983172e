"""Rendering a profile's Word template with docxtpl, safely.

docxtpl's defaults lose data silently (see shared/docs/pitfalls.md): it renders without autoescape, prints
missing values as empty strings and "recovers" broken XML. Here autoescape is on, a missing value is an
error naming the field, the unit and the template paragraph, every rendered XML part is parsed again with
a strict parser, and the output is written to a temporary file that is renamed into place only when
complete.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from .errors import OutputError, Problem, TemplateProblem
from .filters import FILTERS

_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH_START = re.compile(r"<w:p([ >])")


class _MissingValue(StrictUndefined):
    """A missing value is an error that names the field, in Vietnamese."""

    @property
    def _undefined_message(self) -> str:
        return self._undefined_hint or f"mẫu dùng trường '{self._undefined_name}' mà dữ liệu không có"


def make_environment() -> SandboxedEnvironment:
    """The one Jinja environment of cchc_gen: sandboxed, autoescaped, strict about missing values."""
    env = SandboxedEnvironment(autoescape=True, undefined=_MissingValue, keep_trailing_newline=True)
    env.filters.update(FILTERS)
    return env


def _template_line(exc: BaseException) -> int | None:
    """Line of the compiled template where a runtime error happened (Jinja keeps it in the traceback)."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


class _StrictDocxTemplate(DocxTemplate):
    """docxtpl with located errors and a strict re-parse of each rendered part."""

    def __init__(self, template: Path, where: str) -> None:
        super().__init__(str(template))
        self.where = where
        self.template_path = template

    def render_xml_part(self, src_xml: str, part: Any, context: dict[str, Any], jinja_env: Any = None) -> str:
        try:
            dst_xml = super().render_xml_part(src_xml, part, context, jinja_env)
        except UndefinedError as exc:
            raise self._located(exc, src_xml, f"Thiếu dữ liệu: {exc.message}") from None
        except TemplateError as exc:
            raise self._located(exc, src_xml, f"Lỗi trong mẫu: {exc}") from None
        try:
            etree.fromstring(dst_xml.encode("utf-8"))
        except etree.XMLSyntaxError as exc:
            raise TemplateProblem.single(
                f"Mẫu tạo ra nội dung Word hỏng ({exc.msg}) khi dựng báo cáo {self.where}.",
                file=self.template_path,
                fix="Kiểm tra các thẻ {%p %}, {%tr %} trong mẫu: mỗi thẻ cấu trúc phải nằm trong một "
                "đoạn hoặc một dòng bảng riêng.",
            ) from None
        return dst_xml

    def _located(self, exc: TemplateError, src_xml: str, message: str) -> TemplateProblem:
        line = getattr(exc, "lineno", None) or _template_line(exc)
        location = None
        if line:
            # docxtpl renders with every <w:p> on a line of its own: that line's text is the paragraph.
            lines = _PARAGRAPH_START.sub(r"\n<w:p\1", src_xml).splitlines()
            text = _TAG.sub("", lines[min(line, len(lines)) - 1]).strip() if lines else ""
            location = f"đoạn mẫu “{text[:80]}”" if text else None
        return TemplateProblem(
            [
                Problem(
                    f"{message} (khi dựng báo cáo {self.where}).",
                    self.template_path,
                    location,
                    "Bổ sung trường này vào dữ liệu, hoặc sửa tên trường trong mẫu cho đúng.",
                )
            ]
        )


def render_docx(
    template: Path, context: dict[str, Any], output: Path, where: str, env: SandboxedEnvironment
) -> None:
    """Render ``template`` with ``context`` into ``output`` atomically; ``where`` names unit and period."""
    document = _StrictDocxTemplate(template, where)
    document.render(context, jinja_env=env, autoescape=True)
    save_atomically(output, document.save)


def save_atomically(output: Path, save: Any) -> None:
    """Call ``save(path)`` on a temporary file beside ``output``, then rename it into place."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
        os.close(handle)
    except OSError as exc:
        raise _output_error(output, exc) from None
    try:
        save(temporary)
        os.replace(temporary, output)
    except OSError as exc:
        raise _output_error(output, exc) from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _output_error(output: Path, exc: OSError) -> OutputError:
    reason = exc.strerror or str(exc)
    fix = "Chọn thư mục khác bằng tùy chọn -o, hoặc kiểm tra quyền ghi và dung lượng đĩa."
    if isinstance(exc, PermissionError) and sys.platform == "win32":
        fix = "Đóng tệp này trong Word rồi chạy lại."
    return OutputError([Problem(f"Không ghi được báo cáo ({reason}).", output, None, fix)])
