"""The corpus of bad inputs (tests/bad_inputs/: data files, unit registries, workbooks, templates): each
ends in its Vietnamese message, exit 1, no traceback, and no output file left behind (#10). Inputs marked
'resource: true' (built to exhaust the memory or hang) run as a separate process under 1 GiB of address
space and a timeout (#16); tools/run_bad_inputs.sh runs the whole corpus under that limit."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cchc_gen.cli import main
from tests.limits import cchc_limited

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
CASES = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))


def test_every_file_of_the_corpus_has_its_expected_message():
    files = [*CORPUS.rglob("*.yaml"), *CORPUS.rglob("*.xlsx")]
    inputs = {p.relative_to(CORPUS).as_posix() for p in files if p.name != "units.yaml"}
    inputs -= {"expected.yaml"}
    inputs -= {p.relative_to(CORPUS).as_posix() for p in CORPUS.glob("templates/*/profile.yaml")}
    assert len(CASES) >= 30
    assert {c["file"] for c in CASES} == inputs


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["file"])
def test_bad_input(case, tmp_path, monkeypatch):
    if case.get("templates"):
        monkeypatch.setenv("CCHC_TEMPLATES", str(CORPUS / "templates"))
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "ra" / "bao-cao.docx"
    args = ["render", str(CORPUS / case["file"]), "-o", str(output)]
    if case.get("resource"):
        env = {"CCHC_TEMPLATES": str(CORPUS / "templates")} if case.get("templates") else None
        run = cchc_limited(*args, cwd=tmp_path, env=env)
        exit_code, text = run.returncode, run.output
    else:
        result = CliRunner().invoke(main, args)
        assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
        exit_code, text = result.exit_code, result.output
    assert exit_code == 1, text
    assert "Traceback" not in text and "Lỗi không mong đợi" not in text
    for fragment in case["expect"]:
        assert fragment in text
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert leftovers == [], "nothing written, not even a temporary file"
