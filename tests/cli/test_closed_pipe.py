"""``texts ... | head -1``: a command whose reader closes the pipe early stops quietly,
as a program stopped by SIGPIPE does (status 141), without a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SIGPIPE_STATUS = 141
MODEL = "a = 2\nb = a * 3\nprint(b)\nprint((i: {}))\n".format(
    ", ".join(str(i) for i in range(20000))  # more than a pipe holds
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with a model run in workflow mode: its run log has records to show."""
    where = tmp_path_factory.mktemp("pipe")
    (where / "m.vm").write_text(MODEL, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "texts", "m.vm", "-m", "workflow", "-r"],
        cwd=where,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return where


def into_closed_pipe(workdir: Path, *args: str) -> tuple[int, str]:
    """Run texts with its standard output a pipe whose reader has already gone."""
    process = subprocess.Popen(
        [sys.executable, "-m", "texts", *args],
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    process.stdout.close()
    _, err = process.communicate()
    return process.returncode, err


@pytest.mark.parametrize(
    "args",
    [("log", "b"), ("runs",), ("log", "--files"), ("m.vm",), ("m.vm", "-m", "deferred")],
    ids=" ".join,
)
def test_a_closed_reader_stops_the_command_quietly(workdir: Path, args: tuple[str, ...]) -> None:
    assert into_closed_pipe(workdir, *args) == (SIGPIPE_STATUS, "")


def test_texts_log_into_head(workdir: Path) -> None:
    command = f'{sys.executable} -m texts log b | head -1; echo "status ${{PIPESTATUS[0]}}"'
    done = subprocess.run(
        ["bash", "-c", command], cwd=workdir, capture_output=True, text=True, check=False
    )
    first, status = done.stdout.splitlines()
    assert first == "b = 6"
    assert status in ("status 0", f"status {SIGPIPE_STATUS}")  # head may close before or after
    assert done.stderr == ""
