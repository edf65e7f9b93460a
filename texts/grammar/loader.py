"""Load the textX metamodel once per process and parse program text into IR."""

from __future__ import annotations

import functools
import gc
import itertools
import re
from pathlib import Path
from typing import Any

from texts.grammar.comments import blank_comments
from texts.grammar.lower import Lowering
from texts.interpreter import ir
from texts.interpreter.errors import SyntaxErrorAt, TextsError
from texts.interpreter.source import Source

GRAMMAR_FILE = Path(__file__).with_name("texts.tx")
#: bumped whenever the grammar changes what programs mean
GRAMMAR_VERSION = 1


@functools.cache
def metamodel() -> Any:
    """The textX metamodel of the language, built on first use and then reused."""
    from textx import metamodel_from_file

    return metamodel_from_file(str(GRAMMAR_FILE), autokwd=True, memoization=True, skipws=True)


def parse_program(text: str, path: str | None = None) -> ir.Program:
    """Parse a program text into IR; raise a :class:`TextsError` for syntax errors."""
    return parse_source(Source(text, path))


def parse_source(source: Source) -> ir.Program:
    """Parse a source (possibly made of several parts) into IR."""
    from textx.exceptions import TextXSyntaxError

    text = source.text
    parser = metamodel()  # outside the try: a broken grammar file is not the user's error
    collecting = gc.isenabled()
    gc.disable()  # textX allocates many linked objects; collecting during parsing only costs
    try:
        model = parser.model_from_str(blank_comments(text))
    except TextXSyntaxError as exc:
        raise _syntax_error(exc, source) from None
    except RecursionError:
        raise TextsError("Syntax error", "the program is nested too deeply to be parsed") from None
    finally:
        if collecting:
            gc.enable()
    parsed = getattr(model, "statements", [])  # textX returns '' for an empty program
    _check_separators(parsed, source)
    lowering = Lowering(text)
    statements = tuple(lowering(statement) for statement in parsed)
    return ir.Program(source, statements)


_EXPECTED = re.compile(r"(Expected .*?)(?: at position .*)?(?: => '.*)?$", re.S)


def _syntax_error(exc: Any, source: Source) -> SyntaxErrorAt:
    """Turn textX's syntax error into ours: same label, position and an ``Expected`` list."""
    line, col = exc.line or 1, exc.col or 1
    offset = source._line_starts[line - 1] + col - 1 if line <= len(source._line_starts) else 0
    match = _EXPECTED.match(exc.message or "")
    message = match.group(1) if match else (exc.message or "invalid syntax")
    return SyntaxErrorAt(message.strip(), offset, source)


def _check_separators(statements: list[Any], source: Source) -> None:
    """Two statements on one line must be separated by ``;``."""
    text = source.text
    for previous, current in itertools.pairwise(statements):
        gap = text[previous._tx_position_end : current._tx_position]
        if ";" not in gap and "\n" not in gap:
            raise SyntaxErrorAt("Expected ';' or a line break", current._tx_position, source)
