"""Checks of the statements that only the workflow executor gives a meaning to."""

from __future__ import annotations

from collections.abc import Iterator

from texts.interpreter import ir
from texts.interpreter.errors import TextsError
from texts.interpreter.model import Model
from texts.interpreter.walk import descendants


def statement_warnings(program: ir.Program, mode: str) -> Iterator[str]:
    """``vary`` and ``tag`` have no effect outside workflow mode: say so once each."""
    if mode == "workflow":
        return
    for statement in program.statements:
        if isinstance(statement, ir.Vary):
            yield "vary statement has no effect"
        elif isinstance(statement, ir.Tag):
            yield "tags are interpreted only in workflow evaluation mode"


def check_chunks(model: Model) -> None:
    """``in N chunks`` only on a whole variable value whose inputs are references."""
    allowed: set[int] = set()
    for variable in model.variables.values():
        value = variable.value
        if isinstance(value, ir.HigherOrder) and value.chunks is not None:
            allowed.add(id(value))
            for iterable in value.iterables:
                if not isinstance(iterable, ir.Ref):
                    message = (
                        "All parallel map parameters must be references"
                        if value.kind == "map"
                        else "Parallel filter/reduce parameter must be a reference"
                    )
                    raise TextsError("Unknown error: ParallelizationError", message, value.span)
    for statement in model.program.statements:
        for node in descendants(statement):
            if (
                isinstance(node, ir.HigherOrder)
                and node.chunks is not None
                and id(node) not in allowed
            ):
                raise TextsError(
                    "Unknown error: ParallelizationError",
                    "Parallel map, filter and reduce must be variable parameters",
                    node.span,
                )


def check_vary_references(model: Model) -> None:
    """Outside workflow mode the columns of ``vary`` are not variables."""
    for statement in model.program.statements:
        if isinstance(statement, ir.Vary):
            continue
        for use in model.uses(statement):
            if use.name in model.vary_names and use.name not in model.variables:
                raise TextsError(
                    "Vary error", f'reference to series "{use.name}" in vary statement'
                )


def check_tags(model: Model) -> None:
    """A tag given as a table has exactly one row."""
    for statement in model.program.statements:
        if isinstance(statement, ir.Tag) and isinstance(statement.value, ir.TableLit):
            sizes = {
                len(column.items)
                for column in statement.value.columns
                if isinstance(column, ir.SeriesLit)
            }
            if sizes and sizes != {1}:
                raise TextsError("Tag error", "tag table must have only one row", statement.span)
