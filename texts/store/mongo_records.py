"""The run records and the result cache of a MongoDB workflow database, in collections of
their own (``texts_runs``, ``texts_nodes``, ..., ``texts_cache``, ``texts_cache_models``).

The collections are indexed by the fields the run log asks by (``ensure_indexes``, run by
the schema upgrade to version 2 and whenever a new database is given its version), so a
question costs an index lookup there too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database
from pymongo.errors import BulkWriteError

from texts.store.records import KIND_COLLECTIONS, Document, RecordDatabase

SCHEMA_COLLECTION = "texts_schema"
CACHE_COLLECTION = "texts_cache"
CACHE_MODELS_COLLECTION = "texts_cache_models"
_VERSION_KEY = "version"
_DUPLICATE_KEY = 11000
_INDEXES = {
    "run": [[("run", ASCENDING)], [("started", DESCENDING), ("run", DESCENDING)],
            [("model", ASCENDING), ("model_hash", ASCENDING)]],
    "node": [[("name", ASCENDING)], [("run", ASCENDING), ("hash", ASCENDING)],
             [("hash", ASCENDING)]],
    "file": [[("path", ASCENDING)], [("run", ASCENDING), ("node", ASCENDING)]],
}  # fmt: skip


class MongoRecords(RecordDatabase):
    """The records of a MongoDB database (the workflow database of a launchpad file)."""

    def __init__(self, database: Database[Document], where: str) -> None:
        self.database = database
        self.where = where

    def commit(self) -> None:
        """Nothing to do: the server keeps each write by itself."""

    def close(self) -> None:
        """Nothing to do: the connection belongs to the workflow store."""

    def _kind(self, kind: str) -> Any:
        return self.database[KIND_COLLECTIONS[kind]]

    def ensure_indexes(self) -> None:
        """Index the record collections by the fields the run log asks by."""
        for kind, indexes in _INDEXES.items():
            for keys in indexes:
                self._kind(kind).create_index(keys)

    # ---- schema version

    def version(self) -> int | None:
        marker = self.database[SCHEMA_COLLECTION].find_one({"_id": _VERSION_KEY})
        return None if marker is None else int(marker["version"])

    def set_version(self, version: int) -> None:
        self.ensure_indexes()
        self.database[SCHEMA_COLLECTION].replace_one(
            {"_id": _VERSION_KEY}, {"_id": _VERSION_KEY, "version": version}, upsert=True
        )

    # ---- the sync primitives

    def put_records(self, kind: str, documents: list[Document]) -> int:
        if not documents:
            return 0
        unique = list({document["_id"]: document for document in documents}.values())
        # the database refuses the ids it has (a lookup by key; asking first which ids are
        # present would test every stored document against every id)
        try:
            self._kind(kind).insert_many(unique, ordered=False)
        except BulkWriteError as error:
            errors = error.details.get("writeErrors", [])
            duplicates = [e for e in errors if e.get("code") == _DUPLICATE_KEY]
            if len(duplicates) != len(errors):
                raise
            return len(unique) - len(duplicates)
        return len(unique)

    def get_records(self, kind: str, ids: Iterable[str] | None = None) -> Iterator[Document]:
        query = {} if ids is None else {"_id": {"$in": list(ids)}}
        return iter(self._kind(kind).find(query))

    def iter_record_ids(self, kind: str) -> Iterator[str]:
        return (document["_id"] for document in self._kind(kind).find({}, {"_id": 1}))

    # ---- the run log's questions

    def newest_runs(self, limit: int | None) -> list[str]:
        pipeline: list[Document] = [
            {"$group": {"_id": "$run", "started": {"$max": "$started"}}},
            {"$sort": {"started": -1, "_id": -1}},
        ]
        if limit is not None:
            pipeline.append({"$limit": int(limit)})
        return [group["_id"] for group in self._kind("run").aggregate(pipeline)]

    def runs_starting_with(self, prefix: str, limit: int) -> list[str]:
        query = {"run": {"$gte": prefix, "$lt": prefix + "\uffff"}}
        runs: list[str] = []
        for document in self._kind("run").find(query, {"run": 1}).sort("run", ASCENDING):
            if document["run"] not in runs:
                runs.append(document["run"])
                if len(runs) == limit:
                    break
        return runs

    def run_records(self, run: str) -> list[Document]:
        return list(self._kind("run").find({"run": run}))

    def first_run(self, model: str, model_hash: str) -> Document | None:
        found = self._kind("run").find({"model": model, "model_hash": model_hash})
        return next(iter(found.sort([("started", ASCENDING), ("run", ASCENDING)]).limit(1)), None)

    def nodes_of_run(self, run: str) -> list[Document]:
        return list(self._kind("node").find({"run": run}))

    def node_count(self, run: str) -> int:
        return int(self._kind("node").count_documents({"run": run}))

    def newest_node(
        self, *, name: str | None = None, hash: str | None = None, run: str | None = None
    ) -> Document | None:
        query: Document = {"name": name} if name is not None else {"hash": hash}
        if run is not None:
            query["run"] = run
        candidates = list(self._kind("node").find(query))
        if not candidates:
            return None
        started = self._starts({node["run"] for node in candidates})
        known = [node for node in candidates if node["run"] in started]
        if not known:
            return None
        return max(known, key=lambda node: (started[node["run"]], node["run"]))

    def _starts(self, runs: set[str]) -> dict[str, str]:
        found = self._kind("run").find({"run": {"$in": sorted(runs)}}, {"run": 1, "started": 1})
        return {document["run"]: document["started"] for document in found}

    def node_hashes(self, prefix: str, run: str | None, limit: int) -> list[str]:
        query: Document = {"hash": {"$gte": prefix, "$lt": prefix + "\uffff"}}
        if run is not None:
            query["run"] = run
        hashes: list[str] = []
        for document in self._kind("node").find(query, {"hash": 1, "run": 1}):
            if document["hash"] not in hashes and self._starts({document["run"]}):
                hashes.append(document["hash"])
                if len(hashes) == limit:
                    break
        return hashes

    def files_of(self, run: str, node: str) -> list[Document]:
        return list(self._kind("file").find({"run": run, "node": node}))

    def file_uses(self, path: str, limit: int | None) -> list[Document]:
        """The uses' runs first (a projection), then the documents of the newest only."""
        found = list(self._kind("file").find({"path": path}, {"_id": 1, "run": 1}))
        started = self._starts({use["run"] for use in found})
        found.sort(key=lambda use: (started.get(use["run"], ""), use["run"]), reverse=True)
        wanted = [use["_id"] for use in found[:limit]]
        documents = {d["_id"]: d for d in self._kind("file").find({"_id": {"$in": wanted}})}
        return [documents[id_] for id_ in wanted if id_ in documents]

    def file_use_count(self, path: str) -> int:
        return int(self._kind("file").count_documents({"path": path}))

    def distinct_files(self) -> list[Document]:
        unique: dict[tuple[Any, ...], Document] = {}
        for document in self._kind("file").find({}):
            key = (document["path"], document["mode"], document["sha256"])
            unique.setdefault(key, document)
        return sorted(unique.values(), key=lambda d: (d["path"], d["mode"]))

    # ---- the result cache

    def cached_value_id(self, signature: str) -> str | None:
        found = self.database[CACHE_COLLECTION].find_one({"_id": signature})
        return None if found is None else str(found["value"])

    def cache_values(self, entries: dict[str, str]) -> None:
        for signature, value in entries.items():
            self.database[CACHE_COLLECTION].replace_one(
                {"_id": signature}, {"_id": signature, "value": value}, upsert=True
            )

    def model_nodes(self, key: str) -> dict[str, Document] | None:
        found = self.database[CACHE_MODELS_COLLECTION].find_one({"_id": key})
        return None if found is None else dict(found["nodes"])

    def set_model_nodes(self, key: str, nodes: dict[str, Document]) -> None:
        self.database[CACHE_MODELS_COLLECTION].replace_one(
            {"_id": key}, {"_id": key, "nodes": nodes}, upsert=True
        )
