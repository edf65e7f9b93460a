"""Instant and deferred mode in a notebook: a model kept in memory, grown cell by cell.

Each cell is checked together with the definitions of the cells before it, so it may use
them; its exports, prints and views run once, with the cell. Only definitions (variables,
functions, imports) are kept for later cells. Nothing is stored: values are computed
again when a later cell needs them, as a model file run again would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from texts.cli.running import Output
from texts.executors import EXECUTORS
from texts.executors.base import Executor
from texts.executors.memory import InMemoryRun
from texts.executors.protocol import RunContext
from texts.executors.runner import run_input
from texts.grammar import parse_source
from texts.grammar.classify import is_statement
from texts.interpreter import ir
from texts.interpreter.checks import check_program
from texts.interpreter.errors import TextsError
from texts.interpreter.model import Model
from texts.interpreter.source import Source
from texts.views.display import Display, show_views

KEPT = (ir.VarDef, ir.FuncDef, ir.Import)
VALUE_NAME = "_texts_value"
"""The variable an expression asked for with ``%texts`` is computed as."""


class MemoryModel:
    """The definitions of the cells run so far, and running a new cell on top of them."""

    def __init__(self, console: Output, write: Callable[[str], None], display: Display) -> None:
        self.console = console
        self.write = write
        self.display = display
        self.mode = "instant"
        self.statements: list[str] = []
        self.cells = 0

    def handle(self, text: str) -> bool:
        """One input of a cell, as a session handles it: statements are run, an expression
        is printed; the session's magics need a session (workflow mode)."""
        stripped = text.strip()
        if stripped.startswith("%"):
            self.console.error(
                TextsError("Magic error", f"{stripped.split()[0]} works in workflow mode only")
            )
        elif stripped:
            self.run(text if is_statement(text) else f"print({stripped})")
        return True

    def run(self, text: str) -> None:
        """Check and run statements: exports, then prints and views; on success their
        definitions are kept. Errors are reported to the console."""
        context = RunContext(self._check, self.console.error, self.console.warn)
        try:
            run, result = run_input(self.mode, self._source(text), context)
        except TextsError as error:
            self.console.error(error)
            return
        if result is None:
            return
        for line in result.lines:
            self.write(line)
        show_views(result.views, self.display, self.console)
        assert isinstance(run, InMemoryRun) and run.model is not None
        self._keep(run.model)

    def value(self, expression: str) -> Any:
        """The value of an expression over the kept definitions (errors are raised)."""
        executor = self._executor(f"{VALUE_NAME} = {expression}")
        executor.ensure([VALUE_NAME])
        if VALUE_NAME in executor.failures:
            raise executor.failures[VALUE_NAME]
        return executor.values[VALUE_NAME]

    def _executor(self, text: str) -> Executor:
        source = self._source(text)
        model = self._check(source, self.mode)
        return EXECUTORS[self.mode](model, self.console.error)

    def _source(self, text: str) -> Source:
        """A new cell's text after the kept definitions."""
        self.cells += 1
        return self._extended(Source(text, f"<cell {self.cells}>"))

    def _check(self, source: Source, mode: str) -> Model:
        self.console.source = source
        return check_program(parse_source(source), mode, self.console.warn)

    def _extended(self, cell: Source) -> Source:
        """The kept definitions followed by the cell, which keeps its own positions."""
        if not self.statements:
            return cell
        kept = "\n".join(self.statements) + "\n"
        return Source(kept + cell.text, cell.path, ((0, "<cells>"), (len(kept), cell.path)))

    def _keep(self, model: Model) -> None:
        start = model.source.parts[-1][0] if self.statements else 0
        self.statements.extend(
            model.source.excerpt(statement.span)
            for statement in model.program.statements
            if isinstance(statement, KEPT) and statement.span.start >= start
        )
