"""Workflow mode on a real MongoDB named by a FireWorks launchpad file (``-l``).

The scenarios run on a real MongoDB server: the wire-protocol server the test session
starts, or the one whose launchpad file ``TEXTS_TEST_LAUNCHPAD`` names. Each scenario
works in a database of its own (the file's settings with another ``name``), which texts
initialises on first use and the test drops afterwards. FireWorks' own ``rlaunch`` and a
``texts worker`` run nodes stored there.
"""

from __future__ import annotations

import json
import socket
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from processes import TEXTS, finished
from ruamel.yaml import YAML

from texts.fireworks_config import LaunchpadLocation
from texts.interpreter.units import quantity
from texts.provenance import runlog
from texts.serialization import encode
from texts.store import mongodb
from texts.store.mongodb import open_mongodb, read_launchpad_file


@pytest.fixture
def launchpad_file(tmp_path: Path, mongodb_launchpad: Path) -> Iterator[Path]:
    """A launchpad file of a new, empty database on the test server."""
    yaml = YAML(typ="safe", pure=True)
    settings = yaml.load(mongodb_launchpad)
    # the user authenticates against the file's database, not against the new one
    settings["authsource"] = settings.get("authsource") or settings.get("name") or "fireworks"
    settings["name"] = f"texts_test_{uuid.uuid4().hex[:12]}"
    path = tmp_path / "launchpad.yaml"
    yaml.dump(settings, path)
    yield path
    launchpad = read_launchpad_file(path)
    launchpad.connection.drop_database(settings["name"])
    launchpad.connection.close()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def uuid_of(result) -> str:
    return result.out.partition("\n")[0].removeprefix("program UUID: ")


def runs(launchpad_file: Path, model_uuid: str) -> dict[str, tuple[str, int]]:
    """Each node of a model: its state and how often it ran (archived runs included)."""
    launchpad = open_mongodb(launchpad_file)
    try:
        return {
            doc["name"]: (doc["state"], len(doc["launches"]) + len(doc["archived_launches"]))
            for doc in launchpad.fireworks.find({"spec._texts.model": model_uuid})
        }
    finally:
        launchpad.connection.close()


def test_autorun_computes_the_model_in_the_database(run_texts, tmp_path, launchpad_file) -> None:
    model = write(tmp_path, "model.vm", "a = 2 [m]\nb = a * 3\nprint(a, b, 'text')\n")
    result = run_texts(
        "script", "-f", str(model), "-m", "workflow", "-r", "-l", str(launchpad_file), "--quiet"
    )
    assert (result.status, result.err) == (0, "")
    assert result.out.partition("\n")[2] == "program output: >>>\n2 [meter] 6 [meter] 'text'\n<<<\n"
    assert runs(launchpad_file, uuid_of(result)) == {
        "_root": ("COMPLETED", 1),
        "a": ("COMPLETED", 1),
        "b": ("COMPLETED", 1),
    }
    assert not (tmp_path / ".texts" / "launchpad.json").exists()


def test_extending_a_model_reuses_its_results(run_texts, tmp_path, launchpad_file) -> None:
    lp = str(launchpad_file)
    first = write(tmp_path, "model.vm", "a = 1\nb = a * 10\nprint(b)\n")
    model_uuid = uuid_of(run_texts("script", "-f", str(first), "-m", "workflow", "-r", "-l", lp))
    more = write(tmp_path, "more.vm", "c = b + 1\nprint(a, b, c)\n")
    result = run_texts(
        "script", "-f", str(more), "-m", "workflow", "-r", "-l", lp, "-u", model_uuid
    )
    assert result.out == f"program UUID: {model_uuid}\nprogram output: >>>\n1 10 11\n<<<\n"
    assert {name: count for name, (_, count) in runs(launchpad_file, model_uuid).items()} == {
        "_root": 1,
        "a": 1,
        "b": 1,
        "c": 1,
    }


def test_update_reruns_exactly_the_dependants(run_texts, tmp_path, launchpad_file) -> None:
    lp = str(launchpad_file)
    model = write(tmp_path, "model.vm", "a = 1\nb = a * 10\nc = 3\n")
    model_uuid = uuid_of(run_texts("script", "-f", str(model), "-m", "workflow", "-r", "-l", lp))
    update = write(tmp_path, "update.vm", "a := 2\nprint(a, b, c)\n")
    result = run_texts(
        "script", "-f", str(update), "-m", "workflow", "-r", "-l", lp, "-u", model_uuid
    )
    assert result.out == f"program UUID: {model_uuid}\nprogram output: >>>\n2 20 3\n<<<\n"
    assert {name: count for name, (_, count) in runs(launchpad_file, model_uuid).items()} == {
        "_root": 1,
        "a": 2,
        "b": 2,
        "c": 1,
    }


