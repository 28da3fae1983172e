"""Tools for template maintainers: copy a profile, list the fields its Word template uses, check it.

``cchc template new | fields | check`` call :func:`new_profile`, :func:`template_fields` and
:func:`check_profile`.

A template is read as Word shows it to the maintainer: the paragraphs of the body, the headers and the
footers in document order, each with its place (paragraph number, or table, row and cell) and its text as
the runs Word split it into. The docxtpl tags are found in that text and checked one by one, with a
block structure kept here, so that every problem is reported in one run at its own paragraph, where
Jinja would stop at the first error and often point at the end of the document (pitfalls.md §3).

What the layout gives a template is not written down twice: it is read from
:func:`cchc_gen.render.context.build_context` run on a sample report that uses every kind of content.
"""

from __future__ import annotations

import difflib
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from pydantic import ValidationError

from cchc_gen.errors import CchcError, CheckFailed, Problem, Severity, TemplateProblem
from cchc_gen.model.check import Figures
from cchc_gen.model.pictures import Picture
from cchc_gen.model.profile import (
    PROFILE_FILE,
    TEMPLATE_FILE,
    Appendix,
    Indicator,
    Profile,
    ProfileSpec,
    available_profiles,
    profile_folder,
    profile_validity,
)
from cchc_gen.model.report import Report, Unit
from cchc_gen.nd30.walk import ParagraphNode, paragraphs, walk
from cchc_gen.paths import new_templates_folder
from cchc_gen.render.context import build_context
from cchc_gen.render.docx import make_environment, write_atomically
from cchc_gen.source.safety import check_template
from cchc_gen.source.schema_errors import problems_from_validation
from cchc_gen.source.yaml_file import YamlDocument, load_yaml
from cchc_gen.vn.dates import DateParseError, parse_date

_PROFILE_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$")
_COPY_IGNORED = shutil.ignore_patterns("~$*", ".*", "*.tmp")
_VALID_FROM_LINE = re.compile(r"^valid_from:.*$", re.MULTILINE)
_NAME_LINE = re.compile(r"^name:.*$", re.MULTILINE)

