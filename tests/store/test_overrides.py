"""Every public pymongo write method, through each override of the embedded store's
collection (``compat.NarrowingCollection``: ``_insert``, ``_update``, ``_delete``), is seen
by the store's index (queries by indexed fields answer as plain mongomock does) and by its
journal (the store read back from file and journal holds what is in memory).

If a new mongomock routed a write around the overrides, the index would answer from stale
entries and a flush would miss the write: these tests fail then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import mongomock
import pytest
from pymongo import DeleteMany, DeleteOne, InsertOne, UpdateMany

from texts.store.embedded import DATABASE_NAME, EmbeddedStore, load_server

Write = Callable[[Any], object]

SEED = [{"fw_id": i, "state": "WAITING", "name": f"n{i}", "nodes": [i]} for i in range(1, 7)]

INSERTS: dict[str, Write] = {
    "insert_one": lambda c: c.insert_one({"fw_id": 9, "state": "READY", "nodes": [9]}),
    "insert_many": lambda c: c.insert_many(
        [{"fw_id": 9, "state": "READY"}, {"fw_id": 10, "state": "READY", "nodes": [2]}]
    ),
    "bulk_write InsertOne": lambda c: c.bulk_write([InsertOne({"fw_id": 9, "state": "READY"})]),
    "update_one upsert": lambda c: c.update_one(
        {"fw_id": 9}, {"$set": {"state": "READY"}}, upsert=True
    ),
    "replace_one upsert": lambda c: c.replace_one(
        {"fw_id": 9}, {"fw_id": 9, "state": "READY"}, upsert=True
    ),
    "find_one_and_update upsert": lambda c: c.find_one_and_update(
        {"fw_id": 9}, {"$set": {"state": "READY"}}, upsert=True
    ),
}
UPDATES: dict[str, Write] = {  # (pymongo's UpdateOne and ReplaceOne pass a ``sort`` to
    # bulk_write that mongomock 4.3 refuses, for every mongomock collection alike)
    "update_one $set": lambda c: c.update_one({"fw_id": 2}, {"$set": {"state": "READY"}}),
    "update_one $set path": lambda c: c.update_one({"fw_id": 2}, {"$set": {"spec.x": 1}}),
    "update_one $push": lambda c: c.update_one({"fw_id": 2}, {"$push": {"nodes": 7}}),
    "update_many": lambda c: c.update_many({"fw_id": {"$in": [1, 3]}}, {"$set": {"state": "A"}}),
    "replace_one": lambda c: c.replace_one({"fw_id": 3}, {"fw_id": 3, "state": "COMPLETED"}),
    "find_one_and_update": lambda c: c.find_one_and_update(
        {"state": "WAITING"}, {"$set": {"state": "RESERVED"}}, sort=[("fw_id", -1)]
    ),
    "find_one_and_replace": lambda c: c.find_one_and_replace(
        {"fw_id": 4}, {"fw_id": 4, "state": "FIZZLED", "nodes": [1]}
    ),
    "bulk_write UpdateMany": lambda c: c.bulk_write(
        [UpdateMany({}, {"$set": {"state": "PAUSED"}})]
    ),
}
DELETES: dict[str, Write] = {
    "delete_one": lambda c: c.delete_one({"fw_id": 2}),
    "delete_many": lambda c: c.delete_many({"fw_id": {"$in": [1, 3, 5]}}),
    "find_one_and_delete": lambda c: c.find_one_and_delete({"state": "WAITING"}),
    "bulk_write DeleteOne": lambda c: c.bulk_write([DeleteOne({"fw_id": 4})]),
    "bulk_write DeleteMany": lambda c: c.bulk_write([DeleteMany({"fw_id": {"$gt": 3}})]),
}

QUERIES = [
    {"fw_id": 2},
    {"fw_id": 9},
    {"fw_id": 60},
    {"fw_id": {"$in": [1, 3, 4, 6, 9, 10]}},
    {"state": "READY"},
    {"state": "WAITING"},
    {"state": "A"},
    {"state": "PAUSED"},
    {"state": "RESERVED"},
    {"nodes": 2},
    {"nodes": 7},
    {"nodes": 9},
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(tmp_path / ".texts")
    launchpad = store.open()
    try:
        launchpad.offline_runs.insert_many([dict(d) for d in SEED])
        store.flush()
        for query in QUERIES:  # the index exists before the write
            list(launchpad.offline_runs.find(query))
        yield store
    finally:
        store.close()


def plain_collection() -> Any:
    collection = mongomock.MongoClient().db.offline_runs
    collection.insert_many([dict(d) for d in SEED])
    return collection


def documents(found: Any) -> list[dict[str, Any]]:
    return sorted(
        ({k: v for k, v in d.items() if k != "_id"} for d in found),
        key=lambda d: (d.get("fw_id", 0), str(d)),
    )


def check_seen(store: EmbeddedStore, write: Write) -> None:
    launchpad = store.launchpad
    plain = plain_collection()
    write(launchpad.offline_runs)
    write(plain)
    for query in QUERIES:
        assert documents(launchpad.offline_runs.find(query)) == documents(plain.find(query)), query
    store.flush()
    server, _ = load_server(store.path)
    on_disk = documents(server[DATABASE_NAME]["offline_runs"].documents)
    assert on_disk == documents(launchpad.offline_runs.find({}))
    assert on_disk == documents(plain.find({}))


@pytest.mark.parametrize("method", INSERTS)
def test_writes_through_the_insert_override_are_seen(store: EmbeddedStore, method: str) -> None:
    check_seen(store, INSERTS[method])


@pytest.mark.parametrize("method", UPDATES)
def test_writes_through_the_update_override_are_seen(store: EmbeddedStore, method: str) -> None:
    check_seen(store, UPDATES[method])


@pytest.mark.parametrize("method", DELETES)
def test_writes_through_the_delete_override_are_seen(store: EmbeddedStore, method: str) -> None:
    check_seen(store, DELETES[method])


def test_a_dropped_collection_is_seen(store: EmbeddedStore) -> None:
    """``drop`` bypasses the overrides: the index and the journal notice the change of size."""
    check_seen(store, lambda c: c.drop())
