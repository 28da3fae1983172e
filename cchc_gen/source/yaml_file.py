"""Safe YAML loading that remembers the line of every value, within bounds.

Clerks need "dòng 12" in an error message, so a document gives a map from each value's path
(``("sections", 0, "title")``) to its line, found when a message first asks for it: a file is read quickly
by libyaml, and walked again for the lines only when one is needed. Only the safe loader is used: a file
cannot construct Python objects. Duplicate keys, which YAML silently resolves to the last one, are an error
here because a clerk who types a field twice has lost one of the two values.

Data files travel by email and USB stick, so every YAML text of cchc_gen (data files, the unit registry,
profile.yaml) is read here and nowhere else, within limits that no honest file comes near: a regular file
(a device or a FIFO would be read forever), its size, the values it holds, how deep they nest, and how many
values its aliases (``&tên`` … ``*tên``) repeat — nine nested aliases of ten make a billion values from a
few lines. libyaml reads the text; the values are put together here, counted as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn
from unicodedata import normalize

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.cyaml import CParser  # type: ignore[attr-defined]  # libyaml's parser, not in the stubs
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from cchc_gen.errors import DataError
from cchc_gen.source.safety import read_input
from cchc_gen.vn.numbers import format_number

PathKey = tuple[str | int, ...]

MAX_BYTES = 16 * 1024 * 1024  # the registry of every commune of the country is about 5 MB
MAX_NODES = 600_000  # values, keys and aliases as written; that registry has about 260,000
MAX_ALIAS_VALUES = 100_000  # values repeated through aliases and merge keys
MAX_DEPTH = 50  # a report nests about 10 levels deep

_MERGE_TAG = "tag:yaml.org,2002:merge"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_PLAIN_TAGS = {_MAP_TAG, _SEQ_TAG}
# The safe loader's patterns of plain scalars (a number, a date, true, null…), by their first character.
_IMPLICIT_TAGS: dict[str, list[tuple[str, re.Pattern[str]]]] = yaml.CSafeLoader.yaml_implicit_resolvers
# The scalars of plain data, read quickly; any other tag is left to the line-keeping walk.
_QUICK_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
)
# Bytes libyaml reads otherwise than their text (``utf-8-sig``): after a UTF-16 byte order mark, as UTF-16;
# after byte order marks one after the other, with one more of them kept as text.
_NOT_AS_TEXT = (b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf\xef\xbb\xbf")
_REDUCE = "Kiểm tra đã đưa đúng tệp chưa: dữ liệu của một báo cáo chỉ vài trăm KB."


@dataclass
class YamlDocument:
    """Plain data loaded from a YAML file, with the line (1-based) of every value.

    The lines are found when a message first needs one (:attr:`lines`): most files have no problem, and
    libyaml alone reads them several times faster than the walk that keeps a line for every value."""

    data: Any
    file: Path
    # The text the data was read from (or its bytes, as a batch reads them), walked again for the lines on
    # demand.
    text: str | bytes | None = field(default=None, repr=False)
    found_lines: dict[PathKey, int] | None = field(default=None, repr=False)

    @property
    def lines(self) -> dict[PathKey, int]:
        """The line of every value, by its path."""
        if self.found_lines is None:
            text = self.text.decode("utf-8-sig") if isinstance(self.text, bytes) else self.text
            found = _parse_keeping_lines(text, self.file) if text is not None else None
            self.found_lines = found.lines if found is not None else {}
        return self.found_lines

    def line_of(self, path: PathKey) -> int | None:
        """Line of the value at ``path``, or of its nearest parent that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def _nfc(value: Any) -> Any:
    return normalize("NFC", value) if isinstance(value, str) else value


def _line(node_or_mark: Any) -> str:
    mark = getattr(node_or_mark, "start_mark", node_or_mark)
    return f"dòng {mark.line + 1}"


