"""State files damaged or crafted between two runs: the journal of the embedded store, its
documents, its lock file and the run log's database. Each gives one labelled line naming
the file and what to do, a non-zero status and no traceback; nothing is read as a value."""

from __future__ import annotations

import contextlib
import sqlite3
import zlib
from pathlib import Path

import pytest
from bson import json_util

MODEL = "a = 1\nb = a + 1\nc = b + 1\nprint(c)\n"


def stored_model(run_texts, tmp_path: Path) -> Path:
    """A model run in workflow mode; the store's directory."""
    (tmp_path / "m.vm").write_text(MODEL)
    assert run_texts("m.vm", "-m", "workflow", "-r").status == 0
    return tmp_path / ".texts"


def checksummed(record: object) -> bytes:
    """A journal line as texts writes it: a valid checksum whatever the content."""
    data = json_util.dumps(record).encode()
    return b"%08x " % zlib.crc32(data) + data + b"\n"


def refusal(run_texts, store: Path) -> str:
    """What a workflow run says of a store it refuses to read, after the common start."""
    run = run_texts("m.vm", "-m", "workflow", "-r")
    assert (run.status, run.out) == (1, "")
    start = f"Configuration error: The texts store {store} cannot be read: "
    assert run.err.startswith(start), run.err
    return run.err.removeprefix(start)


def workflow_id(directory: Path) -> object:
    stored = json_util.loads((directory / "launchpad.json").read_text())
    ((key, _),) = stored["fireworks"]["workflows"]["documents"]
    return key


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ({"x": 1}, "not a seal of the store file"),
        ("text", "not a list of changes"),
        ([["fireworks", "workflows", 1]], "a change is not a list of 4 or 5 items"),
        ([["fireworks", "workflows", True, None]], "a change does not name its document"),
        ([["fireworks", "workflows", 1, {"_id": 2}]], "not a document of its key"),
        (
            [["fireworks", "workflows", 1, None, {"set": 1, "unset": []}]],
            "not a patch of a document",
        ),
        (
            [["fireworks", "workflows", 1, None, {"set": [[[], 1]], "unset": []}]],
            "a patch sets a value at no path",
        ),
    ],
)
def test_a_journal_record_with_a_valid_checksum_and_a_wrong_shape_is_refused(
    run_texts, tmp_path, record, problem
) -> None:
    directory = stored_model(run_texts, tmp_path)
    journal = directory / "launchpad.json.journal"
    store_file = (directory / "launchpad.json").read_bytes()
    with journal.open("ab") as appended:
        appended.write(checksummed(record))
    assert refusal(run_texts, directory / "launchpad.json") == (
        f"its journal {journal} has a damaged record (line 2: {problem}). Restore both files"
        " from a copy; to keep the store as it was last written whole, delete the journal"
        " (the changes recorded since are then lost).\n"
    )
    assert (directory / "launchpad.json").read_bytes() == store_file
    journal.unlink()  # as the message says
    assert run_texts("m.vm", "-m", "workflow", "-r").out.endswith("program output: >>>\n3\n<<<\n")


def test_a_damaged_record_before_the_last_one_is_refused(run_texts, tmp_path) -> None:
    """A torn last record is what a crash leaves (it is cut off); a bad checksum before
    another record is damage."""
    directory = stored_model(run_texts, tmp_path)
    journal = directory / "launchpad.json.journal"
    seal = journal.read_bytes()
    journal.write_bytes(seal.replace(b"sha256", b"SHA256") + seal)
    run = run_texts("m.vm", "-m", "workflow", "-r")
    assert run.status == 1
    assert run.err.startswith("Configuration error: The texts store ")
    assert "has a damaged record (line 1: its checksum fails). Restore both files" in run.err


