"""`cchc batch`: every unit of a period, one bad unit never stops the others, and no file is ever lost.

Also: the fast rendering path gives the XML of docxtpl's own render(), part for part.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner
from docxtpl import DocxTemplate
from lxml import etree

from cchc_gen.cli import main
from cchc_gen.model.check import check_report
from cchc_gen.model.profile import load_profile
from cchc_gen.render import pdf
from cchc_gen.render.context import build_context
from cchc_gen.render.docx import (
    _FIXED_GRID,
    _FIXED_ROW,
    CompiledTemplate,
    _mark_fixed_grids,
    _mark_fixed_rows,
    _tables,
    _to_reparse,
    _unmarked,
    make_environment,
)
from cchc_gen.render.marks import apply_marks
from cchc_gen.runs.batch import BACKUP_FOLDER, MANIFEST_FILE
from cchc_gen.source.loading import load_report
from tests.conftest import DEFAULT_PROFILE, REPORT, ROOT, TEST_INDICATORS, UNITS, write_yaml
from tests.docx_text import text_blocks
from tests.excel_book import Book, as_workbook

PERIOD = "2024-Q1"
OUT = Path("outputs") / PERIOD
TABLE = {
    "table": {
        "columns": ["Lĩnh vực", "Tiếp nhận", "Đúng hạn", "Trễ hạn", "Tỷ lệ"],
        "rows": [["Đất đai", "12", "11", "1", "91,67%"], ["Hộ tịch", "30", "30", "0", "100%"]],
    }
}


def make_communes(folder: Path, count: int) -> list[str]:
    """``count`` units in the registry, each with a report for PERIOD; the default profile with a small
    indicator catalogue of its own. Returns the unit codes."""
    profile = folder / "templates" / DEFAULT_PROFILE.name
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "template.docx").write_bytes((DEFAULT_PROFILE / "template.docx").read_bytes())
    spec = yaml.safe_load((DEFAULT_PROFILE / "profile.yaml").read_text(encoding="utf-8"))
    spec["appendix"]["indicators"] = TEST_INDICATORS
    spec["rules"] = []  # as in conftest's data_tree: the rules name the full catalogue's indicators
    write_yaml(profile / "profile.yaml", spec)
    base = UNITS["units"]["tx-an-binh"]
    codes = [f"tx-xa-{i:03d}" for i in range(1, count + 1)]
    units = {
        code: {
            **base,
            "name": f"Ủy ban nhân dân xã Số {i}",
            "issuing_body": ["Ủy ban nhân dân", f"xã Số {i}"],
        }
        for i, code in enumerate(codes, start=1)
    }
    write_yaml(folder / "data" / "units.yaml", {"units": units})
    for code in codes:
        write_yaml(folder / "data" / PERIOD / f"{code}.yaml", {**REPORT, "unit": code})
    return codes


@pytest.fixture
def communes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    return lambda count: make_communes(tmp_path, count)


def batch(*args: str):
    return CliRunner().invoke(main, ["batch", *args])


def data_file(code: str) -> Path:
    return Path("data") / PERIOD / f"{code}.yaml"


def change_data(code: str) -> None:
    report = yaml.safe_load(data_file(code).read_text(encoding="utf-8"))
    report["number"] += 1
    write_yaml(data_file(code), report)


def manifest() -> dict[str, dict[str, Any]]:
    lines = (OUT / MANIFEST_FILE).read_text(encoding="utf-8").splitlines()
    return {record.pop("unit"): record for record in map(json.loads, lines)}


def is_docx(path: Path) -> bool:
    try:
        return docx.Document(str(path)) is not None
    except (zipfile.BadZipFile, KeyError):
        return False


def leftovers() -> list[Path]:
    return [p for p in OUT.rglob("*") if p.name.endswith(".tmp")]


# --- Batch runs --------------------------------------------------------------------------------------------


def test_every_unit_of_the_latest_period_is_written_and_recorded(communes):
    codes = communes(3)
    write_yaml(Path("data/2023-Q4/tx-xa-001.yaml"), {**REPORT, "unit": "tx-xa-001", "period": "2023-Q4"})
    result = batch("-j", "2")
    assert result.exit_code == 0, result.output
    assert "Kỳ 2024-Q1" in result.output
    assert "Đã tạo: 3   Bỏ qua (không đổi): 0   Lỗi: 0" in result.output
    assert sorted(p.name for p in OUT.glob("*.docx")) == [f"{code}.docx" for code in codes]
    assert all(is_docx(OUT / f"{code}.docx") for code in codes)
    assert not Path("outputs/2023-Q4").exists()
    records = manifest()
    assert sorted(records) == codes
    assert {"data_sha256", "registry_sha256", "template_sha256", "profile_sha256", "docx_sha256"} <= set(
        records["tx-xa-001"]
    )


def test_a_second_run_skips_what_is_up_to_date_and_redoes_what_changed(communes):
    communes(3)
    assert batch().exit_code == 0
    before = {p.name: p.stat().st_mtime_ns for p in OUT.glob("*.docx")}
    change_data("tx-xa-002")
    result = batch()
    assert result.exit_code == 0, result.output
    assert "Đã tạo: 1   Bỏ qua (không đổi): 2   Lỗi: 0" in result.output
    after = {p.name: p.stat().st_mtime_ns for p in OUT.glob("*.docx")}
    assert after["tx-xa-001.docx"] == before["tx-xa-001.docx"]
    assert after["tx-xa-002.docx"] != before["tx-xa-002.docx"]


def test_period_and_units_options(communes):
    communes(3)
    result = batch("--period", PERIOD, "--units", "tx-xa-003,tx-xa-001")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in OUT.glob("*.docx")) == ["tx-xa-001.docx", "tx-xa-003.docx"]
    result = batch("--units", "tx-xa-01")
    assert result.exit_code == 1
    assert "Không có tệp dữ liệu của đơn vị 'tx-xa-01'" in result.output
    assert "Có phải ý bạn là" in result.output


def test_one_bad_unit_never_stops_the_others(communes):
    communes(4)
    bad = data_file("tx-xa-002")
    bad.write_text(bad.read_text(encoding="utf-8").replace("number: 7", "numbr: 7"), encoding="utf-8")
    result = batch("-j", "2")
    assert result.exit_code == 1
    assert "Đã tạo: 3   Bỏ qua (không đổi): 0   Lỗi: 1" in result.output
    row = next(line for line in result.output.splitlines() if line.strip().startswith("tx-xa-002"))
    assert "lỗi" in row and "Trường 'numbr' không có trong mẫu dữ liệu" in row
    assert f"{bad}, dòng" in result.output  # the full problem, with file and line
    assert "Có phải ý bạn là 'number'?" in result.output
    assert not (OUT / "tx-xa-002.docx").exists()
    assert all((OUT / f"tx-xa-00{i}.docx").is_file() for i in (1, 3, 4))
    assert "Traceback" not in result.output


def under_one_superior(count: int) -> list[str]:
    """``count`` communes (as :func:`make_communes`) below one town in the registry, which has no data of
    its own."""
    codes = make_communes(Path("."), count)
    registry = Path("data/units.yaml")
    units = yaml.safe_load(registry.read_text(encoding="utf-8"))["units"]
    town = {**units[codes[0]], "name": "Ủy ban nhân dân thị xã Số", "short_name": "UBND thị xã Số"}
    for code in codes:
        units[code] = {
            **units[code],
            "parent": "tx",
            "short_name": units[code]["name"].replace("Ủy ban nhân dân", "UBND"),
        }
    write_yaml(registry, {"units": {"tx": town, **units}})
    return codes


def test_the_units_without_data_are_named_and_the_batch_fails(communes):
    under_one_superior(4)
    data_file("tx-xa-002").unlink()
    data_file("tx-xa-004").unlink()
    result = batch("-j", "1")
    assert result.exit_code == 1
    assert "Đã tạo: 2   Bỏ qua (không đổi): 0   Lỗi: 0" in result.output
    assert "Đơn vị trong danh mục chưa có dữ liệu kỳ 2024-Q1: 2" in result.output
    assert "UBND xã Số 2 (tx-xa-002) chưa có dữ liệu kỳ 2024-Q1." in result.output
    assert "UBND xã Số 4 (tx-xa-004) chưa có dữ liệu kỳ 2024-Q1." in result.output
    assert "--cho-phep-thieu" in result.output
    assert "thị xã Số" not in result.output  # the superior is not expected to have data
    assert (OUT / "tx-xa-001.docx").is_file() and (OUT / "tx-xa-003.docx").is_file()

    relaxed = batch("--cho-phep-thieu")
    assert relaxed.exit_code == 0, relaxed.output
    assert "UBND xã Số 2 (tx-xa-002) chưa có dữ liệu kỳ 2024-Q1." in relaxed.output

    # Chosen units: only those are expected.
    chosen = batch("--units", "tx-xa-001")
    assert chosen.exit_code == 0, chosen.output
    assert "chưa có dữ liệu" not in chosen.output


def test_the_default_period_is_the_latest_that_most_units_have(communes):
    codes = under_one_superior(3)
    # One commune has started the next period: it is not the batch's default yet.
    write_yaml(Path("data/2024-Q2/tx-xa-001.yaml"), {**REPORT, "unit": "tx-xa-001", "period": "2024-Q2"})
    result = batch()
    assert result.exit_code == 0, result.output
    assert "Kỳ 2024-Q1" in result.output
    assert not Path("outputs/2024-Q2").exists()
    # Once most have, it is.
    write_yaml(Path("data/2024-Q2/tx-xa-002.yaml"), {**REPORT, "unit": "tx-xa-002", "period": "2024-Q2"})
    result = batch("--cho-phep-thieu")
    assert result.exit_code == 0, result.output
    assert "Kỳ 2024-Q2" in result.output
    assert f"UBND xã Số 3 ({codes[2]}) chưa có dữ liệu kỳ 2024-Q2." in result.output


@pytest.mark.parametrize("suffix", [".yaml", ".xlsx"])
def test_a_file_named_after_another_unit_is_refused(communes, suffix):
    communes(2)
    source = data_file("tx-xa-002") if suffix == ".yaml" else as_workbook(data_file("tx-xa-002"))
    source.rename(source.with_stem("tx-xa-009"))
    result = batch()
    assert result.exit_code == 1
    assert f"phải có tên 2024-Q1/tx-xa-002{suffix}" in result.output
    assert not (OUT / "tx-xa-009.docx").exists()


def test_the_output_is_what_render_writes(communes):
    communes(1)
    assert batch().exit_code == 0
    rendered = CliRunner().invoke(main, ["render", str(data_file("tx-xa-001")), "-o", "render.docx"])
    assert rendered.exit_code == 0, rendered.output
    assert Path("render.docx").read_bytes() == (OUT / "tx-xa-001.docx").read_bytes()


# --- Units whose data is a workbook -----------------------------------------------------------------------


def test_units_whose_data_is_a_workbook_are_rendered_like_the_others(communes):
    codes = communes(3)
    workbook = as_workbook(data_file("tx-xa-002"))
    # Excel and LibreOffice keep lock files beside a workbook they have open: no unit's data.
    (workbook.parent / "~$tx-xa-002.xlsx").write_bytes(b"\x00")
    (workbook.parent / ".~lock.tx-xa-002.xlsx#").write_text("Văn thư,,máy-1;", encoding="utf-8")
    result = batch("-j", "2")
    assert result.exit_code == 0, result.output
    assert "Đã tạo: 3   Bỏ qua (không đổi): 0   Lỗi: 0" in result.output
    assert sorted(p.name for p in OUT.glob("*.docx")) == [f"{code}.docx" for code in codes]
    assert manifest()["tx-xa-002"]["data"] == str(workbook)
    assert "Ủy ban nhân dân xã ban hành Kế hoạch cải cách hành chính năm 2024 với 19 nhiệm vụ." in (
        text_blocks(OUT / "tx-xa-002.docx")
    )
    rendered = CliRunner().invoke(main, ["render", str(workbook), "-o", "render.docx"])
    assert rendered.exit_code == 0, rendered.output
    assert Path("render.docx").read_bytes() == (OUT / "tx-xa-002.docx").read_bytes()


def test_the_latest_period_may_hold_workbooks_only(communes):
    communes(1)
    write_yaml(Path("data/2024-Q2/tx-xa-001.yaml"), {**REPORT, "unit": "tx-xa-001", "period": "2024-Q2"})
    as_workbook(Path("data/2024-Q2/tx-xa-001.yaml"))
    result = batch()
    assert result.exit_code == 0, result.output
    assert "Kỳ 2024-Q2" in result.output
    assert Path("outputs/2024-Q2/tx-xa-001.docx").is_file()


def test_a_unit_with_both_a_yaml_file_and_a_workbook_fails_and_the_others_are_done(communes):
    communes(3)
    as_workbook(data_file("tx-xa-002"), keep_yaml=True)
    result = batch()
    assert result.exit_code == 1
    assert "Đã tạo: 2   Bỏ qua (không đổi): 0   Lỗi: 1" in result.output
    row = next(line for line in result.output.splitlines() if line.strip().startswith("tx-xa-002"))
    assert "Đơn vị 'tx-xa-002' có 2 tệp dữ liệu cho kỳ 2024-Q1: tx-xa-002.xlsx, tx-xa-002.yaml" in row
    assert (
        "Cách sửa: Giữ lại một tệp (YAML hoặc bảng tính), xóa hoặc chuyển các tệp kia ra khỏi thư mục kỳ."
        in result.output
    )
    assert not (OUT / "tx-xa-002.docx").exists()
    data_file("tx-xa-002").unlink()
    result = batch()
    assert result.exit_code == 0, result.output
    assert "Đã tạo: 1   Bỏ qua (không đổi): 2   Lỗi: 0" in result.output


def test_a_changed_workbook_makes_its_report_again(communes):
    communes(2)
    workbook = as_workbook(data_file("tx-xa-001"))
    assert batch().exit_code == 0
    assert "Đã tạo: 0   Bỏ qua (không đổi): 2   Lỗi: 0" in batch().output
    book = Book(workbook)
    book["Thông tin chung"][book.info("Số văn bản")] = 8
    book.save()
    result = batch()
    assert result.exit_code == 0, result.output
    assert "Đã tạo: 1   Bỏ qua (không đổi): 1   Lỗi: 0" in result.output
    assert manifest()["tx-xa-001"]["data_sha256"] == hashlib.sha256(workbook.read_bytes()).hexdigest()
    assert any(line.startswith("Số: 08/BC-UBND") for line in text_blocks(OUT / "tx-xa-001.docx"))


# --- Never losing a file -----------------------------------------------------------------------------------


def test_a_hand_edited_output_is_kept_and_force_keeps_a_backup(communes):
    communes(2)
    assert batch().exit_code == 0
    edited = OUT / "tx-xa-001.docx"
    document = docx.Document(str(edited))
    document.add_paragraph("Đoạn văn thư thêm bằng tay.")
    document.save(str(edited))
    hand_made = edited.read_bytes()

    result = batch()  # same data: the edit is kept, nothing to do
    assert result.exit_code == 0, result.output
    assert "đã sửa tay sau khi tạo; dữ liệu không đổi nên giữ nguyên bản đã sửa" in result.output

    change_data("tx-xa-001")
    result = batch()  # new data: refused, the edit is kept
    assert result.exit_code == 1
    assert "Báo cáo đã bị sửa tay sau lần tạo gần nhất" in result.output
    assert "--force" in result.output
    assert edited.read_bytes() == hand_made

    result = batch("--force")
    assert result.exit_code == 0, result.output
    backups = list((OUT / BACKUP_FOLDER).glob("tx-xa-001-*.docx"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == hand_made
    assert edited.read_bytes() != hand_made
    assert "Đoạn văn thư thêm bằng tay." not in [p.text for p in docx.Document(str(edited)).paragraphs]


def test_an_output_open_in_word_is_reported_and_the_others_are_done(communes):
    communes(3)
    assert batch().exit_code == 0
    for code in ("tx-xa-001", "tx-xa-002"):
        change_data(code)
    before = (OUT / "tx-xa-001.docx").read_bytes()
    lock = OUT / "~$-xa-001.docx"  # Word's owner file: "~$" over the first two letters of the name
    lock.write_bytes(b"\x00")
    result = batch()
    assert result.exit_code == 1
    assert "Báo cáo đang mở trong Word (có tệp khóa ~$-xa-001.docx)" in result.output
    assert "Đóng tệp trong Word rồi chạy lại lệnh." in result.output
    assert "Đã tạo: 1   Bỏ qua (không đổi): 1   Lỗi: 1" in result.output
    assert (OUT / "tx-xa-001.docx").read_bytes() == before
    lock.unlink()
    result = batch()
    assert result.exit_code == 0, result.output
    assert (OUT / "tx-xa-001.docx").read_bytes() != before


def test_a_killed_run_leaves_no_partial_file_and_the_next_run_resumes(communes):
    codes = communes(150)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.Popen(
        [sys.executable, "-m", "cchc_gen", "batch", "-j", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while len(list(OUT.glob("*.docx"))) < 10 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    run.send_signal(signal.SIGKILL)
    run.wait()
    written = list(OUT.glob("*.docx"))
    assert 10 <= len(written) < len(codes), "killed in the middle of the run"
    assert all(is_docx(path) for path in written), "no partial .docx"
    (OUT / ".tx-xa-150.docx.k1ll3d.tmp").write_bytes(b"PK\x03\x04 half a file")  # as a write cut short

    result = batch()
    assert result.exit_code == 0, result.output
    assert sorted(p.stem for p in OUT.glob("*.docx")) == codes
    assert all(is_docx(OUT / f"{code}.docx") for code in codes)
    assert leftovers() == []
    assert sorted(manifest()) == codes
    assert "Đã tạo: 0" in batch().output


def test_two_runs_on_one_period_at_once_are_refused(communes):
    communes(1)
    OUT.mkdir(parents=True)
    with open(OUT / ".cchc-batch.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = batch()
    assert result.exit_code == 1
    assert "Một lần chạy khác đang tạo báo cáo của kỳ này." in result.output


# --- PDF ---------------------------------------------------------------------------------------------------


def test_missing_libreoffice_matters_only_with_pdf(communes, monkeypatch, tmp_path):
    communes(1)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(pdf, "soffice_candidates", lambda: [])  # nor in its default install folders
    result = batch("--pdf")
    assert result.exit_code == 1
    assert "Không tìm thấy LibreOffice để chuyển báo cáo sang PDF." in result.output
    assert not OUT.exists()
    assert batch().exit_code == 0


@pytest.mark.office
def test_pdf_through_long_lived_libreoffice(communes):
    communes(3)
    result = batch("--pdf", "-j", "2")
    assert result.exit_code == 0, result.output
    assert "PDF đã tạo: 3" in result.output
    pdfs = sorted(OUT.glob("*.pdf"))
    assert [p.stem for p in pdfs] == ["tx-xa-001", "tx-xa-002", "tx-xa-003"]
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert all(manifest()[p.stem]["pdf_from_sha256"] == manifest()[p.stem]["docx_sha256"] for p in pdfs)
    again = batch("--pdf")
    assert again.exit_code == 0
    assert "PDF đã tạo" not in again.output


# --- The fast path gives docxtpl's XML ---------------------------------------------------------------------


def canonical_parts(package: bytes) -> dict[str, bytes]:
    """Each part of a .docx: XML parts in canonical form (same XML, whatever the serialization)."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert archive.testzip() is None
        return {
            name: etree.tostring(etree.fromstring(data), method="c14n2")
            if name.endswith((".xml", ".rels"))
            else data
            for name, data in ((name, archive.read(name)) for name in archive.namelist())
        }


