"""The result cache as users see it: what a rerun reuses, what it recomputes and why."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from texts.interpreter.units import quantity
from texts.serialization import encode

COUNTER = """
def tick(x):
    with open("ticks.log", "a") as log:
        log.write(f"{x.magnitude}\\n")
    return x * FACTOR

FACTOR = 10
"""


@pytest.fixture
def counter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A module of this test only whose ``tick`` logs every call to ``ticks.log``."""
    name = f"counter_{abs(hash(tmp_path)) % 10**8}"
    (tmp_path / f"{name}.py").write_text(COUNTER, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return name


def ticks(tmp_path: Path) -> list[str]:
    log = tmp_path / "ticks.log"
    return log.read_text(encoding="utf-8").split() if log.exists() else []


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "model.vm"
    path.write_text(text, encoding="utf-8")
    return path


def summary(result) -> list[str]:
    """What ``--verbose`` said (after the workflow mode's model UUID)."""
    return [line for line in result.err.splitlines() if not line.startswith("Model UUID: ")]


@pytest.mark.parametrize("mode", ["instant", "deferred"])
def test_an_unchanged_model_computes_nothing(mode, run_texts, tmp_path, counter) -> None:
    model = write(tmp_path, f"use tick from {counter}\na = 2\nb = tick(a)\nc = b + 1\nprint(c)\n")
    first = run_texts(str(model), "-m", mode, "--verbose")
    assert first.out == "program output: >>>\n21\n<<<\n"
    assert summary(first)[-1] == "Nodes: 3 computed"
    again = run_texts(str(model), "-m", mode, "--verbose")
    assert again.out == first.out
    assert summary(again)[-1] == "Nodes: 1 cached"  # only the printed value is read
    assert ticks(tmp_path) == ["2"]


THREE_LEVELS = "a = 1\nb = 2\nc = a + 1\nd = b + 1\ne = c + d\nf = d * 2\nprint(e, f)\n"


@pytest.mark.parametrize("mode", ["instant", "deferred"])
def test_a_changed_leaf_recomputes_exactly_its_dependants(mode, run_texts, tmp_path) -> None:
    model = write(tmp_path, THREE_LEVELS)
    run_texts(str(model), "-m", mode)
    write(tmp_path, THREE_LEVELS.replace("a = 1", "a = 5"))
    result = run_texts(str(model), "-m", mode, "--verbose")
    assert result.out == "program output: >>>\n9 6\n<<<\n"
    lines = summary(result)
    assert sorted(line for line in lines if ": computed" in line) == [
        "a: computed (changed: definition)",
        "c: computed (changed: input a)",
        "e: computed (changed: input c)",
    ]
    assert "f: cached" in lines and lines[-1].endswith("3 computed")


def test_layout_comments_and_order_do_not_matter(run_texts, tmp_path) -> None:
    model = write(tmp_path, THREE_LEVELS)
    run_texts(str(model))
    reordered = "print(e, f)\nf = d*2   # doubled\n\ne = c+d\nd = b+1\nc = a+1\nb = 2\na = 1\n"
    write(tmp_path, reordered)
    result = run_texts(str(model), "--verbose")
    assert sorted(summary(result)) == ["Nodes: 2 cached", "e: cached", "f: cached"]


def test_a_changed_data_file_recomputes_its_readers(run_texts, tmp_path) -> None:
    def store(number: int) -> None:
        value = json.dumps(encode(quantity(number)))
        (tmp_path / "data.json").write_text(value, encoding="utf-8")

    store(2)
    model = write(tmp_path, 'd = Quantity from file "data.json"\nx = d * 3\nprint(x)\n')
    assert run_texts(str(model)).out == "program output: >>>\n6\n<<<\n"
    store(5)
    result = run_texts(str(model), "--verbose")
    assert result.out == "program output: >>>\n15\n<<<\n"
    assert "d: computed (changed: file data.json)" in summary(result)


def test_a_changed_imported_function_is_not_mistaken_for_the_old_one(tmp_path) -> None:
    (tmp_path / "probe.py").write_text(COUNTER, encoding="utf-8")
    write(tmp_path, "use tick from probe\nb = tick(3)\nprint(b)\n")

    def run() -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "texts", "model.vm", "--verbose"]
        environment = {"PYTHONPATH": str(tmp_path), "PATH": ""}
        return subprocess.run(
            command, cwd=tmp_path, capture_output=True, text=True, env=environment, check=False
        )

    assert run().stdout == "program output: >>>\n30\n<<<\n"
    (tmp_path / "probe.py").write_text(COUNTER.replace("= 10", "= 1000"), encoding="utf-8")
    changed = run()
    assert changed.stdout == "program output: >>>\n3000\n<<<\n"
    assert "b: computed (changed: import tick)" in changed.stderr