@pytest.mark.parametrize("where", ["journal", "store file"])
@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("nodes", "x", "nodes is not a list of integers"),
        ("links", [1], "links is not a mapping"),
        (
            "metadata",
            {"texts": {"statements": "a = 1"}},
            "metadata.texts.statements is not a list of strings",
        ),
        ("fw_states", {"1": "DONE"}, "fw_states is not a mapping"),
    ],
)
def test_a_workflow_document_of_the_wrong_shape_is_refused(
    run_texts, tmp_path, where, field, value, problem
) -> None:
    directory = stored_model(run_texts, tmp_path)
    key = workflow_id(directory)
    store = directory / "launchpad.json"
    journal = directory / "launchpad.json.journal"
    if where == "journal":  # a record of the right shape setting a field to a wrong value
        patch = {"set": [[[field], value]], "unset": []}
        with journal.open("ab") as appended:
            appended.write(checksummed([["fireworks", "workflows", key, None, patch]]))
    else:
        edited_by_hand(
            directory,
            lambda database: database["workflows"]["documents"][0][1].update({field: value}),
        )
    assert refusal(run_texts, store) == (
        f"its workflows document {key} is damaged: {problem}. Restore the store from a copy,"
        " or move its directory aside to start anew.\n"
    )


def edited_by_hand(directory: Path, edit) -> Path:
    """The store file changed by ``edit`` (on its parsed data) and its journal, whose
    seal would tell, deleted: only the shapes of the documents can tell."""
    store = directory / "launchpad.json"
    stored = json_util.loads(store.read_text())
    edit(stored["fireworks"])
    store.write_text(json_util.dumps(stored))
    (directory / "launchpad.json.journal").unlink()
    return store


@pytest.mark.parametrize(
    ("collection", "field"),
    [
        ("fireworks", "launches"),
        ("fireworks", "archived_launches"),
        ("launches", "host"),
        ("workflows", "parent_links"),
        ("workflows", "updated_on"),
    ],
)
def test_a_document_without_a_key_that_fireworks_reads_is_refused(
    run_texts, tmp_path, collection, field
) -> None:
    """(Found by the fuzzer: a flipped byte in a key name made FireWorks fail with a
    ``KeyError`` in the middle of a launch.)"""
    directory = stored_model(run_texts, tmp_path)
    documents: list = []

    def drop(database: dict) -> None:
        documents.extend(database[collection]["documents"])
        del documents[0][1][field]

    store = edited_by_hand(directory, drop)
    key = documents[0][0]
    assert refusal(run_texts, store) == (
        f"its {collection} document {key} is damaged: {field} is missing. Restore the store"
        " from a copy, or move its directory aside to start anew.\n"
    )


def test_a_damaged_object_id_is_refused(run_texts, tmp_path) -> None:
    directory = stored_model(run_texts, tmp_path)
    store = directory / "launchpad.json"
    text = store.read_text()
    start = text.index('{"$oid": "') + len('{"$oid": "')
    store.write_text(text[:start] + "`" + text[start + 1 :])
    (directory / "launchpad.json.journal").unlink()
    refused = refusal(run_texts, store)
    assert refused.startswith("'`") and "is not a valid ObjectId" in refused
    assert "Traceback" not in refused


def test_a_lock_file_replaced_by_a_directory_says_to_move_it_aside(run_texts, tmp_path) -> None:
    directory = stored_model(run_texts, tmp_path)
    lock = directory / "launchpad.json.lock"
    lock.unlink()
    lock.mkdir()
    run = run_texts("m.vm", "-m", "workflow", "-r")
    assert (run.status, run.out) == (1, "")
    assert run.err == (
        f"Configuration error: The texts store {directory / 'launchpad.json'} cannot be used:"
        f" Is a directory: {lock}. texts keeps a file there: move the directory aside.\n"
    )
    lock.rmdir()
    assert run_texts("m.vm", "-m", "workflow", "-r").status == 0


def truncate(database: Path) -> None:
    database.write_bytes(database.read_bytes()[:5000])


def overwrite(database: Path) -> None:
    database.write_bytes(bytes(range(256)) * 64)


def reshape(database: Path) -> None:
    """The same layout version, tables of another shape."""
    with sqlite3.connect(database) as connection:
        connection.execute("DROP TABLE meta")
        connection.execute("CREATE TABLE meta (x)")


