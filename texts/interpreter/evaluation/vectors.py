"""The language's element-wise operations on whole arrays.

A :class:`Vector` holds the values of one expression for many elements at once: numbers
under one pint unit, booleans or strings. Each operation here gives, element by element,
exactly what the scalar rule gives (``scalars.arithmetic``, ``scalars.compare``), with
Python's arithmetic where NumPy's could differ: integers that could leave 64 bits, powers
and complex products and quotients are computed on Python numbers held in an object array
(still no Python loop). Where the scalar rule would fail, or where an element could behave
differently from the others, the operation raises :class:`Unsupported` and the caller
falls back to applying the scalar rules element by element, which also raises the error
the user must see, at the element where it arises.

Nulls. An element of a numeric series that is null behaves as a NaN quantity (``nulls``;
for floats a NaN in the data is null too); a value that is no number at all (``None``, as
an ``if`` with a null condition gives) is marked by ``nones``. For booleans and strings a
null is ``None`` (``nulls``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy

from texts.interpreter.elements import null_mask
from texts.interpreter.evaluation.datatypes import array_datatype, holds, series_datatype
from texts.interpreter.evaluation.limits import check_integer
from texts.interpreter.operators import ARITHMETIC, COMPARISON
from texts.interpreter.units import is_quantity, quantity

NUMBER, BOOL, STR = "number", "bool", "str"
#: integers whose products and sums stay exact in int64 and float64 arithmetic
_INT64_SAFE = 2**62
_FLOAT_EXACT = 2**53


class Unsupported(Exception):
    """The operation is not the same on whole arrays: apply the scalar rules instead."""


class Vector:
    """The values of an expression for ``len(data)`` elements."""

    __slots__ = ("data", "kind", "nones", "nulls", "units")

    def __init__(
        self,
        kind: str,
        data: numpy.ndarray,
        units: Any = None,
        nulls: Any = None,
        nones: Any = None,
    ) -> None:
        self.kind = kind
        self.data = data
        self.units = units
        self.nulls = nulls if nulls is not None and nulls.any() else None
        self.nones = nones if nones is not None and nones.any() else None

    def __len__(self) -> int:
        return len(self.data)

    def taken(self, positions: numpy.ndarray) -> Vector:
        """The values of the elements at ``positions``."""
        return Vector(
            self.kind,
            self.data[positions],
            self.units,
            None if self.nulls is None else self.nulls[positions],
            None if self.nones is None else self.nones[positions],
        )

    def missing(self) -> numpy.ndarray | None:
        """Where the value is null or none (NaN floats included)."""
        found = _union(self.nulls, self.nones)
        if self.kind == NUMBER and self.data.dtype.kind == "f":
            found = _union(found, numpy.isnan(self.data))
        return found


def _union(*masks: Any) -> Any:
    """The union of null masks (None: no nulls)."""
    found = None
    for mask in masks:
        if mask is not None:
            found = mask if found is None else found | mask
    return found


def numbers(data: numpy.ndarray, units: Any, nulls: Any = None) -> Vector:
    return Vector(NUMBER, data, units, nulls)


# ---------------------------------------------------------------------------
# arithmetic


def _plain_numbers(value: Any) -> None:
    """Only numbers without ``None`` elements take part in arithmetic on arrays."""
    if isinstance(value, Vector):
        if value.kind != NUMBER or value.nones is not None:
            raise Unsupported
    elif not is_quantity(value):
        raise Unsupported


def _magnitude(value: Any) -> Any:
    return value.data if isinstance(value, Vector) else value.magnitude


def _largest(magnitude: Any) -> int:
    """The largest absolute value of an integer magnitude (array or scalar)."""
    if isinstance(magnitude, numpy.ndarray):
        if not magnitude.size:
            return 0
        return max(abs(int(magnitude.max())), abs(int(magnitude.min())))
    return abs(magnitude)


def _is_integer(magnitude: Any) -> bool:
    if isinstance(magnitude, numpy.ndarray):
        return magnitude.dtype.kind == "i"
    return isinstance(magnitude, int)


def _is_complex(magnitude: Any) -> bool:
    if isinstance(magnitude, numpy.ndarray):
        return magnitude.dtype.kind == "c"
    return isinstance(magnitude, complex)


def _python_numbers(op: str, left: Any, right: Any) -> bool:
    """Whether ``left op right`` must be computed on Python numbers to be exact."""
    if op == "**":
        return True
    if _is_complex(left) or _is_complex(right):
        return op in "*/"
    if _is_integer(left) and _is_integer(right):
        a, b = _largest(left), _largest(right)
        if op == "/":
            return max(a, b) > _FLOAT_EXACT
        return (a * b if op == "*" else a + b) >= _INT64_SAFE
    if _is_integer(left) or _is_integer(right):  # converted to float: exact below 2**53
        return max(_largest(m) for m in (left, right) if _is_integer(m)) > _FLOAT_EXACT
    return False


def _as_objects(magnitude: Any) -> Any:
    if isinstance(magnitude, numpy.ndarray):
        return magnitude.astype(object)
    return magnitude


def native(magnitude: numpy.ndarray) -> numpy.ndarray:
    """An object array of Python numbers as int64, float64 or complex128 where that loses
    nothing; integers past 64 bits stay Python integers (checked against the digit limit).
    """
    if magnitude.dtype != object:
        return magnitude
    kinds = set(map(type, magnitude))
    if kinds <= {int}:
        largest = _largest_object(magnitude)
        check_integer(largest)
        if largest < 2**63:
            return magnitude.astype(numpy.int64)
        return magnitude
    if kinds <= {float}:
        return magnitude.astype(numpy.float64)
    if kinds <= {complex}:
        return magnitude.astype(numpy.complex128)
    raise Unsupported  # mixed kinds: elements of different types, as Python gives them


def _largest_object(magnitude: numpy.ndarray) -> int:
    return max(abs(magnitude.max()), abs(magnitude.min())) if magnitude.size else 0


def arithmetic(op: str, left: Any, right: Any) -> Any:
    """``left op right`` element-wise (at least one operand a number vector)."""
    if left is None or right is None:
        if op in "+-":
            raise Unsupported  # the scalar rule's error, raised by the fallback
        return None
    _plain_numbers(left)
    _plain_numbers(right)
    lmag, rmag = _magnitude(left), _magnitude(right)
    if op == "/" and _has_zero(right):
        raise Unsupported  # division by zero: the fallback raises it at its element
    complex_operand = _is_complex(lmag) or _is_complex(rmag)
    if _python_numbers(op, lmag, rmag):
        lmag, rmag = _as_objects(lmag), _as_objects(rmag)
    with numpy.errstate(all="ignore"):  # values at null positions are not used
        result = ARITHMETIC[op](quantity(lmag, _units(left)), quantity(rmag, _units(right)))
    magnitude = native(numpy.asarray(result.magnitude))
    if magnitude.dtype.kind == "c" and not complex_operand:
        raise Unsupported  # a real power Python makes complex: the scalar rule refuses it
    nulls = _union(*(v.nulls for v in (left, right) if isinstance(v, Vector)))
    return numbers(magnitude, result.units, nulls)


def _units(value: Any) -> Any:
    return value.units


def _has_zero(value: Any) -> bool:
    if isinstance(value, Vector):
        zeros = value.data == 0
        if value.nulls is not None:
            zeros &= ~value.nulls
        return bool(zeros.any())
    return value.magnitude == 0


def negate(value: Vector) -> Vector:
    _plain_numbers(value)
    data = value.data
    if data.dtype.kind == "i" and _largest(data) >= 2**63 - 1:
        data = data.astype(object)
    return numbers(native(-data), value.units, value.nulls)


# ---------------------------------------------------------------------------
# comparisons


def compare(op: str, left: Any, right: Any) -> Any:
    """``left op right`` element-wise: a boolean vector (null where an operand is), or one
    value for all elements."""
    if left is None or right is None:
        return None
    kinds = {_kind(left), _kind(right)}
    if len(kinds) != 1 or any(isinstance(v, Vector) and v.nones is not None for v in (left, right)):
        raise Unsupported
    (kind,) = kinds
    if kind == NUMBER:
        return _compare_numbers(op, left, right)
    if op not in ("==", "!="):
        raise Unsupported
    result = COMPARISON[op](_magnitude_of(left), _magnitude_of(right))
    nulls = _union(*(v.nulls for v in (left, right) if isinstance(v, Vector)))
    return Vector(BOOL, numpy.asarray(result, dtype=bool), None, nulls)


def _kind(value: Any) -> str:
    if isinstance(value, Vector):
        return value.kind
    if is_quantity(value):
        return NUMBER
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, str):
        return STR
    raise Unsupported


def _magnitude_of(value: Any) -> Any:
    return value.data if isinstance(value, Vector) else value


def _compare_numbers(op: str, left: Any, right: Any) -> Any:
    if op in ("==", "!=") and _dimensionality(left) != _dimensionality(right):
        return op == "!="
    for value in (left, right):
        if not isinstance(value, Vector) and _is_nan(value.magnitude):
            return None
    if any(_is_complex(_magnitude(v)) for v in (left, right)) and op not in ("==", "!="):
        raise Unsupported  # complex numbers are not ordered: the scalar rule's error
    with numpy.errstate(all="ignore"):
        result = COMPARISON[op](
            quantity(_magnitude(left), left.units), quantity(_magnitude(right), right.units)
        )
    vectors = [v for v in (left, right) if isinstance(v, Vector)]
    # pint answers one boolean when both sides are all zeros (then equal): for each element
    flags = numpy.broadcast_to(numpy.asarray(result, dtype=bool), (len(vectors[0]),))
    return Vector(BOOL, flags, None, _union(*(v.missing() for v in vectors)))


def _dimensionality(value: Any) -> Any:
    return quantity(1, value.units).dimensionality


def _is_nan(magnitude: Any) -> bool:
    return isinstance(magnitude, float) and math.isnan(magnitude)


# ---------------------------------------------------------------------------
# membership


def contains(element: Vector, items: list[Any]) -> Vector:
    """``element in (items...)`` for each element, with the null rules of ``in``."""
    item_nulls = [item is None or (is_quantity(item) and _is_nan(item.magnitude)) for item in items]
    present = [item for item, null in zip(items, item_nulls) if not null]
    found = numpy.zeros(len(element), dtype=bool)
    for item in present:
        equal = compare("==", element, item)
        if isinstance(equal, Vector):
            found |= equal.data & ~_flags(equal.nulls, len(element))
        elif equal:
            found[:] = True
    missing = element.missing()
    result = found.astype(object)
    if any(item_nulls):
        result[~found] = None
    if missing is not None:
        result[missing] = any(item_nulls)
    return _booleans(result)


def _flags(mask: Any, size: int) -> numpy.ndarray:
    return numpy.zeros(size, dtype=bool) if mask is None else mask


def _booleans(values: numpy.ndarray) -> Vector:
    """An object array of True/False/None as a boolean vector."""
    nulls = numpy.equal(values, None)
    data = numpy.zeros(len(values), dtype=bool)
    data[~nulls] = values[~nulls].astype(bool)
    return Vector(BOOL, data, None, nulls)


# ---------------------------------------------------------------------------
# folds

#: elements added at once by :func:`fold`: a bounded temporary, not a copy of the series
FOLD_BLOCK = 1 << 16


def fold(op: str, data: numpy.ndarray) -> Any:
    """``((data[0] op data[1]) op data[2]) ...``, element by element in this order (as the
    scalar rules add), for ``+`` and ``*`` of a non-empty array; a Python number."""
    ufunc = numpy.add if op == "+" else numpy.multiply
    if data.dtype.kind == "i":
        if _int64_fold_is_safe(op, data):  # exact integers: any order gives the same
            return int(ufunc.reduce(data))
        if op == "*":
            raise Unsupported  # a product that may pass the digit limit: checked step by step
        data = data.astype(object)
    if data.dtype.kind == "c" and op == "*":
        data = data.astype(object)
    carried = data[:1]
    with numpy.errstate(all="ignore"):
        for start in range(1, len(data), FOLD_BLOCK):
            block = numpy.concatenate((carried, data[start : start + FOLD_BLOCK]))
            carried = ufunc.accumulate(block)[-1:]
    result = carried[0]
    return result.item() if hasattr(result, "item") else result


def _int64_fold_is_safe(op: str, data: numpy.ndarray) -> bool:
    largest = _largest(data)
    if op == "+":
        return largest * len(data) < _INT64_SAFE
    magnitudes = numpy.abs(data[data != 0]).astype(numpy.float64)
    return bool(numpy.log2(numpy.maximum(magnitudes, 1)).sum() < 62)


# ---------------------------------------------------------------------------
# logic


def truth(value: Any, size: int) -> tuple[numpy.ndarray, numpy.ndarray]:
    """A boolean operand as ``(flags, nulls)`` for ``size`` elements."""
    if value is None:
        return numpy.zeros(size, dtype=bool), numpy.ones(size, dtype=bool)
    if isinstance(value, bool):
        return numpy.full(size, value), numpy.zeros(size, dtype=bool)
    if isinstance(value, Vector) and value.kind == BOOL:
        return value.data, _flags(value.nulls, size)
    raise Unsupported


def logical(op: str, operands: Any, size: int, value_of: Any) -> Vector:
    """``and``/``or`` with null as unknown for ``size`` elements, each operand evaluated
    (``value_of(operand, positions)``) only for the elements it has not decided yet, as
    ``scalars.three_valued`` does element by element."""
    decisive = op == "or"
    result = numpy.full(size, not decisive)
    decided = numpy.zeros(size, dtype=bool)
    unknown = numpy.zeros(size, dtype=bool)
    active = numpy.arange(size)
    for operand in operands:
        if not len(active):
            break
        flags, nulls = truth(value_of(operand, active), len(active))
        decides = ~nulls & (flags == decisive)
        result[active[decides]] = decisive
        decided[active[decides]] = True
        unknown[active[nulls]] = True
        active = active[~decides]
    return Vector(BOOL, result, None, unknown & ~decided)


def negation(value: Any) -> Any:
    """``not`` element-wise (null stays null)."""
    if value is None or isinstance(value, bool):
        return None if value is None else not value
    if not isinstance(value, Vector) or value.kind != BOOL:
        raise Unsupported
    return Vector(BOOL, ~value.data, None, value.nulls)


def contains_series(element: Any, collection: Any) -> Any:
    """``element in collection`` (a series held in one array) for a vector or one value,
    with the null rules of ``in``: membership by equality after unit conversion."""
    values = element if isinstance(element, Vector) else _single(element)
    if _foreign(values, collection):  # not held by a series with a null: false
        result = numpy.zeros(len(values), dtype=object)
        missing = values.missing()
        if missing is not None:
            result[missing] = True
        vector = _booleans(result)
        return vector if isinstance(element, Vector) else _scalar_truth(vector)
    data, nulls = _collection(collection)
    present = data if nulls is None else data[~nulls]
    has_null = nulls is not None and bool(nulls.any())
    found = _members(values, present, collection)
    result = found.astype(object)
    if has_null:
        result[~found] = None
    missing = values.missing()
    if missing is not None:
        result[missing] = has_null
    vector = _booleans(result)
    return vector if isinstance(element, Vector) else _scalar_truth(vector)


def _foreign(values: Vector, series: Any) -> bool:
    """Whether the series has a null and its datatype cannot hold the values' datatype."""
    if series.is_array:
        if null_mask(series.data, series.mask) is None:
            return False
    elif not any(value is None for value in series.data):
        return False
    kinds = {BOOL: "Boolean", STR: "String"}
    element_type = kinds.get(values.kind) or array_datatype(values.data)
    return not holds(series_datatype(series), element_type)


