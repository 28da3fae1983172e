"""Rendering a profile's Word template with docxtpl, safely.

docxtpl's defaults lose data silently (see shared/docs/pitfalls.md): it renders without autoescape, prints
missing values as empty strings and "recovers" broken XML. Here autoescape is on, a missing value is an
error naming the field, the unit and the template paragraph, every rendered XML part is parsed again with
a strict parser, and the output is written to a temporary file that is renamed into place only when
complete. :class:`CompiledTemplate` does docxtpl's work once per template, for batches of many units.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import io
import os
import re
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from xml.parsers import expat

from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from cchc_gen.errors import OutputError, Problem, TemplateProblem, os_reason
from cchc_gen.model.pictures import PlacedPicture, placing
from cchc_gen.render import template_cache
from cchc_gen.render.filters import FILTERS
from cchc_gen.render.marks import RESERVED, apply_marks
from cchc_gen.render.sandbox import RENDER_ERRORS, BoundedEnvironment, explain

if TYPE_CHECKING:
    import docx.document
    from docxtpl import DocxTemplate

_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH_START = re.compile(r"<w:p([ >])")
# Fastest deflate: a report's XML still shrinks about tenfold, for half the time of the default level.
_COMPRESSION = 1
# The parts no tag touches are deflated once per template: at the smallest size, whatever it costs.
_FIXED_COMPRESSION = 9
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01, the zip format's earliest date
_NAMESPACE_DECLARATION = re.compile(rb' xmlns(?::([^=]+))?="([^"]*)"')
# In a table: a table ending, a table, row, cell or content control starting, a cell's span, a grid column,
# a fixed row's mark.
_TABLE_TOKEN = re.compile(
    rb'<(?:(/)w:tbl>|w:(tbl|tr|tc|sdt)[ />]|w:gridSpan w:val="(\d+)"/>|w:gridCol[ />]'
    rb"|!--cchc:row:(\d+):(\d+)-->)"
)
# Put by the compiled body template after the start of each table whose grid no render can change.
_FIXED_GRID = b"<!--cchc:fixed-grid-->"
# Put by the compiled body template before each table row whose cells no render can change, with their
# number and the grid columns they span ("<!--cchc:row:5:5-->"): see :func:`_mark_fixed_rows`.
_FIXED_ROW = b"<!--cchc:row:"
_VALUE_IN_TAG = re.compile(rb"<[^>]*\{\{")
_ROW = re.compile(rb"<w:tr[ >].*?</w:tr>", re.DOTALL)
_COMPILED_TEXTS = 256
_UMASK = os.umask(0o022)  # read once at import: os.umask can only be read by setting it
os.umask(_UMASK)
_LISTING_CHARACTERS = "\t\a\n\f"


class _MissingValue(StrictUndefined):
    """A missing value is an error that names the field, in Vietnamese."""

    @property
    def _undefined_message(self) -> str:
        return self._undefined_hint or f"mẫu dùng trường '{self._undefined_name}' mà dữ liệu không có"


class _Environment(BoundedEnvironment):
    """The bounded sandbox, compiling each template text once: a batch lays out the same profile texts (title,
    closing, appendix title) for every unit, and compiling costs more than rendering."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: dict[str, Template] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            if len(self._compiled) >= _COMPILED_TEXTS:
                self._compiled.clear()
            self._compiled[source] = template_cache.compiled(self, source)
        return self._compiled[source]


def make_environment() -> SandboxedEnvironment:
    """The one Jinja environment of cchc_gen: sandboxed and bounded (:mod:`cchc_gen.render.sandbox`),
    autoescaped, strict about missing values."""
    env = _Environment(autoescape=True, undefined=_MissingValue, keep_trailing_newline=True)
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


@dataclass(frozen=True)
class _PartTemplate:
    """One templated XML part: docxtpl's patched source and its compiled template."""

    member: str
    patched: str
    template: Template
    env: SandboxedEnvironment
    encoding: str = "utf-8"


