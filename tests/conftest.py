"""Shared fixtures: running ``texts`` in-process, in a fresh working directory."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import mongo_server
import pytest

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
