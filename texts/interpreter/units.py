"""Physical units: the one pint registry of the process, unit text parsing and printing."""

from __future__ import annotations

import functools
import re
from typing import Any

from texts.interpreter.errors import TextsError
from texts.interpreter.source import Span

#: conversion targets that exist only in print and view arguments
SPECIAL_TARGETS = ("_base", "_root", "_reduced", "_compact")

_TOKEN = re.compile(r"\*\*\s*[+-]?\d+(?:\.\d+)?|[*/]|\w+")


@functools.cache
def registry() -> Any:
    """The unit registry, created on first use (pint is imported only when numbers are).

    Offset units (``degC``) take part in products as their base unit, as in the reference.
    The registry's parsed definitions are cached on disk by pint, which halves start-up.
    A conversion gives the same number whatever the process converted before
    (:mod:`texts.interpreter.pintcompat`).
    """
    # lazily for start-up: pint and uncertainties only when a quantity is made
    import pint  # noqa: PLC0415

    # lazily for start-up: pint and uncertainties only when a quantity is made
    from texts.interpreter.pintcompat import make_conversions_repeatable  # noqa: PLC0415

    try:
        ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True, cache_folder=":auto:")
    except OSError:  # no writable cache folder: build the registry from scratch
        ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    make_conversions_repeatable(ureg)
    pint.set_application_registry(ureg)
    return ureg


def quantity(magnitude: Any, units: Any = None) -> Any:
    """A pint quantity of the registry; dimensionless when ``units`` is None."""
    Q = registry().Quantity
    return Q(magnitude) if units is None else Q(magnitude, units)


def uncertain(value: float, std_dev: float) -> Any:
    """A number with a standard uncertainty; an exact one (``+/- 0``) is allowed quietly."""
    # lazily for start-up: pint and uncertainties only when a quantity is made
    import warnings  # noqa: PLC0415

    # lazily for start-up: pint and uncertainties only when a quantity is made
    from uncertainties import ufloat  # noqa: PLC0415

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "std_dev==0 may give unexpected results"
        return ufloat(value, std_dev)


def is_quantity(value: Any) -> bool:
    return type(value).__name__ == "Quantity" and hasattr(value, "magnitude")


@functools.cache
def parse_units(text: str) -> Any:
    """Parse unit text into a pint Unit; raises :class:`TextsError` without a span."""
    tokens = _TOKEN.findall(text)
    for index, token in enumerate(tokens):
        if token[0].isdigit() and not (index == 0 and token == "1"):
            raise TextsError("Invalid units error", "Unit expression cannot have a scaling factor.")
    # lazily for start-up: pint and uncertainties only when a quantity is made
    import pint  # noqa: PLC0415

    try:
        return registry().parse_units(text)
    except pint.UndefinedUnitError as exc:
        name = exc.unit_names[0] if isinstance(exc.unit_names, tuple) else exc.unit_names
        raise TextsError(
            "Undefined unit", f"'{name}' is not defined in the unit registry"
        ) from None
    except Exception as exc:  # pint's parser rejects the text
        raise TextsError("Units error", str(exc) or f"invalid unit expression: {text!r}") from None


def units_at(text: str, span: Span | None) -> Any:
    """Parse unit text; errors point at ``span``."""
    try:
        return parse_units(text)
    except TextsError as exc:
        raise TextsError(exc.label, exc.message, span) from None


def converted(magnitude: Any, src: Any, dst: Any) -> Any:
    """A magnitude (a number or a NumPy array) in ``src`` units, in ``dst`` units."""
    return magnitude if src == dst else quantity(magnitude, src).to(dst).magnitude


def format_units(units: Any) -> str:
    """Units as the reference prints them: pint's long default format."""
    return str(units)


def convert(value: Any, target: str) -> Any:
    """Convert a quantity to the units of a print target (including the special ones)."""
    if target == "_base":
        return value.to_base_units()
    if target == "_root":
        return value.to_root_units()
    if target == "_reduced":
        return value.to_reduced_units()
    if target == "_compact":
        return value.to_compact()
    units = parse_units(target)
    if value.units == units:
        return value
    return value.to(units)
