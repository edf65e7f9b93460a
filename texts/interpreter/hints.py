"""Hints: a line under an error message that tells the user how to go on.

The label and the message keep the reference's wording where it has one (scripts and
tools match on them); the hint is an extra line of textS's own, ``hint: ...``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any

from texts.interpreter.source import Span

#: names for the parameters of a suggested ``map`` function, the first free ones are used
_PARAMETERS = ("x", "y", "z", "u", "v", "w")


def with_hint(message: str, *hints: str | None) -> str:
    """The message with each hint (those that are not None) on a line of its own."""
    return "\n".join([message, *(f"hint: {hint}" for hint in hints if hint is not None)])


def spelling_hint(name: str, known: Iterable[str]) -> str | None:
    """The defined names closest to a misspelt one, if any is close."""
    close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.6)
    return f"did you mean {' or '.join(repr(c) for c in close)}?" if close else None


def map_hint(text: str, whole: Span, elementwise: Sequence[Span]) -> str:
    """How to apply the expression ``whole`` of ``text`` to each element of the series
    at the ``elementwise`` spans (inside ``whole``): ``map((x: 2 * x), s)``."""
    used = set(re.findall(r"\w+", text[whole.start : whole.end]))
    free = iter(name for name in _PARAMETERS if name not in used)
    parameters: dict[str, str] = {}  # the text of a series -> its parameter
    body, position = [], whole.start
    for span in sorted(elementwise, key=lambda span: span.start):
        series = text[span.start : span.end]
        parameter = parameters.setdefault(series, next(free, f"x{len(parameters)}"))
        body += [text[position : span.start], parameter]
        position = span.end
    body.append(text[position : whole.end])
    function = f"({', '.join(parameters.values())}: {''.join(body)})"
    call = f"map({function}, {', '.join(parameters)})"
    return f"{call} applies the operation to each element of the series"


def map_call_hint(
    text: str, name: str, call: Span, args: Sequence[Any], elementwise: Sequence[Span]
) -> str:
    """How to call the function ``name`` for each element of the series at the
    ``elementwise`` spans among its ``args``: ``map(f, s)`` when every argument is a
    series, else a function around the call."""
    if [arg.span for arg in args] == list(elementwise):
        series = ", ".join(text[span.start : span.end] for span in elementwise)
        return f"map({name}, {series}) applies {name} to each element of the series"
    return map_hint(text, call, elementwise)


#: functions users call as if they were built in; the hint names the module to import them
#: from (NumPy's keep units and work on arrays, so NumPy is named where it has one)
_COMMON_FUNCTION_NAMES = """
    sqrt cbrt exp exp2 expm1 log log10 log2 log1p sin cos tan asin acos atan atan2 arcsin
    arccos arctan arctan2 sinh cosh tanh arcsinh arccosh arctanh floor ceil trunc fabs
    absolute hypot degrees radians deg2rad rad2deg mean median std var prod cumsum sign
    erf erfc gamma lgamma factorial comb perm gcd lcm isclose linspace arange dot cross
    power mod fmod maximum minimum clip around
"""
_COMMON_FUNCTIONS = frozenset(_COMMON_FUNCTION_NAMES.split())


def import_hint(name: str) -> str | None:
    """For an unknown function that users commonly call as if built in, the ``use``
    statement that imports it from NumPy or Python's math module."""
    if name not in _COMMON_FUNCTIONS:
        return None
    module = "numpy" if _in_numpy(name) else "math"
    return f"{name} is not built in; import it first: use {name} from {module}"


def _in_numpy(name: str) -> bool:
    # lazily for start-up: NumPy only when an unknown name may be one of its functions
    import numpy  # noqa: PLC0415

    return callable(getattr(numpy, name, None))


def update_hint(name: str, defined_with: Sequence[str], updated_with: Sequence[str]) -> str:
    """The rule of ``name := ...`` (the graph keeps its shape) with the variables the
    definition and the update use."""

    def listed(names: Sequence[str]) -> str:
        return ", ".join(names) if names else "none"

    return (
        f"an update of {name} must use the variables its definition uses"
        f" ({listed(defined_with)}); this one uses {listed(updated_with)}."
        f" To change what {name} depends on, define a new variable"
    )
