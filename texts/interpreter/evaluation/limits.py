"""Limits on what one evaluation may build.

Python's integers and lists grow until the machine runs out of memory, so a typo such as
``range(0, 1e12, 1)`` or ``10 ** 10 ** 10`` would compute for hours or end the process.
Past these limits the computation is refused, before it starts where the size is known in
advance, with a labelled error at the expression.
"""

from __future__ import annotations

import math
from typing import Any

from texts.interpreter.errors import TextsError

#: the most digits an integer result may have
MAX_INTEGER_DIGITS = 20_000
#: the most elements a series made by ``range`` may have (a few GB of Python numbers)
MAX_ELEMENTS = 50_000_000
_DIGITS_PER_BIT = math.log10(2)


def check_integer(value: int) -> None:
    """Refuse an integer of more than :data:`MAX_INTEGER_DIGITS` digits."""
    _check_digits(value.bit_length() * _DIGITS_PER_BIT)


def check_power(base: Any, exponent: Any) -> None:
    """Refuse an integer power too large to compute, before computing it."""
    integers = all(isinstance(m, int) and not isinstance(m, bool) for m in (base, exponent))
    if integers and abs(base) > 1 and exponent > 0:
        _check_digits(exponent * math.log10(abs(base)))


def check_elements(count: float, what: str) -> None:
    """Refuse a sequence of more than :data:`MAX_ELEMENTS` elements, before building it."""
    if count > MAX_ELEMENTS:
        raise TextsError(
            "Memory error",
            f"{what} would have {count:.3g} elements, more than the {MAX_ELEMENTS} allowed",
        )


def _check_digits(digits: float) -> None:
    if digits > MAX_INTEGER_DIGITS:
        raise TextsError(
            "Arithmetic error",
            f"integer result too large: about {digits:.3g} digits, "
            f"more than the {MAX_INTEGER_DIGITS} allowed",
        )