def _collection(series: Any) -> tuple[numpy.ndarray, Any]:
    """A series' elements as one array and where its nulls are."""
    if series.is_array:
        if series.data.dtype.kind == "f":
            return series.data, numpy.isnan(series.data)
        return series.data, series.mask
    if not all(type(value) is str or value is None for value in series.data):
        raise Unsupported
    data = numpy.array(series.data, dtype=object)
    return data, numpy.equal(data, None)


def _single(value: Any) -> Vector:
    if value is None:
        return Vector(NUMBER, numpy.zeros(1), None, None, numpy.ones(1, dtype=bool))
    kind = _kind(value)
    if kind == NUMBER:
        if not isinstance(value.magnitude, int | float | complex):
            raise Unsupported
        return Vector(NUMBER, numpy.asarray([value.magnitude]), value.units)
    return Vector(kind, numpy.asarray([value], dtype=object if kind == STR else bool))


def _scalar_truth(vector: Vector) -> bool | None:
    if vector.nulls is not None:
        return None
    return bool(vector.data[0])


def _members(values: Vector, present: numpy.ndarray, collection: Any) -> numpy.ndarray:
    """Which values equal one of ``present`` (the collection's non-null elements)."""
    kind = NUMBER if collection.numeric else (BOOL if present.dtype == bool else STR)
    if values.kind != kind:
        raise Unsupported
    data = values.data
    if kind == NUMBER and collection.units != values.units:
        if _dimensionality(values) != _dimensionality(collection):
            return numpy.zeros(len(values), dtype=bool)
        with numpy.errstate(all="ignore"):  # as pint compares: converted to their units
            data = quantity(data, values.units).to(collection.units).magnitude
    found = numpy.isin(data, present)
    return found & ~_flags(values.missing(), len(values))
