"""The filter table in docs/bo-loc.md is generated from the code and must match it."""

from __future__ import annotations

import inspect
import unicodedata
from pathlib import Path

import pytest

from cchc_gen.render.filters import EXAMPLES, FILTERS, Example, filter_table_markdown, render_example
from cchc_gen.vn.numbers import NumberError
from cchc_gen.vn.periods import PeriodError

DOC = Path(__file__).parent.parent / "docs" / "bo-loc.md"
REGENERATE = (
    "python -c \"import cchc_gen.render.filters as f; open('docs/bo-loc.md', 'w', encoding='utf-8')"
    '.write(f.filter_table_markdown())"'
)


def test_committed_doc_matches_the_code() -> None:
    assert DOC.read_text(encoding="utf-8") == filter_table_markdown(), (
        f"docs/bo-loc.md is stale; run: {REGENERATE}"
    )


def test_every_filter_has_examples_and_every_example_a_filter() -> None:
    assert EXAMPLES.keys() == FILTERS.keys()
    assert all(EXAMPLES.values())


def test_the_original_filters_are_kept() -> None:
    assert {"ngay_tieu_de", "ngay", "ky", "ky_sau"} <= FILTERS.keys()


@pytest.mark.parametrize("name", FILTERS)
def test_docstring_first_line_is_a_description_with_the_first_example(name: str) -> None:
    first_line = inspect.getdoc(FILTERS[name]).splitlines()[0]
    description, separator, example = first_line.partition(": ")
    assert separator and description and "→" in example
    assert f'"{render_example(EXAMPLES[name][0])}"' in example
    assert unicodedata.is_normalized("NFC", first_line)


@pytest.mark.parametrize(
    ("name", "example"), [(name, example) for name, examples in EXAMPLES.items() for example in examples]
)
def test_example_uses_its_filter(name: str, example: Example) -> None:
    assert f"| {name}" in example.template
    assert render_example(example)


@pytest.mark.parametrize(
    ("template", "error"),
    [
        ('{{ "1.5" | so }}', NumberError),
        ('{{ "abc" | doc_tien }}', NumberError),
        ("{{ 1 | ty_le(0) }}", NumberError),
        ('{{ "2023-Q5" | ky_chot }}', PeriodError),
    ],
)
def test_filters_refuse_bad_values(template: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        render_example(Example(template))
