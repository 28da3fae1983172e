"""Every report the suite renders (tests/conftest.py), opened by LibreOffice: page 1, the signature page and
the page numbers in the PDF; and each passes the project's own format check (cchc kiem-tra-the-thuc)."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import docx
import pytest

from cchc_gen.errors import Severity
from cchc_gen.nd30.check import check_document
from cchc_gen.render.pdf import convert_to_pdf
from cchc_gen.source.loading import load_report
from tests.conftest import REPORTS, SAMPLES
from tests.office import first_line, pdf_pages, signature_page


@pytest.fixture(scope="module")
def pdfs(every_report) -> dict[str, Path]:
    """All the reports converted in one LibreOffice run."""
    documents = [every_report[name][1] for name in REPORTS]
    return dict(zip(REPORTS, convert_to_pdf(documents), strict=True))


def test_there_are_samples():
    assert len([s for s in SAMPLES if "examples" not in s.parts]) >= 6
    assert len([s for s in SAMPLES if "examples" in s.parts]) >= 3
    assert len(REPORTS) > len(SAMPLES), "and the province's roll-ups"


@pytest.mark.office
@pytest.mark.parametrize("name", REPORTS)
def test_pdf_layout(name, every_report, pdfs):
    loaded = load_report(every_report[name][0])
    pages = pdf_pages(pdfs[name])
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


@pytest.mark.office
@pytest.mark.parametrize("name", REPORTS)
def test_every_report_passes_its_format_check_and_signs_under_body_text(name, every_report, pdfs):
    """No error of cchc kiem-tra-the-thuc; the signature page has the closing sentence above Nơi nhận,
    and no page of the body ends with a heading."""
    docx_file = every_report[name][1]
    errors = [
        f"{f.rule}: {f.found} ({f.where[0]})"
        for f in check_document(docx_file)
        if f.severity == Severity.ERROR
    ]
    assert errors == []

    pages = pdf_pages(pdfs[name])
    signed, above = signature_page(pages)
    assert above and above[-1].endswith("./."), "the closing sentence is on the page of the signature"
    headings = {
        "".join(p.text.split())
        for p in docx.Document(str(docx_file)).paragraphs
        if p.style.name in ("CCHC Mục", "CCHC Khoản", "CCHC Tiểu mục")
    }
    assert len(headings) > 3
    for number, page in enumerate(pages[:signed], start=1):
        lines = ["".join(line.split()) for line in page.splitlines() if line.strip()]
        ends = {"".join(lines[-count:]) for count in (1, 2, 3)}  # a heading may take up to three lines
        assert not ends & headings, f"page {number} ends with a heading"
