"""The embedded store's collection gives mongomock's answers by shorter ways.

Every operation runs on a plain mongomock collection and on a LaunchPad collection of the
embedded store; results, counts and the documents afterwards must be the same, and a
reopened store must hold what the journal's records (patches of changed documents) say.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mongomock
import pytest

from texts.store.embedded import EmbeddedStore

DOCUMENTS = [
    {"fw_id": 1, "state": "READY", "launches": [4, 5], "links": {"1": [2], "2": []}},
    {"fw_id": 2, "state": "WAITING", "launches": [], "spec": {"a": {"b": 1}, "l": [{"x": 1}]}},
    {"fw_id": 3, "state": "READY", "launches": [True], "flag": 1.0},
    {"fw_id": 4, "nodes": [1, 2, 3], "fw_states": {"1": "READY", "2": "WAITING"}},
]
UPDATES: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"fw_id": 4}, {"$set": {"fw_states.2": "READY", "state": "RUNNING"}}),
    ({"fw_id": 4}, {"$set": {"fw_states.2": "READY"}}),  # no change
    ({"fw_id": 4}, {"$unset": {"fw_states.1": ""}, "$set": {"links.9": [1]}}),
    ({"fw_id": 2}, {"$set": {"spec.l.0.x": 2}}),  # through a list: mongomock's own way
    ({"fw_id": 2}, {"$set": {"spec.a": 5}}),
    ({"state": "READY"}, {"$set": {"state": "RESERVED"}}),
    ({"launches": 5}, {"$set": {"launches": [6]}}),
    ({"fw_id": 1}, {"$set": {"fw_id": 9}}),  # an indexed field changes
]
QUERIES: list[tuple[dict[str, Any], Any]] = [
    ({"launches": 6}, None),
    ({"launches": 1}, None),  # True is not 1 for MongoDB
    ({"fw_id": 9}, {"links.1": 1}),
    ({"fw_id": {"$in": [1, 2]}}, ["spec.a", "fw_id"]),
    ({"nodes": 3}, {"fw_states.2": 1, "links": 1, "_id": 0}),
    ({"state": "RESERVED"}, {"spec.l.x": 1}),
    ({}, {"state": 1, "missing.path": 1}),
]


@pytest.mark.parametrize("many", [False, True])
def test_updates_and_projections_answer_as_mongomock_does(tmp_path: Path, many: bool) -> None:
    plain = mongomock.MongoClient().db.collection
    with EmbeddedStore(tmp_path / ".texts") as lp:
        ours = lp.offline_runs
        for collection in (plain, ours):
            collection.insert_many([dict(document) for document in DOCUMENTS])
        for filter, update in UPDATES:
            method = "update_many" if many else "update_one"
            results = [getattr(c, method)(filter, update) for c in (plain, ours)]
            counts = [(r.matched_count, r.modified_count) for r in results]
            assert counts[0] == counts[1], (filter, update)
        for filter, projection in QUERIES:
            found = [without_ids(c.find(filter, projection)) for c in (plain, ours)]
            assert found[0] == found[1], (filter, projection)
        expected = without_ids(plain.find({}))
        assert without_ids(ours.find({})) == expected
    with EmbeddedStore(tmp_path / ".texts") as lp:  # replayed from the journal
        assert without_ids(lp.offline_runs.find({})) == expected


def without_ids(documents: Any) -> list[dict[str, Any]]:
    """The documents without their ``_id`` (each collection made its own ObjectIds)."""
    return [{k: v for k, v in document.items() if k != "_id"} for document in documents]
