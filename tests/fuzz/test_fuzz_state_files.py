"""Fuzzing the state files: a working directory whose ``.texts`` holds the embedded
workflow store (``launchpad.json`` and its journal), the run log and result cache
(``texts.db``) and offloaded values (the datastore, configured inside ``.texts``) is damaged
between two runs, and then used by the commands a user runs next.

A damage is one of: a file truncated, bytes of it flipped, the file deleted or replaced by
a directory, or a value inside it replaced by a value of another JSON type (in
``launchpad.json``, in a journal record, whose checksum is made valid again, or in a
record of ``texts.db``). The property, for every command: a labelled error (no traceback,
a non-zero status exactly when an error is shown) or the correct result: a run that
succeeds prints what the undamaged model prints, and ``texts log`` shows no other value.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fuzz_oracle import Outcome, assert_sound, fuzz_settings, run_cli
from hypothesis import given
from hypothesis import strategies as st

MODEL = "a = 1\nb = a + 1\nbig = range(0, 300, b)\nc = big[149] + a\nprint(c)\n"
OUTPUT = "program output: >>>\n299\n<<<\n"
COMMANDS = (
    ["m.vm"],  # instant: the result cache
    ["m.vm", "-m", "workflow", "-r"],  # a new workflow: FireWorks reuses the stored results
    ["log", "c"],
    ["runs"],
)
STORE_LABELS = frozenset({"Store error", "Lineage error", "Signature error"})
"""Labels of the commands that read the run log and the stores (the oracle knows the
language's)."""
REPLACEMENTS = ("x", 7, -1, 2.5, None, True, [], {}, [1], {"x": 1}, "COMPLETED")
"""Values a damaged document may hold instead of its own."""


@dataclass(frozen=True)
class Directories:
    template: Path  # the state as the commands left it, kept aside
    work: Path  # where each example runs (the datastore's configuration names it)


@pytest.fixture(scope="module")
def directories(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Directories]:
    root = tmp_path_factory.mktemp("state")
    work, template = root / "work", root / "template"
    work.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        configuration = root / "datastore.yaml"
        store = work / ".texts" / "datastore"
        configuration.write_text(
            json.dumps({"inline-threshold": 10, "path": str(store), "format": "json"})
        )
        patch.setenv("DATASTORE_CONFIG", str(configuration))
        patch.setenv("RESCONFIG_LOC", str(root / "res_config.yaml"))
        (work / "m.vm").write_text(MODEL)
        for command in COMMANDS:
            outcome = run_cli(command, work)
            assert outcome.status == 0, outcome.err
        assert any(store.iterdir())  # a value was offloaded
        shutil.copytree(work, template, symlinks=True)
        yield Directories(template, work)


def state_files(directory: Path) -> list[str]:
    """The files of a ``.texts`` directory, relative to the working directory."""
    texts = directory / ".texts"
    return sorted(str(p.relative_to(directory)) for p in texts.rglob("*") if p.is_file())


# ---- damages

Draw = Callable[[st.SearchStrategy], object]


@st.composite
def replaced_value(draw: st.DrawFn, document: object) -> object:
    """``document`` with one value somewhere inside it replaced by one of another type."""
    if isinstance(document, dict | list) and document and draw(st.integers(0, 3)):
        keys = list(document) if isinstance(document, dict) else list(range(len(document)))
        key = keys[draw(st.integers(0, len(keys) - 1))]
        copy = dict(document) if isinstance(document, dict) else list(document)
        copy[key] = draw(replaced_value(copy[key]))
        return copy
    others = [r for r in REPLACEMENTS if type(r) is not type(document) or r != document]
    return draw(st.sampled_from(others))


def truncate(path: Path, draw: Draw) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * draw(st.floats(0, 1, exclude_max=True)))])


def flip(path: Path, draw: Draw) -> None:
    data = bytearray(path.read_bytes())
    places = draw(st.lists(st.floats(0, 1, exclude_max=True), min_size=1, max_size=4))
    bits = draw(st.integers(1, 255))
    for place in places if data else ():
        data[int(len(data) * place)] ^= bits
    path.write_bytes(bytes(data))


