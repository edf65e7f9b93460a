"""The embedded store's records in ``.texts/texts.db``: what a crash, a repeat, a second
writer, a damaged or a newer database leave."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from texts.interpreter.errors import TextsError
from texts.provenance.cache import MISSING, ResultCache
from texts.provenance.records import CodeIdentity, FileRecord, RunRecord, ValueRecord
from texts.provenance.recordstore import embedded_records
from texts.store.errors import StoreError
from texts.store.sqlite_records import DATABASE_FILE_NAME, SqliteRecords


def run_record(number: int) -> RunRecord:
    return RunRecord(
        run=f"run{number}",
        model="m",
        model_hash="h",
        model_file=None,
        executor="instant",
        status="success",
        started=f"2026-01-01T00:{number // 60 % 60:02d}:{number % 60:02d}",
        ended=None,
        cached=False,
        rerun_of=None,
        tag={},
        code="c",
        workdir="/w",
    )


def runs(directory: Path) -> list[str]:
    records = embedded_records(directory)
    try:
        return [d["run"] for d in records.documents(RunRecord)]
    finally:
        records.close()


def test_a_record_appended_twice_is_read_once_and_adding_counts_only_new_ones(
    tmp_path: Path,
) -> None:
    code = CodeIdentity("0.1.0", "3.11", {}, None)
    records = embedded_records(tmp_path)
    records.append([code, run_record(1)])
    records.append([code, run_record(1)])
    assert runs(tmp_path) == ["run1"]
    assert records.ids(CodeIdentity) == {code.id}
    again = [code.document(), run_record(1).document(), run_record(2).document()]
    assert records.add_documents(again) == 1
    use = FileRecord(path="/w/data.json", mode="r", sha256=None, run="run2", node="n", name="x")
    assert records.add_documents([use.document()]) == 1  # (its use count is not a record)
    assert records.add_documents([use.document()]) == 0
    records.close()


def test_the_newest_runs_come_from_an_index(tmp_path: Path) -> None:
    records = embedded_records(tmp_path)
    records.append([run_record(number) for number in (3, 1, 2)])
    assert records.database.newest_runs(2) == ["run3", "run2"]
    assert records.database.runs_starting_with("run", 5) == ["run1", "run2", "run3"]
    records.close()


def _append_many(directory: str, first: int) -> None:
    records = embedded_records(Path(directory))
    for number in range(first, first + 100):
        records.append([run_record(number)])
    records.close()


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    writers = [
        context.Process(target=_append_many, args=(str(tmp_path), first)) for first in (0, 100)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(60)
    assert sorted(runs(tmp_path)) == sorted(f"run{number}" for number in range(200))


def test_writes_not_committed_when_a_run_dies_are_gone_and_the_rest_is_whole(
    tmp_path: Path,
) -> None:
    records = embedded_records(tmp_path)
    records.append([run_record(1)])  # committed
    records.database.put_records("run", [run_record(2).document()])  # a batch under way
    records.database._connection.close()  # the process dies: no commit
    assert runs(tmp_path) == ["run1"]


def test_a_cached_value_that_does_not_match_its_hash_is_refused(tmp_path: Path) -> None:
    records = embedded_records(tmp_path)
    cache = ResultCache(records)
    assert cache.store("s1", "x", "forty-one")
    assert cache.store("s2", "y", "forty-two")
    cache.commit()
    assert cache.value("s1", "x") == "forty-one"
    database = tmp_path / ".texts" / DATABASE_FILE_NAME
    with sqlite3.connect(database) as connection:  # a forged value row of key s1
        connection.execute(
            "UPDATE \"values\" SET doc = replace(doc, 'one', 'two') WHERE id ="
            " (SELECT value FROM cache WHERE signature = 's1')"
        )
    with pytest.raises(TextsError) as raised:
        cache.value("s1", "x")
    assert raised.value.label == "Signature error"
    assert raised.value.message.startswith(
        f"the cached value of x cannot be trusted: The database {database} holds a damaged"
        " record: the record "
    )
    assert ": the record's _id does not match its content. Restore it" in raised.value.message
    assert cache.value("unknown", "z") is MISSING
    records.close()


def test_a_damaged_or_newer_database_is_reported(tmp_path: Path) -> None:
    (tmp_path / DATABASE_FILE_NAME).write_bytes(b"not a database at all, not even close....")
    with pytest.raises(StoreError, match="cannot be used: file is not a database"):
        SqliteRecords(tmp_path).version()
    (tmp_path / DATABASE_FILE_NAME).unlink()
    with sqlite3.connect(tmp_path / DATABASE_FILE_NAME) as connection:
        connection.execute("PRAGMA user_version=7")
    with pytest.raises(StoreError, match="has layout 7, newer than this textS knows"):
        SqliteRecords(tmp_path).version()


def test_a_forged_cache_row_pointing_at_a_value_of_another_type_is_recomputed(
    run_texts, tmp_path: Path
) -> None:
    """A cache row is trusted only for a value of the node's static type: a row made to
    point at a valid value record of another type gives no wrong value."""
    (tmp_path / "m.vm").write_text("a = 1\nb = a + 1\nprint(b)\n")
    assert run_texts("m.vm").out == "program output: >>>\n2\n<<<\n"
    forged = ValueRecord("a string").document()
    with sqlite3.connect(tmp_path / ".texts" / DATABASE_FILE_NAME) as connection:
        connection.execute(
            'INSERT INTO "values" (id, doc) VALUES (?, ?)', (forged["_id"], json.dumps(forged))
        )
        connection.execute("UPDATE cache SET value = ?", (forged["_id"],))
    run = run_texts("m.vm", "--verbose")
    assert run.out == "program output: >>>\n2\n<<<\n"
    assert "b: computed (the cached value is not a Quantity)\n" in run.err
