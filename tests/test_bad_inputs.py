"""The corpus of bad inputs (tests/bad_inputs/: data files, unit registries, workbooks, templates): each
ends in its Vietnamese message, exit 1, no traceback, and no output file left behind (#10)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cchc_gen.cli import main

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
    result = CliRunner().invoke(main, ["render", str(CORPUS / case["file"]), "-o", str(output)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    for fragment in case["expect"]:
        assert fragment in result.output
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert leftovers == [], "nothing written, not even a temporary file"
