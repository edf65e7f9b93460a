"""Defects a new user hit, each shown as the user meets it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UUID = re.compile(r"[0-9a-f]{32}")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_module_beside_the_model_is_found_from_any_directory(texts, tmp_path) -> None:
    write(tmp_path / "project" / "helpers.py", "def double(x):\n    return 2 * x\n")
    model = write(tmp_path / "project" / "model.vm", "use helpers.double\nprint(double(21))\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for mode in ("instant", "workflow"):
        result = texts(
            str(model), "-m", mode, "-r" if mode == "workflow" else "-w", "--quiet", cwd=elsewhere
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-2] == "42", mode


def test_a_missing_module_error_says_where_it_looked(texts, tmp_path) -> None:
    model = write(tmp_path / "project" / "model.vm", "use helpers.double\nprint(double(2))\n")
    result = texts(str(model))
    assert result.returncode == 1
    assert result.stderr.splitlines()[:3] == [
        f"Import error: {model}:1:13 --> double <--",
        'Object could not be imported: "helpers.double"',
        f'No module "helpers" in {model.parent}, {tmp_path} or the installed packages',
    ]


def test_errors_point_at_the_line_and_name_no_internal_class(texts, tmp_path) -> None:
    model = write(tmp_path / "model.vm", "alpha = 1\nbeta = 2\nd = alhpa + beta\nprint(d)\n")
    result = texts(str(model))
    assert result.returncode == 1
    assert result.stderr == (
        f"Unknown object: {model}:3:5\n"
        'Unknown name "alhpa"\n'
        "hint: did you mean 'alpha'?\n"
        "    3 | d = alhpa + beta\n"
        "      |     ^^^^^\n"
    )
    assert "OBJECT" not in result.stderr and "Function" not in result.stderr
    call = write(tmp_path / "call.vm", "print(nofunc(1))\n")
    assert texts(str(call)).stderr.splitlines()[1] == 'Unknown function "nofunc"'


def test_a_syntax_error_shows_only_its_own_line(texts, tmp_path) -> None:
    model = write(tmp_path / "model.vm", "a = 1\nb = (a +\n]\nprint(a * )\n")
    result = texts(str(model))
    lines = result.stderr.splitlines()
    assert lines[0] == f"Syntax error: {model}:3:1 --> *] <--"
    assert lines[-2:] == ["    3 | ]", "      | ^"]


def test_session_errors_name_the_input_and_never_glue_lines(texts) -> None:
    shown = texts("session", stdin="c = 2 [m]\nd = c +* 1\ne = c + 1 [s]\n%exit\n")
    errors = shown.stderr.splitlines()[1:]
    assert errors[0] == "Syntax error: <input 2>:1:8 --> d = c +** 1 <--"  # * marks the place
    assert errors[2:4] == ["    1 | d = c +* 1", "      |        ^"]
    assert errors[4] == "Dimensionality error: <input 3>:1:5 --> c + 1 [s] <--"
    assert errors[6:] == ["    1 | e = c + 1 [s]", "      |     ^^^^^^^^^"]


def test_verbose_lists_every_node_of_a_workflow_run_with_its_reason(run_texts, tmp_path):
    model = write(tmp_path / "model.vm", "a = 5\nb = a + 1\nc = b * 2\nunrelated = 1\n")
    first = run_texts(str(model), "-m", "workflow", "--quiet")  # stored, not computed
    uuid = UUID.search(first.out).group()
    resumed = run_texts("script", "-u", uuid, "-r", "--verbose", "--quiet")
    assert resumed.err.splitlines()[-1] == "Nodes: 4 computed"
    assert "a: computed (resumed)" in resumed.err
    write(tmp_path / "update.vm", "a := 7\nprint(c)\n")
    updated = run_texts("update.vm", "-m", "workflow", "-u", uuid, "-r", "--verbose", "--quiet")
    assert updated.out.splitlines()[2] == "16"
    assert updated.err.splitlines() == [
        "a: computed (changed: definition)",
        "b: computed (changed: input a)",
        "c: computed (changed: input b)",
        "unrelated: cached",
        "Nodes: 1 cached, 3 computed",
    ]


EXPORT = "a = {value}\nprint(a)\na to file 'out.json'\n"
EXECUTORS = {
    "instant": (),
    "deferred": ("-m", "deferred"),
    "workflow": ("-m", "workflow", "-r", "--quiet"),  # each run stores a new model
}
"""The export rules are the same in every mode: what textS wrote is known from the run
log (and the instant and deferred executors' result cache)."""


@pytest.mark.parametrize("executor", EXECUTORS)
@pytest.mark.parametrize("mode", ["default", "force", "ignore"])
def test_an_export_file_textS_wrote_is_rewritten_with_the_new_value(
    mode, executor, run_texts, tmp_path
) -> None:
    model = write(tmp_path / "model.vm", EXPORT.format(value=1))
    assert run_texts(str(model), *EXECUTORS[executor]).status == 0
    written = (tmp_path / "out.json").read_text()
    write(model, EXPORT.format(value=2))
    again = run_texts(str(model), *EXECUTORS[executor], "--signature", mode)
    assert (again.status, again.err) == (0, "")
    assert (tmp_path / "out.json").read_text() == written.replace("[1,", "[2,")
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".out")] == []


