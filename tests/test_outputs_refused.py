"""Outputs that would destroy or leak a file, and planted links (#16).

Every command that writes refuses, before it writes anything, an output that is one of the run's inputs,
the registry or a file of a profile, that lacks the suffix of what it writes, that two inputs would both
write, or that is a symbolic link (a link is refused, not replaced: nothing it points to is read, copied or
written). A data "file" that is a FIFO, a socket or a broken link is reported for its unit, not skipped.

Each case ends in exit 1, the Vietnamese message naming the file with a fix, no traceback, and no file
under the working folder created, changed or removed (the outside folder "ngoài" is part of it).
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from cchc_gen.cli import main
from tests.conftest import ROOT, snapshot
from tests.excel_book import as_workbook

PERIOD = "2026-9T"
DUC_THO = f"data/{PERIOD}/ht-duc-tho.yaml"
SECRET = "ngoài/bí-mật.txt"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample data (a province, three communes, two periods), a profile of one's own in templates/,
    and a folder "ngoài" outside both holding a file no command may touch."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "templates" / "bao-cao-dinh-ky", tmp_path / "templates" / "bao-cao-dinh-ky")
    (tmp_path / "ngoài").mkdir()
    (tmp_path / SECRET).write_text("không ai được chép hay ghi đè tệp này\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_refused(result: Result, *fragments: str) -> None:
    """Exit 1 with a Vietnamese message and a fix, no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and "Lỗi không mong đợi" not in result.output
    assert "Cách sửa: " in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output


def link(path: str, target: str) -> None:
    Path(path).unlink(missing_ok=True)
    Path(path).symlink_to(Path(target).resolve())


def copy_of_duc_tho() -> None:
    shutil.copy(DUC_THO, f"data/{PERIOD}/ban-sao.yaml")


def hard_link_to_duc_tho() -> None:
    os.link(DUC_THO, "ban-sao.xlsx")


def previous_period_as_workbook() -> None:
    as_workbook(Path("data/2026-6T/ht-duc-tho.yaml"))


def a_report_of_duc_tho() -> None:
    assert run("render", DUC_THO, "-o", "bao-cao.docx").exit_code == 0


def secret_at(path: str) -> Callable[[], None]:
    return lambda: link(path, SECRET)


def nothing() -> None:
    return None


