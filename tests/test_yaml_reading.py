"""Reading YAML quickly, lines on demand (#21): the quick reading gives the same data as the walk that keeps
every line, the same refusal with the same message and line, and the same line for every value when a message
asks for one."""

from __future__ import annotations

import math
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from cchc_gen.errors import DataError
from cchc_gen.source.loading import load_report
from cchc_gen.source.yaml_file import MAX_DEPTH, _parse_keeping_lines, _QuickLoader, load_yaml, parse_yaml
from tests.conftest import ROOT, SAMPLES

FILE = Path("du-lieu.yaml")


def outcome(parse: Any, text: str) -> tuple[Any, ...]:
    """What a reader makes of ``text``: the data and the line of every value, or every problem as shown."""
    try:
        document = parse(text, FILE)
    except DataError as exc:
        return ("refused", [str(problem) for problem in exc.problems])
    return ("read", plain(document.data), document.lines)


def plain(value: Any) -> Any:
    """``value`` comparable with itself (a NaN is not equal to itself)."""
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, dict):
        return [(key, plain(item)) for key, item in value.items()]  # the order of the keys counts too
    if isinstance(value, list):
        return [plain(item) for item in value]
    return (type(value).__name__, value)


def assert_same(text: str) -> None:
    """The quick reading of ``text``, and of its bytes (as a batch reads a file), is the line-keeping one."""
    expected = outcome(_parse_keeping_lines, text)
    assert outcome(parse_yaml, text) == expected
    assert outcome(parse_yaml, text.encode()) == expected