def _paragraph_per_line(xml: str) -> str:
    """The source as docxtpl renders it, each paragraph on a line of its own, so that Jinja's line
    numbers name a paragraph. Rendering without the line breaks gives the same XML, faster (docxtpl takes
    them out again), so they are only put in to locate an error."""
    return _PARAGRAPH_START.sub(r"\n<w:p\1", xml)


@dataclass(frozen=True)
class _Member:
    """A zip member, already deflated."""

    name: str
    crc: int
    size: int
    deflated: bytes

    @classmethod
    def of(cls, name: str, data: bytes, level: int = _COMPRESSION) -> _Member:
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        return cls(name, zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush())


@dataclass(frozen=True)
class _Build:
    """What docxtpl and python-docx make of a template, once: docxtpl's patched source of each templated
    part, the document around its body, the core properties with a mark where each goes, and the parts
    no tag touches, deflated. Made of what ``marshal`` writes, so that it is kept between runs
    (:mod:`cchc_gen.render.template_cache`)."""

    body: tuple[str, str, str]  # member, patched source, encoding
    headers_footers: tuple[tuple[str, str, str], ...]
    footnotes: tuple[tuple[str, str, str], ...]
    properties: tuple[tuple[str, str], ...]  # name, template text
    core: tuple[str, bytes]  # member, XML with a mark as the text of each property
    document_head: bytes
    document_tail: bytes
    root_namespaces: dict[bytes, bytes]
    members: tuple[str | tuple[str, int, int, bytes], ...]  # templated member, or a _Member's fields

    @classmethod
    def kept(cls, template: bytes) -> _Build | None:
        """The build kept for a template of these bytes, or None."""
        kept = template_cache.load_build(template)
        with contextlib.suppress(TypeError, ValueError):
            return cls(*kept) if kept is not None else None
        return None

    @classmethod
    def of(cls, template: Path) -> _Build:
        """docxtpl's work on ``template`` (it and python-docx are loaded only here)."""
        from docx.opc.constants import CONTENT_TYPE as CT
        from docx.opc.oxml import serialize_part_xml
        from docx.oxml.ns import qn
        from docxtpl import DocxTemplate

        docxtpl = DocxTemplate(str(template))
        docxtpl.render_init()
        document = docxtpl.docx
        patched_body = _mark_fixed_rows(_mark_fixed_grids(docxtpl.patch_xml(docxtpl.get_xml())))
        body = ("word/document.xml", patched_body, "utf-8")
        root = document.element
        # The document around its body, as python-docx serializes it: the body is spliced in between.
        serialized = serialize_part_xml(root)
        body_tag = root.find(qn("w:body"))
        head = serialized[: serialized.index(f"<{body_tag.prefix}:body".encode())]
        tail_start = serialized.rindex(f"</{body_tag.prefix}:body>".encode())
        headers_footers = []
        for uri in (docxtpl.HEADER_URI, docxtpl.FOOTER_URI):
            for _, part in docxtpl.get_headers_footers(uri):
                xml = docxtpl.get_part_xml(part)
                encoding = docxtpl.get_headers_footers_encoding(xml)
                headers_footers.append((part.partname.membername, docxtpl.patch_xml(xml), encoding))
        parts = list(document.part.package.iter_parts())
        footnotes = tuple(
            (part.partname.membername, docxtpl.patch_xml(part.blob.decode("utf-8")), "utf-8")
            for part in parts
            if part.content_type == _FOOTNOTES
        )
        core = document.core_properties
        properties = tuple((name, getattr(core, name)) for name in _PROPERTIES)
        for name in _PROPERTIES:
            setattr(core, name, _property_mark(name))
        core_part = next(part for part in parts if part.content_type == CT.OPC_CORE_PROPERTIES)
        # What python-docx writes for the parts no tag touches, in its order, deflated once, as small as
        # deflate makes them: a quarter smaller reports for no time per report.
        templated = {member for member, *_ in (body, *headers_footers, *footnotes)}
        templated.add(core_part.partname.membername)
        package = io.BytesIO()
        document.save(package)
        with zipfile.ZipFile(package) as archive:
            members = tuple(
                name
                if name in templated
                else dataclasses.astuple(_Member.of(name, archive.read(name), _FIXED_COMPRESSION))
                for name in archive.namelist()
            )
        return cls(
            body,
            tuple(headers_footers),
            footnotes,
            properties,
            (core_part.partname.membername, core_part.blob),
            head,
            serialized[tail_start + len(f"</{body_tag.prefix}:body>") :],
            {(prefix or "").encode(): uri.encode() for prefix, uri in root.nsmap.items()},
            members,
        )


