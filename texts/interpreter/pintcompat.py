"""Unit conversions that give the same number whatever the process converted before.

pint caches the root-unit factor, the dimensionality, the conversion factor and the base
units of a unit expression under keys that ignore the order of the units in it
(``watt * hour`` equals ``hour * watt``), while the order decides how the factor is
rounded: ``cm ** 2 / inch`` in ``mm`` is 3.937007874015749 as pint computes it for that
order and 3.937007874015748 for ``1 / inch * cm ** 2``. Whichever order a process met
first was cached and served for the other, so a print like ``x [mm]`` could differ in its
last digit between a fresh ``texts`` run, a long session, a Jupyter kernel or the test
suite; and a simulation amplifies such a difference.

:func:`make_conversions_repeatable` keys those caches by the units in their written order:
every conversion then gives the number pint computes for that expression in a fresh
process, and the caches still spare the work of repeating one. It replaces attributes of
pint's registry cache (private): only the pint versions in :data:`KNOWN_PINT` are changed,
any other keeps pint's own caches.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

KNOWN_PINT = ("0.24",)

#: pint's caches (attributes of ``registry._cache``) keyed by a unit expression, or by a
#: pair of them for the conversion factor
_EXPRESSION_CACHES = ("root_units", "dimensionality", "conversion_factor")


def known_pint(version: str) -> bool:
    return any(version == known or version.startswith(known + ".") for known in KNOWN_PINT)


def make_conversions_repeatable(registry: Any) -> bool:
    """Key the unit-expression caches of a new pint ``registry`` by written order; False
    (and nothing changed) for a pint version this module does not know."""
    # lazily for start-up: pint only when a quantity is made
    import pint  # noqa: PLC0415

    if not known_pint(pint.__version__):
        return False
    cache = registry._cache
    for name in _EXPRESSION_CACHES:
        setattr(cache, name, OrderedUnitsCache(getattr(cache, name)))
    registry._base_units_cache = OrderedUnitsCache(registry._base_units_cache)
    return True


def _in_written_order(key: Hashable) -> Hashable:
    """A unit expression (or a tuple of them) as a key that keeps the order of its units."""
    if isinstance(key, tuple):
        return tuple(_in_written_order(part) for part in key)
    items = getattr(key, "items", None)
    return ("units", *items()) if items is not None else key


class OrderedUnitsCache(dict):
    """A dict whose unit-expression keys are equal only with their units in the same order.

    pint reads and writes its caches with ``cache[key]``, ``cache[key] = value`` and
    ``key in cache``; those are the operations that translate the key.
    """

    def __init__(self, entries: Iterable[tuple[Hashable, Any]] | dict = ()) -> None:
        super().__init__()
        for key, value in dict(entries).items():
            self[key] = value

    def __getitem__(self, key: Hashable) -> Any:
        return super().__getitem__(_in_written_order(key))

    def __setitem__(self, key: Hashable, value: Any) -> None:
        super().__setitem__(_in_written_order(key), value)

    def __contains__(self, key: object) -> bool:
        return super().__contains__(_in_written_order(key))  # type: ignore[arg-type]

    def get(self, key: Hashable, default: Any = None) -> Any:
        return super().get(_in_written_order(key), default)
