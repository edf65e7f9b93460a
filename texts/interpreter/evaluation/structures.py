"""Evaluation of tuples, dicts, series, tables and arrays, and of accessors on them."""

from __future__ import annotations

from typing import Any

from texts.interpreter import ir
from texts.interpreter.errors import TextsError
from texts.interpreter.evaluation.construction import is_array, make_series, plain, promote
from texts.interpreter.evaluation.core import NotComputedError, Scope, evaluate, rule
from texts.interpreter.units import convert, is_quantity, parse_units, quantity
from texts.interpreter.values import NOT_COMPUTED, Series, Table


@rule(ir.TupleLit)
def _tuple(expr: ir.TupleLit, scope: Scope) -> tuple:
    return tuple(_element_or_not_computed(item, scope) for item in expr.items)


def _element_or_not_computed(item: ir.Expr, scope: Scope) -> Any:
    """A tuple element; one that is not computed yet stays visible as ``n.c.``."""
    try:
        return evaluate(item, scope)
    except NotComputedError:
        return NOT_COMPUTED


@rule(ir.DictLit)
def _dict(expr: ir.DictLit, scope: Scope) -> dict:
    return {key: evaluate(value, scope) for key, value in zip(expr.keys, expr.values)}


# ---------------------------------------------------------------------------
# series


@rule(ir.SeriesLit)
def _series(expr: ir.SeriesLit, scope: Scope) -> Series:
    values = [evaluate(item, scope) for item in expr.items]
    if expr.units is None:
        return make_series(expr.name, values)
    units = parse_units(expr.units)
    magnitudes = [None if v is None else plain(v.magnitude) for v in values]
    return Series(expr.name, promote(magnitudes), units, numeric=True)


def element(series: Series, index: int) -> Any:
    """One element of a series as a language value (numbers with the series' units; a
    null number is NaN with the units)."""
    value = series.data[index]
    if series.is_array:
        value = None if series.mask is not None and series.mask[index] else value.item()
    if not series.numeric:
        return value
    if value is None:
        return quantity(float("nan"), series.units)
    return quantity(value, series.units)


def elements(series: Series) -> list[Any]:
    """All elements as language values (for the element loops)."""
    if not series.numeric:
        return list(series.elements)
    units = series.units
    nan = float("nan")
    return [quantity(nan if value is None else value, units) for value in series.elements]


# ---------------------------------------------------------------------------
# tables


def make_table(columns: list[Any], span: Any = None) -> Table:
    for column in columns:
        if not isinstance(column, Series):
            raise TextsError("Type error", "Table columns must be series", span)
    names = [c.name for c in columns]
    if len(set(names)) != len(names):
        raise TextsError("Value error", "Repeating column names were found in table", span)
    sizes = tuple(sorted({len(c) for c in columns}))
    if len(sizes) > 1:
        raise TextsError(
            "Value error",
            f"Table columns must have one size but {len(sizes)} sizes were found: {sizes}.",
            span,
        )
    return Table(list(columns))


@rule(ir.TableLit)
def _table(expr: ir.TableLit, scope: Scope) -> Table:
    return make_table([evaluate(column, scope) for column in expr.columns], expr.span)


def row(table: Table, index: int) -> tuple:
    return tuple(element(column, index) for column in table.columns)


def record(table: Table, index: int) -> dict:
    """A table row as a record whose fields are read with ``.column``."""
    return {column.name: element(column, index) for column in table.columns}


# ---------------------------------------------------------------------------
# arrays

_DTYPES = {
    "int": "int64",
    "float": "float64",
    "complex": "complex128",
    "bool": "bool",
    "str": "str",
}


@rule(ir.ArrayLit)
def _array(expr: ir.ArrayLit, scope: Scope) -> Any:
    # lazily for start-up: NumPy, pandas only when a value needs them
    import numpy  # noqa: PLC0415

    try:
        array = numpy.array(_lists(expr.data), dtype=_DTYPES[expr.kind])
    except ValueError as exc:
        raise TextsError("Unknown error: ValueError", str(exc)) from None
    if expr.kind in ("bool", "str"):
        return array
    return quantity(array, parse_units(expr.units) if expr.units else None)