_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
# python-docx's parser (docx.oxml.parser), without its element classes: they change nothing written.
_PART_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
_WORD_PROPERTY_LENGTH = 255  # python-docx refuses a longer core property: Word would not keep it


def _property_mark(name: str) -> str:
    return f"cchc-property:{name}"


class CompiledTemplate:
    """A profile's Word template, patched and compiled once, rendered for many reports.

    ``DocxTemplate.render()`` re-runs about 15 regex passes over the XML and compiles the Jinja template
    on every call, then python-docx serializes and deflates every part of the package again (pitfalls.md
    §8). Here the patched XML, the compiled templates and the deflated bytes of the parts no tag touches
    are built once, and kept between runs (:mod:`cchc_gen.render.template_cache`); a render runs the
    templates and little else, and loads docxtpl only for what only it does (a table whose grid may change,
    pictures, text with tabs or line breaks). Every part holds the same XML as after docxtpl's ``render()``
    + ``save()`` for the same template and context (tests/test_batch.py compares their canonical form),
    and the same context gives the same bytes, since the zip carries no timestamp.

    Missing values are errors naming the field, the unit and the template paragraph; every rendered part
    is parsed again with a strict parser.
    """

    def __init__(self, template: Path, env: SandboxedEnvironment) -> None:
        self.template_path = template
        self._source = template.read_bytes()
        build = _Build.kept(self._source)
        built = build is None
        if build is None:
            build = _Build.of(template)
        self._body = self._compile(*build.body, env)
        self._headers_footers = [self._compile(*part, env) for part in build.headers_footers]
        self._footnotes = [self._compile(*part, env) for part in build.footnotes]
        self._properties = [(name, self._compile_text(text, env)) for name, text in build.properties]
        self._core_member, self._core_xml = build.core
        self._document_head, self._document_tail = build.document_head, build.document_tail
        self._root_namespaces = build.root_namespaces
        self._members: list[_Member | str] = [m if isinstance(m, str) else _Member(*m) for m in build.members]
        if built:  # kept once every part compiles
            template_cache.store_build(self._source, dataclasses.astuple(build))

    @cached_property
    def _docxtpl(self) -> DocxTemplate:
        """docxtpl, for what only it does: loaded by the reports that need it."""
        from docxtpl import DocxTemplate

        return DocxTemplate(str(self.template_path))

    def _compile(self, member: str, patched: str, encoding: str, env: SandboxedEnvironment) -> _PartTemplate:
        try:
            template = env.from_string(patched)
        except TemplateError:
            lined = _paragraph_per_line(patched)
            try:
                env.from_string(lined)
            except TemplateError as exc:
                raise self._located(exc, lined, "") from None
            raise
        return _PartTemplate(member, patched, template, env, encoding)

    def _compile_text(self, text: str, env: SandboxedEnvironment) -> Template:
        try:
            return env.from_string(text)
        except TemplateError as exc:
            raise self._property_problem(exc, f"“{text[:80]}”") from None

    def render_bytes(self, context: dict[str, Any], where: str) -> bytes:
        """The rendered .docx as bytes; ``where`` names the unit and period for error messages."""
        pictures = _Pictures(self._source)
        with placing(pictures.place):
            pictures.member = self._body.member
            parts = {self._body.member: self._render_body(context, where)}
            for part in self._headers_footers:
                pictures.member = part.member
                xml = self._render_part(part, context, where).encode(part.encoding)
                parts[part.member] = _serialized(self._parse(xml, _parse_part, where))
            for part in self._footnotes:
                pictures.member = part.member
                xml = self._render_part(part, context, where).encode("utf-8")
                self._parse(xml, _check_well_formed, where)
                parts[part.member] = xml
        parts[self._core_member] = self._render_core(context, where)
        if pictures.document is not None:
            return _zip(pictures.members(parts))
        return _zip([m if isinstance(m, _Member) else _Member.of(m, parts[m]) for m in self._members])

    def _render_core(self, context: dict[str, Any], where: str) -> bytes:
        """The core properties (title, subject…) rendered, as python-docx writes them."""
        root = etree.fromstring(self._core_xml, _PART_PARSER)
        marked = {element.text: element for element in root}
        for name, template in self._properties:
            value = self._render_text(template, context, where)
            try:
                if len(value) > _WORD_PROPERTY_LENGTH:
                    raise ValueError
                marked[_property_mark(name)].text = value
            except ValueError:
                raise TemplateProblem.single(
                    f"Thuộc tính của tệp Word (File → Info → Properties) có giá trị dài quá "
                    f"{_WORD_PROPERTY_LENGTH} ký tự hoặc chứa ký tự điều khiển khi dựng báo cáo {where}.",
                    file=self.template_path,
                    fix="Rút ngắn thuộc tính tệp trong Word, hoặc sửa dữ liệu mà thuộc tính đó dùng.",
                ) from None
        return _serialized(root)

    def _render_body(self, context: dict[str, Any], where: str) -> bytes:
        """``word/document.xml``: the rendered body spliced into the document around it.

        docxtpl parses the whole body to fix the column grid of its tables, then python-docx serializes
        it again; that round trip is most of the cost of a render. Here the body is checked by a
        non-building parser, and only the tables that may need their grid fixed go through docxtpl's
        ``fix_tables``; the XML is the same (tests compare the canonical form of every part).
        """
        xml = self._render_part(self._body, context, where).encode("utf-8")
        self._parse(_to_reparse(xml), _check_well_formed, where)
        if b"docPr" in xml:  # pictures: docxtpl renumbers their ids over the whole tree
            tree = self._docxtpl.fix_tables(_unmarked(xml))
            self._docxtpl.docx_ids_index = 1000
            self._docxtpl.fix_docpr_ids(tree)
            body = etree.tostring(tree, encoding="UTF-8")
        else:
            body = _unmarked(self._fix_table_grids(xml))
        return self._document_head + self._without_root_namespaces(body) + self._document_tail

    def _fix_table_grids(self, body: bytes) -> bytes:
        """``body`` with docxtpl's ``fix_tables`` applied to each top-level table whose grid may not
        match its rows; the others are left as they are, which is what fix_tables does with them."""
        body_start = body[: body.index(b">") + 1]
        body_end = b"</" + body_start[1:].split(maxsplit=1)[0].rstrip(b">") + b">"
        pieces, done = [], 0
        for start, end, sure in _tables(body):
            if sure:
                continue
            fixed = self._docxtpl.fix_tables(body_start + _unmarked(body[start:end]) + body_end)[0]
            pieces += [
                body[done:start],
                self._without_root_namespaces(etree.tostring(fixed, encoding="UTF-8")),
            ]
            done = end
        return b"".join([*pieces, body[done:]])

    def _without_root_namespaces(self, xml: bytes) -> bytes:
        """Drop from the first start tag the namespace declarations the document root already makes, as
        lxml does when an element is moved into the document."""
        start = xml.index(b">") + 1
        head = _NAMESPACE_DECLARATION.sub(
            lambda m: b"" if self._root_namespaces.get(m[1] or b"") == m[2] else m[0], xml[:start]
        )
        return head + xml[start:]

    def _render_part(self, part: _PartTemplate, context: dict[str, Any], where: str) -> str:
        try:
            xml = part.template.render(context)
        except RENDER_ERRORS as exc:
            raise self._failure(part, context, where, exc) from None
        # Emphasis, column widths and merged header cells, carried through the template as marks.
        xml = apply_marks(xml)
        # What docxtpl's render_xml_part does after rendering (besides taking out the line breaks it
        # put before each paragraph): escaped tag marks restored, and \t \a \n \f in text turned into
        # runs and paragraphs (a costly pass that changes nothing when there are none).
        if "{" in xml or "}" in xml:
            xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        return self._docxtpl.resolve_listing(xml) if any(c in xml for c in _LISTING_CHARACTERS) else xml

    def _failure(
        self, part: _PartTemplate, context: dict[str, Any], where: str, exc: Exception
    ) -> TemplateProblem:
        """The error at its template paragraph: rendered again from the source with line breaks."""
        source = _paragraph_per_line(part.patched)
        try:
            part.env.from_string(source).render(context)
        except RENDER_ERRORS as located:
            exc = located
        return self._located(exc, source, where)

    def _parse(self, xml: bytes, parse: Callable[[bytes], Any], where: str) -> Any:
        """Parse a rendered part strictly: broken XML is an error, never silently "recovered"."""
        try:
            return parse(xml)
        except (etree.XMLSyntaxError, expat.ExpatError) as exc:
            reason = exc.msg if isinstance(exc, etree.XMLSyntaxError) else expat.ErrorString(exc.code)
            raise TemplateProblem.single(
                f"Mẫu tạo ra nội dung Word hỏng ({reason}) khi dựng báo cáo {where}.",
                file=self.template_path,
                fix="Kiểm tra các thẻ {%p %}, {%tr %} trong mẫu: mỗi thẻ cấu trúc phải nằm trong một "
                "đoạn hoặc một dòng bảng riêng.",
            ) from None

    def _render_text(self, template: Template, context: dict[str, Any], where: str) -> str:
        try:
            return RESERVED.sub("", template.render(context))
        except RENDER_ERRORS as exc:
            raise self._property_problem(exc, f"khi dựng báo cáo {where}") from None

    def _property_problem(self, exc: Exception, detail: str) -> TemplateProblem:
        """A tag in the file's properties (title, subject…) that cannot be compiled or rendered."""
        message, _ = explain(exc)
        return TemplateProblem.single(
            f"{message} (trong thuộc tính của tệp Word, {detail}).",
            file=self.template_path,
            fix="Sửa thuộc tính tệp (File → Info → Properties) trong Word.",
        )

    def _located(self, exc: Exception, source: str, where: str) -> TemplateProblem:
        message, fix = explain(exc)
        line = getattr(exc, "lineno", None) or _template_line(exc)
        location = None
        if line:
            # Each <w:p> is on a line of its own: that line's text is the paragraph.
            lines = source.splitlines()
            text = _TAG.sub("", lines[min(line, len(lines)) - 1]).strip() if lines else ""
            location = f"đoạn mẫu “{text[:80]}”" if text else None
        during = f" (khi dựng báo cáo {where})" if where else ""
        return TemplateProblem([Problem(f"{message}{during}.", self.template_path, location, fix)])

    def write(self, context: dict[str, Any], output: Path, where: str) -> bytes:
        """Render into ``output`` atomically; returns the bytes written."""
        data = self.render_bytes(context, where)
        save_atomically(output, lambda temporary: Path(temporary).write_bytes(data))
        return data


