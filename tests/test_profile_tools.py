"""`cchc template new | fields | check`: a maintainer copies a profile, edits it in Word, and the check finds
every mistake with its place before a clerk renders a report.

The Word edits are made on the .docx XML the way Word stores them: runs split by the spell checker, a
character deleted with Track Changes on, Enter pressed inside a tag, AutoFormat's curly quotes and dashes,
list numbering switched on.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from cchc_gen.cli import main
from cchc_gen.model.profile import profile_name_for, profile_validity
from cchc_gen.vn.periods import Period
from tests.conftest import ROOT

NEW = "bao-cao-moi"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The repository's profiles in a working folder of their own."""
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "templates"


# --- editing a .docx as Word does ------------------------------------------------------------------------


def paragraphs(document: DocumentObject) -> list[Paragraph]:
    """Every paragraph, body and table cells, in document order."""
    found = []
    for element in document.element.body.iter(qn("w:p")):
        found.append(Paragraph(element, document.part))
    return found


def find(document: DocumentObject, text: str, occurrence: int = 0) -> Paragraph:
    matches = [p for p in paragraphs(document) if p.text == text]
    assert len(matches) > occurrence, f"no paragraph {text!r} in the template"
    return matches[occurrence]


def place(document: DocumentObject, paragraph: Paragraph) -> str:
    """Where a paragraph is, as a maintainer finds it: body paragraph number, or table, row and cell."""
    body = list(document.element.body.iterchildren(qn("w:p")))
    if paragraph._p in body:
        return f"đoạn {body.index(paragraph._p) + 1}"
    for t, table in enumerate(document.tables, start=1):
        for r, row in enumerate(table.rows, start=1):
            for c, cell in enumerate(row.cells, start=1):
                inside = list(cell._tc.iterchildren(qn("w:p")))
                if paragraph._p in inside:
                    rank = f", đoạn {inside.index(paragraph._p) + 1}" if len(inside) > 1 else ""
                    return f"bảng {t}, dòng {r}, ô {c}{rank}"
    raise AssertionError(f"paragraph {paragraph.text!r} not found")


def set_runs(paragraph: Paragraph, *pieces: str | OxmlElement) -> None:
    """Replace the text of ``paragraph`` by runs (strings, with the first run's formatting) and other
    elements (proofing marks, tracked deletions) in order."""
    runs = paragraph._p.findall(qn("w:r"))
    properties = runs[0].find(qn("w:rPr")) if runs else None
    for run in runs:
        paragraph._p.remove(run)
    for piece in pieces:
        if isinstance(piece, str):
            run = OxmlElement("w:r")
            if properties is not None:
                run.append(copy.deepcopy(properties))
            text = OxmlElement("w:t")
            text.set(qn("xml:space"), "preserve")
            text.text = piece
            run.append(text)
            paragraph._p.append(run)
        else:
            paragraph._p.append(piece)


def spelling_mark() -> OxmlElement:
    mark = OxmlElement("w:proofErr")
    mark.set(qn("w:type"), "spellStart")
    return mark


def tracked_deletion(text: str) -> OxmlElement:
    deletion = OxmlElement("w:del")
    deletion.set(qn("w:id"), "90")
    deletion.set(qn("w:author"), "Người bảo trì")
    run = OxmlElement("w:r")
    deleted = OxmlElement("w:delText")
    deleted.text = text
    run.append(deleted)
    deletion.append(run)
    return deletion


def press_enter_inside(paragraph: Paragraph, at: int) -> Paragraph:
    """Split ``paragraph`` in two at character ``at``, as pressing Enter there does."""
    text = paragraph.text
    following = copy.deepcopy(paragraph._p)
    paragraph._p.addnext(following)
    set_runs(paragraph, text[:at])
    second = Paragraph(following, paragraph._parent)
    set_runs(second, text[at:])
    return second


def add_paragraph_before(paragraph: Paragraph, text: str) -> Paragraph:
    added = copy.deepcopy(paragraph._p)
    paragraph._p.addprevious(added)
    new = Paragraph(added, paragraph._parent)
    set_runs(new, text)
    return new


def edit(profile: Path, change: Callable[[DocumentObject], object]) -> object:
    path = profile / "template.docx"
    document = Document(str(path))
    result = change(document)
    document.save(str(path))
    return result


def problem_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("  - [")]


