"""Vietnamese numbers: formatting, parsing what clerks type, and the formal reading in words."""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from num2words import num2words

from cchc_gen.errors import DataError
from cchc_gen.vn.numbers import (
    MAX_DIGITS,
    NumberError,
    ReadingStyle,
    Typed,
    amount_in_words,
    decimal_places,
    format_number,
    format_percent,
    format_ratio,
    pad_count,
    parse_number,
    percent_number,
    rate,
    rate_agrees,
    read_number,
    read_typed,
    spell_out,
)

LE = ReadingStyle(zero_ten="lẻ")
TU = ReadingStyle(four="tư")
NGAN = ReadingStyle(thousand="ngàn")
ALL_STYLES = [
    ReadingStyle(zero_ten=z, four=f, thousand=t)
    for z, f, t in itertools.product(("linh", "lẻ"), ("bốn", "tư"), ("nghìn", "ngàn"))
]

# --- readings, default (northern, official) style ------------------------------------------------------

READINGS = [
    (0, "không"),
    (1, "một"),
    (2, "hai"),
    (3, "ba"),
    (4, "bốn"),
    (5, "năm"),
    (6, "sáu"),
    (7, "bảy"),
    (8, "tám"),
    (9, "chín"),
    (10, "mười"),
    (11, "mười một"),
    (12, "mười hai"),
    (13, "mười ba"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (16, "mười sáu"),
    (17, "mười bảy"),
    (18, "mười tám"),
    (19, "mười chín"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (22, "hai mươi hai"),
    (23, "hai mươi ba"),
    (24, "hai mươi bốn"),
    (25, "hai mươi lăm"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (104, "một trăm linh bốn"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (111, "một trăm mười một"),
    (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"),
    (1_001, "một nghìn không trăm linh một"),
    (1_005, "một nghìn không trăm linh năm"),
    (1_010, "một nghìn không trăm mười"),
    (1_015, "một nghìn không trăm mười lăm"),
    (1_050, "một nghìn không trăm năm mươi"),
    (1_601, "một nghìn sáu trăm linh một"),
    (2_023, "hai nghìn không trăm hai mươi ba"),
    (15_000, "mười lăm nghìn"),
    (21_000, "hai mươi mốt nghìn"),
    (105_000, "một trăm linh năm nghìn"),
    (1_000_500, "một triệu năm trăm"),
    (1_050_000, "một triệu không trăm năm mươi nghìn"),
    (2_005_000, "hai triệu không trăm linh năm nghìn"),
    (30_000_000, "ba mươi triệu"),
    (1_000_000_005, "một tỷ không trăm linh năm"),
    (19_961_000_000, "mười chín tỷ chín trăm sáu mươi mốt triệu"),
    (1_500_000_000_000, "một nghìn năm trăm tỷ"),
    (5_000_000_000_001, "năm nghìn tỷ không trăm linh một"),
    (10**15, "một triệu tỷ"),
    (10**18, "một tỷ tỷ"),
    (10**27, "một tỷ tỷ tỷ"),
    (-5, "âm năm"),
    (-1_050, "âm một nghìn không trăm năm mươi"),
    ("0,5", "không phẩy năm"),
    ("1,05", "một phẩy không năm"),
    ("47,37", "bốn mươi bảy phẩy ba mươi bảy"),
    ("0,005", "không phẩy không không năm"),
    ("-0,5", "âm không phẩy năm"),
    ("0,50", "không phẩy năm"),
    ("47,00", "bốn mươi bảy"),
    ("-0", "không"),
    ("1.050.000", "một triệu không trăm năm mươi nghìn"),
    ("30.000.000 đồng", "ba mươi triệu"),
    (Decimal("47.37"), "bốn mươi bảy phẩy ba mươi bảy"),
    (Decimal("1E+3"), "một nghìn"),
    (1.05, "một phẩy không năm"),
]


@pytest.mark.parametrize(("value", "words"), READINGS)
def test_reading(value: object, words: str) -> None:
    assert read_number(value) == words


STYLED_READINGS = [
    (105, LE, "một trăm lẻ năm"),
    (1_001, LE, "một nghìn không trăm lẻ một"),
    (24, TU, "hai mươi tư"),
    (14, TU, "mười bốn"),
    (104, TU, "một trăm linh bốn"),
    (1_024, TU, "một nghìn không trăm hai mươi tư"),
    (15_000, NGAN, "mười lăm ngàn"),
    (1_500_000_000_000, NGAN, "một ngàn năm trăm tỷ"),
    (2_005_024, ReadingStyle("lẻ", "tư", "ngàn"), "hai triệu không trăm lẻ năm ngàn không trăm hai mươi tư"),
]


@pytest.mark.parametrize(("value", "style", "words"), STYLED_READINGS)
def test_reading_in_a_style(value: int, style: ReadingStyle, words: str) -> None:
    assert read_number(value, style) == words


# Every row of the num2words table in shared/docs/pitfalls.md, with the correct formal reading.
NUM2WORDS_WRONG = [
    (-5, "âm năm"),
    (Decimal("0.5"), "không phẩy năm"),
    (Decimal("1.05"), "một phẩy không năm"),
    (1015, "một nghìn không trăm mười lăm"),
    (2023, "hai nghìn không trăm hai mươi ba"),
    (1050000, "một triệu không trăm năm mươi nghìn"),
    (10**15, "một triệu tỷ"),
    (10**18, "một tỷ tỷ"),
]


@pytest.mark.parametrize(("value", "words"), NUM2WORDS_WRONG)
def test_rows_num2words_gets_wrong(value: int | Decimal, words: str) -> None:
    assert read_number(value) == words
    assert num2words(value, lang="vi") != words


def test_amount_where_num2words_has_no_currency() -> None:
    with pytest.raises(AttributeError):
        num2words(30_000_000, lang="vi", to="currency")
    assert amount_in_words(30_000_000) == "Ba mươi triệu đồng"


# pitfalls.md: num2words is right for these (it says "lẻ", never "linh").
@pytest.mark.parametrize("value", [15, 21, 25, 105, 30_000_000, 1_234_567_890])
def test_agrees_with_num2words_where_it_is_right(value: int) -> None:
    assert read_number(value, LE) == num2words(value, lang="vi")


def test_no_user_visible_text_comes_from_num2words() -> None:
    package = Path(__file__).parent.parent / "cchc_gen"
    importing = [
        p.name
        for p in package.rglob("*.py")
        if re.search(r"^\s*(from|import) num2words", p.read_text(), re.M)
    ]
    assert importing == []


def test_readings_are_nfc() -> None:
    for value, _ in READINGS:
        assert unicodedata.is_normalized("NFC", read_number(value))


# --- amounts in words ----------------------------------------------------------------------------------

AMOUNTS = [
    ("30.000.000", {}, "Ba mươi triệu đồng"),
    ("30.000.000 đồng", {"chan": True}, "Ba mươi triệu đồng chẵn"),
    (19_961_000_000, {}, "Mười chín tỷ chín trăm sáu mươi mốt triệu đồng"),
    (1_050_000, {"style": NGAN}, "Một triệu không trăm năm mươi ngàn đồng"),
    (0, {}, "Không đồng"),
    (-5, {}, "Âm năm đồng"),
    ("1.000,50", {}, "Một nghìn phẩy năm đồng"),
    ("2.500.000,00", {"chan": True}, "Hai triệu năm trăm nghìn đồng chẵn"),
]


@pytest.mark.parametrize(("value", "options", "words"), AMOUNTS)
def test_amount_in_words(value: object, options: dict, words: str) -> None:
    assert amount_in_words(value, **options) == words


def test_chan_refuses_an_amount_with_a_fraction() -> None:
    with pytest.raises(NumberError, match="chẵn"):
        amount_in_words("1.000,5", chan=True)


# --- parsing what clerks type --------------------------------------------------------------------------

PARSED = [
    ("1.601", 1601),
    ("1601", 1601),
    ("09", 9),
    ("47,37", Decimal("47.37")),
    ("1.234,5", Decimal("1234.5")),
    ("30.000.000 đồng", 30_000_000),
    ("30.000.000đ", 30_000_000),
    ("30.000.000 Đồng", 30_000_000),
    ("47,37%", Decimal("47.37")),
    ("\u00a01.601\u00a0", 1601),
    ("30.000.000\u00a0đồng", 30_000_000),
    ("-5", -5),
    ("- 5", -5),
    ("\u22125", -5),
    ("-0,5", Decimal("-0.5")),
    ("1,601", Decimal("1.601")),
    (1601, 1601),
    (Decimal("47.37"), Decimal("47.37")),
    (47.37, Decimal("47.37")),
    (1.005, Decimal("1.005")),
]


@pytest.mark.parametrize(("text", "number"), PARSED)
def test_parse(text: object, number: int | Decimal) -> None:
    parsed = parse_number(text)
    assert parsed == number
    assert type(parsed) is type(number)


TYPED = [
    ("28,3%", Typed(Decimal("28.3"), "%", "28,3")),
    ("47,37 %", Typed(Decimal("47.37"), "%", "47,37")),
    ("47,37\u00a0%", Typed(Decimal("47.37"), "%", "47,37")),
    ("5%", Typed(5, "%", "5")),
    ("30.000.000đ", Typed(30_000_000, "đồng", "30.000.000")),
    ("30.000.000 Đồng", Typed(30_000_000, "đồng", "30.000.000")),
    ("02", Typed(2, "", "02")),
    (" -5 ", Typed(-5, "", "-5")),
    (47.37, Typed(Decimal("47.37"))),
    (1.601, Typed(Decimal("1.601"))),
    (19, Typed(19)),
]


@pytest.mark.parametrize(("value", "typed"), TYPED)
def test_read_typed_keeps_the_unit(value: object, typed: Typed) -> None:
    assert read_typed(value) == typed


NOT_NUMBERS = [
    ("1.5", "dấu chấm"),
    ("1.60", "dấu chấm"),
    ("0.5", "dấu chấm"),
    ("1..601", "dấu chấm"),
    ("1,601.5", "tiếng Anh"),
    ("1,2,3", "dấu phẩy"),
    ("47,", "dấu phẩy"),
    ("", "không có chữ số"),
    ("đồng", "không có chữ số"),
    ("abc", "không phải là số"),
    ("--5", "không phải là số"),
    ("1 601", "không phải là số"),
    (True, "đúng/sai"),
    (None, "NoneType"),
    (float("nan"), "hữu hạn"),
    (float("inf"), "hữu hạn"),
    (Decimal("NaN"), "hữu hạn"),
]


@pytest.mark.parametrize(("value", "message"), NOT_NUMBERS)
def test_parse_rejects(value: object, message: str) -> None:
    with pytest.raises(NumberError, match=message) as caught:
        parse_number(value)
    assert isinstance(caught.value, ValueError)


# --- formatting ----------------------------------------------------------------------------------------

FORMATTED = [
    (1601, None, "1.601"),
    (19_961_000_000, None, "19.961.000.000"),
    (999, None, "999"),
    (0, None, "0"),
    (-1_234, None, "-1.234"),
    (Decimal("1234.5"), None, "1.234,5"),
    (Decimal("47.50"), None, "47,50"),
    ("47,368", 2, "47,37"),
    ("2,5", 2, "2,50"),
    ("2,5", 0, "3"),
    ("-2,5", 0, "-3"),
    (1.005, 2, "1,01"),
    ("0,125", 2, "0,13"),
    ("-0,001", 2, "0,00"),
    (10**30, 2, "1" + ".000" * 10 + ",00"),
]


@pytest.mark.parametrize(("value", "decimals", "text"), FORMATTED)
def test_format_number(value: object, decimals: int | None, text: str) -> None:
    assert format_number(value, decimals) == text


@settings(max_examples=300, deadline=None)
@given(number=st.integers(min_value=-(10**MAX_DIGITS) + 1, max_value=10**MAX_DIGITS - 1))
def test_an_integer_prints_as_its_decimal_does(number: int) -> None:
    assert format_number(number) == format_number(Decimal(number))


@pytest.mark.parametrize("number", [10**MAX_DIGITS, -(10**MAX_DIGITS)])
def test_an_integer_of_too_many_digits_is_refused_when_printed(number: int) -> None:
    with pytest.raises(NumberError, match="quá nhiều chữ số"):
        format_number(number)


@settings(max_examples=500, deadline=None)
@given(
    part=st.integers(-(10**15), 10**15),
    whole=st.integers(-(10**15), 10**15).filter(bool),
    decimals=st.integers(0, 6),
)
def test_a_rate_of_counts_is_the_one_worked_out_in_fractions(part: int, whole: int, decimals: int) -> None:
    scaled = Fraction(part) * 100 * 10**decimals / Fraction(whole)
    rounded = math.floor(abs(scaled) + Fraction(1, 2))
    exact = f"{'-' if scaled < 0 else ''}{rounded}E-{decimals}"
    assert str(rate(part, whole, decimals)) == str(Decimal(exact))


@pytest.mark.parametrize(
    "number",
    [Decimal(10**MAX_DIGITS), Decimal(f"1E-{MAX_DIGITS + 1}"), Decimal("1E+400"), Decimal("-1E+400")],
)
def test_a_decimal_of_too_many_digits_is_refused_when_printed(number: Decimal) -> None:
    for printed in (format_number, percent_number, decimal_places):
        with pytest.raises(NumberError, match="quá nhiều chữ số"):
            printed(number)


PERCENTS = [
    ("47,368", {}, "47,37%"),
    (100, {}, "100%"),
    (100, {"trim": False}, "100,00%"),
    (Decimal("50.50"), {}, "50,5%"),
    (Decimal("33.333"), {"decimals": 1}, "33,3%"),
    (Decimal("0.005"), {}, "0,01%"),
]


@pytest.mark.parametrize(("value", "options", "text"), PERCENTS)
def test_format_percent(value: object, options: dict, text: str) -> None:
    assert format_percent(value, **options) == text


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        ("47,368", 2, "47,37"),
        (Decimal("100.00"), 2, "100"),
        (Decimal("99.80"), 2, "99,8"),
        (Decimal("46.3400"), None, "46,34"),
        (Decimal("0.05") * 100, None, "5"),
        ("47,368", 1, "47,4"),
    ],
)
def test_percent_number(value: object, decimals: int | None, text: str) -> None:
    assert percent_number(value, decimals) == text
    assert format_percent(value, decimals) == text + "%"


@pytest.mark.parametrize(
    ("value", "places"), [("47,37", 2), (47, 0), (Decimal("1E+3"), 0), (1.601, 3), ("100,00", 2)]
)
def test_decimal_places(value: object, places: int) -> None:
    assert decimal_places(value) == places


# (stated rate, part, whole, the report's decimals, whether they agree)
AGREEMENTS = [
    ("47,37", 9, 19, 2, True),
    ("47,4", 9, 19, 2, True),
    ("47", 9, 19, 2, True),
    ("47,368", 9, 19, 2, True),
    (Decimal("47.368421052631576"), 9, 19, 2, True),  # what a percent cell holding =9/19 gives
    ("47,36", 9, 19, 2, False),
    ("47,4", 9, 19, 0, True),  # rounded as the report rounds: 47
    ("48", 9, 19, 0, False),
    ("50", 9, 19, 2, False),
    ("100", 5, 5, 2, True),
    ("88,76", 1421, 1601, 2, True),
    ("88,75", 1421, 1601, 2, False),
    (Decimal("1.5150"), 2121, 140001, 2, False),  # 1,51499…%: printed with 2 places it would say 1,52
    (Decimal("1.5150"), 2121, 140001, None, True),  # printed as stated, it is right
    ("47,368", 9, 19, None, True),
    ("47,361", 9, 19, None, False),
]


@pytest.mark.parametrize(("stated", "part", "whole", "decimals", "agrees"), AGREEMENTS)
def test_rate_agrees(stated: object, part: int, whole: int, decimals: int | None, agrees: bool) -> None:
    assert rate_agrees(stated, part, whole, decimals) is agrees


@settings(max_examples=200, deadline=None)
@given(
    whole=st.integers(min_value=1, max_value=10**7),
    share=st.fractions(min_value=0, max_value=1),
    places=st.integers(min_value=0, max_value=6),
    decimals=st.integers(min_value=0, max_value=4),
)
def test_a_computed_rate_agrees(whole: int, share, places: int, decimals: int) -> None:
    """Computed with at most the places a report prints, a rate agrees with its ratio; printed as it was
    stated, it agrees at any precision."""
    part = int(share * whole)
    stated = rate(part, whole, places)
    assert rate_agrees(stated, part, whole, None)
    if places <= decimals:
        assert rate_agrees(stated, part, whole, decimals)


@settings(max_examples=200, deadline=None)
@given(
    number=st.builds(
        lambda digits, places: Decimal(f"{digits}E-{places}"),
        st.integers(min_value=0, max_value=10**12),
        st.integers(min_value=0, max_value=6),
    ),
    unit=st.sampled_from(["%", " %", "\u00a0%", "đ", " đồng", ""]),
)
def test_typed_numbers_keep_value_and_unit(number: Decimal, unit: str) -> None:
    typed = read_typed(format_number(number) + unit)
    assert typed.number == number
    assert typed.unit == {"%": "%", "": ""}.get(unit.strip(), "đồng")
    assert typed.text == format_number(number)


RATES = [
    (9, 19, 2, Decimal("47.37")),
    (1, 3, 2, Decimal("33.33")),
    (2, 3, 2, Decimal("66.67")),
    (1, 8, 1, Decimal("12.5")),
    (1, 8, 0, Decimal("13")),  # half up, not half even
    (3, 8, 0, Decimal("38")),
    (-1, 8, 0, Decimal("-13")),
    (19, 19, 2, Decimal("100.00")),
    (13, 10, 0, Decimal("130")),
    ("1.601", "6.728", 2, Decimal("23.80")),
]


@pytest.mark.parametrize(("part", "whole", "decimals", "expected"), RATES)
def test_rate(part: object, whole: object, decimals: int, expected: Decimal) -> None:
    result = rate(part, whole, decimals)
    assert result == expected
    assert result.as_tuple().exponent == -decimals


def test_rate_is_exact_where_decimal_division_would_round_twice() -> None:
    # The exact rate is 47,375 - 10^-32, just below the half: it rounds to 47,37. A 28-digit Decimal
    # division first rounds the quotient up to 47,375 and then, half up, to 47,38.
    part, whole = 47_375 * 10**29 - 1, 10**34
    naive = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert naive == Decimal("47.38")
    assert rate(part, whole) == Decimal("47.37")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: rate(1, 0), "bằng 0"),
        (lambda: rate(1, 2, -1), "từ 0"),
        (lambda: format_number(1, -1), "từ 0"),
        (lambda: pad_count(-3), "âm"),
        (lambda: pad_count("1,5"), "số nguyên"),
    ],
)
def test_formatting_errors(call, message: str) -> None:
    with pytest.raises(NumberError, match=message):
        call()


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (9, "09"),
        (3, "03"),
        (0, "00"),
        (19, "19"),
        (123, "123"),
        (1601, "1.601"),
        ("09", "09"),
        (Decimal("5.0"), "05"),
    ],
)
def test_pad_count(value: object, text: str) -> None:
    assert pad_count(value) == text


