"""How a series holds its elements: one NumPy array where it can, a list otherwise.

Numbers (integers within 64 bits, floats, complex numbers) and booleans are kept in a
one-dimensional NumPy array, so that element-wise work runs in NumPy. Nulls of a float
array are NaN (a null and NaN mean the same in the language); nulls of an integer,
complex or boolean array are marked by a boolean ``mask``, which exists only where a
null does. Everything else (strings, tuples, dicts, nested series and tables, arrays as
elements, numbers with uncertainties, integers past 64 bits) stays a list of values
with ``None`` for null: the object representation.
"""

from __future__ import annotations

from typing import Any

import numpy

ArrayData = numpy.ndarray
_NUMBER_KINDS = "ifc"
_NATIVE = {"i": numpy.int64, "f": numpy.float64, "c": numpy.complex128}


def store(elements: Any, numeric: bool, mask: Any = None) -> tuple[Any, Any]:
    """The ``(data, mask)`` a series keeps for ``elements`` (a sequence, or an array with
    an optional null mask)."""
    if isinstance(elements, numpy.ndarray):
        stored = _from_array(elements, numeric, mask)
        if stored is not None:
            return stored
        elements = _with_nulls(elements.tolist(), mask)
    elements = list(elements)
    found = _numbers(elements) if numeric else _booleans(elements)
    return found if found is not None else (elements, None)


def _from_array(array: ArrayData, numeric: bool, mask: Any) -> tuple[Any, Any] | None:
    if array.ndim != 1:
        return None
    kind = array.dtype.kind
    if numeric and kind == "u":
        if array.size and array.max() >= 2**63:
            return None
        kind = "i"
    if numeric and kind in _NUMBER_KINDS:
        return _normalised(array.astype(_NATIVE[kind], copy=False), mask)
    if not numeric and kind == "b":
        return _normalised(array, mask)
    return None


def _normalised(data: ArrayData, mask: Any) -> tuple[ArrayData, Any]:
    """Float nulls become NaN; a mask without a null is dropped."""
    if mask is None or not mask.any():
        return data, None
    if data.dtype.kind == "f":
        data = data.copy()
        data[mask] = numpy.nan
        return data, None
    return data, numpy.asarray(mask, dtype=bool)


def _with_nulls(values: list, mask: Any) -> list:
    if mask is not None:
        for index in numpy.flatnonzero(mask):
            values[index] = None
    return values


def _numbers(elements: list) -> tuple[ArrayData, Any] | None:
    """Magnitudes as one native array, or None when they need the object representation."""
    if not elements:
        return numpy.empty(0, dtype=numpy.float64), None
    nulls = None
    present = elements
    if any(element is None for element in elements):
        nulls = numpy.fromiter((e is None for e in elements), dtype=bool, count=len(elements))
        present = [element for element in elements if element is not None]
        if not present:
            return numpy.full(len(elements), numpy.nan), None
    array = _native(present)
    if array is None:
        return None
    if nulls is None:
        return array, None
    data = numpy.zeros(len(elements), dtype=array.dtype)
    data[~nulls] = array
    return _normalised(data, nulls)


def _native(values: list) -> ArrayData | None:
    """``values`` (plain numbers) as an int64, float64 or complex128 array: integers only
    if they all fit in 64 bits, floats if any is a float, complex numbers if any is one."""
    kinds = {_KIND_OF.get(kind) or number_kind(kind) for kind in set(map(type, values))}
    if None in kinds:
        return None
    kind = "c" if "c" in kinds else "f" if "f" in kinds else "i"
    try:
        return numpy.asarray(values, dtype=_NATIVE[kind])
    except (ValueError, TypeError, OverflowError):  # past 64 bits, or past the float range
        return None


_KIND_OF: dict[type, str] = {int: "i", float: "f", complex: "c"}


def number_kind(kind: type) -> str | None:
    """The number kind (``i``, ``f``, ``c``) of a Python or NumPy scalar type (None for
    anything else, booleans too): the one test of what a number is, for arrays and for the
    datatype of single values."""
    if issubclass(kind, bool | numpy.bool_):
        return None
    if issubclass(kind, int | numpy.integer):
        return "i"
    if issubclass(kind, float | numpy.floating):
        return "f"
    if issubclass(kind, complex | numpy.complexfloating):
        return "c"
    return None


def _booleans(elements: list) -> tuple[ArrayData, Any] | None:
    """Booleans (and nulls) as a boolean array with a mask, or None for other values."""
    if not elements or not all(type(e) is bool or e is None for e in elements):
        return None
    if all(element is None for element in elements):
        return None
    nulls = numpy.fromiter((e is None for e in elements), dtype=bool, count=len(elements))
    data = numpy.fromiter((e is True for e in elements), dtype=bool, count=len(elements))
    return _normalised(data, nulls)


def as_list(data: Any, mask: Any) -> list:
    """The elements as Python values with ``None`` for null."""
    if not isinstance(data, numpy.ndarray):
        return data
    values = data.tolist()
    nulls = null_mask(data, mask)
    return values if nulls is None else _with_nulls(values, nulls)


def null_mask(data: Any, mask: Any) -> ArrayData | None:
    """Where an array's nulls are (None: nowhere)."""
    if mask is not None:
        return mask
    if data.dtype.kind == "f":
        nans = numpy.isnan(data)
        return nans if nans.any() else None
    return None


def take(data: Any, mask: Any, rows: Any) -> tuple[Any, Any]:
    """The elements at ``rows`` (a slice, or an array of positions or flags)."""
    if isinstance(data, numpy.ndarray):
        return data[rows], None if mask is None else mask[rows]
    if isinstance(rows, slice):
        return data[rows], None
    positions = numpy.flatnonzero(rows) if rows.dtype == bool else rows
    return [data[index] for index in positions.tolist()], None
