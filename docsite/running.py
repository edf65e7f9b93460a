"""Running ``texts`` as a reader would: in a directory of its own, in a fresh process.

Each run gets a home directory of its own, so no FireWorks or datastore configuration of
the machine is read and nothing is written outside the run's directory; plots are
written as PNG files; output is unbuffered and standard error is merged into standard
output in the order a terminal shows them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: the longest a documented command may take; a hung command fails the build or test
TIMEOUT = 300


@dataclass(frozen=True)
class Outcome:
    """What a terminal shows after a command: its exit status and its text."""

    status: int
    text: str


def environment(workdir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    home = workdir / ".home"
    home.mkdir(exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FW_", "DATASTORE_", "TEXTS_", "COLUMNS", "LINES"))
    }
    env.update(
        HOME=str(home),
        PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
        PYTHONUNBUFFERED="1",
        TEXTS_VIEWS="png",
        MPLBACKEND="Agg",
        COLUMNS="100",
    )
    env.update(extra or {})
    return env


def run_command(command: str, workdir: Path, extra: dict[str, str] | None = None) -> Outcome:
    """Run a shell command line in ``workdir``, as typed after a ``$`` prompt."""
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=workdir,
        env=environment(workdir, extra),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    return Outcome(result.returncode, result.stdout.replace(str(workdir) + os.sep, ""))
