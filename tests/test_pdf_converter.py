"""PDF on every core (#21): the LibreOffice instances of ``cchc batch --pdf`` convert side by side from one
queue, a file LibreOffice cannot open fails alone, and an instance that hangs or dies is replaced and its
file tried again; ``cchc render --pdf`` shares its files among one ``soffice`` call per core. Every PDF is
read back with poppler."""

from __future__ import annotations

import os
import shutil
import signal
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from cchc_gen import api
from cchc_gen.errors import OutputError, Problem
from cchc_gen.render import pdf
from tests.conftest import ROOT
from tests.office import pdf_pages

pytestmark = pytest.mark.office

SAMPLE = ROOT / "data" / "2026-9T" / "ht-duc-tho.yaml"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rendered")
    return api.render_report(SAMPLE, folder / "duc-tho.docx")


def reports(rendered: Path, folder: Path, count: int) -> list[Path]:
    documents = []
    for n in range(count):
        document = folder / f"bao-cao-{n + 1}.docx"
        shutil.copyfile(rendered, document)
        documents.append(document)
    return documents


def convert(documents: list[Path], instances: int = 2) -> tuple[list[Path], dict[int, Problem | None]]:
    """Convert with a PdfConverter: the PDFs asked for, and each file's problem (None when converted)."""
    targets = [document.with_suffix(".pdf") for document in documents]
    results: dict[int, Problem | None] = {}
    converter = pdf.PdfConverter(instances)
    converter.convert(list(zip(documents, targets, strict=True)), results.__setitem__)
    return targets, results


def assert_opens_as_the_report(file: Path) -> None:
    pages = pdf_pages(file)
    assert "BÁO CÁO" in pages[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in " ".join(pages[0].split())


def watched(monkeypatch: pytest.MonkeyPatch, act: Callable[[int], None] | None = None) -> list[str]:
    """The names of the instances that take each request, in order; with ``act``, the instance that takes
    the first request has ``act`` done to its process group (kill or freeze LibreOffice) as it converts."""
    used: list[str] = []
    original = pdf._Office.convert
    lock = threading.Lock()

    def convert(office: pdf._Office, source: Path, target: Path) -> None:
        with lock:
            first = not used
            used.append(office.name)
        if first and act is not None:
            if office.process is None:
                office._start()
            assert office.process is not None
            act(office.process.pid)
        original(office, source, target)

    monkeypatch.setattr(pdf._Office, "convert", convert)
    return used


def test_the_instances_convert_from_one_queue_and_every_pdf_opens(rendered, tmp_path, monkeypatch):
    used = watched(monkeypatch)
    documents = reports(rendered, tmp_path, 4)
    targets, results = convert(documents, instances=2)
    assert results == dict.fromkeys(range(4))
    for target in targets:
        assert_opens_as_the_report(target)
    assert sorted(set(used)) == ["0", "1"], "both instances took files"


def test_a_file_libreoffice_cannot_open_fails_alone(rendered, tmp_path):
    documents = reports(rendered, tmp_path, 3)
    broken = tmp_path / "hong.docx"
    broken.write_bytes(rendered.read_bytes()[:4000])  # cut short, as a failed copy from a USB stick
    documents.insert(1, broken)
    targets, results = convert(documents)
    problem = results[1]
    assert problem is not None
    assert problem.file == broken
    assert "LibreOffice không chuyển được sang PDF (không mở được tệp), kể cả khi thử lại." in str(problem)
    assert not targets[1].exists()
    for index in (0, 2, 3):
        assert results[index] is None
        assert_opens_as_the_report(targets[index])


@pytest.mark.parametrize(
    ("stop", "timeout"),
    [(signal.SIGKILL, None), (signal.SIGSTOP, 8)],  # a frozen instance is given up after 8 s
    ids=["dies", "hangs"],
)
def test_an_instance_that_dies_or_hangs_is_replaced_and_its_file_tried_again(
    rendered, tmp_path, monkeypatch, stop, timeout
):
    if timeout is not None:
        monkeypatch.setattr(pdf, "TIMEOUT_PER_FILE", timeout)
    documents = reports(rendered, tmp_path, 3)
    used = watched(monkeypatch, lambda group: os.killpg(group, stop))
    targets, results = convert(documents)
    assert results == dict.fromkeys(range(3))
    for target in targets:
        assert_opens_as_the_report(target)
    assert len(used) == 4, "the file of the stopped instance was sent once more, to a fresh one"


def test_render_shares_its_files_among_soffice_calls_and_reports_the_one_that_fails(rendered, tmp_path):
    documents = reports(rendered, tmp_path, 3)
    written = pdf.convert_to_pdf(documents, instances=2)
    assert written == [document.with_suffix(".pdf") for document in documents]
    for file in written:
        assert_opens_as_the_report(file)

    broken = tmp_path / "hong.docx"
    broken.write_bytes(rendered.read_bytes()[:4000])
    again = tmp_path / "lan-hai"
    again.mkdir()
    with pytest.raises(OutputError) as failed:
        pdf.convert_to_pdf([*documents, broken], again, instances=2)
    assert [problem.file for problem in failed.value.problems] == [broken]
    assert "LibreOffice không mở được tệp này để chuyển sang PDF." in str(failed.value)
    assert sorted(p.name for p in again.iterdir()) == [f"{d.stem}.pdf" for d in documents]


def test_render_reports_the_soffice_calls_that_do_not_finish_in_time(rendered, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "TIMEOUT_PER_FILE", 0.01)  # LibreOffice cannot even start in that time
    documents = reports(rendered, tmp_path, 3)
    with pytest.raises(OutputError) as failed:
        pdf.convert_to_pdf(documents, instances=2)
    # One problem for each call, named after the first file of its share.
    assert [problem.file for problem in failed.value.problems] == documents[:2]
    assert "LibreOffice không chuyển xong sang PDF trong thời gian cho phép." in str(failed.value)
    assert not list(tmp_path.glob("*.pdf"))