class _Loader(Composer, CParser, SafeConstructor, Resolver):
    """libyaml's events, composed into nodes and built into plain data here, where they are counted."""

    def __init__(self, text: str, file: Path) -> None:
        CParser.__init__(self, text)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self.file = file
        self.nodes = 0
        self.depth = 0
        self.built = 0
        self.flattening: set[int] = set()
        self.open: set[int] = set()  # the nodes being built, from the root down
        self.lines: dict[PathKey, int] = {}

    def refuse(self, message: str, where: Any, fix: str) -> NoReturn:
        raise DataError.single(message, file=self.file, location=_line(where), fix=fix)

    # --- composing: values as written --------------------------------------------------------------------

    def too_deep(self, where: Any) -> NoReturn:
        self.refuse(
            f"Tệp lồng nhau quá sâu (hơn {MAX_DEPTH} cấp, giới hạn của một tệp YAML).",
            where,
            "Kiểm tra thụt đầu dòng và các dấu ngoặc [ ] { }: dữ liệu báo cáo chỉ lồng vài cấp.",
        )

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.refuse(
                f"Tệp có quá nhiều giá trị (hơn {format_number(MAX_NODES)}, giới hạn của một tệp YAML).",
                event,
                f"{_REDUCE} Tách dữ liệu thành nhiều tệp nếu thật sự cần.",
            )
        if self.depth >= MAX_DEPTH:
            self.too_deep(event)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    # --- building: values as read, aliases repeated ------------------------------------------------------

    def count(self, values: int, node: yaml.Node) -> None:
        """Count ``values`` more built; past the values written, they are repeated through aliases."""
        self.built += values
        if self.built - self.nodes > MAX_ALIAS_VALUES:
            self.refuse(
                "Bí danh YAML (&tên … *tên) làm tệp nở ra quá "
                f"{format_number(MAX_ALIAS_VALUES)} giá trị lặp lại — có thể là tệp độc hại.",
                node,
                "Viết thẳng giá trị thay cho bí danh *tên, hoặc xóa các bí danh lồng nhau.",
            )

    def self_reference(self, node: yaml.Node) -> NoReturn:
        self.refuse(
            "Bí danh YAML (*tên) nằm bên trong chính giá trị mà nó trỏ tới (&tên): giá trị lặp vô tận.",
            node,
            "Xóa bí danh *tên khỏi bên trong giá trị &tên, hoặc viết thẳng giá trị.",
        )

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Merge keys (``<<: *tên``), counted before they are merged: merges of merges multiply."""
        if id(node) in self.flattening:
            self.self_reference(node)
        self.flattening.add(id(node))
        try:
            merged = 0
            for key, value in node.value:
                if key.tag == _MERGE_TAG:
                    subnodes = value.value if isinstance(value, yaml.SequenceNode) else [value]
                    for subnode in subnodes:
                        if isinstance(subnode, yaml.MappingNode):
                            self.flatten_mapping(subnode)
                            merged += len(subnode.value)
            self.count(merged, node)
            super().flatten_mapping(node)
        finally:
            self.flattening.discard(id(node))

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.count(1, node)
        if id(node) in self.open:
            self.self_reference(node)
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            return _nfc(self.scalar(node))
        if node.tag not in _PLAIN_TAGS:
            # Lists and groups are built here, not by PyYAML: a tag such as !!python/object must be refused
            # here too, or it would be silently dropped.
            self.refuse(
                f"Thẻ YAML '{node.tag}' không được phép trong tệp dữ liệu.",
                node,
                "Xóa thẻ bắt đầu bằng '!' và chỉ ghi dữ liệu.",
            )
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            assert isinstance(node, yaml.MappingNode)  # the plain tags are those of lists and groups
            return self.mapping(node, path)
        finally:
            self.open.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        self.flatten_mapping(node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.refuse(
                    "Tên trường phải là chữ, không phải một danh sách hay một nhóm trường.",
                    key_node,
                    "Viết tên trường rồi dấu ':' (ví dụ 'title: ...'); bỏ dấu '?' ở đầu dòng.",
                )
            key = _nfc(str(self.scalar(key_node)))
            if key in result:
                self.refuse(
                    f"Trường '{key}' được khai báo hai lần.",
                    key_node,
                    "Giữ lại một lần khai báo và xóa lần còn lại.",
                )
            result[key] = self.build(value_node, (*path, key))
        return result

    def scalar(self, node: yaml.ScalarNode) -> Any:
        try:
            return self.construct_object(node, deep=True)
        except ValueError:
            # A value YAML reads as a date or a number but Python cannot hold: 2026-02-30, an integer
            # of thousands of digits.
            if node.tag == _TIMESTAMP_TAG:
                self.refuse(
                    f"Ngày '{node.value}' không có thật.",
                    node,
                    "Sửa lại ngày cho đúng lịch; ghi ngày theo kiểu dd/mm/yyyy, ví dụ 05/01/2024.",
                )
            self.refuse(
                f"Giá trị '{node.value[:40]}' không đọc được thành số.",
                node,
                "Kiểm tra lại con số; đặt giá trị trong ngoặc kép nếu đó là chữ.",
            )


def read_data_text(file: Path) -> str:
    """The text of the YAML file ``file``: a regular file of at most :data:`MAX_BYTES`, in UTF-8."""
    data = read_input(file, "tệp YAML", MAX_BYTES)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataError.single(
            "Tệp không phải văn bản UTF-8.",
            file=file,
            location=f"dòng {line}",
            fix="Lưu lại tệp với bảng mã UTF-8 (Unicode) rồi chạy lại.",
        ) from None


def parse_yaml(text: str | bytes, file: Path) -> YamlDocument:
    """Parse ``text`` (read from ``file``) within the limits; any problem is a :class:`DataError`.

    libyaml reads the text and builds its nodes; they are turned into plain data here without noting
    lines. Whatever is not plain data (an alias, a merge key, a tag, a key given twice, a value Python
    cannot hold, a file near the limits) is read again by the walk that keeps every line, which refuses it
    or reads it in full, so that what is read, and every message, is the same either way.

    ``text`` may be the file's bytes, as a batch reads them: libyaml reads UTF-8 itself, sparing the
    text decoded and encoded again, and bytes that are not UTF-8 raise UnicodeDecodeError as decoding
    them (``utf-8-sig``) does."""
    # At most about one value per character (or byte): within the bounds as composed.
    if len(text) <= MAX_NODES and not (isinstance(text, bytes) and text.startswith(_NOT_AS_TEXT)):
        loader = _QuickLoader(text)
        try:
            node = loader.get_single_node()
            # libyaml's composer gives a node twice only for an alias (*tên), which needs an anchor (&tên):
            # without a "&" in the text, no node needs to be looked for among those already built.
            aliases = b"&" in text if isinstance(text, bytes) else "&" in text
            builder = _QuickBuilder(loader, aliases)
            data = builder.build(node, 0) if node is not None else None
            return YamlDocument(data, file, text)
        except (yaml.YAMLError, _Unusual):
            pass
        finally:
            loader.dispose()
    return _parse_keeping_lines(text.decode("utf-8-sig") if isinstance(text, bytes) else text, file)


class _Unusual(Exception):
    """What the quick reading leaves to the line-keeping walk."""


class _QuickLoader(yaml.CSafeLoader):
    """libyaml's composer, with the tags of the safe loader found without its work for path resolvers,
    which it has none of: libyaml calls these three for every value."""

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            # Plain, not quoted: a number, a date, true, null… by the look of it, as the safe loader sees.
            if implicit[0] and (resolvers := _IMPLICIT_TAGS.get(value[:1])) is not None:
                if value.isdigit() and value.isascii() and (value[0] != "0" or len(value) == 1):
                    return _INT_TAG  # a count, as most figures are: only the integers' pattern takes it
                if len(value) > 5 and value[0].isalpha():
                    return _STR_TAG  # the words read as true, false or null have five letters at most
                for tag, regexp in resolvers:
                    if regexp.match(value):
                        return tag
            return _STR_TAG
        return _SEQ_TAG if kind is SequenceNode else _MAP_TAG


class _QuickBuilder:
    """libyaml's nodes of plain data, built into plain data as the line-keeping walk builds them; a text
    value, nearly every value of a report, without a call of its own."""

    def __init__(self, constructor: SafeConstructor, aliases: bool) -> None:
        self.constructor = constructor
        self.seen: set[int] | None = set() if aliases else None  # a node met twice is an alias
        self.nodes = 1  # the root

    def build(self, node: yaml.Node, depth: int) -> Any:
        if self.seen is not None:
            self.meet(node)
        kind, tag = type(node), node.tag
        if kind is ScalarNode:
            return self.scalar(node)
        # What a list or group holds is one level deeper; its values are counted as they are composed.
        self.nodes += len(node.value) * (2 if kind is MappingNode else 1)
        if depth + 1 >= MAX_DEPTH or self.nodes > MAX_NODES:
            raise _Unusual
        quick = self.seen is None  # a value built in place: no alias to look for
        if kind is SequenceNode and tag == _SEQ_TAG:
            items = []
            for item in node.value:
                if quick and type(item) is ScalarNode:
                    items.append(normalize("NFC", item.value) if item.tag == _STR_TAG else self.scalar(item))
                else:
                    items.append(self.build(item, depth + 1))
            return items
        if kind is not MappingNode or tag != _MAP_TAG:
            raise _Unusual
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                raise _Unusual
            if not quick:
                self.meet(key_node)
            # In NFC, as every text read.
            key = normalize("NFC", key_node.value) if key_node.tag == _STR_TAG else str(self.scalar(key_node))
            if key in result:
                raise _Unusual
            if quick and type(value_node) is ScalarNode:
                value = value_node.value
                result[key] = (
                    normalize("NFC", value) if value_node.tag == _STR_TAG else self.scalar(value_node)
                )
            else:
                result[key] = self.build(value_node, depth + 1)
        return result

    def meet(self, node: yaml.Node) -> None:
        assert self.seen is not None, "called where aliases are looked for"
        if id(node) in self.seen:
            raise _Unusual
        self.seen.add(id(node))

    def scalar(self, node: yaml.Node) -> Any:
        tag, value = node.tag, node.value
        if tag == _STR_TAG:
            return normalize("NFC", value)
        if tag == _INT_TAG and value.isdecimal() and value[0] != "0" and len(value) < 19:
            return int(value)  # a count as a report gives it: what the constructor makes of it, quicker
        if tag not in _QUICK_SCALAR_TAGS:
            raise _Unusual
        try:
            return _nfc(self.constructor.yaml_constructors[tag](self.constructor, node))
        except ValueError:
            raise _Unusual from None


def _parse_keeping_lines(text: str, file: Path) -> YamlDocument:
    """Parse ``text`` noting the line of every value (:func:`parse_yaml`, for a file with a problem)."""
    loader = _Loader(text, file)
    try:
        node = loader.get_single_node()
        data = loader.build(node, ()) if node is not None else None
    except yaml.reader.ReaderError as exc:
        # Characters YAML refuses anywhere (NUL, other control codes); libyaml counts in UTF-8 bytes.
        line = text.encode("utf-8", "surrogatepass").count(b"\n", 0, exc.position) + 1
        raise DataError.single(
            f"Tệp có ký tự không hợp lệ (mã {exc.character:#04x}).",
            file=file,
            location=f"dòng {line}",
            fix="Xóa ký tự lạ (thường do dán từ phần mềm khác), hoặc gõ lại dòng đó.",
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if "exceeded maximum nesting depth" in (exc.problem or ""):
            # libyaml's own bound (1000 levels), met while it looks ahead on a line of brackets.
            loader.too_deep(mark)
        location = f"dòng {mark.line + 1}, cột {mark.column + 1}" if mark else None
        if "invalid Unicode character escape" in (exc.problem or ""):
            raise DataError.single(
                "Chuỗi thoát \\u… (hoặc \\U…) trong ngoặc kép không phải một ký tự có thật (ví dụ \\udc80, "
                "một nửa cặp mã UTF-16).",
                file=file,
                location=location,
                fix="Gõ thẳng ký tự cần dùng thay cho chuỗi \\u…, hoặc xóa chuỗi đó.",
            ) from None
        if exc.context == "while scanning an alias" or (exc.problem or "").startswith(
            "found undefined alias"
        ):
            # "- **Kết quả:** …" unquoted: YAML reads a leading "*" as an alias (*tên).
            raise DataError.single(
                "Giá trị bắt đầu bằng dấu * (chữ đậm **…**, chữ nghiêng *…*) nhưng không đặt trong ngoặc "
                "kép: YAML đọc dấu * ở đầu giá trị là bí danh (*tên).",
                file=file,
                location=location,
                fix='Đặt cả đoạn văn trong ngoặc kép, ví dụ - "**Kết quả:** đạt 100%".',
            ) from None
        raise DataError.single(
            f"Tệp YAML sai cú pháp ({exc.problem or exc.context}).",
            file=file,
            location=location,
            fix="Kiểm tra thụt đầu dòng (dùng dấu cách, không dùng Tab) và dấu ':' sau tên trường; "
            "đặt văn bản có dấu ':' hoặc '#' trong ngoặc kép.",
        ) from None
    except yaml.YAMLError as exc:
        raise DataError.single(f"Tệp YAML không đọc được ({exc}).", file=file) from None
    finally:
        loader.dispose()
    return YamlDocument(data, file, text, loader.lines)


def load_yaml(file: Path) -> YamlDocument:
    """Read ``file`` safely (:func:`read_data_text`, :func:`parse_yaml`); any problem is a
    :class:`DataError` with its line."""
    return parse_yaml(read_data_text(file), file)
