"""A command imports only what it uses (#21): ``cchc --help`` and ``cchc doc-so`` answer without loading
Word, Excel, the data model, charts or the web framework, and ``cchc render`` of a YAML file without Excel
or charts. Each command runs in a fresh Python, as a clerk starts it; what it printed and which modules it
loaded are read back."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import cchc_gen
from cchc_gen import api
from tests.conftest import ROOT

# Heavy libraries, by the name of their top-level module.
EXCEL = "openpyxl"
WORD = {"docx", "docxtpl"}
MODEL = "pydantic"
CHARTS = {"matplotlib", "numpy"}
WEB = "django"
EVERYTHING = {EXCEL, *WORD, MODEL, *CHARTS, WEB}

SAMPLE = ROOT / "data" / "2026-9T" / "ht-duc-tho.yaml"

# The command runs through click's entry point as ``cchc`` does; its exit code and the modules it loaded
# are written last, on a line of their own.
RUN = """
import json, sys
from cchc_gen.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
print("\\n" + json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def run(args: list[str], cwd: Path) -> tuple[str, int, set[str]]:
    """Run ``cchc <args>`` in a fresh interpreter: what it printed, its exit code, the top-level packages
    it imported."""
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )
    printed, _, last = done.stdout.rstrip("\n").rpartition("\n")
    assert last.startswith("{"), done.stderr
    result = json.loads(last)
    return printed, result["code"], {name.split(".")[0] for name in result["modules"]}


@pytest.mark.parametrize(
    ("args", "printed", "not_loaded"),
    [
        (["--help"], "Tạo báo cáo cải cách hành chính", EVERYTHING),
        (["render", "--help"], "Tạo báo cáo .docx từ tệp dữ liệu", EVERYTHING),
        (["batch", "--help"], "Tạo báo cáo của mọi đơn vị", EVERYTHING),
        (["doc-so", "1.050.000"], "một triệu không trăm năm mươi nghìn", EVERYTHING),
        (["doc-so", "30.000.000", "--tien"], "Ba mươi triệu đồng", EVERYTHING),
        (["render", str(SAMPLE), "-o", "{tmp}/duc-tho.docx"], "Đã tạo báo cáo:", {EXCEL, *CHARTS, WEB}),
        (["kiem-tra", str(SAMPLE)], "Đã kiểm tra 1 tệp: 0 lỗi", {EXCEL, *CHARTS, WEB}),
    ],
    ids=["help", "render-help", "batch-help", "doc-so", "doc-so-tien", "render-yaml", "kiem-tra-yaml"],
)
def test_a_command_imports_only_what_it_uses(
    args: list[str], printed: str, not_loaded: set[str], tmp_path: Path
) -> None:
    output, code, loaded = run([arg.format(tmp=tmp_path) for arg in args], ROOT)
    assert code == 0, output
    assert printed in output
    assert loaded & not_loaded == set()


def test_rendering_a_yaml_file_writes_the_report_it_says(tmp_path: Path) -> None:
    """Once a run has built the profile's template, the next ones take it from the cache
    (cchc_gen/render/template_cache.py) and write the same report without loading docxtpl."""
    reports = []
    for run_number in range(2):
        target = tmp_path / f"duc-tho-{run_number}.docx"
        output, code, loaded = run(["render", str(SAMPLE), "-o", str(target)], ROOT)
        assert code == 0, output
        reports.append(target.read_bytes())
    assert MODEL in loaded
    assert loaded & WORD == set()
    assert reports[0] == reports[1]


def reexported_for_type_checkers(module: ModuleType, only_as: bool) -> set[str]:
    """The names ``module`` imports under ``if TYPE_CHECKING:`` (with ``only_as``, those imported as
    themselves, ``import x as x``: what it re-exports)."""
    tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom):
                    names |= {a.name for a in statement.names if not only_as or a.asname == a.name}
    return names


@pytest.mark.parametrize(("module", "only_as"), [(cchc_gen, False), (api, True)], ids=["cchc_gen", "api"])
def test_every_name_known_to_the_type_checker_is_there_when_first_used(module, only_as):
    """A name the type checker is told about but that is left out of the lazy list would pass mypy and
    fail on the page or command that uses it."""
    names = reexported_for_type_checkers(module, only_as)
    assert names
    assert {name for name in names if not hasattr(module, name)} == set()
