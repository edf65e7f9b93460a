"""Conversion between the language's series and tables and pandas objects."""

from __future__ import annotations

from typing import Any

from texts.interpreter.units import quantity
from texts.interpreter.values import Series, Table


def to_pandas(value: Any) -> Any:
    """Series and tables as pandas objects (numeric series as quantities of arrays)."""
    if isinstance(value, Series):
        # lazily for start-up: it imports numpy, pandas
        import pandas  # noqa: PLC0415

        if value.numeric:
            # lazily for start-up: it imports numpy
            import numpy  # noqa: PLC0415

            data = numpy.array([numpy.nan if m is None else m for m in value.elements])
            return pandas.Series(list(quantity(data, value.units)), name=value.name, dtype=object)
        return pandas.Series(value.elements, name=value.name, dtype=object)
    if isinstance(value, Table):
        # lazily for start-up: it imports numpy, pandas
        import pandas  # noqa: PLC0415

        return pandas.concat([to_pandas(column) for column in value.columns], axis=1)
    return value


def from_pandas(value: Any) -> Any:
    """pandas objects returned by Python code, as series and tables; others unchanged."""
    kind = type(value).__name__
    if kind == "Series" and hasattr(value, "to_list"):
        # an import circle of the evaluation core (boundary imports this module)
        from texts.interpreter.evaluation.boundary import wrap_python  # noqa: PLC0415

        # an import circle of the evaluation core (boundary imports this module)
        from texts.interpreter.evaluation.structures import make_series  # noqa: PLC0415

        name = str(value.name) if value.name is not None else "series"
        return make_series(name, [wrap_python(v) for v in value.to_list()], convert_units=True)
    if kind == "DataFrame":
        return Table([from_pandas(value[column]) for column in value.columns])
    return value