def test_a_failure_is_reported_and_kept_apart(run_texts, tmp_path, launchpad_file) -> None:
    model = write(tmp_path, "model.vm", "a = 1\nb = a / 0\nc = b + 1\nprint(a)\nprint(c)\n")
    result = run_texts(
        "script", "-f", str(model), "-m", "workflow", "-r", "-l", str(launchpad_file), "--quiet"
    )
    assert result.status == 1
    assert result.out.partition("\n")[2] == "program output: >>>\n1\n<<<\n"
    assert result.err == (
        f"Ancestor evaluation error: {model}:3:1 --> c = b + 1 <--\n"
        "Evaluation of c not possible due to failed ancestors: b\n"
        "    3 | c = b + 1\n"
        "      | ^^^^^^^^^\n"
    )
    states = {name: state for name, (state, _) in runs(launchpad_file, uuid_of(result)).items()}
    assert states == {"_root": "COMPLETED", "a": "COMPLETED", "b": "FIZZLED", "c": "WAITING"}


def test_a_database_with_foreign_workflows_is_never_reset(run_texts, tmp_path, launchpad_file):
    launchpad = open_mongodb(launchpad_file)
    launchpad.fw_id_assigner.delete_many({})
    launchpad.workflows.insert_one({"name": "not ours"})
    launchpad.connection.close()
    model = write(tmp_path, "model.vm", "a = 1\n")
    result = run_texts("script", "-f", str(model), "-m", "workflow", "-l", str(launchpad_file))
    assert (result.status, result.out) == (1, "")
    assert result.err.endswith(
        "has workflows but no FireWorks id counter; it is not initialised.\n"
    )


def node_ids(launchpad_file: Path, model_uuid: str) -> dict[str, int]:
    launchpad = open_mongodb(launchpad_file)
    try:
        found = launchpad.fireworks.find({"spec._texts.model": model_uuid}, {"name": 1, "fw_id": 1})
        return {doc["name"]: doc["fw_id"] for doc in found}
    finally:
        launchpad.connection.close()


def test_fireworks_rlaunch_runs_a_stored_model(run_texts, tmp_path, launchpad_file) -> None:
    lp = str(launchpad_file)
    model = write(tmp_path, "model.vm", "a = 2\nb = a * 3\nc = b + a\n")
    stored = run_texts("script", "-f", str(model), "-m", "workflow", "-l", lp)
    model_uuid = uuid_of(stored)
    rlaunch = Path(sys.executable).with_name("rlaunch")
    launched = finished([str(rlaunch), "-l", lp, "rapidfire"], tmp_path)
    assert launched.returncode == 0, launched.stderr
    assert {name: state for name, (state, _) in runs(launchpad_file, model_uuid).items()} == {
        "_root": "COMPLETED",
        "a": "COMPLETED",
        "b": "COMPLETED",
        "c": "COMPLETED",
    }
    show = write(tmp_path, "show.vm", "print(a, b, c)\n")
    result = run_texts("script", "-f", str(show), "-m", "workflow", "-l", lp, "-u", model_uuid)
    assert result.out == f"program UUID: {model_uuid}\nprogram output: >>>\n2 6 8\n<<<\n"


def test_a_texts_worker_runs_one_node(run_texts, tmp_path, launchpad_file) -> None:
    lp = str(launchpad_file)
    model = write(tmp_path, "model.vm", "a = 5 [s]\nb = a * 2\n")
    model_uuid = uuid_of(run_texts("script", "-f", str(model), "-m", "workflow", "-l", lp))
    ids = node_ids(launchpad_file, model_uuid)
    command = [*TEXTS, "worker", "--workdir", str(tmp_path), "-l", lp]
    for name in ("_root", "a"):
        worker = finished([*command, "singleshot", "--fw_id", str(ids[name])], tmp_path)
        assert (worker.returncode, worker.stderr) == (0, "")
    states = {name: state for name, (state, _) in runs(launchpad_file, model_uuid).items()}
    assert states == {"_root": "COMPLETED", "a": "COMPLETED", "b": "READY"}
    again = finished([*command, "singleshot", "--fw_id", str(ids["a"])], tmp_path)
    assert again.returncode == 1
    assert again.stderr == f"Node {ids['a']} is not waiting to run; nothing was run.\n"
    show = write(tmp_path, "show.vm", "print(a, b)\n")
    result = run_texts("script", "-f", str(show), "-m", "workflow", "-l", lp, "-u", model_uuid)
    assert result.out == f"program UUID: {model_uuid}\nprogram output: >>>\n5 [second] n.c.\n<<<\n"


