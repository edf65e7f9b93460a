"""``texts models`` lists, shows and removes stored models; ``texts script -u UUID
--retry-failed`` runs a model's failed nodes again; reading commands create nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pexpect

UUID = re.compile(r"[0-9a-f]{32}")
FLAKY = """\
from pathlib import Path


def measure(x):
    if not Path(__file__).with_name("instrument.ready").exists():
        raise RuntimeError("the instrument is not ready")
    return x * 2
"""


def stored(texts, tmp_path: Path, text: str, *options: str) -> str:
    (tmp_path / "model.vm").write_text(text, encoding="utf-8")
    result = texts("model.vm", "-m", "workflow", "-r", "--quiet", *options)
    return UUID.search(result.stdout).group()


def test_list_and_show(texts, tmp_path) -> None:
    uuid = stored(texts, tmp_path, "tag {project: 'alpha'}\na = 1\nb = a + 1\nc = b / 0\n")
    listed = texts("models")
    assert listed.returncode == 0
    row = next(line for line in listed.stdout.splitlines() if uuid in line)
    assert "| model.vm " in row  # relative to the working directory it lies in
    assert "project: 'alpha'" in row
    assert "2 COMPLETED, 1 FIZZLED" in row
    shown = texts("models", "show", uuid[:8])  # a unique prefix is enough
    assert shown.returncode == 0
    assert f"model UUID: {uuid}" in shown.stdout
    assert "\nfile: model.vm\n" in shown.stdout
    assert "| COMPLETED | b = a + 1" in shown.stdout
    assert "| FIZZLED   | c = b / 0" in shown.stdout
    assert f"failed: c (run them again: texts script -u {uuid} --retry-failed)" in shown.stdout
    unknown = texts("models", "show", "abc123")
    assert unknown.returncode == 1
    assert unknown.stderr == "Model not found: uuid abc123: texts models list shows the models\n"


def test_the_model_file_is_named_without_relative_parts(texts, tmp_path) -> None:
    (tmp_path / "model.vm").write_text("a = 1\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = texts("../model.vm", "-m", "workflow", "--quiet", cwd=elsewhere)
    assert run.returncode == 0, run.stderr
    listed = texts("models", cwd=elsewhere).stdout
    assert f"| {tmp_path / 'model.vm'} " in listed
    assert ".." not in listed


def test_remove_asks_first(texts, terminal, tmp_path) -> None:
    uuid = stored(texts, tmp_path, "a = 1\n")
    refused = texts("models", "remove", uuid)  # not a terminal: no answer can be given
    assert refused.returncode == 1 and "add --yes" in refused.stderr
    asked = terminal("models", "remove", uuid)
    asked.expect(rf"Remove model {uuid} and its 1 nodes\? \[y/N\] ")
    asked.sendline("n")
    asked.expect("Nothing removed.")
    asked.expect(pexpect.EOF)
    assert uuid in texts("models").stdout
    asked = terminal("models", "remove", uuid)
    asked.expect(r"\[y/N\] ")
    asked.sendline("y")
    asked.expect(f"Removed model {uuid}")
    asked.expect(pexpect.EOF)
    assert texts("models").stdout == "No models in the store.\n"
    other = stored(texts, tmp_path, "b = 2\n")
    assert texts("models", "remove", other, "--yes").stdout == f"Removed model {other} (1 nodes).\n"


def test_reading_commands_create_nothing_where_there_is_no_store(texts, tmp_path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert (
        texts("models", cwd=empty).stdout
        == "No models: there is no texts store in this directory.\n"
    )
    collected = texts("datastore", "gc", "--dry-run", cwd=empty)
    assert collected.returncode == 0
    assert collected.stdout.endswith("would remove 0 unreferenced files, 0 bytes\n")
    assert texts("runs", cwd=empty).returncode == 0
    assert list(empty.iterdir()) == []


def test_retry_failed_runs_the_failed_nodes_again(texts, tmp_path) -> None:
    (tmp_path / "flaky.py").write_text(FLAKY, encoding="utf-8")
    uuid = stored(texts, tmp_path, "use flaky.measure\na = measure(21)\nb = a + 0\nprint(b)\n")
    assert "| FIZZLED   | a = measure(21)" in texts("models", "show", uuid).stdout
    (tmp_path / "instrument.ready").write_text("", encoding="utf-8")
    retried = texts("script", "-u", uuid, "--retry-failed", "--verbose", "--quiet")
    assert retried.returncode == 0, retried.stderr
    assert retried.stdout == f"program UUID: {uuid}\nprogram output: >>>\n\n<<<\n"
    assert retried.stderr.splitlines() == [
        "Failed nodes to run again: a",
        "a: computed (rerun)",
        "b: computed (resumed)",
        "Nodes: 2 computed",
    ]
    (tmp_path / "more.vm").write_text("print(b)\n", encoding="utf-8")
    shown = texts("more.vm", "-u", uuid, "-m", "workflow", "--quiet")
    assert shown.stdout.splitlines()[2] == "42"
