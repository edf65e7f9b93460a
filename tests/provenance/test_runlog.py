"""The run log as users see it: ``texts runs`` and ``texts log`` after real runs that read
and write files, in every executor."""

from __future__ import annotations

import hashlib
import io
import json
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from texts.cli.main import build_parser
from texts.cli.session import run_session
from texts.interpreter.units import quantity
from texts.serialization import encode

MODEL = """\
tag {project: 'demo'}
x = Quantity from file "x.json"
y = x * 2
z = y + x
print(z)
z to file 'out.json'
"""
EXECUTORS = (
    ("instant",),
    ("deferred",),
    ("workflow", "--autorun"),
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def model(tmp_path: Path) -> Path:
    (tmp_path / "x.json").write_text(json.dumps(encode(quantity(3))), encoding="utf-8")
    path = tmp_path / "model.vm"
    path.write_text(MODEL, encoding="utf-8")
    return path


def runs(run_texts, *args: str) -> list[list[str]]:
    """The rows of the ``texts runs`` table."""
    result = run_texts("runs", *args)
    assert result.status == 0, result.err
    return [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in result.out.splitlines()[3:-1]
    ]


def without_groups(listing: str) -> str:
    """A ``texts runs`` answer without its group column: the group is read from the
    workflow store, which an import of run records does not bring."""
    lines = listing.split("\n")
    return "\n".join(
        line[: line.rstrip("|+").rfind(line[0]) + 1] if line[:1] in ("|", "+") else line
        for line in lines
    )


@pytest.mark.parametrize("mode", EXECUTORS, ids=lambda mode: mode[0])
def test_a_run_is_listed_with_its_nodes(run_texts, model: Path, mode: tuple[str, ...]) -> None:
    assert run_texts(str(model), "-m", *mode).status == 0
    [row] = runs(run_texts)
    run_id, _, executor, status, nodes, cached, name, uuid, group = row
    assert (executor, status, nodes, cached, name) == (mode[0], "success", "4", "no", "model.vm")
    assert (uuid != "", group != "") == (mode[0] == "workflow",) * 2  # a stored model's
    shown = run_texts("runs", run_id[:6])
    assert shown.status == 0
    assert "status:     success" in shown.out
    assert "tag:        project: demo" in shown.out
    statuses = re.findall(r"^\| (\S+) +\| (\w+) +\| (\w+) +\| (\d+)", shown.out, re.MULTILINE)
    assert sorted(statuses) == [
        ("export:0", "success", "no", "1"),
        ("x", "success", "no", "1"),
        ("y", "success", "no", "1"),
        ("z", "success", "no", "1"),
    ]


@pytest.mark.parametrize("mode", EXECUTORS, ids=lambda mode: mode[0])
def test_log_shows_value_definition_and_upstream_down_to_files(
    run_texts, model: Path, tmp_path: Path, mode: tuple[str, ...]
) -> None:
    run_texts(str(model), "-m", *mode)
    result = run_texts("log", "z")
    assert result.status == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "z = 9"
    assert "  definition: z = y + x" in lines
    assert "  where:      model.vm, line 4" in lines
    upstream = lines[lines.index("upstream:") + 1 :]
    digest = sha256(tmp_path / "x.json")[:12]
    assert [re.sub(r"\[\w+\] ", "", line) for line in upstream] == [
        "  z z = y + x",
        '    x x = Quantity from file "x.json"  (no inputs)',
        f"      r {digest} x.json",  # relative to the working directory it lies in
        "    y y = x * 2",
        "      x (shown above)",
    ]


@pytest.mark.parametrize("mode", EXECUTORS, ids=lambda mode: mode[0])
def test_files_are_listed_with_hashes_and_traced_to_their_nodes(
    run_texts, model: Path, tmp_path: Path, mode: tuple[str, ...]
) -> None:
    run_texts(str(model), "-m", *mode)
    [row] = runs(run_texts)
    listed = run_texts("log", "--files").out.splitlines()
    data, out = tmp_path / "x.json", tmp_path / "out.json"
    assert listed == [f"w {sha256(out)[:12]} out.json", f"r {sha256(data)[:12]} x.json"]
    written = run_texts("log", "out.json").out.splitlines()
    assert written[0] == "out.json"
    assert written[1].startswith("  written by export:0 [")
    assert f"in run {row[0]}" in written[1]
    read = run_texts("log", str(data)).out.splitlines()
    assert read[1].startswith("  read by x [") and read[1].endswith(sha256(data)[:12])


def read_three_times(run_texts, model: Path) -> list[str]:
    """Three runs, each reading another x.json; their run ids, oldest first."""
    for number in (3, 4, 5):
        (model.parent / "x.json").write_text(json.dumps(encode(quantity(number))))
        (model.parent / "out.json").unlink(missing_ok=True)
        assert run_texts(str(model)).status == 0
    return [row[0] for row in reversed(runs(run_texts))]


def test_log_of_a_file_lists_its_newest_uses_and_counts_the_rest(
    run_texts, model: Path, tmp_path: Path
) -> None:
    """A file read by every run has a use per run: the answer shows the newest ones."""
    first, second, third = read_three_times(run_texts, model)
    shown = run_texts("log", "x.json", "--limit", "2")
    assert shown.status == 0, shown.err
    lines = shown.out.splitlines()
    assert lines[0] == "x.json"  # as the user names it, inside the working directory
    assert [re.search(r"in run (\w{12})", line)[1] for line in lines[1:3]] == [third, second]
    assert lines[3:] == ["  and 1 older use (--all lists every one)"]
    every = run_texts("log", "x.json", "--all").out.splitlines()
    assert [re.search(r"in run (\w{12})", line)[1] for line in every[1:]] == [third, second, first]
    assert run_texts("log", "x.json").out.splitlines() == every  # 3 uses: fewer than shown


def test_a_run_log_of_the_first_layout_is_upgraded_when_opened(
    run_texts, model: Path, tmp_path: Path
) -> None:
    """A texts.db written before file records were indexed by their run's start."""
    first, second, third = read_three_times(run_texts, model)
    with sqlite3.connect(tmp_path / ".texts" / "texts.db") as database:
        database.executescript(
            "DROP TRIGGER files_learn_their_start; DROP INDEX files_by_path_and_start;"
            " DROP TRIGGER files_are_counted; DROP TABLE file_use_counts;"
            " ALTER TABLE files DROP COLUMN started;"
            " CREATE INDEX files_by_path ON files (path); PRAGMA user_version = 1;"
        )
    shown = run_texts("log", "x.json", "--limit", "1").out.splitlines()
    assert third in shown[1] and shown[2:] == ["  and 2 older uses (--all lists every one)"]
    every = run_texts("log", "x.json", "--all").out.splitlines()
    assert [re.search(r"in run (\w{12})", line)[1] for line in every[1:]] == [third, second, first]
    with sqlite3.connect(tmp_path / ".texts" / "texts.db") as database:
        assert database.execute("PRAGMA user_version").fetchone() == (2,)


def test_a_file_outside_the_working_directory_keeps_its_whole_path(
    run_texts, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "x.json"
    elsewhere.write_text(json.dumps(encode(quantity(3))), encoding="utf-8")
    (tmp_path / "m.vm").write_text(f'x = Quantity from file "{elsewhere}"\nprint(x)\n')
    assert run_texts("m.vm").status == 0
    assert run_texts("log", "--files").out == f"r {sha256(elsewhere)[:12]} {elsewhere}\n"
    assert run_texts("log", str(elsewhere)).out.splitlines()[0] == str(elsewhere)


def test_a_rerun_names_the_original_run_and_its_cached_nodes(run_texts, model: Path) -> None:
    run_texts(str(model))
    (model.parent / "out.json").unlink()
    run_texts(str(model))
    second, first = runs(run_texts)
    assert (first[5], second[5]) == ("no", "yes")
    shown = run_texts("runs", second[0]).out
    assert re.search(rf"rerun of:   {first[0]}", shown)
    # the cache is read from the prints down: z is reused, so y and x are not needed
    assert re.search(r"^\| z +\| success \| yes ", shown, re.MULTILINE)
    assert not re.search(r"^\| y ", shown, re.MULTILINE)
    assert "(success, cached)" in run_texts("log", "z").out
    assert f"  run:        {first[0]}" in "\n".join(run_texts("log", "y").out.splitlines())


def test_a_failed_node_fails_its_run_and_shows_its_error(run_texts, tmp_path: Path) -> None:
    path = tmp_path / "bad.vm"
    path.write_text("a = 1\nb = a / 0\nprint(b)\n", encoding="utf-8")
    assert run_texts(str(path)).status == 1
    [row] = runs(run_texts)
    assert row[3] == "fail"
    log = run_texts("log", "b").out.splitlines()
    assert log[0] == "b = (failed: Arithmetic error: division by zero)"
    assert re.fullmatch(
        r"  attempt 1:  fail, \d\.\d{3} s, \S+: Arithmetic error: division by zero", log[5]
    )


def test_a_workflow_run_that_leaves_nodes_unrun_records_only_what_it_stored(
    run_texts, model: Path
) -> None:
    run_texts(str(model), "-m", "workflow")  # evaluation policy none: nothing runs
    [row] = runs(run_texts)
    assert row[3] == "success"
    shown = run_texts("runs", row[0]).out
    assert re.search(r"^\| z +\| waiting \| no +\| 0 ", shown, re.MULTILINE)
    assert run_texts("log", "z").out.splitlines()[0] == "z = (no value recorded)"


def test_nodes_are_found_by_hash_prefix_and_in_a_given_run(run_texts, model: Path) -> None:
    run_texts(str(model))
    node = run_texts("log", "y").out.splitlines()[3].split()[1]
    assert run_texts("log", node[:8]).out.splitlines()[0] == "y = 6"
    model.write_text(MODEL.replace("x * 2", "x * 3").replace("'out.json'", "'out2.json'"))
    run_texts(str(model))
    newest, oldest = runs(run_texts)
    assert newest[0] != oldest[0]
    assert run_texts("log", "y").out.splitlines()[0] == "y = 9"
    assert run_texts("log", "y", "--run", oldest[0]).out.splitlines()[0] == "y = 6"


def test_the_code_identity_names_the_git_commit_of_the_model(
    run_texts, model: Path, tmp_path: Path
) -> None:
    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    git("init", "-q")
    (tmp_path / ".gitignore").write_text(".texts/\nout.json\n")
    git("add", ".")
    git("commit", "-q", "-m", "model")
    commit = git("rev-parse", "HEAD")
    run_texts(str(model))
    assert f"git {commit[:12]} (clean)" in run_texts("log", "z").out
    (tmp_path / "out.json").unlink()
    model.write_text(MODEL + "# edited\n")
    run_texts(str(model))
    assert f"git {commit[:12]} (uncommitted changes)" in run_texts("log", "z").out


def test_queries_that_find_nothing_are_one_line_errors(run_texts, tmp_path: Path) -> None:
    assert run_texts("runs").out == "no runs recorded yet\n"
    (tmp_path / "m.vm").write_text("a = 1\nprint(a)\n")
    run_texts("m.vm")
    missing = run_texts("log", "nosuch")
    assert (missing.status, missing.out) == (1, "")
    assert missing.err == "Lineage error: no variable or node hash 'nosuch' in the run log\n"
    assert run_texts("runs", "ffffff").err == "Lineage error: no run ffffff in the run log\n"
    assert run_texts("log").status == 1


def test_a_long_value_is_shown_by_its_start_and_end_unless_asked_whole(
    run_texts, tmp_path: Path
) -> None:
    (tmp_path / "m.vm").write_text("s = map((t: t * 2), range(0, 100000, 1))\nprint(s[9])\n")
    assert run_texts("m.vm").status == 0
    whole = "(s: " + ", ".join(str(2 * t) for t in range(100000)) + ")"
    first = run_texts("log", "s").out.splitlines()[0]
    assert first.startswith("s = (s: 0, 2, 4, 6, ")
    assert first.endswith(f", 199996, 199998)  ({len(whole):,} characters; --full shows all)")
    start, end = first.removeprefix("s = ").split("  (")[0].split(", ..., ")
    assert whole.startswith(start + ", ") and whole.endswith(", " + end)
    assert len(first) < 500
    assert run_texts("log", "s", "--full").out.splitlines()[0] == f"s = {whole}"
    stdout = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        status = run_session(
            build_parser().parse_args(["session", "-r"]),
            io.StringIO("n = (n: 1, 2)\n%log --full s\n%log s\n%exit\n"),
            stdout,
        )
    assert status == 0
    assert f"s = {whole}\n" in stdout.getvalue()
    assert first + "\n" in stdout.getvalue()


def test_a_session_shows_the_run_log_of_its_inputs(tmp_path: Path, capsys) -> None:

    lines = "a = 2\nb = a * 3\nprint(b)\n%runs\n%log b\n%log nosuch\n%exit\n"
    stdout = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        status = run_session(
            build_parser().parse_args(["session", "-r"]), io.StringIO(lines), stdout
        )
    out, err = stdout.getvalue(), capsys.readouterr().err
    assert status == 0
    inputs = re.findall(r"^\| \w{12} +\| [\d :-]+ \| workflow +\| success +\| (\d) ", out, re.M)
    assert inputs == ["0", "1", "1"]  # one run per input, newest first
    assert "b = 6\n  definition: b = a * 3\n  where:      <input 2>, line 1\n" in out
    assert "    a [" in out and "] a = 2  (no inputs)\n" in out
    assert "Lineage error: no variable or node hash 'nosuch' in the run log" in err


def test_an_exported_run_log_imported_into_an_empty_store_answers_the_same(
    run_texts, model: Path, tmp_path: Path
) -> None:
    run_texts(str(model))
    run_texts(str(model), "-m", "workflow", "--autorun")
    [newest, oldest] = runs(run_texts)
    questions = [
        ("runs",),
        ("runs", oldest[0]),
        ("runs", newest[0]),
        ("log", "z"),
        ("log", "y", "--run", oldest[0]),
        ("log", "--files"),
        ("log", "out.json"),
    ]
    answers = [without_groups(run_texts(*question).out) for question in questions]
    exported = run_texts("export", "-o", "records.jsonl")
    assert exported.status == 0
    (tmp_path / ".texts").rename(tmp_path / "original")  # an empty store from here on
    assert run_texts("runs").out == "no runs recorded yet\n"
    first = run_texts("import", "-i", "records.jsonl")
    assert first.status == 0 and first.out.startswith("imported ")
    assert [without_groups(run_texts(*question).out) for question in questions] == answers
    again = run_texts("import", "-i", "records.jsonl")
    count = len((tmp_path / "records.jsonl").read_text().splitlines()) - 1
    assert again.out == f"imported 0 records ({count} already present)\n"


def test_an_extended_workflow_model_traces_inputs_to_the_run_that_computed_them(
    run_texts, tmp_path: Path
) -> None:
    (tmp_path / "base.vm").write_text("a = 1\nb = a + 1\nprint(b)\n")
    first = run_texts("base.vm", "-m", "workflow", "-r")
    uuid = first.out.partition("\n")[0].removeprefix("program UUID: ")
    (tmp_path / "more.vm").write_text("c = b * 2\nprint(c)\n")
    assert run_texts("more.vm", "-m", "workflow", "-r", "-u", uuid).status == 0
    newest, oldest = runs(run_texts)
    log = run_texts("log", "c").out.splitlines()
    assert log[0] == "c = 4"
    assert f"  run:        {newest[0]}" in "\n".join(log)
    assert [re.sub(r"\[\w+\] ", "", line) for line in log[log.index("upstream:") + 1 :]] == [
        "  c c = b * 2",
        "    b b = a + 1",
        "      a a = 1  (no inputs)",
    ]
    assert f"  run:        {oldest[0]}" in run_texts("log", "b").out


def test_an_upgraded_store_traces_the_values_of_models_stored_before_the_run_log(
    run_texts, tmp_path: Path
) -> None:
    (tmp_path / "m.vm").write_text("a = 1\nb = a + 1\nprint(b)\n")
    run_texts("m.vm", "-m", "workflow", "-r")
    for name in ("texts.db", "texts.db-wal", "texts.db-shm"):  # as before the run log
        (tmp_path / ".texts" / name).unlink(missing_ok=True)
    refused = run_texts("log", "b")
    assert (refused.status, refused.out) == (1, "")
    assert refused.err.startswith("Store error: The store ")
    assert refused.err.endswith("Run `texts db upgrade` to upgrade it (records are kept).\n")
    assert run_texts("db", "upgrade").status == 0
    log = run_texts("log", "b").out.splitlines()
    assert log[0] == "b = 2"
    assert "    a [" in log[-1] and log[-1].endswith("] a = 1  (no inputs)")
