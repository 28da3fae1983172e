"""Safe YAML loading that remembers the line of every value.

Clerks need "dòng 12" in an error message, so loading keeps a map from each value's path
(``("sections", 0, "title")``) to its line. Only the safe loader is used: a file cannot construct Python
objects. Duplicate keys, which YAML silently resolves to the last one, are an error here because a clerk
who types a field twice has lost one of the two values.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cchc_gen.errors import DataError

PathKey = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """Plain data loaded from a YAML file, with the line (1-based) of every value."""

    data: Any
    file: Path
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, path: PathKey) -> int | None:
        """Line of the value at ``path``, or of its nearest parent that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def _nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def _walk(
    loader: yaml.SafeLoader, node: yaml.Node, path: PathKey, lines: dict[PathKey, int], file: Path
) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN_TAGS:
        # Lists and groups are built here, not by PyYAML: a tag such as !!python/object must be refused
        # here too, or it would be silently dropped.
        raise DataError.single(
            f"Thẻ YAML '{node.tag}' không được phép trong tệp dữ liệu.",
            file=file,
            location=f"dòng {node.start_mark.line + 1}",
            fix="Xóa thẻ bắt đầu bằng '!' và chỉ ghi dữ liệu.",
        )
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            key = _nfc(str(key))
            if key in result:
                raise DataError.single(
                    f"Trường '{key}' được khai báo hai lần.",
                    file=file,
                    location=f"dòng {key_node.start_mark.line + 1}",
                    fix="Giữ lại một lần khai báo và xóa lần còn lại.",
                )
            result[key] = _walk(loader, value_node, (*path, key), lines, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_walk(loader, item, (*path, i), lines, file) for i, item in enumerate(node.value)]
    return _nfc(loader.construct_object(node, deep=True))


def load_yaml(file: Path) -> YamlDocument:
    """Read ``file`` safely; a syntax error is a :class:`DataError` with its line."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError.single(
            "Không tìm thấy tệp.", file=file, fix="Kiểm tra lại đường dẫn và tên tệp."
        ) from None
    except UnicodeDecodeError:
        raise DataError.single(
            "Tệp không phải văn bản UTF-8.",
            file=file,
            fix="Lưu lại tệp với bảng mã UTF-8 (Unicode) rồi chạy lại.",
        ) from None
    except OSError as exc:
        raise DataError.single(f"Không đọc được tệp ({exc.strerror}).", file=file) from None
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:
        # Raised before parsing starts, for characters YAML refuses anywhere (NUL, other control codes).
        line = text.count("\n", 0, exc.position) + 1
        raise DataError.single(
            f"Tệp có ký tự không hợp lệ (mã {exc.character:#04x}).",
            file=file,
            location=f"dòng {line}",
            fix="Xóa ký tự lạ (thường do dán từ phần mềm khác), hoặc gõ lại dòng đó.",
        ) from None
    try:
        node = loader.get_single_node()
        lines: dict[PathKey, int] = {}
        data = _walk(loader, node, (), lines, file) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise DataError.single(
            f"Tệp YAML sai cú pháp ({exc.problem or exc.context}).",
            file=file,
            location=f"dòng {mark.line + 1}, cột {mark.column + 1}" if mark else None,
            fix="Kiểm tra thụt đầu dòng (dùng dấu cách, không dùng Tab) và dấu ':' sau tên trường; "
            "đặt văn bản có dấu ':' hoặc '#' trong ngoặc kép.",
        ) from None
    except yaml.YAMLError as exc:
        raise DataError.single(f"Tệp YAML không đọc được ({exc}).", file=file) from None
    finally:
        loader.dispose()
    return YamlDocument(data, file, lines)
