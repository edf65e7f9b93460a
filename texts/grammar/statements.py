"""Find where the statements of a program text begin and end, without the parser.

The parse cache looks statements up by their text, so it must cut a text into statements
the way the grammar does, before (and, on a warm run, instead of) parsing it. The cut
follows three facts about the grammar (``texts.tx``):

- statements are separated by ``;`` or a line break outside brackets and strings;
- every statement begins with a name, or with ``use``, ``from``, ``print``, ``view``,
  ``vary`` or ``tag`` (a *starter*);
- after a complete statement, nothing the grammar could continue it with begins with a
  starter: continuations begin with an operator, a bracket, punctuation or a keyword
  (``if``, ``else``, ``and``, ``for``, ``in``, ...).

So a line that begins with a starter begins a new statement, unless the line before ends
in the middle of one (an operator, a comma or a keyword that needs more). Any other line
continues the statement before it. The cut is a proposal: the loader keeps it only where
the parser agrees (a cached statement parsed completely on its own; a parsed group
yielding exactly the proposed statements), and parses the whole text otherwise, so the
cut never changes what a program means or how its errors read.
"""

from __future__ import annotations

import re

#: words the grammar's ``Name`` rule refuses (see ``Name`` in texts.tx)
RESERVED = frozenset(
    {
        "String", "Quantity", "Bool", "Series", "Table", "BoolArray", "StrArray", "IntArray",
        "FloatArray", "ComplexArray", "Structure", "Calculator", "Algorithm", "Property",
        "FixedAtoms", "FixedLine", "FixedPlane", "FixedCOM", "Species", "Reaction", "true",
        "false", "null", "default", "print", "view", "vary", "tag", "info", "if", "real",
        "imag", "all", "any", "sum", "range", "map", "filter", "reduce", "not", "and", "or",
        "else", "use", "from", "to", "with", "select", "where", "column", "in", "chunks",
        "step",
    }
)  # fmt: skip
#: reserved words that begin a statement
STATEMENT_KEYWORDS = frozenset({"use", "from", "print", "view", "vary", "tag"})
#: reserved words a statement may end with; any other one needs more after it
FINAL_KEYWORDS = frozenset({"true", "false", "null", "default", "chunks", "FixedCOM"})
#: characters a statement cannot end with: the line after continues it
CONTINUING_CHARACTERS = frozenset("+-*/=<>!,.:±")
#: what the parser skips between tokens (Arpeggio's default white space)
WHITE_SPACE = " \t\r\n"
#: the grammar's ``STRINGLIT``: a string may span lines; only ``\'`` and ``\"`` are escapes
STRING = re.compile(r""""(\\"|[^"])*"|'(\\'|[^'])*'""")

_SPECIAL = re.compile(r"""["'()\[\]{};\n]""")
_FIRST_WORD = re.compile(r"[ \t\r\n]*([^\d\W]\w*)")
_OPENING = {"(": ")", "[": "]", "{": "}"}

Span = tuple[int, int]


def split_statements(text: str) -> list[Span] | None:
    """The ``(start, end)`` of each statement of a comment-free text, white space around
    excluded; ``None`` where the text is not cut cleanly (an unclosed bracket or string, a
    ``;`` without a statement on both sides), which the parser alone can judge."""
    chunks = _chunks(text)
    if chunks is None:
        return None
    statements: list[Span] = []
    after_semicolon = False
    for start, end, delimiter in chunks:
        start, end = _trimmed(text, start, end)
        if start == end:  # nothing but white space
            if delimiter == ";":
                return None  # ';' must stand between two statements
            continue
        if statements and not after_semicolon and _continues(text, statements[-1], start):
            statements[-1] = (statements[-1][0], end)
        else:
            statements.append((start, end))
        after_semicolon = delimiter == ";"
    return None if after_semicolon else statements


def _chunks(text: str) -> list[tuple[int, int, str]] | None:
    """The pieces between top-level ``;`` and line breaks, with the delimiter that ends
    each (``""`` for the last)."""
    chunks: list[tuple[int, int, str]] = []
    closing: list[str] = []
    start = position = 0
    while (found := _SPECIAL.search(text, position)) is not None:
        char, position = found.group(), found.end()
        if char in "'\"":
            string = STRING.match(text, found.start())
            if string is None:
                return None
            position = string.end()
        elif char in _OPENING:
            closing.append(_OPENING[char])
        elif char in ")]}":
            if not closing or closing.pop() != char:
                return None
        elif not closing:  # ';' or a line break at the top level
            chunks.append((start, found.start(), char))
            start = position
    if closing:
        return None
    chunks.append((start, len(text), ""))
    return chunks


def _trimmed(text: str, start: int, end: int) -> Span:
    piece = text[start:end].lstrip(WHITE_SPACE)
    start = end - len(piece)
    return start, start + len(piece.rstrip(WHITE_SPACE))


def _continues(text: str, previous: Span, start: int) -> bool:
    """Whether the line beginning at ``start`` continues the statement ``previous``."""
    first = _FIRST_WORD.match(text, start)
    if first is None:
        return True
    word = first.group(1)
    if word in RESERVED and word not in STATEMENT_KEYWORDS:
        return True
    if text[previous[1] - 1] in CONTINUING_CHARACTERS:
        return True
    begin, end = previous
    while end > begin and (text[end - 1].isalnum() or text[end - 1] == "_"):
        end -= 1
    last = text[end : previous[1]]
    return last in RESERVED and last not in FINAL_KEYWORDS