class MarkedTemplate(DocxTemplate):
    """docxtpl's own render, with the marks of the context applied to each rendered part as the fast path
    applies them (emphasis, column widths, merged header cells: cchc_gen.render.marks)."""

    def render_xml_part(self, src_xml: str, part: Any, context: dict[str, Any], jinja_env: Any = None) -> str:
        return apply_marks(super().render_xml_part(src_xml, part, context, jinja_env))


def docxtpl_render(template: Path, context: dict[str, Any], env: Any) -> bytes:
    document = MarkedTemplate(str(template))
    document.render(context, jinja_env=env, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def with_tags_in_header_and_properties(template: Path, folder: Path) -> Path:
    """A copy of ``template`` with a tag in its page header and in its title property."""
    document = docx.Document(str(template))
    document.sections[0].header.paragraphs[0].add_run(" – {{ unit.short_name }}")
    document.core_properties.title = "Báo cáo {{ period.label }}"
    copy = folder / "tagged.docx"
    document.save(str(copy))
    return copy


@pytest.mark.parametrize("tagged", [False, True], ids=["profile-template", "tags-in-header-and-properties"])
@pytest.mark.parametrize(
    "overrides",
    [{}, {"sections": [{"heading": "Kết quả giải quyết hồ sơ", "content": ["Tổng hợp như sau:", TABLE]}]}],
    ids=["lists-and-appendix", "table-wider-than-its-template"],
)
def test_fast_path_gives_the_xml_of_docxtpl_render(data_tree, tmp_path, tagged, overrides):
    loaded = load_report(data_tree(**overrides))
    profile = load_profile(loaded.report.profile)
    env = make_environment()
    context = build_context(loaded.report, loaded.unit, profile, check_report(loaded, profile).figures, env)
    template = (
        with_tags_in_header_and_properties(profile.template_path, tmp_path)
        if tagged
        else profile.template_path
    )

    compiled = CompiledTemplate(template, env)
    fast = compiled.render_bytes(context, "thử")
    expected = canonical_parts(docxtpl_render(template, context, env))
    assert canonical_parts(fast) == expected
    assert compiled.render_bytes(context, "thử") == fast, "the same context gives the same bytes"
    if tagged:
        headers = b"".join(data for name, data in expected.items() if name.startswith("word/header"))
        assert "– UBND xã An Bình".encode() in headers


GRID = "<w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
ROW = "<w:tr><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>"
VALUES = "<w:tr><w:tc><w:p><w:r><w:t>{{ r.a }}</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr>"


@pytest.mark.parametrize(
    ("table", "fixed"),
    [
        (f"<w:tbl>{GRID}{ROW}{{% for r in rows %}}{VALUES}{{% endfor %}}</w:tbl>", True),
        (f"<w:tbl>{GRID}{{% if x %}}{ROW}{{% endif %}}{VALUES}</w:tbl>", False),  # header may be left out
        (f"<w:tbl>{GRID}{ROW}<w:tr><w:tc/>{{% if x %}}<w:tc/>{{% endif %}}</w:tr></w:tbl>", False),
        (f"<w:tbl>{GRID}<w:tr><w:tc><w:p/></w:tc></w:tr>{VALUES}</w:tbl>", False),  # first row too narrow
        (f"<w:tbl>{GRID}{ROW}<w:tr><w:tc/><w:tc/><w:tc/></w:tr></w:tbl>", False),  # a row too wide
        (f"<w:tbl>{GRID}{ROW}<w:tr><w:tc><w:tbl>{GRID}{ROW}</w:tbl></w:tc><w:tc/></w:tr></w:tbl>", False),
        (f"<w:tbl>{GRID}{ROW}{{{{ between }}}}{VALUES}</w:tbl>", False),  # text outside any cell
    ],
)
def test_only_tables_whose_grid_no_data_can_change_skip_the_grid_fix(table, fixed):
    """The fast path skips docxtpl's fix_tables only where it would change nothing in any report."""
    marked = _mark_fixed_grids(f"<w:body><w:p/>{table}<w:p/></w:body>")
    assert (marked.count(_FIXED_GRID.decode()) == 1) is fixed
    assert marked.replace(_FIXED_GRID.decode(), "") == f"<w:body><w:p/>{table}<w:p/></w:body>"


SPANNING = '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p/></w:tc></w:tr>'


@pytest.mark.parametrize(
    ("row", "marked_rows"),
    [
        (VALUES, [ROW, VALUES]),
        (SPANNING, [ROW, SPANNING]),
        ("<w:tr><w:tc/><w:tc/><w:tc/></w:tr>", [ROW, "<w:tr><w:tc/><w:tc/><w:tc/></w:tr>"]),  # too wide
        ("<w:tr><w:tc/>{% if x %}<w:tc/>{% endif %}</w:tr>", [ROW]),
        ('<w:tr><w:tc><w:tcPr><w:gridSpan w:val="{{ n }}"/></w:tcPr><w:p/></w:tc></w:tr>', [ROW]),
        ("<w:tr><w:tc><w:p><w:r><w:t>{{ x|safe }}</w:t></w:r></w:p></w:tc><w:tc/></w:tr>", [ROW]),
        ("<w:tr><w:tc><w:sdt><w:sdtContent><w:p/></w:sdtContent></w:sdt></w:tc><w:tc/></w:tr>", [ROW]),
        (f"<w:tr><w:tc><w:tbl>{GRID}{ROW}</w:tbl></w:tc><w:tc/></w:tr>", []),  # a table in a table
    ],
)
def test_only_rows_whose_cells_no_data_can_change_are_counted_from_their_mark(row, marked_rows):
    """The grid check counts a marked row from its mark and the strict reparse leaves it out: only rows
    whose cells and well-formedness no value can change are marked, and the verdict is the one of the row."""
    source = f"<w:body><w:p/><w:tbl>{GRID}{{% if x %}}{ROW}{{% endif %}}{row}</w:tbl><w:p/></w:body>"
    marked = _mark_fixed_rows(source).encode()
    assert marked.count(_FIXED_ROW) == len(marked_rows)
    assert _unmarked(marked).decode() == source
    assert [sure for *_, sure in _tables(marked)] == [sure for *_, sure in _tables(source.encode())]
    left = source
    for fixed in marked_rows:
        left = left.replace(fixed, "", 1)
    assert _to_reparse(marked).decode() == left
