"""Shared fixtures: running ``texts`` in-process, in a fresh working directory."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import mongo_server
import pexpect
import pytest
from processes import TEXTS, finished

from texts.cli.main import main

TEST_LAUNCHPAD = "TEXTS_TEST_LAUNCHPAD"
"""Names the launchpad file of a real MongoDB for the MongoDB tests; without it they run
against a wire-protocol server started for the session (``mongo_server``)."""


@dataclass
class Run:
    """What a user sees after running ``texts``: exit status, standard output and error."""

    status: int
    out: str
    err: str


@pytest.fixture
def run_texts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run ``texts`` with arguments inside ``tmp_path``; the model file path is kept."""

    def run(*args: str) -> Run:
        previous = os.getcwd()
        os.chdir(tmp_path)
        try:
            status = main(list(args))
        finally:
            os.chdir(previous)
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run


@pytest.fixture(autouse=True, scope="session")
def _parse_cache_of_the_tests(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The parse cache of the test session (and of the ``texts`` processes it starts) is a
    directory of its own, not the user's cache directory."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TEXTS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(autouse=True)
def _no_fireworks_launchpad(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workflow runs use a fresh embedded store even on a machine whose FireWorks
    configuration names a database: the tests must never write to it."""
    monkeypatch.setattr("texts.fireworks_config.launchpad_location", lambda: None)


@pytest.fixture(autouse=True)
def _no_view_windows_or_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """``view`` statements draw nothing unless a test asks (``TEXTS_VIEWS``): the corpus
    compares standard error with the reference's, which writes no PNG names there."""
    monkeypatch.setenv("TEXTS_VIEWS", "off")


# ---- texts as a separate process, on pipes or on a pseudo-terminal


SLOW_MODULE = """\
import time


def slow(x, seconds=1.5):
    time.sleep(seconds)
    return x
"""
SLOW_CHAIN = """\
use slowmod.slow
a = slow(1)
b = slow(a + 1)
c = slow(b + 1)
d = slow(c + 1)
print(d)
"""


def environment(tmp_path: Path) -> dict[str, str]:
    """The user's environment, with the session history in ``tmp_path`` and no FireWorks
    configuration of the machine (tests never touch a real database)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FW_CONFIG", "PYTEST", "COV_"))
    }
    env.update(
        TEXTS_HISTORY_FILE=str(tmp_path / "history"),
        TEXTS_VIEWS="off",
        TERM="xterm",
        PROMPT_TOOLKIT_NO_CPR="1",  # pexpect's terminal answers no cursor position requests
        HOME=str(tmp_path / "home"),
    )
    env.pop("PYTHONPATH", None)  # modules beside the model are found without it
    return env


@pytest.fixture
def user_environment(tmp_path: Path) -> dict[str, str]:
    return environment(tmp_path)


@pytest.fixture
def texts(tmp_path: Path):
    """Run ``texts ARGS`` to its end in ``tmp_path`` (standard input closed)."""

    def run(*args: str, cwd: Path | None = None, stdin: str = "") -> subprocess.CompletedProcess:
        return finished(
            [*TEXTS, *args], cwd or tmp_path, environment(tmp_path), timeout=180, stdin=stdin
        )

    return run


@pytest.fixture
def terminal(tmp_path: Path):
    """Start ``texts ARGS`` on a pseudo-terminal (pexpect), as typed in a terminal."""

    def spawn(*args: str, command: str | None = None):
        argv = [sys.executable, "-m", "texts", *args]
        program, arguments = ("bash", ["-c", command]) if command else (argv[0], argv[1:])
        return pexpect.spawn(
            program,
            arguments,
            cwd=str(tmp_path),
            env=environment(tmp_path),
            encoding="utf-8",
            timeout=90,
            dimensions=(40, 160),
        )

    return spawn


@pytest.fixture
def slow_chain(tmp_path: Path) -> Path:
    """A model of four nodes of 1.5 s each, its module beside it."""
    (tmp_path / "slowmod.py").write_text(SLOW_MODULE, encoding="utf-8")
    model = tmp_path / "slow.vm"
    model.write_text(SLOW_CHAIN, encoding="utf-8")
    return model


@pytest.fixture(scope="session")
def mongodb_launchpad(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The launchpad file of a real MongoDB server: ``TEXTS_TEST_LAUNCHPAD``'s, else one
    started on a free loopback port for the test session and stopped after it."""
    given = os.environ.get(TEST_LAUNCHPAD)
    if given:
        yield Path(given)
        return
    server = mongo_server.start()
    path = tmp_path_factory.mktemp("mongodb") / "launchpad.yaml"
    path.write_text(f"host: 127.0.0.1\nport: {server.port}\nname: texts_tests\n")
    try:
        yield path
    finally:
        server.stop()
