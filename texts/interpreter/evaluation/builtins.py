"""Evaluation of the built-in functions map, filter, reduce, sum, all, any, in and range."""

from __future__ import annotations

from typing import Any

from texts.interpreter import ir
from texts.interpreter.errors import TextsError
from texts.interpreter.evaluation.core import Memo, Scope, evaluate, resumable, rule
from texts.interpreter.evaluation.functions import call_function
from texts.interpreter.evaluation.limits import check_elements
from texts.interpreter.evaluation.scalars import compare, is_nan, three_valued
from texts.interpreter.evaluation.structures import (
    element,
    elements,
    make_series,
    make_table,
    record,
)
from texts.interpreter.units import quantity
from texts.interpreter.values import Series, Table


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


@rule(ir.HigherOrder)
def _higher_order(expr: ir.HigherOrder, scope: Scope) -> Any:
    inputs = [evaluate(iterable, scope) for iterable in expr.iterables]
    if expr.kind == "map":
        return _map(expr, inputs, scope)
    if expr.kind == "filter":
        return _filter(expr, inputs[0], scope)
    return _reduce(expr, inputs[0], scope)


def _map(expr: ir.HigherOrder, inputs: list[Any], scope: Scope) -> Any:
    columns = [items_of(value) for value in inputs]
    if len({len(column) for column in columns}) > 1:
        raise TextsError("Value error", "map inputs must have equal size")
    rows = list(zip(*columns))
    results = resumable(
        expr,
        scope,
        len(rows),
        lambda done, memo: apply(expr.function, list(rows[len(done)]), scope, memo),
    )
    if results and all(isinstance(result, dict) for result in results):
        keys = list(results[0])
        return make_table(
            [make_series(key, [r.get(key) for r in results], convert_units=True) for key in keys]
        )
    return make_series("map", results, convert_units=True)


def _filter(expr: ir.HigherOrder, value: Any, scope: Scope) -> Any:
    if isinstance(value, Table):
        holds = resumable(
            expr,
            scope,
            len(value),
            lambda done, memo: apply(expr.function, [record(value, len(done))], scope, memo),
        )
        keep = [i for i, kept in enumerate(holds) if kept]
        return Table(
            [
                Series(c.name, [c.elements[i] for i in keep], c.units, c.numeric)
                for c in value.columns
            ]
        )
    if not isinstance(value, Series):
        raise TextsError("Type error", "filter input must be either series or table-like")
    present = [index for index, raw in enumerate(value.elements) if raw is not None]
    holds = resumable(
        expr,
        scope,
        len(present),
        lambda done, memo: apply(expr.function, [element(value, present[len(done)])], scope, memo),
    )
    kept = [value.elements[index] for index, held in zip(present, holds) if held]
    units = value.units if kept else None
    return Series("filter", kept, units, value.numeric)


def _reduce(expr: ir.HigherOrder, value: Any, scope: Scope) -> Any:
    items = items_of(value)
    if not items:
        raise TextsError("Value error", "reduce of an empty sequence")

    def step(done: list, memo: Memo) -> Any:
        previous = done[-1] if done else items[0]
        return apply(expr.function, [previous, items[len(done) + 1]], scope, memo)

    folded = resumable(expr, scope, len(items) - 1, step)
    result = folded[-1] if folded else items[0]
    if isinstance(value, Table):
        if not isinstance(result, dict):
            raise TextsError("Type error", "reduce over a table must return a dict")
        return make_table([make_series(key, [result[key]]) for key in result])
    return result


def _series_values(value: Any) -> list[Any]:
    if not isinstance(value, Series):
        raise TextsError("Type error", "Parameter must be series or reference to series")
    return elements(value)


@rule(ir.Aggregate)
def _aggregate(expr: ir.Aggregate, scope: Scope) -> Any:
    if expr.iterable is not None:
        values = _series_values(evaluate(expr.iterable, scope))
        if expr.kind == "sum":
            return _sum(values, from_series=True)
        return three_valued("and" if expr.kind == "all" else "or", values, lambda v: v)
    if expr.kind == "sum":
        return _sum([evaluate(arg, scope) for arg in expr.args], from_series=False)
    op = "and" if expr.kind == "all" else "or"
    return three_valued(op, expr.args, lambda arg: evaluate(arg, scope))


def _sum(values: list[Any], from_series: bool) -> Any:
    if any(v is None or (from_series and is_nan(v)) for v in values):
        return None
    if not values:
        return quantity(0)
    total = values[0]
    for value in values[1:]:
        total = total + value
    return total


def contains(element_value: Any, collection: list[Any]) -> bool | None:
    """Membership by equality with the null rules of the language."""

    def is_null(value: Any) -> bool:
        return value is None or is_nan(value)

    if is_null(element_value):
        return any(is_null(item) for item in collection)
    for item in collection:
        if not is_null(item) and compare("==", element_value, item):
            return True
    return None if any(is_null(item) for item in collection) else False


@rule(ir.In)
def _in(expr: ir.In, scope: Scope) -> bool | None:
    value = evaluate(expr.element, scope)
    if expr.collection is not None:
        collection = _series_values(evaluate(expr.collection, scope))
    else:
        collection = [evaluate(item, scope) for item in expr.items]
    return contains(value, collection)


@rule(ir.Range)
def _range(expr: ir.Range, scope: Scope) -> Series:
    import numpy

    start, stop, step = (evaluate(arg, scope) for arg in (expr.start, expr.stop, expr.step))
    if start is None or stop is None or step is None:
        raise TextsError("Value error", "Range parameter may not be null.")
    units = start.units
    magnitudes = [start.magnitude, stop.to(units).magnitude, step.to(units).magnitude]
    if magnitudes[2] == 0:
        raise TextsError("Arithmetic error", "division by zero")
    check_elements((magnitudes[1] - magnitudes[0]) / magnitudes[2], "the range")
    integer = all(isinstance(m, int) for m in (start.magnitude, stop.magnitude, step.magnitude))
    if integer and all(float(m).is_integer() for m in magnitudes):
        data = [int(x) for x in numpy.arange(*(int(m) for m in magnitudes))]
    else:
        data = [float(x) for x in numpy.arange(*(float(m) for m in magnitudes))]
    return Series("range", data, units, numeric=True)
