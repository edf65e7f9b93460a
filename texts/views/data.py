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

from texts.interpreter.errors import TextsError, from_exception
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
    """The plot of a ``lineplot``/``scatterplot`` view; an error located on the argument
    at fault (else on the view), with the reference's label, for arguments that cannot be
    drawn."""
    values, names = view.values, view.names
    spans = [item.span for item in view.statement.items]
    try:
        if values and isinstance(values[0], Table) and len(values) in (3, 4):
            return _table_form(view.mode, values, spans)
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


def _table_form(mode: str, values: tuple[Any, ...], spans: list[Any]) -> PlotData:
    """Long-form data: two columns of a table by name, converted to the units of a series
    named ``units`` (one per column; null or empty keeps a column as it is)."""
    table, x_name, y_name = values[:3]
    if not isinstance(x_name, str) or not isinstance(y_name, str):
        raise TextsError("Type error", "the x and y columns must be named by strings")
    columns = dict(zip(table.names, table.columns))
    if len(values) > 3:
        columns = _converted(columns, values[3], spans[3])
    chosen = []
    for axis, name, span in (("x", x_name, spans[1]), ("y", y_name, spans[2])):
        if name not in columns:
            message = f'could not find {axis}-axis data "{name}" in table'
            raise TextsError("Value error", message, span)
        chosen.append(_axis(columns[name], name))
    x, y = chosen
    return PlotData(mode, x, [y], y.label)


def _converted(columns: dict[str, Any], units: Any, span: Any) -> dict[str, Any]:
    if not isinstance(units, Series) or units.name != "units":
        raise TextsError("Type error", 'parameter must be series with name "units"', span)
    if len(units) != len(columns):
        raise TextsError("Value error", f"length of units series must be {len(columns)}", span)
    converted = {}
    for (name, column), unit in zip(columns.items(), units.elements):
        if unit is not None and not isinstance(unit, str):
            raise TextsError("Type error", f"unsupported units: {unit!r}", span)
        try:
            converted[name] = convert_value(column, unit) if unit else column
        except (TypeError, ValueError, AttributeError) as error:  # pint's, about the units
            raise from_exception(error, None) from None
    return converted


def _wide_form(mode: str, values: tuple[Any, ...], names: tuple[str, ...]) -> PlotData:
    """One line per column: row ``i`` of the values holds the points at ``index[i]`` (values
    given the other way round, one row per column, are turned, as in the reference)."""
    data, index, columns = values
    matrix, units = _matrix(data)
    x = _axis(index, names[1])
    labels = _column_labels(columns)
    rows, width = matrix.shape
    if width != len(labels) and (rows, width) == (len(labels), len(x.values)):
        matrix = matrix.T
    if matrix.shape != (len(x.values), len(labels)):
        raise TextsError(
            "Type error",
            f"values must have {len(x.values)} rows of {len(labels)} columns, or the reverse",
        )
    lines = [Axis(matrix[:, j].tolist(), label) for j, label in enumerate(labels)]
    name = data.name if isinstance(data, Series) else names[0]
    return PlotData(mode, x, lines, _label(name, units))


def _column_labels(columns: Any) -> list[str]:
    """The legend of each column: its name, or a number with its units (``300 [kelvin]``)."""
    if isinstance(columns, tuple):
        return [str(c) for c in columns]
    values, units = _plain(columns)
    if units is None or format_units(units) == "dimensionless":
        return [str(v) for v in values]
    return [f"{v} [{format_units(units)}]" for v in values]


def _matrix(data: Any) -> tuple[Any, Any]:
    """Wide-form values as one 2-D array: a series of 1-D arrays of one length or a 2-D
    array, and their units."""
    # lazily for start-up: NumPy only when a view needs it
    import numpy  # noqa: PLC0415

    if isinstance(data, Series):
        rows = [_magnitude(element)[0] for element in data.elements]
        if any(getattr(row, "ndim", 0) != 1 for row in rows) or len({len(r) for r in rows}) > 1:
            raise TextsError(
                "Type error", "wide-form values must be a series of 1-D arrays of one length"
            )
        matrix = numpy.stack(rows) if rows else numpy.zeros((0, 0))
        return matrix, data.units if data.numeric else None
    magnitude, units = _magnitude(data)
    if getattr(magnitude, "ndim", 0) != 2:
        raise TextsError("Type error", "wide-form values must be a series of arrays or a 2-D array")
    return magnitude, units


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
