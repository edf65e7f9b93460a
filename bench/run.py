"""Benchmark the ``texts`` command on generated models and print a table of timings.

This is a measurement, not a test: it runs the real command in a subprocess (so start-up,
parsing, static checks and evaluation are all counted, as a user would see them), once per
workload, size and executor, and reports medians. It also runs ``--no-interpreter`` on the
same model so that the cost of parsing and checking can be told apart from evaluation.

Run ``python bench/run.py --help`` for the options; bench/README.md has the baseline.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

EXECUTORS = ("instant", "deferred", "workflow")
DEFAULT_EXECUTORS = ("instant", "deferred")
MODE_OPTIONS = {"workflow": ["--autorun"]}
"""Workflow mode stores the model and, with ``--autorun``, launches every node."""
NO_REUSE = ["--signature", "ignore"]
"""Every repetition computes everything: no result cache, no duplicate detection."""
DEFAULT_SIZES = (10, 100, 1000)
OUTPUT_START = "program output: >>>"
OUTPUT_END = "<<<"
#: references per line in the fan-in sum, so that long sums stay readable and exercise
#: the continuation of a statement after a trailing ``+``
TERMS_PER_LINE = 10
#: lines of standard error kept for a failed run: enough for the message and the raising frame
ERROR_LINES = 4
#: the one-line model's name; its median time is the start-up cost subtracted from the others
START_UP = "one-line"
#: the environment variable naming the parse cache directory of textS
PARSE_CACHE = "TEXTS_CACHE_DIR"
#: set (to anything) by ``--cold-parse``: each run parses with an empty parse cache
COLD_PARSE_CACHE = "TEXTS_BENCH_COLD_PARSE"


@dataclass(frozen=True)
class Model:
    """A generated model: its text, how many statements it has and what it must print."""

    workload: str
    size: int
    text: str
    statements: int
    expected: str


@dataclass
class Result:
    """The raw measurements of one workload, size and executor, in seconds.

    A full run and a parse+check run fail independently (a model may parse but not evaluate),
    so each keeps its own error; a median is reported only for a measurement without one.
    """

    workload: str
    size: int
    executor: str
    statements: int
    total_times: list[float]
    total_error: str | None
    check_times: list[float]
    check_error: str | None

    @property
    def total(self) -> float | None:
        return None if self.total_error else statistics.median(self.total_times)

    @property
    def check(self) -> float | None:
        return None if self.check_error else statistics.median(self.check_times)

    @property
    def errors(self) -> list[str]:
        return [error for error in (self.total_error, self.check_error) if error]


def one_line() -> Model:
    """The smallest possible run: what every model pays before its first statement."""
    return Model(START_UP, 1, "print(1)\n", 1, "1")


def independent(size: int) -> Model:
    """Statements with no dependencies between them: cost per statement with units."""
    lines = [f"x_{i} = {i} * 2 [m]" for i in range(size)]
    lines.append(f"print(x_{size - 1})")
    return Model(
        "independent", size, "\n".join(lines) + "\n", size + 1, f"{2 * (size - 1)} [meter]"
    )


def chain(size: int) -> Model:
    """A chain of N dependencies: shows whether deep dependency graphs cost more than flat."""
    lines = ["a_0 = 1", *(f"a_{i} = a_{i - 1} + 1" for i in range(1, size + 1))]
    lines.append(f"print(a_{size})")
    return Model("chain", size, "\n".join(lines) + "\n", size + 2, str(size + 1))


def fan_in(size: int) -> Model:
    """N leaves summed in one long statement: the cost of one expression with many references."""
    lines = [f"x_{i} = {i}" for i in range(size)]
    terms = [f"x_{i}" for i in range(size)]
    rows = [" + ".join(terms[i : i + TERMS_PER_LINE]) for i in range(0, size, TERMS_PER_LINE)]
    lines.append("total = " + " +\n    ".join(rows))
    lines.append("print(total)")
    return Model("fan-in", size, "\n".join(lines) + "\n", size + 2, str(size * (size - 1) // 2))


WORKLOADS: dict[str, Callable[[int], Model]] = {
    "independent": independent,
    "chain": chain,
    "fan-in": fan_in,
}


def texts_command() -> list[str]:
    """The installed ``texts`` script of this interpreter, else ``python -m texts``.

    The script next to sys.executable is what a user runs; the fallback keeps the benchmark
    usable from an environment where only the package is importable.
    """
    script = Path(sys.executable).parent / "texts"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "texts"]


def timed_run(command: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run a command to completion in a fresh directory (workflow mode keeps its store in
    the working directory: every run starts from an empty one); return its wall-clock
    time and its captured output. With ``--cold-parse``, the run also gets an empty parse
    cache."""
    with tempfile.TemporaryDirectory() as directory:
        environment = None
        if COLD_PARSE_CACHE in os.environ:
            environment = {**os.environ, PARSE_CACHE: str(Path(directory) / "cache")}
        start = time.perf_counter()
        completed = subprocess.run(
            command, capture_output=True, text=True, check=False, cwd=directory, env=environment
        )
        return time.perf_counter() - start, completed