def replace_by_a_directory(database: Path) -> None:
    database.unlink()
    database.mkdir()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (truncate, "database disk image is malformed"),
        (overwrite, "file is not a database"),
        (reshape, "no such column: value"),
        (replace_by_a_directory, "unable to open database file"),
    ],
)
def test_a_damaged_run_log_database_is_a_labelled_error_that_says_what_to_do(
    run_texts, tmp_path, damage, reason
) -> None:
    (tmp_path / "m.vm").write_text(MODEL)
    assert run_texts("m.vm").status == 0  # an instant run: records and cache
    database = tmp_path / ".texts" / "texts.db"
    for leftover in database.parent.glob("texts.db-*"):
        leftover.unlink()
    damage(database)
    expected = (
        f"The database {database} cannot be used: {reason}. Restore it from a copy, or move"
        " it aside: texts then starts a new run log and result cache.\n"
    )
    for command in (("runs",), ("log", "c")):
        run = run_texts(*command)
        assert (run.status, run.out, run.err) == (1, "", f"Store error: {expected}")
    run = run_texts("m.vm")  # an instant run runs, and says why nothing is recorded
    assert (run.status, run.out) == (0, "program output: >>>\n3\n<<<\n")
    assert run.err.startswith("Warning: ")
    assert "Traceback" not in run.err


def test_the_run_log_reading_a_damaged_store_says_so(run_texts, tmp_path) -> None:
    """Without texts.db, `texts runs` reads the workflow store to tell whether it is older
    than the run log: a damaged journal is then the same labelled error."""
    directory = stored_model(run_texts, tmp_path)
    (directory / "texts.db").unlink()
    with (directory / "launchpad.json.journal").open("ab") as appended:
        appended.write(checksummed("text"))
    run = run_texts("runs")
    assert (run.status, run.out) == (1, "")
    assert run.err.startswith(f"Store error: The texts store {directory / 'launchpad.json'}")
    assert "has a damaged record (line 2: not a list of changes)" in run.err


@pytest.mark.parametrize("document", ['"x"', "null", "{}", "[]"])
def test_a_run_record_of_another_type_is_reported_and_an_instant_run_still_runs(
    run_texts, tmp_path, document
) -> None:
    (tmp_path / "m.vm").write_text(MODEL)
    assert run_texts("m.vm").status == 0
    database = tmp_path / ".texts" / "texts.db"
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE runs SET doc = ?", (document,))
    connection.close()
    run = run_texts("m.vm")  # its run log finds the first run of the model damaged
    assert (run.status, run.out) == (0, "program output: >>>\n3\n<<<\n")
    assert run.err.startswith(
        f"Warning: the run log was not recorded: The database {database} holds a damaged record: "
    )
    listed = run_texts("runs")
    assert (listed.status, listed.out) == (1, "")
    assert listed.err.startswith(f"Store error: The database {database} holds a damaged record")
    advice = "Restore it from a copy, or move it aside: texts then starts a new run log"
    assert listed.err.endswith(f"{advice} and result cache.\n")


def test_the_rockets_error_log_replaced_by_a_directory_is_reported(run_texts, tmp_path) -> None:
    directory = stored_model(run_texts, tmp_path)
    log = directory / "launches" / "rockets.err"
    log.unlink()
    log.mkdir()
    run = run_texts("m.vm", "-m", "workflow", "-r")
    assert (run.status, run.out) == (1, "")
    assert run.err.split("\n", 1)[1] == (  # after the line naming the model it stored
        f"Store error: The rockets' error log {log} cannot be written: Is a directory: texts"
        " keeps a file there, move the directory aside.\n"
    )


@pytest.mark.parametrize(
    ("statement", "problem"),
    [
        # an index (here the column beside the document) that leads to another record
        ("UPDATE nodes SET name = 'c' WHERE name = 'a'", "leads to a record of another name"),
        ("UPDATE nodes SET doc = '{\"kind\": [1]}' WHERE name = 'c'", "not a run record"),
        ("UPDATE nodes SET doc = CAST(x'7b22ff' AS TEXT) WHERE name = 'c'", "cannot be used"),
    ],
)
def test_a_record_the_log_is_led_to_must_be_the_one_asked_for(
    run_texts, tmp_path, statement, problem
) -> None:
    (tmp_path / "m.vm").write_text(MODEL)
    assert run_texts("m.vm").status == 0
    database = tmp_path / ".texts" / "texts.db"
    with contextlib.closing(sqlite3.connect(database)) as connection, connection:
        connection.execute(statement)
    run = run_texts("log", "c")
    assert (run.status, run.out) == (1, "")
    assert run.err.startswith(f"Store error: The database {database} ")
    assert problem in run.err
    assert "Traceback" not in run.err
