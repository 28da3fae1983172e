"""The body: running text (alignment, indent, spacing, line height, size), the captions of pictures and
tables, the numbering of mục, khoản and điểm, and the closing "./." (NĐ 30/2020, Phụ lục I, Phần I, mục
II.6)."""

from __future__ import annotations

from cchc_gen.errors import Severity
from cchc_gen.nd30.docx_view import PT_PER_CM, Paragraph, Table
from cchc_gen.nd30.elements import LETTER_HEADING, NUMBER_HEADING, ROMAN_HEADING, is_blank, is_upper
from cchc_gen.nd30.rules.judge import Judge, alignment, num, quoted, tail
from cchc_gen.vn.numbers import LETTERS, roman, roman_value


def check(judge: Judge) -> None:
    """The blocks from the first lead-in paragraph to Nơi nhận."""
    paragraphs = [b for b in judge.layout.body if isinstance(b, Paragraph) and not b.empty]
    previous: Paragraph | None = None
    for block in judge.layout.body:
        if isinstance(block, Table) or block.empty:
            previous = None  # a table or an empty line stands between: the space is there
            continue
        if block in judge.layout.captions:
            _caption(judge, block)
        elif not is_blank(block.text):
            _body_paragraph(judge, block, previous)
        previous = block
    _numbering(judge, [p for p in paragraphs if not is_blank(p.text)])
    if paragraphs:
        last = paragraphs[-1]
        if not last.text.rstrip().endswith("./."):
            found = f"đoạn cuối kết thúc bằng {tail(last.text)}"
            judge.flag("ket-thuc", found, "kết thúc phần nội dung bằng “./.”", last.location)
    elif judge.layout.type_name is not None:
        where = judge.layout.type_name.location
        judge.flag("ket-thuc", "không có nội dung", "nội dung văn bản, kết thúc bằng “./.”", where)


def _body_paragraph(judge: Judge, paragraph: Paragraph, previous: Paragraph | None) -> None:
    """Justified, indented 1 or 1.27 cm, ≥ 6 pt below the paragraph above, 1–1.5 lines, 13–14 pt."""
    where, fmt = paragraph.location, paragraph.format
    if not fmt.justified:
        judge.flag("noi-dung-can-le", alignment(paragraph), "canh đều hai lề", where)
    indent = fmt.first_line / PT_PER_CM
    if not any(abs(indent - allowed) <= 0.03 for allowed in (1.0, 1.27)):
        found = f"lùi đầu dòng {num(round(indent, 2))} cm"
        judge.flag("noi-dung-thut-dau-dong", found, "lùi đầu dòng 1 cm hoặc 1,27 cm", where)
    if previous is not None:
        gap = previous.format.after + fmt.before
        if fmt.contextual and fmt.style_id == previous.format.style_id:
            gap = 0.0
        if gap < 6 - 0.05:
            judge.flag("noi-dung-khoang-cach", f"cách đoạn trên {num(gap)} pt", "tối thiểu 6 pt", where)
    _line_spacing(judge, paragraph)
    judge.look("noi-dung-co-chu", paragraph, (13, 14), italic=None)


def _caption(judge: Judge, paragraph: Paragraph) -> None:
    """A caption is no paragraph of running text: it is centred under (or above) its picture or table,
    as Vietnamese reports print them, without the first-line indent that would push it off centre. The
    decree has no rule for captions, so a departure is a warning."""
    judge.look("chu-thich", paragraph, (12, 14), italic=None, centred=True, severity=Severity.WARNING)
    indent = paragraph.format.first_line / PT_PER_CM
    if abs(indent) > 0.03:
        found = f"lùi đầu dòng {num(round(indent, 2))} cm"
        judge.flag("chu-thich", found, "không lùi đầu dòng", paragraph.location, Severity.WARNING)


def _line_spacing(judge: Judge, paragraph: Paragraph) -> None:
    fmt = paragraph.format
    if fmt.line_rule == "auto":
        lines = fmt.line
    else:
        # An exact or minimum height in points: one line of Times New Roman is about 1.15 × its size.
        size = max((run.format.size for run in paragraph.text_runs), default=14.0)
        lines = fmt.line / (size * 1.15)
    if not 1.0 - 0.05 <= lines <= 1.5 + 0.05:
        shown = f"{num(round(lines, 2))} dòng" + ("" if fmt.line_rule == "auto" else f" ({num(fmt.line)} pt)")
        judge.flag("noi-dung-gian-dong", f"giãn dòng {shown}", "từ dòng đơn đến 1,5 dòng", paragraph.location)


def _numbering(judge: Judge, paragraphs: list[Paragraph]) -> None:
    """I, II, III …; then 1, 2 … (and 1.1, 1.2 …) under each; a, b, c, d, đ, e … under those."""
    numbers: list[int] = []
    roman_next, letter_next = 1, 0
    for paragraph in paragraphs:
        text, where = paragraph.plain, paragraph.location
        if match := ROMAN_HEADING.match(text):
            value = roman_value(match["n"])
            if value != roman_next:
                _slip(judge, f"{match['n']}.", f"{roman(roman_next)}.", where)
            roman_next, numbers, letter_next = value + 1, [], 0
            if not is_upper(text) or not all(run.format.bold for run in paragraph.text_runs):
                judge.flag("de-muc-muc", quoted(text), "số La Mã và tiêu đề mục in hoa, đậm", where)
        elif match := NUMBER_HEADING.match(text):
            path = [int(part) for part in match["n"].rstrip(".").split(".")]
            depth = len(path)
            expected = [*numbers[: depth - 1], numbers[depth - 1] + 1 if len(numbers) >= depth else 1]
            expected += [1] * (depth - len(expected))
            if path != expected:
                dotted = ".".join(map(str, expected)) + ("." if match["n"].endswith(".") else "")
                _slip(judge, match["n"], dotted, where)
            numbers, letter_next = path, 0
        elif match := LETTER_HEADING.match(text):
            position = LETTERS.find(match["n"])
            if position != letter_next:
                wanted = LETTERS[letter_next] if letter_next < len(LETTERS) else "?"
                _slip(judge, f"{match['n']})", f"{wanted})", where)
            letter_next = (position if position >= 0 else letter_next) + 1


def _slip(judge: Judge, found: str, expected: str, where: str) -> None:
    judge.flag(
        "de-muc-so-thu-tu",
        f"số thứ tự “{found}” (bỏ số, trùng số hoặc sai thứ tự)",
        f"“{expected}” — liền sau số trước; điểm theo chữ cái a, b, c, d, đ, e …",
        where,
    )