# ---- launchpad files that cannot be used: no server needed


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_with(run_texts, tmp_path: Path, *options: str):
    model = write(tmp_path, "model.vm", "a = 1\nprint(a)\n")
    return run_texts("script", "-f", str(model), "-m", "workflow", *options)


def assert_one_line_error(result, start: str) -> None:
    assert (result.status, result.out) == (1, "")
    assert result.err.startswith(f"Configuration error: {start}")
    assert result.err.count("\n") == 1


def test_a_launchpad_file_is_read_as_fireworks_reads_it(tmp_path: Path) -> None:
    port = closed_port()
    write(tmp_path, "silent.yaml", f"host: 127.0.0.1\nport: {port}\nname: models\n")
    silent = read_launchpad_file(tmp_path / "silent.yaml")
    assert (silent.host, silent.port, silent.name) == ("127.0.0.1", port, "models")
    assert silent.strm_lvl == "ERROR"
    assert silent.mongoclient_kwargs["serverSelectionTimeoutMS"] == 5000
    silent.connection.close()
    chosen = "strm_lvl: CRITICAL\nmongoclient_kwargs:\n  serverSelectionTimeoutMS: 100\n"
    write(tmp_path, "chosen.yaml", f"host: 127.0.0.1\nport: {port}\n{chosen}")
    explicit = read_launchpad_file(tmp_path / "chosen.yaml")
    assert explicit.strm_lvl == "CRITICAL"
    assert explicit.mongoclient_kwargs["serverSelectionTimeoutMS"] == 100
    explicit.connection.close()


def test_a_missing_launchpad_file(run_texts, tmp_path: Path) -> None:
    result = run_with(run_texts, tmp_path, "-l", "missing.yaml")
    assert (result.status, result.out) == (1, "")
    assert result.err == (
        "Configuration error: Cannot read the launchpad file missing.yaml:"
        " No such file or directory\n"
    )
    assert not (tmp_path / ".texts" / "launchpad.json").exists()


def test_an_unreadable_launchpad_file(run_texts, tmp_path: Path) -> None:
    (tmp_path / "settings.yaml").mkdir()
    result = run_with(run_texts, tmp_path, "-l", "settings.yaml")
    assert_one_line_error(result, "Cannot read the launchpad file settings.yaml: Is a directory")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("host: [localhost\n", "The launchpad file bad.yaml is not valid: while parsing"),
        ("- localhost\n", "The launchpad file bad.yaml is not valid: Serialized object must"),
        ("port: 27017\n", "The launchpad file bad.yaml has no 'host' setting."),
    ],
)
def test_an_invalid_launchpad_file(run_texts, tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, "bad.yaml", text)
    assert_one_line_error(run_with(run_texts, tmp_path, "-l", "bad.yaml"), message)


def test_an_unreachable_server_is_reported_within_the_files_timeout(
    run_texts, tmp_path: Path
) -> None:
    port = closed_port()
    settings = (
        f"host: 127.0.0.1\nport: {port}\nmongoclient_kwargs:\n  serverSelectionTimeoutMS: 50\n"
    )
    write(tmp_path, "launchpad.yaml", settings)
    start = time.monotonic()
    result = run_with(run_texts, tmp_path, "-l", "launchpad.yaml")
    assert time.monotonic() - start < mongodb.SERVER_SELECTION_TIMEOUT_MS / 1000
    assert_one_line_error(
        result,
        f"The MongoDB of the launchpad file launchpad.yaml cannot be used: 127.0.0.1:{port}:",
    )
    assert "Connection refused" in result.err