@pytest.mark.parametrize(
    ("part", "whole", "text"),
    [
        (9, 19, "09/19, đạt 47,37%"),
        (19, 19, "19/19, đạt 100%"),
        (3, 4, "03/04, đạt 75%"),
        (1, 3, "01/03, đạt 33,33%"),
    ],
)
def test_format_ratio(part: int, whole: int, text: str) -> None:
    assert format_ratio(part, whole) == text


# --- style and the clerks' entry point -----------------------------------------------------------------


@pytest.mark.parametrize("options", [{"zero_ten": "le"}, {"four": "4"}, {"thousand": "ngan"}])
def test_style_rejects_unknown_words(options: dict) -> None:
    with pytest.raises(NumberError):
        ReadingStyle(**options)


def test_style_from_flags() -> None:
    assert ReadingStyle.from_flags() == ReadingStyle()
    assert ReadingStyle.from_flags(le=True, tu=True, ngan=True) == ReadingStyle("lẻ", "tư", "ngàn")


@pytest.mark.parametrize(
    ("text", "options", "words"),
    [
        ("1.050.000", {}, "một triệu không trăm năm mươi nghìn"),
        ("30.000.000", {"amount": True}, "Ba mươi triệu đồng"),
        ("30.000.000", {"chan": True}, "Ba mươi triệu đồng chẵn"),
        ("105", {"style": LE}, "một trăm lẻ năm"),
    ],
)
def test_spell_out(text: str, options: dict, words: str) -> None:
    assert spell_out(text, **options) == words


