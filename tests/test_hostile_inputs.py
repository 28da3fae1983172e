"""Hostile and careless input: no hang, no memory blow-up, no traceback (#16).

Each case is an input built here the way it arrives by email or USB stick: a data file, unit registry or
profile.yaml of nested aliases, a FIFO, a template that loops or multiplies without end or reaches outside
itself, a workbook stretched to its last cell, protected by a password or carrying macros, a full disk. Each
ends in exit 1, a Vietnamese message naming the file with a fix, no traceback, and no file created or
changed. Cases that could hang or eat the memory run as a separate process under 1 GiB of address space
and a timeout (tests/limits.py).
"""

from __future__ import annotations

import errno
import io
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import msoffcrypto
import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from msoffcrypto.format.ooxml import OOXMLFile

from cchc_gen.cli import main
from cchc_gen.errors import CchcError
from cchc_gen.excel import convert as excel
from cchc_gen.render import docx as rendering
from cchc_gen.render.sandbox import _InternalsRefused
from cchc_gen.source.yaml_file import MAX_ALIAS_VALUES, MAX_DEPTH, MAX_NODES, load_yaml
from cchc_gen.vn import numbers
from tests.conftest import DEFAULT_PROFILE, write_yaml
from tests.limits import cchc_limited

LAUGHS = "\n".join(
    [
        'a: &a ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]',
        *(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]" for i in range(8)),
    ]
)


