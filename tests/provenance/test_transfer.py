"""Moving run records as users do: export and import, push and pull between stores."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from texts.provenance.records import KINDS, ValueRecord, record_id
from texts.provenance.recordstore import open_record_store

MODEL = "a = 1\nb = a + 1\nprint(b)\n"
OTHER_MODEL = "c = 3\nprint(c)\n"
HEADER = {"texts_records": 1, "schema": 1}
Texts = Callable[..., Any]
"""The ``run_texts`` fixture: runs ``texts`` in ``tmp_path``."""


def run_model(run_texts: Texts, tmp_path: Path, text: str = MODEL) -> None:
    (tmp_path / "m.vm").write_text(text, encoding="utf-8")
    assert run_texts("m.vm").status == 0


def exported(run_texts: Texts) -> list[str]:
    """The lines ``texts export`` prints, the header first."""
    run = run_texts("export")
    assert (run.status, run.err) == (0, "")
    return run.out.splitlines()


def set_aside(tmp_path: Path, name: str) -> None:
    """Move the working directory's store into a directory of its own: what runs next
    starts with an empty store."""
    (tmp_path / name).mkdir()
    shutil.move(tmp_path / ".texts", tmp_path / name / ".texts")


def test_export_then_import_into_an_empty_store_gives_the_same_records(
    run_texts: Texts, tmp_path: Path
) -> None:
    run_model(run_texts, tmp_path)
    lines = exported(run_texts)
    assert json.loads(lines[0]) == HEADER
    kinds = [json.loads(line)["kind"] for line in lines[1:]]
    assert kinds == sorted(kinds, key=list(KINDS).index)
    assert {"run", "node", "value", "code"} <= set(kinds)
    assert run_texts("export", "-o", "records.jsonl").out == ""
    assert (tmp_path / "records.jsonl").read_text(encoding="utf-8").splitlines() == lines
    set_aside(tmp_path, "first")

    run = run_texts("import", "-i", "records.jsonl")
    assert (run.status, run.out) == (0, f"imported {len(kinds)} records (0 already present)\n")
    assert exported(run_texts) == lines
    again = run_texts("import", "-i", "records.jsonl")
    assert again.out == f"imported 0 records ({len(kinds)} already present)\n"
    assert exported(run_texts) == lines


EXPECTED = '{"texts_records": 1, "schema": 1}'
BAD_INPUTS = [
    pytest.param(
        lambda lines: lines[1:],
        f"line 1: not a textS records header, expected {EXPECTED}",
        id="no header",
    ),
    pytest.param(
        lambda lines: ['{"texts_records": 1}', *lines[1:]],
        f"line 1: the header has no schema version, expected {EXPECTED}",
        id="garbled header",
    ),
    pytest.param(
        lambda lines: ['{"texts_records": 1, "schema": 99}', *lines[1:]],
        "line 1: the records have schema version 99; this textS imports version 1"
        " (upgrade textS to import them)",
        id="newer schema",
    ),
    pytest.param(
        lambda lines: [*lines[:3], '{"kind": "run", ', *lines[3:]],
        "line 4: not JSON (Expecting property name enclosed in double quotes)",
        id="not JSON",
    ),
    pytest.param(
        lambda lines: [*lines[:3], json.dumps({**json.loads(lines[1]), "executor": "forged"})],
        "line 4: the record's _id does not match its content",
        id="forged record",
    ),
    pytest.param(
        lambda lines: [*lines[:2], json.dumps({"kind": "dataset"}), *lines[2:]],
        "line 3: not a run record",
        id="unknown kind",
    ),
    pytest.param(
        lambda lines: [], "line 1: the input is empty, expected a textS records header", id="empty"
    ),
]


@pytest.mark.parametrize(("bad", "message"), BAD_INPUTS)
def test_a_bad_input_is_refused_and_nothing_is_added(
    run_texts: Texts, tmp_path: Path, bad: Callable[[list[str]], list[str]], message: str
) -> None:
    run_model(run_texts, tmp_path)
    lines = exported(run_texts)
    set_aside(tmp_path, "first")
    text = "".join(f"{line}\n" for line in bad(lines))
    (tmp_path / "bad.jsonl").write_text(text, encoding="utf-8")

    run = run_texts("import", "-i", "bad.jsonl")
    assert (run.status, run.out, run.err) == (1, "", f"Import error: {message}\n")
    assert exported(run_texts) == [json.dumps(HEADER, separators=(",", ":"))]


def test_push_and_pull_move_only_the_records_the_other_store_lacks(
    run_texts: Texts, tmp_path: Path
) -> None:
    run_model(run_texts, tmp_path)
    first = exported(run_texts)[1:]
    (tmp_path / "other").mkdir()
    assert run_texts("push", "other").out == f"pushed {len(first)} records to other\n"
    assert run_texts("push", "other").out == "pushed 0 records to other\n"
    run_model(run_texts, tmp_path, OTHER_MODEL)
    both = exported(run_texts)[1:]
    new = len(set(both) - set(first))
    assert new > 0
    assert run_texts("push", "other/.texts").out == f"pushed {new} records to other/.texts\n"
    set_aside(tmp_path, "first")

    assert run_texts("pull", "other").out == f"pulled {len(both)} records from other\n"
    assert run_texts("pull", "other").out == "pulled 0 records from other\n"
    assert sorted(exported(run_texts)[1:]) == sorted(both)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("push", "."), "Push error: . is the local store itself"),
        (("pull", ".texts"), "Pull error: .texts is the local store itself"),
        (("pull", "empty"), "Pull error: empty: there is no texts store in this directory"),
        (("pull", "missing"), "Pull error: missing: neither a launchpad file nor a directory"),
    ],
)
def test_push_and_pull_refuse_a_store_they_cannot_use(
    run_texts: Texts, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    run_model(run_texts, tmp_path)
    (tmp_path / "empty").mkdir()
    run = run_texts(*args)
    assert (run.status, run.out, run.err) == (1, "", f"{message}\n")
    assert not (tmp_path / "empty" / ".texts").exists()


def test_a_newer_store_is_refused(run_texts: Texts, tmp_path: Path) -> None:
    run_model(run_texts, tmp_path)
    (tmp_path / "other").mkdir()
    assert run_texts("push", "other").status == 0
    with open_record_store(None, tmp_path, embedded=True) as records:
        records.set_version(99)
    newer = (
        f"The store {tmp_path / '.texts' / 'texts.db'} has schema version 99,"
        " newer than this textS knows (2): upgrade textS to use it."
    )
    for command, label in (("export", "Export"), ("push", "Push"), ("pull", "Pull")):
        run = run_texts(command, *(["other"] if command != "export" else []))
        assert (run.status, run.out, run.err) == (1, "", f"{label} error: {newer}\n")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "input.jsonl: No such file or directory"),
        (b"\xff\xfe", "the input is not UTF-8 text ("),
    ],
)
def test_an_unreadable_input_is_refused(
    run_texts: Texts, tmp_path: Path, content: bytes | None, message: str
) -> None:
    if content is not None:
        (tmp_path / "input.jsonl").write_bytes(content)
    run = run_texts("import", "-i", "input.jsonl")
    assert (run.status, run.out) == (1, "")
    assert run.err.startswith(f"Import error: {message}")
    assert len(run.err.splitlines()) == 1


def forged_value_line(launchpad: str) -> str:
    """A value record (with its correct id) kept in GridFS of another launchpad file."""
    data = {
        "_texts_offloaded": 1,
        "type": "FWNumArray",
        "backend": "gridfs",
        "location": "vre_language_datastore",
        "launchpad": launchpad,
        "file": "0" * 64 + ".json",
        "format": "json",
        "compress": False,
        "sha256": "0" * 64,
        "size": 10,
    }
    return json.dumps(ValueRecord(data).document()) + "\n"


def test_a_value_record_naming_another_database_is_refused(
    run_texts: Texts, tmp_path: Path
) -> None:
    """A record is data: one that names a launchpad file (a host to connect to) other than
    the datastore's own is refused on import, with its line, and nothing is added."""
    (tmp_path / "records.jsonl").write_text(
        json.dumps(HEADER) + "\n" + forged_value_line(str(tmp_path / "elsewhere.yaml"))
    )
    run = run_texts("import", "-i", "records.jsonl")
    assert run.status == 1
    assert run.err.startswith(
        "Import error: line 2: the stored value of a value record has an invalid reference:"
        f" it names the database of the launchpad file '{tmp_path / 'elsewhere.yaml'}'"
    )
    assert "value records: 0\n" in run_texts("db", "info").out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"started": 12345}, "run: the field 'started' is not of type str"),
        ({"tag": "a string"}, "run: the field 'tag' is not of type dict[str, Any]"),
        ({"surprise": 1}, "run: unknown field 'surprise'"),
    ],
)
def test_records_of_the_wrong_shape_are_refused_whole(
    run_texts: Texts, tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    """A record with a correct id but the wrong shape would break every later question
    (records are never removed): the import is refused, with the line, and adds nothing."""
    run_model(run_texts, tmp_path)
    lines = exported(run_texts)
    run = next(json.loads(line) for line in lines[1:] if '"kind":"run"' in line)
    forged = {**{k: v for k, v in run.items() if k != "_id"}, **change, "run": "forged"}
    forged["_id"] = record_id(forged)
    (tmp_path / "records.jsonl").write_text("\n".join([*lines, json.dumps(forged)]) + "\n")
    set_aside(tmp_path, "other")
    result = run_texts("import", "-i", "records.jsonl")
    assert (result.status, result.out) == (1, "")
    assert result.err == f"Import error: line {len(lines) + 1}: {message}\n"
    assert "run records: 0\n" in run_texts("db", "info").out


def test_a_damaged_record_read_back_is_reported_not_used(run_texts: Texts, tmp_path: Path) -> None:
    run_model(run_texts, tmp_path)
    with sqlite3.connect(tmp_path / ".texts" / "texts.db") as database:
        database.execute('UPDATE nodes SET doc = replace(doc, \'"line":\', \'"line":"x","y":\')')
    result = run_texts("log", "b")
    assert (result.status, result.out) == (1, "")
    database = tmp_path / ".texts" / "texts.db"
    assert result.err.startswith(f"Store error: The database {database} holds a damaged record: ")
    assert result.err.endswith(
        ": node: unknown field 'y'. Restore it from a copy, or move it aside: texts then starts"
        " a new run log and result cache.\n"
    )