@pytest.mark.parametrize("executor", EXECUTORS)
def test_an_edited_export_file_is_never_overwritten_silently(executor, run_texts, tmp_path) -> None:
    model = write(tmp_path / "model.vm", EXPORT.format(value=1))
    run_texts(str(model), *EXECUTORS[executor])
    (tmp_path / "out.json").write_text("edited by hand", encoding="utf-8")
    refused = run_texts(str(model), *EXECUTORS[executor])
    assert refused.status == 1
    assert refused.err.splitlines()[1] == (
        "the file 'out.json' was edited since it was recorded: textS does not overwrite it "
        "(remove it, or run with --signature force to write it anew)"
    )
    assert (tmp_path / "out.json").read_text() == "edited by hand"
    assert run_texts(str(model), *EXECUTORS[executor], "--signature", "force").status == 0
    assert (tmp_path / "out.json").read_text() != "edited by hand"


@pytest.mark.parametrize("executor", EXECUTORS)
def test_a_file_textS_did_not_write_is_never_overwritten(executor, run_texts, tmp_path) -> None:
    write(tmp_path / "out.json", "someone else's")
    model = write(tmp_path / "model.vm", EXPORT.format(value=1))
    for mode in ("default", "force", "ignore"):
        refused = run_texts(str(model), *EXECUTORS[executor], "--signature", mode)
        assert refused.status == 1
        assert refused.err.splitlines()[2] == (
            "textS did not write this file and never overwrites it: remove it or export to "
            "another file"
        )
    assert (tmp_path / "out.json").read_text() == "someone else's"


def test_a_workflow_export_in_rocket_processes_follows_the_same_rules(texts, tmp_path) -> None:
    model = write(tmp_path / "model.vm", EXPORT.format(value=1))
    parallel = ("-m", "workflow", "-r", "-j", "2", "--quiet")
    first = texts(str(model), *parallel)
    assert first.returncode == 0, first.stderr
    (tmp_path / "out.json").write_text("edited by hand", encoding="utf-8")
    refused = texts(str(model), *parallel)
    assert refused.returncode == 1
    assert "was edited since it was recorded" in refused.stderr
    assert texts(str(model), *parallel, "--signature", "ignore").returncode == 0
    assert (tmp_path / "out.json").read_text().startswith('{"data": [1,')


@pytest.mark.parametrize(
    ("first", "then"), [("workflow", "instant"), ("instant", "workflow"), ("deferred", "instant")]
)
def test_a_file_written_in_one_mode_is_rewritten_in_another(first, then, run_texts, tmp_path):
    model = write(tmp_path / "model.vm", EXPORT.format(value=1))
    assert run_texts(str(model), *EXECUTORS[then]).status == 0
    write(model, EXPORT.format(value=2))
    assert run_texts(str(model), *EXECUTORS[first]).status == 0
    write(model, EXPORT.format(value=1))  # the first value again: its cache entry is old
    again = run_texts(str(model), *EXECUTORS[then])
    assert (again.status, again.err) == (0, "")
    assert (tmp_path / "out.json").read_text().startswith('{"data": [1,')
    (tmp_path / "out.json").write_text("edited by hand", encoding="utf-8")
    assert run_texts(str(model), *EXECUTORS[first]).status == 1
    assert (tmp_path / "out.json").read_text() == "edited by hand"


def test_tag_and_state_magics_do_what_help_says_and_confirm(texts) -> None:
    lines = "x = 1\n%tag {project: 'alpha'}\n%find {tags: {'~project': 'alpha'}}\n%rerun x\n%exit\n"
    shown = texts("session", "-r", stdin=lines)
    assert shown.returncode == 0, shown.stderr
    assert re.search(r"Tagged model [0-9a-f]{32}:\n\(\(project: 'alpha'\)\)", shown.stdout)
    assert "project: 'alpha'" in shown.stdout.split("Model UUID")[1]  # found by the tag
    assert "To be evaluated again (with what depends on them): x" in shown.stdout


def test_vary_shows_every_model_of_the_group(run_texts, tmp_path) -> None:
    model = write(tmp_path / "model.vm", "vary ((n: 1, 2, 3))\nsq = n * n\nprint(sq)\n")
    result = run_texts(str(model), "-m", "workflow", "-r", "--quiet")
    lines = result.out.splitlines()
    assert lines[1:4] == ["program output: >>>", "1", "<<<"]
    assert lines[4] == "vary group of 3 models:"
    rows = [re.sub(r"[0-9a-f]{32}", "UUID", line) for line in lines[8:11]]
    assert rows == ["| 1 | UUID | 1      |", "| 2 | UUID | 4      |", "| 3 | UUID | 9      |"]
    runs = run_texts("runs").out
    uuids = set(UUID.findall(result.out))
    assert len(uuids) == 3 and all(uuid in runs for uuid in uuids)


def test_show_model_says_what_it_wrote(tmp_path, user_environment) -> None:
    model = write(tmp_path / "model.vm", "a = 1\nb = a + 1\nprint(b)\n")
    bare = tmp_path / "bin"
    bare.mkdir()
    env = dict(user_environment, PATH=str(bare))  # no Graphviz on this PATH
    run = subprocess.run(
        [sys.executable, "-m", "texts", str(model), "--show-model"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (run.returncode, run.stdout) == (0, "")
    assert run.stderr.startswith("Wrote model.dot (the model was not run).")
    assert "dot -Tsvg model.dot -o model.svg" in run.stderr
    assert "s0 -> s1;" in (tmp_path / "model.dot").read_text()


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_show_model_draws_the_graph_with_graphviz(texts, tmp_path) -> None:
    model = write(tmp_path / "model.vm", "a = 1\nb = a + 1\nprint(b)\n")
    result = texts(str(model), "--show-model")
    assert result.stderr == (  # named from the working directory
        "Wrote model.dot, model.svg and model.png (the model was not run).\n"
    )
    assert (tmp_path / "model.svg").read_text().lstrip().startswith("<?xml")
    assert (tmp_path / "model.png").read_bytes()[:4] == b"\x89PNG"
