"""The schema version of a store as users see it: ``texts db info`` and ``texts db upgrade``."""

from __future__ import annotations

import json
import re
import sqlite3
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from texts.paths import STORE_DIRECTORY_NAME
from texts.provenance.recordstore import open_record_store
from texts.provenance.signature import digest
from texts.store.sqlite_records import DATABASE_FILE_NAME

MODEL = "a = 1\nb = a + 1\nprint(b)\n"
Texts = Callable[..., Any]
"""The ``run_texts`` fixture: runs ``texts`` in ``tmp_path``."""


def info(run_texts: Texts) -> str:
    run = run_texts("db", "info")
    assert (run.status, run.err) == (0, "")
    return run.out


def records(run_texts: Texts) -> list[dict[str, Any]]:
    """The records of the store, as ``texts export`` prints them."""
    run = run_texts("export")
    assert (run.status, run.err) == (0, "")
    return [json.loads(line) for line in run.out.splitlines()[1:]]


def run_in_workflow_mode(run_texts: Texts, tmp_path: Path) -> str:
    """Run the model in workflow mode; its UUID."""
    (tmp_path / "m.vm").write_text(MODEL, encoding="utf-8")
    run = run_texts("m.vm", "-m", "workflow", "-r")
    assert run.status == 0
    match = re.search(r"program UUID: (\w+)", run.out)
    assert match, run.out
    return match.group(1)


def database(tmp_path: Path) -> Path:
    return tmp_path / STORE_DIRECTORY_NAME / DATABASE_FILE_NAME


def make_older(tmp_path: Path) -> None:
    """Make the store older than the run log: only the workflows are left."""
    for suffix in ("", "-wal", "-shm"):
        database(tmp_path).with_name(DATABASE_FILE_NAME + suffix).unlink(missing_ok=True)


def drop_version(tmp_path: Path) -> None:
    """Leave the records but not the version, as an upgrade interrupted before its end."""
    with sqlite3.connect(database(tmp_path)) as connection:
        connection.execute("DELETE FROM meta")


def test_info_of_a_new_store(run_texts: Texts, tmp_path: Path) -> None:
    assert info(run_texts) == (
        f"store: {database(tmp_path)}\n"
        "schema version: none yet (new store)\n"
        "run records: 0\nnode records: 0\nvalue records: 0\nfile records: 0\ncode records: 0\n"
    )
    upgrade = run_texts("db", "upgrade")
    assert (upgrade.status, upgrade.out) == (
        0,
        "a new store: nothing to upgrade (it starts at schema version 2)\n",
    )


def test_info_and_upgrade_of_a_current_store(run_texts: Texts, tmp_path: Path) -> None:
    (tmp_path / "m.vm").write_text(MODEL, encoding="utf-8")
    assert run_texts("m.vm").status == 0
    shown = info(run_texts)
    assert "schema version: 2 (current)\n" in shown
    assert "run records: 2\n" in shown  # started, then ended
    assert "code records: 1\n" in shown
    before = records(run_texts)
    upgrade = run_texts("db", "upgrade")
    assert (upgrade.status, upgrade.out) == (0, "already at schema version 2\n")
    assert records(run_texts) == before


def test_upgrade_back_fills_the_run_log_of_an_older_store(run_texts: Texts, tmp_path: Path) -> None:
    uuid = run_in_workflow_mode(run_texts, tmp_path)
    make_older(tmp_path)
    shown = info(run_texts)
    assert "schema version: 0 (older: run texts db upgrade)\n" in shown
    assert "run records: 0\n" in shown

    upgrade = run_texts("db", "upgrade")
    assert upgrade.status == 0
    assert re.fullmatch(
        r"upgraded the store from schema version 0 to 1: added \d+ run log records"
        r" read from 1 stored workflow\(s\)\n"
        r"upgraded the store from schema version 1 to 2: moved 0 records and 0 cached values"
        r" into .*texts\.db\n",
        upgrade.out,
    )
    assert "schema version: 2 (current)\n" in info(run_texts)
    runs = [record for record in records(run_texts) if record["kind"] == "run"]
    assert [(run["model"], run["executor"]) for run in runs] == [(uuid, "workflow")]
    assert run_texts("db", "upgrade").out == "already at schema version 2\n"


