"""Is an interactive input statements or an expression? The grammar decides.

A session (and a notebook cell) adds statements to the model and prints an expression.
An input is statements when it parses as a program; it is an expression when it parses
only as the argument of ``print``; anything else is taken as statements, so that its
syntax error points at what the user wrote.
"""

from __future__ import annotations

from texts.grammar.loader import parse_program
from texts.interpreter.errors import TextsError


def is_statement(text: str) -> bool:
    """Whether an input is statements (added to the model) rather than an expression."""
    try:
        parse_program(text, None)
    except TextsError:
        pass
    else:
        return True
    try:
        parse_program(f"print({text.strip()})", None)
    except TextsError:
        return True
    return False
