"""The journal records path-level updates by their paths, and replaying it gives the store.

A document whose writes since the last flush all set or removed named paths is recorded as
those paths; any other write falls back to comparing the whole document. Either way the
store read back from its file and journal must equal the one in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bson import json_util
from crashes import kill_before_emptying_the_journal
from fireworks import LaunchPad

from texts.store.embedded import EmbeddedStore, journal_path, load_server

Step = Callable[[Any], object]
"""One write to a collection of the embedded store that texts does not read (any document
fits there)."""

STEPS: list[list[Step]] = [  # the writes between two flushes
    [
        lambda c: c.insert_many(
            [
                {"name": "a", "links": {"1": [2], "2": []}, "fw_states": {"1": "READY"}},
                {"name": "b", "state": "READY", "spec": {"x": {"y": 1}}},
                {"name": "c", "a": {"b": {"c": 1}}, "x": 1},
            ]
        )
    ],
    [  # a path inside another written as a whole in the same period, before and after it
        lambda c: c.update_one({"name": "a"}, {"$set": {"links.5": [1]}}),
        lambda c: c.update_one({"name": "a"}, {"$set": {"links": {"1": [3]}}}),
        lambda c: c.update_one({"name": "a"}, {"$set": {"links.7": [2], "fw_states.1": "RUN"}}),
    ],
    [  # path-level, then replaced whole: the whole document is compared
        lambda c: c.update_one({"name": "a"}, {"$set": {"fw_states.2": "READY"}}),
        lambda c: c.replace_one({"name": "a"}, {"name": "a", "links": {"1": []}, "new": 1}),
    ],
    [  # replaced whole, then path-level
        lambda c: c.replace_one({"name": "b"}, {"name": "b", "spec": {"x": {"z": 2}}}),
        lambda c: c.update_one({"name": "b"}, {"$set": {"spec.x.y": 3, "state": "RUNNING"}}),
    ],
    [  # set then removed, a path removed, a missing path removed, new sub-documents
        lambda c: c.update_one({"name": "c"}, {"$set": {"a.b.d": 2}}),
        lambda c: c.update_one({"name": "c"}, {"$unset": {"a.b.d": "", "x": "", "no.such": ""}}),
        lambda c: c.update_one({"name": "c"}, {"$set": {"deep.er.value": [1, {"k": 2}]}}),
    ],
    [  # a value set and set back: nothing to record
        lambda c: c.update_one({"name": "c"}, {"$set": {"a.b.c": 5}}),
        lambda c: c.update_one({"name": "c"}, {"$set": {"a.b.c": 1}}),
    ],
    [  # path-level, then deleted; $push (compared whole) mixed with paths
        lambda c: c.update_one({"name": "b"}, {"$set": {"state": "DONE"}}),
        lambda c: c.delete_one({"name": "b"}),
        lambda c: c.update_one({"name": "a"}, {"$set": {"links.1": [9]}}),
        lambda c: c.update_one({"name": "a"}, {"$push": {"nodes": 4}}),
        lambda c: c.update_one({"name": "c"}, {"$set": {"a.b": 7}}),
    ],
]


def test_a_reopened_store_equals_the_one_in_memory_after_path_and_whole_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = EmbeddedStore(tmp_path / ".texts")
    lp = store.open()
    recorded = []
    for writes in STEPS:
        records = len(journal_lines(store))
        for write in writes:
            write(lp.offline_runs)
        store.flush()
        assert read_back(store) == documents_in(lp)
        recorded.append(len(journal_lines(store)) > records)
    assert recorded == [True] * 5 + [False, True]  # a value set back is not recorded
    expected = documents_in(lp)
    kill_before_emptying_the_journal(store, monkeypatch)
    with EmbeddedStore(tmp_path / ".texts") as lp:
        assert documents_in(lp) == expected


def test_a_flush_after_a_path_level_update_records_only_those_paths(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / ".texts")
    lp = store.open()
    links = {str(i): [i + 1] for i in range(100)}
    states = {str(i): "WAITING" for i in range(100)}
    document_id = lp.offline_runs.insert_one({"links": links, "fw_states": states}).inserted_id
    store.flush()
    lp.offline_runs.update_one(
        {"_id": document_id},
        {"$set": {"links.3": [4, 5], "state": "RUNNING"}, "$unset": {"fw_states.2": ""}},
    )
    lp.offline_runs.update_one({"_id": document_id}, {"$set": {"fw_states.7": "READY"}})
    store.flush()

    assert journal_lines(store)[-1] == [
        [
            "fireworks",
            "offline_runs",
            document_id,
            None,
            {
                "set": [
                    [["fw_states", "7"], "READY"],
                    [["links", "3"], [4, 5]],
                    [["state"], "RUNNING"],
                ],
                "unset": [["fw_states", "2"]],
            },
        ]
    ]
    store.close()


def journal_lines(store: EmbeddedStore) -> list[Any]:
    """The journal's records of changes, decoded (without the seals of the store file)."""
    lines = journal_path(store.path).read_bytes().splitlines()
    decoded = [json_util.loads(line.partition(b" ")[2]) for line in lines]
    return [record for record in decoded if isinstance(record, list)]


def documents_in(lp: LaunchPad) -> list[dict[str, Any]]:
    """The documents of the written collection in memory."""
    return list(lp.offline_runs.find({}))


def read_back(store: EmbeddedStore) -> list[dict[str, Any]]:
    """The written collection's documents as the store file and its journal hold them."""
    server, _ = load_server(store.path)
    return [document for _, document in server["fireworks"]["offline_runs"].to_dict()["documents"]]