class _Pictures:
    """The pictures of one render. They go where docxtpl's ``InlineImage`` puts them: into a fresh copy of
    the template's package, related to the part being rendered, which then gives the parts that change
    with them (relationships, content types, the media). Reports without pictures never load it."""

    def __init__(self, source: bytes) -> None:
        self.source = source
        self.document: docx.document.Document | None = None
        self.member = ""  # the part being rendered

    def place(self, placed: PlacedPicture) -> str:
        """The runs that show ``placed`` inside the text run printing it, as ``InlineImage`` makes them."""
        from docx import Document
        from docx.oxml.shape import CT_Inline
        from docx.shared import Cm

        if self.document is None:
            self.document = Document(io.BytesIO(self.source))
        parts = self.document.part.package.iter_parts()
        part = next(p for p in parts if p.partname.membername == self.member)
        # StoryPart.new_pic_inline, but naming the picture after its file, as it does for a path.
        rid, image = part.get_or_add_image(io.BytesIO(placed.picture.data))
        width, height = image.scaled_dimensions(Cm(float(placed.width_cm)), None)
        name = PurePosixPath(placed.picture.name).name
        inline = CT_Inline.new_pic_inline(part.next_id, rid, name, width, height)
        return f'</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r><w:t xml:space="preserve">'

    def members(self, rendered: dict[str, bytes]) -> list[_Member]:
        """Every member of the package with its pictures, the rendered parts in place of the template's."""
        assert self.document is not None
        package = io.BytesIO()
        self.document.save(package)
        with zipfile.ZipFile(package) as archive:
            return [_Member.of(name, rendered.get(name) or archive.read(name)) for name in archive.namelist()]


