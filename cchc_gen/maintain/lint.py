"""``cchc template check``: a profile checked before a clerk renders a report with it.

Its Word template is read tag by tag (:mod:`cchc_gen.maintain.reading`) and checked for what docxtpl needs
of the structural tags ({%p %}, {%tr %}, {%tc %}: one per paragraph, row or cell, nothing beside it) and
for numbers typed by hand where the layout generates them; its profile.yaml for what the schema cannot
see (repeated keys and codes, two profiles taking over on the same day); and the two together for fields
the layout never gives and parts of the profile the template never prints.

What the layout gives a template is not written down twice: it is read from
:func:`cchc_gen.render.context.build_context` run on a sample report that uses every kind of content.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment
from pydantic import ValidationError

from cchc_gen.errors import CchcError, CheckFailed, Problem, Severity
from cchc_gen.maintain.reading import (
    TAG,
    Line,
    PartReading,
    Tag,
    Use,
    problem,
    read_part,
    read_parts,
    read_template,
    text_fields,
)
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
from cchc_gen.render.context import build_context
from cchc_gen.render.docx import make_environment
from cchc_gen.source.schema_errors import problems_from_validation
from cchc_gen.source.yaml_file import YamlDocument, load_yaml

_HAND_NUMBER = re.compile(r"\s*(?:[IVXLC]+\.|\d+(?:\.\d+)*\.|\d+(?:\.\d+)+|[a-zđ]\))(?=\s)")
_NUMBER_HEADER = {"stt", "tt", "số tt", "số thứ tự"}
_LITERAL_NUMBER = re.compile(r"(?:\d+(?:\.\d+)*|[IVXLC]+)\.?")


def check_profile(name: str) -> list[Problem]:
    """Check the profile ``name``: its Word template, its profile.yaml, and how the two fit the layout.

    Every problem is found in one run, each with its place, in the order of the files; raises
    :class:`CheckFailed` when any is an error, returns the warnings otherwise.
    """
    return check_profile_folder(profile_folder(name))


def check_profile_folder(folder: Path) -> list[Problem]:
    """:func:`check_profile` of the profile in ``folder``, found or not where profiles are looked for (an
    uploaded profile is checked before it is installed); it stands for the profile of its name."""
    name = folder.name
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
    sources: list[list[Line]] = []
    if not template.is_file():
        problems.append(
            Problem(f"Bộ mẫu '{name}' thiếu tệp {TEMPLATE_FILE}.", folder, None, "Đặt tệp Word mẫu vào đây.")
        )
    else:
        try:
            sources = read_template(template)
        except CchcError as exc:
            problems += exc.problems
    # Without a readable template, only profile.yaml is checked.
    reading = _read_word(sources, env) if sources else None
    if reading is not None:
        problems += reading.problems
    # With profile.yaml broken, the template is checked against every field any profile can have.
    profile = Profile(folder, spec or _EVERY_FIELD)
    base = _sample_context(profile, env)
    if reading is not None:
        problems += _absent(reading.uses, set(_paths(base)))
    if spec is not None and document is not None:
        problems += _check_spec(profile, document)
        texts = read_parts(text_fields(document, spec, profile_file), env)
        problems += texts.problems
        problems += _absent(texts.uses, set(_paths({k: base[k] for k in ("unit", "period")})))
        if reading is not None:
            problems += _unused(profile, document, {u.path for u in reading.uses})
    if reading is not None:
        problems += _new_blocks(sources, reading.uses)
    order: dict[str, int] = {}
    for index, line in enumerate(line for lines in sources for line in lines):
        order.setdefault(line.where, index)
    problems.sort(key=lambda p: (p.file != profile_file, _position(p.location, order)))
    if any(p.severity == Severity.ERROR for p in problems):
        raise CheckFailed(problems, checked=2)
    return problems


def _read_word(sources: list[list[Line]], env: SandboxedEnvironment) -> PartReading:
    """Read the tags of every part of a Word template, with docxtpl's own checks and the numbers typed
    by hand, part by part."""
    found = PartReading([], [], [])
    for lines in sources:
        part = read_part(lines, env, DocxTemplate(str(lines[0].file)) if lines else None)
        found.uses += part.uses
        found.problems += _structural(lines, part.tags) + _typed_numbers(lines) + part.problems
    return found


def _position(location: str | None, order: dict[str, int]) -> int:
    """Where a problem is, to list problems in the order of their file: a template paragraph's rank, or
    the line of profile.yaml."""
    if location in order:
        return order[location]
    line = re.search(r"dòng (\d+)", location or "")
    return int(line[1]) if line else 0


def _absent(uses: list[Use], available: set[str]) -> list[Problem]:
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
            problem(
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
                    f"Chỉ tiêu “{indicator.plain_label}” không có mã (code) nên không nhập được số liệu.",
                    file,
                    at(path),
                    "Thêm 'code' cho chỉ tiêu, hoặc xóa dòng này.",
                    Severity.WARNING,
                )
            )
    if spec.series and spec.valid_from:
        for other in available_profiles():
            # A profile of the same name is this one (the one found hides the others, an installed one
            # is replaced).
            if other.name == profile.folder.name:
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


def _sample_context(profile: Profile, env: SandboxedEnvironment) -> dict[str, Any]:
    """The context :func:`build_context` gives this profile's template for a report that uses every
    kind of content: every heading level, a run-in heading, paragraphs with emphasis, an unnumbered
    sub-heading, nested lists whose items hold paragraphs and tables, numbered paragraphs, a table with a
    two-row header and widths, a picture, an appendix table from the data, the data window under the title,
    and the indicator appendix when the profile has a catalogue.

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
    table = {
        "columns": ["Cột", {"title": "Nhóm cột", "columns": ["Cột một", "Cột hai"]}],
        "widths": [3, 2, 2],
        "rows": [["**Ô**", "Ô", "Ô"]],
    }
    content: list[Any] = [
        "Đoạn văn có **chữ đậm** và *chữ nghiêng*.",
        {"subheading": "Tiêu đề không số"},
        {"list": [{"text": "Ý", "sub": ["Ý nhỏ"]}, {"text": "Ý", "content": ["Đoạn", {"table": table}]}]},
        {"list": ["Ý"], "marker": "*"},
        {"numbered": ["Việc"]},
        {"table": table},
        {"image": "anh.png", "caption": "Chú thích"},
    ]
    section: dict[str, Any] = {"heading": "Mục", "text": "Đoạn liền đề mục.", "content": content}
    for _ in spec.numbering:
        section = {"heading": "Mục", "content": [*content, section]}
    codes = list(spec.indicators())
    report = Report.model_validate(
        {
            "unit": unit.code,
            "period": "2024-Q1",
            "number": 1,
            "date": "05/01/2024",
            "data_window": True,
            "lead_in": ["Thực hiện"],
            "sections": [section],
            "appendices": [{"title": ["Phụ lục"], **table}],
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


def _structural(lines: list[Line], tags: list[Tag]) -> list[Problem]:
    """docxtpl replaces the whole paragraph, row or cell of a {%p %}, {%tr %}, {%tc %} tag by the tag
    alone: one such tag per paragraph, row or cell, nothing else beside it, and no '%' or '}' in it."""
    problems: list[Problem] = []
    by_line: dict[int, list[Tag]] = {}
    for tag in tags:
        by_line.setdefault(id(tag.line), []).append(tag)
    for tag in tags:
        if tag.prefix not in ("p", "tr", "tc") or tag.mark != "{%":
            continue
        if "%" in tag.inner or "}" in tag.inner:
            problems.append(
                problem(
                    tag.line,
                    f"Thẻ “{tag.raw}” có dấu '%' hoặc '}}' trong biểu thức: docxtpl không nhận ra thẻ "
                    f"{{%{tag.prefix} %}} này (lỗi docxtpl #644).",
                    "Tính giá trị đó trong một thẻ {% set … %} riêng ở đoạn trước, rồi dùng tên của nó.",
                )
            )
        if tag.prefix in ("tr", "tc") and tag.line.cell is None:
            problems.append(
                problem(
                    tag.line,
                    f"Thẻ “{tag.raw}” nằm ngoài bảng: {{%{tag.prefix} %}} chỉ dùng trong bảng.",
                    "Dùng {%p … %} cho đoạn văn ngoài bảng.",
                )
            )
    for prefix, unit, what in (("p", "line", "đoạn"), ("tr", "row", "dòng bảng"), ("tc", "cell", "ô bảng")):
        groups: dict[tuple[Any, ...], list[Line]] = {}
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
                    problem(
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
                    problem(
                        structural[0].line,
                        f"“{lost}” nằm cùng {what} với thẻ “{structural[0].raw}” và sẽ bị xóa khi dựng "
                        f"báo cáo: docxtpl thay cả {what} bằng thẻ đó.",
                        f"Chuyển phần này sang {what} khác; {what} chứa thẻ chỉ để mình thẻ.",
                    )
                )
    return problems


def _unit_of(line: Line, unit: str) -> tuple[Any, ...] | None:
    if unit == "line":
        return (id(line),)
    if line.cell is None:
        return None
    return line.cell[:3] if unit == "row" else line.cell


def _beside(members: list[Line], tag: Tag) -> str:
    """The text and tags of ``members`` other than ``tag``."""
    rest = []
    for line in members:
        text = line.text
        if line is tag.line:
            text = text[: tag.start] + text[tag.start + len(tag.raw) :]
        if text.strip():
            rest.append(" ".join(text.split()))
    return " ".join(rest)[:60]


def _typed_numbers(lines: list[Line]) -> list[Problem]:
    """Numbers the layout generates (I., 1., 1.1., a), STT) must not be typed in the template, nor
    produced by Word's own list numbering: the report would show them twice or out of step."""
    problems = []
    for line in lines:
        # A tag starts with "{", so a number matched at the start was typed as text.
        if match := _HAND_NUMBER.match(line.text):
            problems.append(
                problem(
                    line,
                    f"Số thứ tự “{match.group().strip()}” được gõ tay trong mẫu; chương trình tự đánh số "
                    "đề mục từ dữ liệu.",
                    "Xóa số gõ tay; đề mục lấy số từ {{ b.number }}.",
                )
            )
        if line.numbered and line.text.strip():
            problems.append(
                problem(
                    line,
                    "Đoạn này được Word đánh số tự động (Numbering); chương trình đã tự đánh số đề mục.",
                    "Chọn đoạn, bấm nút Numbering trên thanh Home để tắt đánh số tự động.",
                )
            )
    cells: dict[tuple[str, int], dict[tuple[int, int], str]] = {}
    for line in lines:
        if line.cell is not None:
            grid = cells.setdefault(line.cell[:2], {})
            grid[line.cell[2:]] = f"{grid.get(line.cell[2:], '')} {TAG.sub('', line.text)}".strip()
    by_place = {line.cell: line for line in lines if line.cell is not None}
    for (part, table), texts in cells.items():
        columns = [c for (r, c), text in texts.items() if r == 1 and text.casefold() in _NUMBER_HEADER]
        for column in columns:
            for (row, c), text in sorted(texts.items()):
                if c == column and row > 1 and _LITERAL_NUMBER.fullmatch(text):
                    problems.append(
                        problem(
                            by_place[(part, table, row, c)],
                            f"Cột STT có số “{text}” gõ tay; chương trình tự đánh số thứ tự các dòng.",
                            "Xóa số trong ô; dùng {{ cell }} (hoặc {{ r.stt }}) của dòng lặp {%tr for %}.",
                        )
                    )
    return problems


def _new_blocks(sources: list[list[Line]], uses: list[Use]) -> list[Problem]:
    """What a template made before the body had unnumbered sub-headings and two-row table headers (a copy of
    an older profile) prints of them: a sub-heading as a plain paragraph, a table with one header row and
    columns of equal width. Each is a warning at the paragraph that prints the body or the table."""
    first: dict[str, Tag] = {}
    for use in uses:
        first.setdefault(use.path, use.tag)
    problems = []
    kinds = {line.text for lines in sources for line in lines if "subheading" in line.text}
    if "body[].text" in first and not kinds:
        problems.append(
            problem(
                first["body[].text"].line,
                'Mẫu không có kiểu riêng cho tiêu đề không đánh số (b.kind == "subheading"): các tiêu đề này '
                "in như đoạn văn thường.",
                'Thêm vào vòng lặp {%p for b in body %} nhánh {%p elif b.kind == "subheading" %} với một '
                "đoạn {{ b.text }} in đậm hoặc nghiêng (xem mẫu của bộ bao-cao-dinh-ky).",
                Severity.WARNING,
            )
        )
    for loop, name in (("body[]", "b"), ("appendices[]", "appendix")):
        columns = first.get(f"{loop}.columns[]") or first.get(f"{loop}.columns")
        if columns is not None and f"{loop}.head" not in first and f"{loop}.head[]" not in first:
            problems.append(
                problem(
                    columns.line,
                    f"Bảng in tiêu đề từ {name}.columns: tiêu đề hai dòng (một ô gộp trên nhiều cột) in "
                    "thành một dòng, và chiều rộng các cột không theo dữ liệu.",
                    f"Thay dòng tiêu đề của bảng bằng {{%tr for hr in {name}.head %}}, một dòng có ba ô "
                    "{%tc for h in hr %} | {% colspan h.span %}{{ h.text }} | {%tc endfor %}, rồi "
                    "{%tr endfor %} (xem mẫu của bộ bao-cao-dinh-ky).",
                    Severity.WARNING,
                )
            )
    return problems