def fix_of(output: str, problem: str) -> str:
    """The "Cách sửa" line under a problem line."""
    lines = output.splitlines()
    return lines[lines.index(problem) + 1]


def line_with(output: str, *parts: str) -> str:
    """The one problem line of ``output`` that holds every part."""
    found = [line for line in problem_lines(output) if all(part in line for part in parts)]
    assert len(found) == 1, f"{parts} in:\n{output}"
    return found[0]


# --- template new --------------------------------------------------------------------------------------


def test_template_new_copies_a_profile_used_only_by_name(templates):
    result = run("template", "new", NEW, "--from", "bao-cao-dinh-ky")
    assert result.exit_code == 0, result.output
    copy_folder = templates / NEW
    assert sorted(p.name for p in copy_folder.iterdir()) == ["README.md", "profile.yaml", "template.docx"]
    assert (copy_folder / "template.docx").read_bytes() == (
        templates / "bao-cao-dinh-ky/template.docx"
    ).read_bytes()
    assert profile_validity(copy_folder).valid_from is None
    assert "Sao chép từ bộ mẫu `bao-cao-dinh-ky`" in (copy_folder / "README.md").read_text(encoding="utf-8")
    assert f"cchc template check {NEW}" in result.output
    assert profile_name_for(None, Period.parse("2030")) == "bao-cao-dinh-ky"
    assert run("template", "check", NEW).exit_code == 0


def test_template_new_with_valid_from_takes_over_from_that_date(templates):
    result = run("template", "new", NEW, "--from", "bao-cao-dinh-ky", "--valid-from", "01/07/2025")
    assert result.exit_code == 0, result.output
    spec = yaml.safe_load((templates / NEW / "profile.yaml").read_text(encoding="utf-8"))
    assert str(spec["valid_from"]) == "2025-07-01" and spec["series"] == "bao-cao-dinh-ky"
    assert profile_name_for(None, Period.parse("2025-6T")) == "bao-cao-dinh-ky"
    assert profile_name_for(None, Period.parse("2025-Q3")) == NEW


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((NEW, "--from", "bao-cao-khong-co"), "Không có bộ mẫu 'bao-cao-khong-co'"),
        (("bao-cao-dinh-ky", "--from", "bao-cao-kiem-tra"), "Đã có bộ mẫu hoặc thư mục 'bao-cao-dinh-ky'"),
        (("Báo cáo mới", "--from", "bao-cao-dinh-ky"), "Tên bộ mẫu 'Báo cáo mới' không hợp lệ"),
        ((NEW, "--from", "bao-cao-dinh-ky", "--valid-from", "31/02/2025"), "Ngày áp dụng không hợp lệ"),
    ],
)
def test_template_new_refuses(templates, args, message):
    result = run("template", "new", *args)
    assert result.exit_code == 1
    assert message in result.output
    assert not (templates / NEW).exists()


# --- template fields -----------------------------------------------------------------------------------


def test_template_fields_of_the_default_profile(templates):
    result = run("template", "fields", "bao-cao-dinh-ky")
    assert result.exit_code == 0, result.output
    fields = [line for line in result.output.splitlines() if not line.startswith(" ")]
    for field in (
        "unit.issuing_body",
        "doc.title",
        "signer.name",
        "signer.own_position",
        "body[].text",
        "appendices[].rows[].value",
        "period.label",
    ):
        assert field in fields
    lines = result.output.splitlines()
    places = lines[lines.index("signer.name") + 1 :]
    assert places[0].startswith("    bảng 3, dòng 1, ô 2, đoạn ") and places[0].endswith(
        "“{{ signer.name }}”"
    )
    # a loop variable resolved to the list it goes over, at each place it is used
    title = lines.index("doc.title[]")
    assert lines[title + 1].endswith("“{{ line }}”")
    assert any(  # profile.yaml's closing sentence
        line.startswith("    profile.yaml, dòng ") and "“Trên đây là báo cáo kết quả thực hiện" in line
        for line in lines
    )


def test_template_fields_of_the_inspection_profile_has_no_indicator_appendix(templates):
    result = run("template", "fields", "bao-cao-kiem-tra")
    assert result.exit_code == 0, result.output
    assert "appendices[].rows[][]" in result.output
    assert "appendices[].rows[].value" not in result.output


# --- template check ------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["bao-cao-dinh-ky", "bao-cao-kiem-tra"])
def test_the_shipped_profiles_pass(templates, profile):
    result = run("template", "check", profile)
    assert result.exit_code == 0, result.output
    assert "Đã kiểm tra 2 tệp: 0 lỗi, 0 cảnh báo." in result.output