def _parse_part(xml: bytes) -> etree._Element:
    return etree.fromstring(xml, _PART_PARSER)


def _serialized(part: etree._Element) -> bytes:
    """A part's XML as python-docx writes it (docx.opc.oxml.serialize_part_xml)."""
    return etree.tostring(part, encoding="UTF-8", standalone=True)


def _check_well_formed(xml: bytes) -> None:
    """Parse without building a tree: fast, and as strict as lxml about well-formedness."""
    expat.ParserCreate().Parse(xml, True)


def _tables(body: bytes) -> Iterator[tuple[int, int, bool]]:
    """Each table of ``body`` that is not inside another: its start and end, and whether its grid
    surely matches its rows, so that docxtpl's fix_tables would leave it unchanged: no row has more
    cells than the grid has columns, and some row spans the whole grid. Nested tables and content
    controls around cells are not counted here, so a table holding them is never sure. One pass of a
    regular expression: a report is mostly tables, and scanning it is the cost; a table the template
    marked as of a fixed grid (:func:`_mark_fixed_grids`) is skipped whole, a row marked as fixed
    (:func:`_mark_fixed_rows`) counted from its mark."""
    depth = start = columns = widest = 0
    sure = True
    row: list[int] | None = None  # cells and width of the row being read

    def end_row() -> None:
        nonlocal sure, widest
        if row is not None:
            sure = sure and row[0] <= columns
            widest = max(widest, row[1])

    position = 0
    while token := _TABLE_TOKEN.search(body, position):
        position = token.end()
        closing, name, span = token[1], token[2], token[3]
        if depth == 0 and body.startswith(_FIXED_GRID, position):
            position = body.index(b"</w:tbl>", position) + len(b"</w:tbl>")
            yield token.start(), position, True
            continue
        if closing:
            depth -= 1
            if depth == 0:
                end_row()
                yield start, token.end(), sure and widest >= columns
        elif name == b"tbl":
            if depth == 0:
                start, columns, widest, sure, row = token.start(), 0, 0, True, None
            else:
                sure = False
            depth += 1
        elif depth != 1:
            continue
        elif token[4]:
            end_row()
            row = [int(token[4]), int(token[5])]
            position = body.index(b"</w:tr>", position) + len(b"</w:tr>")
        elif name == b"sdt":
            sure = False
        elif name == b"tr":
            end_row()
            row = [0, 0]
        elif name == b"tc" and row is not None:
            row[0] += 1
            row[1] += 1
        elif span and row is not None:
            row[1] += int(span) - 1
        elif not name and not span:  # a grid column
            columns += 1


