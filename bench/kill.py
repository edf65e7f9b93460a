"""The kill -9 property of workflow mode: a run killed at any moment loses no completed node
and leaves no stuck lock.

A model of N independent nodes and their sum (a run takes a few seconds, so kills land in
every phase: start-up, launches, flushes, the compaction at the end) runs in workflow mode
with ``--autorun`` on one embedded store; each trial kills the run with SIGKILL after a
random delay, then reads the store as of its last flush (without its lock) and checks
that every node completed before is still completed, and that the lock is free at once.
After the last trial a run completes the model and prints its sum.

    python bench/kill.py                    # 100 kills of a 40-node model
    python bench/kill.py --kills 20 --nodes 10
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from texts.store.embedded import DATABASE_NAME, load_server


def completed(store: Path) -> set[str]:
    server, _ = load_server(store / "launchpad.json")
    return {
        document["name"]
        for document in server[DATABASE_NAME]["fireworks"].documents
        if document["state"] == "COMPLETED"
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--nodes", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    lines = [f"x_{i} = {i}" for i in range(args.nodes)]
    lines.append("total = " + " + ".join(f"x_{i}" for i in range(args.nodes)))
    lines.append("print(total)")
    with tempfile.TemporaryDirectory(prefix="texts-kill-") as name:
        workdir = Path(name)
        (workdir / "model.vm").write_text("\n".join(lines) + "\n")
        stored = subprocess.run(
            [sys.executable, "-m", "texts", "model.vm", "-m", "workflow"],
            cwd=workdir, capture_output=True, text=True, check=True,
        )  # fmt: skip
        uuid = stored.stdout.split("program UUID: ")[1].split()[0]
        command = [sys.executable, "-m", "texts", "model.vm", "-m", "workflow", "-r", "-u", uuid]
        (workdir / "model.vm").write_text("print(total)\n")
        losses = stuck = 0
        before: set[str] = set()
        start = time.perf_counter()
        for _ in range(args.kills):
            run = subprocess.Popen(command, cwd=workdir, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)  # fmt: skip
            time.sleep(rng.uniform(0.2, 3.0))
            run.send_signal(signal.SIGKILL)
            run.wait()
            after = completed(workdir / ".texts")
            losses += len(before - after)
            before = after
            lock = workdir / ".texts" / "launchpad.json.lock"
            fd = os.open(lock, os.O_RDWR | os.O_CREAT)
            try:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                stuck += 1
            finally:
                os.close(fd)
        final = subprocess.run(command, cwd=workdir, capture_output=True, text=True, check=False)
        expected = sum(range(args.nodes))
        ok = final.returncode == 0 and f"\n{expected}\n" in final.stdout
        print(
            f"{args.kills} kills of a {args.nodes}-node model in"
            f" {time.perf_counter() - start:.0f} s: completed nodes lost {losses},"
            f" locks left held {stuck}, final run {'completes' if ok else 'FAILED'}"
            f" ({len(before)} nodes had completed before it)"
        )
        return 0 if ok and not losses and not stuck else 1


if __name__ == "__main__":
    sys.exit(main())
