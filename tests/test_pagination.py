"""The page of the signature always carries body text above Nơi nhận (#14), even for a body whose closing
sentence ends exactly at the bottom of a page: the closing is kept with the signature block that follows
it, so both move to the next page together.

The body is grown one line at a time across the end of page 1, each length rendered, and all laid out by
LibreOffice in one run. The same documents with the closing's "keep with next" taken out of its style
(the template before #14) show that the lengths do reach the case: the closing as the last line of page 1,
and Nơi nhận with the signature alone under the page number of page 2.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from cchc_gen import api
from cchc_gen.render.pdf import convert_to_pdf
from tests.conftest import REPORT, UNITS, write_yaml
from tests.office import pdf_pages, signature_page

# Extra one-line paragraphs at the end of the body: from a report signed on page 1 to one whose closing
# is on page 2. A line with its spacing is about 25 pt, the signature block about 135 pt high: a step of
# two lines cannot jump over the lengths whose closing, and not the signature, still fits on page 1.
LENGTHS = range(0, 16, 2)
CLOSING_STYLE = "CCHC Đoạn kết"


def body(length: int) -> list[dict]:
    """The test report's sections, the last one ``length`` lines longer."""
    lines = [f"Nội dung bổ sung thứ {n:02d} của báo cáo, viết trên một dòng." for n in range(1, length + 1)]
    last = {"heading": "Kiến nghị, đề xuất", "content": ["Không có kiến nghị.", *lines]}
    return [REPORT["sections"][0], last]


@pytest.fixture(scope="module")
def layouts(tmp_path_factory) -> dict[tuple[int, bool], list[str]]:
    """The text of each page, by (length, whether the closing is kept with the signature)."""
    out = tmp_path_factory.mktemp("pagination")
    write_yaml(out / "data" / "units.yaml", UNITS)
    documents: dict[tuple[int, bool], Path] = {}
    for length in LENGTHS:
        report = {key: value for key, value in REPORT.items() if key != "figures"}  # no appendix
        data = write_yaml(
            out / "data" / "2024-Q1" / f"dai-{length:02d}.yaml", {**report, "sections": body(length)}
        )
        kept = documents[length, True] = api.render_report(data, out / f"dai-{length:02d}.docx")
        loose = docx.Document(str(kept))
        loose.styles[CLOSING_STYLE].paragraph_format.keep_with_next = False
        loose.save(str(documents.setdefault((length, False), out / f"truoc-{length:02d}.docx")))
    pdfs = convert_to_pdf(list(documents.values()))
    return {key: pdf_pages(pdf) for key, pdf in zip(documents, pdfs, strict=True)}


@pytest.mark.office
@pytest.mark.parametrize("length", LENGTHS)
def test_the_signature_page_has_the_closing_above_noi_nhan(layouts, length):
    _, above = signature_page(layouts[length, True])
    assert above and above[-1].endswith("./."), above


@pytest.mark.office
def test_the_lengths_reach_a_closing_that_ends_a_page(layouts):
    signed = [signature_page(layouts[length, True])[0] for length in LENGTHS]
    assert signed[0] == 0 and signed[-1] == 1, "from a report signed on page 1 to one signed on page 2"
    ending = [length for length in LENGTHS if not signature_page(layouts[length, False])[1]]
    assert ending, "some length puts the closing on the last line of page 1 when it is not kept"
    for length in ending:
        before = layouts[length, False]
        last = next(line for line in reversed(before[0].splitlines()) if line.strip())
        assert last.strip().endswith("./.") and "Nơi nhận:" in before[1]
        page, above = signature_page(layouts[length, True])
        assert page == 1 and above and above[-1].endswith("./."), "kept: the closing goes to page 2 with it"
