"""The layout's shortcuts (#21) give what the long way gives: a profile's text without a Jinja tag is said
without rendering it; a table's text measured with the width of each character kept."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_gen.model.profile import load_profile
from cchc_gen.render import tables
from cchc_gen.render.context import expand_profile_text
from cchc_gen.render.docx import make_environment
from cchc_gen.source.loading import load_report
from tests.conftest import ROOT

ENV = make_environment()
PROFILE = load_profile(None)
LOADED = load_report(ROOT / "data" / "2026-9T" / "ht-duc-tho.yaml")
# The ends of Jinja's tags (a tag needs a "{" to open it), and the spaces and line ends it reads.
PIECES = ["}", "%", "#", "-", "+", "}}", "%}", "#}", "\n", "\r\n", "\r", " ", "\t", "\u00a0", "\u2028"]
PIECES += ["Kết quả", "kỳ tới", "raw", "endraw", "##", "  ", "<b>&amp;</b>"]
NOT_A_BRACE = st.text(st.characters(blacklist_characters="{"), max_size=4)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | NOT_A_BRACE, max_size=12).map("".join))
def test_a_text_without_tags_is_said_as_jinja_renders_it(text: str):
    rendered = " ".join(ENV.from_string(text).render().split())
    assert expand_profile_text(text, LOADED.unit, LOADED.report.period, PROFILE, ENV) == rendered


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60), st.booleans())
def test_a_text_is_as_wide_as_its_characters_added_up_one_by_one(text: str, bold: bool):
    one_by_one = sum(
        tables.CAPITAL_CM if c.isupper() else tables.DIGIT_CM if c.isdigit() else tables.CHAR_CM for c in text
    )
    assert tables._width_cm(text, bold) == one_by_one * (tables.BOLD if bold else 1)