def _mark_fixed_grids(source: str) -> str:
    """The body template with the tables whose grid matches their rows whatever the data marked.

    A table is fixed when its template rows hold no tag but ``{{ … }}`` and nothing but tags lies between
    them (rows repeated or left out by ``{%tr %}`` are copies of the template's rows; an escaped value
    cannot add a cell), none has more cells than the grid has columns, and the first row, which comes
    before any tag and so is always there, spans the whole grid: docxtpl's fix_tables leaves such a
    table as it is, in every report. Rendered, it is a run of the template's well-formed rows, so the
    strict reparse can leave it out (:func:`_to_reparse`)."""
    data = source.encode("utf-8")
    pieces, done = [], 0
    for start, end, sure in _tables(data):
        table = data[start:end]
        rows = list(_ROW.finditer(table))
        if not (sure and rows and table.startswith(b"<w:tbl>")) or b"{%" in table[: rows[0].start()]:
            continue
        if any(b"{%" in row[0] or b"safe" in row[0] for row in rows):
            continue
        if b"{{" in _ROW.sub(b"", table):  # a value between rows would be text outside any cell
            continue
        first_row_only = table[: rows[0].end()] + b"</w:tbl>"
        if next(_tables(first_row_only))[2]:
            pieces += [data[done : start + len(b"<w:tbl>")], _FIXED_GRID]
            done = start + len(b"<w:tbl>")
    return b"".join([*pieces, data[done:]]).decode("utf-8")


