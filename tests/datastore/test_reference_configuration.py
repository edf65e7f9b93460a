"""The configuration files of a reference user work unchanged in workflow mode.

Each test writes real files into a temporary home directory (``HOME`` redirected) and
working directory, as a user would have them: the resource configuration the reference's
``resconfig`` tool writes, a dedicated datastore file, FireWorks' ``FW_config.yaml`` and
``my_launchpad.yaml``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from texts.datastore.config import current_config

MODEL = "small = 1 [m]\nbig = range(0, 2000, 1)\nprint(small, sum(big))\n"
OUTPUT = "program output: >>>\n1 [meter] 1999000\n<<<\n"


def resource_configuration(datastore: str) -> str:
    """A resource configuration in the layout of the reference's ``resconfig`` tool: class
    tags, a datastore section, and a worker that is both listed and the default."""
    worker = (
        "  _fw_name: '{{virtmat.middleware.resconfig.resconfig.WorkerConfig}}'\n"
        "  name: 0f3c9a\n"
        "  type_: null\n"
        "  queues: []\n"
        "  modules: []\n"
        "  envvars: {}\n"
        "  default_launchdir: null\n"
        "  provenance_envvars:\n"
        "  - PATH\n"
        "  - VIRTUAL_ENV\n"
    )
    return (
        "_fw_name: '{{virtmat.middleware.resconfig.resconfig.ResConfig}}'\n"
        "datastore:\n"
        "  _fw_name: '{{virtmat.middleware.resconfig.resconfig.DatastoreConfig}}'\n"
        f"{datastore}"
        f"default_worker:\n{worker}"
        f"workers:\n-{worker[1:]}"
    )


DEFAULT_SECTION = (
    "  compress: true\n"
    "  format_: json\n"
    "  inline_threshold: 100000\n"
    "  launchpad: null\n"
    "  name: null\n"
    "  paths: []\n"
    "  replica_strategy: first\n"
    "  replica_targets: []\n"
    "  replica_timeout: 30.0\n"
    "  type_: file\n"
    "  use_sha256: true\n"
)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home directory of its own, with no configuration named by the environment."""
    home = tmp_path / "home"
    (home / ".fireworks").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    for variable in ("DATASTORE_CONFIG", "RESCONFIG_LOC", "FW_CONFIG_FILE"):
        monkeypatch.delenv(variable, raising=False)
    return home


@pytest.fixture
def workflow_run(run_texts, tmp_path: Path) -> Callable[..., object]:
    def run(model: str = MODEL, *options: str) -> object:
        path = tmp_path / "model.vm"
        path.write_text(model)
        return run_texts("script", "-f", str(path), "-m", "workflow", "--quiet", "-r", *options)

    return run


def stored_files(directory: Path) -> list[str]:
    names = sorted(p.name for p in directory.iterdir()) if directory.is_dir() else []
    return [name for name in names if not name.startswith(".")]  # not the store registry


def test_the_resconfig_file_works_unchanged(home: Path, workflow_run) -> None:
    config = home / ".fireworks" / "res_config.yaml"
    config.write_text(resource_configuration(DEFAULT_SECTION))
    result = workflow_run()
    assert result.status == 0
    assert result.out.partition("\n")[2] == OUTPUT
    assert result.err == f"Warning: {config}: not used by textS: default_worker, workers\n"


def test_its_datastore_section_is_used(
    home: Path, tmp_path: Path, workflow_run, monkeypatch
) -> None:
    store = tmp_path / "store"
    config = tmp_path / "elsewhere.yaml"
    config.write_text(
        resource_configuration(
            f"  type_: file\n  format_: yaml\n  compress: false\n  inline_threshold: 50\n"
            f"  paths: [{store}]\n  name: null\n  launchpad: null\n"
        )
    )
    monkeypatch.setenv("RESCONFIG_LOC", str(config))
    result = workflow_run()
    assert result.out.partition("\n")[2] == OUTPUT
    files = stored_files(store)
    assert files and all(name.endswith(".yaml") for name in files)
    assert not (home / ".fireworks" / "vre-language-datastore").exists()


def test_the_class_tags_are_never_imported(home: Path, tmp_path: Path, monkeypatch) -> None:
    """A ``_fw_name`` naming an importable module does not run it: the file is data."""
    package = tmp_path / "lib"
    package.mkdir()
    marker = tmp_path / "imported"
    (package / "trap.py").write_text(f"open({str(marker)!r}, 'w').close()\nclass Config: pass\n")
    monkeypatch.syspath_prepend(str(package))
    section = "  _fw_name: '{{trap.Config}}'\n  inline_threshold: 7\n"
    (home / ".fireworks" / "res_config.yaml").write_text(
        "_fw_name: '{{trap.Config}}'\ndatastore:\n" + section
    )
    assert current_config().inline_threshold == 7
    assert not marker.exists()


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("  format_: xml\n", "datastore.format_ must be json, yaml or hdf5, not 'xml'"),
        ("  type_: url\n", "datastore.type_ must be file, gridfs or null, not 'url'"),
        ("  inline_threshold: big\n", "datastore.inline_threshold must be a number of bytes"),
        ("  colour: blue\n", "unknown datastore setting 'datastore.colour'"),
    ],
)
def test_an_error_names_the_file_that_holds_the_key(
    home: Path, workflow_run, section: str, message: str
) -> None:
    config = home / ".fireworks" / "res_config.yaml"
    config.write_text(resource_configuration(section))
    dedicated = home / ".fireworks" / "datastore_config.yaml"
    dedicated.write_text("compress: false\n")  # present, but not where the mistake is
    result = workflow_run()
    assert result.status == 1
    assert (result.status, result.out) == (1, "")
    assert result.err.splitlines()[-1].startswith(f"Configuration error: {config}: {message}")


