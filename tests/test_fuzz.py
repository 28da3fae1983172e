"""Arbitrary input (YAML, workbook cells, numbers, text) ends in a valid report or in a user error; never in
an uncaught exception or in a file that LibreOffice cannot open (#10)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl.utils.exceptions import IllegalCharacterError

from cchc_gen import api
from cchc_gen.errors import CchcError
from cchc_gen.excel.convert import convert
from cchc_gen.render.pdf import convert_to_pdf
from cchc_gen.source.loading import load_report
from cchc_gen.vn import numbers
from tests.conftest import REPORT, UNITS, write_yaml

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Any text, including control characters, combining marks and characters outside the BMP.
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), any_text)
yaml_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=12,
)
fields = st.sampled_from(
    ["unit", "period", "number", "date", "title", "lead_in", "sections", "figures", "signer"]
)


@FUZZ
@given(raw=st.binary(max_size=300))
def test_any_bytes_as_a_data_file(tmp_path_factory, raw):
    folder = tmp_path_factory.mktemp("raw")
    write_yaml(folder / "units.yaml", UNITS)
    data_file = folder / "bao-cao.yaml"
    data_file.write_bytes(raw)
    try:
        load_report(data_file)
    except CchcError as exc:
        assert exc.problems and all(p.message for p in exc.problems)


@FUZZ
@given(field=fields, value=yaml_values)
def test_any_value_in_any_field(tmp_path_factory, field, value):
    folder = tmp_path_factory.mktemp("field")
    write_yaml(folder / "units.yaml", UNITS)
    data_file = write_yaml(folder / "bao-cao.yaml", {**REPORT, "figures": {}, field: value})
    try:
        load_report(data_file)
    except CchcError as exc:
        assert exc.problems and all(p.message for p in exc.problems)


@FUZZ
@given(text=any_text)
def test_any_text_as_a_number(text):
    try:
        numbers.parse_number(text)
    except ValueError as exc:
        assert str(exc)


def _report_with(text: str) -> dict[str, Any]:
    return {
        **REPORT,
        "figures": {},
        "title": text or "x",
        "lead_in": [text or "x"],
        "sections": [{"heading": text or "x", "content": [text or "x", {"list": [text or "x"]}]}],
    }


def test_any_text_renders_to_a_file_office_opens_or_is_refused(data_tree, tmp_path):
    rendered: list[Path] = []
    data_tree()
    out = tmp_path / "fuzz"

    @settings(max_examples=30, deadline=None)
    @given(text=any_text)
    def render_one(text: str) -> None:
        data_file = write_yaml(tmp_path / "data" / "2024-Q1" / "tx-an-binh.yaml", _report_with(text))
        target = out / f"{len(rendered)}.docx"
        try:
            api.render_report(data_file, target)
        except CchcError as exc:
            assert not target.exists()
            assert any(
                "ký tự điều khiển" in p.message or "không được để trống" in p.message for p in exc.problems
            )
            return
        with zipfile.ZipFile(target) as archive:
            etree.fromstring(archive.read("word/document.xml"))
        rendered.append(target)

    render_one()
    assert rendered, "some examples render"
    # LibreOffice must open every one of them (convert_to_pdf raises for a file it cannot open).
    for pdf in convert_to_pdf(rendered):
        assert pdf.stat().st_size > 0


@FUZZ
@given(
    value=st.one_of(
        any_text, st.integers(), st.floats(allow_nan=True), st.booleans(), st.dates(), st.datetimes()
    ),
    place=st.sampled_from(["figure", "date", "number", "body"]),
)
def test_any_value_in_any_workbook_cell(workbook, value, place):
    """What a clerk may leave in a cell ends in a report or in a message naming the cell."""
    book = openpyxl.load_workbook(workbook)
    cells = {
        "figure": ("Số liệu", "F", "kh_nhiem_vu", "D"),
        "date": ("Thông tin chung", "A", "Ngày ký", "B"),
        "number": ("Thông tin chung", "A", "Số văn bản", "B"),
        "body": ("Nội dung", "B", "Đề mục", "D"),
    }
    sheet, label_column, label, value_column = cells[place]
    row = next(c.row for c in book[sheet][label_column] if c.value == label)
    try:
        book[sheet][f"{value_column}{row}"] = value
    except IllegalCharacterError:
        return  # openpyxl itself refuses to store it: no workbook can hold it
    target = workbook.with_name(f"{place}.xlsx")
    book.save(target)
    try:
        loaded = load_report(target)
    except CchcError as exc:
        assert all(p.message for p in exc.problems)
        return
    assert loaded.report.unit == "tx-an-binh"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("workbook")
    write_yaml(folder / "units.yaml", UNITS)
    data_file = write_yaml(folder / "bao-cao.yaml", {**REPORT, "figures": {"kh_nhiem_vu": 19}})
    return convert(data_file, folder / "bao-cao.xlsx")
