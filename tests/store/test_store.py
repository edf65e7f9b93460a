"""The embedded FireWorks store: initialised on first use, durable across kill -9, locked.

Crashes and lock contention are real: other Python processes are started, killed with
SIGKILL and made to wait. Every wait is bounded, so a broken lock fails instead of hanging.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import mongomock
import pytest
from crashes import kill_before_emptying_the_journal
from fireworks import Firework, FWorker
from fireworks.core.rocket_launcher import launch_rocket
from fireworks.user_objects.firetasks.script_task import PyTask

from texts.store.embedded import EmbeddedStore, journal_path
from texts.store.errors import StoreError, StoreLockTimeout
from texts.store.workflows import open_workflow_store

# Deserialising a Firetask whose _fw_name is short ("PyTask") makes FireWorks import every
# module of its user packages, its own test modules included, whose marks pytest warns about.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnknownMarkWarning")

BOUND_SECONDS = 20.0
"""The longest any test waits for another process: far above normal, far below a hang."""

CHILD = r"""
import pathlib, sys
from fireworks import Firework
from fireworks.user_objects.firetasks.script_task import PyTask
from texts.store.embedded import EmbeddedStore

mode, directory = sys.argv[1], pathlib.Path(sys.argv[2])
store = EmbeddedStore(directory)
lp = store.open()
if mode == "append":  # add and flush until killed; the payload makes every write take a while
    payload = list(range(20000))
    number = lp.fireworks.count_documents({})
    while True:
        lp.add_wf(Firework(PyTask(func="math.fsum", args=[payload]), name=f"fw{number}"))
        store.flush()
        print(f"flushed fw{number}", flush=True)
        number += 1
elif mode == "hold":  # keep the store open until told to release it
    lp.add_wf(Firework(PyTask(func="math.fsum", args=[[1]]), name="from holder"))
    store.flush()
    print("holding", flush=True)
    sys.stdin.readline()
    store.close()
    print("released", flush=True)
elif mode == "count":
    print(f"opened with {lp.workflows.count_documents({})} workflows", flush=True)
    store.close()
