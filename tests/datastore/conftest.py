"""Workflow runs with a datastore configured in a temporary home directory."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from texts.cli.main import main


@pytest.fixture
def configure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Write the datastore configuration (tiny threshold by default); return the store."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("DATASTORE_CONFIG", str(home / "datastore.yaml"))
    monkeypatch.setenv("RESCONFIG_LOC", str(home / "res_config.yaml"))
    store = tmp_path / "store"

    def write(**settings: object) -> Path:
        settings = {"inline-threshold": 10, "path": str(store), **settings}
        text = yaml.safe_dump({k.replace("_", "-"): v for k, v in settings.items()})
        (home / "datastore.yaml").write_text(text)
        return store

    write()
    return write


def model_uuid(output: str) -> str:
    match = re.search(r"program UUID: (\w+)", output)
    assert match, output
    return match.group(1)


def offloaded_files(store: Path) -> list[Path]:
    return sorted(p for p in store.glob("*") if p.is_file()) if store.is_dir() else []


@pytest.fixture
def texts_in(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run ``texts`` in a directory of its own (its own embedded store, so no result of
    another run is reused): exit status, output and errors."""

    def run(directory: Path, *args: str) -> tuple[int, str, str]:
        directory.mkdir(parents=True, exist_ok=True)
        previous = os.getcwd()
        os.chdir(directory)
        try:
            status = main(list(args))
        finally:
            os.chdir(previous)
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run
