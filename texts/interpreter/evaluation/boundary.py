"""The boundary to imported Python code: what a function receives and what comes back."""

from __future__ import annotations

from typing import Any

from texts.interpreter.units import is_quantity, quantity


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
    # lazily for start-up: pandas_io imports NumPy
    from texts.interpreter.evaluation.pandas_io import from_pandas  # noqa: PLC0415

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
    # lazily for start-up: pandas_io imports NumPy
    from texts.interpreter.evaluation.pandas_io import to_pandas  # noqa: PLC0415

    if isinstance(value, tuple):
        return tuple(unwrap_for_python(item) for item in value)
    return to_pandas(value)


def argument_for_python(value: Any) -> Any:
    """A language value as an imported function receives it as an argument: a tuple as a
    list, as the reference passes it."""
    if isinstance(value, tuple):
        return [argument_for_python(item) for item in value]
    return unwrap_for_python(value)
