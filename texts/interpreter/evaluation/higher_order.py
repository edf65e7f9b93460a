"""Evaluation of ``map``, ``filter`` and ``reduce``.

Each first tries its function on whole arrays (:mod:`vectorize`); the element loops below
give the meaning and run wherever that is not possible (see ``vectorize``'s docstring).
"""

from __future__ import annotations

from typing import Any

import numpy

from texts.interpreter import ir
from texts.interpreter.elements import null_mask
from texts.interpreter.errors import TextsError
from texts.interpreter.evaluation.core import Memo, Scope, evaluate, resumable, rule
from texts.interpreter.evaluation.functions import call_function
from texts.interpreter.evaluation.scalars import is_nan
from texts.interpreter.evaluation.structures import (
    element,
    elements,
    make_series,
    make_table,
    record,
)
from texts.interpreter.evaluation.vectorize import Vector, apply_to_vectors
from texts.interpreter.evaluation.vectors import BOOL, NUMBER, Unsupported, fold
from texts.interpreter.units import format_units, is_quantity, quantity
from texts.interpreter.values import Series, Table

#: what a vectorized attempt returns when the element loop must run
_LOOP = object()


def items_of(value: Any) -> list[Any]:
    """The elements a built-in iterates over: series elements or table row records."""
    if isinstance(value, Series):
        return elements(value)
    if isinstance(value, Table):
        return [record(value, index) for index in range(len(value))]
    raise TextsError("Type error", "map inputs must be either series or table-like")


def apply(
    function: ir.Lambda | ir.FuncRef, args: list[Any], scope: Scope, memo: Memo | None = None
) -> Any:
    """Call a lambda or a named function with argument values (``memo``: the memo of this
    application, kept by the loop across suspensions)."""
    if isinstance(function, ir.Lambda):
        return evaluate(function.body, scope.child(dict(zip(function.params, args)), memo))
    return call_function(function.name, args, scope, memo)


def _on_vectors(function: Any, inputs: list[Any], size: int, scope: Scope) -> Any:
    """The function's result for all elements at once, or ``_LOOP``."""
    try:
        return apply_to_vectors(function, inputs, size, scope)
    except Exception:  # Unsupported, or an error the element loop raises where it arises
        return _LOOP


@rule(ir.HigherOrder)
def _higher_order(expr: ir.HigherOrder, scope: Scope) -> Any:
    inputs = [evaluate(iterable, scope) for iterable in expr.iterables]
    if expr.kind == "map":
        return _map(expr, inputs, scope)
    if expr.kind == "filter":
        return _filter(expr, inputs[0], scope)
    return _reduce(expr, inputs[0], scope)


# ---------------------------------------------------------------------------
# map


def _map(expr: ir.HigherOrder, inputs: list[Any], scope: Scope) -> Any:
    for value in inputs:
        if not isinstance(value, Series | Table):
            items_of(value)  # raises the type error
    if len({len(value) for value in inputs}) > 1:
        raise TextsError("Value error", "map inputs must have equal size")
    size = len(inputs[0])
    if size:
        result = _on_vectors(expr.function, inputs, size, scope)
        if result is not _LOOP:
            if isinstance(result, dict):
                return make_table([_column(key, value, size) for key, value in result.items()])
            if isinstance(result, Vector):
                return series_of("map", result)
            return _collect([result] * size)
    columns = [items_of(value) for value in inputs]
    rows = list(zip(*columns))
    results = resumable(
        expr,
        scope,
        len(rows),
        lambda done, memo: apply(expr.function, list(rows[len(done)]), scope, memo),
    )
    return _collect(results)


def _collect(results: list[Any]) -> Any:
    """The result of a map from the function's results: a table for dicts, else a series."""
    if results and all(isinstance(result, dict) for result in results):
        keys = list(results[0])
        return make_table(
            [make_series(key, [r.get(key) for r in results], convert_units=True) for key in keys]
        )
    return make_series("map", results, convert_units=True)


def _column(name: str, value: Any, size: int) -> Series:
    if isinstance(value, Vector):
        return series_of(name, value)
    return make_series(name, [value] * size, convert_units=True)


def series_of(name: str, vector: Vector) -> Series:
    """The series of a map's results computed on vectors (as ``make_series`` makes it)."""
    if vector.kind == NUMBER:
        if vector.nones is not None and vector.nones.all():
            return Series(name, [None] * len(vector))
        mask = vector.nulls
        if vector.nones is not None:
            mask = vector.nones if mask is None else mask | vector.nones
        return Series(name, vector.data, vector.units, True, mask)
    if vector.kind == BOOL:
        return Series(name, vector.data, None, False, vector.nulls)
    values = vector.data.tolist()
    if vector.nulls is not None:
        for index in numpy.flatnonzero(vector.nulls).tolist():
            values[index] = None
    return Series(name, values)


# ---------------------------------------------------------------------------
# filter


