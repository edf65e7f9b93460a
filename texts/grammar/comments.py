"""Blank out comments before parsing, keeping every other character where it was.

Skipping comments inside the PEG parser costs a rule attempt at every token; replacing
them by spaces up front (newlines kept, so lines and columns do not move) gives the
parser plain white space, which it skips cheaply.
"""

from __future__ import annotations

_QUOTES = ("'", '"')


def blank_comments(text: str) -> str:
    """``text`` with ``# ...`` and ``\"\"\" ... \"\"\"`` comments replaced by spaces.

    String literals are left alone: a ``#`` or ``\"\"\"`` inside one is not a comment. In a
    string only ``\\'`` and ``\\"`` are escapes, as in the language.
    """
    out = list(text)
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if text.startswith('"""', index):
            end = text.find('"""', index + 3)
            end = length if end == -1 else end + 3
            _blank(out, index, end)
            index = end
        elif char == "#":
            end = text.find("\n", index)
            end = length if end == -1 else end
            _blank(out, index, end)
            index = end
        elif char in _QUOTES:
            index = _string_end(text, index)
        else:
            index += 1
    return "".join(out)


def _string_end(text: str, start: int) -> int:
    """The index after the string literal starting at ``start`` (or the end of text)."""
    quote = text[start]
    index = start + 1
    while index < len(text):
        if text[index] == "\\" and index + 1 < len(text) and text[index + 1] in _QUOTES:
            index += 2
        elif text[index] == quote:
            return index + 1
        else:
            index += 1
    return len(text)


def _blank(out: list[str], start: int, end: int) -> None:
    for position in range(start, end):
        if out[position] not in "\r\n":
            out[position] = " "
