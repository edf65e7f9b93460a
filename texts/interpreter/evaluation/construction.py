"""Series made of language values, without evaluating anything.

The evaluation rules (series literals, ``map``) and the boundary to Python code (what a
function returns) both make series from values; this module is what they share, so that
neither has to import the other.
"""

from __future__ import annotations

import math
from typing import Any

from texts.interpreter.errors import TextsError
from texts.interpreter.units import is_quantity, quantity
from texts.interpreter.values import Series


def is_nan(value: Any) -> bool:
    magnitude = value.magnitude if is_quantity(value) else value
    return isinstance(magnitude, float) and math.isnan(magnitude)


def is_array(value: Any) -> bool:
    magnitude = value.magnitude if is_quantity(value) else value
    return type(magnitude).__name__ == "ndarray"


def promote(magnitudes: list[Any]) -> list[Any]:
    """Mixed integers and floats become floats; any complex makes all complex."""
    kinds = {type(m) for m in magnitudes if m is not None and not is_array(m)}
    if complex in kinds:
        return [None if m is None else complex(m) for m in magnitudes]
    if float in kinds and int in kinds:
        return [None if m is None else float(m) for m in magnitudes]
    return magnitudes


def make_series(
    name: str, values: list[Any], units: Any = None, convert_units: bool = False
) -> Series:
    """A series from language values.

    Quantities make a numeric series; all must have the same units unless
    ``convert_units`` (results of ``map``), in which case they are converted to the
    units of the first one.
    """
    present = [v for v in values if v is not None]
    if present and all(is_quantity(v) for v in present):
        target = units if units is not None else present[0].units
        magnitudes = []
        for value in values:
            if value is None or is_nan(value):
                magnitudes.append(None)
                continue
            if units is None and value.units != target:
                if not convert_units:
                    raise TextsError(
                        "Invalid units error",
                        "Numeric type series must have elements of the same units.",
                    )
                value = _convert_keeping_integers(value, target)
            magnitudes.append(plain(value.magnitude))
        return Series(name, promote(magnitudes), target, numeric=True)
    return Series(name, list(values))


def plain(magnitude: Any) -> Any:
    item = getattr(magnitude, "item", None)
    if item is not None and getattr(magnitude, "ndim", 1) == 0:
        return item()
    return magnitude


def _convert_keeping_integers(value: Any, target: Any) -> Any:
    converted = value.to(target)
    magnitude = converted.magnitude
    if isinstance(value.magnitude, int) and isinstance(magnitude, float) and magnitude.is_integer():
        return quantity(int(magnitude), target)
    return converted
