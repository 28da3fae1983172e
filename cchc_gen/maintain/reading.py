"""A profile's Word template and its text fields read as the maintainer sees them, with the tags in them.

A template is read as Word shows it: the paragraphs of the body, then of the headers and the footers,
each with its place in the words of :mod:`cchc_gen.nd30.walk` ("đoạn 12", "bảng 3, dòng 1, ô 2") and its
text as the runs Word split it into. The docxtpl tags are found in that text and read one by one, with a
block structure kept here, so that every problem is reported in one run at its own paragraph, where Jinja
would stop at the first error and often point at the end of the document (pitfalls.md §3). The text
fields of profile.yaml (trích yếu, câu kết, tiêu đề phụ lục) are read the same way, one line each.

``cchc template fields`` (:mod:`cchc_gen.maintain.fields`) lists the fields the tags use;
``cchc template check`` (:mod:`cchc_gen.maintain.lint`) reports the problems and checks the rest.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from cchc_gen.errors import Problem, Severity, TemplateProblem
from cchc_gen.model.profile import PROFILE_FILE, ProfileSpec
from cchc_gen.nd30.walk import ParagraphNode, paragraphs, walk
from cchc_gen.source.safety import check_template
from cchc_gen.source.yaml_file import YamlDocument

# A docxtpl tag as Word shows it; a structural prefix (p, tr, tc, r) follows the opening mark directly.
TAG = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}|\{#(.*?)#\}", re.DOTALL)
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


@dataclass(frozen=True)
class Line:
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


def read_template(path: Path) -> list[list[Line]]:
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


def _line(node: ParagraphNode, part: str, numbered: set[str | None], file: Path) -> Line:
    paragraph = node.element
    runs = tuple(t.text or "" for t in paragraph.iter(qn("w:t")))
    ppr = paragraph.find(qn("w:pPr"))
    style = ppr.find(qn("w:pStyle")) if ppr is not None else None
    style_id = style.get(qn("w:val")) if style is not None else None
    cell = (part, node.cell.table, node.cell.row, node.cell.cell) if node.cell is not None else None
    return Line(
        part,
        f"{part}, {node.where}" if part else node.where,
        "".join(runs),
        runs,
        etree.tostring(paragraph, encoding="unicode"),
        cell,
        _has_numbering(ppr) or style_id in numbered,
        file,
    )


@dataclass(frozen=True)
class Tag:
    """A docxtpl tag of a line: ``mark`` is "{{", "{%" or "{#"; ``inner`` is what Jinja reads, with
    the structural ``prefix`` taken off and curly quotes straightened as docxtpl does."""

    line: Line
    raw: str
    mark: str
    prefix: str
    inner: str
    start: int

    @property
    def where(self) -> str:
        return self.line.where


def _tags(line: Line, problems: list[Problem]) -> list[Tag]:
    """The tags of ``line``; opening or closing marks left without their pair are problems."""
    found = []
    for match in TAG.finditer(line.text):
        mark = match.group()[:2]
        body = next(g for g in match.groups() if g is not None)
        prefix = ""
        if mark != "{#" and (p := _PREFIX.match(body)):
            prefix, body = p[1], body[p.end() :]
        found.append(Tag(line, match.group(), mark, prefix, body.translate(_CURLY_QUOTES), match.start()))
    rest = TAG.sub(lambda m: " " * len(m.group()), line.text)
    for match in [*_OPENING.finditer(rest), *_CLOSING.finditer(rest)]:
        problems.append(
            problem(
                line,
                f"Dấu “{match.group()}” không có dấu {'đóng' if match.group()[0] == '{' else 'mở'} "
                "tương ứng trong cùng đoạn.",
                "Một thẻ phải nằm gọn trong một đoạn: gõ lại cả thẻ trên một dòng, không nhấn Enter "
                "giữa thẻ (docxtpl sẽ nhập hai đoạn làm một).",
            )
        )
    return found


def problem(line: Line, message: str, fix: str | None, severity: Severity = Severity.ERROR) -> Problem:
    return Problem(message, line.file, line.where, fix, severity)


def _normal_tag(text: str) -> str:
    """A tag compared without spacing, structural prefix, whitespace control or curly quotes."""
    text = re.sub(r"^\{([{%#])(?:tr |tc |p |r )?[-+]?", r"{\1", text)
    text = re.sub(r"[-+]?([}%#]\})$", r"\1", text)
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&amp;", "&")):
        text = text.replace(entity, char)
    return "".join(text.translate(_CURLY_QUOTES).split())


def _split_tags(line: Line, tags: list[Tag], patcher: DocxTemplate) -> Iterator[Tag]:
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


@dataclass
class _Block:
    keyword: str
    tags: list[Tag]
    names: dict[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Use:
    path: str
    tag: Tag


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
        self.uses: list[Use] = []
        self.problems: list[Problem] = []

    # fields ---------------------------------------------------------------------------------------

    def lookup(self, name: str) -> str | None:
        for block in reversed(self.stack):
            if name in block.names:
                return block.names[name]
        if name in self.names:
            return self.names[name]
        return None if name in self.env.globals else name

    def path_of(self, node: nodes.Node, tag: Tag) -> str | None:
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

    def use(self, node: nodes.Node, tag: Tag) -> str | None:
        path = self.path_of(node, tag)
        if path:
            self.uses.append(Use(path, tag))
        return path

    def value(self, node: nodes.Node, tag: Tag) -> str | None:
        """Record the uses of a value given a name (``set``, ``with``); its path when it is a field."""
        if _is_chain(node):
            return self.use(node, tag)
        self.expression(node, tag)
        return None

    def source(self, node: nodes.Node, tag: Tag) -> str | None:
        """What a loop goes over: the path of ``rows`` in ``rows``, ``rows | sort``…"""
        while isinstance(node, nodes.Filter) and node.name in _KEEPS_ITEMS and node.node is not None:
            self.filter_name(node.name, tag)
            for child in [*node.args, *node.kwargs]:
                self.expression(child, tag)
            node = node.node
        return self.value(node, tag)

    def expression(self, node: nodes.Node, tag: Tag) -> None:
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            if not (isinstance(node, nodes.Name) and node.ctx == "store"):
                self.use(node, tag)
            return
        if isinstance(node, nodes.Filter):
            self.filter_name(node.name, tag)
        elif isinstance(node, nodes.Test) and node.name not in self.env.tests:
            self.problems.append(
                problem(
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

    def filter_name(self, name: str, tag: Tag) -> None:
        if name not in self.env.filters:
            self.problems.append(
                problem(
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

    def read(self, tag: Tag) -> None:
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
                problem(
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

    def parse(self, tag: Tag, source: str) -> nodes.Template | None:
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
            self.problems.append(problem(tag.line, message, fix))
            return None

    def unknown(self, tag: Tag, keyword: str) -> None:
        close = difflib.get_close_matches(keyword, _KEYWORDS, n=1)
        self.problems.append(
            problem(
                tag.line,
                f"Thẻ “{tag.raw}” dùng lệnh '{keyword}' mà Jinja không có.",
                f"Có phải ý bạn là '{close[0]}'?" if close else "Dùng một lệnh của Jinja: for, if, set…",
            )
        )
        # Read the misspelt tag as the one meant, so that its block does not look unclosed.
        if close:
            lead, _, rest = _statement(tag.inner)
            meant = Tag(tag.line, tag.raw, tag.mark, tag.prefix, f"{lead}{close[0]}{rest}", tag.start)
            if close[0].startswith("end"):
                self.close(meant, close[0][3:], rest)
            elif close[0] in _MIDDLE and self.stack:
                self.stack[-1].tags.append(meant)
            elif close[0] in _BLOCKS:
                self.stack.append(_Block(close[0], [meant]))

    def open(self, tag: Tag, keyword: str) -> None:
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

    def middle(self, tag: Tag, keyword: str, lead: str, rest: str) -> None:
        if not self.stack or self.stack[-1].keyword not in _MIDDLE[keyword]:
            self.problems.append(
                problem(
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
                problem(tag.line, f"Thẻ “{tag.raw}” có nội dung thừa sau 'else'.", "Viết đúng {%p else %}.")
            )

    def close(self, tag: Tag, keyword: str, rest: str) -> None:
        if rest.strip("-+ \t"):
            self.problems.append(
                problem(
                    tag.line,
                    f"Thẻ “{tag.raw}” có nội dung thừa sau 'end{keyword}'.",
                    f"Viết đúng {{%{tag.prefix} end{keyword} %}}.",
                )
            )
        if not self.stack:
            self.problems.append(
                problem(
                    tag.line,
                    f"Thẻ “{tag.raw}” đóng một khối '{keyword}' chưa được mở.",
                    f"Thêm thẻ mở {keyword} phía trước, hoặc xóa thẻ này.",
                )
            )
            return
        block = self.stack[-1]
        if block.keyword != keyword:
            self.problems.append(
                problem(
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
                problem(
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


def _block_places(block: _Block) -> list[Problem]:
    """The tags of one block must sit at one level: {%tr %} in rows of one table, {%tc %} in cells of
    one row, {%p %} in paragraphs of one cell (or of the body), plain tags in one paragraph."""
    tags = block.tags
    first, last = tags[0], tags[-1]
    prefixes = {t.prefix for t in tags}
    if len(prefixes) > 1:
        return [
            problem(
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
        problem(
            last.line,
            f"Khối “{first.raw}” (ở {first.where}) phải mở và đóng trong {where}.",
            "Chuyển thẻ đóng về cùng chỗ với thẻ mở, hoặc dùng loại thẻ hợp với chỗ đặt.",
        )
    ]


def _plain_block_places(tags: list[Tag]) -> list[Problem]:
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
            problem(
                first.line,
                f"Khối “{first.raw}” trải qua nhiều đoạn (đến {last.where}) bằng thẻ thường: khi điều kiện "
                "sai, docxtpl nhập các đoạn còn lại làm một.",
                "Đặt thẻ mở và thẻ đóng vào các đoạn riêng và viết {%p … %}.",
                Severity.WARNING,
            )
        ]
    return [
        problem(
            first.line,
            f"Khối “{first.raw}” trải qua nhiều {across} (đến {last.where}) mà không dùng {tag}: docxtpl "
            "cắt ngang chỗ chứa thẻ, nên bảng dựng ra bị ghép lẫn, thừa hoặc thiếu dòng, ô.",
            f"Đặt thẻ mở và thẻ đóng vào các dòng hoặc ô riêng và viết {tag}, ví dụ "
            "{%tr for r in appendix.rows %} … {%tr endfor %}.",
        )
    ]


def _check_characters(tag: Tag, problems: list[Problem]) -> None:
    if tag.mark != "{#" and any(q in tag.raw for q in "“”‘’"):
        problems.append(
            problem(
                tag.line,
                f"Thẻ “{tag.raw}” có dấu nháy cong do Word tự sửa: docxtpl đổi lại thành nháy thẳng, "
                "nên một dấu nháy cong cố ý đặt trong chuỗi cũng bị đổi theo.",
                "Gõ lại dấu nháy thẳng (\" hoặc '); tắt File → Options → Proofing → AutoCorrect Options → "
                "AutoFormat As You Type → “Straight quotes” with “smart quotes”.",
                Severity.WARNING,
            )
        )


def text_fields(document: YamlDocument, spec: ProfileSpec, file: Path) -> list[list[Line]]:
    """The text fields of profile.yaml rendered with Jinja (trích yếu, câu kết, tiêu đề phụ lục, tên các mục
    của đề cương)."""
    paths: list[tuple[str | int, ...]] = [("title",), ("closing",)]
    if spec.appendix is not None:
        paths += [("appendix", "title", i) for i in range(len(spec.appendix.title))]
    outline: list[tuple[tuple[str | int, ...], Any]] = [
        (("outline", i), item) for i, item in enumerate(spec.outline)
    ]
    while outline:
        path, item = outline.pop(0)
        paths.append((*path, "title"))
        outline += [((*path, "items", i), inner) for i, inner in enumerate(item.items)]
    lines = []
    for path in paths:
        value: Any = spec.model_dump()
        for key in path:
            value = value[key]
        line = document.line_of(path)
        where = f"{PROFILE_FILE}, dòng {line}" if line else f"{PROFILE_FILE}, {'.'.join(map(str, path))}"
        lines.append([Line(PROFILE_FILE, where, value, file=file)])
    return lines


@dataclass
class PartReading:
    """What the tags of one part say (the body, a header, a footer or a text field of profile.yaml): the
    tags, the fields they use, and what is wrong with them one by one."""

    tags: list[Tag]
    uses: list[Use]
    problems: list[Problem]


def read_part(
    lines: list[Line], env: SandboxedEnvironment, patcher: DocxTemplate | None = None
) -> PartReading:
    """Read every tag of one part in order; with ``patcher`` (the part is a Word template's), also find the
    tags that docxtpl would not read whole."""
    reader = _Reader(env)
    tags: list[Tag] = []
    for line in lines:
        found = _tags(line, reader.problems)
        if patcher is not None:
            for tag in _split_tags(line, found, patcher):
                reader.problems.append(
                    problem(
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
                    problem(
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
    return PartReading(tags, reader.uses, reader.problems)


def read_parts(sources: list[list[Line]], env: SandboxedEnvironment) -> PartReading:
    """Read the tags of several parts, one after the other (docxtpl's own checks left out)."""
    found = PartReading([], [], [])
    for lines in sources:
        part = read_part(lines, env)
        found.tags += part.tags
        found.uses += part.uses
        found.problems += part.problems
    return found