def assert_same_from_bytes(data: bytes) -> None:
    """Bytes read quickly are read as their text is read, or refused as decoding them refuses them."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        with pytest.raises(UnicodeDecodeError):
            parse_yaml(data, FILE)
        return
    assert outcome(parse_yaml, data) == outcome(_parse_keeping_lines, text)


CASES = {
    "plain report": "unit: ht-duc-tho\nperiod: 2026-9T\nsections:\n  - heading: Kết quả\n    content:\n"
    "      - Đoạn một.\n      - list: [a, b]\nfigures:\n  kh_ty_le: 95.5\n  hs: 1_000\n",
    "scalars of every kind": "a: 1\nb: 1.5\nc: true\nd: null\ne: 2026-01-05\nf: '01'\ng: 0x1F\nh: .nan\n"
    "i: -.inf\nj: ~\nk: 2026-01-05 10:30:00\nl: 'yes'\nm: yes\nn: 1e3\n",
    "keys that are not words": "1: a\n2026-01-05: b\nnull: c\ntrue: d\n1.5: e\n",
    "text in NFD": unicodedata.normalize("NFD", "tiêu đề: Kết quả cải cách hành chính\n"),
    "key in NFD twice once NFC": unicodedata.normalize("NFD", "Kết: 1\n") + "Kết: 2\n",
    "block text": "note: |\n  dòng một\n  dòng hai\nfolded: >\n  a\n  b\n",
    "flow": "{a: [1, {b: c}], d: 'e: f'}\n",
    "empty": "",
    "only a comment": "# chú thích\n",
    "a list": "- a\n- b\n",
    "a scalar": "chữ\n",
    "anchors and aliases": "a: &x {b: 1}\nc: *x\n",
    "an alias of a scalar": "a: &x 1\nb: *x\n",
    "merge keys": "base: &b {x: 1}\nitem:\n  <<: *b\n  y: 2\n",
    "an anchor twice": "a: &x 1\nb: &x 2\n",
    "an anchor not used": "a: &x 1\n",
    "a self reference": "a: &x [*x]\n",
    "nested aliases": "a: &a [1, 1, 1]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n",
    "aliases past the bound": "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 5)),
    "a key twice": "a: 1\nb: 2\na: 3\n",
    "a list as a key": "? [a, b]\n: c\n",
    "a python tag": "a: !!python/object:os.system {}\n",
    "a local tag on a scalar": "a: !mine 1\n",
    "an explicit str tag": "a: !!str 1\n",
    "a str tag on a list": "a: !!str [1]\n",
    "a set": "a: !!set {x, y}\n",
    "binary": "a: !!binary aGVsbG8=\n",
    "a date that does not exist": "ngay: 2026-02-30\n",
    "a number too long": "so: " + "9" * 5000 + "\n",
    "a value key": "=: a\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "bad indentation": "a:\n  b: 1\n c: 2\n",
    "a tab": "a:\n\tb: 1\n",
    "an unquoted star": "- **Kết quả:** đạt\n",
    "an undefined alias": "a: *nothing\n",
    "a bad escape": 'a: "\\udc80"\n',
    "a control character": "a: b\x01\n",
    "a byte order mark": "\ufeffa: 1\n",
    "two byte order marks": "\ufeff\ufeffa: 1\n",
    "an ampersand in text, no anchor": "a: Sở Khoa học & Công nghệ\nb: [x, y]\n",
    "an ampersand and an anchor": "a: Khoa học & Công nghệ\nb: &x [x]\nc: *x\n",
    "words of yes, no and null": "a: [yes, No, TRUE, false, on, OFF, y, n, null, NULL, ~, Nothing, Trong]\n",
    "counts and digits": "a: [0, 00, 07, 0123, 089, 1_000, 12, 1234567890123456789012, +5, -0]\n",
    "deep": "".join(f"{'  ' * i}k{i}:\n" for i in range(MAX_DEPTH + 2)) + "  " * (MAX_DEPTH + 2) + "x: 1\n",
    "just deep enough": "".join(f"{'  ' * i}k{i}:\n" for i in range(MAX_DEPTH - 2))
    + "  " * (MAX_DEPTH - 2)
    + "x: 1\n",
    "deep brackets": "a: " + "[" * 2000 + "]" * 2000 + "\n",
}


@pytest.mark.parametrize("name", CASES)
def test_the_quick_reading_reads_and_refuses_as_the_line_keeping_walk(name):
    assert_same(CASES[name])


BYTES = {
    "not UTF-8": b"a: \xc3(\n",
    "a lone continuation byte": b"a: \x80\n",
    "a surrogate in UTF-8": b"a: \xed\xa0\x80\n",
    "an overlong slash": b"a: \xc0\xaf\n",
    "past the last character": b"a: \xf4\x90\x80\x80\n",
    "UTF-16 with its mark": "a: 1\n".encode("utf-16"),
    "UTF-16 big-endian with its mark": b"\xfe\xff" + "a: 1\n".encode("utf-16-be"),
    "a UTF-8 mark": b"\xef\xbb\xbfa: K\xe1\xba\xbft\n",
    "a mark inside": b"a: 1\xef\xbb\xbf\n",
    "three marks": b"\xef\xbb\xbf" * 3 + b"a: 1\n",
}


@pytest.mark.parametrize("name", BYTES)
def test_bytes_are_read_or_refused_as_their_text(name):
    assert_same_from_bytes(BYTES[name])


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_a_sample_file_is_read_without_walking_for_lines_until_a_message_needs_one(sample):
    document = load_yaml(sample)
    assert document.found_lines is None
    from_bytes = parse_yaml(sample.read_bytes(), sample)  # as a batch reads it
    assert from_bytes.data == document.data and from_bytes.lines == document.lines
    assert document.data == _parse_keeping_lines(sample.read_text(encoding="utf-8-sig"), sample).data
    assert document.lines == _parse_keeping_lines(sample.read_text(encoding="utf-8-sig"), sample).lines
    assert document.line_of(("unit",)) == 1 + next(
        number
        for number, line in enumerate(sample.read_text(encoding="utf-8").splitlines())
        if line.startswith("unit:")
    )


def test_a_problem_in_a_quickly_read_file_names_its_line(tmp_path):
    (tmp_path / "2026-9T").mkdir()
    shutil.copy(ROOT / "data" / "units.yaml", tmp_path / "units.yaml")
    file = tmp_path / "2026-9T" / "ht-duc-tho.yaml"
    text = (ROOT / "data" / "2026-9T" / "ht-duc-tho.yaml").read_text(encoding="utf-8")
    file.write_text(text.replace("unit: ht-duc-tho", "unit: ht-duc-thoo"), encoding="utf-8")
    line = 1 + next(number for number, row in enumerate(text.splitlines()) if row.startswith("unit:"))
    with pytest.raises(DataError) as raised:
        load_report(file)
    assert [problem.location for problem in raised.value.problems] == [f"dòng {line}"]
    assert "ht-duc-thoo" in raised.value.problems[0].message


# --- generated ----------------------------------------------------------------------------------------------

WORDS = st.text(
    alphabet=st.sampled_from(
        list("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếềểễệ0123456789 :-#'\"*&!%@,.[]{}|>?\n\t")
    ),
    max_size=12,
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True)
    | st.dates()
    | WORDS
    | WORDS.map(lambda word: unicodedata.normalize("NFD", word))
)
DATA = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(WORDS, inner, max_size=4),
    max_leaves=25,
)


@given(DATA, st.booleans(), st.integers(20, 120))
def test_generated_data_reads_the_same_either_way(data, flow, width):
    assert_same(
        yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow, width=width, sort_keys=False)
    )


YAML_BITS = st.sampled_from(
    [
        "a",
        "b",
        "1",
        "2026-01-05",
        "2026-02-30",
        ":",
        ": ",
        "- ",
        "\n",
        "  ",
        "&x ",
        "*x",
        "<<: ",
        "!!str ",
        "!x ",
        "[",
        "]",
        "{",
        "}",
        ", ",
        "'",
        '"',
        "? ",
        "|\n",
        "#",
        "~",
        "Kết",
        unicodedata.normalize("NFD", "ế"),
        "a&b",
        "0",
        "07",
        "089",
        "False",
        "NULL",
        "Trong",
        "\t",
    ]
)


@given(st.lists(YAML_BITS, max_size=40).map("".join))
def test_any_text_reads_or_is_refused_the_same_either_way(text):
    assert_same(text)


BYTE_BITS = st.sampled_from(
    [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xc3", b"\xa9", b"\x80", b"\xed\xa0\x80", b"\x00", b"\r"]
) | YAML_BITS.map(str.encode)


@given(st.lists(BYTE_BITS, max_size=30).map(b"".join))
def test_any_bytes_read_or_are_refused_as_their_text(data):
    assert_same_from_bytes(data)


# Plain scalars by what the safe loader makes of them: words of true, false and null and words like them,
# numbers written every way, dates, the characters of YAML itself.
TRUTH = "yes Yes YES no No NO true True TRUE false False FALSE on On ON off Off OFF y Y n N"
NULL = "null NULL ~"
LIKE_THEM = "Null nul nulls Nothing Trong Falsehood offline onward yesterday Yess"
NUMBERS = "0 00 07 0123 089 0o7 0x1F 0b101 1 12 1_000 190:20:30 1e3 1.5 .5 .inf -.inf .nan +1 -1 +0 -0 1.0e+3"
OTHERS = "123456789012345678901234567890 ² ١٢٣ 12a 12- 2026-01-05 << = ! & * -"
PLAIN_SCALARS = [*" ".join([TRUTH, NULL, LIKE_THEM, NUMBERS, OTHERS]).split(" "), "", "2026-01-05 10:30:00"]


@pytest.mark.parametrize("plain", [True, False])
@pytest.mark.parametrize("value", PLAIN_SCALARS)
def test_the_quick_tags_of_scalars_are_the_safe_loader_s(value, plain):
    expected = yaml.SafeLoader("").resolve(yaml.ScalarNode, value, (plain, not plain))
    assert _QuickLoader("").resolve(yaml.ScalarNode, value, (plain, not plain)) == expected


@given(st.text(alphabet=st.sampled_from("01789_.:-+eExob~TtFfNnYyOolrsu aă²٣"), max_size=12))
def test_any_plain_scalar_gets_the_safe_loader_s_tag(value):
    expected = yaml.SafeLoader("").resolve(yaml.ScalarNode, value, (True, False))
    assert _QuickLoader("").resolve(yaml.ScalarNode, value, (True, False)) == expected
