"""Running a command, ``texts`` or FireWorks', in a process of its own and to its end, as a
user does at a shell: its exit status, standard output and error as text. Tests use it where
a separate process matters (a store shared with other processes, configuration read when a
library is imported, an installed entry point); ``run_texts`` runs ``texts`` in-process."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

TEXTS = (sys.executable, "-m", "texts")
"""The ``texts`` command of the Python that runs the tests."""


def finished(
    argv: Sequence[str],
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """``argv`` run in ``cwd`` to its end (``env`` replaces the environment when given);
    the exit status is the test's to check. ``timeout`` bounds a run that hangs."""
    return subprocess.run(
        argv,
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
