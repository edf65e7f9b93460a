"""Benchmark unit conversions in textS's registry against a stock pint registry.

textS keys pint's unit-expression caches by the written order of the units
(``texts.interpreter.pintcompat``) so that a conversion gives the same number whatever
the process converted before. This measures what that costs, in one process, beside the
floor: the same conversion in a pint ``UnitRegistry`` as pint ships it.

- cached: one conversion repeated (the caches answer), a scalar and a 10^5-element array;
- new expressions: a conversion of a unit expression the registry has not met yet (each
  timed run uses a fresh registry of each kind, so the caches start empty).

It prints the best of ``--repeat`` runs of each, in microseconds per conversion, and the
ratio textS / pint.

    python bench/conversions.py
    python bench/conversions.py --repeat 9
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable
from typing import Any

#: (source, target) unit expressions; the first two are equal with their units in
#: another order, the case the written-order keys exist for
CONVERSIONS = (
    ("cm**2 / inch", "mm"),
    ("1 / inch * cm**2", "mm"),
    ("kg * m**2 / s**2", "kJ"),
    ("W * hour", "kJ"),
    ("km / hour", "m / s"),
    ("hour**2 / day", "s"),
)
CACHED_CALLS = 20_000
ARRAY_SIZE = 100_000


def _registries() -> tuple[Any, Any]:
    """A textS registry (written-order caches) and a stock pint one, both fresh."""
    import pint

    from texts.interpreter.pintcompat import make_conversions_repeatable

    texts_registry = pint.UnitRegistry(autoconvert_offset_to_baseunit=True, cache_folder=":auto:")
    make_conversions_repeatable(texts_registry)
    stock = pint.UnitRegistry(autoconvert_offset_to_baseunit=True, cache_folder=":auto:")
    return texts_registry, stock


def _best(repeat: int, run: Callable[[], float]) -> float:
    return min(run() for _ in range(repeat))


def _cached(registry: Any, magnitude: Any, calls: int) -> Callable[[], float]:
    pairs = [(registry.Quantity(magnitude, src), registry.Unit(dst)) for src, dst in CONVERSIONS]

    def run() -> float:
        start = time.perf_counter()
        for _ in range(calls):
            for value, target in pairs:
                value.to(target)
        return (time.perf_counter() - start) / (calls * len(pairs)) * 1e6

    for value, target in pairs:  # fill the caches before timing
        value.to(target)
    return run


def _new_expressions(which: int) -> Callable[[], float]:
    def run() -> float:
        registry = _registries()[which]
        pairs = [(registry.Quantity(1.0, src), registry.Unit(dst)) for src, dst in CONVERSIONS]
        start = time.perf_counter()
        for value, target in pairs:
            value.to(target)
        return (time.perf_counter() - start) / len(pairs) * 1e6

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import numpy

    texts_registry, stock = _registries()
    array = numpy.arange(float(ARRAY_SIZE))
    rows = [
        ("cached, scalar", *(_cached(r, 1.0, CACHED_CALLS) for r in (texts_registry, stock))),
        (
            f"cached, {ARRAY_SIZE}-element array",
            *(_cached(r, array, CACHED_CALLS // 100) for r in (texts_registry, stock)),
        ),
        ("new expression", _new_expressions(0), _new_expressions(1)),
    ]
    print(f"{'workload':<34} {'textS us':>10} {'pint us':>10} {'ratio':>7}")
    for name, ours, floor in rows:
        mine, theirs = _best(args.repeat, ours), _best(args.repeat, floor)
        print(f"{name:<34} {mine:>10.2f} {theirs:>10.2f} {mine / theirs:>7.2f}")
    print(f"\n{platform.node()} {platform.python_version()}, best of {args.repeat} runs")


if __name__ == "__main__":
    main()
