"""Emphasis inside the text of a report: ``**đậm**``, ``*nghiêng*``, ``\\*`` for an asterisk meant literally.

The same few characters work in a YAML file, in a workbook cell and in a web form field, and nothing else of
the text changes meaning: an asterisk only opens emphasis when a word follows it and only closes it after a
word, so "(*)", "5*" and "* Về …" print as typed. A delimiter that opens but is never closed prints as typed
too, and the checks warn about it (:func:`unclosed`). ``\\*`` is an asterisk, ``\\\\`` a backslash.

The renderer turns the spans into Word runs (:mod:`cchc_gen.render.marks`); the checks read the text without
the markup (:func:`plain`), so that a date or a rate is found whatever its emphasis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ESCAPABLE = "*\\"
_SPECIAL = re.compile(r"[*\\]")
# An opening delimiter is followed by a word (not by a space or closing punctuation); a closing one follows a
# word (not a space or an opening bracket).
_NOT_AFTER_OPENER = ")]},.;:!?”’"
_NOT_BEFORE_CLOSER = "([{“‘"
_KINDS = {1: ("i",), 2: ("b",), 3: ("b", "i")}


@dataclass(frozen=True)
class Span:
    """A piece of text and its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class _Delimiter:
    position: int
    kind: str  # "b" or "i"
    matched: bool = False


def _scan(text: str) -> tuple[list[str | _Delimiter], list[_Delimiter]]:
    """Literal pieces and delimiters in order, and the delimiters left open."""
    tokens: list[str | _Delimiter] = []
    stack: list[_Delimiter] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPABLE:
            literal.append(text[i + 1])
            i += 2
            continue
        if char == "\\":
            literal.append(char)
            i += 1
            continue
        if char != "*":  # up to the next asterisk or backslash, as typed
            special = _SPECIAL.search(text, i)
            end = special.start() if special else len(text)
            literal.append(text[i:end])
            i = end
            continue
        end = i
        while end < len(text) and text[end] == "*":
            end += 1
        run = end - i
        before = text[i - 1] if i else ""
        after = text[end] if end < len(text) else ""
        if run not in _KINDS:  # "****" and longer: a row of asterisks, as typed
            literal.append("*" * run)
            i = end
            continue
        can_open = bool(after) and not after.isspace() and after not in _NOT_AFTER_OPENER
        can_close = bool(before) and not before.isspace() and before not in _NOT_BEFORE_CLOSER
        pieces: list[_Delimiter] = []
        unmatched: list[str] = []
        # Closing goes inside out (italic then bold for "***"), opening outside in.
        for kind in reversed(_KINDS[run]) if can_close else ():
            opener = next((d for d in reversed(stack) if d.kind == kind), None)
            if opener is None:
                unmatched.append(kind)
                continue
            stack.remove(opener)
            opener.matched = True
            pieces.append(_Delimiter(i, kind, matched=True))
        if not can_close:
            unmatched = list(_KINDS[run])
        if literal:
            tokens.append("".join(literal))
            literal = []
        tokens.extend(pieces)
        for kind in [k for k in _KINDS[run] if k in unmatched]:
            delimiter = _Delimiter(i, kind)
            tokens.append(delimiter)
            if can_open:
                stack.append(delimiter)
        i = end
    if literal:
        tokens.append("".join(literal))
    return tokens, stack


def spans(text: str) -> list[Span]:
    """The text as pieces of the same emphasis, the markup taken out (an unmatched delimiter stays text)."""
    if "*" not in text and "\\" not in text:  # most text: no markup
        return [Span(text)] if text else []
    tokens, _ = _scan(text)
    found: list[Span] = []
    bold = italic = False
    for token in tokens:
        if isinstance(token, _Delimiter):
            if not token.matched:
                piece = "**" if token.kind == "b" else "*"
            elif token.kind == "b":
                bold = not bold
                continue
            else:
                italic = not italic
                continue
        else:
            piece = token
        if found and (found[-1].bold, found[-1].italic) == (bold, italic):
            found[-1] = Span(found[-1].text + piece, bold, italic)
        else:
            found.append(Span(piece, bold, italic))
    return [span for span in found if span.text]


def plain(text: str) -> str:
    """The text as it reads, without the markup."""
    if "*" not in text and "\\" not in text:
        return text
    return "".join(span.text for span in spans(text))


def has_emphasis(text: str) -> bool:
    return "*" in text and any(span.bold or span.italic for span in spans(text))


def unclosed(text: str) -> list[str]:
    """The delimiters that open emphasis but are never closed, as typed ("**", "*"), in order."""
    if "*" not in text:
        return []
    _, stack = _scan(text)
    return ["**" if d.kind == "b" else "*" for d in sorted(stack, key=lambda d: d.position)]


def escape(text: str) -> str:
    """Text that prints exactly as given: its asterisks and backslashes escaped."""
    return "".join(f"\\{char}" if char in _ESCAPABLE else char for char in text)
