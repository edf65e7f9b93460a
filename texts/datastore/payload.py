"""A value on its way to the datastore, and the JSON text of values, fast for arrays.

Deciding whether a value is offloaded needs its serialised size, and the JSON format then
writes that same text: :class:`Payload` computes each serialised form at most once.

The JSON is the reference's (``texts.serialization``). A numeric array, the large value
that matters, skips the element-by-element Python conversion: orjson writes the NumPy
buffer directly (NaN as ``null``, as the reference does) and NumPy parses the list back.
Anything orjson would write differently from the standard ``json`` module (infinities,
integers past 64 bits, complex numbers) goes through the standard module instead.
"""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any

import numpy
import orjson

from texts.interpreter.units import is_quantity, quantity
from texts.interpreter.values import Series, Table
from texts.serialization import decode, encode

_FAST_DTYPES = ("float64", "float32", "int64", "int32")
_ARRAY_TAG = "FWNumArray}}"


def numeric_array(value: Any) -> bool:
    """A quantity whose magnitude is a NumPy array (the language's numeric array)."""
    return is_quantity(value) and isinstance(value.magnitude, numpy.ndarray)


def skeleton(value: Any) -> Any:
    """The serialised form of a numeric array with no elements: its dtype and units."""
    magnitude = value.magnitude
    return encode(quantity(magnitude.reshape(-1)[:0], value.units))


def least_size(value: Any) -> int:
    """A cheap lower bound of the JSON size: at least two characters per number."""
    if numeric_array(value):
        return 2 * value.magnitude.size
    if isinstance(value, Series):
        return 2 * len(value)
    if isinstance(value, Table):
        return sum(2 * len(column) for column in value.columns)
    return 0


class Payload:
    """A value and its serialised forms, each computed when first needed."""

    def __init__(self, value: Any) -> None:
        self.value = value

    @cached_property
    def data(self) -> Any:
        """The reference's JSON-compatible form."""
        return encode(self.value)

    @cached_property
    def json(self) -> bytes:
        """The JSON text (UTF-8)."""
        value = self.value
        if numeric_array(value) and str(value.magnitude.dtype) in _FAST_DTYPES:
            magnitude = numpy.ascontiguousarray(value.magnitude)
            if magnitude.dtype.kind != "f" or not numpy.isinf(magnitude).any():
                data = skeleton(value)
                data["data"][0] = magnitude
                return orjson.dumps(data, option=orjson.OPT_SERIALIZE_NUMPY)
        return json.dumps(self.data).encode()


def value_from_json(text: bytes) -> Any:
    """The value of a JSON text written by :class:`Payload` (or the reference)."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:  # Infinity and NaN are not JSON, but json writes them
        data = json.loads(text)
    return value_from_data(data)


def value_from_data(data: Any) -> Any:
    """Decode, building a numeric array's elements with NumPy rather than in Python."""
    if (
        isinstance(data, dict)
        and str(data.get("_fw_name", "")).endswith(_ARRAY_TAG)
        and data.get("dtype") in _FAST_DTYPES
    ):
        elements, units = data["data"]
        try:
            array = numpy.array(elements, dtype=data["dtype"])
        except (TypeError, ValueError):  # nulls in integers, ragged lists: the slow path
            return decode(data)
        empty = decode({**data, "data": [[], units]})
        return quantity(array, empty.units)
    return decode(data)