def _kept(function: Any, value: Any, size: int, scope: Scope) -> numpy.ndarray | None:
    """Which elements the function keeps, decided on vectors, or None (use the loop)."""
    result = _on_vectors(function, [value], size, scope)
    if result is None or isinstance(result, bool):
        return numpy.full(size, bool(result))
    if isinstance(result, Vector) and result.kind == BOOL:
        return result.data if result.nulls is None else result.data & ~result.nulls
    return None


def _filter(expr: ir.HigherOrder, value: Any, scope: Scope) -> Any:
    if isinstance(value, Table):
        keep = _kept(expr.function, value, len(value), scope) if len(value) else None
        if keep is not None:
            return Table([column.taken(keep) for column in value.columns])
        holds = resumable(
            expr,
            scope,
            len(value),
            lambda done, memo: apply(expr.function, [record(value, len(done))], scope, memo),
        )
        rows = numpy.array([i for i, kept in enumerate(holds) if kept], dtype=numpy.intp)
        return Table([column.taken(rows) for column in value.columns])
    if not isinstance(value, Series):
        raise TextsError("Type error", "filter input must be either series or table-like")
    if value.is_array:  # nulls are dropped before filtering
        nulls = null_mask(value.data, value.mask)
        present = value if nulls is None else value.taken(~nulls)
        if len(present):
            keep = _kept(expr.function, present, len(present), scope)
            if keep is not None:
                return _filtered(value, keep if nulls is None else numpy.flatnonzero(~nulls)[keep])
    present_list = [index for index, raw in enumerate(value.elements) if raw is not None]
    holds = resumable(
        expr,
        scope,
        len(present_list),
        lambda done, memo: apply(
            expr.function, [element(value, present_list[len(done)])], scope, memo
        ),
    )
    rows = numpy.array([i for i, held in zip(present_list, holds) if held], dtype=numpy.intp)
    return _filtered(value, rows)


def _filtered(series: Series, rows: numpy.ndarray) -> Series:
    """The kept elements; an empty result has no units."""
    kept = series.taken(rows, "filter")
    if not len(kept):
        kept.units = None
    return kept


# ---------------------------------------------------------------------------
# reduce


def _reduce(expr: ir.HigherOrder, value: Any, scope: Scope) -> Any:
    folded = _fold(expr.function, value)
    if folded is not _LOOP:
        return folded
    items = items_of(value)
    if not items:
        raise TextsError("Value error", "reduce of an empty sequence")

    def step(done: list, memo: Memo) -> Any:
        previous = done[-1] if done else items[0]
        return apply(expr.function, [previous, items[len(done) + 1]], scope, memo)

    folded_items = resumable(expr, scope, len(items) - 1, step)
    result = folded_items[-1] if folded_items else items[0]
    if isinstance(value, Table):
        if not isinstance(result, dict):
            raise TextsError("Type error", "reduce over a table must return a dict")
        row = _reduced_row(result, _all_integer(value))
        return make_table([make_series(key, [row[key]]) for key in row])
    return result


def _reduced_row(result: dict, integer_input: bool) -> dict:
    """The one row a reduce over a table gives, as the reference gives it: a product of
    units that is a power of one base unit is written in it (``300 [centimeter * meter]``
    is ``3 [meter ** 2]``), and where every numeric column was integer a whole float is an
    integer again."""
    row = {}
    for key, value in result.items():
        if is_quantity(value) and not is_nan(value.magnitude):
            if " * " in format_units(value.units):
                base = value.to_base_units()
                if " * " not in format_units(base.units):
                    value = base
            magnitude = value.magnitude
            if integer_input and isinstance(magnitude, float) and magnitude.is_integer():
                value = quantity(int(magnitude), value.units)
        row[key] = value
    return row


def _all_integer(table: Table) -> bool:
    return all(
        (column.is_array and column.data.dtype.kind in "iu")
        or (not column.is_array and all(isinstance(m, int) for m in column.elements))
        for column in table.columns
        if column.numeric
    )


def _fold(function: Any, value: Any) -> Any:
    """``reduce((x, y: x + y), s)`` and ``x * y`` (dimensionless) of a numeric series in
    one array: a fold in NumPy, in the loop's order. Anything else: ``_LOOP``."""
    if not (isinstance(value, Series) and value.numeric and value.is_array and len(value)):
        return _LOOP
    op = _folding_operator(function)
    if op is None or (op == "*" and not quantity(1, value.units).dimensionless):
        return _LOOP
    if null_mask(value.data, value.mask) is not None:  # a null is NaN, and NaN stays
        return quantity(float("nan"), value.units)
    try:
        return quantity(fold(op, value.data), value.units)
    except Unsupported:
        return _LOOP


def _folding_operator(function: Any) -> str | None:
    """``+`` or ``*`` if the function is ``(x, y: x op y)`` or ``(x, y: y op x)``."""
    if not isinstance(function, ir.Lambda) or len(function.params) != 2:
        return None
    body = function.body
    if not isinstance(body, ir.Arith) or len(body.operands) != 2 or body.ops[0] not in "+*":
        return None
    names = []
    for operand in body.operands:
        if not isinstance(operand, ir.Ref) or operand.accessors:
            return None
        names.append(operand.name)
    return body.ops[0] if sorted(names) == sorted(function.params) else None