def printed_output(stdout: str) -> str | None:
    """The text between the output markers, or None if they are missing."""
    lines = stdout.splitlines()
    if OUTPUT_START not in lines:
        return None
    after = lines[lines.index(OUTPUT_START) + 1 :]
    if OUTPUT_END not in after:
        return None
    return "\n".join(after[: after.index(OUTPUT_END)]).strip()


def tail(stderr: str, lines: int = ERROR_LINES) -> str:
    """The end of an error output: the message of an error, or the last frames of a traceback."""
    return " | ".join(stderr.strip().splitlines()[-lines:]) or "(no error output)"


def failure(completed: subprocess.CompletedProcess[str], expected: str | None) -> str | None:
    """Why a run did not do what it should, or None if it did.

    ``expected`` None means the run must print nothing (the ``--no-interpreter`` run).
    """
    if completed.returncode != 0:
        return f"exit status {completed.returncode}: {tail(completed.stderr)}"
    if expected is None:
        if completed.stdout.strip():
            return f"printed output with --no-interpreter: {completed.stdout.strip()[:200]}"
        return None
    printed = printed_output(completed.stdout)
    if printed != expected:
        return f"printed {printed!r}, expected {expected!r}; stderr: {tail(completed.stderr)}"
    return None


def repeated(
    command: list[str], expected: str | None, repeat: int
) -> tuple[list[float], str | None]:
    """Time a command ``repeat`` times; stop at the first failure and return why it failed."""
    times: list[float] = []
    for _ in range(repeat):
        seconds, completed = timed_run(command)
        error = failure(completed, expected)
        if error is not None:
            return times, f"{shlex.join(command)}: {error}"
        times.append(seconds)
    return times, None


def measure(model: Model, path: Path, executor: str, repeat: int) -> Result:
    """Time a full run of the model with one executor, and a parse+check only run (after
    an untimed one that fills the parse cache, unless each run starts without)."""
    texts = texts_command()
    if COLD_PARSE_CACHE not in os.environ:
        timed_run([*texts, "script", "-f", str(path), "--no-interpreter", *NO_REUSE])
    total_times, total_error = repeated(
        [
            *texts,
            "script",
            "-f",
            str(path),
            "-m",
            executor,
            *NO_REUSE,
            *MODE_OPTIONS.get(executor, []),
        ],
        model.expected,
        repeat,
    )
    # --no-interpreter forces instant mode (with a warning) whatever -m says, so no -m here
    check_times, check_error = repeated(
        [*texts, "script", "-f", str(path), "--no-interpreter", *NO_REUSE], None, repeat
    )
    return Result(
        model.workload,
        model.size,
        executor,
        model.statements,
        total_times,
        total_error,
        check_times,
        check_error,
    )


def per_statement_ms(value: float | None, base: float | None, statements: int) -> str:
    """Milliseconds per statement above the start-up cost, or '-' if either is unknown."""
    if value is None or base is None:
        return "-"
    return f"{(value - base) * 1000 / statements:.3f}"


def seconds(value: float | None) -> str:
    """A median in seconds for the table, or FAILED."""
    return "FAILED" if value is None else f"{value:.3f}"


def table(results: Sequence[Result]) -> str:
    """The results as a plain-text table; per-statement columns subtract the one-line run."""
    base = {r.executor: r for r in results if r.workload == START_UP}
    header = (
        "workload",
        "N",
        "executor",
        "total s",
        "parse+check s",
        "ms/stmt",
        "parse+check ms/stmt",
    )
    rows = [header]
    for r in results:
        start_up = base.get(r.executor)
        is_base = r.workload == START_UP
        rows.append(
            (
                r.workload,
                "1" if is_base else str(r.size),
                r.executor,
                seconds(r.total),
                seconds(r.check),
                "-"
                if is_base
                else per_statement_ms(r.total, start_up and start_up.total, r.statements),
                "-"
                if is_base
                else per_statement_ms(r.check, start_up and start_up.check, r.statements),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(w) if i < 3 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def machine() -> str:
    """What the numbers were measured on, so that tables from different machines are not mixed.

    The load average is included because a busy machine (other test runs) inflates every time.
    """
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs (load average {load}), {platform.machine()}, "
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.release()}"
    )


