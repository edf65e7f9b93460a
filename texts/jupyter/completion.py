"""Completion in a cell: names the model defines, the cell's own definitions, the
language's keywords, and ``%`` magics.

Keywords are read from the grammar (the words a name may not be), so they never drift
from what the parser accepts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from texts.session.help import MAGIC_NAMES

_DEFINED = re.compile(
    r"""^[ \t]*(?:
        ([^\d\W]\w*)\s*(?:\([^()]*\))?\s*:?=(?!=)      # a variable or function definition
        | use\s+[\w.]*?(\w+)\s*$                         # use module.name
        | from\s+[\w.]+\s+use\s+([\w, \t]+)              # from module use a, b
    )""",
    re.MULTILINE | re.VERBOSE,
)
_TOKEN = re.compile(r"%?[^\d\W]\w*$|%$")
_RESERVED = re.compile(r"Name:\s*/\(\?!\(([^)]*)\)")


@functools.cache
def keywords() -> tuple[str, ...]:
    """The reserved words of the grammar (statements, operators, built-ins, types)."""
    # lazily for start-up: a cell imports only what it runs
    from texts.grammar.loader import GRAMMAR_FILE  # noqa: PLC0415

    found = _RESERVED.search(GRAMMAR_FILE.read_text(encoding="utf-8"))
    return tuple(found.group(1).split("|")) if found else ()


def defined_names(texts: Iterable[str]) -> set[str]:
    """The names that statements define (variables, functions, imported objects)."""
    names: set[str] = set()
    for text in texts:
        for match in _DEFINED.finditer(text):
            single = match.group(1) or match.group(2)
            listed = match.group(3)
            names.update([single] if single else [n.strip() for n in listed.split(",")])
    names.discard("")
    return names


def complete(code: str, cursor: int, model_names: Iterable[str]) -> tuple[list[str], int]:
    """The completions of the word before ``cursor`` and where that word starts."""
    token = _TOKEN.search(code[:cursor])
    if token is None:
        return [], cursor
    word = token.group()
    if word.startswith("%"):
        candidates: Iterable[str] = (f"%{name}" for name in MAGIC_NAMES)
    else:
        candidates = {*model_names, *defined_names([code]), *keywords()}
    return sorted(c for c in set(candidates) if c.startswith(word) and c != word), token.start()