def test_a_copy_edited_in_word_has_every_problem_reported_with_its_place(templates):
    assert run("template", "new", NEW, "--from", "bao-cao-dinh-ky").exit_code == 0

    def word_edits(document: DocumentObject) -> dict[str, str]:
        edited = {}
        # The spell checker splits a tag into runs: docxtpl joins them again, nothing to report.
        set_runs(find(document, "{{ doc.title_rule }}"), "{{ doc.tit", spelling_mark(), "le_rule }}")
        # A character deleted with Track Changes on, between the two braces: docxtpl cannot join them.
        edited["split"] = find(document, "{{ doc.type_name }}")
        set_runs(edited["split"], "{", tracked_deletion("x"), "{ doc.type_name }}")
        # Enter pressed inside a tag.
        edited["enter"] = find(document, "{{ closing }}")
        press_enter_inside(edited["enter"], 7)
        # AutoFormat's curly quotes.
        edited["quotes"] = find(document, '{%p if b.kind == "h1" %}')
        set_runs(edited["quotes"], "{%p if b.kind == “h1” %}")
        # A typo in a tag name: a loop closed by "endfro".
        edited["typo"] = find(document, "{%p endfor %}")
        set_runs(edited["typo"], "{%p endfro %}")
        # A field the layout does not give, and a filter that does not exist.
        edited["field"] = find(document, "{{ signer.name }}")
        set_runs(edited["field"], "{{ signer.nmae }}")
        edited["filter"] = find(document, "{{ doc.date_line }}")
        set_runs(edited["filter"], "{{ doc.date_line | viet_hoa }}")
        # A section heading typed by hand.
        edited["typed"] = add_paragraph_before(
            find(document, "{%p for b in body %}"), "II. KẾT QUẢ THỰC HIỆN"
        )
        return {what: place(document, paragraph) for what, paragraph in edited.items()}

    where = edit(templates / NEW, word_edits)
    result = run("template", "check", NEW)
    assert result.exit_code == 1, result.output
    output = result.output
    line_with(output, where["split"], "“{{ doc.type_name }}”", "bị Word tách")
    assert not [line for line in problem_lines(output) if "title_rule" in line]
    line_with(output, where["enter"], "“{{ clos”", "Dấu “{{” không có dấu đóng")
    line_with(output, "“ing }}”", "Dấu “}}” không có dấu mở")
    line_with(output, "[cảnh báo]", where["quotes"], "dấu nháy cong")
    typo = line_with(output, where["typo"], "lệnh 'endfro'")
    assert "Có phải ý bạn là 'endfor'?" in fix_of(output, typo)
    field = line_with(output, where["field"], "trường 'signer.nmae'")
    assert "Có phải ý bạn là 'signer.name'? Các trường của 'signer': signer.authority," in fix_of(
        output, field
    )
    line_with(output, where["filter"], "bộ lọc 'viet_hoa'")
    line_with(output, where["typed"], "“II.” được gõ tay")
    # Nothing else: the misspelt endfor does not leave its loop looking unclosed.
    assert len(problem_lines(output)) == 8, output
    assert "7 lỗi, 1 cảnh báo" in output


def tiny(templates: Path, *texts: str | list[list[str]], numbered: str | None = None) -> str:
    """A profile whose template holds ``texts``: a string is a body paragraph, a list of rows a table.
    ``numbered``: the text of a paragraph given Word's own list numbering."""
    assert run("template", "new", "tiny", "--from", "bao-cao-kiem-tra").exit_code == 0
    folder = templates / "tiny"
    document = Document()
    for item in texts:
        if isinstance(item, str):
            document.add_paragraph(item)
        else:
            table = document.add_table(rows=len(item), cols=len(item[0]))
            for row, cells in zip(table.rows, item, strict=True):
                for cell, text in zip(row.cells, cells, strict=True):
                    cell.paragraphs[0].text = text
    if numbered is not None:
        paragraph = document.add_paragraph(numbered)
        numbering = OxmlElement("w:numPr")
        for name in ("w:ilvl", "w:numId"):
            element = OxmlElement(name)
            element.set(qn("w:val"), "1" if name == "w:numId" else "0")
            numbering.append(element)
        paragraph._p.get_or_add_pPr().append(numbering)
    document.save(str(folder / "template.docx"))
    return "tiny"