# (what, how the folder is prepared, the command, fragments of its message)
CASES: list[tuple[str, Callable[[], None], list[str], list[str]]] = [
    (
        "render onto its data file",
        nothing,
        ["render", DUC_THO, "-o", DUC_THO],
        [f"{DUC_THO}: Đây là tệp {DUC_THO} mà lệnh này đọc vào", "Cách sửa: Chọn tệp khác bằng -o."],
    ),
    (
        "render onto the registry",
        nothing,
        ["render", DUC_THO, "-o", "data/units.yaml"],
        ["data/units.yaml: Đây là danh mục đơn vị", "units.yaml mà lệnh này đọc vào"],
    ),
    (
        "render onto a hard link of its data file",
        hard_link_to_duc_tho,
        ["render", DUC_THO, "-o", "ban-sao.xlsx"],
        [f"ban-sao.xlsx: Đây là tệp {DUC_THO} mà lệnh này đọc vào"],
    ),
    (
        "render under a workbook's name",
        nothing,
        ["render", DUC_THO, "-o", "bao-cao.xlsx"],
        [
            "bao-cao.xlsx: Tên tệp có đuôi '.xlsx', nhưng lệnh này ghi báo cáo Word: tệp phải có đuôi .docx.",
            "Cách sửa: Đặt tên tệp có đuôi .docx, ví dụ bao-cao.docx.",
        ],
    ),
    (
        "render under a name without a suffix",
        nothing,
        ["render", DUC_THO, "-o", "bao-cao"],
        ["bao-cao: Tên tệp không có đuôi, nhưng lệnh này ghi báo cáo Word"],
    ),
    (
        "render onto a profile's template",
        nothing,
        ["render", DUC_THO, "-o", "templates/bao-cao-dinh-ky/template.docx"],
        ["Tệp này nằm trong bộ mẫu", "bao-cao-dinh-ky: ghi báo cáo Word vào đó sẽ sửa bộ mẫu"],
    ),
    (
        "render two files of one unit and period",
        copy_of_duc_tho,
        ["render", DUC_THO, f"data/{PERIOD}/ban-sao.yaml"],
        [
            f"ht-duc-tho.docx: Hai tệp {DUC_THO} và data/{PERIOD}/ban-sao.yaml cùng ghi ra báo cáo Word này",
            "Cách sửa: Bỏ một trong hai tệp khỏi lệnh",
        ],
    ),
    (
        "render onto a link",
        secret_at("bao-cao.docx"),
        ["render", DUC_THO, "-o", "bao-cao.docx"],
        ["bao-cao.docx: Đây là một liên kết (symlink) tới", "bí-mật.txt", "hoặc chọn tệp khác bằng -o."],
    ),
    (
        "render a PDF onto a link",
        secret_at("bao-cao.pdf"),
        ["render", DUC_THO, "-o", "bao-cao.docx", "--pdf"],
        ["bao-cao.pdf: Đây là một liên kết (symlink) tới"],
    ),
    (
        "tong-hop onto a commune's data file",
        nothing,
        ["tong-hop", "ht", "--period", PERIOD, "-o", DUC_THO, "--ghi-de"],
        [f"{DUC_THO}: Đây là tệp {DUC_THO} mà lệnh này đọc vào: ghi tệp dữ liệu ra đó sẽ mất tệp này."],
    ),
    (
        "tong-hop where a commune's workbook would be",
        nothing,
        ["tong-hop", "ht", "--period", PERIOD, "-o", f"data/{PERIOD}/ht-duc-tho.xlsx"],
        [f"Đây là chỗ của tệp data/{PERIOD}/ht-duc-tho.xlsx, nơi các lệnh tìm dữ liệu"],
    ),
    (
        "tong-hop onto the registry",
        nothing,
        ["tong-hop", "ht", "--period", PERIOD, "-o", "data/units.yaml", "--ghi-de"],
        ["data/units.yaml: Đây là danh mục đơn vị data/units.yaml mà lệnh này đọc vào"],
    ),
    (
        "tong-hop under a report's name",
        nothing,
        ["tong-hop", "ht", "--period", PERIOD, "-o", "ht.docx"],
        ["ht.docx: Tên tệp có đuôi '.docx', nhưng lệnh này ghi tệp dữ liệu: tệp phải có đuôi .yaml hoặc"],
    ),
    (
        "tong-hop --ghi-de onto a link",
        secret_at(f"data/{PERIOD}/ht.yaml"),
        ["tong-hop", "ht", "--period", PERIOD, "--ghi-de"],
        [f"data/{PERIOD}/ht.yaml: Đây là một liên kết (symlink) tới"],
    ),
    (
        "tong-hop drawing its chart onto a link",
        secret_at(f"data/{PERIOD}/ht.bieu-do.png"),
        ["tong-hop", "ht", "--period", PERIOD, "--bieu-do"],
        [f"data/{PERIOD}/ht.bieu-do.png: Đây là một liên kết (symlink) tới"],
    ),
    (
        "mau-excel under a YAML name",
        nothing,
        ["mau-excel", "ht-duc-tho", "2026", "-o", "ht-duc-tho.yaml"],
        ["ht-duc-tho.yaml: Tên tệp có đuôi '.yaml', nhưng lệnh này ghi bảng tính Excel", "ht-duc-tho.xlsx"],
    ),
    (
        "mau-excel onto the previous report it starts from",
        previous_period_as_workbook,
        ["mau-excel", "ht-duc-tho", PERIOD, "--tu-ky-truoc", "-o", "data/2026-6T/ht-duc-tho.xlsx"],
        ["data/2026-6T/ht-duc-tho.xlsx: Đây là tệp data/2026-6T/ht-duc-tho.xlsx mà lệnh này đọc vào"],
    ),
    (
        "chuyen-doi onto a hard link of its source",
        hard_link_to_duc_tho,
        ["chuyen-doi", DUC_THO, "ban-sao.xlsx"],
        [f"ban-sao.xlsx: Đây là tệp {DUC_THO} mà lệnh này đọc vào", "Chọn tệp khác bằng tham số TỆP_RA."],
    ),
    (
        "chuyen-doi onto a link",
        secret_at("ht-duc-tho.xlsx"),
        ["chuyen-doi", DUC_THO, "ht-duc-tho.xlsx"],
        ["ht-duc-tho.xlsx: Đây là một liên kết (symlink) tới"],
    ),
    (
        "mau-excel-thu-thap where a commune's workbook would be",
        nothing,
        ["mau-excel-thu-thap", "ht", PERIOD, "-o", f"data/{PERIOD}/ht-thanh-sen.xlsx"],
        [f"Đây là chỗ của tệp data/{PERIOD}/ht-thanh-sen.xlsx, nơi các lệnh tìm dữ liệu: bảng tính Excel"],
    ),
    (
        "nhap-word onto the registry",
        a_report_of_duc_tho,
        ["nhap-word", "bao-cao.docx", "-o", "data/units.yaml"],
        [
            "data/units.yaml: Đây là danh mục đơn vị",
            "units.yaml mà lệnh này đọc vào",
            "Chọn tệp khác bằng -o.",
        ],
    ),
    (
        "nhap-word onto the report it reads",
        a_report_of_duc_tho,
        ["nhap-word", "bao-cao.docx", "-o", "bao-cao.docx"],
        ["bao-cao.docx: Đây là tệp bao-cao.docx mà lệnh này đọc vào: ghi tệp dữ liệu ra đó sẽ mất tệp này."],
    ),
    (
        "nhap-word under a PDF's name",
        a_report_of_duc_tho,
        ["nhap-word", "bao-cao.docx", "-o", "bao-cao.pdf"],
        ["bao-cao.pdf: Tên tệp có đuôi '.pdf', nhưng lệnh này ghi tệp dữ liệu: tệp phải có đuôi .yaml hoặc"],
    ),
    (
        "template new inside another profile",
        nothing,
        ["template", "new", "moi", "--from", "bao-cao-dinh-ky", "--templates", "templates/bao-cao-dinh-ky"],
        ["Tệp này nằm trong bộ mẫu", "ghi bộ mẫu vào đó sẽ sửa bộ mẫu của các báo cáo"],
    ),
]


