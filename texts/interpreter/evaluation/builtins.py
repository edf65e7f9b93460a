"""Evaluation of the built-in functions sum, all, any, in and range.

Over a series held in one array they work on the whole array, in the order the element
rules use (a sum adds from the left); other series take the element loops.
"""

from __future__ import annotations

from typing import Any

import numpy

from texts.interpreter import ir
from texts.interpreter.elements import null_mask
from texts.interpreter.errors import TextsError
from texts.interpreter.evaluation.core import Scope, evaluate, rule
from texts.interpreter.evaluation.limits import check_elements
from texts.interpreter.evaluation.scalars import compare, is_nan, three_valued
from texts.interpreter.evaluation.sources import kind_of
from texts.interpreter.evaluation.structures import elements
from texts.interpreter.evaluation.vectors import Unsupported, contains_series, fold
from texts.interpreter.source import Span
from texts.interpreter.units import is_quantity, quantity
from texts.interpreter.values import Series


def _series(value: Any) -> Series:
    if not isinstance(value, Series):
        raise TextsError("Type error", "Parameter must be series or reference to series")
    return value


@rule(ir.Aggregate)
def _aggregate(expr: ir.Aggregate, scope: Scope) -> Any:
    if expr.iterable is not None:
        series = _series(evaluate(expr.iterable, scope))
        if series.is_array:
            if expr.kind == "sum" and series.numeric:
                return _sum_array(series)
            if expr.kind != "sum" and not series.numeric:
                return _all_or_any(expr.kind, series)
        values = elements(series)
        if expr.kind == "sum":
            _check_numbers(values, expr.iterable.span)
            total = _sum(values, from_series=True)
            return _null_sum(series) if total is None and series.numeric else total
        return three_valued("and" if expr.kind == "all" else "or", values, lambda v: v)
    if expr.kind == "sum":
        return _sum([evaluate(arg, scope) for arg in expr.args], from_series=False)
    op = "and" if expr.kind == "all" else "or"
    return three_valued(op, expr.args, lambda arg: evaluate(arg, scope))


def _check_numbers(values: list[Any], span: Span) -> None:
    """A sum adds numbers: a series of another datatype from Python or a file (which the
    static checks could not see) is a ``Type error`` at the series."""
    for value in values:
        if value is not None and not is_quantity(value):
            datatype = {"Bool": "Boolean"}.get(kind_of(value), kind_of(value))
            raise TextsError("Type error", f"datatype must be Number but is {datatype}", span)


def _sum(values: list[Any], from_series: bool) -> Any:
    if any(v is None or (from_series and is_nan(v)) for v in values):
        return None
    if not values:
        return quantity(0)
    total = values[0]
    for value in values[1:]:
        total = total + value
    return total


def _sum_array(series: Series) -> Any:
    """The sum of a numeric series: null if it has a null, added from the left."""
    if null_mask(series.data, series.mask) is not None:
        return _null_sum(series)
    if not len(series):
        return quantity(0)
    return quantity(fold("+", series.data), series.units)


def _null_sum(series: Series) -> Any:
    """The sum of a numeric series with a null: null in the series' units, as a reduce
    gives it (``null [meter]``)."""
    return quantity(float("nan"), series.units)


def _all_or_any(kind: str, series: Series) -> bool | None:
    """``all``/``any`` of a boolean series with null as unknown."""
    decisive = kind == "any"
    known = series.data if series.mask is None else series.data[~series.mask]
    if bool(numpy.any(known == decisive)):
        return decisive
    return None if series.mask is not None else not decisive


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
    if expr.collection is None:
        return contains(value, [evaluate(item, scope) for item in expr.items])
    series = _series(evaluate(expr.collection, scope))
    try:
        return contains_series(value, series)
    except Unsupported:
        return contains(value, elements(series))


@rule(ir.Range)
def _range(expr: ir.Range, scope: Scope) -> Series:
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
        data = numpy.arange(*(int(m) for m in magnitudes), dtype=numpy.int64)
    else:
        data = numpy.arange(*(float(m) for m in magnitudes), dtype=numpy.float64)
    return Series("range", data, units, numeric=True)