def _lists(data: Any) -> Any:
    return [_lists(item) for item in data] if isinstance(data, tuple) else data


# ---------------------------------------------------------------------------
# accessors


def access(value: Any, accessor: Any, ref: ir.Ref) -> Any:
    """Apply one accessor (``[i]``, ``[a:b:c]`` or ``.name``) to a value."""
    if hasattr(value, "printed_parts"):  # the extension's values answer their accessors
        # kept local as the evaluation core has it (listed in the note for its rewrite)
        from texts.interpreter.amml.evaluate import access as domain_access  # noqa: PLC0415

        return domain_access(value, accessor)
    if isinstance(accessor, ir.Member):
        return _member(value, accessor.key, ref)
    if isinstance(accessor, ir.Slice):
        return _slice(value, slice(accessor.start, accessor.stop, accessor.step))
    return _index(value, accessor.index)


def _member(value: Any, key: str, ref: ir.Ref) -> Any:
    if isinstance(value, Table):
        for column in value.columns:
            if column.name == key:
                return column
        raise TextsError("Invalid key", f"column {key} not found in Table {ref.name}")
    if isinstance(value, dict):
        if key not in value:
            raise TextsError("Invalid key", f"value not found for key {key} in Dict {ref.name}")
        return value[key]
    raise TextsError("Invalid key", f"no member {key} in {ref.name}")


def _slice(value: Any, bounds: slice) -> Any:
    if isinstance(value, tuple):
        return value[bounds]
    if isinstance(value, Series):
        return value.taken(bounds)
    if isinstance(value, Table):
        return Table([column.taken(bounds) for column in value.columns])
    return value[bounds]


def _index(value: Any, index: int) -> Any:
    if isinstance(value, tuple):
        if not -len(value) <= index < len(value):
            raise TextsError("Unknown error: IndexError", "tuple index out of range")
        return value[index]
    if isinstance(value, Series | Table):
        if not -len(value) <= index < len(value):
            size = len(value)
            raise TextsError(
                "Invalid index",
                f"index {index} is out of bounds for axis 0 with size {size}: "
                f"index {index}, length {size}",
            )
        return element(value, index) if isinstance(value, Series) else row(value, index)
    length = len(value.magnitude if is_quantity(value) else value)
    if not -length <= index < length:
        raise TextsError(
            "Invalid index", f"Index out of range, index: {index}, data length: {length}"
        )
    result = value[index]
    if is_quantity(result) and getattr(result.magnitude, "ndim", 1) == 0:
        return quantity(plain(result.magnitude), result.units)
    return plain(result) if not isinstance(result, str) else result


# ---------------------------------------------------------------------------
# unit conversion of printed values


def convert_value(value: Any, target: str) -> Any:
    """Convert a quantity, a numeric series or a numeric array for printing."""
    if isinstance(value, Series) and value.numeric:
        if not len(value):
            return Series(value.name, [], convert(quantity(1.0, value.units), target).units, True)
        if value.is_array:
            return _convert_array_series(value, target)
        return _convert_listed_series(value, target)
    if is_quantity(value):
        if is_array(value):
            return _convert_array(value.magnitude, value.units, target)
        return convert(value, target)
    if value is None:
        return None
    raise TextsError("Type error", "Print parameter is non-numeric type")


def _convert_array(magnitude: Any, units: Any, target: str) -> Any:
    """An array converted as pint converts it: integers stay integers where the factor is
    whole (bytes to bits), unless a converted value would not fit 64 bits (then floats,
    where the reference's integers would wrap round)."""
    # lazily for start-up: NumPy, pandas only when a value needs them
    import numpy  # noqa: PLC0415

    as_floats = convert(quantity(magnitude.astype(float), units), target)
    if magnitude.dtype.kind in "iu":
        native = convert(quantity(magnitude, units), target)
        fits = numpy.all(numpy.abs(as_floats.magnitude) < float(2**63))
        if numpy.asarray(native.magnitude).dtype.kind in "iu" and fits:
            return native
    return as_floats