MISUSES = [
    pytest.param(
        ["{%p if unit.name %}{%p endif %}"],
        ["đoạn 1", "Một đoạn có 2 thẻ {%p %}", "#161"],
        id="two-p-tags-in-one-paragraph",
    ),
    pytest.param(
        ["{%p if unit.level % 2 %}", "{{ unit.name }}", "{%p endif %}"],
        ["đoạn 1", "có dấu '%' hoặc '}'", "#644"],
        id="percent-in-p-tag",
    ),
    pytest.param(
        [[["{% for r in appendices %}", "{{ r.heading }}"], ["Ô giữa", ""], ["{% endfor %}", ""]]],
        ["bảng 1, dòng 1, ô 1", "trải qua nhiều dòng bảng", "{%tr … %}"],
        id="for-across-rows-without-tr",
    ),
    pytest.param(
        [[["{%tc for c in doc.title %}", "{{ c }}"], ["{%tc endfor %}", ""]]],
        ["bảng 1, dòng 2, ô 1", "phải mở và đóng trong các ô của cùng một dòng bảng"],
        id="tc-block-across-rows",
    ),
    pytest.param(
        ["{%tr for line in doc.title %}", "{{ line }}", "{%tr endfor %}"],
        ["đoạn 1", "nằm ngoài bảng"],
        id="tr-outside-a-table",
    ),
    pytest.param(
        [[["{%tr for line in doc.title %}", "Ghi chú"], ["{{ line }}", ""], ["{%tr endfor %}", ""]]],
        ["bảng 1, dòng 1, ô 1", "“Ghi chú” nằm cùng dòng bảng", "sẽ bị xóa"],
        id="text-beside-tr",
    ),
    pytest.param(
        ["Kính gửi: {%p if recipients.inline %}", "{{ recipients.inline }}", "{%p endif %}"],
        ["đoạn 1", "“Kính gửi:” nằm cùng đoạn"],
        id="text-beside-p",
    ),
    pytest.param(
        ["{%p if unit.name %}", "{{ unit.name }}"],
        ["đoạn 1", "không có thẻ đóng endif"],
        id="unclosed-block",
    ),
    pytest.param(["{{ unit.name | }}"], ["đoạn 1", "sai cú pháp Jinja"], id="syntax-error"),
    pytest.param(["{{ period.label – 1 }}"], ["đoạn 1", "gạch ngang dài (–)"], id="autoformat-dash"),
    pytest.param(
        ["{% p if unit.name %}", "{{ unit.name }}", "{%p endif %}"],
        ["đoạn 1", "viết tách 'p' khỏi '{%'"],
        id="loose-p-prefix",
    ),
    pytest.param(
        ["{% if unit.name %}", "{{ unit.name }}", "{% endif %}"],
        ["[cảnh báo]", "đoạn 1", "trải qua nhiều đoạn", "nhập các đoạn còn lại làm một"],
        id="plain-block-across-paragraphs",
    ),
    pytest.param(
        ["{{ unit.name is ngay_le }}"],
        ["đoạn 1", "phép thử 'ngay_le'"],
        id="unknown-test",
    ),
    pytest.param(
        [[["STT", "Nội dung"], ["1", "{{ unit.name }}"]]],
        ["bảng 1, dòng 2, ô 1", "Cột STT có số “1” gõ tay"],
        id="typed-stt",
    ),
    pytest.param(["a) {{ unit.name }}"], ["đoạn 1", "“a)” được gõ tay"], id="typed-point"),
]


@pytest.mark.parametrize(("texts", "expected"), MISUSES)
def test_each_misuse_is_found_at_its_place(templates, texts, expected):
    result = run("template", "check", tiny(templates, *texts))
    assert any(all(part in line for part in expected) for line in problem_lines(result.output)), result.output
    assert result.exit_code == (0 if "[cảnh báo]" in expected else 1), result.output


def test_a_correct_template_has_no_problem_but_the_outline_it_does_not_print(templates):
    rows = [["{%tc for c in appendices %}", "{{ c.heading }}", "{%tc endfor %}"], ["{{ unit.name }}", "", ""]]
    result = run("template", "check", tiny(templates, "{{ unit.name }}", rows))
    assert result.exit_code == 0, result.output
    assert problem_lines(result.output) == [
        line_with(result.output, "[cảnh báo]", "không in nội dung các mục (body)")
    ]