def test_the_dedicated_file_is_found_in_fireworks_directory_and_wins(
    home: Path, tmp_path: Path, workflow_run
) -> None:
    store = tmp_path / "mine"
    (home / ".fireworks" / "res_config.yaml").write_text(
        resource_configuration("  format_: yaml\n  inline_threshold: 50\n")
    )
    (home / ".fireworks" / "datastore_config.yaml").write_text(
        f"format: json\ncompress: false\npath: {store}\n"
    )
    assert workflow_run().status == 0
    files = stored_files(store)
    assert files and all(name.endswith(".json") for name in files)


def test_an_error_in_the_dedicated_file_names_it(
    home: Path, tmp_path: Path, workflow_run, monkeypatch
) -> None:
    dedicated = tmp_path / "ds.yaml"
    dedicated.write_text("inline-threshold: -5\n")
    monkeypatch.setenv("DATASTORE_CONFIG", str(dedicated))
    (home / ".fireworks" / "res_config.yaml").write_text(resource_configuration(DEFAULT_SECTION))
    result = workflow_run()
    assert result.status == 1
    assert f"{dedicated}: inline-threshold must be a number of bytes, not -5" in result.err


def test_invalid_yaml_names_the_file_and_position(home: Path, workflow_run) -> None:
    config = home / ".fireworks" / "res_config.yaml"
    config.write_text("datastore:\n  paths: [a, b\n")
    result = workflow_run()
    assert result.status == 1
    assert f"{config}: not valid YAML: " in result.err and "(line 3, column 1)" in result.err


# ---- FireWorks' own files


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unusable_launchpad(path: Path) -> Path:
    path.write_text(
        f"host: 127.0.0.1\nport: {closed_port()}\nmongoclient_kwargs:\n"
        "  serverSelectionTimeoutMS: 50\n"
    )
    return path


@pytest.fixture
def _no_fireworks_launchpad() -> None:
    """Here FireWorks' configuration is searched for: every file is in a temporary home
    or working directory (this replaces the suite's guard against configured databases)."""


def test_fw_config_launchpad_loc_is_used_and_named(
    home: Path, tmp_path: Path, workflow_run
) -> None:
    launchpad = unusable_launchpad(tmp_path / "db.yaml")
    fw_config = home / ".fireworks" / "FW_config.yaml"
    fw_config.write_text(f"LAUNCHPAD_LOC: {launchpad}\nQUEUE_RETRY_ATTEMPTS: 3\n")
    result = workflow_run()
    assert (result.status, result.out) == (1, "")
    assert result.err.startswith(
        f"Configuration error: The MongoDB of the launchpad file {launchpad}"
    )
    assert result.err.endswith(f"({launchpad} is the LAUNCHPAD_LOC of {fw_config})\n")


def test_my_launchpad_in_the_working_directory_is_used(
    home: Path, tmp_path: Path, workflow_run
) -> None:
    launchpad = unusable_launchpad(tmp_path / "my_launchpad.yaml")
    result = workflow_run()
    assert result.status == 1
    assert f"({launchpad} is found by FireWorks' configuration search)" in result.err


def test_an_invalid_fw_config_is_a_configuration_error(home: Path, workflow_run) -> None:
    fw_config = home / ".fireworks" / "FW_config.yaml"
    fw_config.write_text("LAUNCHPAD_LOC: {'@module': os, '@class': PathLike}\n")
    result = workflow_run()
    assert (result.status, result.out) == (1, "")
    assert result.err == (
        f"Configuration error: {fw_config}: LAUNCHPAD_LOC names a Python class"
        " (@module/@class); textS reads configuration files as data only\n"
    )


def texts_process(home: Path, workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``texts`` in a process of its own: FireWorks reads its configuration when it is
    imported, once per process."""
    environment = {k: v for k, v in os.environ.items() if k not in ("FW_CONFIG_FILE",)}
    environment["HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "texts", *args],
        cwd=workdir,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_fireworks_refusing_its_file_is_a_configuration_error(home: Path, tmp_path: Path) -> None:
    fw_config = home / ".fireworks" / "FW_config.yaml"
    fw_config.write_text("NOT_A_FIREWORKS_SETTING: 1\n")
    (tmp_path / "model.vm").write_text("a = 1\nprint(a)\n")
    result = texts_process(home, tmp_path, "model.vm", "-m", "workflow", "--quiet")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"Configuration error: {fw_config}: Invalid FW_config file has unknown parameter:"
        " NOT_A_FIREWORKS_SETTING\n"
    )


def test_two_fw_config_files_leave_the_output_alone(home: Path, tmp_path: Path) -> None:
    (home / ".fireworks" / "FW_config.yaml").write_text("QUEUE_RETRY_ATTEMPTS: 3\n")
    (tmp_path / "FW_config.yaml").write_text("ECHO_TEST: from the working directory\n")
    (tmp_path / "model.vm").write_text("a = 1\nprint(a)\n")
    result = texts_process(home, tmp_path, "model.vm", "-m", "workflow", "--quiet", "-r")
    assert result.returncode == 0
    assert result.stdout.partition("\n")[2] == "program output: >>>\n1\n<<<\n"
    assert result.stderr == (
        f"Warning: FireWorks' configuration is read from {tmp_path / 'FW_config.yaml'},"
        f" not from {home / '.fireworks' / 'FW_config.yaml'}\n"
    )