def test_spell_out_tells_how_to_type_a_number() -> None:
    with pytest.raises(DataError) as caught:
        spell_out("1.5")
    problem = caught.value.problems[0]
    assert "1.5" in problem.message
    assert problem.fix is not None and "1.050.000" in problem.fix


# --- property: the words read back to the same number --------------------------------------------------


UNITS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9}
HUNDREDS = {"không": 0, **UNITS}
TENS = {word: digit for word, digit in UNITS.items() if digit > 1}
AFTER_MUOI_ONE = {**{w: d for w, d in UNITS.items() if d != 5}, "lăm": 5}


def _after_muoi(style: ReadingStyle) -> dict[str, int]:
    plain = {w: d for w, d in UNITS.items() if d not in (1, 4, 5)}
    return {**plain, "mốt": 1, style.four: 4, "lăm": 5}


def _parse_group(words: list[str], style: ReadingStyle, *, full: bool) -> int:
    """1–999 in canonical form; a ``full`` group (inside a larger number) must say its hundreds."""
    has_hundreds = len(words) >= 2 and words[1] == "trăm"
    assert has_hundreds or not full, f"inner group without hundreds: {words}"
    value = 100 * HUNDREDS[words[0]] if has_hundreds else 0
    rest = words[2:] if has_hundreds else words
    if rest[:1] == [style.zero_ten]:
        assert has_hundreds and len(rest) == 2, f"misplaced {style.zero_ten}: {words}"
        value += UNITS[rest[1]]
    elif rest[:1] == ["mười"]:
        assert len(rest) <= 2, words
        value += 10 + (AFTER_MUOI_ONE[rest[1]] if len(rest) == 2 else 0)
    elif rest[1:2] == ["mươi"]:
        assert len(rest) <= 3, words
        value += 10 * TENS[rest[0]] + (_after_muoi(style)[rest[2]] if len(rest) == 3 else 0)
    elif rest:
        assert not has_hundreds and len(rest) == 1, f"zero tens need {style.zero_ten}: {words}"
        value += UNITS[rest[0]]
    assert value > 0, f"an all-zero group must be skipped: {words}"
    return value


