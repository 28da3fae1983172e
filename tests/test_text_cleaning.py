"""Text as the model keeps it (#21): NFC, one line, no character a Word file cannot hold — the same whether
the text is already clean (the usual case, taken without looking further) or needs cleaning."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc_gen.errors import InvalidValue
from cchc_gen.model.report import clean_text

XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufdd0-\ufdef\ufffe\uffff]")


def cleaned(text: str) -> str | None:
    """What cleaning means, written out: None for a text refused."""
    text = unicodedata.normalize("NFC", text)
    return None if XML_INVALID.search(text) else " ".join(text.split())


def outcome(text: str) -> str | None:
    try:
        return clean_text(text)
    except InvalidValue:
        return None


SPACES = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\xa0", "\u1680", "\u2003", "\u2028"]
ODD = ["\x00", "\x01", "\x1f", "\ufdd0", "\ufdef", "\ufffe", "\uffff", "\u200b", "\ufeff", "\u00ad"]
TEXT = st.lists(
    st.sampled_from(["a", "Kết", unicodedata.normalize("NFD", "quả"), "đ", ".", "**", *SPACES, *ODD]),
    max_size=12,
).map("".join)


@given(TEXT)
def test_a_text_is_cleaned_as_written_out(text: str):
    assert outcome(text) == cleaned(text)


@pytest.mark.parametrize(
    "text",
    ["", " ", "Kết quả", " Kết quả", "Kết quả ", "Kết  quả", "Kết\u00a0quả", "Kết\nquả", "Kết\x01quả"],
)
def test_edge_texts_are_cleaned_as_written_out(text: str):
    assert outcome(text) == cleaned(text)


def test_every_character_taken_as_clean_is_neither_a_break_nor_refused():
    """The quick way takes a printable text with single spaces as clean: every printable character but
    the space must then be no whitespace and no character refused."""
    for code in range(0x110000):
        character = chr(code)
        if character.isprintable() and character != " ":
            assert not character.isspace() and not XML_INVALID.search(character), hex(code)
