"""The printed form of every value: compatibility with the reference lives here.

Formatting walks nested values with an explicit stack, so a deeply nested value cannot
exhaust the Python stack.
"""

from __future__ import annotations

import math
import re
from typing import Any

from texts.interpreter.units import format_units, is_quantity
from texts.interpreter.values import NotComputed, Series, Table

_IDENTIFIER = re.compile(r"[^\W\d]\w*\Z")
_CHUNK_DIGITS = 4000  # below Python's limit on str() of an integer (4300 digits)
_CHUNK = 10**_CHUNK_DIGITS


def _integer_text(number: int) -> str:
    """All digits of an integer. ``str`` refuses integers over 4300 digits (a guard
    against slow conversions); results are bounded by the evaluation, so converting
    them a chunk of digits at a time stays fast."""
    if -_CHUNK < number < _CHUNK:
        return str(number)
    sign, number = ("-", -number) if number < 0 else ("", number)
    chunks = []
    while number >= _CHUNK:
        number, rest = divmod(number, _CHUNK)
        chunks.append(f"{rest:0{_CHUNK_DIGITS}d}")
    chunks.append(str(number))
    return sign + "".join(reversed(chunks))


def format_number(number: Any) -> str:
    """A magnitude: integers as digits, floats as Python's shortest repr, NaN as null."""
    if number is None:
        return "null"
    if isinstance(number, bool):
        return "true" if number else "false"
    if isinstance(number, int):
        return _integer_text(number)
    if isinstance(number, float):
        return "null" if math.isnan(number) else repr(float(number))
    if isinstance(number, complex):
        real, imag = number.real, number.imag
        sign = "+" if imag >= 0 or math.isnan(imag) else ""
        return f"{format_number(real)}{sign}{format_number(imag)} j"
    if hasattr(number, "nominal_value"):  # uncertainties' UFloat
        return f"{format_number(number.nominal_value)} ± {format_number(number.std_dev)}"
    item = getattr(number, "item", None)  # NumPy scalar
    if item is not None:
        plain = item()
        # a quantity's item is a quantity again: shown as pint shows it, not unwrapped forever
        return str(number) if type(plain) is type(number) else format_number(plain)
    return str(number)


def _units_suffix(units: Any) -> str:
    if units is None:
        return ""
    text = format_units(units)
    return "" if text == "dimensionless" else f" [{text}]"


def _series_name(name: str) -> str:
    return name if _IDENTIFIER.match(name) else f"'{name}'"


def format_value(value: Any) -> str:
    """The text of one value exactly as the reference prints it."""
    out: list[str] = []
    stack: list[tuple[bool, Any]] = [(False, value)]
    while stack:
        is_text, item = stack.pop()
        if is_text:
            out.append(item)
            continue
        _expand(item, stack, out)
    return "".join(out)


def _push_sequence(stack: list, items: list, open_: str, close: str, sep: str = ", ") -> None:
    """Push ``open_ item sep item ... close`` so that the items are formatted in order."""
    stack.append((True, close))
    for index in range(len(items) - 1, -1, -1):
        stack.append((False, items[index]))
        if index:
            stack.append((True, sep))
    stack.append((True, open_))


class _Raw:
    """A magnitude inside a series or array: printed as a number, never with units."""

    __slots__ = ("number",)

    def __init__(self, number: Any) -> None:
        self.number = number


def _expand(value: Any, stack: list, out: list[str]) -> None:
    if isinstance(value, _NestedList):
        _expand_nested(value, stack)
    elif isinstance(value, _Raw):
        out.append(format_number(value.number))
    elif value is None:
        out.append("null")
    elif isinstance(value, bool):
        out.append("true" if value else "false")
    elif isinstance(value, str):
        out.append(f"'{value}'")
    elif isinstance(value, NotComputed):
        out.append("n.c.")
    elif is_quantity(value):
        _expand_quantity(value, stack, out)
    elif isinstance(value, tuple):
        if len(value) == 1:
            _push_sequence(stack, list(value), "(", ",)")
        else:
            _push_sequence(stack, list(value), "(", ")")
    elif isinstance(value, dict):
        stack.append((True, "}"))
        items = list(value.items())
        for index in range(len(items) - 1, -1, -1):
            key, item = items[index]
            stack.append((False, item))
            stack.append((True, f"{key}: "))
            if index:
                stack.append((True, ", "))
        stack.append((True, "{"))
    elif isinstance(value, Series):
        _expand_series(value, stack)
    elif isinstance(value, Table):
        _push_sequence(stack, list(value.columns), "(", ")")
    elif hasattr(value, "printed_parts"):  # the extension's values: text and nested values
        stack.extend(reversed(value.printed_parts()))
    elif type(value).__name__ == "ndarray":
        _expand_array(value, None, stack)
    elif isinstance(value, int | float | complex):
        out.append(format_number(value))
    elif callable(value):
        module = getattr(value, "__module__", None) or type(value).__module__
        name = getattr(value, "__qualname__", None) or getattr(value, "__name__", repr(value))
        out.append(f"{module}.{name}")
    else:
        out.append(str(value))


def _expand_quantity(value: Any, stack: list, out: list[str]) -> None:
    magnitude = value.magnitude
    if type(magnitude).__name__ == "ndarray":
        _expand_array(magnitude, value.units, stack)
        return
    out.append(format_number(magnitude) + _units_suffix(value.units))


def _expand_series(series: Series, stack: list) -> None:
    suffix = _units_suffix(series.units) if series.numeric else ""
    head = f"({_series_name(series.name)}:"
    if not len(series):
        stack.append((True, head + ")" + suffix))
        return
    if series.is_array:  # numbers or booleans: no nesting to walk
        text = ", ".join(map(format_number, series.elements))
        stack.append((True, f"{head} {text}){suffix}"))
        return
    items = [
        _Raw(element) if series.numeric and not _is_array_like(element) else element
        for element in series.elements
    ]
    items = [_strip_units(item) if series.numeric else item for item in items]
    _push_sequence(stack, items, head + " ", ")" + suffix)


def _is_array_like(element: Any) -> bool:
    return type(element).__name__ == "ndarray" or (
        is_quantity(element) and type(element.magnitude).__name__ == "ndarray"
    )


def _strip_units(item: Any) -> Any:
    """Elements of numeric series are printed as magnitudes; units follow the series."""
    if is_quantity(item):
        return item.magnitude
    return item


def _expand_array(array: Any, units: Any, stack: list) -> None:
    stack.append((True, _units_suffix(units)))
    stack.append((False, _NestedList(array.tolist())))


class _NestedList:
    __slots__ = ("items",)

    def __init__(self, items: list) -> None:
        self.items = items


def _expand_nested(value: _NestedList, stack: list) -> None:
    items = [
        _NestedList(item) if isinstance(item, list) else _array_leaf(item) for item in value.items
    ]
    _push_sequence(stack, items, "[", "]")


def _array_leaf(item: Any) -> Any:
    if isinstance(item, bool | str):
        return item
    return _Raw(item)
