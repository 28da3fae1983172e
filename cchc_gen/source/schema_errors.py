"""Turn pydantic's validation errors into Vietnamese problems located in the data file.

pydantic reports a path such as ``("sections", 0, "content", 2, "#list", "list", 1)``; union tags
(``#...``) are ours and dropped, and so are the names pydantic gives the members of a union (``int``,
``ListItem``), which are not in the data: the rest is the path in the data, which the file's source turns
into a place: a YAML line, or a sheet and cell of a workbook. A value is reported once, however many members
of a union refused it.

:func:`valid_part` is what a file still says once the values refused are left out, so that the checks
after the model's can report their problems in the same run.
"""

from __future__ import annotations

import copy
import difflib
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

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
    "too_short": "không được để trống",
    "too_long": "có nhiều mục hơn cho phép",
    "dict_type": "phải là một nhóm trường dạng 'tên: giá trị'",
    "model_type": "phải là một nhóm trường dạng 'tên: giá trị'",
    "model_attributes_type": "phải là một nhóm trường dạng 'tên: giá trị'",
    "decimal_parsing": "phải là số",
    "decimal_type": "phải là số",
}

_GROUP_FIX = (
    "Viết các trường con ở các dòng dưới, thụt vào hai dấu cách, mỗi dòng một 'tên: giá trị' "
    "(xem một tệp trong data/ làm mẫu)."
)
_INTEGER_FIX = "Ghi một số nguyên, ví dụ 12."
_NUMBER_FIX = "Ghi một số, ví dụ 15 hoặc 12,5."
_FIXES = {
    "extra_forbidden": "Xóa trường này hoặc sửa lại tên cho đúng.",
    "list_type": "Viết mỗi mục trên một dòng riêng, bắt đầu bằng '- '.",
    "literal_error": "Chọn một trong các giá trị được liệt kê.",
    "string_type": "Ghi nội dung là chữ; con số hay ngày cần giữ nguyên cách viết thì đặt trong ngoặc kép.",
    "string_too_short": "Ghi nội dung cho trường này, hoặc xóa trường nếu không dùng.",
    "int_type": _INTEGER_FIX,
    "int_parsing": _INTEGER_FIX,
    "bool_type": "Ghi true (có) hoặc false (không).",
    "bool_parsing": "Ghi true (có) hoặc false (không).",
    "too_short": "Thêm ít nhất một mục, hoặc xóa trường nếu không dùng.",
    "too_long": "Bớt số mục cho vừa.",
    "dict_type": _GROUP_FIX,
    "model_type": _GROUP_FIX,
    "model_attributes_type": _GROUP_FIX,
    "decimal_parsing": _NUMBER_FIX,
    "decimal_type": _NUMBER_FIX,
    "block_kind": "Viết mục nội dung là một đoạn văn, hoặc một nhóm bắt đầu bằng 'heading:', 'list:', "
    "'numbered:', 'table:' hay 'image:'.",
}
# For what no entry above foresees: the reference of every field.
_ANY_FIX = "Sửa giá trị theo cách viết của trường này trong docs/du-lieu.md."


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
    data: Any = None,
) -> list[Problem]:
    """One :class:`Problem` per value pydantic refused, with its place in the data file and a fix.

    ``data`` is what was validated (a YAML document's own data when not given): it tells pydantic's names
    of union members from the fields of the data.
    """
    source = as_source(document)
    if data is None and isinstance(document, YamlDocument):
        data = _at(document.data, prefix)
    problems = []
    seen: set[PathKey] = set()
    for error in exc.errors():
        path = (*prefix, *_data_path(error, data))
        if path in seen:
            continue
        seen.add(path)
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
            # A validator's InvalidValue carries its fix.
            fix = getattr(error.get("ctx", {}).get("error"), "fix", None) or _FIXES.get(kind, _ANY_FIX)
        else:
            message = f"trường '{field}' {_TYPE_MESSAGES.get(kind, 'có giá trị không hợp lệ')}"
            fix = source.missing_fix if kind == "missing" else _FIXES.get(kind, _ANY_FIX)
        problems.append(
            Problem(
                message[0].upper() + message[1:].rstrip(".") + ".",
                source.file,
                source.where(path),
                fix,
                path=path,
            )
        )
    return problems


_MISSING = object()


def _at(data: Any, path: PathKey) -> Any:
    """The value at ``path`` in ``data``, or ``_MISSING``."""
    for part in path:
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not in_list and not (isinstance(data, dict) and part in data):
            return _MISSING
        data = data[part]
    return data


def _data_path(error: ErrorDetails, data: Any) -> PathKey:
    """The path in ``data`` of the value an error is about: pydantic's location as far as the data has it
    (a missing field keeps its name). Without the data, only our union tags are left out."""
    loc = [part for part in error["loc"] if not (isinstance(part, str) and part.startswith("#"))]
    if data is None:
        return tuple(loc)
    path: list[str | int] = []
    node = data
    for part in loc:
        found = _at(node, (part,))
        if found is _MISSING:
            if error["type"] == "missing" and isinstance(node, dict):
                path.append(part)
            break
        path.append(part)
        node = found
    return tuple(path)


Model = TypeVar("Model", bound=BaseModel)
# Each round leaves out what the last refused; a group missing a field goes in the next round, so the
# rounds needed grow with the depth of the data, not with its size.
_ROUNDS = 12


def valid_part(model: type[Model], data: Any, exc: ValidationError) -> tuple[Model, set[PathKey]] | None:
    """``data`` validated without the values pydantic refused, and the paths of what was left out.

    A refused value is left out where it is (a list entry, a field), and so is a group that lacks a
    required field, until what is left is valid; ``None`` when nothing valid is left (the unit or the
    period itself is wrong). The result is for the checks that report further problems of the same file;
    a report with values left out is never rendered.
    """
    data = copy.deepcopy(data)
    left_out: set[PathKey] = set()
    for _ in range(_ROUNDS):
        refused = {_data_path(error, data) for error in exc.errors()}
        refused = {path[:-1] if _at(data, path) is _MISSING else path for path in refused}
        # A path inside another one goes with it; list entries go from the last, so indices hold.
        refused = {p for p in refused if not any(p[: len(q)] == q for q in refused if q != p)}
        if () in refused:
            return None
        for path in sorted(refused, key=_sort_key, reverse=True):
            container = _at(data, path[:-1])
            del container[path[-1]]
        left_out |= refused
        try:
            return model.model_validate(data), left_out
        except ValidationError as again:
            exc = again
    return None


def _sort_key(path: PathKey) -> tuple[tuple[int, int, str], ...]:
    return tuple((isinstance(part, str), part if isinstance(part, int) else 0, str(part)) for part in path)
