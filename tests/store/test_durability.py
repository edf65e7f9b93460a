"""A killed run loses at most the node that was running; two processes share a store."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from processes import TEXTS, finished

from texts.store.embedded import DATABASE_NAME, load_server

SLOW_MODULE = "import time\n\ndef wait(x):\n    time.sleep({seconds})\n    return x\n"
MODEL = (
    "use wait from slow\na = wait(1)\nb = wait(a + 1)\nc = wait(b + 1)\nd = wait(c + 1)\nprint(d)\n"
)


def start(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*TEXTS, "script", *args],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stored(tmp_path: Path, collection: str) -> list[dict]:
    """The documents of a collection as last flushed: the store file and its journal, read
    without the lock while a run may be going on."""
    try:
        server, _ = load_server(tmp_path / ".texts" / "launchpad.json")
    except (OSError, ValueError):  # the store file is being replaced
        return []
    return list(server[DATABASE_NAME][collection].documents)


def completed_nodes(tmp_path: Path) -> set[str]:
    return {doc["name"] for doc in stored(tmp_path, "fireworks") if doc["state"] == "COMPLETED"}


def test_kill_during_a_run_then_resume(tmp_path: Path) -> None:
    (tmp_path / "slow.py").write_text(SLOW_MODULE.format(seconds=0.8))
    (tmp_path / "model.vm").write_text(MODEL)
    run = start(tmp_path, "-f", "model.vm", "-m", "workflow", "-r")
    deadline = time.monotonic() + 60
    while "b" not in completed_nodes(tmp_path):
        assert time.monotonic() < deadline and run.poll() is None, run.communicate()
        time.sleep(0.05)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    done = completed_nodes(tmp_path)
    assert {"a", "b"} <= done and "d" not in done
    uuid = stored(tmp_path, "workflows")[0]["metadata"]["uuid"]
    (tmp_path / "resume.vm").write_text("print(a, b, c, d)\n")
    resume = finished(
        [*TEXTS, "script", "-f", "resume.vm", "-m", "workflow", "-r", "-u", uuid], tmp_path
    )
    assert resume.returncode == 0, resume.stderr
    assert resume.stdout.endswith("program output: >>>\n1 2 3 4\n<<<\n")
    launches = {doc["name"]: len(doc["launches"]) for doc in stored(tmp_path, "fireworks")}
    assert launches["a"] == launches["b"] == 1  # completed before the kill: not redone


def test_two_processes_on_one_store_keep_both_models(tmp_path: Path) -> None:
    # nodes slow enough that the second process surely finds the store locked
    (tmp_path / "slow.py").write_text(SLOW_MODULE.format(seconds=1.5))
    (tmp_path / "model.vm").write_text(MODEL)
    first = start(tmp_path, "-f", "model.vm", "-m", "workflow", "-r")
    while not (tmp_path / ".texts" / "launchpad.json.lock").exists():
        time.sleep(0.02)
    second = start(tmp_path, "-f", "model.vm", "-m", "workflow", "-r")
    outputs = [process.communicate(timeout=120) for process in (first, second)]
    assert [process.returncode for process in (first, second)] == [0, 0]
    for out, _ in outputs:
        assert out.endswith("program output: >>>\n4\n<<<\n")
    assert "Waiting for another texts process" in outputs[1][1]
    assert len(stored(tmp_path, "workflows")) == 2
