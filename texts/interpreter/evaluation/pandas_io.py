"""Conversion between the language's series and tables and pandas objects.

Imported Python functions receive numeric series as pandas Series of pint-pandas'
``pint[units]`` dtype (the magnitudes stay one array), other series as object Series,
tables as DataFrames of such columns. What they return comes back the same way: a
pint-pandas or plain numeric column as one array, anything else element by element.
pandas and pint-pandas are imported only here, when a value crosses the boundary.
"""

from __future__ import annotations

from typing import Any

import numpy

from texts.interpreter.units import quantity, registry
from texts.interpreter.values import Series, Table


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
    # an import circle of the evaluation core (boundary imports this module)
    from texts.interpreter.evaluation.boundary import wrap_python  # noqa: PLC0415
    from texts.interpreter.evaluation.structures import make_series  # noqa: PLC0415

    return make_series(name, [wrap_python(v) for v in value.to_list()], convert_units=True)