def directory(path: Path, _draw: Draw) -> None:
    path.unlink()
    path.mkdir()


def delete(path: Path, _draw: Draw) -> None:
    path.unlink()


def retype(path: Path, draw: Draw) -> None:
    """A value of another type inside a JSON file, a journal record or a texts.db record
    (the rest of the file, and a journal line's checksum, kept valid)."""
    if path.name == "texts.db":
        with contextlib.suppress(sqlite3.DatabaseError, UnicodeDecodeError):
            _retype_database(path, draw)  # (a database damaged already is left as it is)
    elif path.name.endswith(".journal"):
        lines = path.read_bytes().splitlines(keepends=True)
        if lines:
            number = draw(st.integers(0, len(lines) - 1))
            try:
                record = json.loads(lines[number].partition(b" ")[2])
            except ValueError:  # a torn line: left as it is
                return
            data = json.dumps(draw(replaced_value(record))).encode()
            lines[number] = b"%08x " % zlib.crc32(data) + data + b"\n"
            path.write_bytes(b"".join(lines))
    else:
        try:
            document = json.loads(path.read_bytes())
        except ValueError:  # not JSON (a compressed value, an HDF5 file): flip bytes instead
            flip(path, draw)
            return
        path.write_text(json.dumps(draw(replaced_value(document))))


def _retype_database(path: Path, draw: Draw) -> None:
    with contextlib.closing(sqlite3.connect(path)) as connection, connection:
        tables = [
            (table, column)
            for table, column in [("runs", "doc"), ("nodes", "doc"), ('"values"', "doc"),
                                  ("files", "doc"), ("code", "doc"), ("cache", "value"),
                                  ("cache_models", "nodes"), ("meta", "value")]
            if connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        ]  # fmt: skip
        if not tables:
            return
        table, column = draw(st.sampled_from(tables))
        rows = connection.execute(f"SELECT rowid, {column} FROM {table}").fetchall()
        if not rows:
            return
        rowid, text = draw(st.sampled_from(rows))
        try:
            document = json.loads(text)
        except (TypeError, ValueError):
            document = text
        connection.execute(
            f"UPDATE {table} SET {column} = ? WHERE rowid = ?",
            (json.dumps(draw(replaced_value(document))), rowid),
        )


DAMAGES = (truncate, flip, directory, delete, retype)


# ---- the property


def assert_correct_or_labelled(command: list[str], outcome: Outcome) -> None:
    lines = outcome.err.splitlines(keepends=True)
    announced = [line for line in lines if line.startswith("Model UUID: ")]
    assert len(announced) <= 1, outcome.err  # a workflow run names the model it stored
    kept = "".join(line for line in lines if line not in announced)
    outcome = Outcome(outcome.status, outcome.out, kept)
    lines = [line for line in outcome.err.splitlines() if line]
    if lines and outcome.status != 0:
        label = lines[0].split(":", 1)[0]
        if label in STORE_LABELS:  # (not a label of the language, so not in the oracle's)
            assert "Traceback (most recent call last)" not in outcome.err, outcome.err
            return
    assert_sound(outcome)
    if outcome.status != 0:
        return
    if command[0] == "m.vm":
        assert outcome.out.endswith(OUTPUT), outcome.out
    elif command[0] == "log":
        shown = outcome.out.splitlines()[0]
        assert shown == "c = 299" or shown.startswith("c = ("), outcome.out


@given(data=st.data())
@fuzz_settings(0.004)
def test_commands_after_damaged_state_files_give_labelled_errors_or_correct_results(
    directories: Directories, data: st.DataObject
) -> None:
    work = directories.work
    shutil.rmtree(work)
    shutil.copytree(directories.template, work, symlinks=True)
    files = state_files(directories.template)
    for _ in range(data.draw(st.integers(1, 3), label="damages")):
        path = work / data.draw(st.sampled_from(files), label="file")
        damage = data.draw(st.sampled_from(DAMAGES), label="damage")
        if path.is_file():  # (an earlier damage may have deleted it)
            damage(path, data.draw)
    for command in COMMANDS:
        assert_correct_or_labelled(command, run_cli(command, work))
