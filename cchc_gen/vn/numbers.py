"""Numbers the Vietnamese administrative way: formatting, parsing what clerks type, reading in words.

Formatting: thousands ".", decimals ",", percent without a space ("47,37%"), small counts padded for
prose ("09/19 nhiệm vụ"), rates computed exactly and rounded half up ("09/19, đạt 47,37%").

Reading in words follows the formal style of amounts in words ("Bằng chữ: ..."):

- "mốt", "lăm" (and optionally "tư") after "mươi"; "mười lăm"; "linh" (or "lẻ") for zero tens after a
  hundred; a three-digit group with zero hundreds inside a larger number gets "không trăm"
  (2.023 → "hai nghìn không trăm hai mươi ba"); an all-zero group is skipped with its scale word.
- Scale words nghìn (or ngàn), triệu, tỷ; above tỷ the reading repeats: 10^15 → "một triệu tỷ",
  10^18 → "một tỷ tỷ". Integers of any size.
- Negative numbers start with "âm".
- Decimals: "phẩy", then each leading zero of the decimal part as "không", then the remaining digits read
  as one number: 47,37 → "bốn mươi bảy phẩy ba mươi bảy", 1,05 → "một phẩy không năm",
  0,005 → "không phẩy không không năm". Trailing zeros of the decimal part carry no value and are not
  read: 0,50 → "không phẩy năm", 47,00 → "bốn mươi bảy".

Accepted values everywhere: ``int``, ``Decimal``, and text in Vietnamese notation ("1.601", "47,37",
"30.000.000 đồng"). A ``float`` (what YAML and Excel give for numbers with decimals) is converted through
its shortest round-trip representation (``repr``), which gives back the digits as typed for up to 15
significant digits, the precision of Excel itself; no arithmetic is ever done in binary floating point.

num2words is deliberately not used: its Vietnamese output is wrong for formal amounts (see
shared/docs/pitfalls.md).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Literal

from cchc_gen.errors import DataError, excerpt

Number = int | Decimal

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_BILLION = 10**9
MAX_DIGITS = 100

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
_UNIT = re.compile(r"\s*(?P<unit>đồng|đ|%)$", re.IGNORECASE)
_SIGN = re.compile(r"^[-\u2212]\s*")
_VIETNAMESE = re.compile(r"^(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<frac>\d+))?$")

_NOTATION_FIX = (
    "Gõ số theo kiểu Việt Nam: dấu chấm ngăn cách hàng nghìn, dấu phẩy trước phần thập phân, "
    "ví dụ 1.050.000 hoặc 47,37."
)


class NumberError(ValueError):
    """A value that is not a number in Vietnamese notation, or cannot be formatted or read as asked.

    Internal to the library, like the other errors of the language layer: it knows no file, so whoever
    reads the value turns it into a :class:`~cchc_gen.errors.Problem` with the file and place."""


@dataclass(frozen=True)
class ReadingStyle:
    """Regional choices when reading numbers in words; the defaults are the northern, official ones.

    ``zero_ten``: zero tens after a hundred (105 một trăm linh/lẻ năm). ``four``: the digit 4 after "mươi"
    only (24 hai mươi tư); elsewhere it stays "bốn" (14 mười bốn, 104 một trăm linh bốn).
    ``thousand``: the scale word for 1.000 (nghìn/ngàn).
    """

    zero_ten: Literal["linh", "lẻ"] = "linh"
    four: Literal["bốn", "tư"] = "bốn"
    thousand: Literal["nghìn", "ngàn"] = "nghìn"

    def __post_init__(self) -> None:
        if self.zero_ten not in ("linh", "lẻ"):
            raise NumberError(
                f"Cách đọc hàng chục bằng 0 phải là “linh” hoặc “lẻ”, không phải “{self.zero_ten}”."
            )
        if self.four not in ("bốn", "tư"):
            raise NumberError(f"Cách đọc số 4 sau “mươi” phải là “bốn” hoặc “tư”, không phải “{self.four}”.")
        if self.thousand not in ("nghìn", "ngàn"):
            raise NumberError(f"Hàng nghìn phải đọc là “nghìn” hoặc “ngàn”, không phải “{self.thousand}”.")

    @classmethod
    def from_flags(cls, *, le: bool = False, tu: bool = False, ngan: bool = False) -> ReadingStyle:
        """The style chosen with the clerks' switches: "lẻ", "tư", "ngàn" instead of the defaults."""
        return cls(
            zero_ten="lẻ" if le else "linh",
            four="tư" if tu else "bốn",
            thousand="ngàn" if ngan else "nghìn",
        )


# --- parsing -------------------------------------------------------------------------------------------