def test_a_file_without_timeout_gets_a_short_one(run_texts, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(mongodb, "SERVER_SELECTION_TIMEOUT_MS", 50)
    write(tmp_path, "launchpad.yaml", f"host: 127.0.0.1\nport: {closed_port()}\n")
    start = time.monotonic()
    result = run_with(run_texts, tmp_path, "-l", "launchpad.yaml")
    assert time.monotonic() - start < 5  # pymongo's own default would wait 30 s
    assert_one_line_error(result, "The MongoDB of the launchpad file launchpad.yaml cannot be used")


def test_fireworks_configuration_names_the_database(run_texts, tmp_path, monkeypatch) -> None:
    configured = write(
        tmp_path,
        "my_launchpad.yaml",
        f"host: 127.0.0.1\nport: {closed_port()}\nmongoclient_kwargs:\n"
        "  serverSelectionTimeoutMS: 50\n",
    )
    location = LaunchpadLocation(str(configured), "named in a test")
    monkeypatch.setattr("texts.fireworks_config.launchpad_location", lambda: location)
    result = run_with(run_texts, tmp_path)
    assert_one_line_error(result, f"The MongoDB of the launchpad file {configured} cannot be used")


def test_without_any_configuration_the_embedded_store_is_used(run_texts, tmp_path) -> None:
    result = run_with(run_texts, tmp_path, "-r")
    assert result.out.endswith("program output: >>>\n1\n<<<\n")
    assert (tmp_path / ".texts" / "launchpad.json").exists()


def test_the_run_log_lives_in_the_database(run_texts, tmp_path, launchpad_file) -> None:
    model = write(tmp_path, "model.vm", "a = 2 [m]\nb = a * 3\nprint(b)\n")
    on_server = ("-l", str(launchpad_file))
    assert run_texts(str(model), "-m", "workflow", "-r", *on_server).status == 0
    assert run_texts(str(model), "-m", "instant", *on_server).status == 0
    listed = run_texts("runs", *on_server).out
    assert "| workflow | success |" in listed and "| instant  | success |" in listed
    answer = run_texts("log", "b", *on_server).out
    assert answer.startswith("b = 6 [meter]\n")
    assert run_texts("export", "-o", "records.jsonl", *on_server).status == 0
    assert not (tmp_path / ".texts").exists()  # nothing went to the working directory
    assert run_texts("import", "-i", "records.jsonl").status == 0
    assert run_texts("log", "b").out == answer
    assert run_texts("push", str(launchpad_file)).out == f"pushed 0 records to {launchpad_file}\n"


def test_the_newest_uses_of_a_file_are_the_same_on_the_server(
    run_texts, tmp_path, launchpad_file
) -> None:
    model = write(tmp_path, "model.vm", 'x = Quantity from file "x.json"\nprint(x)\n')
    on_server = ("-l", str(launchpad_file))
    for number in (1, 2, 3):
        write(tmp_path, "x.json", json.dumps(encode(quantity(number))))
        assert run_texts(str(model), *on_server).status == 0
    answer = run_texts("log", "x.json", "--limit", "2", *on_server).out
    assert answer.endswith("\n  and 1 older use (--all lists every one)\n")
    assert run_texts("export", "-o", "records.jsonl", *on_server).status == 0
    assert run_texts("import", "-i", "records.jsonl").status == 0
    assert run_texts("log", "x.json", "--limit", "2").out == answer
    assert (
        run_texts("log", "x.json", "--all").out
        == run_texts("log", "x.json", "--all", *on_server).out
    )


@pytest.mark.parametrize("on_server", [False, True], ids=["embedded", "mongodb"])
def test_runs_started_in_the_same_millisecond_are_listed_as_recorded(
    run_texts, tmp_path, request, monkeypatch, on_server: bool
) -> None:
    # every run starts at the same instant: only the order of recording tells them apart
    monkeypatch.setattr(runlog, "timestamp", lambda seconds=None: "2026-12-02T09:00:00.000+00:00")
    store = ("-l", str(request.getfixturevalue("launchpad_file"))) if on_server else ()
    names = ["first.vm", "second.vm", "third.vm", "fourth.vm", "fifth.vm"]
    for number, name in enumerate(names):
        model = write(tmp_path, name, f"x = {number}\nprint(x)\n")
        assert run_texts(str(model), *store).status == 0
    listing = run_texts("runs", *store).out.splitlines()[3:-1]
    assert [row.split("|")[7].strip() for row in listing] == names[::-1]
