"""Load the textX metamodel once per process and parse program text into IR."""

from __future__ import annotations

import functools
import gc
import itertools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from texts.grammar.cache import StatementCache, statement_cache
from texts.grammar.comments import blank_comments
from texts.grammar.lower import Lowering
from texts.grammar.statements import split_statements
from texts.interpreter import ir
from texts.interpreter.errors import SyntaxErrorAt, TextsError
from texts.interpreter.source import Source
from texts.interpreter.walk import deepest

GRAMMAR_FILE = Path(__file__).with_name("texts.tx")
#: bumped whenever the grammar changes what programs mean
GRAMMAR_VERSION = 1
#: the most levels of nesting in a statement: the checks and the evaluation follow the
#: nesting of an expression on the Python stack (a chain of statements never does)
MAX_NESTING = 100
#: statements parsed together when they are not in the parse cache: enough to share the
#: cost of a call into the parser, few enough that each group's parse tree is freed before
#: the next is built (a long text parsed at once holds all of them: 380 MB at 10000
#: statements, against 50 MB in groups)
GROUP_SIZE = 50


@functools.cache
def metamodel() -> Any:
    """The textX metamodel of the language, built on first use and then reused (a run
    whose statements are all in the parse cache never builds it)."""
    # textX is imported here, not at the top: a warm run does not need it
    from textx import metamodel_from_file  # noqa: PLC0415

    return metamodel_from_file(str(GRAMMAR_FILE), autokwd=True, memoization=True, skipws=True)


def parse_program(text: str, path: str | None = None) -> ir.Program:
    """Parse a program text into IR; raise a :class:`TextsError` for syntax errors."""
    return parse_source(Source(text, path))


def parse_source(source: Source) -> ir.Program:
    """Parse a source (possibly made of several parts) into IR.

    Statements found in the parse cache are read from it; the others are parsed in groups
    of consecutive statements and added to it. Where the statements cannot be told apart
    without the parser, or a group does not parse into exactly its statements (a syntax
    error, most often), the whole text is parsed as one, so what a program means and how
    its errors read never depend on the cache.
    """
    collecting = gc.isenabled()
    gc.disable()  # parsing allocates many linked objects; collecting during it only costs
    try:
        return _parse(source, blank_comments(source.text))
    finally:
        if collecting:
            gc.enable()


def _parse(source: Source, text: str) -> ir.Program:
    """Parse ``text``, the source's text with its comments blanked out."""
    cuts = split_statements(text)
    if cuts is None:
        return _parse_whole(source, text)
    cache = statement_cache(source.path)
    statements = [cache.lookup(text[start:end], start) for start, end in cuts]
    for group in _groups(index for index, found in enumerate(statements) if found is None):
        parsed = _parse_group(source, text, [cuts[index] for index in group])
        if parsed is None:
            return _parse_whole(source, text, cuts, cache)
        for index, statement in zip(group, parsed):
            start, end = cuts[index]
            cache.add(text[start:end], statement, start)
            statements[index] = statement
        gc.collect(0)  # the group's parse tree, linked both ways: what a long text would keep
    cache.save()
    return ir.Program(source, tuple(statements))  # type: ignore[arg-type]


def _groups(indices: Iterable[int]) -> Iterator[list[int]]:
    """Runs of consecutive indices, at most :data:`GROUP_SIZE` long."""
    group: list[int] = []
    for index in indices:
        if group and (index != group[-1] + 1 or len(group) == GROUP_SIZE):
            yield group
            group = []
        group.append(index)
    if group:
        yield group


def _parse_group(
    source: Source, text: str, cuts: list[tuple[int, int]]
) -> list[ir.Statement] | None:
    """The statements of consecutive ``cuts`` of ``text``, parsed together; ``None`` if
    they do not parse into exactly those statements, or not without an error."""
    from textx.exceptions import TextXSyntaxError  # noqa: PLC0415 - lazily for start-up: with the parser, a warm run needs neither

    first, last = cuts[0][0], cuts[-1][1]
    piece = text[first:last]
    try:
        model = metamodel().model_from_str(piece)
    except (TextXSyntaxError, RecursionError):
        return None
    parsed = getattr(model, "statements", [])
    found = [(first + s._tx_position, first + s._tx_position_end) for s in parsed]
    if found != cuts:
        return None
    lowering = Lowering(piece, first)
    try:
        return [_lowered(lowering, statement, source) for statement in parsed]
    except TextsError:
        return None


def _parse_whole(
    source: Source,
    text: str,
    cuts: list[tuple[int, int]] | None = None,
    cache: StatementCache | None = None,
) -> ir.Program:
    """Parse the whole text at once: syntax errors are reported as the parser finds them.
    Statements that are among ``cuts`` are added to ``cache``."""
    from textx.exceptions import TextXSyntaxError  # noqa: PLC0415 - lazily for start-up: with the parser, a warm run needs neither

    parser = metamodel()  # outside the try: a broken grammar file is not the user's error
    try:
        model = parser.model_from_str(text)
    except TextXSyntaxError as exc:
        raise _syntax_error(exc, source) from None
    except RecursionError as exc:
        message = "the statement is nested too deeply to be parsed"
        raise SyntaxErrorAt(message, _parser_position(exc, text), source) from None
    parsed = getattr(model, "statements", [])  # textX returns '' for an empty program
    _check_separators(parsed, source)
    lowering = Lowering(text)
    statements = tuple(_lowered(lowering, statement, source) for statement in parsed)
    if cache is not None and cuts:
        known = set(cuts)
        for statement in statements:
            start, end = statement.span.start, statement.span.end
            if (start, end) in known:
                cache.add(text[start:end], statement, start)
        cache.save()
    return ir.Program(source, statements)


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
