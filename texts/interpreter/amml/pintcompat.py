"""Unit conversion factors as pint computes them in a fresh process, whatever came before.

pint keeps the root-unit factor of a unit expression in a cache whose keys ignore the
order of the units in the expression, and the order decides how the factor is rounded.
So the factor of 1 amu·Å/fs in ASE's momentum unit is 10.18050571075941 or
10.180505710759414, depending on whether an equal expression in another order (1/fs in
ASE's inverse time) was converted first in the process. A simulation amplifies such
a difference. This module computes the factor of ``src -> dst`` the way pint does for a
new expression, without the cache, so a result does not depend on what the process did
before. It reads pint's unit definitions (private attributes): the pint versions it
knows are checked, any other falls back to pint's public conversion.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from texts.interpreter.units import quantity, registry

KNOWN_PINT = ("0.24",)


def _known() -> bool:
    # lazily for start-up: ASE and the extension only when a model uses them
    import pint  # noqa: PLC0415

    return any(pint.__version__.startswith(version) for version in KNOWN_PINT)


def converted(magnitude: Any, src: Any, dst: Any) -> Any:
    """A magnitude (a number or a NumPy array) in ``src`` units, in ``dst`` units."""
    if src == dst:
        return magnitude
    reg = registry()
    if not _known() or not _multiplicative(reg, src) or not _multiplicative(reg, dst):
        return quantity(magnitude, src).to(dst).magnitude  # offset units (degC): no factor
    return magnitude * conversion_factor(src, dst)


def conversion_factor(src: Any, dst: Any) -> float:
    """The number that converts a magnitude in ``src`` units to ``dst`` units (both
    multiplicative)."""
    if src == dst:
        return 1.0
    reg = registry()
    if src.dimensionality != dst.dimensionality:  # pint's own error, with its message
        quantity(1.0, src).to(dst)
    accumulators: dict[str | None, Any] = defaultdict(int)
    accumulators[None] = 1
    _root_units(reg, (src / dst)._units, 1, accumulators)
    return float(accumulators[None])


def _multiplicative(reg: Any, units: Any) -> bool:
    return all(reg._units[reg.get_name(name)].converter.is_multiplicative for name in units._units)


def _root_units(reg: Any, container: Any, exponent: Any, accumulators: dict) -> None:
    """pint's walk from a unit expression down to its base units (uncached)."""
    for key in container:
        power = exponent * container[key]
        definition = reg._units[reg.get_name(key)]
        if definition.is_base:
            accumulators[key] += power
        else:
            accumulators[None] *= definition.converter.scale**power
            if definition.reference is not None:
                _root_units(reg, definition.reference, power, accumulators)