def files_of(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` with its size and modification time: what a run must leave as it was."""
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file() or p.is_fifo()
    }


def assert_refused(returncode: int, output: str, file: str, *fragments: str) -> None:
    assert returncode == 1, output
    assert "Traceback" not in output and "Lỗi không mong đợi" not in output, output
    assert file in output, output
    assert "Cách sửa:" in output, output
    for fragment in fragments:
        assert fragment in output, output


def render_limited(tmp_path: Path, data_file: Path, *fragments: str, file: str | None = None) -> None:
    """``cchc render`` of ``data_file`` in a bounded process: refused, and nothing written or changed."""
    before = files_of(tmp_path)
    run = cchc_limited("render", str(data_file), "-o", "ra/bao-cao.docx", cwd=tmp_path)
    assert_refused(run.returncode, run.output, file or data_file.name, *fragments)
    assert files_of(tmp_path) == before


def render_in_process(tmp_path: Path, data_file: Path, *fragments: str, file: str | None = None) -> str:
    before = files_of(tmp_path)
    result = CliRunner().invoke(main, ["render", str(data_file), "-o", "ra/bao-cao.docx"])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    assert_refused(result.exit_code, result.output, file or data_file.name, *fragments)
    assert files_of(tmp_path) == before
    return result.output


# --- 1. Data files --------------------------------------------------------------------------------------


YAML_BOMBS = {
    "billion-laughs": (
        f"{LAUGHS}\nunit: tx-an-binh\n",
        [f"quá {numbers.format_number(MAX_ALIAS_VALUES)} giá trị lặp lại", "dòng "],
    ),
    "merge-keys": (
        "l0: &l0 {"
        + ", ".join(f"k{i}: {i}" for i in range(10))
        + "}\n"
        + "\n".join(
            f"l{n}: &l{n} {{" + ", ".join(f"m{j}: {{<<: *l{n - 1}}}" for j in range(10)) + "}"
            for n in range(1, 9)
        )
        + "\n",
        [f"quá {numbers.format_number(MAX_ALIAS_VALUES)} giá trị lặp lại"],
    ),
    "self-alias": ("unit: &u\n  - *u\n", ["nằm bên trong chính giá trị mà nó trỏ tới", "dòng 1"]),
    "deep-brackets": ("sections: " + "[" * 5000 + "]" * 5000 + "\n", [f"lồng nhau quá sâu (hơn {MAX_DEPTH}"]),
    "deep-indent": (
        "".join(f"{'  ' * i}k{i}:\n" for i in range(MAX_DEPTH + 5)) + "  " * (MAX_DEPTH + 5) + "x: 1\n",
        [f"lồng nhau quá sâu (hơn {MAX_DEPTH}"],
    ),
    "many-values": (
        "figures: [" + "0," * (MAX_NODES + 10) + "0]\n",
        [f"quá nhiều giá trị (hơn {numbers.format_number(MAX_NODES)}"],
    ),
}


@pytest.mark.parametrize("name", YAML_BOMBS)
def test_a_data_file_that_would_exhaust_the_memory_is_refused(data_tree, tmp_path, name):
    data_tree()
    text, fragments = YAML_BOMBS[name]
    data_file = tmp_path / "data" / "2024-Q1" / f"{name}.yaml"
    data_file.write_text(text, encoding="utf-8")
    render_limited(tmp_path, data_file, *fragments)


def test_a_unit_registry_of_nested_aliases_is_refused(data_tree, tmp_path):
    data_file = data_tree()
    registry = tmp_path / "data" / "units.yaml"
    registry.write_text(f"{LAUGHS}\n{registry.read_text(encoding='utf-8')}", encoding="utf-8")
    render_limited(tmp_path, data_file, "giá trị lặp lại", file="units.yaml")


def test_a_profile_of_nested_aliases_is_refused(data_tree, tmp_path):
    data_file = data_tree()
    profile = tmp_path / "templates" / DEFAULT_PROFILE.name / "profile.yaml"
    profile.write_text(f"{LAUGHS}\n{profile.read_text(encoding='utf-8')}", encoding="utf-8")
    render_limited(tmp_path, data_file, "giá trị lặp lại", file="profile.yaml")


def test_a_batch_reads_within_the_same_bounds(data_tree, tmp_path):
    data_file = data_tree()
    data_file.write_text(f"{LAUGHS}\n{data_file.read_text(encoding='utf-8')}", encoding="utf-8")
    run = cchc_limited("batch", "data", "-j", "1", cwd=tmp_path)
    assert_refused(run.returncode, run.output, "tx-an-binh", "giá trị lặp lại")
    assert not list(tmp_path.glob("outputs/*/*.docx"))


def test_a_fifo_is_refused_not_waited_on(data_tree, tmp_path):
    data_tree()
    fifo = tmp_path / "data" / "2024-Q1" / "ong-dan.yaml"
    os.mkfifo(fifo)
    render_limited(tmp_path, fifo, "không phải tệp thông thường", "ống dẫn (FIFO)")


def test_a_device_is_refused_not_read_forever(data_tree, tmp_path):
    data_tree()
    device = tmp_path / "data" / "2024-Q1" / "thiet-bi.yaml"
    device.symlink_to("/dev/zero")
    render_limited(tmp_path, device, "không phải tệp thông thường")


def test_a_data_file_too_large_is_refused_before_it_is_read(data_tree, tmp_path):
    data_tree()
    large = tmp_path / "data" / "2024-Q1" / "lon.yaml"
    with large.open("wb") as stream:
        stream.truncate(17 * 1024 * 1024)  # sparse: no disk spent
    render_limited(tmp_path, large, "quá lớn (hơn 16 MB")


# --- 2. Templates ---------------------------------------------------------------------------------------


def add_template_paragraph(tmp_path: Path, text: str) -> Path:
    template = tmp_path / "templates" / DEFAULT_PROFILE.name / "template.docx"
    document = docx.Document(str(template))
    document.paragraphs[0].insert_paragraph_before(text)
    document.save(str(template))
    return template


TEMPLATE_BOMBS = {
    "nested-range": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "lặp hoặc gọi quá 1.000.000 lần",
    ),
    "multiplied": ("{{ 'a' * 10**10 }}", "một giá trị dài 10.000.000.000 ký tự"),
    "doubled": (
        "{% set ns = namespace(s='a') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
        "{{ ns.s }}",
        "quá giới hạn 10.000.000",
    ),
    "doubled-with-plus": (
        "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
        "quá giới hạn 10.000.000",
    ),
    "list-extended": (
        "{% set l = [1] %}{% for i in range(64) %}{{ l.extend(l) }}{% endfor %}",
        "quá giới hạn 10.000.000",
    ),
    "padded": ("{{ 'x'.ljust(10**10) }}", "10.000.000.000 ký tự"),
    "centered": ("{{ 'x' | center(10**10) }}", "10.000.000.000 ký tự"),
    "printf-width": ("{{ '%*d' % (10**9, 1) }}", "độ rộng lấy từ giá trị"),
    "format-width": ("{{ '{:>9999999999}'.format(1) }}", "9.999.999.999 ký tự"),
    "power": ("{{ 10 ** (10 ** 10) }}", "một số quá lớn"),
    "recursive-macro": ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "gọi lồng nhau quá 40 cấp"),
    "range-too-large": ("{{ range(10**9) | list }}", "range() với 1.000.000.000 số"),
    "output-in-variable": (
        "{% for i in range(100000) %}{% set x %}{% for j in range(100) %}{{ 'a' * 1000000 }}{% endfor %}"
        "{% endset %}{% endfor %}",
        "quá 50 triệu ký tự",
    ),
}


@pytest.mark.parametrize("name", TEMPLATE_BOMBS)
def test_a_template_that_would_hang_or_exhaust_the_memory_is_refused_at_its_paragraph(
    data_tree, tmp_path, name
):
    data_file = data_tree()
    tag, fragment = TEMPLATE_BOMBS[name]
    add_template_paragraph(tmp_path, tag)
    render_limited(
        tmp_path, data_file, fragment, f"đoạn mẫu “{tag[:40]}", "Lỗi trong mẫu", file="template.docx"
    )


SANDBOX = {
    "internals": (
        "{{ unit.__class__ }}",
        "mẫu truy cập '__class__' của giá trị kiểu dict — phần bên trong của Python",
        "Xóa phần bắt đầu bằng '_'",
    ),
    "include": (
        "{% include 'khac.xml' %}",
        "mẫu dùng thẻ 'include' để lấy một mẫu khác",
        "Chép phần cần dùng",
    ),
    "import": ("{% import 'khac.xml' as k %}", "mẫu dùng thẻ 'import'", "Chép phần cần dùng"),
    "filter-on-text": ("{{ unit.name | so }}", "không phải là số", "bộ lọc so chỉ dùng với số"),
    "division": ("{{ 1 / 0 }}", "mẫu chia cho 0", "Sửa phép tính"),
}


@pytest.mark.parametrize("name", SANDBOX)
def test_sandbox_refusals_are_in_vietnamese_at_their_paragraph(data_tree, tmp_path, name):
    data_file = data_tree()
    tag, message, fix = SANDBOX[name]
    add_template_paragraph(tmp_path, tag)
    output = render_in_process(tmp_path, data_file, message, fix, f"đoạn mẫu “{tag}”", file="template.docx")
    assert "unsafe" not in output and "no loader" not in output and "TypeError" not in output


def test_a_profile_text_that_loops_without_end_names_profile_yaml(data_tree, tmp_path):
    data_file = data_tree()
    profile = tmp_path / "templates" / DEFAULT_PROFILE.name / "profile.yaml"
    spec = yaml.safe_load(profile.read_text(encoding="utf-8"))
    spec["title"] = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    write_yaml(profile, spec)
    render_limited(tmp_path, data_file, "lặp hoặc gọi quá", file="profile.yaml")


# --- 3. Template content that would leak into reports ---------------------------------------------------


def rewrite_zip(path: Path, change: Callable[[zipfile.ZipFile, zipfile.ZipFile], None]) -> None:
    """Copy the archive ``path`` member by member through ``change(source, target)``."""
    source_bytes = path.read_bytes()
    with (
        zipfile.ZipFile(io.BytesIO(source_bytes)) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        change(source, out)


def external_link(source: zipfile.ZipFile, out: zipfile.ZipFile) -> None:
    for item in source.infolist():
        data = source.read(item)
        if item.filename == "word/_rels/document.xml.rels":
            data = data.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                b'relationships/attachedTemplate" Target="http://example.invalid/mau.dotm" '
                b'TargetMode="External"/></Relationships>',
            )
        out.writestr(item, data)


def dotdot_member(source: zipfile.ZipFile, out: zipfile.ZipFile) -> None:
    for item in source.infolist():
        out.writestr(item, source.read(item))
    out.writestr("../../ngoai.txt", "x")


def symlink_member(source: zipfile.ZipFile, out: zipfile.ZipFile) -> None:
    for item in source.infolist():
        out.writestr(item, source.read(item))
    link = zipfile.ZipInfo("word/media/lien-ket.png")
    link.create_system = 3
    link.external_attr = 0o120777 << 16
    out.writestr(link, "/etc/passwd")


LEAKS = {
    "external": (external_link, ["mẫu đính kèm trỏ ra ngoài tệp", "http://example.invalid/mau.dotm"]),
    "dotdot": (dotdot_member, ["phần '../../ngoai.txt' có tên trỏ ra ngoài tệp"]),
    "symlink": (symlink_member, ["phần 'word/media/lien-ket.png' là một liên kết tượng trưng"]),
}


@pytest.mark.parametrize("name", LEAKS)
def test_a_template_reaching_outside_itself_is_refused_at_render(data_tree, tmp_path, name):
    data_file = data_tree()
    change, fragments = LEAKS[name]
    rewrite_zip(tmp_path / "templates" / DEFAULT_PROFILE.name / "template.docx", change)
    render_in_process(tmp_path, data_file, *fragments, file="template.docx")


@pytest.mark.parametrize("name", LEAKS)
def test_a_template_reaching_outside_itself_is_refused_by_template_check(data_tree, tmp_path, name):
    data_tree()
    change, fragments = LEAKS[name]
    rewrite_zip(tmp_path / "templates" / DEFAULT_PROFILE.name / "template.docx", change)
    result = CliRunner().invoke(main, ["template", "check", DEFAULT_PROFILE.name])
    assert_refused(result.exit_code, result.output, "template.docx", *fragments)


# --- 4. Workbooks ---------------------------------------------------------------------------------------


@pytest.fixture
def workbook(data_tree, tmp_path) -> Path:
    """The test report as a workbook in its period folder (the YAML file removed)."""
    data_file = data_tree()
    book = excel.convert(data_file, data_file.with_suffix(".xlsx"))
    data_file.unlink()
    return book


def edit(path: Path, change: Callable[[openpyxl.Workbook], None], target: Path | None = None) -> Path:
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(target or path)
    if target is not None and target != path:
        path.unlink()
    return target or path


def test_a_value_in_the_last_cell_is_read_without_reading_the_used_range(workbook, tmp_path):
    edit(workbook, lambda book: book["Nội dung"].cell(1_048_576, 16_384, "ô cuối"))
    render_limited(tmp_path, workbook, "Sheet 'Nội dung', ô XFD1048576", "chỉ dùng cột 'Nội dung'")


def test_a_million_rows_are_refused_before_they_are_built(workbook, tmp_path):
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{r}</t></is></c></row>' for r in range(1, 10**6)
    )

    def stretch(source: zipfile.ZipFile, out: zipfile.ZipFile) -> None:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet3.xml":
                data = re.sub(
                    rb"<sheetData>.*</sheetData>|<sheetData/>",
                    f"<sheetData>{rows}</sheetData>".encode(),
                    data,
                    flags=re.S,
                )
            out.writestr(item, data)

    rewrite_zip(workbook, stretch)
    render_limited(
        tmp_path, workbook, "Bảng tính lưu quá nhiều ô (hơn 200.000 ô", "chọn các dòng và cột thừa"
    )


def test_a_merge_over_the_whole_sheet_is_refused(workbook, tmp_path):
    edit(workbook, lambda book: book["Hướng dẫn"].merged_cells.add("A1:XFD1048576"))
    render_limited(tmp_path, workbook, "quá nhiều ô", "sheet 'Hướng dẫn'")


def with_macros(source: zipfile.ZipFile, out: zipfile.ZipFile) -> None:
    for item in source.infolist():
        data = source.read(item)
        if item.filename == "[Content_Types].xml":
            data = data.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
        out.writestr(item, data)
    out.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")


def test_a_workbook_with_macros_renamed_xlsx_is_refused(workbook, tmp_path):
    rewrite_zip(workbook, with_macros)
    render_in_process(tmp_path, workbook, "Bảng tính có macro (VBA)", "Excel Workbook (*.xlsx)")


def test_an_xlsm_workbook_is_refused(workbook, tmp_path):
    macro_book = workbook.rename(workbook.with_suffix(".xlsm"))
    render_in_process(tmp_path, macro_book, "Bảng tính có macro (VBA)")


def test_a_password_protected_workbook_says_so(workbook, tmp_path):
    encrypted = io.BytesIO()
    with workbook.open("rb") as plain:
        OOXMLFile(plain).encrypt("mat-khau", encrypted)
    workbook.write_bytes(encrypted.getvalue())
    assert msoffcrypto.OfficeFile(io.BytesIO(encrypted.getvalue())).is_encrypted()
    output = render_in_process(tmp_path, workbook, "được bảo vệ bằng mật khẩu", "Encrypt with Password")
    assert "không phải bảng tính" not in output


def test_two_sheets_of_figures_are_refused_naming_both(workbook, tmp_path):
    edit(workbook, lambda book: setattr(book.copy_worksheet(book["Số liệu"]), "title", "Số liệu cũ"))
    render_in_process(tmp_path, workbook, "Có nhiều sheet cùng dạng sheet 'Số liệu': 'Số liệu', 'Số liệu cũ'")


@pytest.mark.filterwarnings("error::UserWarning")  # openpyxl's warning must not reach the clerk
def test_a_date_past_the_year_9999_is_a_message_at_its_cell_not_a_warning(workbook, tmp_path):
    def far_date(book: openpyxl.Workbook) -> None:
        sheet = book["Thông tin chung"]
        row = next(c.row for c in sheet["A"] if c.value == "Ngày ký")
        sheet.cell(row, 2, 3_000_000).number_format = "dd/mm/yyyy"

    edit(workbook, far_date)
    render_in_process(tmp_path, workbook, "Sheet 'Thông tin chung', ô B", "số 3000000 không phải ngày nào")


# --- 5. Extreme numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [1.7976931348623157e308, float("inf"), float("-inf"), float("nan"), 5e-324])
def test_an_extreme_float_is_a_number_error_at_the_parser(value):
    with pytest.raises(numbers.NumberError):
        numbers.parse_number(value)


def test_a_number_of_a_hundred_digits_and_more_is_refused():
    assert numbers.read_number(10**99) == " ".join(["một", *["tỷ"] * 11])
    with pytest.raises(numbers.NumberError, match="quá nhiều chữ số"):
        numbers.read_number(10**100)


@pytest.mark.parametrize("value", [1.7976931348623157e308, 1e300])
def test_a_huge_float_in_a_figure_cell_is_a_message_at_its_cell(workbook, tmp_path, value):
    def huge(book: openpyxl.Workbook) -> None:
        sheet = book["Số liệu"]
        row = next(c.row for c in sheet["F"] if c.value == "kh_nhiem_vu")
        sheet.cell(row, 4, value)

    edit(workbook, huge)
    render_in_process(tmp_path, workbook, "Sheet 'Số liệu', ô D")


# --- 6. Full disk ---------------------------------------------------------------------------------------


def fail_writing(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    """Writing a file's bytes gets half way, then the system says ``code``."""
    original = Path.write_bytes

    def write_bytes(self: Path, data: bytes) -> int:
        original(self, data[: len(data) // 2])
        raise OSError(code, os.strerror(code), str(self))

    monkeypatch.setattr(Path, "write_bytes", write_bytes)


DISK_ERRORS = {
    errno.ENOSPC: ("đĩa đã đầy", "Giải phóng dung lượng đĩa"),
    errno.EROFS: ("ổ đĩa hoặc thư mục chỉ cho đọc", "gạt khóa chống ghi"),
    errno.EACCES: ("không có quyền ghi", "kiểm tra quyền ghi"),
    errno.EIO: ("lỗi đọc ghi của thiết bị", "Kiểm tra ổ đĩa hoặc USB"),
}


@pytest.mark.parametrize("code", DISK_ERRORS, ids=errno.errorcode.get)
def test_a_write_that_fails_leaves_nothing_and_says_why(data_tree, tmp_path, monkeypatch, code):
    data_file = data_tree()
    (tmp_path / "ra").mkdir()
    old = tmp_path / "ra" / "bao-cao.docx"
    old.write_bytes(b"ban cu")
    fail_writing(monkeypatch, code)
    reason, fix = DISK_ERRORS[code]
    output = render_in_process(
        tmp_path, data_file, f"Không ghi được báo cáo: {reason}", fix, file="bao-cao.docx"
    )
    assert old.read_bytes() == b"ban cu"
    assert os.strerror(code) not in output


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES], ids=errno.errorcode.get)
def test_a_folder_that_cannot_be_written_leaves_nothing_and_says_why(data_tree, tmp_path, monkeypatch, code):
    """Running as root, chmod does not stop a write: the temporary file's creation fails instead."""
    data_file = data_tree()

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(rendering.tempfile, "mkstemp", refuse)
    output = render_in_process(tmp_path, data_file, DISK_ERRORS[code][0], file="bao-cao.docx")
    assert os.strerror(code) not in output


def test_a_name_too_long_says_so(data_tree, tmp_path):
    data_file = data_tree()
    result = CliRunner().invoke(main, ["render", str(data_file), "-o", f"{'a' * 300}.docx"])
    assert_refused(
        result.exit_code, result.output, "aaaa", "tên hoặc đường dẫn tệp quá dài", "Đặt tên tệp ngắn hơn"
    )
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_a_failed_save_of_a_workbook_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "bang-tinh.xlsx"

    def interrupted(temporary: str) -> None:
        Path(temporary).write_text("nửa chừng", encoding="utf-8")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rendering.save_atomically(target, interrupted, "bảng tính", "Excel")
    assert list(tmp_path.iterdir()) == []


# --- 7. Situations that were unexpected errors ----------------------------------------------------------


DATA_MISTAKES = {
    "date-that-does-not-exist": ("date: 2026-02-30\n", ["Ngày '2026-02-30' không có thật", "dòng 4"]),
    "lone-surrogate": ('title: "Báo cáo \\udc80"\n', ["Chuỗi thoát \\u", "\\udc80", "dòng 4"]),
    "integer-of-5000-digits": (f"so_lon: {'9' * 5000}\n", ["không đọc được thành số", "dòng 4"]),
    "complex-key": ("? [a, b]\n: c\n", ["Tên trường phải là chữ", "dòng 4"]),
}


@pytest.mark.parametrize("name", DATA_MISTAKES)
def test_a_value_python_cannot_hold_is_a_message_at_its_line(data_tree, tmp_path, name):
    data_file = data_tree()
    text, fragments = DATA_MISTAKES[name]
    lines = data_file.read_text(encoding="utf-8").splitlines(keepends=True)
    data_file.write_text("".join(lines[:3]) + text + "".join(lines[3:]), encoding="utf-8")
    render_in_process(tmp_path, data_file, *fragments)


def test_a_file_not_in_utf8_names_its_line(data_tree, tmp_path):
    data_file = data_tree()
    data_file.write_bytes(data_file.read_bytes() + "title: Báo cáo\n".encode("cp1258"))
    line = len(data_file.read_bytes().splitlines())
    render_in_process(tmp_path, data_file, "Tệp không phải văn bản UTF-8", f"dòng {line}", "bảng mã UTF-8")


def test_a_damaged_batch_manifest_keeps_reports_edited_by_hand(data_tree, tmp_path):
    data_tree()
    assert CliRunner().invoke(main, ["batch", "data", "-j", "1"]).exit_code == 0
    manifest = tmp_path / "outputs" / "2024-Q1" / ".manifest.jsonl"
    report = tmp_path / "outputs" / "2024-Q1" / "tx-an-binh.docx"
    manifest.write_bytes(b'\xff\xfe\x00 h\xe1ng\n{"unit": \n')
    report.write_bytes(report.read_bytes() + b"\0")  # edited by hand since
    before = files_of(tmp_path / "outputs")
    result = CliRunner().invoke(main, ["batch", "data", "-j", "1"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "Lỗi không mong đợi" not in result.output
    assert "đã bị sửa tay" in result.output
    assert files_of(tmp_path / "outputs")["2024-Q1/tx-an-binh.docx"] == before["2024-Q1/tx-an-binh.docx"]


def test_a_data_folder_named_in_another_encoding_is_batched(data_tree, tmp_path):
    """A folder name from a USB stick that is not UTF-8 (in a process of its own: click's test runner
    cannot print such a name, a terminal can)."""
    data_tree()
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/d\xffli\xeau"))
    shutil.move(tmp_path / "data", odd)
    first = cchc_limited("batch", str(odd), "-j", "1", cwd=tmp_path)
    assert first.returncode == 0, first.output
    assert len(list(tmp_path.rglob("tx-an-binh.docx"))) == 1
    again = cchc_limited("batch", str(odd), "-j", "1", cwd=tmp_path)
    assert again.returncode == 0 and "Bỏ qua (không đổi): 1" in again.output, again.output


def test_a_bounded_read_refuses_with_a_user_error_naming_the_file(tmp_path):
    bomb = tmp_path / "bom.yaml"
    bomb.write_text(LAUGHS, encoding="utf-8")
    with pytest.raises(CchcError) as refused:
        load_yaml(bomb)
    assert refused.value.problems[0].file == bomb


def test_a_key_is_read_as_jinja_reads_it_and_python_internals_stay_out_of_reach():
    """The sandbox reads a dict's keys quickly, but as Jinja does: a dict's own attributes come first, and
    the internals of Python are refused even when the data has a key of their name."""
    env = rendering.make_environment()
    data = {"ten": "An Bình", "items": "khóa", "mro": "mro là khóa", "__class__": "lớp"}
    shown = "{{ d.ten }}|{{ d.items() | list | length }}|{{ d['items'] }}|{{ d.mro }}"
    assert env.from_string(shown).render(d=data) == "An Bình|4|khóa|mro là khóa"
    with pytest.raises(_InternalsRefused):
        env.from_string("{{ d.__class__ }}").render(d=data)