def _mark_fixed_rows(source: str) -> str:
    """The body template with a mark before each row of a table whose cells no data can change, giving
    their number and the grid columns they span.

    A row is fixed when it holds no tag but ``{{ … }}``, each in text (never in an attribute, such as a
    cell's span), and no table or content control: rendered, it has the template's cells, and it is
    well-formed whatever the values, since they are escaped. Rows repeated by ``{%tr %}`` are copies of
    it, mark included. The grid check counts such a row from its mark (:func:`_tables`) and the strict
    reparse leaves it out (:func:`_to_reparse`): the indicator appendix is hundreds of them. The rows of
    a table holding another table, or already of a fixed grid, are not marked."""
    data = source.encode("utf-8")
    pieces, done = [], 0
    for start, end, _ in _tables(data):
        table = data[start:end]
        nested = table.count(b"<w:tbl>") + table.count(b"<w:tbl ") > 1
        if nested or table.startswith(b"<w:tbl>" + _FIXED_GRID):
            continue
        for row in _ROW.finditer(table):
            text = row[0]
            if any(part in text for part in (b"{%", b"safe", b"<w:tbl", b"<w:sdt")) or _VALUE_IN_TAG.search(
                text
            ):
                continue
            tokens = list(_TABLE_TOKEN.finditer(text))
            cells = sum(token[2] == b"tc" for token in tokens)
            width = cells + sum(int(token[3]) - 1 for token in tokens if token[3])
            at = start + row.start()
            pieces += [data[done:at], _FIXED_ROW + b"%d:%d-->" % (cells, width)]
            done = at
    return b"".join([*pieces, data[done:]]).decode("utf-8")


def _to_reparse(xml: bytes) -> bytes:
    """``xml`` with the rows of its fixed tables and its fixed rows left out: what the strict reparse must
    still read."""
    first, *rest = xml.split(_FIXED_GRID)
    end = b"</w:tbl>"
    xml = first + b"".join(end + piece[piece.index(end) + len(end) :] for piece in rest)
    first, *rest = xml.split(_FIXED_ROW)
    end = b"</w:tr>"
    return first + b"".join(piece[piece.index(end) + len(end) :] for piece in rest)