@pytest.mark.parametrize(("prepare", "args", "fragments"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_an_output_that_would_destroy_or_leak_a_file_is_refused(project, prepare, args, fragments):
    prepare()
    before = snapshot(project)
    assert_refused(run(*args), *fragments)
    assert snapshot(project) == before


def test_nhap_excel_thu_thap_does_not_write_through_a_commune_s_linked_data_file(project):
    assert run("mau-excel-thu-thap", "ht", PERIOD).exit_code == 0
    collection = f"thu-thap-ht-{PERIOD}.xlsx"
    book = openpyxl.load_workbook(collection)
    sheet = book["Thu thập số liệu"]
    row = next(c.row for c in sheet["A"] if c.value == "ht-duc-tho")
    column = next(c.column for c in sheet[12] if c.value == "kh_nhiem_vu")
    sheet.cell(row, column).value = 99
    book.save(collection)
    shutil.move(DUC_THO, "ngoài/ht-duc-tho.yaml")
    link(DUC_THO, "ngoài/ht-duc-tho.yaml")
    before = snapshot(project)
    assert_refused(run("nhap-excel-thu-thap", collection), f"{DUC_THO}: Đây là một liên kết (symlink) tới")
    assert snapshot(project) == before


# --- batch: planted links ----------------------------------------------------------------------------------

OUT = Path("outputs") / PERIOD


def batch(*extra: str) -> Result:
    return run("batch", "data", "--period", PERIOD, "-j", "1", *extra)


@pytest.fixture
def batched(project: Path) -> Path:
    """The project after a first batch: every report, the manifest and the lock file are there."""
    result = batch()
    assert result.exit_code == 0, result.output
    return project


def test_batch_force_never_backs_up_or_writes_through_a_link_at_a_report(batched):
    link(str(OUT / "ht-duc-tho.docx"), SECRET)
    outside = snapshot(batched / "ngoài")
    result = batch("--force")
    assert_refused(result, f"{OUT}/ht-duc-tho.docx: Đây là một liên kết (symlink) tới", "bí-mật.txt")
    assert "ht-duc-tho  lỗi" in result.output and "Lỗi: 1" in result.output
    assert snapshot(batched / "ngoài") == outside
    assert (OUT / "ht-duc-tho.docx").is_symlink()
    assert not (OUT / "ban-cu").exists()


def test_batch_force_never_backs_up_into_a_linked_ban_cu_folder(batched):
    report = OUT / "ht-duc-tho.docx"
    report.write_bytes(report.read_bytes() + b"\0")  # changed by hand: --force keeps a copy first
    edited = report.read_bytes()
    (OUT / "ban-cu").symlink_to(batched / "ngoài")
    outside = snapshot(batched / "ngoài")
    assert_refused(batch("--force"), f"{OUT}/ban-cu: Đây là một liên kết (symlink) tới")
    assert snapshot(batched / "ngoài") == outside
    assert report.read_bytes() == edited


@pytest.mark.parametrize("name", [".manifest.jsonl", ".cchc-batch.lock"])
def test_batch_refuses_a_link_at_its_manifest_or_lock_file_and_writes_nothing(batched, name):
    link(str(OUT / name), SECRET)
    before = snapshot(batched)
    assert_refused(batch("--force"), f"{OUT}/{name}: Đây là một liên kết (symlink) tới")
    assert snapshot(batched) == before


# --- a data "file" that is not a file ------------------------------------------------------------------


def fifo(path: Path) -> None:
    os.mkfifo(path)


def unix_socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()


def broken_link(path: Path) -> None:
    path.symlink_to(path.with_name("không-có.yaml"))


SPECIAL = [
    (fifo, "đây không phải tệp thông thường mà là một ống dẫn (FIFO)"),
    (unix_socket, "đây không phải tệp thông thường mà là một socket"),
    (broken_link, "Đây là một liên kết (symlink) tới"),
]


@pytest.mark.parametrize(("make", "message"), SPECIAL, ids=["fifo", "socket", "broken-link"])
def test_batch_reports_a_data_file_that_is_not_a_file_and_renders_the_others(project, make, message):
    make(project / "data" / PERIOD / "ht-la.yaml")
    result = batch()
    assert_refused(result, f"data/{PERIOD}/ht-la.yaml: ", message, "Cách sửa: ")
    assert "Đã tạo: 3" in result.output and "Lỗi: 1" in result.output
    assert sorted(p.name for p in OUT.glob("*.docx")) == [
        "ht-duc-tho.docx",
        "ht-huong-khe.docx",
        "ht-thanh-sen.docx",
    ]


@pytest.mark.parametrize(("make", "message"), SPECIAL, ids=["fifo", "socket", "broken-link"])
def test_kiem_tra_reports_a_data_file_that_is_not_a_file(project, make, message):
    make(project / "data" / PERIOD / "ht-la.yaml")
    before = snapshot(project)
    result = run("kiem-tra", f"data/{PERIOD}")
    assert_refused(result, f"data/{PERIOD}/ht-la.yaml:\n  - [lỗi] ", message, "Đã kiểm tra 4 tệp: 1 lỗi")
    assert snapshot(project) == before


# --- a registry whose parents come back round ---------------------------------------------------------


@pytest.mark.parametrize(
    ("parent", "message"),
    [
        (
            "ht-duc-tho",
            "Các đơn vị cấp trên lặp vòng: 'ht' (dòng 9) → 'ht-duc-tho' (dòng 37) → 'ht' (dòng 9).",
        ),
        ("ht", "Đơn vị 'ht' (dòng 9) ghi chính nó là đơn vị cấp trên ('parent: ht')."),
    ],
    ids=["ht-and-a-commune", "its-own-parent"],
)
def test_tong_hop_refuses_a_registry_whose_parents_come_back_round(project, parent, message):
    registry = Path("data/units.yaml")
    registry.write_text(
        registry.read_text(encoding="utf-8").replace("  ht:\n", f"  ht:\n    parent: {parent}\n", 1),
        encoding="utf-8",
    )
    before = snapshot(project)
    result = run("tong-hop", "ht", "--period", PERIOD, "--ghi-de")
    assert_refused(result, f"data/units.yaml, dòng 9: {message}", "Cách sửa: Sửa trường 'parent'")
    assert snapshot(project) == before