"""


class Child:
    """A Python process running CHILD, whose output lines can be awaited with a bound."""

    def __init__(self, mode: str, directory: Path) -> None:
        env = {k: v for k, v in os.environ.items() if k != "MONGOMOCK_SERVERSTORE_FILE"}
        self.process = subprocess.Popen(
            [sys.executable, "-c", CHILD, mode, str(directory)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=directory.parent,
        )
        self.lines: dict[str, queue.Queue[str]] = {"out": queue.Queue(), "err": queue.Queue()}
        self.seen: dict[str, list[str]] = {"out": [], "err": []}
        for name, stream in (("out", self.process.stdout), ("err", self.process.stderr)):
            threading.Thread(target=_pump, args=(stream, self.lines[name]), daemon=True).start()

    def expect(self, stream: str, prefix: str) -> str:
        """The next line of ``stream`` that starts with ``prefix``, or fail after the bound."""
        deadline = time.monotonic() + BOUND_SECONDS
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                line = self.lines[stream].get(timeout=remaining)
            except queue.Empty:
                break
            self.seen[stream].append(line)
            if line.startswith(prefix):
                return line
        raise AssertionError(f"no {prefix!r} on std{stream} within the bound; saw {self.seen}")

    def said(self, stream: str, prefix: str) -> list[str]:
        """Every line of ``stream`` so far that starts with ``prefix``."""
        while not self.lines[stream].empty():
            self.seen[stream].append(self.lines[stream].get())
        return [line for line in self.seen[stream] if line.startswith(prefix)]

    def tell(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def finish(self) -> int:
        return self.process.wait(timeout=BOUND_SECONDS)


def _pump(stream: IO[str], lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))


@pytest.fixture
def children() -> Iterator[list[Child]]:
    """Child processes of a test; any still running at its end are killed."""
    started: list[Child] = []
    yield started
    for child in started:
        if child.process.poll() is None:
            child.process.kill()
        child.process.wait(timeout=BOUND_SECONDS)


def start(children: list[Child], mode: str, directory: Path) -> Child:
    child = Child(mode, directory)
    children.append(child)
    return child


def firework_names(directory: Path) -> set[str]:
    with EmbeddedStore(directory) as lp:
        return {doc["name"] for doc in lp.fireworks.find({}, {"name": 1})}


def test_first_use_initialises_the_store_and_a_completed_workflow_survives_reopening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the rocket writes FW.json into the working directory
    store = open_workflow_store(None, tmp_path)
    assert store.is_embedded
    assert Path(store.where) == tmp_path / ".texts" / "launchpad.json"
    lp = store.launchpad
    on_disk = json.loads(Path(store.where).read_text())["fireworks"]
    assert on_disk["fw_id_assigner"]["documents"][0][1]["next_fw_id"] == 1  # as `lpad reset`

    fw = Firework(PyTask(func="math.fsum", args=[[1, 2]], stored_data_varname="total"))
    provisional_id = fw.fw_id  # add_wf replaces it with the stored id
    fw_id = lp.add_wf(fw)[provisional_id]
    store.flush()
    assert launch_rocket(lp, FWorker())
    store.close()

    with EmbeddedStore(tmp_path / ".texts") as reopened:
        assert reopened.get_wf_by_fw_id(fw_id).state == "COMPLETED"
        assert reopened.fireworks.find_one({"fw_id": fw_id})["state"] == "COMPLETED"
        launch = reopened.launches.find_one({"fw_id": fw_id})
        assert launch["action"]["stored_data"] == {"total": 3.0}
        workflow = reopened.workflows.find_one({"nodes": fw_id})
        assert isinstance(workflow["updated_on"], datetime.datetime)
        assert "fw_id_1" in reopened.fireworks.index_information()  # indexes rebuilt


def test_stored_values_round_trip_including_datetimes(tmp_path: Path) -> None:
    when = datetime.datetime(2024, 2, 29, 23, 59, 58, 123000)
    value = {
        "text": "π ≈ 3.14",
        "numbers": [0, -7, 2**40, 1.5, float("inf")],
        "nested": {"none": None, "flag": True, "when": [when, {"deeper": when}]},
    }
    directory = tmp_path / ".texts"
    with EmbeddedStore(directory) as lp:
        lp.db.extra.insert_one({"value": value})
        in_memory = lp.db.extra.find_one({}, {"_id": 0})
    with EmbeddedStore(directory) as lp:
        assert lp.db.extra.find_one({}, {"_id": 0}) == in_memory == {"value": value}


def journal_lines(store: EmbeddedStore) -> list[list[list] | dict[str, dict]]:
    """The journal's lines, decoded: the seals of the store file ({"store": ...}) and the
    records of changes."""
    lines = journal_path(store.path).read_bytes().splitlines()
    return [json.loads(line.partition(b" ")[2]) for line in lines]


def journal_records(store: EmbeddedStore) -> list[list[list]]:
    """The journal's records of changes: each a list of [database, collection, key,
    document] or, for a changed document, [database, collection, key, None, patch]."""
    return [line for line in journal_lines(store) if isinstance(line, list)]


def test_flush_appends_only_the_changed_documents_to_the_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = EmbeddedStore(tmp_path / ".texts")
    lp = store.open()
    fsynced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (fsynced.append(fd), real_fsync(fd))[1])
    store_file = store.path.read_bytes()

    lp.db.extra.insert_many([{"n": 1}, {"n": 2}])
    store.flush()
    assert len(fsynced) == 1  # the journal
    lp.db.extra.update_one({"n": 2}, {"$set": {"nested.value": [3]}})  # changed in place
    store.flush()
    store.flush()  # nothing changed: nothing written
    lp.db.extra.delete_one({"n": 1})
    store.flush()
    assert len(fsynced) == 3
    assert store.path.read_bytes() == store_file  # the whole store is not rewritten

    first, updated, deleted = journal_records(store)
    assert [(db, name, doc["n"]) for db, name, _, doc in first] == [
        ("fireworks", "extra", 1),
        ("fireworks", "extra", 2),
    ]
    # only what changed: the new sub-document, not the whole document
    assert updated == [
        [
            "fireworks",
            "extra",
            first[1][2],
            None,
            {"set": [[["nested"], {"value": [3]}]], "unset": []},
        ]
    ]
    assert [(key, doc) for *_, key, doc in deleted] == [(first[0][2], None)]


def test_close_writes_the_whole_store_atomically_and_empties_the_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = EmbeddedStore(tmp_path / ".texts")
    lp = store.open()
    lp.db.extra.insert_one({"n": 1})
    store_file = store.path.read_bytes()

    def crash(*_args: object) -> None:
        raise OSError("simulated crash before the rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(StoreError, match="cannot be used: simulated crash before the rename"):
        store.close()
    assert store.path.read_bytes() == store_file
    assert list(store.directory.glob("*.tmp")) == []
    assert len(journal_records(store)) == 1  # the flush before the failed write
    monkeypatch.undo()

    with EmbeddedStore(tmp_path / ".texts") as lp:  # replayed from the journal
        assert lp.db.extra.count_documents({}) == 1
        lp.db.extra.insert_one({"n": 2})
    # the journal holds only the seal of the store file it continues
    store_file = store.path.read_bytes()
    seal = {"sha256": hashlib.sha256(store_file).hexdigest(), "workflows": 0}
    assert journal_lines(store) == [{"store": seal}]
    on_disk = json.loads(store.path.read_text())["fireworks"]["extra"]["documents"]
    assert sorted(document["n"] for _, document in on_disk) == [1, 2]


def test_a_torn_journal_record_is_ignored_and_cut_off(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / ".texts")
    lp = store.open()
    for n in (1, 2):
        lp.db.extra.insert_one({"n": n})
        store.flush()
    crashed = {path: path.read_bytes() for path in (store.path, journal_path(store.path))}
    store.close()
    seal, first, _ = crashed[journal_path(store.path)].split(b"\n", 2)
    first_record = len(seal) + 1 + len(first) + 1
    for cut in (3, -40, -1):  # a record torn early, in its middle and before its line break
        torn = crashed[journal_path(store.path)]
        crashed[journal_path(store.path)] = torn[: first_record + cut] if cut > 0 else torn[:cut]
        for path, content in crashed.items():
            path.write_bytes(content)
        with EmbeddedStore(tmp_path / ".texts") as lp:
            assert [doc["n"] for doc in lp.db.extra.find()] == [1]
            assert journal_path(store.path).stat().st_size == first_record
            lp.db.extra.insert_one({"n": 3})
        with EmbeddedStore(tmp_path / ".texts") as lp:  # what follows the cut is read back
            assert [doc["n"] for doc in lp.db.extra.find()] == [1, 3]
        crashed[journal_path(store.path)] = torn


def test_a_journal_left_behind_by_a_crash_after_the_store_file_was_written_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = EmbeddedStore(tmp_path / ".texts")
    lp = store.open()
    lp.db.extra.insert_one({"n": 1, "state": "READY"})
    store.flush()
    lp.db.extra.update_one({"n": 1}, {"$set": {"state": "COMPLETED"}})
    lp.db.extra.insert_one({"n": 2})
    store.flush()
    lp.db.extra.delete_one({"n": 2})
    store.flush()
    kill_before_emptying_the_journal(store, monkeypatch)
    with EmbeddedStore(tmp_path / ".texts") as lp:
        assert list(lp.db.extra.find({}, {"_id": 0})) == [{"n": 1, "state": "COMPLETED"}]


@pytest.mark.parametrize(
    "query",
    [
        {"fw_id": 2},
        {"fw_id": {"$in": [1, 3]}, "state": "READY"},
        {"state": "READY"},
        {"nodes": 2},
        {"nodes": {"$in": [5, 7]}},
        {"fw_id": 1.0},
        {"flag": 1},
        {"absent": "x"},
        {"fw_id": {"$in": [1, None]}},
        {"spec.name": "a"},
    ],
)
def test_queries_answer_as_mongomock_does(tmp_path: Path, query: dict) -> None:
    documents = [
        {"fw_id": 1, "state": "READY", "nodes": [1, 2], "flag": True, "spec": {"name": "a"}},
        {"fw_id": 2, "state": "WAITING", "nodes": [5], "flag": 1},
        {"fw_id": 3.0, "state": "READY", "flag": None},
        {"fw_id": "3", "state": ["READY"], "nodes": 7},
        {"state": "READY", "spec": {"name": "b"}},
    ]
    plain = mongomock.MongoClient().db.collection
    plain.insert_many([dict(document) for document in documents])
    with EmbeddedStore(tmp_path / ".texts") as lp:
        lp.fireworks.insert_many([dict(document) for document in documents])
        found = list(lp.fireworks.find(query, {"_id": 0}))
        assert found == list(plain.find(query, {"_id": 0}))
        assert lp.fireworks.count_documents(query) == len(found)


def test_kill_9_while_flushing_leaves_a_store_with_every_flushed_firework(
    tmp_path: Path, children: list[Child]
) -> None:
    directory = tmp_path / ".texts"
    flushed: list[str] = []
    killed_mid_write = False
    for attempt in range(6):  # each new writer also proves that the dead one's lock is gone
        writer = start(children, "append", directory)
        flushed += [writer.expect("out", "flushed ").split()[1] for _ in range(2)]
        if attempt == 0:
            time.sleep(random.uniform(0.0, 0.05))  # land anywhere in the next add or write
            temporary = None
        else:
            temporary = wait_for_temporary_file(directory)  # between creation and rename
        writer.process.send_signal(signal.SIGKILL)
        assert writer.finish() == -signal.SIGKILL
        # The signal may land just after the rename; then the next writer tries again.
        killed_mid_write = temporary is not None and temporary.exists()
        flushed += [line.split()[1] for line in writer.said("out", "flushed ")]
        assert set(flushed) <= firework_names(directory)
        assert list(directory.glob("*.tmp")) == []  # opening removed a dead writer's leftover
        if killed_mid_write:
            break
    assert killed_mid_write


def wait_for_temporary_file(directory: Path) -> Path:
    """The first temporary store file seen in ``directory``, polled as fast as possible."""
    deadline = time.monotonic() + BOUND_SECONDS
    while time.monotonic() < deadline:
        for entry in os.scandir(directory):
            if entry.name.endswith(".tmp"):
                return Path(entry.path)
    raise AssertionError(f"no flush seen in {directory} within the bound")


def test_a_second_process_waits_for_the_lock_and_then_sees_the_first_ones_work(
    tmp_path: Path, children: list[Child]
) -> None:
    directory = tmp_path / ".texts"
    holder = start(children, "hold", directory)
    holder.expect("out", "holding")
    waiter = start(children, "count", directory)
    message = waiter.expect("err", "Waiting for another texts process")
    assert str(directory.resolve() / "launchpad.json") in message
    assert waiter.process.poll() is None and not waiter.said("out", "opened")

    holder.tell("release")
    holder.expect("out", "released")
    assert waiter.expect("out", "opened") == "opened with 1 workflows"
    assert holder.finish() == 0 and waiter.finish() == 0
    assert len(waiter.said("err", "Waiting")) == 1


def test_wait_seconds_gives_up_with_an_error_naming_the_store(
    tmp_path: Path, children: list[Child]
) -> None:
    directory = tmp_path / ".texts"
    holder = start(children, "hold", directory)
    holder.expect("out", "holding")
    store = EmbeddedStore(directory, wait_seconds=0.3)
    started = time.monotonic()
    with pytest.raises(StoreLockTimeout, match="another process") as raised:
        store.open()
    assert 0.3 <= time.monotonic() - started < BOUND_SECONDS
    assert str(store.path) in str(raised.value)
    assert isinstance(raised.value, TimeoutError)
    holder.tell("release")
    assert holder.finish() == 0
    with store as lp:  # the same object opens once the lock is free
        assert lp.workflows.count_documents({}) == 1


def test_a_second_open_in_the_same_process_fails_instead_of_waiting_for_itself(
    tmp_path: Path,
) -> None:
    with EmbeddedStore(tmp_path) as lp:
        lp.db.extra.insert_one({"n": 1})
        with pytest.raises(StoreError, match="already open in this process"):
            EmbeddedStore(tmp_path, wait_seconds=5).open()
    with EmbeddedStore(tmp_path) as lp:
        assert lp.db.extra.count_documents({}) == 1


def test_an_unreadable_store_is_reported_and_kept_not_reset(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    store.path.write_text('{"fireworks": {"fireworks": {"name": "firew')
    with pytest.raises(StoreError, match="cannot be read") as raised:
        store.open()
    assert str(store.path) in str(raised.value)
    assert store.path.read_text().endswith('"firew')
    store.path.write_text("{}")  # an empty store as FireWorks' mongomock docs create it
    with store as lp:
        assert lp.fw_id_assigner.count_documents({}) == 1


def test_fireworks_mongomock_environment_variable_does_not_redirect_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.json"
    monkeypatch.setenv("MONGOMOCK_SERVERSTORE_FILE", str(other))
    with EmbeddedStore(tmp_path / ".texts") as lp:
        lp.db.extra.insert_one({"n": 1})
    assert not other.exists()
    assert "extra" in json.loads((tmp_path / ".texts" / "launchpad.json").read_text())["fireworks"]


def test_open_launchpad_on_a_real_mongodb(tmp_path: Path, mongodb_launchpad: Path) -> None:
    store = open_workflow_store(mongodb_launchpad, tmp_path)
    assert not store.is_embedded
    lp = store.launchpad
    fw = Firework(PyTask(func="math.fsum", args=[[1]]), name="texts store test")
    provisional_id = fw.fw_id
    fw_id = lp.add_wf(fw)[provisional_id]
    try:
        assert lp.get_wf_by_fw_id(fw_id).state == "READY"
    finally:
        lp.delete_wf(fw_id)
        store.close()


def test_indexed_queries_follow_inserts_deletes_and_replacements(tmp_path: Path) -> None:
    plain = mongomock.MongoClient().db.collection
    with EmbeddedStore(tmp_path / ".texts") as lp:
        collections = (plain, lp.fireworks)

        def same(query: dict) -> None:
            found = [list(c.find(query, {"_id": 0}).sort("n", 1)) for c in collections]
            assert found[0] == found[1], query

        for collection in collections:
            collection.insert_many([{"fw_id": i, "n": i, "state": "READY"} for i in range(5)])
        same({"fw_id": {"$in": [1, 3, 9]}})
        for collection in collections:  # same count, other documents
            collection.delete_one({"fw_id": 3})
            collection.insert_one({"fw_id": 9, "n": 9, "state": "WAITING"})
            collection.replace_one({"fw_id": 1}, {"fw_id": 1, "n": 10, "state": "DONE"})
            collection.update_one({"fw_id": 2}, {"$set": {"state": "RUNNING"}})
        same({"fw_id": {"$in": [1, 3, 9]}})
        same({"fw_id": 2, "state": "RUNNING"})
        same({"launch_id": 1})
