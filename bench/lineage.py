"""Benchmark the run log's questions against a long history: 10^6 node records.

The benchmark writes a history into a fresh ``.texts/texts.db``: RUNS runs of a model of
NODES nodes (chains of ten: ``v_i`` uses ``v_{i-1}`` within each ten, the first of each ten
reads ``data.json``), each node with its value, file and code records, as the instant
executor records them (written in batches of runs, to make the history quickly). Then it
times the questions a user asks, each a fresh ``Lineage`` as a new command would have:

* ``texts log VAR`` (the newest node of a variable, its value, code, files and upstream),
* ``texts log FILE`` (who read the file, which every run reads: the newest 20 uses and
  the number of the others), and ``texts log FILE --all`` (every use: one per run, so
  this one grows with the history, as its answer does),
* ``texts runs`` (the newest 20 runs with their node counts),
* a result cache lookup (a signature to its checked value),

in the process (the part that could grow with the history) and as the real ``texts``
command in a subprocess (start-up included), beside the floor: the same node found by one
indexed SQLite query. The target is at most 0.2 s for ``texts log`` in the process.

    python bench/lineage.py                          # 1000 runs x 1000 nodes
    python bench/lineage.py --runs 100 --nodes 100   # a quick look
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from texts.provenance.cache import ResultCache
from texts.provenance.lineage import Lineage
from texts.provenance.records import (
    Attempt,
    CodeIdentity,
    FileRecord,
    NodeRecord,
    Record,
    RunRecord,
    ValueRecord,
)
from texts.provenance.recordstore import embedded_records
from texts.provenance.report import log_text, runs_text
from texts.provenance.signature import digest

CODE = CodeIdentity("0.1.0", "3.11.7", {"numpy": "2.4"}, None)
BATCH_RUNS = 50
"""Runs written per transaction while the history is made (not part of any timing)."""


def run_records(run: int, nodes: int, data: str) -> list[Record]:
    """One run's records: start, nodes with values and files, end."""
    run_id = digest(f"run {run}")
    started = f"2026-01-01T{run // 3600 % 24:02d}:{run // 60 % 60:02d}:{run % 60:02d}"
    common = {
        "run": run_id,
        "model": "m",
        "model_hash": "h",
        "model_file": "/w/model.vm",
        "executor": "instant",
        "started": started,
        "rerun_of": None,
        "tag": {},
        "code": CODE.id,
        "workdir": "/w",
    }
    found: list[Record] = [
        CODE,
        RunRecord(status="processing", ended=None, cached=False, **common),
    ]
    previous = ""
    for index in range(nodes):
        name = f"v_{index}"
        node_hash = digest(f"{run}:{name}") if index % 10 else digest(f"{run}:{name}:file")
        value = ValueRecord({"_texts_type": "float", "value": run * nodes + index})
        inputs = {f"v_{index - 1}": previous} if index % 10 else {}
        attempt = Attempt(started, started, 0.001, "success")
        found.append(
            NodeRecord(
                run=run_id,
                name=name,
                hash=node_hash,
                definition=f"{name} = v_{index - 1} + 1" if index % 10 else f"{name} = 1",
                line=index + 1,
                inputs=inputs,
                status="success",
                cached=False,
                attempts=[attempt],
                value=value.id,
                code=CODE.id,
            )
        )
        found.append(value)
        if not index % 10:
            found.append(FileRecord(data, "r", digest("data"), run_id, node_hash, name))
        previous = node_hash
    found.append(RunRecord(status="success", ended=started, cached=False, **common))
    return found


def make_history(directory: Path, runs: int, nodes: int) -> tuple[float, str]:
    """Write the history; its time, and one signature the cache holds."""
    data = str(directory / "data.json")
    records = embedded_records(directory)
    cache = ResultCache(records)
    start = time.perf_counter()
    batch: dict[str, list[dict[str, object]]] = {}
    for run in range(runs):
        for record in run_records(run, nodes, data):
            batch.setdefault(record.kind, []).append(record.document())
        if run % BATCH_RUNS == BATCH_RUNS - 1 or run == runs - 1:
            for kind, documents in batch.items():
                records.database.put_records(kind, documents)
            records.database.commit()
            batch = {}
    cache.store("signature-of-v_5", "v_5", 42.0)
    cache.commit()
    records.close()
    return time.perf_counter() - start, "signature-of-v_5"


def timed(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(directory: Path, question: Callable[[Lineage], object]) -> Callable[[], object]:
    def ask() -> object:
        records = embedded_records(directory)
        try:
            return question(Lineage(records))
        finally:
            records.close()

    return ask


def command(directory: Path, arguments: list[str]) -> Callable[[], object]:
    def run() -> object:
        result = subprocess.run(
            [sys.executable, "-m", "texts", *arguments],
            cwd=directory,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(result.stderr)
        return result

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--directory", type=Path, help="keep the history here (made once, then reused)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="texts-lineage-") as name:
        workdir = args.directory or Path(name)
        measure(workdir, args.runs, args.nodes, args.repeat)
    return 0


def measure(workdir: Path, runs: int, nodes: int, repeat: int) -> None:
    store = workdir / ".texts"
    if (store / "texts.db").exists():
        written, signature = None, "signature-of-v_5"
    else:
        written, signature = make_history(workdir, runs, nodes)
    size = (store / "texts.db").stat().st_size
    data = str(workdir / "data.json")
    variable = f"v_{nodes // 2 + 5}"
    made = f"written in {written:.1f} s" if written is not None else "made before"
    print(
        f"history: {runs} runs x {nodes} nodes = {runs * nodes} node records, {made},"
        f" texts.db {size / 1e6:.0f} MB",
        flush=True,
    )

    def floor() -> object:
        with sqlite3.connect(store / "texts.db") as connection:
            return connection.execute(
                "SELECT n.doc FROM nodes n JOIN runs r ON r.run = n.run WHERE n.name = ?"
                " ORDER BY r.started DESC LIMIT 1",
                [variable],
            ).fetchone()

    def cache_lookup() -> object:
        records = embedded_records(workdir)
        try:
            return ResultCache(records).value(signature, "v_5")
        finally:
            records.close()

    def row(label: str, inside: float | None, whole: float | None) -> None:
        shown = [f"{t:.4f}" if t is not None else "-" for t in (inside, whole)]
        print(f"{label:<34} {shown[0]:>12} {shown[1]:>10}", flush=True)

    print(f"{'question':<34} {'in process s':>12} {'command s':>10}", flush=True)
    row("floor: one indexed SQLite query", timed(floor, repeat), None)
    for label, question, arguments in (
        (
            f"texts log {variable}",
            lambda lg: log_text(lg, variable, False, None),
            ["log", variable],
        ),
        ("texts log data.json", lambda lg: log_text(lg, data, False, None), ["log", data]),
        (
            "texts log data.json --all",
            lambda lg: log_text(lg, data, False, None, None),
            ["log", data, "--all"],
        ),
        ("texts runs", lambda lg: runs_text(lg, None, 20), ["runs"]),
    ):
        inside = timed(in_process(workdir, question), repeat)
        row(label, inside, timed(command(workdir, arguments), repeat))
    row("result cache lookup", timed(cache_lookup, repeat), None)
    row("start-up: texts --version", None, timed(command(workdir, ["-v"]), repeat))
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs (load average {load}); median of {repeat}")


if __name__ == "__main__":
    sys.exit(main())
