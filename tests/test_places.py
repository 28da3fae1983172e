"""The format check (`cchc kiem-tra-the-thuc`) and the template linter (`cchc template fields | check`) walk a
.docx in one way and name a place in the same words: "đoạn 2" outside tables, "bảng 1, dòng 1, ô 2" in a
cell, with ", đoạn 1" when the cell has several paragraphs; through content controls, merged cells and
tables in tables, in the body and in a header."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from docx import Document
from docx.oxml import OxmlElement
from docx.shared import Cm

from cchc_gen.cli import main
from tests.conftest import DEFAULT_PROFILE

TAG = "{{ unit.name }}"

BODY = [
    "đoạn 1",
    "bảng 1, dòng 1, ô 1, đoạn 1",
    "bảng 1, dòng 1, ô 1, đoạn 2",
    "bảng 1, dòng 1, ô 2, đoạn 1",
    "bảng 2, dòng 1, ô 1",
    "bảng 1, dòng 2, ô 1",
    "đoạn 2",
    "bảng 3, dòng 1, ô 1",
    "bảng 3, dòng 2, ô 2",
    "đoạn 3",
]
HEADER = ["đoạn 1", "bảng 1, dòng 1, ô 2"]


def wrap_in_content_control(element) -> None:
    control, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    element.addprevious(control)
    control.append(content)
    content.append(element)


def write_document(path: Path) -> Path:
    """One paragraph with the tag at each place of BODY and HEADER, in that order; nothing else has text."""
    document = Document()
    document.add_paragraph(f"{TAG} một")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).paragraphs[0].text = f"{TAG} A1"
    table.cell(0, 0).add_paragraph(f"{TAG} A2")
    table.cell(0, 1).paragraphs[0].text = f"{TAG} B"
    table.cell(0, 1).add_table(rows=1, cols=1).cell(0, 0).paragraphs[0].text = f"{TAG} trong bảng con"
    table.cell(1, 0).merge(table.cell(1, 1)).paragraphs[0].text = f"{TAG} ô gộp"
    wrap_in_content_control(document.add_paragraph(f"{TAG} hai")._p)
    rows = document.add_table(rows=2, cols=2)
    rows.cell(0, 0).paragraphs[0].text = f"{TAG} dòng đầu"
    rows.cell(1, 1).paragraphs[0].text = f"{TAG} dòng trong điều khiển nội dung"
    wrap_in_content_control(rows.rows[1]._tr)
    document.add_paragraph(f"{TAG} ba")
    header = document.sections[0].header
    header.paragraphs[0].text = f"{TAG} đầu trang"
    header.add_table(rows=1, cols=2, width=Cm(15)).cell(0, 1).paragraphs[0].text = f"{TAG} bảng đầu trang"
    document.save(str(path))
    return path


def place(location: str) -> str:
    return location.split(" “", 1)[0]


def test_the_format_check_and_the_template_linter_name_each_place_alike(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    profile = tmp_path / "templates" / "vi-tri"
    shutil.copytree(DEFAULT_PROFILE, profile)
    write_document(profile / "template.docx")

    checked = CliRunner().invoke(main, ["kiem-tra-the-thuc", "--json", str(profile / "template.docx")])
    findings = json.loads(checked.stdout)["files"][0]["findings"]
    fonts = next(f for f in findings if f["rule"] == "phong-chu")  # every run is in the template's Calibri
    header = "đầu trang của section 1, "
    assert [place(w) for w in fonts["where"]] == BODY + [header + where for where in HEADER]

    listed = CliRunner().invoke(main, ["template", "fields", "vi-tri", "--templates", "templates"])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    uses = lines[lines.index("unit.name") + 1 :]
    uses = [place(line.strip()) for line in uses[: next(i for i, u in enumerate(uses) if u[:1] != " ")]]
    header = "đầu trang (header1.xml), "
    assert [u for u in uses if not u.startswith("profile.yaml")] == BODY + [header + w for w in HEADER]
