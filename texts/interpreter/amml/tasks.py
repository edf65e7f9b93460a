"""Whether a calculator's parameters agree with its task (vasp and turbomole, AMML.md 3.3).

Checked when the calculator is evaluated. A rule names a parameter and what it must be:
one of some values, or given at all (``GIVEN``); a missing parameter counts as null.
"""

from __future__ import annotations

import math
from typing import Any

from texts.interpreter.amml import params
from texts.interpreter.amml.values import AMMLCalculator
from texts.interpreter.errors import TextsError

GIVEN = object()
_NULL = None

_MD = (("ibrion", (0,)), ("potim", GIVEN), ("nsw", GIVEN))
RULES: dict[tuple[str, str], tuple[tuple[str, Any], ...]] = {
    ("vasp", "single point"): (("ibrion", (_NULL, -1)), ("nsw", (_NULL, -1, 0))),
    ("vasp", "local minimum"): (("ibrion", (1, 2, 3)),),
    ("vasp", "transition state"): (("ibrion", (40, 44)),),
    ("vasp", "normal modes"): (("ibrion", (5, 6, 7, 8)),),
    ("vasp", "micro-canonical"): (
        *_MD,
        ("mdalgo", (0,)),
        ("smass", (-3,)),
        ("andersen_prob", (0.0,)),
    ),
    ("vasp", "canonical"): (*_MD, ("mdalgo", (1, 2, 3, 4, 5, 13)), ("isif", (2,))),
    ("vasp", "isothermal-isobaric"): (*_MD, ("mdalgo", (3,)), ("isif", (3,))),
    ("turbomole", "single point"): (("task", ("energy", "gradient")),),
    ("turbomole", "local minimum"): (("task", ("optimize",)),),
    ("turbomole", "transition state"): (("task", ("optimize",)),),
    ("turbomole", "normal modes"): (("task", ("frequencies",)),),
}


def check_task(calculator: AMMLCalculator) -> None:
    """``Parameter "P": VALUE inconsistent with task "T"`` for the first disagreement."""
    if calculator.task is None:
        return
    rules = RULES.get((calculator.name, calculator.task), ())
    row = params.first_row(calculator.parameters)
    for name, allowed in rules:
        value = _plain(row.get(name))
        agrees = value is not None if allowed is GIVEN else value in allowed
        if not agrees:
            # lazily for start-up: ASE and the extension only when a model uses them
            from texts.interpreter.format import format_value  # noqa: PLC0415

            raise TextsError(
                "Value error",
                f'Parameter "{name}": {format_value(row.get(name))} inconsistent with task '
                f'"{calculator.task}"',
            )


def _plain(value: Any) -> Any:
    """A parameter value as a plain number or string; a null number is None."""
    magnitude = getattr(value, "magnitude", value)
    if isinstance(magnitude, float) and math.isnan(magnitude):  # NaN: a null element
        return None
    return magnitude
