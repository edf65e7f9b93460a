"""Launching nodes: one at a time in this process, or in parallel rocket processes (-j N)."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

from texts.store.embedded import DATABASE_NAME, load_server
from texts.store.journal import read_journal

SLOW_MODULE = '''import os, time

def slow(x):
    """Record when this call ran (start and end, in a file of its own), then return x."""
    start = time.time()
    time.sleep(1.0)
    with open(f"interval-{x}-{os.getpid()}", "w") as handle:
        handle.write(f"{start} {time.time()}")
    return x * 10
'''
MODEL = "use slow from slowmod\n" + "".join(f"v{i} = slow({i})\n" for i in range(4))
MODEL += "w = v0 + v1 + v2 + v3\nprint(v0, v1, v2, v3, w)\n"


def run(tmp_path: Path, *options: str, model: str = MODEL) -> subprocess.CompletedProcess[str]:
    (tmp_path / "slowmod.py").write_text(SLOW_MODULE)
    (tmp_path / "model.vm").write_text(model)
    command = ["script", "-f", "model.vm", "-m", "workflow", "-r", *options]
    return subprocess.run(
        [sys.executable, "-m", "texts", *command],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def intervals(tmp_path: Path) -> list[tuple[float, float]]:
    found = []
    for path in tmp_path.glob("interval-*"):
        start, end = path.read_text().split()
        found.append((float(start), float(end)))
    return sorted(found)


def stored_states(tmp_path: Path) -> dict[str, str]:
    server, _ = load_server(tmp_path / ".texts" / "launchpad.json")
    return {doc["name"]: doc["state"] for doc in server[DATABASE_NAME]["fireworks"].documents}


def test_jobs_run_independent_nodes_at_the_same_time_and_store_every_result(
    tmp_path: Path,
) -> None:
    result = run(tmp_path, "-j", "4")
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("program output: >>>\n0 10 20 30 60\n<<<\n")
    spans = intervals(tmp_path)
    assert len(spans) == 4  # each node ran exactly once
    assert max(start for start, _ in spans) < min(end for _, end in spans)  # all overlapped
    assert set(stored_states(tmp_path).values()) == {"COMPLETED"}
    journal = read_journal(tmp_path / ".texts" / "launchpad.json.journal")
    assert (journal.changes, len(journal.seals)) == ([], 1)  # closed cleanly: only its seal


def test_without_jobs_nodes_run_one_after_the_other(tmp_path: Path) -> None:
    result = run(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("program output: >>>\n0 10 20 30 60\n<<<\n")
    spans = intervals(tmp_path)
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans))


def test_a_failing_node_in_a_parallel_run_is_reported_and_its_dependants_wait(
    tmp_path: Path,
) -> None:
    result = run(tmp_path, "-j", "2", model="a = 1 / 0\nb = a + 1\nc = 2\nprint(c, b)\n")
    assert result.returncode == 1
    assert "Ancestor evaluation error" in result.stderr
    assert "Traceback" not in result.stderr
    assert stored_states(tmp_path) == {
        "_root": "COMPLETED",
        "a": "FIZZLED",
        "b": "WAITING",
        "c": "COMPLETED",
    }


def test_jobs_must_be_a_positive_integer(tmp_path: Path) -> None:
    result = run(tmp_path, "-j", "0")
    assert result.returncode == 2
    assert "argument -j/--jobs: not a positive integer: '0'" in result.stderr