def revision() -> str:
    """The commit of the texts source, and whether it had uncommitted changes when measured.

    The package is installed editable, so the numbers belong to the working tree, not a release.
    """
    root = Path(__file__).resolve().parent.parent
    git = ["git", "-C", str(root)]
    try:
        commit = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--", "texts"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{commit} + uncommitted changes in texts/" if dirty else commit


def source_stamp() -> tuple[float, int]:
    """The newest modification time and the file count of the texts package being measured.

    The package is installed editable and shared with people editing it: if this changes
    during a run, the table mixes versions (and may show failures of half-made edits).
    """
    spec = importlib.util.find_spec("texts")
    if spec is None or spec.origin is None:
        return (0.0, 0)
    files = [
        path
        for path in Path(spec.origin).parent.rglob("*")
        if path.is_file() and path.suffix in {".py", ".tx"}
    ]
    return (max((path.stat().st_mtime for path in files), default=0.0), len(files))


def positive_ints(text: str) -> list[int]:
    """Parse ``--sizes``: comma-separated positive integers."""
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of integers: {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"sizes must be positive integers: {text!r}")
    return sizes


def executor_names(text: str) -> list[str]:
    """Parse ``--executors``: comma-separated names from EXECUTORS."""
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = sorted(set(names) - set(EXECUTORS))
    if not names or unknown:
        raise argparse.ArgumentTypeError(
            f"executors must be among {', '.join(EXECUTORS)}: {text!r}"
        )
    return names


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=positive_ints,
        default=list(DEFAULT_SIZES),
        help="comma-separated model sizes N (default: 10,100,1000)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs per measurement; the median is reported (default: 3)",
    )
    parser.add_argument(
        "--executors",
        type=executor_names,
        default=list(DEFAULT_EXECUTORS),
        help="comma-separated executors among instant, deferred, workflow "
        "(default: instant,deferred)",
    )
    parser.add_argument(
        "--workloads",
        type=workload_names,
        default=list(WORKLOADS),
        help=f"comma-separated workloads among {', '.join(WORKLOADS)} (default: all)",
    )
    parser.add_argument(
        "--json", type=Path, metavar="FILE", help="also write the raw results to FILE"
    )
    parser.add_argument(
        "--cold-parse",
        action="store_true",
        help="every run parses with an empty parse cache (default: a warm one, filled by an "
        "untimed run of each model)",
    )
    return parser


def workload_names(text: str) -> list[str]:
    """Parse ``--workloads``: comma-separated names from WORKLOADS."""
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = sorted(set(names) - set(WORKLOADS))
    if not names or unknown:
        raise argparse.ArgumentTypeError(
            f"workloads must be among {', '.join(WORKLOADS)}: {text!r}"
        )
    return names


def models(sizes: Sequence[int], workloads: Sequence[str]) -> list[Model]:
    """The start-up model first (the others are measured against it), then each workload."""
    return [one_line(), *(WORKLOADS[name](size) for name in workloads for size in sizes)]


def main(argv: Sequence[str] | None = None) -> int:
    """Measure every model with every executor; print the table; non-zero if any run failed."""
    args = build_parser().parse_args(argv)
    if args.repeat < 1:
        build_parser().error("--repeat must be at least 1")
    command_line = shlex.join([sys.executable, *sys.argv])
    host, version, stamp = machine(), revision(), source_stamp()
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="texts-bench-") as directory:
        os.environ[PARSE_CACHE] = str(Path(directory) / "parse-cache")  # not the user's
        if args.cold_parse:
            os.environ[COLD_PARSE_CACHE] = "1"
        for model in models(args.sizes, args.workloads):
            path = Path(directory) / f"{model.workload}-{model.size}.vm"
            path.write_text(model.text, encoding="utf-8")
            for executor in args.executors:
                print(
                    f"running {model.workload} {model.size} {executor} ...",
                    file=sys.stderr,
                    flush=True,
                )
                results.append(measure(model, path, executor, args.repeat))
    source_changed = source_stamp() != stamp
    print(table(results))
    print()
    print(f"machine: {host}")
    print(f"revision: {version}")
    print(f"command: {command_line}")
    parse_cache = "an empty parse cache" if args.cold_parse else "a warm parse cache"
    print(f"texts: {shlex.join(texts_command())}; median of {args.repeat} run(s), {parse_cache}")
    if source_changed:
        print("WARNING: the texts source changed during the run; the results mix versions")
    failed = [r for r in results if r.errors]
    for r in failed:
        for error in r.errors:
            print(f"FAILED {r.workload} {r.size} {r.executor}: {error}")
    if args.json is not None:
        raw = {
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "command": command_line,
            "machine": host,
            "revision": version,
            "source_changed": source_changed,
            "repeat": args.repeat,
            "results": [asdict(r) | {"total": r.total, "check": r.check} for r in results],
        }
        args.json.write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