def _convert_array_elements(value: Series, target: str) -> Series:
    """A series of arrays, converted in one NumPy call over all their numbers (arrays of
    any shapes; a null stays null)."""
    # lazily for start-up: NumPy, pandas only when a value needs them
    import numpy  # noqa: PLC0415

    present = [m for m in value.elements if m is not None]
    sizes = numpy.cumsum([m.size for m in present])[:-1]
    flat = numpy.concatenate([m.ravel() for m in present]) if present else numpy.zeros(0)
    converted = _convert_array(flat, value.units, target)
    parts = iter(numpy.split(numpy.asarray(converted.magnitude), sizes))
    new = [None if m is None else next(parts).reshape(m.shape) for m in value.elements]
    return Series(value.name, new, converted.units, True)


def _convert_array_series(series: Series, target: str) -> Series:
    """Converted as floats (or complex numbers); an integer series whose converted values
    are all whole stays an integer series."""
    # lazily for start-up: NumPy, pandas only when a value needs them
    import numpy  # noqa: PLC0415

    data = series.data
    integer = data.dtype.kind == "i"
    converted = convert(quantity(data.astype(float) if integer else data, series.units), target)
    new = numpy.asarray(converted.magnitude)
    if integer:
        present = new if series.mask is None else new[~series.mask]
        if numpy.all(numpy.isfinite(present)) and numpy.all(present == numpy.floor(present)):
            limit = float(2**63)
            if present.size == 0 or numpy.abs(present).max() < limit:
                new = new.astype(numpy.int64)
            else:  # whole numbers past 64 bits: Python integers
                values = _with_mask(list(map(int, new.tolist())), series.mask)
                return Series(series.name, values, converted.units, True)
    return Series(series.name, new, converted.units, True, series.mask)


def _with_mask(values: list, mask: Any) -> list:
    if mask is not None:
        for index in mask.nonzero()[0].tolist():
            values[index] = None
    return values


def _convert_listed_series(value: Series, target: str) -> Series:
    # lazily for start-up: NumPy, pandas only when a value needs them
    import numpy  # noqa: PLC0415

    present = [m for m in value.elements if m is not None]
    if present and all(is_array(m) for m in present):
        return _convert_array_elements(value, target)
    magnitudes = numpy.array(
        [numpy.nan if m is None else m for m in value.elements],
        dtype=complex if any(isinstance(m, complex) for m in value.elements) else float,
    )
    converted = convert(quantity(magnitudes, value.units), target)
    new = [None if m is None else c for m, c in zip(value.elements, converted.magnitude.tolist())]
    if all(isinstance(m, int) for m in value.elements if m is not None) and all(
        isinstance(c, float) and c.is_integer() for c in new if c is not None
    ):
        new = [None if c is None else int(c) for c in new]
    return Series(value.name, new, converted.units, True)


def array_of(series: Series) -> Any:
    """``s:array``: the elements of a series as one array (with one more axis for arrays)."""
    # lazily for start-up: NumPy, pandas only when a value needs them
    import numpy  # noqa: PLC0415

    if series.numeric and series.is_array:
        data = series.data
        if series.mask is not None:
            data = data.astype(float)
            data[series.mask] = numpy.nan
        return quantity(data, series.units)
    if series.numeric:
        shapes = {numpy.shape(m) for m in series.elements if m is not None}
        if len(shapes) > 1:
            found = tuple(sorted(shapes))
            raise TextsError(
                "Value error",
                f"Arrays of one shape expected in series but {len(found)} shapes "
                f"have been found: {found}.",
            )
        data = numpy.array([numpy.nan if m is None else m for m in series.elements])
        return quantity(data, series.units)
    return numpy.array(series.elements)


@rule(ir.Property)
def _property(expr: ir.Property, scope: Scope) -> Any:
    subject = evaluate(expr.subject, scope)
    if expr.name == "name":
        return subject.name
    if expr.name == "columns":
        return Series("columns", list(subject.names))
    return array_of(subject)