def test_signature_modes(run_texts, tmp_path, counter) -> None:
    model = write(
        tmp_path,
        f"use tick from {counter}\nb = tick(4)\nb to file 'b.json'\nprint(b)\n",
    )
    ignored = run_texts(str(model), "--signature", "ignore", "--verbose")
    assert summary(ignored)[-1] == "Nodes: 2 computed"
    with sqlite3.connect(tmp_path / ".texts" / "texts.db") as database:
        assert database.execute("SELECT count(*) FROM cache").fetchone() == (0,)
    (tmp_path / "b.json").unlink()
    run_texts(str(model))
    assert ticks(tmp_path) == ["4", "4"]
    (tmp_path / "b.json").unlink()
    forced = run_texts(str(model), "--signature", "force", "--verbose")
    assert summary(forced) == [
        "b: computed (forced)",
        "b.json (export): computed (forced)",
        "Nodes: 2 computed",
    ]
    (tmp_path / "b.json").write_text("[1]", encoding="utf-8")  # edited since it was written
    checked = run_texts(str(model), "--signature", "assert")
    assert (checked.status, checked.out) == (1, "")
    assert checked.err == (
        f"Signature error: {model}:3:1 --> b to file 'b.json' <--\n"
        "the file 'b.json' written by this export was edited since it was recorded\n"
        "    3 | b to file 'b.json'\n"
        "      | ^^^^^^^^^^^^^^^^^^\n"
    )
    assert ticks(tmp_path) == ["4", "4", "4"]


def test_build_records_outputs_made_elsewhere(run_texts, tmp_path) -> None:
    (tmp_path / "b.json").write_text('{"made": "elsewhere"}', encoding="utf-8")
    model = write(tmp_path, "b = 4\nb to file 'b.json'\n")
    built = run_texts(str(model), "--signature", "build", "--verbose")
    assert (built.status, summary(built)) == (0, ["b.json (export): recorded", "Nodes: 1 recorded"])
    assert (tmp_path / "b.json").read_text(encoding="utf-8") == '{"made": "elsewhere"}'
    checked = run_texts(str(model), "--signature", "assert", "--verbose")
    assert (checked.status, summary(checked)) == (0, ["b.json (export): cached", "Nodes: 1 cached"])


def test_workflow_mode_reuses_completed_nodes_of_any_model(run_texts, tmp_path, counter) -> None:
    model = write(tmp_path, f"use tick from {counter}\nb = tick(7)\nc = b + 1\nprint(c)\n")
    first = run_texts(str(model), "-m", "workflow", "-r", "--verbose")
    second = run_texts(str(model), "-m", "workflow", "-r", "--verbose")
    assert first.out.split()[2] != second.out.split()[2]  # two models
    assert summary(first) == ["b: computed (new)", "c: computed (new)", "Nodes: 2 computed"]
    assert summary(second) == ["b: cached", "c: cached", "Nodes: 2 cached"]
    assert first.out.partition("\n")[2] == second.out.partition("\n")[2]
    assert ticks(tmp_path) == ["7"]
    third = run_texts(str(model), "-m", "workflow", "-r", "--no-duplicate-detection")
    assert third.out.partition("\n")[2] == "program output: >>>\n71\n<<<\n"
    assert ticks(tmp_path) == ["7", "7"]


def test_workflow_mode_recomputes_exactly_the_dependants_of_a_change(run_texts, tmp_path) -> None:
    model = write(tmp_path, THREE_LEVELS)
    run_texts(str(model), "-m", "workflow", "-r")
    write(tmp_path, THREE_LEVELS.replace("a = 1", "a = 5"))
    result = run_texts(str(model), "-m", "workflow", "-r", "--verbose")
    assert result.out.partition("\n")[2] == "program output: >>>\n9 6\n<<<\n"
    assert sorted(summary(result)) == [
        "Nodes: 3 cached, 3 computed",
        "a: computed (new)",
        "b: cached",
        "c: computed (new)",
        "d: cached",
        "e: computed (new)",
        "f: cached",
    ]


def test_large_cached_values_go_to_the_datastore(run_texts, tmp_path, monkeypatch) -> None:
    store = tmp_path / "store"
    config = tmp_path / "datastore.yaml"
    config.write_text(f"inline-threshold: 10\npath: {store}\n", encoding="utf-8")
    monkeypatch.setenv("DATASTORE_CONFIG", str(config))
    numbers = ", ".join(str(number) for number in range(200))  # larger than a record
    model = write(tmp_path, f"s = (s: {numbers}) [m]\nt = map((x: x * 2), s)\nprint(t)\n")
    first = run_texts(str(model))
    files = sorted(path.name for path in store.iterdir())
    assert len(files) == 2  # s and t, each under its content hash
    again = run_texts(str(model), "--verbose")
    assert (again.out, summary(again)) == (first.out, ["t: cached", "Nodes: 1 cached"])
    for path in store.iterdir():  # a value removed from the datastore is computed again
        path.unlink()
    lost = run_texts(str(model), "--verbose")
    assert lost.out == first.out
    assert "t: computed (not in the cache)" in summary(lost)