# A docxtpl tag as Word shows it; a structural prefix (p, tr, tc, r) follows the opening mark directly.
_TAG = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}|\{#(.*?)#\}", re.DOTALL)
_OPENING = re.compile(r"\{\{|\{%|\{#")
_CLOSING = re.compile(r"\}\}|%\}|#\}")
_PREFIX = re.compile(r"(tr|tc|p|r) ")
_LOOSE_PREFIX = re.compile(r"\s*(tr|tc|p)[\s\u00a0]+(\w+)")
_STATEMENT = re.compile(r"([-+]?\s*)(\w*)(.*)", re.DOTALL)
# Word's AutoFormat as you type: straight quotes become curly ones (docxtpl straightens them again);
# "--" and " - " become dashes, "..." an ellipsis, French typing a non-breaking space or angle quotes;
# outside a string these break the tag.
_CURLY_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_AUTOFORMAT = {
    "–": "gạch ngang dài (–)",
    "—": "gạch ngang dài (—)",
    "…": "dấu ba chấm liền (…)",
    "\u00a0": "dấu cách không ngắt",
    "„": "dấu nháy dưới („)",
    "«": "dấu nháy góc («)",
    "»": "dấu nháy góc (»)",
}
_HAND_NUMBER = re.compile(r"\s*(?:[IVXLC]+\.|\d+(?:\.\d+)*\.|\d+(?:\.\d+)+|[a-zđ]\))(?=\s)")
_NUMBER_HEADER = {"stt", "tt", "số tt", "số thứ tự"}
_LITERAL_NUMBER = re.compile(r"(?:\d+(?:\.\d+)*|[IVXLC]+)\.?")

_BLOCKS = {"for", "if", "with", "filter", "macro", "call", "autoescape", "block", "raw", "set"}
_MIDDLE = {"elif": {"if"}, "else": {"if", "for"}}
_SCOPES = {"for", "with", "macro", "call"}
_SIMPLE = {"print"}
_DOCXTPL = {"colspan", "cellbg", "vm", "hm"}
_NEEDS_LOADER = {"include", "import", "from", "extends"}
_KEYWORDS = sorted([*_BLOCKS, *(f"end{b}" for b in _BLOCKS), *_MIDDLE, *_SIMPLE, *_DOCXTPL, *_NEEDS_LOADER])
# Filters that keep the items of a sequence: a loop over ``rows | sort`` goes over the rows.
_KEEPS_ITEMS = {"sort", "reverse", "list", "unique", "selectattr", "rejectattr"}
_PART_LABELS = {"header": "đầu trang", "footer": "chân trang"}


# --- template new ------------------------------------------------------------------------------------


def new_profile(new: str, source: str, valid_from: str | None = None) -> Path:
    """Copy the profile ``source`` to a new profile ``new``; returns its folder.

    The copy is used only by name (``profile: <new>`` in a data file) until it has a ``valid_from``:
    given here, or written later in its profile.yaml. Its README says where it comes from.
    """
    if not _PROFILE_NAME.match(new):
        raise TemplateProblem.single(
            f"Tên bộ mẫu '{new}' không hợp lệ.",
            fix="Chỉ dùng chữ thường không dấu, chữ số và dấu '-', ví dụ bao-cao-dinh-ky-2025.",
        )
    origin = profile_folder(source)
    target = new_templates_folder() / new
    if target.exists():
        raise TemplateProblem.single(
            f"Đã có bộ mẫu hoặc thư mục '{new}'.", file=target, fix="Chọn một tên khác cho bộ mẫu mới."
        )
    start = _parse_valid_from(valid_from) if valid_from is not None else None
    shutil.copytree(origin, target, ignore=_COPY_IGNORED)
    profile = target / PROFILE_FILE
    text = profile.read_text(encoding="utf-8")
    line = (
        f"valid_from: {start.isoformat()}"
        if start
        else f"# valid_from: chưa ghi — bộ mẫu chỉ được dùng khi tệp dữ liệu ghi 'profile: {new}'"
    )
    if _VALID_FROM_LINE.search(text):
        text = _VALID_FROM_LINE.sub(line, text, count=1)
    elif (name := _NAME_LINE.search(text)) is not None:
        text = f"{text[: name.end()]}\n{line}{text[name.end() :]}"
    else:
        text = f"{line}\n{text}"
    write_atomically(profile, text, PROFILE_FILE, "trình soạn thảo")
    readme = target / "README.md"
    before = readme.read_text(encoding="utf-8").rstrip() + "\n\n" if readme.is_file() else ""
    notes = (
        f"{before}## Bộ mẫu `{new}`\n\n"
        f"Sao chép từ bộ mẫu `{source}` bằng `cchc template new`. Ghi vào đây: văn bản hướng dẫn mới, ngày "
        f"áp dụng (`valid_from` trong profile.yaml) và những gì thay đổi so với `{source}`.\n"
    )
    write_atomically(readme, notes, "README.md", "trình soạn thảo")
    return target


def _parse_valid_from(text: str) -> date:
    try:
        return parse_date(text)
    except DateParseError as exc:
        raise TemplateProblem.single(
            f"Ngày áp dụng không hợp lệ: {exc}", fix="Gõ ngày theo dạng ngày/tháng/năm, ví dụ 01/07/2025."
        ) from None


# --- reading a Word template ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    """One paragraph of a template (or one text field of profile.yaml) and where it is.

    ``runs`` holds the text of each ``w:t`` in order, ``xml`` the paragraph as stored; ``cell`` is
    (part, table, row, cell) for a paragraph in a table, ``None`` in the body of a part.
    """

    part: str
    place: str
    text: str
    runs: tuple[str, ...] = ()
    xml: str = ""
    cell: tuple[str, int, int, int] | None = None
    numbered: bool = False
    file: Path | None = None

    @property
    def where(self) -> str:
        shown = " ".join(self.text.split())
        shown = f"{shown[:70]}…" if len(shown) > 70 else shown
        return f"{self.place} “{shown}”" if shown else self.place

    @property
    def container(self) -> tuple[Any, ...]:
        return self.cell or (self.part,)


def _numbered_styles(styles_xml: bytes | None) -> set[str | None]:
    """Paragraph styles that carry Word's own list numbering (``None`` stands for the default style)."""
    if styles_xml is None:
        return set()
    root = etree.fromstring(styles_xml, _PARSER)
    based: dict[str, str | None] = {}
    own: set[str] = set()
    default = None
    for style in root.iter(qn("w:style")):
        style_id = style.get(qn("w:styleId"))
        if style.get(qn("w:type")) != "paragraph" or style_id is None:
            continue
        parent = style.find(qn("w:basedOn"))
        based[style_id] = parent.get(qn("w:val")) if parent is not None else None
        if _has_numbering(style.find(qn("w:pPr"))):
            own.add(style_id)
        if style.get(qn("w:default")) in ("1", "true"):
            default = style_id
    numbered: set[str | None] = set()
    for style_id in based:
        seen: set[str] = set()
        current: str | None = style_id
        while current is not None and current not in seen:
            if current in own:
                numbered.add(style_id)
                break
            seen.add(current)
            current = based.get(current)
    if default in numbered:
        numbered.add(None)
    return numbered


def _has_numbering(ppr: Any) -> bool:
    num = ppr.find(qn("w:numPr")) if ppr is not None else None
    if num is None:
        return False
    num_id = num.find(qn("w:numId"))
    return num_id is None or num_id.get(qn("w:val")) != "0"


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _read_template(path: Path) -> list[list[_Line]]:
    """The paragraphs of each templated part of the .docx: the body, then the headers and footers."""
    check_template(path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        numbered = _numbered_styles(archive.read("word/styles.xml") if "word/styles.xml" in names else None)
        extra = sorted(n for n in names if re.fullmatch(r"word/(header|footer)\d*\.xml", n))
        sources = []
        for name in ["word/document.xml", *extra]:
            try:
                root = etree.fromstring(archive.read(name), _PARSER)
            except (KeyError, etree.XMLSyntaxError):
                raise TemplateProblem.single(
                    f"Tệp Word mẫu hỏng: không đọc được phần {name}.",
                    file=path,
                    fix="Mở tệp bằng Word, lưu lại (File → Save As → Word Document) rồi kiểm tra lại.",
                ) from None
            kind = re.sub(r"\d+$", "", Path(name).stem)
            label = "" if kind == "document" else f"{_PART_LABELS[kind]} ({Path(name).name})"
            body = root.find(qn("w:body"))
            blocks = walk(root if body is None else body)
            sources.append([_line(node, label, numbered, path) for node in paragraphs(blocks)])
    return sources


def _line(node: ParagraphNode, part: str, numbered: set[str | None], file: Path) -> _Line:
    paragraph = node.element
    runs = tuple(t.text or "" for t in paragraph.iter(qn("w:t")))
    ppr = paragraph.find(qn("w:pPr"))
    style = ppr.find(qn("w:pStyle")) if ppr is not None else None
    style_id = style.get(qn("w:val")) if style is not None else None
    cell = (part, node.cell.table, node.cell.row, node.cell.cell) if node.cell is not None else None
    return _Line(
        part,
        f"{part}, {node.where}" if part else node.where,
        "".join(runs),
        runs,
        etree.tostring(paragraph, encoding="unicode"),
        cell,
        _has_numbering(ppr) or style_id in numbered,
        file,
    )


# --- tags ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tag:
    """A docxtpl tag of a line: ``mark`` is "{{", "{%" or "{#"; ``inner`` is what Jinja reads, with
    the structural ``prefix`` taken off and curly quotes straightened as docxtpl does."""

    line: _Line
    raw: str
    mark: str
    prefix: str
    inner: str
    start: int

    @property
    def where(self) -> str:
        return self.line.where


def _tags(line: _Line, problems: list[Problem]) -> list[_Tag]:
    """The tags of ``line``; opening or closing marks left without their pair are problems."""
    found = []
    for match in _TAG.finditer(line.text):
        mark = match.group()[:2]
        body = next(g for g in match.groups() if g is not None)
        prefix = ""
        if mark != "{#" and (p := _PREFIX.match(body)):
            prefix, body = p[1], body[p.end() :]
        found.append(_Tag(line, match.group(), mark, prefix, body.translate(_CURLY_QUOTES), match.start()))
    rest = _TAG.sub(lambda m: " " * len(m.group()), line.text)
    for match in [*_OPENING.finditer(rest), *_CLOSING.finditer(rest)]:
        problems.append(
            _problem(
                line,
                f"Dấu “{match.group()}” không có dấu {'đóng' if match.group()[0] == '{' else 'mở'} "
                "tương ứng trong cùng đoạn.",
                "Một thẻ phải nằm gọn trong một đoạn: gõ lại cả thẻ trên một dòng, không nhấn Enter "
                "giữa thẻ (docxtpl sẽ nhập hai đoạn làm một).",
            )
        )
    return found


def _problem(line: _Line, message: str, fix: str | None, severity: Severity = Severity.ERROR) -> Problem:
    return Problem(message, line.file, line.where, fix, severity)


def _normal_tag(text: str) -> str:
    """A tag compared without spacing, structural prefix, whitespace control or curly quotes."""
    text = re.sub(r"^\{([{%#])(?:tr |tc |p |r )?[-+]?", r"{\1", text)
    text = re.sub(r"[-+]?([}%#]\})$", r"\1", text)
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&amp;", "&")):
        text = text.replace(entity, char)
    return "".join(text.translate(_CURLY_QUOTES).split())


def _split_tags(line: _Line, tags: list[_Tag], patcher: DocxTemplate) -> Iterator[_Tag]:
    """Tags that docxtpl will not read whole: it joins the runs of a tag only when nothing but XML
    markup lies between them (pitfalls.md §5), so a tag split around deleted text (a tracked change) or
    a field code reaches Jinja in pieces, and prints as it is or breaks the file."""
    if len(line.runs) < 2:
        return
    patched = patcher.patch_xml(line.xml)
    seen = [_normal_tag(t) for t in re.findall(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", patched, re.DOTALL)]
    for tag in tags:
        normal = _normal_tag(tag.raw)
        if normal in seen:
            seen.remove(normal)
        else:
            yield tag


# --- what the layout gives a template ---------------------------------------------------------------


def _sample_context(profile: Profile, env: SandboxedEnvironment) -> dict[str, Any]:
    """The context :func:`build_context` gives this profile's template for a report that uses every
    kind of content: every heading level, paragraphs, "-"/"+" lists, numbered paragraphs, a table, a
    picture, an appendix table from the data, and the indicator appendix when the profile has a catalogue.

    The profile's own text fields are replaced by plain text: their fields are checked on their own.
    """
    spec = profile.spec
    plain = spec.model_copy(
        update={
            "title": "Trích yếu",
            "closing": "Câu kết",
            "appendix": spec.appendix.model_copy(update={"title": ["Tiêu đề"]}) if spec.appendix else None,
        }
    )
    unit = Unit.model_validate(
        {
            "code": "mau",
            "name": "Ủy ban nhân dân xã Mẫu",
            "short_name": "UBND xã Mẫu",
            "level": "xa",
            "governing_body": "UBND tỉnh Mẫu",
            "issuing_body": ["Ủy ban nhân dân", "xã Mẫu"],
            "symbol": "UBND",
            "place": "Mẫu",
            "signer": {
                "authority": "KT.",
                "on_behalf": "Chủ tịch",
                "title": "Phó Chủ tịch",
                "own_position": "Trưởng phòng",
                "name": "Nguyễn Văn A",
            },
            "recipients": ["Nơi nhận một", "Nơi nhận hai"],
            "distribution": ["Nơi lưu"],
        }
    )
    content: list[Any] = [
        "Đoạn văn.",
        {"list": [{"text": "Ý", "sub": ["Ý nhỏ"]}]},
        {"numbered": ["Việc"]},
        {"table": {"columns": ["Cột"], "rows": [["Ô"]]}},
        {"image": "anh.png", "caption": "Chú thích"},
    ]
    section: dict[str, Any] = {"heading": "Mục", "content": content}
    for _ in spec.numbering:
        section = {"heading": "Mục", "content": [*content, section]}
    codes = list(spec.indicators())
    report = Report.model_validate(
        {
            "unit": unit.code,
            "period": "2024-Q1",
            "number": 1,
            "date": "05/01/2024",
            "lead_in": ["Thực hiện"],
            "sections": [section],
            "appendices": [{"title": ["Phụ lục"], "columns": ["Cột"], "rows": [["Ô"]]}],
            "figures": {codes[0]: 1} if codes else {},
        }
    )
    figures = Figures(values={code: value for code, value in report.figures.items() if value is not None})
    picture = Picture("anh.png", b"", 1, 1)  # only its place in the context matters: it is never printed
    return build_context(report, unit, Profile(profile.folder, plain), figures, env, {picture.name: picture})


# A profile with every kind of heading and an indicator appendix: its context has every field.
_EVERY_FIELD = ProfileSpec(
    name="Mẫu",
    title="Trích yếu",
    closing="Câu kết",
    numbering=["roman", "decimal", "nested", "letter"],
    appendix=Appendix(title=["Phụ lục"], indicators=[Indicator(code="chi_tieu", label="Chỉ tiêu")]),
)


def _paths(value: Any, prefix: str = "") -> Iterator[str]:
    """Every path of a context value: ``unit.name``; ``body[]`` for the items of a list."""
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            yield path
            yield from _paths(item, path)
    elif isinstance(value, list):
        yield f"{prefix}[]"
        for item in value:
            yield from _paths(item, f"{prefix}[]")


# --- reading tags: fields, filters and the block structure ----------------------------------------------


@dataclass
class _Block:
    keyword: str
    tags: list[_Tag]
    names: dict[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class _Use:
    path: str
    tag: _Tag


def _statement(inner: str) -> tuple[str, str, str]:
    """Lead, keyword and rest of a statement tag's inside; the pattern matches any text."""
    match = _STATEMENT.match(inner)
    assert match is not None
    lead, keyword, rest = match.groups()
    return lead, keyword, rest


class _Reader:
    """Reads the tags of one template part in order: their syntax, their block structure, the fields
    they use (loop variables resolved to what they loop over) and the filters and tests they name."""

    def __init__(self, env: SandboxedEnvironment) -> None:
        self.env = env
        self.names: dict[str, str | None] = {}
        self.stack: list[_Block] = []
        self.uses: list[_Use] = []
        self.problems: list[Problem] = []

    # fields ---------------------------------------------------------------------------------------

    def lookup(self, name: str) -> str | None:
        for block in reversed(self.stack):
            if name in block.names:
                return block.names[name]
        if name in self.names:
            return self.names[name]
        return None if name in self.env.globals else name

    def path_of(self, node: nodes.Node, tag: _Tag) -> str | None:
        """The context path a chain of names, attributes and items reads; ``None`` for a local value
        or a value computed in the template. Uses inside the chain (item keys) are recorded."""
        if isinstance(node, nodes.Name):
            return self.lookup(node.name)
        if isinstance(node, nodes.Getattr):
            base = self.path_of(node.node, tag)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, nodes.Getitem):
            base = self.path_of(node.node, tag)
            key = node.arg.value if isinstance(node.arg, nodes.Const) else None
            if not isinstance(node.arg, nodes.Const):
                self.expression(node.arg, tag)
            if base is None:
                return None
            if isinstance(key, str):
                return f"{base}.{key}"
            return f"{base}[]" if isinstance(key, int) else base
        self.expression(node, tag)
        return None

    def use(self, node: nodes.Node, tag: _Tag) -> str | None:
        path = self.path_of(node, tag)
        if path:
            self.uses.append(_Use(path, tag))
        return path

    def value(self, node: nodes.Node, tag: _Tag) -> str | None:
        """Record the uses of a value given a name (``set``, ``with``); its path when it is a field."""
        if _is_chain(node):
            return self.use(node, tag)
        self.expression(node, tag)
        return None

    def source(self, node: nodes.Node, tag: _Tag) -> str | None:
        """What a loop goes over: the path of ``rows`` in ``rows``, ``rows | sort``…"""
        while isinstance(node, nodes.Filter) and node.name in _KEEPS_ITEMS and node.node is not None:
            self.filter_name(node.name, tag)
            for child in [*node.args, *node.kwargs]:
                self.expression(child, tag)
            node = node.node
        return self.value(node, tag)

    def expression(self, node: nodes.Node, tag: _Tag) -> None:
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            if not (isinstance(node, nodes.Name) and node.ctx == "store"):
                self.use(node, tag)
            return
        if isinstance(node, nodes.Filter):
            self.filter_name(node.name, tag)
        elif isinstance(node, nodes.Test) and node.name not in self.env.tests:
            self.problems.append(
                _problem(
                    tag.line,
                    f"Thẻ “{tag.raw}” dùng phép thử '{node.name}' mà Jinja không có.",
                    _suggest(node.name, self.env.tests, "Xem danh sách phép thử (tests) của Jinja."),
                )
            )
        elif isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
            # A method of a value (``text.upper()``): the value is a field, the method is not.
            self.expression(node.node.node, tag)
            for argument in [*node.args, *node.kwargs, node.dyn_args, node.dyn_kwargs]:
                if argument is not None:
                    self.expression(argument, tag)
            return
        for child in node.iter_child_nodes():
            self.expression(child, tag)

    def filter_name(self, name: str, tag: _Tag) -> None:
        if name not in self.env.filters:
            self.problems.append(
                _problem(
                    tag.line,
                    f"Thẻ “{tag.raw}” dùng bộ lọc '{name}' không có trong chương trình.",
                    _suggest(name, self.env.filters, "Xem các bộ lọc dùng được trong docs/bo-loc.md."),
                )
            )

    def bind(self, target: nodes.Node, path: str | None, names: dict[str, str | None]) -> None:
        if isinstance(target, nodes.Name):
            names[target.name] = path
        else:
            for name in target.find_all(nodes.Name):
                names[name.name] = None

    def scope(self) -> dict[str, str | None]:
        """Where a ``set`` binds: the innermost loop, ``with`` or macro, else the whole part."""
        for block in reversed(self.stack):
            if block.keyword in _SCOPES:
                return block.names
        return self.names

    # tags -----------------------------------------------------------------------------------------

    def read(self, tag: _Tag) -> None:
        if tag.mark == "{#":
            return
        if tag.mark == "{{":
            if parsed := self.parse(tag, "{{" + tag.inner + "}}"):
                for node in parsed.find_all(nodes.Output):
                    for child in node.nodes:
                        if not isinstance(child, nodes.TemplateData):
                            self.expression(child, tag)
            return
        lead, keyword, rest = _statement(tag.inner)
        if not keyword:
            self.parse(tag, "{%" + tag.inner + "%}")
            return
        if keyword not in _KEYWORDS:
            self.unknown(tag, keyword)
            return
        if keyword in _NEEDS_LOADER:
            self.problems.append(
                _problem(
                    tag.line,
                    f"Thẻ “{tag.raw}” dùng '{keyword}', cần một mẫu khác mà mẫu Word không có.",
                    "Chép phần cần dùng vào chính mẫu này.",
                )
            )
        elif keyword.startswith("end"):
            self.close(tag, keyword[3:], rest)
        elif keyword in _MIDDLE:
            self.middle(tag, keyword, lead, rest)
        elif keyword in _DOCXTPL:
            if rest.strip() and (parsed := self.parse(tag, "{{" + rest + "}}")):
                self.expression(parsed, tag)
        elif keyword == "set" and "=" in rest:
            if parsed := self.parse(tag, "{%" + tag.inner + "%}"):
                assign = next(parsed.find_all(nodes.Assign))
                self.bind(assign.target, self.value(assign.node, tag), self.scope())
        elif keyword in _SIMPLE:
            if parsed := self.parse(tag, "{%" + tag.inner + "%}"):
                self.expression(parsed, tag)
        else:
            self.open(tag, keyword)

    def parse(self, tag: _Tag, source: str) -> nodes.Template | None:
        try:
            return self.env.parse(source)
        except TemplateSyntaxError as exc:
            odd = sorted({name for char, name in _AUTOFORMAT.items() if char in tag.inner})
            if odd:
                message = f"Thẻ “{tag.raw}” có {', '.join(odd)} do Word tự sửa khi gõ; Jinja không đọc được."
                fix = (
                    "Gõ lại thẻ bằng ký tự thường (dấu '-', ba dấu chấm, dấu cách thường); tắt "
                    "File → Options → Proofing → AutoCorrect Options → AutoFormat As You Type."
                )
            else:
                message = f"Thẻ “{tag.raw}” sai cú pháp Jinja ({exc.message})."
                fix = "Sửa thẻ theo cú pháp {{ tên.trường }} hoặc {%p lệnh … %}."
            self.problems.append(_problem(tag.line, message, fix))
            return None

    def unknown(self, tag: _Tag, keyword: str) -> None:
        close = difflib.get_close_matches(keyword, _KEYWORDS, n=1)
        self.problems.append(
            _problem(
                tag.line,
                f"Thẻ “{tag.raw}” dùng lệnh '{keyword}' mà Jinja không có.",
                f"Có phải ý bạn là '{close[0]}'?" if close else "Dùng một lệnh của Jinja: for, if, set…",
            )
        )
        # Read the misspelt tag as the one meant, so that its block does not look unclosed.
        if close:
            lead, _, rest = _statement(tag.inner)
            meant = _Tag(tag.line, tag.raw, tag.mark, tag.prefix, f"{lead}{close[0]}{rest}", tag.start)
            if close[0].startswith("end"):
                self.close(meant, close[0][3:], rest)
            elif close[0] in _MIDDLE and self.stack:
                self.stack[-1].tags.append(meant)
            elif close[0] in _BLOCKS:
                self.stack.append(_Block(close[0], [meant]))

    def open(self, tag: _Tag, keyword: str) -> None:
        closing = f"{{% end{keyword} %}}"
        block = _Block(keyword, [tag])
        parsed = self.parse(tag, "{%" + tag.inner + "%}" + closing)
        if parsed is not None:
            node = parsed.body[0]
            if isinstance(node, nodes.For):
                source = self.source(node.iter, tag)
                block.names["loop"] = None
                self.bind(node.target, f"{source}[]" if source else None, block.names)
                if node.test is not None:
                    self.stack.append(block)
                    self.expression(node.test, tag)
                    self.stack.pop()
            elif isinstance(node, nodes.If):
                self.expression(node.test, tag)
            elif isinstance(node, nodes.With):
                for target, value in zip(node.targets, node.values, strict=True):
                    self.bind(target, self.value(value, tag), block.names)
            elif isinstance(node, nodes.Macro | nodes.CallBlock):
                for arg in node.args:
                    block.names[arg.name] = None
                block.names.update(caller=None, varargs=None, kwargs=None)
                if isinstance(node, nodes.Macro):
                    self.scope()[node.name] = None
                else:
                    self.expression(node.call, tag)
            elif isinstance(node, nodes.FilterBlock):
                self.expression(node.filter, tag)
            elif isinstance(node, nodes.AssignBlock):
                self.bind(node.target, None, self.scope())
        self.stack.append(block)

    def middle(self, tag: _Tag, keyword: str, lead: str, rest: str) -> None:
        if not self.stack or self.stack[-1].keyword not in _MIDDLE[keyword]:
            self.problems.append(
                _problem(
                    tag.line,
                    f"Thẻ “{tag.raw}” nằm ngoài khối {' hay '.join(sorted(_MIDDLE[keyword]))} nào.",
                    "Đặt thẻ này giữa thẻ mở và thẻ đóng của khối, hoặc xóa nó.",
                )
            )
            return
        self.stack[-1].tags.append(tag)
        if keyword == "elif":
            parsed = self.parse(tag, "{%" + lead + "if" + rest + "%}{% endif %}")
            if parsed is not None and isinstance(condition := parsed.body[0], nodes.If):
                self.expression(condition.test, tag)
        elif rest.strip("-+ \t"):
            self.problems.append(
                _problem(tag.line, f"Thẻ “{tag.raw}” có nội dung thừa sau 'else'.", "Viết đúng {%p else %}.")
            )

    def close(self, tag: _Tag, keyword: str, rest: str) -> None:
        if rest.strip("-+ \t"):
            self.problems.append(
                _problem(
                    tag.line,
                    f"Thẻ “{tag.raw}” có nội dung thừa sau 'end{keyword}'.",
                    f"Viết đúng {{%{tag.prefix} end{keyword} %}}.",
                )
            )
        if not self.stack:
            self.problems.append(
                _problem(
                    tag.line,
                    f"Thẻ “{tag.raw}” đóng một khối '{keyword}' chưa được mở.",
                    f"Thêm thẻ mở {keyword} phía trước, hoặc xóa thẻ này.",
                )
            )
            return
        block = self.stack[-1]
        if block.keyword != keyword:
            self.problems.append(
                _problem(
                    tag.line,
                    f"Thẻ “{tag.raw}” đóng khối '{keyword}', nhưng khối đang mở là '{block.keyword}' "
                    f"(ở {block.tags[0].where}).",
                    f"Đóng khối '{block.keyword}' trước bằng thẻ end{block.keyword}.",
                )
            )
            if not any(b.keyword == keyword for b in self.stack):
                return
            while self.stack[-1].keyword != keyword:
                self.stack.pop()
            block = self.stack[-1]
        self.stack.pop()
        block.tags.append(tag)
        self.problems += _block_places(block)

    def finish(self) -> None:
        for block in self.stack:
            opening = block.tags[0]
            self.problems.append(
                _problem(
                    opening.line,
                    f"Khối “{opening.raw}” không có thẻ đóng end{block.keyword}.",
                    f"Thêm thẻ {{%{opening.prefix} end{block.keyword} %}} vào cuối khối.",
                )
            )
        self.stack.clear()


def _is_chain(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem)


def _suggest(name: str, known: Any, otherwise: str) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"Có phải ý bạn là '{close[0]}'?" if close else otherwise


# --- docxtpl's structural tags ---------------------------------------------------------------------


def _block_places(block: _Block) -> list[Problem]:
    """The tags of one block must sit at one level: {%tr %} in rows of one table, {%tc %} in cells of
    one row, {%p %} in paragraphs of one cell (or of the body), plain tags in one paragraph."""
    tags = block.tags
    first, last = tags[0], tags[-1]
    prefixes = {t.prefix for t in tags}
    if len(prefixes) > 1:
        return [
            _problem(
                last.line,
                f"Khối “{first.raw}” (ở {first.where}) đóng bằng “{last.raw}”: thẻ mở và thẻ đóng phải cùng "
                "loại ({%p %}, {%tr %}, {%tc %} hoặc thẻ thường).",
                "Dùng cùng một loại thẻ cho cả khối, ví dụ {%p if … %} … {%p endif %}.",
            )
        ]
    prefix = first.prefix
    cells = [t.line.cell for t in tags]
    if prefix == "tr":
        same = len({c[:2] if c else None for c in cells}) == 1
        where = "các dòng của cùng một bảng"
    elif prefix == "tc":
        same = len({c[:3] if c else None for c in cells}) == 1
        where = "các ô của cùng một dòng bảng"
    elif prefix == "p":
        same = len({t.line.container for t in tags}) == 1
        where = "cùng một ô bảng (hoặc cùng ngoài bảng)"
    else:
        return _plain_block_places(tags)
    if same:
        return []
    return [
        _problem(
            last.line,
            f"Khối “{first.raw}” (ở {first.where}) phải mở và đóng trong {where}.",
            "Chuyển thẻ đóng về cùng chỗ với thẻ mở, hoặc dùng loại thẻ hợp với chỗ đặt.",
        )
    ]


def _plain_block_places(tags: list[_Tag]) -> list[Problem]:
    """A block of plain tags ({% if %} … {% endif %}) spread over paragraphs, cells or rows."""
    first, last = tags[0], tags[-1]
    if len({id(t.line) for t in tags}) == 1:
        return []
    cells = [t.line.cell for t in tags]
    if any(cells) and len({c[:3] if c else None for c in cells}) > 1:
        across, tag = "dòng bảng (hoặc ra ngoài bảng)", "{%tr … %}"
    elif any(cells) and len(set(cells)) > 1:
        across, tag = "ô bảng", "{%tc … %}"
    else:
        return [
            _problem(
                first.line,
                f"Khối “{first.raw}” trải qua nhiều đoạn (đến {last.where}) bằng thẻ thường: khi điều kiện "
                "sai, docxtpl nhập các đoạn còn lại làm một.",
                "Đặt thẻ mở và thẻ đóng vào các đoạn riêng và viết {%p … %}.",
                Severity.WARNING,
            )
        ]
    return [
        _problem(
            first.line,
            f"Khối “{first.raw}” trải qua nhiều {across} (đến {last.where}) mà không dùng {tag}: docxtpl "
            "cắt ngang chỗ chứa thẻ, nên bảng dựng ra bị ghép lẫn, thừa hoặc thiếu dòng, ô.",
            f"Đặt thẻ mở và thẻ đóng vào các dòng hoặc ô riêng và viết {tag}, ví dụ "
            "{%tr for r in appendix.rows %} … {%tr endfor %}.",
        )
    ]


def _structural(lines: list[_Line], tags: list[_Tag]) -> list[Problem]:
    """docxtpl replaces the whole paragraph, row or cell of a {%p %}, {%tr %}, {%tc %} tag by the tag
    alone: one such tag per paragraph, row or cell, nothing else beside it, and no '%' or '}' in it."""
    problems: list[Problem] = []
    by_line: dict[int, list[_Tag]] = {}
    for tag in tags:
        by_line.setdefault(id(tag.line), []).append(tag)
    for tag in tags:
        if tag.prefix not in ("p", "tr", "tc") or tag.mark != "{%":
            continue
        if "%" in tag.inner or "}" in tag.inner:
            problems.append(
                _problem(
                    tag.line,
                    f"Thẻ “{tag.raw}” có dấu '%' hoặc '}}' trong biểu thức: docxtpl không nhận ra thẻ "
                    f"{{%{tag.prefix} %}} này (lỗi docxtpl #644).",
                    "Tính giá trị đó trong một thẻ {% set … %} riêng ở đoạn trước, rồi dùng tên của nó.",
                )
            )
        if tag.prefix in ("tr", "tc") and tag.line.cell is None:
            problems.append(
                _problem(
                    tag.line,
                    f"Thẻ “{tag.raw}” nằm ngoài bảng: {{%{tag.prefix} %}} chỉ dùng trong bảng.",
                    "Dùng {%p … %} cho đoạn văn ngoài bảng.",
                )
            )
    for prefix, unit, what in (("p", "line", "đoạn"), ("tr", "row", "dòng bảng"), ("tc", "cell", "ô bảng")):
        groups: dict[tuple[Any, ...], list[_Line]] = {}
        for line in lines:
            key = _unit_of(line, unit)
            if key is not None:
                groups.setdefault(key, []).append(line)
        for members in groups.values():
            structural = [
                t
                for line in members
                for t in by_line.get(id(line), [])
                if t.prefix == prefix and t.mark == "{%"
            ]
            if not structural:
                continue
            if len(structural) > 1:
                problems.append(
                    _problem(
                        structural[1].line,
                        f"Một {what} có {len(structural)} thẻ {{%{prefix} %}} "
                        f"({', '.join(t.raw for t in structural)}): docxtpl chỉ giữ lại một thẻ nên báo cáo "
                        "không dựng được hoặc dựng sai (lỗi docxtpl #161).",
                        f"Đặt mỗi thẻ {{%{prefix} %}} vào {what} riêng của nó.",
                    )
                )
                continue
            lost = _beside(members, structural[0])
            if lost:
                problems.append(
                    _problem(
                        structural[0].line,
                        f"“{lost}” nằm cùng {what} với thẻ “{structural[0].raw}” và sẽ bị xóa khi dựng "
                        f"báo cáo: docxtpl thay cả {what} bằng thẻ đó.",
                        f"Chuyển phần này sang {what} khác; {what} chứa thẻ chỉ để mình thẻ.",
                    )
                )
    return problems


def _unit_of(line: _Line, unit: str) -> tuple[Any, ...] | None:
    if unit == "line":
        return (id(line),)
    if line.cell is None:
        return None
    return line.cell[:3] if unit == "row" else line.cell


def _beside(members: list[_Line], tag: _Tag) -> str:
    """The text and tags of ``members`` other than ``tag``."""
    rest = []
    for line in members:
        text = line.text
        if line is tag.line:
            text = text[: tag.start] + text[tag.start + len(tag.raw) :]
        if text.strip():
            rest.append(" ".join(text.split()))
    return " ".join(rest)[:60]


# --- numbering typed by hand -----------------------------------------------------------------------


def _typed_numbers(lines: list[_Line]) -> list[Problem]:
    """Numbers the layout generates (I., 1., 1.1., a), STT) must not be typed in the template, nor
    produced by Word's own list numbering: the report would show them twice or out of step."""
    problems = []
    for line in lines:
        # A tag starts with "{", so a number matched at the start was typed as text.
        if match := _HAND_NUMBER.match(line.text):
            problems.append(
                _problem(
                    line,
                    f"Số thứ tự “{match.group().strip()}” được gõ tay trong mẫu; chương trình tự đánh số "
                    "đề mục từ dữ liệu.",
                    "Xóa số gõ tay; đề mục lấy số từ {{ b.number }}.",
                )
            )
        if line.numbered and line.text.strip():
            problems.append(
                _problem(
                    line,
                    "Đoạn này được Word đánh số tự động (Numbering); chương trình đã tự đánh số đề mục.",
                    "Chọn đoạn, bấm nút Numbering trên thanh Home để tắt đánh số tự động.",
                )
            )
    cells: dict[tuple[str, int], dict[tuple[int, int], str]] = {}
    for line in lines:
        if line.cell is not None:
            grid = cells.setdefault(line.cell[:2], {})
            grid[line.cell[2:]] = f"{grid.get(line.cell[2:], '')} {_TAG.sub('', line.text)}".strip()
    by_place = {line.cell: line for line in lines if line.cell is not None}
    for (part, table), texts in cells.items():
        columns = [c for (r, c), text in texts.items() if r == 1 and text.casefold() in _NUMBER_HEADER]
        for column in columns:
            for (row, c), text in sorted(texts.items()):
                if c == column and row > 1 and _LITERAL_NUMBER.fullmatch(text):
                    problems.append(
                        _problem(
                            by_place[(part, table, row, c)],
                            f"Cột STT có số “{text}” gõ tay; chương trình tự đánh số thứ tự các dòng.",
                            "Xóa số trong ô; dùng {{ cell }} (hoặc {{ r.stt }}) của dòng lặp {%tr for %}.",
                        )
                    )
    return problems


# --- template fields, template check ---------------------------------------------------------------


@dataclass(frozen=True)
class FieldUse:
    """A field a template uses (``unit.name``; ``body[].text`` for a field of each item of a list)
    and every place that uses it."""

    path: str
    places: list[str]


@dataclass
class _Reading:
    uses: list[_Use]
    problems: list[Problem]


def _read_lines(sources: list[list[_Line]], env: SandboxedEnvironment, word: bool) -> _Reading:
    """Read every tag of every part (``word``: the parts of a .docx, with docxtpl's own checks)."""
    uses: list[_Use] = []
    problems: list[Problem] = []
    for lines in sources:
        patcher = DocxTemplate(str(lines[0].file)) if word and lines else None
        reader = _Reader(env)
        tags: list[_Tag] = []
        for line in lines:
            found = _tags(line, reader.problems)
            if patcher is not None:
                for tag in _split_tags(line, found, patcher):
                    reader.problems.append(
                        _problem(
                            line,
                            f"Thẻ “{tag.raw}” bị Word tách thành nhiều đoạn chữ mà docxtpl không nối lại "
                            "được (ở giữa có chữ đã xóa khi theo dõi thay đổi, hoặc mã của một trường).",
                            "Chấp nhận các thay đổi (Review → Accept All Changes), xóa thẻ rồi gõ lại "
                            "cả thẻ một lần.",
                        )
                    )
            for tag in found:
                _check_characters(tag, reader.problems)
                if tag.mark == "{%" and not tag.prefix and (loose := _LOOSE_PREFIX.match(tag.inner)):
                    reader.problems.append(
                        _problem(
                            line,
                            f"Thẻ “{tag.raw}” viết tách '{loose[1]}' khỏi '{{%': docxtpl chỉ nhận "
                            f"{{%{loose[1]} {loose[2]} … %}} viết liền, cách một dấu cách thường.",
                            f"Gõ lại thẻ thành {{%{loose[1]} {loose[2]} … %}}.",
                        )
                    )
                    continue
                reader.read(tag)
            tags += found
        reader.finish()
        if word:
            problems += _structural(lines, tags)
            problems += _typed_numbers(lines)
        uses += reader.uses
        problems += reader.problems
    return _Reading(uses, problems)


def _check_characters(tag: _Tag, problems: list[Problem]) -> None:
    if tag.mark != "{#" and any(q in tag.raw for q in "“”‘’"):
        problems.append(
            _problem(
                tag.line,
                f"Thẻ “{tag.raw}” có dấu nháy cong do Word tự sửa: docxtpl đổi lại thành nháy thẳng, "
                "nên một dấu nháy cong cố ý đặt trong chuỗi cũng bị đổi theo.",
                "Gõ lại dấu nháy thẳng (\" hoặc '); tắt File → Options → Proofing → AutoCorrect Options → "
                "AutoFormat As You Type → “Straight quotes” with “smart quotes”.",
                Severity.WARNING,
            )
        )


def _text_fields(document: YamlDocument, spec: ProfileSpec, file: Path) -> list[list[_Line]]:
    """The text fields of profile.yaml rendered with Jinja (trích yếu, câu kết, tiêu đề phụ lục)."""
    paths: list[tuple[str | int, ...]] = [("title",), ("closing",)]
    if spec.appendix is not None:
        paths += [("appendix", "title", i) for i in range(len(spec.appendix.title))]
    lines = []
    for path in paths:
        value: Any = spec.model_dump()
        for key in path:
            value = value[key]
        line = document.line_of(path)
        where = f"{PROFILE_FILE}, dòng {line}" if line else f"{PROFILE_FILE}, {'.'.join(map(str, path))}"
        lines.append([_Line(PROFILE_FILE, where, value, file=file)])
    return lines


def _grouped(uses: list[_Use]) -> list[FieldUse]:
    places: dict[str, list[str]] = {}
    for use in uses:
        found = places.setdefault(use.path, [])
        if use.tag.where not in found:
            found.append(use.tag.where)
    return [FieldUse(path, where) for path, where in places.items()]


def template_fields(name: str) -> list[FieldUse]:
    """Every field the profile ``name`` uses, in order of first use: those of its Word template, then
    those of its profile.yaml text fields, each with the places that use it."""
    folder = profile_folder(name)
    env = make_environment()
    sources = _read_template(folder / TEMPLATE_FILE)
    uses = _read_lines(sources, env, word=True).uses
    try:
        document = load_yaml(folder / PROFILE_FILE)
        spec = ProfileSpec.model_validate(document.data)
    except (CchcError, ValidationError):
        return _grouped(uses)
    return _grouped(uses + _read_lines(_text_fields(document, spec, folder / PROFILE_FILE), env, False).uses)


def check_profile(name: str) -> list[Problem]:
    """Check the profile ``name``: its Word template, its profile.yaml, and how the two fit the layout.

    Every problem is found in one run, each with its place, in the order of the files; raises
    :class:`CheckFailed` when any is an error, returns the warnings otherwise.
    """
    folder = profile_folder(name)
    profile_file, template = folder / PROFILE_FILE, folder / TEMPLATE_FILE
    env = make_environment()
    problems: list[Problem] = []
    spec = document = None
    try:
        document = load_yaml(profile_file)
        spec = ProfileSpec.model_validate(document.data)
    except CchcError as exc:
        problems += exc.problems
    except ValidationError as exc:
        assert document is not None  # the YAML was read; its content is what failed
        problems += problems_from_validation(exc, document, model=ProfileSpec)
    sources: list[list[_Line]] = []
    if not template.is_file():
        problems.append(
            Problem(f"Bộ mẫu '{name}' thiếu tệp {TEMPLATE_FILE}.", folder, None, "Đặt tệp Word mẫu vào đây.")
        )
    else:
        try:
            sources = _read_template(template)
        except CchcError as exc:
            problems += exc.problems
    # Without a readable template, only profile.yaml is checked.
    reading = _read_lines(sources, env, word=True) if sources else None
    if reading is not None:
        problems += reading.problems
    # With profile.yaml broken, the template is checked against every field any profile can have.
    profile = Profile(folder, spec or _EVERY_FIELD)
    base = _sample_context(profile, env)
    if reading is not None:
        problems += _absent(reading.uses, set(_paths(base)))
    if spec is not None and document is not None:
        problems += _check_spec(profile, document)
        texts = _read_lines(_text_fields(document, spec, profile_file), env, word=False)
        problems += texts.problems
        problems += _absent(texts.uses, set(_paths({k: base[k] for k in ("unit", "period")})))
        if reading is not None:
            problems += _unused(profile, document, {u.path for u in reading.uses})
    order: dict[str, int] = {}
    for index, line in enumerate(line for lines in sources for line in lines):
        order.setdefault(line.where, index)
    problems.sort(key=lambda p: (p.file != profile_file, _position(p.location, order)))
    if any(p.severity == Severity.ERROR for p in problems):
        raise CheckFailed(problems, checked=2)
    return problems


def _position(location: str | None, order: dict[str, int]) -> int:
    """Where a problem is, to list problems in the order of their file: a template paragraph's rank, or
    the line of profile.yaml."""
    if location in order:
        return order[location]
    line = re.search(r"dòng (\d+)", location or "")
    return int(line[1]) if line else 0


def _absent(uses: list[_Use], available: set[str]) -> list[Problem]:
    """Uses of fields the layout never gives, each with the fields it does give at that level."""
    problems = []
    for use in uses:
        if use.path in available:
            continue
        parent = use.path.rpartition(".")[0]
        while parent and parent not in available:
            parent = parent.rpartition(".")[0]
        siblings = sorted(
            p
            for p in available
            if p.rpartition(".")[0] == parent and not p.endswith("[]") and "[]." not in p[len(parent) :]
        )
        close = difflib.get_close_matches(use.path, sorted(available), n=1)
        given = f"Các trường {'của ' + repr(parent) if parent else 'dùng được'}: {', '.join(siblings)}."
        problems.append(
            _problem(
                use.tag.line,
                f"Mẫu dùng trường '{use.path}' mà chương trình không cung cấp.",
                f"Có phải ý bạn là '{close[0]}'? {given}" if close else given,
            )
        )
    return problems


def _check_spec(profile: Profile, document: YamlDocument) -> list[Problem]:
    """What the schema cannot see: repeated keys and codes, and two profiles of one series taking
    over on the same day."""
    spec, file = profile.spec, profile.folder / PROFILE_FILE
    problems = []

    def at(path: tuple[str | int, ...]) -> str | None:
        line = document.line_of(path)
        return f"dòng {line}" if line else None

    keys: set[str] = set()
    for index, item in enumerate(spec.outline):
        if item.key in keys:
            problems.append(
                Problem(
                    f"Đề cương có hai mục cùng key '{item.key}': mục sau không bao giờ được dùng.",
                    file,
                    at(("outline", index, "key")),
                    "Đặt cho mỗi mục một key riêng.",
                )
            )
        keys.add(item.key)
    codes: set[str] = set()
    for path, indicator in _indicators_with_paths(spec):
        if indicator.code and indicator.code in codes:
            problems.append(
                Problem(
                    f"Danh mục chỉ tiêu có hai chỉ tiêu cùng mã '{indicator.code}'.",
                    file,
                    at((*path, "code")),
                    "Đặt cho mỗi chỉ tiêu một mã riêng.",
                )
            )
        if indicator.code:
            codes.add(indicator.code)
        elif not indicator.items:
            problems.append(
                Problem(
                    f"Chỉ tiêu “{indicator.label}” không có mã (code) nên không nhập được số liệu.",
                    file,
                    at(path),
                    "Thêm 'code' cho chỉ tiêu, hoặc xóa dòng này.",
                    Severity.WARNING,
                )
            )
    if spec.series and spec.valid_from:
        for other in available_profiles():
            if other == profile.folder:
                continue
            try:
                validity = profile_validity(other)
            except CchcError:
                continue
            if validity.series == spec.series and validity.valid_from == spec.valid_from:
                problems.append(
                    Problem(
                        f"Bộ mẫu '{other.name}' cùng loại '{spec.series}' cũng áp dụng từ "
                        f"{spec.valid_from:%d/%m/%Y}: không biết dùng bộ nào.",
                        file,
                        at(("valid_from",)),
                        "Sửa 'valid_from' cho đúng ngày văn bản hướng dẫn mới có hiệu lực.",
                    )
                )
    return problems


def _indicators_with_paths(spec: ProfileSpec) -> Iterator[tuple[tuple[str | int, ...], Indicator]]:
    if spec.appendix is None:
        return
    stack: list[tuple[tuple[str | int, ...], Indicator]] = [
        (("appendix", "indicators", i), item) for i, item in enumerate(spec.appendix.indicators)
    ]
    while stack:
        path, indicator = stack.pop(0)
        yield path, indicator
        stack[:0] = [((*path, "items", i), item) for i, item in enumerate(indicator.items)]


def _unused(profile: Profile, document: YamlDocument, used: set[str]) -> list[Problem]:
    """Outline items and indicators that never reach the document: the template does not print the
    body the outline describes, or the appendix table the indicators are rows of."""
    spec, file = profile.spec, profile.folder / PROFILE_FILE
    problems = []
    if spec.outline and "body[].text" not in used:
        titles = ", ".join(f"“{item.title}”" for item in spec.outline)
        problems.append(
            Problem(
                f"Mẫu Word không in nội dung các mục (body), nên các mục đề cương {titles} không bao giờ "
                "có trong báo cáo.",
                file,
                f"dòng {document.line_of(('outline',))}",
                "Thêm vào mẫu vòng lặp {%p for b in body %} … {%p endfor %}, hoặc xóa 'outline'.",
                Severity.WARNING,
            )
        )
    if spec.indicators() and "appendices[].rows[].value" not in used:
        problems.append(
            Problem(
                f"Mẫu Word không in số liệu chỉ tiêu (appendix.rows … r.value), nên {len(spec.indicators())} "
                "chỉ tiêu của danh mục không bao giờ có trong phụ lục.",
                file,
                f"dòng {document.line_of(('appendix', 'indicators'))}",
                "Thêm vào mẫu bảng phụ lục chỉ tiêu (xem templates/bao-cao-dinh-ky), hoặc xóa danh mục.",
                Severity.WARNING,
            )
        )
    return problems