def parse_number(value: object) -> Number:
    """Turn what a clerk typed (or a data file holds) into an exact number.

    Text is read in Vietnamese notation: "1.601" → 1601, "47,37" → Decimal("47.37"),
    "30.000.000 đồng" → 30000000, "-5" → -5; a unit "đồng", "đ" or "%" at the end and spaces (also
    non-breaking ones) are ignored (:func:`read_typed` tells which unit it was). Text without a decimal
    part gives an ``int``, with one a ``Decimal``. ``int`` and ``Decimal`` are returned as they are, a
    ``float`` as the ``Decimal`` of its ``repr``. Anything else, and text that is ambiguous ("1.5",
    "1,601.5"), raises :class:`NumberError`.
    """
    return read_typed(value).number


@dataclass(frozen=True)
class Typed:
    """A number as it was typed: its value, the unit typed after it ("%", "đồng", or "" for none), and,
    for text, the number as typed without the unit ("02", "28,3"; "" for a number that was no text)."""

    number: Number
    unit: str = ""
    text: str = ""


def read_typed(value: object) -> Typed:
    """Like :func:`parse_number`, keeping the unit that was typed: "28,3 %" → 28.3 with "%",
    "30.000.000đ" → 30000000 with "đồng"."""
    if isinstance(value, bool):
        raise NumberError(f"Giá trị đúng/sai ({value}) không phải là số.")
    if isinstance(value, int):
        return Typed(_bounded(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NumberError(f"“{value}” không phải là một số hữu hạn.")
        return Typed(_bounded(Decimal(repr(value))))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NumberError(f"“{value}” không phải là một số hữu hạn.")
        return Typed(_bounded(value))
    if not isinstance(value, str):
        raise NumberError(f"Giá trị kiểu {type(value).__name__} không phải là số.")
    typed = _read_text(value)
    _bounded(typed.number)
    return typed


_LIMIT = 10**MAX_DIGITS  # the least integer with too many digits (:func:`_bounded`)


def _bounded(number: Number) -> Number:
    """``number``, unless it has more digits than any figure of a report (1.8e308 from a spreadsheet
    cell would be written, and read in words, as 309 digits)."""
    if isinstance(number, int):
        too_many = abs(number) >= _LIMIT
    else:
        exponent = number.as_tuple().exponent
        assert isinstance(exponent, int)  # a finite Decimal: refused above otherwise
        too_many = number.adjusted() >= MAX_DIGITS or -exponent > MAX_DIGITS
    if too_many:
        raise NumberError(
            f"Số có quá nhiều chữ số (hơn {MAX_DIGITS} chữ số ở phần nguyên hoặc phần thập phân), không phải "
            "số liệu của một báo cáo."
        )
    return number


def _read_text(value: str) -> Typed:
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()
    unit_match = _UNIT.search(text)
    unit = "" if unit_match is None else "%" if unit_match["unit"] == "%" else "đồng"
    text = text[: unit_match.start()] if unit_match else text
    sign_match = _SIGN.match(text)
    negative = sign_match is not None
    body = text[sign_match.end() :] if sign_match else text
    match = _VIETNAMESE.match(body)
    if not match:
        raise NumberError(_parse_problem(value, body))
    digits = match["int"].replace(".", "")
    sign = "-" if negative else ""
    if match["frac"] is None:
        return Typed(int(Decimal(sign + digits)), unit, text)
    return Typed(Decimal(f"{sign}{digits}.{match['frac']}"), unit, text)


def _parse_problem(typed: str, body: str) -> str:
    original = excerpt(typed)
    if not body:
        return f"“{original}” không có chữ số nào."
    if re.fullmatch(r"[\d.,]+", body):
        if "," in body and "." in body and body.index(",") < body.index("."):
            return (
                f"“{original}” viết theo kiểu tiếng Anh (dấu phẩy ngăn cách hàng nghìn, dấu chấm trước "
                "phần thập phân)."
            )
        if "." in body:
            return (
                f"“{original}” không rõ nghĩa: dấu chấm chỉ dùng để ngăn cách hàng nghìn, "
                "sau mỗi dấu chấm phải có đúng 3 chữ số."
            )
        return f"“{original}” có nhiều hơn một dấu phẩy hoặc dấu phẩy không đứng giữa hai chữ số."
    return f"“{original}” không phải là số."


# --- formatting ----------------------------------------------------------------------------------------


def _as_decimal(value: object) -> Decimal:
    if type(value) is Decimal and value.is_finite():  # a figure of a report: only its digits to bound
        _bounded(value)
        return value
    number = parse_number(value)
    return number if isinstance(number, Decimal) else Decimal(number)


def _round(value: Decimal, places: int) -> Decimal:
    if places < 0:
        raise NumberError(f"Số chữ số thập phân phải từ 0 trở lên, không phải {places}.")
    with localcontext() as context:
        context.prec = max(context.prec, value.adjusted() + places + 2)
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _group_thousands(digits: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ".".join(groups)


def _format_decimal(value: Decimal) -> str:
    whole, _, fraction = format(value.copy_abs(), "f").partition(".")
    text = _group_thousands(whole)
    if fraction:
        text += "," + fraction
    return "-" + text if value < 0 and (whole.strip("0") or fraction.strip("0")) else text


def format_number(value: object, decimals: int | None = None) -> str:
    """Vietnamese notation: 1601 → "1.601", Decimal("1234.5") → "1.234,5".

    With ``decimals`` the value is rounded half up to exactly that many places (2 → "47,37", "100,00");
    without it the value keeps the digits it has.
    """
    if type(value) is int and decimals is None and -_LIMIT < value < _LIMIT:
        # Most figures: a count, printed as it is (the same text as through Decimal, many times faster).
        return f"{value:,}".replace(",", ".")
    number = _as_decimal(value)
    if decimals is not None:
        number = _round(number, decimals)
    return _format_decimal(number)


def _drop_trailing_zeros(value: Decimal) -> Decimal:
    text = format(value, "f")
    return Decimal(text.rstrip("0").rstrip(".")) if "." in text else value


def decimal_places(value: object) -> int:
    """How many digits a number has after its decimal sign: "47,37" → 2, 47 → 0, Decimal("1E+3") → 0."""
    exponent = _as_decimal(value).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def percent_number(value: object, decimals: int | None = 2, *, trim: bool = True) -> str:
    """The number of a percentage, without its sign, as reports print it: 47.368 → "47,37".

    Rounded half up to ``decimals`` places (``None``: the digits it has); with ``trim`` (the usual style
    of reports) trailing zeros are dropped, so 100 → "100" and 50.5 → "50,5"; without it 100 → "100,00".
    """
    number = _as_decimal(value)
    if decimals is not None:
        number = _round(number, decimals)
    if trim:
        number = _drop_trailing_zeros(number)
    return _format_decimal(number)


def format_percent(value: object, decimals: int | None = 2, *, trim: bool = True) -> str:
    """A percentage without a space before "%": 47.368 → "47,37%" (see :func:`percent_number`)."""
    return percent_number(value, decimals, trim=trim) + "%"


def rate(part: object, whole: object, decimals: int = 2) -> Decimal:
    """``part`` as a percentage of ``whole``, computed exactly and rounded half up: (9, 19) → 47.37."""
    numerator = parse_number(part)
    denominator = parse_number(whole)
    if denominator == 0:
        raise NumberError("Không tính được tỷ lệ phần trăm khi tổng số bằng 0.")
    if decimals < 0:
        raise NumberError(f"Số chữ số thập phân phải từ 0 trở lên, không phải {decimals}.")
    if type(numerator) is int and type(denominator) is int:  # counts: the same, in integers
        top, bottom = abs(numerator) * 100 * 10**decimals, abs(denominator)
        rounded = (2 * top + bottom) // (2 * bottom)  # the floor of top/bottom + 1/2
        negative = numerator != 0 and (numerator < 0) != (denominator < 0)
    else:
        scaled = Fraction(numerator) * 100 * 10**decimals / Fraction(denominator)
        rounded = math.floor(abs(scaled) + Fraction(1, 2))
        negative = scaled < 0
    sign = "-" if negative else ""
    return Decimal(f"{sign}{rounded}E-{decimals}")


def rate_agrees(stated: object, part: object, whole: object, decimals: int | None = 2) -> bool:
    """Whether a rate stated for ``part`` out of ``whole`` is that rate, rounded half up.

    ``decimals``: the places the stated rate is printed with, when it is printed rounded (a figure of the
    appendix); a rate stated with more is rounded to them first, exactly as it will print. For 9 out of
    19 (47,368…%) at 2 places "47,37", "47,4", "47" and "47,368" agree, "47,36" and "50" do not; and
    1,5150 for 2121 out of 140001 (1,51499…%) does not, since it prints 1,52. ``None``: the rate prints
    as it was stated (a sentence) and is compared at all its places.
    """
    places = decimal_places(stated) if decimals is None else min(decimal_places(stated), decimals)
    return _round(_as_decimal(stated), places) == rate(part, whole, places)


def pad_count(value: object, width: int = 2) -> str:
    """A count as administrative prose writes it: 9 → "09", 3 → "03", 19 → "19", 1601 → "1.601"."""
    number = parse_number(value)
    if isinstance(number, Decimal):
        if number != number.to_integral_value():
            raise NumberError(f"Số đếm phải là số nguyên, không phải {_format_decimal(number)}.")
        number = int(number)
    if number < 0:
        raise NumberError(f"Số đếm không được âm ({number}).")
    return _group_thousands(str(number).zfill(width))


def format_ratio(part: object, whole: object, decimals: int = 2) -> str:
    """Done out of planned with the rate: (9, 19) → "09/19, đạt 47,37%"."""
    percent = format_percent(rate(part, whole, decimals), decimals)
    return f"{pad_count(part)}/{pad_count(whole)}, đạt {percent}"


# --- reading in words ----------------------------------------------------------------------------------


def _read_group(group: int, style: ReadingStyle, *, full: bool) -> list[str]:
    """Words for 1–999; ``full`` groups (inside a larger number) always say their hundreds."""
    hundreds, rest = divmod(group, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append(style.zero_ten)
            words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
    else:
        words += [_DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 4: style.four, 5: "lăm"}.get(units, _DIGITS[units]))
    return words


def _read_below_billion(number: int, style: ReadingStyle, *, leading: bool) -> list[str]:
    words: list[str] = []
    groups = ((number // 10**6, "triệu"), (number // 1000 % 1000, style.thousand), (number % 1000, None))
    for group, scale in groups:
        if group == 0:
            continue
        words += _read_group(group, style, full=not (leading and not words))
        if scale:
            words.append(scale)
    return words


def _read_positive(number: int, style: ReadingStyle, *, leading: bool) -> list[str]:
    # Above a billion the reading repeats "tỷ": 10**18 is "một tỷ tỷ", 1.5 * 10**12 "một nghìn năm trăm tỷ".
    if number >= _BILLION:
        high, low = divmod(number, _BILLION)
        return [
            *_read_positive(high, style, leading=leading),
            "tỷ",
            *_read_below_billion(low, style, leading=False),
        ]
    return _read_below_billion(number, style, leading=leading)


def _read_integer(number: int, style: ReadingStyle) -> list[str]:
    return _read_positive(number, style, leading=True) if number else [_DIGITS[0]]


def read_number(value: object, style: ReadingStyle | None = None) -> str:
    """The formal reading in words: 1050000 → "một triệu không trăm năm mươi nghìn".

    Decimals follow "phẩy": "47,37" → "bốn mươi bảy phẩy ba mươi bảy", "1,05" → "một phẩy không năm".
    """
    style = style or ReadingStyle()
    number = parse_number(value)
    if isinstance(number, int):
        negative, whole, fraction = number < 0, abs(number), ""
    else:
        negative = number < 0
        whole_digits, _, fraction = format(number.copy_abs(), "f").partition(".")
        whole, fraction = int(Decimal(whole_digits)), fraction.rstrip("0")
    words = _read_integer(whole, style)
    if fraction:
        significant = fraction.lstrip("0")
        zeros = len(fraction) - len(significant)
        words += ["phẩy", *[_DIGITS[0]] * zeros, *_read_integer(int(Decimal(significant)), style)]
    if negative and (whole or fraction):
        words.insert(0, "âm")
    return " ".join(words)


def amount_in_words(value: object, style: ReadingStyle | None = None, *, chan: bool = False) -> str:
    """An amount of money in words: 30000000 → "Ba mươi triệu đồng"; with ``chan`` "... đồng chẵn"."""
    number = parse_number(value)
    if chan and isinstance(number, Decimal) and number != number.to_integral_value():
        raise NumberError(f"Số tiền {_format_decimal(number)} có phần lẻ nên không ghi “chẵn”.")
    words = read_number(number, style)
    text = f"{words[0].upper()}{words[1:]} đồng"
    return text + " chẵn" if chan else text


def spell_out(
    text: str, *, amount: bool = False, chan: bool = False, style: ReadingStyle | None = None
) -> str:
    """What the clerks' command prints for a number typed in Vietnamese notation.

    The reading in words, or with ``amount`` (implied by ``chan``) the amount in words. A number that cannot
    be read is a :class:`~cchc_gen.errors.DataError` telling how to type it.
    """
    try:
        if amount or chan:
            return amount_in_words(text, style, chan=chan)
        return read_number(text, style)
    except NumberError as exc:
        raise DataError.single(str(exc), fix=_NOTATION_FIX) from exc


_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL")]
_ROMAN += [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(number: int) -> str:
    """Roman numerals of section and appendix numbers: 4 → "IV"."""
    text = ""
    for value, letters in _ROMAN:
        while number >= value:
            text, number = text + letters, number - value
    return text


def roman_value(text: str) -> int:
    """The value of a Roman numeral written with I, V and X ("IV" → 4, "XIV" → 14)."""
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for index, char in enumerate(text):
        value = values[char]
        total += -value if index + 1 < len(text) and values[text[index + 1]] > value else value
    return total


# Points (điểm) are lettered with the Vietnamese alphabet: a), b), c), d), đ), e) … (NĐ 30, Phụ lục I).
LETTERS = "abcdđeghiklmnopqrstuvxy"
