"""Benchmark start-up and parsing: a one-line model against the import floor, and parse+check
per statement with a cold and a warm parse cache.

Start-up: each command is run ``--repeat`` times in turn with the floor, ``python -c
"import numpy, pint; pint.UnitRegistry(cache_folder=':auto:')"`` (what any run that
computes with units must pay), after untimed warm-up runs. A row gives the median wall
and CPU seconds of the whole process, and the median of the ratios to the floor run just
before it (pairs keep the ratio fair when the machine's speed drifts).

Parse+check: for each size N, a fresh process parses and checks a generated model (the
``independent`` and ``chain`` workloads of ``run.py``) with an empty parse cache (cold:
the parser is built and every statement parsed), then another fresh process does it again
(warm: every statement read from the cache). It prints the milliseconds per statement
and whether the process imported textX. Only ``parse_source`` and ``check_program`` are
timed, inside the process, after the unit registry is loaded.

    python bench/startup.py                          # 20 start-up runs; N = 1000, 10000
    python bench/startup.py --repeat 40 --sizes 1000,10000,100000

Python writes the bytecode of textS's modules as an installed package has it (the runs
do not inherit ``PYTHONDONTWRITEBYTECODE``); the parse caches live in a temporary
directory, not in the user's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from run import chain, independent, machine, positive_ints, revision, texts_command

FLOOR = [sys.executable, "-c", "import numpy, pint; pint.UnitRegistry(cache_folder=':auto:')"]
DEFAULT_SIZES = (1000, 10_000)
WARM_UP_RUNS = 2
#: what a parse+check process runs: times parse_source and check_program on the model file
PARSE_AND_CHECK = """
import json, sys, time
from texts.cli.script import read_source
from texts.grammar import parse_source
from texts.interpreter.checks import check_program
from texts.interpreter.units import registry
registry()  # a start-up cost (the table above), not one of parsing or checking
source = read_source(sys.argv[1])
wall, cpu = time.perf_counter(), time.process_time()
check_program(parse_source(source), "instant", lambda warning: None)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(json.dumps({"wall": wall, "cpu": cpu, "parser": "textx" in sys.modules}))
"""


@dataclass
class Timing:
    wall: float
    cpu: float


def run_once(command: Sequence[str], cwd: Path, environment: dict[str, str]) -> Timing:
    """Run a command to completion; its wall time and the CPU time of its processes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run(
        command, cwd=cwd, env=environment, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        sys.exit(f"{shlex.join(command)} failed:\n{completed.stderr[-2000:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return Timing(wall, cpu)


def start_up_rows(repeat: int, environment: dict[str, str]) -> list[tuple[str, ...]]:
    """Median wall and CPU seconds of each command, and its median ratio to the floor run
    just before it."""
    texts = texts_command()
    commands = {  # name: (arguments of texts, whether each run gets an empty parse cache)
        "texts one.vm (instant)": (["one.vm"], False),
        "texts one.vm -m deferred": (["one.vm", "-m", "deferred"], False),
        "texts one.vm, cold parse cache": (["one.vm"], True),
        "texts --help": (["--help"], False),
        "texts --version": (["--version"], False),
    }
    pairs: dict[str, list[tuple[Timing, Timing]]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory(prefix="texts-startup-") as directory:
        workdir = Path(directory)
        (workdir / "one.vm").write_text("print(1)\n", encoding="utf-8")
        for index in range(WARM_UP_RUNS + repeat):
            for name, (arguments, cold) in commands.items():
                env = environment
                if cold:
                    env = {**environment, "TEXTS_CACHE_DIR": tempfile.mkdtemp(dir=directory)}
                floor = run_once(FLOOR, workdir, environment)
                run = run_once([*texts, *arguments], workdir, env)
                if index >= WARM_UP_RUNS:
                    pairs[name].append((floor, run))
    floors = [floor for found in pairs.values() for floor, _ in found]
    rows = [("command", "wall s", "cpu s", "wall / floor", "cpu / floor")]
    rows.append(_row("floor: import numpy, pint; UnitRegistry", [(f, f) for f in floors]))
    rows.extend(_row(name, found) for name, found in pairs.items())
    return rows


def _row(name: str, pairs: list[tuple[Timing, Timing]]) -> tuple[str, ...]:
    wall = statistics.median(run.wall for _, run in pairs)
    cpu = statistics.median(run.cpu for _, run in pairs)
    wall_ratio = statistics.median(run.wall / floor.wall for floor, run in pairs)
    cpu_ratio = statistics.median(run.cpu / floor.cpu for floor, run in pairs)
    return (name, f"{wall:.3f}", f"{cpu:.3f}", f"{wall_ratio:.2f}", f"{cpu_ratio:.2f}")


def parse_rows(sizes: Sequence[int], environment: dict[str, str]) -> list[tuple[str, ...]]:
    """Parse+check milliseconds per statement, cold and warm, for each workload and size."""
    rows = [("workload", "N", "cache", "wall ms/stmt", "cpu ms/stmt", "textX imported")]
    for size in sizes:
        for model in (independent(size), chain(size)):
            with tempfile.TemporaryDirectory(prefix="texts-parse-") as directory:
                path = Path(directory) / "model.vm"
                path.write_text(model.text, encoding="utf-8")
                env = {**environment, "TEXTS_CACHE_DIR": str(Path(directory) / "cache")}
                for state in ("cold", "warm"):
                    completed = subprocess.run(
                        [sys.executable, "-c", PARSE_AND_CHECK, str(path)],
                        env=env,
                        capture_output=True,
                        text=True,
                        check=False,
                    )
                    if completed.returncode != 0:
                        sys.exit(
                            f"parse+check of {model.workload} {size} failed:\n"
                            f"{completed.stderr[-2000:]}"
                        )
                    found = json.loads(completed.stdout)
                    rows.append(
                        (
                            model.workload,
                            str(model.size),
                            state,
                            f"{found['wall'] * 1000 / model.statements:.3f}",
                            f"{found['cpu'] * 1000 / model.statements:.3f}",
                            "yes" if found["parser"] else "no",
                        )
                    )
    return rows


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed start-up runs (20)")
    parser.add_argument(
        "--sizes",
        type=positive_ints,
        default=list(DEFAULT_SIZES),
        help="comma-separated model sizes for parse+check (default: 1000,10000)",
    )
    args = parser.parse_args(argv)
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    print(f"{shlex.join([sys.executable, *sys.argv])}")
    print(f"revision {revision()}; {machine()}")
    with tempfile.TemporaryDirectory(prefix="texts-cache-") as cache:
        environment["TEXTS_CACHE_DIR"] = cache
        print()
        print(table(start_up_rows(args.repeat, environment)))
        print()
        print(table(parse_rows(args.sizes, environment)))
    print(f"\nload average at the end: {', '.join(f'{v:.1f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
