"""The boundary to imported Python code: what a function receives and what comes back.

Imported Python functions receive numeric series as pandas Series of pint-pandas'
``pint[units]`` dtype (the magnitudes stay one array), other series as object Series,
tables as DataFrames of such columns. What they return comes back the same way: a
pint-pandas or plain numeric column as one array, anything else element by element (each
element as any other value a function returns). pandas and pint-pandas are imported only
when a value crosses the boundary.
"""

from __future__ import annotations

from typing import Any

import numpy

from texts.interpreter.evaluation.construction import make_series
from texts.interpreter.units import is_quantity, quantity, registry
from texts.interpreter.values import Series, Table


def wrap_python(value: Any) -> Any:
    """A value returned by Python code, as a language value (numbers become quantities)."""
    if value is None or isinstance(value, bool | str):
        return value
    if is_quantity(value):
        magnitude = value.magnitude
        if hasattr(magnitude, "item") and getattr(magnitude, "ndim", 1) == 0:
            return quantity(magnitude.item(), value.units)
        return value
    if isinstance(value, int | float | complex):
        return quantity(value)
    if isinstance(value, tuple | list):  # a list too: the reference's tuples cross as lists
        return tuple(wrap_python(item) for item in value)
    kind = type(value).__name__
    if kind == "ndarray":
        if value.dtype.kind in "iufc":
            return quantity(value)
        return _array_of_quantities(value) if value.dtype.kind == "O" else value
    if type(value).__module__ == "numpy":  # a NumPy scalar such as numpy.float64
        return wrap_python(value.item())
    return from_pandas(value)


def _array_of_quantities(value: Any) -> Any:
    """An object array of quantities of one unit (what NumPy functions such as ``cumsum``
    give for a pint-pandas series) as one numeric array in that unit; any other object
    array as it is."""
    items = value.ravel().tolist()
    if not items or not all(is_quantity(item) for item in items):
        return value
    units = items[0].units
    if any(item.units != units for item in items):
        return value
    # lazily for start-up: NumPy only when a value needs it
    import numpy  # noqa: PLC0415

    magnitudes = numpy.array([item.magnitude for item in items]).reshape(value.shape)
    return quantity(magnitudes, units)


def unwrap_for_python(value: Any) -> Any:
    """A language value as an imported function receives it."""
    if isinstance(value, tuple):
        return tuple(unwrap_for_python(item) for item in value)
    return to_pandas(value)


def argument_for_python(value: Any) -> Any:
    """A language value as an imported function receives it as an argument: a tuple as a
    list, as the reference passes it."""
    if isinstance(value, tuple):
        return [argument_for_python(item) for item in value]
    return unwrap_for_python(value)


def _pint_pandas() -> Any:
    # lazily for start-up: NumPy, pandas only when a value needs them
    import pint_pandas  # noqa: PLC0415

    pint_pandas.PintType.ureg = registry()  # quantities of the one registry of the process
    return pint_pandas


def to_pandas(value: Any) -> Any:
    """Series and tables as pandas objects (numeric series of the pint-pandas dtype)."""
    if isinstance(value, Series):
        # lazily for start-up: NumPy, pandas only when a value needs them
        import pandas  # noqa: PLC0415

        if value.numeric and value.is_array:
            data = value.data
            if value.mask is not None:  # integer or complex nulls are NaN there
                data = data.astype(complex if data.dtype.kind == "c" else float)
                data[value.mask] = numpy.nan
            array = _pint_pandas().PintArray(data, dtype=value.units)
            return pandas.Series(array, name=value.name)
        if value.numeric:  # numbers with uncertainties, arrays, integers past 64 bits
            data = numpy.array([numpy.nan if m is None else m for m in value.elements])
            return pandas.Series(list(quantity(data, value.units)), name=value.name, dtype=object)
        return pandas.Series(value.elements, name=value.name, dtype=object)
    if isinstance(value, Table):
        # lazily for start-up: NumPy, pandas only when a value needs them
        import pandas  # noqa: PLC0415

        return pandas.concat([to_pandas(column) for column in value.columns], axis=1)
    return value


def from_pandas(value: Any) -> Any:
    """pandas objects returned by Python code, as series and tables; others unchanged."""
    kind = type(value).__name__
    if kind == "Series" and hasattr(value, "to_list"):
        name = str(value.name) if value.name is not None else "series"
        return _series_of_array(value, name) or _series_of_elements(value, name)
    if kind == "DataFrame":
        return Table([from_pandas(value[column]) for column in value.columns])
    return value


def _series_of_array(value: Any, name: str) -> Series | None:
    """A pint-pandas or plain numeric (or boolean) pandas Series as one array."""
    dtype = value.dtype
    if type(dtype).__name__ == "PintType":
        array = value.array
        magnitudes = array.data
        nulls = numpy.asarray(array.isna(), dtype=bool)
        numpy_type = magnitudes.dtype.numpy_dtype
        fill = numpy.nan if numpy_type.kind in "fc" else 0
        data = magnitudes.to_numpy(dtype=numpy_type, na_value=fill)
        return Series(name, data, quantity(1, array.units).units, True, nulls)
    if not len(value) or not isinstance(dtype, numpy.dtype):
        return None
    if dtype.kind in "iufc":
        return Series(name, value.to_numpy(), quantity(1).units, True)
    if dtype.kind == "b":
        return Series(name, value.to_numpy(), None, False)
    return None


def _series_of_elements(value: Any, name: str) -> Series:
    return make_series(name, [wrap_python(v) for v in value.to_list()], convert_units=True)
