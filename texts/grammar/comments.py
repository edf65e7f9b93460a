"""Blank out comments before parsing, keeping every other character where it was.

Skipping comments inside the PEG parser costs a rule attempt at every token; replacing
them by spaces up front (newlines kept, so lines and columns do not move) gives the
parser plain white space, which it skips cheaply.
"""

from __future__ import annotations

import re

#: where something other than plain text may begin: a block comment, a line comment, a string
_SPECIAL = re.compile(r"""\"\"\"|#|['"]""")
#: the rest of a string literal after its opening quote, up to and including the closing
#: quote or the end of the text; a backslash escapes either quote
_STRING_REST = {
    quote: re.compile(rf"""(?:\\['"]|\\(?!['"])|[^{quote}\\])*(?:{quote}|\Z)""") for quote in "'\""
}
_VISIBLE = re.compile(r"[^\r\n]")


def blank_comments(text: str) -> str:
    """``text`` with ``# ...`` and ``\"\"\" ... \"\"\"`` comments replaced by spaces.

    String literals are left alone: a ``#`` or ``\"\"\"`` inside one is not a comment. In a
    string only ``\\'`` and ``\\"`` are escapes, as in the language.
    """
    pieces: list[str] = []
    kept = position = 0
    while (found := _SPECIAL.search(text, position)) is not None:
        start = found.start()
        token = found.group()
        if token in "'\"":
            # the pattern matches wherever it starts: at the latest it stops at the end
            position = _STRING_REST[token].match(text, start + 1).end()  # type: ignore[union-attr]
            continue
        if token == "#":
            end = text.find("\n", start)
        else:
            end = text.find('"""', start + 3)
            end = end if end == -1 else end + 3
        end = len(text) if end == -1 else end
        pieces.append(text[kept:start])
        pieces.append(_VISIBLE.sub(" ", text[start:end]))
        kept = position = end
    pieces.append(text[kept:])
    return "".join(pieces)
