"""Whether a value read from a file fits a type hint: the one check behind the shapes of
the embedded store's documents (``store.shapes``) and of run records
(``provenance.validation``), both data from outside that is never trusted.

Hints are built from ``Any``, ``None``, ``int``, ``float``, ``str``, ``bool``,
``datetime``, ``Literal`` values, unions, lists and mappings; a caller answers for its own
composite types (a ``TypedDict``, a record's dataclass) through ``composite``.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

Composite = Callable[[Any, Any], "bool | None"]
"""A caller's check of a hint it knows (``None`` for a hint it does not)."""


def fits(value: Any, hint: Any, composite: Composite) -> bool:
    """Whether ``value`` is of type ``hint``; ``TypeError`` for a hint nobody checks."""
    if hint is Any:
        return True
    if hint is type(None):
        return value is None
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint in (str, bool, datetime):
        return isinstance(value, hint)
    answer = composite(value, hint)
    if answer is not None:
        return answer
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if origin is Literal:
        return value in arguments
    if origin in (types.UnionType, typing.Union):
        return any(fits(value, option, composite) for option in arguments)
    if origin is list:
        return isinstance(value, list) and all(fits(v, arguments[0], composite) for v in value)
    if origin is dict:
        key, item = arguments
        return isinstance(value, dict) and all(
            fits(k, key, composite) and fits(v, item, composite) for k, v in value.items()
        )
    raise TypeError(f"no check for {hint!r}")
