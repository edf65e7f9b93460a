"""What a ``lineplot`` or ``scatterplot`` draws, from the evaluated items of a view.

The argument forms (language reference, ``view``):

* ``(table, 'x column', 'y column' [, units])``, ``units`` a series with one unit (or null)
  per table column;
* ``(y_values, x_values)``, series or 1-D arrays;
* ``(values, index, columns)``, wide form: a series of 1-D arrays or a 2-D array, one row
  per index entry and one line per column.

Nothing here imports a plotting library, so a bad view is reported without one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from texts.interpreter.errors import TextsError
from texts.interpreter.evaluation.printing import ShownView
from texts.interpreter.evaluation.structures import array_of, convert_value
from texts.interpreter.units import format_units, is_quantity
from texts.interpreter.values import Series, Table

PLOT_MODES = ("lineplot", "scatterplot")
FORMS = "(table, 'x', 'y' [, units]), (y, x) or (values, index, columns)"


@dataclass(frozen=True)
class Axis:
    """One coordinate of a plot: plain values (numbers, or strings for categories) and the
    label ``name [units]``."""

    values: list[Any]
    label: str


@dataclass(frozen=True)
class PlotData:
    """A plot to draw: lines (or point sets) over one x axis, labelled for a legend when
    there is more than one."""

    mode: str
    x: Axis
    lines: list[Axis]
    y_label: str


def plot_data(view: ShownView) -> PlotData:
    """The plot of a ``lineplot``/``scatterplot`` view; a ``Value error`` on the view for
    arguments of no known form."""
    values, names = view.values, view.names
    try:
        if values and isinstance(values[0], Table) and len(values) in (3, 4):
            return _table_form(view.mode, *values)
        if len(values) == 2:
            y, x = (_axis(v, n) for v, n in zip(values, names))
            return PlotData(view.mode, x, [y], y.label)
        if len(values) == 3:
            return _wide_form(view.mode, values, names)
    except TextsError as error:
        error.span = error.span or view.statement.span
        raise
    raise TextsError(
        "Value error", f"{view.mode} takes {FORMS}, not {len(values)} values", view.statement.span
    )


def _table_form(mode: str, table: Table, x_name: Any, y_name: Any, units: Any = None) -> PlotData:
    columns = dict(zip(table.names, table.columns))
    if units is not None:
        if not isinstance(units, Series) or len(units) != len(table.columns):
            raise TextsError("Value error", "units must be a series with one unit per column")
        columns = {
            name: column if unit is None else convert_value(column, unit)
            for (name, column), unit in zip(columns.items(), units.elements)
        }
    chosen = []
    for name in (x_name, y_name):
        if name not in columns:
            raise TextsError("Invalid key", f"column {name} not found in the table")
        chosen.append(_axis(columns[name], name))
    x, y = chosen
    return PlotData(mode, x, [y], y.label)


def _wide_form(mode: str, values: tuple[Any, ...], names: tuple[str, ...]) -> PlotData:
    """One line per column: row ``i`` of the values holds the points at ``index[i]``."""
    data, index, columns = values
    rows, units = _rows(data)
    x = _axis(index, names[1])
    labels = [str(c) for c in (columns if isinstance(columns, tuple) else _plain(columns)[0])]
    if len(rows) != len(x.values) or any(len(row) != len(labels) for row in rows):
        raise TextsError(
            "Value error", f"values must have {len(x.values)} rows of {len(labels)} columns"
        )
    lines = [Axis([row[j] for row in rows], label) for j, label in enumerate(labels)]
    name = data.name if isinstance(data, Series) else names[0]
    return PlotData(mode, x, lines, _label(name, units))


def _rows(data: Any) -> tuple[list[list[Any]], Any]:
    """The rows of wide-form values: a series of 1-D arrays or a 2-D array, and their units."""
    if isinstance(data, Series):
        rows = [_magnitude(element) for element in data.elements]
        if any(getattr(row, "ndim", 0) != 1 for row, _ in rows):
            raise TextsError("Type error", "wide-form values must be a series of 1-D arrays")
        return [row.tolist() for row, _ in rows], data.units if data.numeric else None
    magnitude, units = _magnitude(data)
    if getattr(magnitude, "ndim", 0) != 2:
        raise TextsError("Type error", "wide-form values must be a series of arrays or a 2-D array")
    return magnitude.tolist(), units


def _axis(value: Any, name: str) -> Axis:
    values, units = _plain(value)
    return Axis(values, _label(value.name if isinstance(value, Series) else name, units))


def _plain(value: Any) -> tuple[list[Any], Any]:
    """A series or 1-D array as plain values (null as NaN) and its units."""
    if isinstance(value, Series):
        if value.numeric and value.is_array:  # nulls as NaN, in NumPy
            return array_of(value).magnitude.tolist(), value.units
        if value.numeric:
            return [float("nan") if m is None else m for m in value.elements], value.units
        return list(value.elements), None
    magnitude, units = _magnitude(value)
    if getattr(magnitude, "ndim", 0) != 1:
        raise TextsError(
            "Type error", f"plotted values must be series or 1-D arrays, not {type(value).__name__}"
        )
    return magnitude.tolist(), units


def _magnitude(value: Any) -> tuple[Any, Any]:
    return (value.magnitude, value.units) if is_quantity(value) else (value, None)


def _label(name: str, units: Any) -> str:
    text = format_units(units) if units is not None else "dimensionless"
    return name if text == "dimensionless" else f"{name} [{text}]"
