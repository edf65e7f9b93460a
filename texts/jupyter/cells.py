"""A notebook cell as a sequence of session inputs.

A cell may hold magics, statements and expressions, as a user would type them one after
the other in ``texts session``. Each ``%`` line is a magic; consecutive statements form one
input, so they may refer to each other in any order, as in a model file; an expression is
an input of its own, shown like ``print(expression)``. Comments and blank lines go with the
statements before them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from texts.grammar.classify import is_statement
from texts.session.session import is_complete

_COMMENTS = re.compile(r'#[^\n]*|"""[\s\S]*?"""')


def cell_inputs(code: str) -> list[str]:
    """The inputs of a cell, in order."""
    inputs: list[str] = []
    statements: list[str] = []

    def end_statements() -> None:
        if any(_has_code(text) for text in statements):
            inputs.append("\n".join(statements))
        statements.clear()

    for piece in _pieces(code):
        if piece.lstrip().startswith("%"):
            end_statements()
            inputs.append(piece.strip())
        elif not _has_code(piece):
            if statements:  # a comment before any statement: the input must start like one
                statements.append(piece)
        elif is_statement(piece):
            statements.append(piece)
        else:
            end_statements()
            inputs.append(piece)
    end_statements()
    return inputs


def run_cell(handle: Callable[[str], bool], code: str) -> bool:
    """Handle a cell's inputs; ``False`` as soon as one ends the session (``%exit``)."""
    return all(handle(text) for text in cell_inputs(code))


def _pieces(code: str) -> Iterator[str]:
    """Complete inputs: lines joined while brackets or strings are open, as the terminal
    session joins them."""
    lines: list[str] = []
    for line in code.splitlines():
        lines.append(line)
        text = "\n".join(lines)
        if (line.lstrip().startswith("%") and len(lines) == 1) or is_complete(text):
            lines = []
            yield text
    if lines:
        yield "\n".join(lines)


def _has_code(text: str) -> bool:
    return bool(_COMMENTS.sub("", text).strip())
