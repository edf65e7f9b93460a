"""Benchmark the result cache: a model's first run against a fully cached rerun.

The model has N independent nodes that each do real numerical work through an imported
Python function (a few tens of milliseconds of NumPy, as a small simulation step would)
and one node that sums them. The first run computes every node; the rerun, in the same
directory, finds every signature in the cache and computes nothing. Both runs are the
real ``texts`` command in a subprocess, so start-up, parsing and checks are counted.

    python bench/cache.py                 # N = 1000, instant and deferred
    python bench/cache.py --size 200 --executors instant
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORK_MODULE = '''
import numpy

def work(seed):
    """About 50 ms of linear algebra (one thread), the same result for the same seed."""
    generator = numpy.random.default_rng(int(seed.magnitude))
    matrix = generator.random((150, 150))
    for _ in range(8):
        matrix = numpy.linalg.qr(matrix)[0] @ matrix
    return float(numpy.trace(matrix) % 1)
'''


def model_text(size: int) -> str:
    lines = ["use work from benchwork"]
    lines += [f"x_{i} = work({i})" for i in range(size)]
    terms = [f"x_{i}" for i in range(size)]
    chunks = [" + ".join(terms[i : i + 10]) for i in range(0, size, 10)]
    lines.append("total = " + " +\n    ".join(chunks))
    lines.append("print(total > 0)")
    return "\n".join(lines) + "\n"


def timed_run(directory: Path, executor: str, extra: list[str]) -> float:
    command = [sys.executable, "-m", "texts", "model.vm", "-m", executor, *extra]
    # one BLAS thread: the work per node is the same whatever else the machine does
    environment = {
        **os.environ,
        "PYTHONPATH": str(directory),
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
    }
    start = time.perf_counter()
    result = subprocess.run(
        command, cwd=directory, capture_output=True, text=True, env=environment, check=False
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0 or "true" not in result.stdout:
        raise SystemExit(f"{executor} run failed:\n{result.stdout}\n{result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="number of costly nodes")
    parser.add_argument("--executors", default="instant,deferred")
    options = parser.parse_args()
    print("| executor | nodes | first run s | cached rerun s | speed-up |")
    print("| --- | --- | --- | --- | --- |")
    for executor in options.executors.split(","):
        with tempfile.TemporaryDirectory() as name:
            directory = Path(name)
            (directory / "benchwork.py").write_text(WORK_MODULE, encoding="utf-8")
            (directory / "model.vm").write_text(model_text(options.size), encoding="utf-8")
            first = timed_run(directory, executor, [])
            rerun = timed_run(directory, executor, ["-v"])
            print(
                f"| {executor} | {options.size} | {first:.1f} | {rerun:.2f} |"
                f" {first / rerun:.1f}x |"
            )


if __name__ == "__main__":
    main()