def _parse_below_billion(tokens: list[str], style: ReadingStyle, *, leading: bool) -> int:
    total, first = 0, leading
    for scale, factor in (("triệu", 10**6), (style.thousand, 1000)):
        if scale in tokens:
            index = tokens.index(scale)
            total += factor * _parse_group(tokens[:index], style, full=not first)
            tokens, first = tokens[index + 1 :], False
    if tokens:
        total += _parse_group(tokens, style, full=not first)
    return total


def _parse_integer(tokens: list[str], style: ReadingStyle, *, leading: bool = True) -> int:
    if "tỷ" in tokens:
        index = len(tokens) - 1 - tokens[::-1].index("tỷ")
        high = _parse_integer(tokens[:index], style, leading=leading)
        assert high > 0
        return high * 10**9 + _parse_below_billion(tokens[index + 1 :], style, leading=False)
    value = _parse_below_billion(tokens, style, leading=leading)
    assert value > 0, f"empty number: {tokens}"
    return value


def words_to_number(words: str, style: ReadingStyle) -> Decimal:
    """A strict parser of the canonical formal reading, written independently of cchc_gen.vn.numbers."""
    tokens = words.split(" ")
    negative = tokens[0] == "âm"
    tokens = tokens[1:] if negative else tokens
    whole_tokens, _, fraction_tokens = " ".join(tokens).partition(" phẩy ")
    whole = 0 if whole_tokens == "không" else _parse_integer(whole_tokens.split(" "), style)
    digits = ""
    if fraction_tokens:
        fraction = fraction_tokens.split(" ")
        zeros = len(fraction) - len(list(itertools.dropwhile(lambda w: w == "không", fraction)))
        digits = "0" * zeros + str(_parse_integer(fraction[zeros:], style))
    value = Decimal(f"{whole}.{digits}" if digits else whole)
    if negative:
        assert value != 0, "zero is never read with 'âm'"
    return -value if negative else value


