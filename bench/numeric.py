"""Benchmark numerical work on series and tables against NumPy with pint, side by side.

For each workload and size N, one process times the same work twice:

- textS: a model (inputs made with ``range``, the operation, a print of one value) run by
  the instant executor, without the result cache. Parsing and checking are done before
  the clock starts and one untimed run comes first, so the time is what evaluation costs
  beyond start-up.
- NumPy+pint: the same inputs and operation written directly with NumPy arrays in pint
  quantities, the floor the language's data path stands on.

It prints the best of ``--repeat`` runs of each (the run least disturbed by other work on
the machine; each side allocates its arrays anew every run), their ratio, and the peak
memory of evaluating a model that makes a float series of 10^6 elements and sums it
(traced allocations, NumPy's included), against the 8 MB of the array itself.

    python bench/numeric.py                      # N = 10^4, 10^5, 10^6; 5 runs each
    python bench/numeric.py --sizes 10000 --repeat 3
"""

from __future__ import annotations

import argparse
import sys
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from in_process import TextsRunner, best_time, print_footer

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
MEMORY_SIZE = 1_000_000
#: the ratio to NumPy+pint the issue asks for (a reduce may take more: it folds in order)
TARGETS = {"reduce": 50.0}
DEFAULT_TARGET = 10.0


@dataclass(frozen=True)
class Workload:
    """A model for textS and the same work in NumPy+pint, for a size N."""

    name: str
    model: Callable[[int], str]
    expected: Callable[[int], str]
    floor: Callable[[Any, Any, int], Any]


def _ranges(n: int) -> str:
    return f"s = range(0.0, {n}.0, 1.0)\n"


def _float_text(value: float) -> str:
    return repr(float(value))


def _filtered(np: Any, Q: Any, n: int) -> Any:
    s = Q(np.arange(0.0, n, 1.0))
    return s[s > Q(5)]


def _selected(np: Any, Q: Any, n: int) -> Any:
    a = Q(np.arange(0, n, 1))
    return a[a / n > Q(0.5)]


WORKLOADS = [
    Workload(
        "range + sum",
        lambda n: f"s = range(0, {n}, 1)\nprint(sum(s))",
        lambda n: str(n * (n - 1) // 2),
        lambda np, Q, n: Q(np.arange(0, n, 1)).sum(),
    ),
    Workload(
        "a * 2 [m] + b",
        lambda n: (
            f"a = range(0.0, {n}.0, 1.0)\nb = range(0.0 [m], {n}.0 [m], 1.0 [m])\n"
            "c = map((x, y: x * 2 [m] + y), a, b)\nprint(c[-1])"
        ),
        lambda n: f"{_float_text(3.0 * (n - 1))} [meter]",
        lambda np, Q, n: Q(np.arange(0.0, n, 1.0)) * Q(2, "m") + Q(np.arange(0.0, n, 1.0), "m"),
    ),
    Workload(
        "map((x: x * 2), s)",
        lambda n: _ranges(n) + "m = map((x: x * 2), s)\nprint(m[-1])",
        lambda n: _float_text(2.0 * (n - 1)),
        lambda np, Q, n: Q(np.arange(0.0, n, 1.0)) * 2,
    ),
    Workload(
        "filter((x: x > 5), s)",
        lambda n: _ranges(n) + "f = filter((x: x > 5), s)\nprint(f[0])",
        lambda n: "6.0",
        _filtered,
    ),
    Workload(
        "reduce((x, y: x + y), s)",
        lambda n: _ranges(n) + "r = reduce((x, y: x + y), s)\nprint(r)",
        lambda n: _float_text(n * (n - 1) / 2),
        lambda np, Q, n: Q(np.arange(0.0, n, 1.0)).sum(),
    ),
    Workload(
        "select a where column:b > 0.5",
        lambda n: (
            f"s = range(0, {n}, 1)\nt = map((x: {{a: x, b: x / {n}}}), s)\n"
            "q = t select a where column:b > 0.5\nprint(q.a[0])"
        ),
        lambda n: str(n // 2 + 1),
        _selected,
    ),
]


def target(name: str) -> float:
    return next((v for k, v in TARGETS.items() if name.startswith(k)), DEFAULT_TARGET)


def time_texts(runner: TextsRunner, workload: Workload, n: int, repeat: int) -> float:
    model = runner.prepare(workload.model(n))
    _, lines = runner.run(model)
    expected = workload.expected(n)
    if lines != [expected]:
        raise SystemExit(f"{workload.name}, N={n}: printed {lines}, expected {expected}")
    return min(runner.run(model)[0] for _ in range(repeat))


def time_floor(workload: Workload, n: int, repeat: int) -> float:
    import numpy

    from texts.interpreter.units import registry

    quantity = registry().Quantity
    return best_time(lambda: workload.floor(numpy, quantity, n), repeat)


def peak_memory(runner: TextsRunner) -> tuple[float, float]:
    """Peak traced MB of evaluating a 10^6-element float series and its sum, textS and
    NumPy+pint."""
    import numpy

    from texts.interpreter.units import registry

    model = runner.prepare(f"s = range(0.0, {MEMORY_SIZE}.0, 1.0)\nprint(sum(s))")
    runner.run(model)
    tracemalloc.start()
    runner.run(model)
    texts_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    quantity = registry().Quantity
    tracemalloc.start()
    quantity(numpy.arange(0.0, MEMORY_SIZE, 1.0)).sum()
    floor_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return texts_peak / 1e6, floor_peak / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args(argv)
    sizes = [int(size) for size in options.sizes.split(",")]
    runner = TextsRunner()
    header = f"{'workload':32} {'N':>8} {'textS s':>10} {'NumPy+pint s':>13} {'ratio':>7} target"
    print(header)
    print("-" * len(header))
    missed = []
    for workload in WORKLOADS:
        for n in sizes:
            texts_seconds = time_texts(runner, workload, n, options.repeat)
            floor_seconds = time_floor(workload, n, options.repeat)
            ratio = texts_seconds / floor_seconds
            goal = target(workload.name)
            mark = "ok" if ratio <= goal else "MISSED"
            if ratio > goal:
                missed.append(f"{workload.name} N={n}")
            print(
                f"{workload.name:32} {n:>8} {texts_seconds:>10.5f} {floor_seconds:>13.5f} "
                f"{ratio:>7.1f} <= {goal:g} {mark}"
            )
    texts_peak, floor_peak = peak_memory(runner)
    array_mb = MEMORY_SIZE * 8 / 1e6
    print()
    print(
        f"peak memory, float series of {MEMORY_SIZE} elements and its sum: textS "
        f"{texts_peak:.1f} MB ({texts_peak / array_mb:.1f}x the {array_mb:.0f} MB array, "
        f"target < 4x), NumPy+pint {floor_peak:.1f} MB"
    )
    print_footer(missed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