def _unmarked(xml: bytes) -> bytes:
    """``xml`` without the marks of fixed tables and rows."""
    xml = xml.replace(_FIXED_GRID, b"")
    first, *rest = xml.split(_FIXED_ROW)
    end = b"-->"
    return first + b"".join(piece[piece.index(end) + len(end) :] for piece in rest)


def _zip(members: list[_Member]) -> bytes:
    """A zip archive of deflated members, with no timestamp (1980-01-01), so equal input gives equal bytes."""
    out = bytearray()
    directory = bytearray()
    for member in members:
        name = member.name.encode("utf-8")
        flags = 0x800 if not name.isascii() else 0
        fields = (20, flags, 8, 0, _DOS_DATE, member.crc, len(member.deflated), member.size, len(name))
        directory += struct.pack("<4sH5H3L5H2L", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, len(out)) + name
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields, 0) + name + member.deflated
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(out), 0
    )
    return bytes(out + directory + end)


def render_docx(
    template: Path, context: dict[str, Any], output: Path, where: str, env: SandboxedEnvironment
) -> None:
    """Render ``template`` with ``context`` into ``output`` atomically; ``where`` names unit and period."""
    CompiledTemplate(template, env).write(context, output, where)


def save_atomically(output: Path, save: Any, what: str = "báo cáo", program: str = "Word") -> None:
    """Call ``save(path)`` on a temporary file beside ``output``, then rename it into place.

    Whatever fails (a full disk, a read-only folder, an interruption), the temporary file is removed and
    ``output`` is as it was; an operating system error is an :class:`OutputError` in Vietnamese. ``what``
    and ``program`` name the file and the program that may hold it open, in messages."""
    temporary: str | None = None
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
        os.close(handle)
        save(temporary)
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes the file private; a report is shared
        os.replace(temporary, output)
        temporary = None
    except OSError as exc:
        raise _output_error(output, exc, what, program) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def write_atomically(output: Path, content: str | bytes, what: str, program: str) -> None:
    """:func:`save_atomically` of ``content`` (text is written in UTF-8)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    save_atomically(output, lambda temporary: Path(temporary).write_bytes(data), what, program)


_OUTPUT_FIXES = {
    errno.ENOSPC: "Giải phóng dung lượng đĩa (xóa tệp không cần, dọn Thùng rác) hoặc ghi sang ổ khác bằng "
    "tùy chọn -o, rồi chạy lại.",
    errno.EROFS: "Ghi sang thư mục khác bằng tùy chọn -o; nếu là USB hoặc thẻ nhớ, gạt khóa chống ghi, hoặc "
    "chép dữ liệu vào máy rồi chạy lại.",
    errno.ENAMETOOLONG: "Đặt tên tệp ngắn hơn, hoặc ghi vào thư mục gần gốc ổ đĩa hơn bằng tùy chọn -o.",
    errno.EIO: "Kiểm tra ổ đĩa hoặc USB (cắm lại, thử ổ khác), rồi chạy lại.",
}
_OUTPUT_FIXES[getattr(errno, "EDQUOT", errno.ENOSPC)] = _OUTPUT_FIXES[errno.ENOSPC]


def _output_error(output: Path, exc: OSError, what: str, program: str) -> OutputError:
    fix = _OUTPUT_FIXES.get(
        exc.errno or 0, "Chọn thư mục khác bằng tùy chọn -o, hoặc kiểm tra quyền ghi và dung lượng đĩa."
    )
    if isinstance(exc, PermissionError):
        fix = f"Đóng tệp này nếu đang mở trong {program}, kiểm tra quyền ghi, hoặc chọn tệp khác bằng -o."
    return OutputError([Problem(f"Không ghi được {what}: {os_reason(exc)}.", output, None, fix)])
