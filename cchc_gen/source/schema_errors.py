"""Turn pydantic's validation errors into Vietnamese problems located in the data file.

pydantic reports a path such as ``("sections", 0, "content", 2, "#list", "list", 1)``; union tags
(``#...``) are ours and dropped, the rest is the path in the data, which the file's source turns into a
place: a YAML line, or a sheet and cell of a workbook.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from cchc_gen.errors import Problem
from cchc_gen.source.locations import Source, as_source
from cchc_gen.source.yaml_file import PathKey, YamlDocument

_TYPE_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "string_type": "phải là văn bản",
    "string_too_short": "không được để trống",
    "int_type": "phải là số nguyên",
    "int_parsing": "phải là số nguyên",
    "bool_type": "phải là true hoặc false",
    "bool_parsing": "phải là true hoặc false",
    "list_type": "phải là danh sách (mỗi mục một dòng bắt đầu bằng '- ')",
    "too_short": "không được để trống danh sách",
    "too_long": "có nhiều mục hơn cho phép",
    "dict_type": "phải là một nhóm trường dạng 'tên: giá trị'",
    "model_type": "phải là một nhóm trường dạng 'tên: giá trị'",
    "model_attributes_type": "phải là một nhóm trường dạng 'tên: giá trị'",
    "decimal_parsing": "phải là số",
    "decimal_type": "phải là số",
}

_FIXES = {
    "extra_forbidden": "Xóa trường này hoặc sửa lại tên cho đúng.",
    "list_type": "Viết mỗi mục trên một dòng riêng, bắt đầu bằng '- '.",
    "literal_error": "Chọn một trong các giá trị được liệt kê.",
}


def _known_fields(model: type[BaseModel] | None, path: PathKey) -> list[str]:
    """Field names (aliases) allowed where ``path`` points, found by walking the model."""
    if model is None:
        return []
    fields = {f.alias or n: f for n, f in model.model_fields.items()}
    for part in path:
        if isinstance(part, int):
            continue
        info = fields.get(part)
        if info is None:
            return []
        nested = _model_in(info.annotation)
        if nested is None:
            return []
        fields = {f.alias or n: f for n, f in nested.model_fields.items()}
    return list(fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        if found := _model_in(arg):
            return found
    return None


def problems_from_validation(
    exc: ValidationError,
    document: YamlDocument | Source,
    prefix: PathKey = (),
    model: type[BaseModel] | None = None,
) -> list[Problem]:
    """One :class:`Problem` per pydantic error, with its place in the data file and a fix."""
    source = as_source(document)
    problems = []
    for error in exc.errors():
        path = (*prefix, *(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("#"))))
        kind = error["type"]
        field = source.describe(path) or "(cả tệp)"
        if kind == "extra_forbidden":
            name = str(path[-1])
            message = f"trường '{field}' không có trong mẫu dữ liệu"
            close = difflib.get_close_matches(name, _known_fields(model, path[len(prefix) : -1]), n=1)
            fix = f"Có phải ý bạn là '{close[0]}'?" if close else _FIXES[kind]
        elif kind == "literal_error":
            expected = error.get("ctx", {}).get("expected", "")
            message = f"trường '{field}' phải là một trong: {expected}"
            fix = _FIXES[kind]
        elif kind in ("value_error", "block_kind"):
            message = f"trường '{field}': {error['msg'].removeprefix('Value error, ')}"
            fix = None
        else:
            message = f"trường '{field}' {_TYPE_MESSAGES.get(kind, 'có giá trị không hợp lệ')}"
            fix = source.missing_fix if kind == "missing" else _FIXES.get(kind)
        problems.append(
            Problem(message[0].upper() + message[1:].rstrip(".") + ".", source.file, source.where(path), fix)
        )
    return problems
