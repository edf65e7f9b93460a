"""The extension's use of the core language's series and tables, in one place.

Structures, parameter sets, results and species hold core tables; this module is the only
one that builds them from NumPy data and reads NumPy data back, so the rest of the
extension does not depend on how a series keeps its elements.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from texts.interpreter.evaluation.structures import element, row
from texts.interpreter.units import converted, parse_units
from texts.interpreter.values import Series, Table


def column(table: Table, name: str) -> Series | None:
    """The column ``name`` of a table, or None."""
    for series in table.columns:
        if series.name == name:
            return series
    return None


def has_column(table: Table, name: str) -> bool:
    return column(table, name) is not None


def units_of(text: str) -> Any:
    return parse_units(text)


def numbers(name: str, magnitudes: Any, units: Any) -> Series:
    """A numeric series of magnitudes: a one-dimensional NumPy array, or plain numbers or
    NumPy arrays (one per element) with None for null."""
    units = parse_units(units) if isinstance(units, str) else units
    if getattr(magnitudes, "ndim", None) == 1:
        return Series(name, magnitudes, units, numeric=True)
    return Series(name, [_plain(m) for m in magnitudes], units, numeric=True)


def _plain(magnitude: Any) -> Any:
    """NumPy scalars as Python numbers; arrays and None as they are."""
    if magnitude is None or isinstance(magnitude, int | float | complex):
        return magnitude
    if getattr(magnitude, "ndim", None) == 0:
        return magnitude.item()
    return magnitude


def objects(name: str, values: Iterable[Any]) -> Series:
    """A series of non-numeric values (strings, booleans, tables, domain values)."""
    return Series(name, list(values))


def table(columns: Iterable[Series]) -> Table:
    return Table(list(columns))


def cell(series: Series, index: int) -> Any:
    """One element of a series as a language value (numbers carry the series' units)."""
    return element(series, index)


def item(series: Series, index: int) -> Any:
    """One stored element as it is kept: a magnitude, an array, a value; None for null."""
    if series.is_array:
        if series.mask is not None and series.mask[index]:
            return None
        value = series.data[index].item()
        return None if isinstance(value, float) and math.isnan(value) else value  # NaN: null
    return series.data[index]


def cells(series: Series) -> list[Any]:
    return [element(series, index) for index in range(len(series))]


def table_row(data: Table, index: int) -> tuple:
    return row(data, index)


def sliced(data: Table, bounds: slice) -> Table:
    return Table([column.taken(bounds) for column in data.columns])


def sliced_series(series: Series, bounds: slice) -> Series:
    return series.taken(bounds)


def magnitudes_in(series: Series, units: str) -> Any:
    """The elements of a numeric series converted to ``units``: an array for a series of
    numbers (null is NaN), a list (None for null) for a series of arrays."""
    target = parse_units(units)
    if series.is_array:
        return converted(series.data.astype(float), series.units, target)
    return [None if m is None else converted(m, series.units, target) for m in series.elements]
