"""The datatype of a value and of a series' elements, as ``in`` needs it at run time.

``x in s`` over a series with a null answers ``false`` (not ``null``) for an element whose
datatype the series cannot hold: a null there could be no such element. Integers are
floats and floats are complex numbers; booleans and strings are only themselves.
"""

from __future__ import annotations

from typing import Any

import numpy

from texts.interpreter.elements import number_kind
from texts.interpreter.units import is_quantity
from texts.interpreter.values import Series

#: datatypes of numbers, each one also of the ones after it
_NUMBERS = ("Integer", "Float", "Complex")
_BY_KIND = {"b": "Boolean", "i": "Integer", "u": "Integer", "f": "Float", "c": "Complex"}


def value_datatype(value: Any) -> str | None:
    """``Boolean``, ``String``, ``Integer``, ``Float`` or ``Complex`` (None: none of them)."""
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, str):
        return "String"
    magnitude = value.magnitude if is_quantity(value) else value
    kind = number_kind(type(magnitude))
    return _BY_KIND[kind] if kind else None


def array_datatype(data: numpy.ndarray) -> str | None:
    """The datatype of the values in an array (an object array: of its first value)."""
    if data.dtype.kind == "O":
        return value_datatype(data[0]) if len(data) else None
    return _BY_KIND.get(data.dtype.kind)


def series_datatype(series: Series) -> str | None:
    """The datatype of a series' elements (None: unknown, such as all null)."""
    if series.is_array:
        return array_datatype(series.data)
    kinds = {value_datatype(e) for e in series.data if e is not None}
    if len(kinds) == 1:
        return kinds.pop()
    if kinds and kinds <= set(_NUMBERS):
        return max(kinds, key=_NUMBERS.index)
    return None


def holds(series_type: str | None, element_type: str | None) -> bool:
    """Whether a series of ``series_type`` can hold an element of ``element_type`` (unknown
    datatypes are not told apart)."""
    if series_type is None or element_type is None or series_type == element_type:
        return True
    if series_type in _NUMBERS and element_type in _NUMBERS:
        return _NUMBERS.index(element_type) <= _NUMBERS.index(series_type)
    return False