def test_the_test_parser_is_strict() -> None:
    wrong = [
        "một nghìn năm mươi",
        "hai mươi một",
        "mười năm",
        "một trăm năm",
        "một nghìn không trăm",
        "âm không",
    ]
    for words in wrong:
        with pytest.raises((AssertionError, KeyError)):
            words_to_number(words, ReadingStyle())
    with pytest.raises(KeyError):
        words_to_number("hai mươi bốn", TU)


@pytest.mark.parametrize("style", ALL_STYLES, ids=lambda s: f"{s.zero_ten}-{s.four}-{s.thousand}")
@settings(max_examples=150, deadline=None)
@given(number=st.integers(min_value=-(10**18), max_value=10**18))
def test_integers_read_back(style: ReadingStyle, number: int) -> None:
    assert words_to_number(read_number(number, style), style) == number


@pytest.mark.parametrize("style", ALL_STYLES, ids=lambda s: f"{s.zero_ten}-{s.four}-{s.thousand}")
@settings(max_examples=150, deadline=None)
@given(
    number=st.builds(
        lambda digits, places: Decimal(f"{digits}E-{places}"),
        st.integers(min_value=-(10**24), max_value=10**24),
        st.integers(min_value=0, max_value=8),
    )
)
def test_decimals_read_back(style: ReadingStyle, number: Decimal) -> None:
    assert words_to_number(read_number(number, style), style) == number


@settings(max_examples=200, deadline=None)
@given(
    number=st.builds(
        lambda digits, places: Decimal(f"{digits}E-{places}"),
        st.integers(min_value=-(10**24), max_value=10**24),
        st.integers(min_value=0, max_value=8),
    )
)
def test_formatted_numbers_parse_back(number: Decimal) -> None:
    assert parse_number(format_number(number)) == number
