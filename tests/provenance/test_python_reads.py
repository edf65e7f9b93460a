"""Files that imported Python functions open are inputs of the node that calls them.

Editing such a file computes the node (and what uses it) again, with ``--verbose`` saying
why; a run with the files as they were reuses what was computed from them; and the run log
lists each read, in every executor.
"""

from __future__ import annotations

from pathlib import Path

import pytest

READER = '''
def total(path):
    """The sum of the numbers of a text file."""
    with open(path) as stream:
        return sum(float(word) for word in stream.read().split())
'''


def output(result) -> str:
    assert result.status == 0, result.err
    return result.out.split(">>>\n", 1)[1].split("<<<", 1)[0]


@pytest.fixture
def model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request) -> Path:
    """A model whose x calls a function of the user's module that reads data.txt (the
    module's name is the test's own: a module stays imported for the test session)."""
    module = f"reader_{abs(hash(request.node.nodeid))}"
    (tmp_path / f"{module}.py").write_text(READER, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "data.txt").write_text("1 2 3\n", encoding="utf-8")
    path = tmp_path / "m.vm"
    path.write_text(
        f"use total from {module}\nx = total('data.txt')\ny = x * 2\nprint(y)\n", encoding="utf-8"
    )
    return path


def file_uses(run_texts) -> list[str]:
    """``texts log --files`` without the hashes: mode and path of each recorded use."""
    result = run_texts("log", "--files")
    assert result.status == 0, result.err
    return [f"{line.split()[0]} {Path(line.split()[-1]).name}" for line in result.out.splitlines()]


@pytest.mark.parametrize("mode", ["instant", "deferred"])
def test_editing_a_file_a_python_function_read_recomputes_the_node(
    run_texts, model: Path, mode: str
) -> None:
    def run() -> tuple[str, list[str]]:
        result = run_texts(str(model), "-m", mode, "--verbose")
        return output(result), result.err.splitlines()

    assert run() == ("12.0\n", ["x: computed (new)", "y: computed (new)", "Nodes: 2 computed"])
    assert run() == ("12.0\n", ["y: cached", "Nodes: 1 cached"])
    (model.parent / "data.txt").write_text("1 2 4\n", encoding="utf-8")
    assert run() == (
        "14.0\n",
        [
            "x: computed (changed: file data.txt)",
            "y: computed (changed: input x)",
            "Nodes: 2 computed",
        ],
    )
    # the files as they were: what was computed from them is reused
    (model.parent / "data.txt").write_text("1 2 3\n", encoding="utf-8")
    assert run() == ("12.0\n", ["y: cached", "Nodes: 1 cached"])
    # the module and the libraries it imports are not data: only data.txt is listed
    assert file_uses(run_texts) == ["r data.txt", "r data.txt"]
    log = run_texts("log", str(model.parent / "data.txt"))
    assert log.status == 0, log.err
    lines = log.out.splitlines()
    assert lines[0] == "data.txt"  # relative to the working directory it lies in
    assert len(lines) == 3 and all(line.startswith("  read by x [") for line in lines[1:])
    assert all(f"({mode}, " in line for line in lines[1:])


def test_a_workflow_model_reuses_a_node_only_with_the_files_its_python_code_read(
    run_texts, model: Path
) -> None:
    def run() -> tuple[str, list[str]]:
        result = run_texts(str(model), "-m", "workflow", "-r", "--quiet", "--verbose")
        return output(result), result.err.splitlines()

    computed = ["x: computed (new)", "y: computed (new)", "Nodes: 2 computed"]
    cached = ["x: cached", "y: cached", "Nodes: 2 cached"]
    assert run() == ("12.0\n", computed)
    assert run() == ("12.0\n", cached)
    (model.parent / "data.txt").write_text("1 2 4\n", encoding="utf-8")
    assert run() == ("14.0\n", computed)
    assert run() == ("14.0\n", cached)
    (model.parent / "data.txt").write_text("1 2 3\n", encoding="utf-8")
    assert run() == ("12.0\n", cached)
    log = run_texts("log", "x")
    assert log.status == 0, log.err
    assert "r " in log.out and "data.txt" in log.out
    assert file_uses(run_texts) == ["r data.txt", "r data.txt"]


def test_pandas_and_numpy_readers_are_seen(run_texts, tmp_path: Path) -> None:
    (tmp_path / "table.csv").write_text("a,b\n1,2\n3,4\n", encoding="utf-8")
    (tmp_path / "column.txt").write_text("5\n6\n", encoding="utf-8")
    model = tmp_path / "m.vm"
    model.write_text(
        "use read_csv from pandas\nuse loadtxt from numpy\n"
        "t = read_csv('table.csv')\nv = loadtxt('column.txt')\nprint(t.b, v)\n",
        encoding="utf-8",
    )
    assert output(run_texts(str(model))) == "(b: 2, 4) [5.0, 6.0]\n"
    assert sorted(file_uses(run_texts)) == ["r column.txt", "r table.csv"]
    (tmp_path / "table.csv").write_text("a,b\n1,2\n3,5\n", encoding="utf-8")
    result = run_texts(str(model), "--verbose")
    assert output(result) == "(b: 2, 5) [5.0, 6.0]\n"
    assert "t: computed (changed: file table.csv)" in result.err.splitlines()
