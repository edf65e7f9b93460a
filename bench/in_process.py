"""What the in-process benchmarks (numeric.py, property.py) share: a runner that checks a
model once and then times the instant executor on it, the best-of-N timer, and the line
that says what the numbers were measured on.

The best of N runs is reported because a shared machine disturbs single runs by up to ten
times; the first run is untimed, so first-use imports and caches are not counted.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any


class TextsRunner:
    """Checks a model once, then times runs of the instant executor on it."""

    def __init__(self) -> None:
        from texts.executors import EXECUTORS
        from texts.grammar import parse_program
        from texts.interpreter.checks import check_program

        self.executor = EXECUTORS["instant"]
        self.parse = parse_program
        self.check = check_program

    def prepare(self, text: str) -> Any:
        return self.check(self.parse(text, "bench.vm"), "instant")

    def run(self, model: Any) -> tuple[float, list[str]]:
        """The seconds of one run of the executor and the lines it printed."""
        errors: list[Any] = []
        start = time.perf_counter()
        result = self.executor(model, errors.append).run()
        seconds = time.perf_counter() - start
        if errors:
            raise SystemExit(f"the model failed: {errors[0].render(model.source)}")
        return seconds, result.lines


def best_time(function: Callable[[], Any], repeat: int) -> float:
    function()  # untimed: first-use imports and caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def print_footer(missed: list[str], versions: str = "") -> None:
    """What the numbers were measured on, the command that measured them, and the targets
    missed, so that a pasted table carries its context."""
    print(machine(versions))
    print(f"command: {' '.join([os.path.basename(sys.executable), *sys.argv])}")
    if missed:
        print("targets missed: " + "; ".join(missed))


def machine(versions: str = "") -> str:
    """The host, its load, Python (and ``versions``, e.g. ", ASE 3.26") and the commit."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",) * 3
    revision = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
        cwd=os.path.dirname(os.path.abspath(__file__)),
    ).stdout.strip()
    return (
        f"{platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, load average "
        f"{' '.join(f'{x:.2f}' for x in load)}; Python {platform.python_version()}{versions}; "
        f"git {revision or '?'}"
    )
