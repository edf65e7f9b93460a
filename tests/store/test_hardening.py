"""A store that cannot be written or read as it should: a full disk, a read-only
directory, a directory where a file should be. What a user sees is one labelled line and a
non-zero status, never a traceback, and the store keeps what it held before."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from texts.store import journal
from texts.store.embedded import DATABASE_NAME, load_server

MODEL = "a = 1\nb = a + 1\nc = b + 1\nprint(c)\n"


def write_model(tmp_path: Path) -> None:
    (tmp_path / "m.vm").write_text(MODEL)


def test_a_lock_file_that_cannot_be_made_is_one_labelled_line(
    run_texts, tmp_path, monkeypatch
) -> None:
    write_model(tmp_path)
    real_open = os.open

    def read_only(path, flags, *args):  # a read-only .texts: the lock file cannot be made
        if str(path).endswith("launchpad.json.lock"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", read_only)
    run = run_texts("m.vm", "-m", "workflow", "-r")
    assert (run.status, run.out) == (1, "")
    lock = tmp_path / ".texts" / "launchpad.json.lock"
    assert run.err == (
        f"Configuration error: The texts store {tmp_path / '.texts' / 'launchpad.json'}"
        f" cannot be used: Read-only file system: {lock}\n"
    )


def test_a_full_disk_during_a_run_is_a_store_error_and_keeps_what_was_flushed(
    run_texts, tmp_path, monkeypatch
) -> None:
    write_model(tmp_path)
    assert run_texts("m.vm", "-m", "workflow").status == 0  # stored, nothing run
    appended = []
    real_append = journal.JournalFile.append

    def fill_up(self, record: bytes) -> None:
        appended.append(record)
        if len(appended) > 2:  # the disk is full after two flushes of the run
            os.write(self._fd, record[: len(record) // 2])  # a torn record
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path))
        real_append(self, record)

    monkeypatch.setattr(journal.JournalFile, "append", fill_up)
    run = run_texts("m.vm", "-m", "workflow", "-r", "--quiet")
    assert run.status == 1
    assert "Traceback" not in run.err
    assert run.err.startswith("Store error: The texts store ")
    assert "cannot be used: No space left on device: " in run.err
    monkeypatch.undo()
    server, _ = load_server(tmp_path / ".texts" / "launchpad.json")
    states = sorted(doc["state"] for doc in server[DATABASE_NAME]["fireworks"].documents)
    assert ("COMPLETED" in states and "READY" in states) or "WAITING" in states
    assert run_texts("m.vm", "-m", "workflow", "-r").status == 0  # usable again


@pytest.mark.parametrize("name", ["launchpad.json", "launchpad.json.lock"])
def test_a_directory_in_place_of_a_store_file_is_reported(run_texts, tmp_path, name) -> None:
    write_model(tmp_path)
    (tmp_path / ".texts" / name).mkdir(parents=True)
    run = run_texts("m.vm", "-m", "workflow", "-r")
    assert (run.status, run.out) == (1, "")
    assert run.err.startswith("Configuration error: The texts store ")
    assert "cannot be used: Is a directory" in run.err


def test_an_instant_run_goes_on_when_its_records_cannot_be_written(run_texts, tmp_path) -> None:
    write_model(tmp_path)
    (tmp_path / ".texts" / "texts.db").mkdir(parents=True)  # the database is not a file
    run = run_texts("m.vm")
    assert (run.status, run.out) == (0, "program output: >>>\n3\n<<<\n")
    assert run.err.startswith("Warning: the run log was not recorded: The database ")
    assert run.err.count("\n") == 1
    listed = run_texts("runs")
    assert (listed.status, listed.out) == (1, "")
    assert listed.err.startswith("Store error: The database ")


@pytest.mark.parametrize("damage", ["emptied", "deleted"])
def test_an_emptied_store_whose_run_log_knows_workflows_is_not_started_anew(
    run_texts, tmp_path, damage
) -> None:
    """Without the journal (whose seals would tell first), the run log tells."""
    write_model(tmp_path)
    assert run_texts("m.vm", "-m", "workflow", "-r").status == 0
    store = tmp_path / ".texts" / "launchpad.json"
    (tmp_path / ".texts" / "launchpad.json.journal").unlink()
    if damage == "emptied":
        store.write_text("{}")
    else:
        store.unlink()
    run = run_texts("m.vm", "-m", "workflow", "-r")
    assert (run.status, run.out) == (1, "")
    assert run.err == (
        f"Configuration error: The texts store {store} holds no workflows, but the run log"
        f" {tmp_path / '.texts' / 'texts.db'} records workflow runs: the store was emptied"
        " or deleted. Restore it from a copy, or move the directory aside to start anew.\n"
    )
    assert damage == "deleted" or store.read_text() == "{}"


@pytest.mark.parametrize("damage", ["emptied", "edited", "deleted"])
def test_a_store_file_its_journal_does_not_name_is_refused(run_texts, tmp_path, damage) -> None:
    """The journal's seal names the store file texts wrote last: any other content, or none,
    is refused (replaying the journal onto another file would give wrong values)."""
    write_model(tmp_path)
    assert run_texts("m.vm", "-m", "workflow", "-r").status == 0
    store = tmp_path / ".texts" / "launchpad.json"
    journal = tmp_path / ".texts" / "launchpad.json.journal"
    if damage == "emptied":
        store.write_text("{}")
    elif damage == "edited":  # still valid JSON of the right shape: only the seal tells
        store.write_text(store.read_text().replace('"COMPLETED"', '"READY"', 1))
    else:
        store.unlink()
    run = run_texts("m.vm", "-m", "workflow", "-r")
    assert (run.status, run.out) == (1, "")
    prefix = f"Configuration error: The texts store {store} cannot be read: "
    if damage == "deleted":
        assert run.err == (
            f"{prefix}it is missing, but its journal {journal} says it held 1 workflow:"
            " it was deleted. Restore it from a copy, or move the directory aside to"
            " start anew.\n"
        )
    else:
        assert run.err == (
            f"{prefix}it is not the file texts wrote (its checksum is not the one its"
            f" journal {journal} holds): it was changed by something else, or damaged."
            " Restore it from a copy; to use it as it is, delete the journal (changes"
            " not yet written into the store file are then lost).\n"
        )


@pytest.mark.parametrize("content", ["", "[]", '{"version": "one"}'])
def test_a_damaged_schema_file_of_old_records_is_a_labelled_error(
    run_texts, tmp_path, content
) -> None:
    """Records kept in files before texts.db, with a damaged version file: the run log
    says what to do, and an instant run still runs (with a warning)."""
    records = tmp_path / ".texts" / "records"
    records.mkdir(parents=True)
    (records / "schema.json").write_text(content)
    listed = run_texts("runs")
    assert (listed.status, listed.out) == (1, "")
    assert listed.err.startswith("Store error: The store ")
    assert listed.err.endswith("Run `texts db upgrade` to upgrade it (records are kept).\n")
    write_model(tmp_path)
    run = run_texts("m.vm")
    assert (run.status, run.out) == (0, "program output: >>>\n3\n<<<\n")
    assert run.err.startswith("Warning: the run log was not recorded: The store ")
    assert run_texts("db", "upgrade").status == 0
    assert run_texts("runs").status == 0
