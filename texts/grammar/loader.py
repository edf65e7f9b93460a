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
from texts.interpreter.errors import SyntaxErrorAt
from texts.interpreter.source import Source
from texts.interpreter.walk import deepest

GRAMMAR_FILE = Path(__file__).with_name("texts.tx")
#: bumped whenever the grammar changes what programs mean
GRAMMAR_VERSION = 1
#: the most levels of nesting in a statement: the checks and the evaluation follow the
#: nesting of an expression on the Python stack (a chain of statements never does)
MAX_NESTING = 100


@functools.cache
def metamodel() -> Any:
    """The textX metamodel of the language, built on first use and then reused."""
    # lazily for start-up: it imports textx
    from textx import metamodel_from_file  # noqa: PLC0415

    return metamodel_from_file(str(GRAMMAR_FILE), autokwd=True, memoization=True, skipws=True)


def parse_program(text: str, path: str | None = None) -> ir.Program:
    """Parse a program text into IR; raise a :class:`TextsError` for syntax errors."""
    return parse_source(Source(text, path))


def parse_source(source: Source) -> ir.Program:
    """Parse a source (possibly made of several parts) into IR."""
    # lazily for start-up: it imports textx
    from textx.exceptions import TextXSyntaxError  # noqa: PLC0415

    text = source.text
    parser = metamodel()  # outside the try: a broken grammar file is not the user's error
    collecting = gc.isenabled()
    gc.disable()  # textX allocates many linked objects; collecting during parsing only costs
    try:
        model = parser.model_from_str(blank_comments(text))
    except TextXSyntaxError as exc:
        raise _syntax_error(exc, source) from None
    except RecursionError as exc:
        message = "the statement is nested too deeply to be parsed"
        raise SyntaxErrorAt(message, _parser_position(exc, text), source) from None
    finally:
        if collecting:
            gc.enable()
    parsed = getattr(model, "statements", [])  # textX returns '' for an empty program
    _check_separators(parsed, source)
    lowering = Lowering(text)
    return ir.Program(source, tuple(_lowered(lowering, statement, source) for statement in parsed))


def _lowered(lowering: Lowering, parsed: Any, source: Source) -> ir.Statement:
    """The IR of one statement, refused if nested deeper than :data:`MAX_NESTING`."""
    try:
        statement = lowering(parsed)
    except RecursionError:  # a parse tree deeper than the stack allows to walk
        levels, node = MAX_NESTING + 1, None
    else:
        levels, node = deepest(statement)
    if levels <= MAX_NESTING:
        return statement
    where = parsed._tx_position if node is None else node.span.start  # type: ignore[attr-defined]
    message = f"the statement is nested too deeply: more than {MAX_NESTING} levels"
    raise SyntaxErrorAt(message, where, source)


def _parser_position(exc: RecursionError, text: str) -> int:
    """The start of the line the parser was in when it ran out of stack (Arpeggio keeps
    its position on the parser object of its frames). How deep it got depends on the
    stack in use, so the exact position would not be stable; its line is."""
    position = 0
    trace = exc.__traceback__
    while trace is not None:
        parser = trace.tb_frame.f_locals.get("parser")
        position = getattr(parser, "position", position)
        trace = trace.tb_next
    return text.rfind("\n", 0, position) + 1 if isinstance(position, int) else 0


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
