"""Bold and italic inside a report's text (#19): the markup read (``**đậm**``, ``*nghiêng*``, ``\\*``), and
the marks that carry it through the template turned into Word runs without ever breaking the XML."""

from __future__ import annotations

from xml.sax.saxutils import escape as xml_escape

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from cchc_gen.model.inline import Span, escape, plain, spans, unclosed
from cchc_gen.model.report import clean_text
from cchc_gen.render.marks import BOLD, PLAIN, apply_marks, marked

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# (typed, pieces: (text, bold, italic))
READINGS = [
    ("**Kết quả:** đạt", [("Kết quả:", True, False), (" đạt", False, False)]),
    (
        "trích *“làm tốt”* như sau",
        [("trích ", False, False), ("“làm tốt”", False, True), (" như sau", False, False)],
    ),
    ("***cả hai***", [("cả hai", True, True)]),
    ("đậm**giữa**từ", [("đậm", False, False), ("giữa", True, False), ("từ", False, False)]),
    ("**a *b** c*", [("a ", True, False), ("b", True, True), (" c", False, True)]),
    ("5\\* sao", [("5* sao", False, False)]),
    ("C:\\Users", [("C:\\Users", False, False)]),
    ("ghi chú (*) và 3 * 4", [("ghi chú (*) và 3 * 4", False, False)]),
    ("* Về tình hình", [("* Về tình hình", False, False)]),
    ("**mở mà không đóng", [("**mở mà không đóng", False, False)]),
    ("****", [("****", False, False)]),
]


@pytest.mark.parametrize(("typed", "pieces"), READINGS, ids=[typed for typed, _ in READINGS])
def test_the_markup_as_read(typed: str, pieces: list[tuple[str, bool, bool]]):
    assert spans(typed) == [Span(*piece) for piece in pieces]


@pytest.mark.parametrize(
    ("typed", "open_marks"),
    [("**mở mà không đóng", ["**"]), ("điểm *ước tính", ["*"]), ("(*) 5* 3 * 4 \\*x", []), ("**a** *b*", [])],
)
def test_unclosed_delimiters_are_found(typed: str, open_marks: list[str]):
    assert unclosed(typed) == open_marks


TEXT = st.text(alphabet=st.sampled_from("ab ẩđ*\\&<>\"'_{}.:"), max_size=40)


@given(TEXT)
def test_escaped_text_prints_as_given(text: str):
    assert plain(escape(text)) == text
    assert not any(span.bold or span.italic for span in spans(escape(text)))


@given(TEXT)
def test_the_marks_make_well_formed_runs_that_read_as_the_text(text: str):
    """Whatever is typed, autoescaped into a run and split by its marks: strict XML, the same text, and each
    run bold and italic as the markup says."""
    value = clean_text(text)
    paragraph = (
        f'<w:p xmlns:w="{W}"><w:r><w:rPr><w:sz w:val="24"/></w:rPr>'
        f'<w:t xml:space="preserve">- {xml_escape(marked(value))}</w:t></w:r></w:p>'
    )
    root = etree.fromstring(apply_marks(paragraph).encode(), etree.XMLParser(recover=False))
    runs = root.findall(f"{{{W}}}r")
    printed = "".join(t.text or "" for run in runs for t in run.findall(f"{{{W}}}t"))
    assert printed == f"- {plain(value)}"
    expected = [(s.bold, s.italic) for s in spans(value) if s.text]
    found = [
        (run.find(f"{{{W}}}rPr/{{{W}}}b") is not None, run.find(f"{{{W}}}rPr/{{{W}}}i") is not None)
        for run in runs
        if "".join(t.text or "" for t in run.findall(f"{{{W}}}t"))
    ]
    emphasised = [style for style in found if any(style)]
    assert emphasised == [style for style in expected if any(style)]
    assert all(run.find(f"{{{W}}}rPr/{{{W}}}sz") is not None for run in runs), "the run's own size is kept"
    assert all(len(run) > 1 for run in runs), "no run without content"


def test_text_after_the_emphasis_keeps_the_run_s_style():
    """ "{{ b.text }}./." in one run: the "./." after bold text is not bold."""
    xml = f'<w:r xmlns:w="{W}"><w:t xml:space="preserve">{marked("**đậm**")}./.</w:t></w:r>'
    assert marked("**đậm**") == f"{BOLD}đậm{PLAIN}"
    assert apply_marks(xml) == (
        f'<w:r xmlns:w="{W}"><w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space="preserve">đậm</w:t></w:r>'
        f'<w:r xmlns:w="{W}"><w:t xml:space="preserve">./.</w:t></w:r>'
    )


@pytest.mark.parametrize("reserved", ["\ufdd0", "\ufdd1", "\ufdef"])
def test_no_text_can_carry_a_mark(reserved: str):
    with pytest.raises(ValueError, match="ký tự điều khiển không hợp lệ"):
        clean_text(f"chữ{reserved}thường")
