"""Checks of the statements that only the workflow executor gives a meaning to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from texts.interpreter import ir
from texts.interpreter.errors import TextsError
from texts.interpreter.model import Model
from texts.interpreter.units import units_at
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


_NON_STRICT_VALUES = (ir.If, ir.BoolOp)


def check_workflow_annotations(model: Model) -> None:
    """What only workflow mode gives a meaning to is validated there: resource requests,
    chunk counts and the non-strict marker (other modes accept and ignore them)."""
    for statement in model.program.statements:
        if not isinstance(statement, ir.VarDef | ir.Update):
            continue
        nonstrict = isinstance(statement, ir.VarDef) and statement.nonstrict
        if nonstrict and not isinstance(statement.value, _NON_STRICT_VALUES):
            raise TextsError(
                "Type error",
                "non-strict annotation only valid with if and boolean expressions",
                statement.span,
            )
        value = statement.value
        if isinstance(value, ir.HigherOrder) and value.chunks is not None and value.chunks < 1:
            raise TextsError(
                "Value error", "number of chunks must be a positive integer number", value.span
            )
        if statement.resources is not None:
            _check_resources(statement.resources)


def _fits(kind: str, units: Any) -> bool:
    """Walltime needs units of time; memory units of information (pint counts bits and
    bytes as dimensionless, so they are recognised by name)."""
    if kind == "walltime":
        return str(units.dimensionality) == "[time]"
    names = list(units._units)
    return len(names) == 1 and names[0].endswith(("byte", "bit")) and units._units[names[0]] == 1


def _check_resources(resources: ir.Resources) -> None:
    for kind, number in (("walltime", resources.walltime), ("memory", resources.memory)):
        if number is None:
            continue
        units = units_at(number.units, number.span) if number.units else None
        if units is None or not _fits(kind, units):
            raise TextsError(
                "Invalid units error", f"invalid unit of {kind}: {number.units}", number.span
            )
        if not isinstance(number.value, int | float) or number.value <= 0:
            raise TextsError("Value error", f"{kind} must be a positive number", number.span)
    if resources.ncores is not None and resources.ncores < 1:
        raise TextsError(
            "Value error", "number of cores must be a positive integer number", resources.span
        )