def test_an_interrupted_upgrade_keeps_the_records_and_runs_again(
    run_texts: Texts, tmp_path: Path
) -> None:
    run_in_workflow_mode(run_texts, tmp_path)
    before = records(run_texts)
    drop_version(tmp_path)
    assert "schema version: 0 (older: run texts db upgrade)\n" in info(run_texts)
    assert run_texts("db", "upgrade").status == 0
    upgraded = records(run_texts)
    assert [record for record in upgraded if record in before] == before
    assert len(upgraded) > len(before)

    drop_version(tmp_path)  # as if it crashed
    again = run_texts("db", "upgrade")
    assert again.out == (
        "upgraded the store from schema version 0 to 1:"
        " added 0 run log records read from 1 stored workflow(s)\n"
        "upgraded the store from schema version 1 to 2:"
        f" moved 0 records and 0 cached values into {database(tmp_path)}\n"
    )
    assert records(run_texts) == upgraded


def test_a_newer_store_is_shown_but_not_upgraded(run_texts: Texts, tmp_path: Path) -> None:
    with open_record_store(None, tmp_path, embedded=True) as store:
        store.set_version(99)
    assert "schema version: 99 (newer than this textS, which knows 2: upgrade textS)\n" in info(
        run_texts
    )
    upgrade = run_texts("db", "upgrade")
    assert (upgrade.status, upgrade.out) == (1, "")
    assert upgrade.err == (
        f"Store error: The store {database(tmp_path)} has schema version 99,"
        " newer than this textS knows (2): upgrade textS to use it.\n"
    )


def legacy_line(document: dict[str, Any]) -> bytes:
    data = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
    return b"%08x " % zlib.crc32(data) + data + b"\n"


def test_upgrade_moves_record_and_cache_files_into_the_database(
    run_texts: Texts, tmp_path: Path
) -> None:
    """A store of schema version 1 kept records in JSON-lines files and the result cache in
    files: ``texts db upgrade`` moves them into texts.db, and the run log and the cache
    answer as before."""
    (tmp_path / "m.vm").write_text(MODEL, encoding="utf-8")
    assert run_texts("m.vm").status == 0
    exported = records(run_texts)
    log = run_texts("log", "b").out
    store = tmp_path / STORE_DIRECTORY_NAME
    legacy = store / "records"
    legacy.mkdir()
    (legacy / "schema.json").write_text('{"version": 1}')
    for kind in ("run", "node", "value", "file", "code"):
        lines = [legacy_line(r) for r in exported if r["kind"] == kind]
        (legacy / f"{kind}s.jsonl").write_bytes(b"".join(lines) + b"0000 torn")
    with sqlite3.connect(database(tmp_path)) as connection:
        cached = connection.execute(
            'SELECT c.signature, v.doc FROM cache c JOIN "values" v ON v.id = c.value'
        ).fetchall()
        model_key, nodes = connection.execute("SELECT key, nodes FROM cache_models").fetchone()
    for signature, doc in cached:
        value = json.loads(doc)["data"]
        path = store / "cache" / "values" / signature[:2] / f"{signature}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(value, sort_keys=True)
        path.write_text(json.dumps({"sha256": digest(text), "value": value}))
    (store / "cache" / "models").mkdir()
    (store / "cache" / "models" / f"{model_key}.json").write_text(nodes)
    make_older(tmp_path)

    assert "schema version: 1 (older: run texts db upgrade)\n" in info(run_texts)
    again = run_texts("m.vm")
    assert again.err.startswith("Warning: the run log was not recorded: The store ")
    upgrade = run_texts("db", "upgrade")
    assert upgrade.out == (
        "upgraded the store from schema version 1 to 2: moved"
        f" {len(exported)} records and {len(cached)} cached values into {database(tmp_path)}\n"
    )
    assert not legacy.exists() and not (store / "cache").exists()
    assert records(run_texts) == exported
    assert run_texts("log", "b").out == log
    rerun = run_texts("m.vm", "--verbose")
    assert rerun.err.splitlines()[-1] == "Nodes: 1 cached"
