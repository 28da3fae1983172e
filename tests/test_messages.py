"""Messages a clerk reads (#16): click's own words and the operating system's in Vietnamese, a value from
the input quoted as a short excerpt however long it is, and a fix ("Cách sửa") with every problem.

Every test of the suite also checks that each problem it makes has a fix (tests/conftest.py); here the
bad-input corpus is walked through the library itself, problem by problem.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from cchc_gen import api
from cchc_gen.cli import main
from cchc_gen.errors import CchcError, excerpt, os_problem
from tests.conftest import ROOT, snapshot

CORPUS = ROOT / "tests" / "bad_inputs"
CASES = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))

# click's words, and the operating system's, that must never reach a clerk.
ENGLISH = re.compile(
    r"Usage:|Error:|Try '|Invalid value|Missing (?:argument|option|parameter)|No such (?:option|command)"
    r"|does not (?:exist|take)|is a (?:file|directory)"
    r"|is not (?:readable|writable|a valid|in the range|one of)"
    r"|requires an? |Got unexpected|Possible options|Did you mean|\[OPTIONS\]|COMMAND|\[ARGS\]|Aborted"
    r"|Permission denied|No such file|Not a directory|File name too long|Too many levels|Read-only"
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="cchc")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "thư mục").mkdir()
    (tmp_path / "tệp").write_text("không phải thư mục\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- click's messages -----------------------------------------------------------------------------------

USAGE = [
    (["render", "thư mục", "-o", "thư mục"], "'-o' / '--output': 'thư mục' là một thư mục, cần một tệp."),
    (["chuyen-doi", "thư mục", "x.xlsx"], "'TỆP_VÀO': 'thư mục' là một thư mục, cần một tệp."),
    (["batch", "tệp"], "'[THƯ_MỤC_DỮ_LIỆU]': 'tệp' là một tệp, cần một thư mục."),
    (["render", "x.yaml", "--templates", "không-có"], "'--templates': Không có 'không-có'."),
    (["render"], "Thiếu tham số TỆP_DỮ_LIỆU."),
    (["template", "new", "moi"], "Thiếu tùy chọn --from."),
    (["render", "--pdff", "x.yaml"], "Không có tùy chọn --pdff. Có phải ý bạn là '--pdf'?"),
    (["rendr"], "Không có lệnh 'rendr'. Có phải ý bạn là 'render'?"),
    (["batch", "-j", "0"], "'-j' / '--jobs': 0 nằm ngoài khoảng cho phép (x>=1)."),
    (["batch", "-j", "hai"], "'-j' / '--jobs': 'hai' không phải một số."),
    (["batch", "--pdf=1"], "Tùy chọn --pdf không nhận giá trị nào."),
    (["render", "x.yaml", "-o"], "Tùy chọn -o cần một giá trị."),
    (["mau-excel", "a", "b", "c"], "Thừa tham số: c."),
]


@pytest.mark.parametrize(("args", "message"), USAGE, ids=[" ".join(a) for a, _ in USAGE])
def test_click_s_messages_are_vietnamese_with_what_to_do(project, args, message):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert f"Lỗi: Giá trị không hợp lệ của {message}" in result.output or f"Lỗi: {message}" in result.output
    assert re.search(r"Xem 'cchc[\w -]*--help' để biết cách dùng\.", result.output)
    assert not ENGLISH.search(result.output), result.output


@pytest.mark.parametrize("args", [[], ["template"]], ids=["cchc", "cchc template"])
def test_a_group_without_a_command_shows_its_help_in_vietnamese(args):
    result = run(*args)
    assert result.exit_code == 2
    assert result.output.startswith(
        f"Cách dùng: cchc {' '.join(args)} [TÙY_CHỌN] LỆNH [THAM_SỐ]...".replace("  ", " ")
    )
    assert "Lỗi:" not in result.output and not ENGLISH.search(result.output)


def every_command_path() -> list[list[str]]:
    paths = []
    for name, command in main.commands.items():
        paths.append([name])
        paths += [[name, sub] for sub in getattr(command, "commands", {})]
    return paths


@pytest.mark.parametrize("path", every_command_path(), ids=" ".join)
def test_help_has_no_english_of_click(path):
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert result.output.startswith(f"Cách dùng: cchc {' '.join(path)} [TÙY_CHỌN]")
    assert not ENGLISH.search(result.output), result.output


# --- the operating system's errors ----------------------------------------------------------------------

# (error number, what the message says, what the fix says): the reasons a file is not read or written.
OS_ERRORS = [
    (errno.EACCES, "không có quyền ghi hoặc đọc ở đây", "Xin quyền truy cập"),
    (errno.EPERM, "hệ thống không cho phép thao tác này", "Xin quyền truy cập"),
    (errno.EISDIR, "đây là một thư mục, không phải tệp", "Đưa vào một tệp trong thư mục đó"),
    (errno.ENOTDIR, "một phần của đường dẫn là tệp, không phải thư mục", "Kiểm tra lại đường dẫn"),
    (errno.ENOENT, "không có tệp hoặc thư mục này", "Kiểm tra lại đường dẫn và tên tệp"),
    (errno.ENAMETOOLONG, "tên hoặc đường dẫn tệp quá dài", "Đặt tên tệp, thư mục ngắn hơn"),
    (errno.ELOOP, "đường dẫn có liên kết (symlink) trỏ vòng quanh", "Sửa hoặc xóa các liên kết"),
    (errno.EROFS, "ổ đĩa hoặc thư mục chỉ cho đọc (read-only)", "Chọn thư mục ghi được"),
    (errno.ENOSPC, "đĩa đã đầy", "Giải phóng dung lượng đĩa"),
    (errno.EIO, "lỗi đọc ghi của thiết bị", "chép tệp vào máy rồi chạy lại"),
    (errno.EBUSY, "tệp đang bị chương trình khác dùng", "Đóng chương trình đang mở tệp này"),
    (errno.EEXIST, "đã có tệp hoặc thư mục cùng tên", "Đổi tên hoặc chuyển"),
    (errno.EMFILE, "mở quá nhiều tệp cùng lúc", "giảm -j"),
    (errno.ENODEV, "lỗi hệ thống ENODEV", "Kiểm tra đường dẫn, quyền truy cập và dung lượng đĩa"),
]


@pytest.mark.parametrize(
    ("number", "reason", "fix"), OS_ERRORS, ids=[errno.errorcode[n] for n, _, _ in OS_ERRORS]
)
def test_an_os_error_is_told_in_vietnamese_with_its_file_and_a_fix(number, reason, fix):
    problem = os_problem(OSError(number, os.strerror(number), "dữ liệu/ht-duc-tho.yaml"))
    assert str(problem).startswith(f"'dữ liệu/ht-duc-tho.yaml': Không đọc hoặc ghi được tệp: {reason}")
    assert fix in (problem.fix or "")
    assert os.strerror(number) not in str(problem)


def test_a_folder_where_the_outputs_folder_goes_is_named_and_nothing_is_written(project):
    Path("outputs").write_text("một tệp tên outputs\n", encoding="utf-8")
    before = snapshot(project)
    result = run("batch", "data", "--period", "2026-9T")
    assert result.exit_code == 1, result.output
    assert (
        "outputs/2026-9T: Không đọc hoặc ghi được tệp: một phần của đường dẫn là tệp, không phải thư mục."
        in (result.output)
    )
    assert "Cách sửa: Kiểm tra lại đường dẫn" in result.output
    assert not ENGLISH.search(result.output) and "Traceback" not in result.output
    assert snapshot(project) == before


@pytest.mark.parametrize("command", ["render", "kiem-tra"])
def test_a_link_that_loops_is_named_in_vietnamese(project, command):
    Path("vòng-a.yaml").symlink_to("vòng-b.yaml")
    Path("vòng-b.yaml").symlink_to("vòng-a.yaml")
    before = snapshot(project)
    result = run(command, "vòng-a.yaml")
    assert result.exit_code == 1, result.output
    assert "vòng-a.yaml" in result.output and "liên kết (symlink) trỏ vòng quanh" in result.output
    assert "Cách sửa: Sửa hoặc xóa các liên kết trong đường dẫn." in result.output
    assert not ENGLISH.search(result.output) and "Lỗi không mong đợi" not in result.output
    assert snapshot(project) == before


# --- a value quoted as an excerpt -----------------------------------------------------------------------

PAGE = " ".join(["trang dán nhầm"] * 350_000)  # five megabytes on one line
SHOWN = excerpt(PAGE)
# A shorter page for the other fields: PyYAML reads five megabytes in twenty seconds.
LINE = " ".join(["trang dán nhầm"] * 10_000)
LINE_SHOWN = excerpt(LINE)
ARGUMENT = "trang-dán-nhầm" * 7_000  # as long as an argument may be


def test_an_excerpt_is_the_beginning_and_the_length():
    assert SHOWN == "trang dán nhầm trang dán nhầm trang dán nhầm trang dán nhầm… (5.249.999 ký tự)"
    assert excerpt("2026-9T") == "2026-9T"


# (how the page gets into the data file of a commune, what the message says around the excerpt)
PASTED = [
    ("period", lambda data: data.update(period=PAGE), f"Trường 'period': '{SHOWN}' không phải kỳ báo cáo"),
    ("date", lambda data: data.update(date=LINE), f"Trường 'date': '{LINE_SHOWN}' không phải ngày hợp lệ"),
    ("unit", lambda data: data.update(unit=LINE), f"Không tìm thấy đơn vị có mã '{LINE_SHOWN}'"),
    (
        "a field's name",
        lambda data: data.update({LINE: 1}),
        f"Trường '{LINE_SHOWN}' không có trong mẫu dữ liệu.",
    ),
    ("a figure's code", lambda data: data["figures"].update({LINE: 1}), f"Chỉ tiêu '{LINE_SHOWN}' không có"),
    (
        "a figure",
        lambda data: data["figures"].update(kh_nhiem_vu=LINE),
        f"Số nhiệm vụ đề ra trong kế hoạch: “{LINE_SHOWN}” không phải là số.",
    ),
    ("a picture", lambda data: data["sections"][0]["content"].append({"image": LINE}), f"ảnh '{LINE_SHOWN}'"),
    ("the profile", lambda data: data.update(profile=LINE), f"Không có bộ mẫu '{LINE_SHOWN}'"),
]


@pytest.mark.parametrize(("paste", "message"), [c[1:] for c in PASTED], ids=[c[0] for c in PASTED])
def test_a_page_pasted_into_a_field_is_quoted_as_an_excerpt(project, paste, message):
    data_file = Path("data/2026-9T/ht-duc-tho.yaml")
    data = yaml.safe_load(data_file.read_text(encoding="utf-8"))
    paste(data)
    data_file.write_text(yaml.safe_dump(data, allow_unicode=True, width=10**8), encoding="utf-8")
    before = snapshot(project)
    result = run("render", str(data_file), "-o", "bao-cao.docx")
    assert result.exit_code == 1, result.output[:2000]
    assert message in result.output
    assert len(result.output) < 3000 and "Cách sửa: " in result.output
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["batch", "data", "--units", ARGUMENT], f"đơn vị '{excerpt(ARGUMENT)}'"),
        (
            ["tong-hop", ARGUMENT, "--period", "2026-9T"],
            f"Không có đơn vị mã '{excerpt(ARGUMENT)}'",
        ),
        (["doc-so", ARGUMENT], f"“{excerpt(ARGUMENT)}” không phải là số."),
        (["render", "--" + "x" * 100_000], f"Không có tùy chọn {excerpt('--' + 'x' * 100_000)}."),
    ],
    ids=["batch --units", "tong-hop", "doc-so", "an option"],
)
def test_a_page_pasted_as_an_argument_is_quoted_as_an_excerpt(project, args, message):
    result = run(*args)
    assert result.exit_code in (1, 2), result.output[:2000]
    assert message in result.output
    assert len(result.output) < 2000


# --- a fix with every problem ---------------------------------------------------------------------------


def test_every_problem_of_the_bad_input_corpus_says_how_to_fix_it(tmp_path):
    """The corpus of tests/bad_inputs through the library: every problem of every file, not only the first
    printed, names its file and has a fix."""
    problems = []
    for case in CASES:
        templates = CORPUS / "templates" if case.get("templates") else None
        with pytest.raises(CchcError) as raised:
            api.render_reports([CORPUS / case["file"]], tmp_path / "bao-cao.docx", templates=templates)
        problems += [(case["file"], p) for p in raised.value.problems]
    assert len(problems) >= len(CASES)
    assert [(file, p.message) for file, p in problems if not (p.fix or "").strip()] == []
    assert [(file, p.message) for file, p in problems if p.file is None and "bộ mẫu" not in p.message] == []
