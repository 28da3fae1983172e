"""Every sample report opened by LibreOffice: page 1, the signature page and the page numbers in the PDF."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from cchc_gen import api
from cchc_gen.render.pdf import convert_to_pdf
from cchc_gen.source.loading import load_report
from tests.office import first_line, pdf_pages

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "data").glob("20*/*.yaml")) + sorted((ROOT / "data" / "examples").glob("*.yaml"))


def is_seed(sample: Path) -> bool:
    return "examples" in sample.parts


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory) -> dict[Path, Path]:
    """All samples rendered and converted in one LibreOffice run.

    The seeds are rendered as published, without the figure check: the Quảng Thọ appendix has
    percentages of 130, which `cchc kiem-tra` reports (tests/test_validation.py).
    """
    out = tmp_path_factory.mktemp("pdf")
    documents = [
        api.render_report(sample, out / f"{sample.parent.name}-{sample.stem}.docx", check=not is_seed(sample))
        for sample in SAMPLES
    ]
    return dict(zip(SAMPLES, convert_to_pdf(documents), strict=True))


def test_there_are_samples():
    assert len([s for s in SAMPLES if "examples" not in s.parts]) >= 6
    assert len([s for s in SAMPLES if "examples" in s.parts]) >= 2


@pytest.mark.office
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_pdf_layout(sample, pdfs):
    loaded = load_report(sample)
    pages = pdf_pages(pdfs[sample])
    first = " ".join(pages[0].split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Số:" in first and "BÁO CÁO" in first
    opening = (loaded.report.lead_in or [loaded.report.sections[0].heading])[0]
    assert " ".join(opening.split()[:6]) in first, "the body starts on page 1"

    signature_page = next(i for i, page in enumerate(pages) if "Nơi nhận:" in page)
    signer = loaded.report.signer or loaded.unit.signer
    assert signer.name in pages[signature_page], "Nơi nhận and the signer's name are on the same page"

    body_pages = pages[: signature_page + 1]
    assert not first_line(body_pages[0]).isdigit(), "no page number on page 1"
    for number, page in enumerate(body_pages[1:], start=2):
        assert first_line(page) == str(number)

    appendix_pages = pages[signature_page + 1 :]
    expected = int(bool(loaded.report.figures and loaded.report.appendix)) + len(loaded.report.appendices)
    starts = [i for i, page in enumerate(appendix_pages) if first_line(page).startswith("Phụ lục")]
    assert len(starts) == expected and bool(appendix_pages) == bool(expected)
    assert not starts or starts[0] == 0
    for start, end in pairwise([*starts, len(appendix_pages)]):
        for number, page in enumerate(appendix_pages[start + 1 : end], start=2):
            assert first_line(page) == str(number), "each appendix is numbered on its own"
