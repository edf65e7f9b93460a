"""Reuse must never hand a node a value computed for other definitions or inputs.

A stored node redefined with ``:=``, or computed again with ``%rerun``, changes what it and
every node that uses it compute: each must then be known by the signature of its new
definitions and inputs, to duplicate detection (a later model with the old definitions
must not take the new values), to the result cache and to the run log.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from texts.cli.main import build_parser
from texts.cli.session import run_session
from texts.interpreter.units import quantity
from texts.serialization import encode

MODEL = "a = 2\nb = a * 3\nc = b + 1\nprint(c)\n"
HASH = re.compile(r"node:\s+([0-9a-f]{64})")


def output(result) -> str:
    """The program output of a run (between its markers)."""
    assert result.status == 0, result.err
    return result.out.split(">>>\n", 1)[1].split("<<<", 1)[0]


def uuid_of(result) -> str:
    return result.out.splitlines()[0].split()[-1]


def workflow(run_texts, path: Path, *options: str):
    return run_texts("script", "-f", str(path), "-m", "workflow", "-r", "--quiet", *options)


def log(run_texts, *query: str) -> str:
    result = run_texts("log", *query)
    assert result.status == 0, result.err
    return result.out


def node_hash(text: str) -> str:
    found = HASH.search(text)
    assert found is not None, text
    return found.group(1)


@pytest.fixture
def updated(run_texts, tmp_path: Path) -> tuple[str, str]:
    """The model run, then ``a := 5`` applied to it: (uuid, the first run's log of c)."""
    model = tmp_path / "m.vm"
    model.write_text(MODEL, encoding="utf-8")
    first = workflow(run_texts, model)
    assert output(first) == "7\n"
    before = log(run_texts, "c")
    update = tmp_path / "u.vm"
    update.write_text("a := 5\nprint(c)\n", encoding="utf-8")
    result = workflow(run_texts, update, "-u", uuid_of(first), "--verbose")
    assert output(result) == "16\n"
    assert result.err.splitlines() == [
        "a: computed (changed: definition)",
        "b: computed (changed: input a)",
        "c: computed (changed: input b)",
        "Nodes: 3 computed",
    ]
    return uuid_of(first), before


def test_a_model_with_the_old_definitions_does_not_take_the_updated_values(
    run_texts, tmp_path: Path, updated
) -> None:
    again = workflow(run_texts, tmp_path / "m.vm", "--verbose")
    assert output(again) == "7\n"
    assert "cached" not in again.err


def test_the_run_log_shows_the_values_hashes_and_files_an_update_used(run_texts, updated) -> None:
    _, before = updated
    after_c, after_a = log(run_texts, "c"), log(run_texts, "a")
    assert after_c.splitlines()[:3] == [
        "c = 16",
        "  definition: c = b + 1",
        "  where:      m.vm, line 3",
    ]
    assert after_a.splitlines()[:3] == [
        "a = 5",
        "  definition: a = 5",
        "  where:      u.vm, line 1",
    ]
    assert node_hash(after_c) != node_hash(before)
    assert "(success)" in after_c and "cached" not in after_c
    upstream = after_c.split("upstream:\n", 1)[1]
    assert "a = 5  (no inputs)" in upstream
    # the first run still answers with what it computed, under its own hashes
    first_run = before.split("run:", 1)[1].split()[0]
    assert log(run_texts, "c", "--run", first_run) == before
    assert before.startswith("c = 7\n")


def test_an_update_in_the_middle_of_a_chain_reruns_exactly_what_depends_on_it(
    run_texts, tmp_path: Path
) -> None:
    model = tmp_path / "chain.vm"
    model.write_text("a = 1\nb = a + 1\nc = b * 10\nd = c + a\nprint(d)\n", encoding="utf-8")
    first = workflow(run_texts, model)
    assert output(first) == "21\n"
    update = tmp_path / "update.vm"
    update.write_text("b := a + 2\nprint(a, b, c, d)\n", encoding="utf-8")
    result = workflow(run_texts, update, "-u", uuid_of(first), "--verbose")
    assert output(result) == "1 3 30 31\n"
    assert result.err.splitlines() == [
        "a: cached",  # computed by the first run, unchanged
        "b: computed (changed: definition)",
        "c: computed (changed: input b)",
        "d: computed (changed: input c)",
        "Nodes: 1 cached, 3 computed",
    ]
    again = workflow(run_texts, model, "--verbose")
    assert output(again) == "21\n"
    assert again.err.splitlines()[0] == "a: cached"  # a was not changed: it is reused
    assert "b: computed" in again.err and "d: computed" in again.err
    assert log(run_texts, "d").startswith("d = 21\n")


def test_an_update_may_call_a_function_of_its_own_input(run_texts, tmp_path: Path) -> None:
    model = tmp_path / "f.vm"
    model.write_text("f(x) = x * 2\na = 3\nb = f(a)\nc = b + 1\nprint(c)\n", encoding="utf-8")
    first = workflow(run_texts, model)
    assert output(first) == "7\n"
    update = tmp_path / "g.vm"
    update.write_text("g(x) = x * 10\nb := g(a)\nprint(c)\n", encoding="utf-8")
    assert output(workflow(run_texts, update, "-u", uuid_of(first))) == "31\n"
    assert output(workflow(run_texts, model)) == "7\n"
    assert log(run_texts, "b").splitlines()[:2] == ["b = 6", "  definition: b = f(a)"]


@pytest.mark.parametrize(
    "mode", [("instant",), ("deferred",), ("workflow", "-r")], ids=lambda mode: mode[0]
)
def test_a_redefined_function_is_computed_anew_and_the_old_one_is_not_forgotten(
    run_texts, tmp_path: Path, mode: tuple[str, ...]
) -> None:
    model = tmp_path / "m.vm"

    def run(body: str) -> str:
        model.write_text(f"f(x) = {body}\na = 2\nb = f(a) + 1\nprint(b)\n", encoding="utf-8")
        return output(run_texts("script", "-f", str(model), "-m", *mode))

    assert [run("x * 2"), run("x * 3"), run("x * 2")] == ["5\n", "7\n", "5\n"]
    assert log(run_texts, "b").startswith("b = 5\n")


def test_an_update_goes_to_every_model_of_a_vary_group(run_texts, tmp_path: Path) -> None:
    model = tmp_path / "v.vm"
    model.write_text("vary ((p: 1, 2))\na = 10\nb = a * p\nprint(b)\n", encoding="utf-8")
    first = workflow(run_texts, model)
    update = tmp_path / "u.vm"
    update.write_text("a := 100\nprint(b)\n", encoding="utf-8")
    assert output(workflow(run_texts, update, "-u", uuid_of(first))) == "100\n"
    more = tmp_path / "more.vm"
    more.write_text("vary ((p: 1, 2, 3))\nprint(b)\n", encoding="utf-8")
    assert output(workflow(run_texts, more, "-u", uuid_of(first))) == "100\n"
    single = tmp_path / "single.vm"
    for p, expected in ((2, "20\n"), (3, "30\n")):
        single.write_text(f"p = {p}\na = 10\nb = a * p\nprint(b)\n", encoding="utf-8")
        assert output(workflow(run_texts, single)) == expected


def write_quantity(path: Path, value: float) -> None:
    path.write_text(json.dumps(encode(quantity(value))), encoding="utf-8")


def test_rerun_in_a_session_signs_what_it_recomputes(run_texts, tmp_path: Path, capsys) -> None:
    data = tmp_path / "x.json"
    write_quantity(data, 1)
    lines = 'x = Quantity from file "x.json"\ny = x + 10\nprint(y)\n%rerun x\nprint(y)\n%exit\n'
    args = build_parser().parse_args(["session", "-r"])
    stdout = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        # the file changes between the first print and the rerun
        status = run_session(args, _ChangingFile(io.StringIO(lines), data, 3), stdout)
    capsys.readouterr()
    assert status == 0
    assert re.findall(r"Output > (\S+)", stdout.getvalue()) == ["11", "12"]
    # with the file as it was, a new model must compute 11 again, not take 12
    write_quantity(data, 1)
    model = tmp_path / "m.vm"
    model.write_text('x = Quantity from file "x.json"\ny = x + 10\nprint(y)\n', encoding="utf-8")
    assert output(workflow(run_texts, model)) == "11\n"


class _ChangingFile(io.TextIOBase):
    """Input lines that write a new value into a data file once ``after_line`` lines were
    read (as a user who edits the file in the middle of a session)."""

    def __init__(self, lines: io.StringIO, data: Path, after_line: int) -> None:
        self.lines = lines
        self.data = data
        self.after_line = after_line
        self.read_lines = 0

    def readline(self, size: int | None = -1) -> str:
        if self.read_lines == self.after_line:
            write_quantity(self.data, 2)
        self.read_lines += 1
        return self.lines.readline()


def test_an_update_in_a_session_is_not_reused_by_a_model_with_the_old_definition(
    run_texts, tmp_path: Path, capsys
) -> None:
    lines = f"{MODEL}a := 5\nprint(c)\n%exit\n"
    args = build_parser().parse_args(["session", "-r"])
    stdout = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        status = run_session(args, io.StringIO(lines), stdout)
    capsys.readouterr()
    assert status == 0
    assert re.findall(r"Output > (\S+)", stdout.getvalue()) == ["7", "16"]
    updated_c = log(run_texts, "c")
    assert updated_c.startswith("c = 16\n")
    assert "a = 5  (no inputs)" in updated_c.split("upstream:\n", 1)[1]
    model = tmp_path / "m.vm"
    model.write_text(MODEL, encoding="utf-8")
    again = workflow(run_texts, model, "--verbose")
    assert output(again) == "7\n"
    assert "cached" not in again.err
    new_c = log(run_texts, "c")
    assert new_c.splitlines()[:3] == [
        "c = 7",
        "  definition: c = b + 1",
        "  where:      m.vm, line 3",
    ]
    assert node_hash(new_c) != node_hash(updated_c)
    assert "a = 2  (no inputs)" in new_c.split("upstream:\n", 1)[1]
