"""docxtpl's silent failures made loud: missing values, broken XML, escaping (pitfalls.md)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from cchc_gen.cli import main


def add_template_paragraph(text: str) -> None:
    """Edit the working copy of the profile's template (in the test's folder) as a maintainer would."""
    template = Path("templates/bao-cao-dinh-ky/template.docx")
    document = docx.Document(str(template))
    document.paragraphs[0].insert_paragraph_before(text)
    document.save(str(template))


def render(data_file: Path):
    return CliRunner().invoke(main, ["render", str(data_file), "-o", "out.docx"])


def test_a_field_missing_from_the_data_is_an_error_naming_it(data_tree):
    data_file = data_tree()
    add_template_paragraph("Điện thoại: {{ unit.phone }}")
    result = render(data_file)
    assert result.exit_code == 1, result.output
    assert "Thiếu dữ liệu: mẫu dùng trường 'phone' mà dữ liệu không có" in result.output
    assert "của đơn vị tx-an-binh, kỳ 2024-Q1" in result.output
    assert "đoạn mẫu “Điện thoại: {{ unit.phone }}”" in result.output
    assert not Path("out.docx").exists()


def test_broken_xml_from_a_template_is_refused(data_tree):
    data_file = data_tree()
    add_template_paragraph('{{ "</w:t></w:r></w:p><w:p>" | safe }}')
    result = render(data_file)
    assert result.exit_code == 1, result.output
    assert "Mẫu tạo ra nội dung Word hỏng" in result.output
    assert not Path("out.docx").exists()


def test_a_template_syntax_error_names_the_paragraph(data_tree):
    data_file = data_tree()
    add_template_paragraph("Ngày {{ doc.date_line }")
    result = render(data_file)
    assert result.exit_code == 1, result.output
    assert "Lỗi trong mẫu" in result.output
    assert "Traceback" not in result.output


ATTACKS = ["{{ ''.__class__.__mro__ }}", "{{ unit.__class__.__init__.__globals__ }}"]


@pytest.mark.parametrize("attack", ATTACKS)
def test_templates_cannot_reach_python_internals(data_tree, attack):
    data_file = data_tree()
    add_template_paragraph(attack)
    result = render(data_file)
    assert result.exit_code == 1, result.output
    assert "Lỗi trong mẫu" in result.output


def test_ampersand_and_angle_brackets_survive(data_tree):
    data_file = data_tree(lead_in=["Xã A & B <thử> “ngoặc” ‘đơn’ ./."])
    assert render(data_file).exit_code == 0
    texts = [p.text for p in docx.Document("out.docx").paragraphs]
    assert "Xã A & B <thử> “ngoặc” ‘đơn’ ./." in texts
