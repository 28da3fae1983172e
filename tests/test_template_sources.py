"""The two bundled profiles' template.docx are the output of their generators in tools/, not files edited in
Word: a change made by hand would be lost the next time the generator runs. Each generator is run as a
maintainer runs it and its output compared, part by part, with the committed file (the zip's dates are
left out: they say when a file was saved, not what it holds)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

GENERATORS = {
    "bao-cao-dinh-ky": "build_default_template.py",
    "bao-cao-kiem-tra": "build_inspection_template.py",
}


def parts(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as package:
        return [(name, package.read(name)) for name in package.namelist()]


@pytest.mark.parametrize("profile", GENERATORS)
def test_bundled_template_is_its_generators_output(profile: str, tmp_path: Path) -> None:
    built = tmp_path / "template.docx"
    generator = ROOT / "tools" / GENERATORS[profile]
    subprocess.run([sys.executable, str(generator), str(built)], cwd=ROOT, check=True)
    committed = parts(ROOT / "templates" / profile / "template.docx")
    generated = parts(built)
    assert [name for name, _ in committed] == [name for name, _ in generated]
    changed = [name for (name, data), (_, fresh) in zip(committed, generated, strict=True) if data != fresh]
    assert not changed, (
        f"templates/{profile}/template.docx is not what tools/{GENERATORS[profile]} makes (parts {changed}): "
        "change the generator, run it and commit its output"
    )