def test_word_numbering_is_found(templates):
    result = run("template", "check", tiny(templates, "{{ unit.name }}", numbered="Căn cứ"))
    assert result.exit_code == 1
    line_with(result.output, "đoạn 2 “Căn cứ”", "đánh số tự động")


def test_loop_and_set_variables_are_checked_against_what_they_stand_for(templates):
    texts = [
        "{%p for b in body %}",
        "{{ b.txt }}",
        "{%p endfor %}",
        "{{ loop }}",
        "{% set s = signer %}{{ s.nmae }}",
    ]
    result = run("template", "check", tiny(templates, *texts))
    assert result.exit_code == 1
    field = line_with(result.output, "đoạn 2", "trường 'body[].txt'")
    assert "Có phải ý bạn là 'body[].text'?" in fix_of(result.output, field)
    line_with(result.output, "đoạn 4", "trường 'loop'")
    line_with(result.output, "đoạn 5", "trường 'signer.nmae'")


# --- profile.yaml --------------------------------------------------------------------------------------


def edit_profile(templates: Path, change: Callable[[str], str]) -> None:
    path = templates / NEW / "profile.yaml"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def test_profile_yaml_problems_are_reported_with_their_line_with_the_template_s(templates):
    assert run("template", "new", NEW, "--from", "bao-cao-dinh-ky").exit_code == 0
    edit_profile(
        templates, lambda text: text.replace("numbering: [roman, decimal, letter]", "numbering: [roman, so]")
    )
    edit(templates / NEW, lambda document: set_runs(find(document, "{{ signer.name }}"), "{{ signer.nmae }}"))
    result = run("template", "check", NEW)
    assert result.exit_code == 1
    lines = (templates / NEW / "profile.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, start=1) if text.startswith("numbering:"))
    line_with(result.output, f"dòng {line}", "numbering")
    line_with(result.output, "trường 'signer.nmae'")


def test_profile_yaml_text_fields_duplicates_and_unused_catalogue(templates):
    assert run("template", "new", NEW, "--from", "bao-cao-dinh-ky").exit_code == 0

    def change(text: str) -> str:
        text = text.replace('{{ period.label }}"\nclosing', '{{ period.lable }}"\nclosing')
        text = text.replace("  - key: kien-nghi", "  - key: danh-gia", 1)
        return text.replace("{code: kh_van_ban_chi_dao,", "{code: kh_nhiem_vu,", 1)

    edit_profile(templates, change)
    # The maintainer deletes the indicator table of the appendix: the catalogue is never printed.
    shutil.copy(templates / "bao-cao-kiem-tra" / "template.docx", templates / NEW / "template.docx")
    result = run("template", "check", NEW)
    assert result.exit_code == 1, result.output
    lines = (templates / NEW / "profile.yaml").read_text(encoding="utf-8").splitlines()

    def line_of(start: str) -> int:
        return next(i for i, text in enumerate(lines, start=1) if text.lstrip().startswith(start))

    title = line_with(result.output, f"dòng {line_of('title:')}", "trường 'period.lable'")
    assert "Có phải ý bạn là 'period.label'?" in fix_of(result.output, title)
    second_key = [i for i, text in enumerate(lines, start=1) if text.strip() == "- key: danh-gia"][1]
    line_with(result.output, f"dòng {second_key}", "hai mục cùng key 'danh-gia'")
    line_with(result.output, "hai chỉ tiêu cùng mã 'kh_nhiem_vu'")
    # located at the catalogue's first row
    line_with(result.output, "[cảnh báo]", f"dòng {line_of('indicators:') + 1}", "không in số liệu chỉ tiêu")


def test_two_profiles_of_a_series_from_the_same_day_are_an_error(templates):
    result = run("template", "new", NEW, "--from", "bao-cao-dinh-ky", "--valid-from", "05/03/2020")
    assert result.exit_code == 0
    check = run("template", "check", NEW)
    assert check.exit_code == 1
    line_with(check.output, "Bộ mẫu 'bao-cao-dinh-ky' cùng loại 'bao-cao-dinh-ky' cũng áp dụng từ 05/03/2020")


def test_every_template_command_has_vietnamese_help():
    for command in ("new", "fields", "check"):
        result = run("template", command, "--help")
        assert result.exit_code == 0
        assert "Cách dùng:" in result.output and "BỘ_MẪU" in result.output
