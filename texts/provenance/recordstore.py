"""Where run records live: beside the workflows, whatever the executor of the run.

With a MongoDB (``-l FILE`` or FireWorks' configuration) the records are collections of
the workflow database (``MongoRecords``); otherwise they are files beside the embedded
store of the working directory (``recordfiles``). They are only ever added, each under the
hash of its content, so adding a record that is there already adds nothing.

A store carries a schema version. A store without one is new when it holds no workflow
(it is given the current version on first use), and was written before the run log
existed (version 0) when it does; it must then be upgraded (``texts db upgrade``, see
``schema``) before records are added. A store of a newer version is refused: this
program cannot know what its records mean.
"""

from __future__ import annotations

import contextlib
import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from texts.provenance.records import KINDS, Record, record_id

SCHEMA_VERSION = 1
SCHEMA_COLLECTION = "texts_schema"
_VERSION_KEY = "version"
BEFORE_RUN_LOG = 0
"""The version of a store written before the run log: FireWorks' collections only."""


class RecordStoreError(RuntimeError):
    """The records cannot be read or added; the message says why and what to do."""


class RecordStore(ABC):
    """The run records of one store."""

    def __init__(self, where: str) -> None:
        self.where = where  # the records' directory or the launchpad file, for messages

    @abstractmethod
    def version(self) -> int | None:
        """The store's schema version; ``None`` for a store that holds nothing yet."""

    @abstractmethod
    def set_version(self, version: int) -> None: ...

    @abstractmethod
    def workflow_database(self) -> Any:
        """The FireWorks database of the workflows the records are about."""

    @abstractmethod
    def append(self, records: Iterable[Record]) -> None:
        """Store a run's records (a record stored already is stored once)."""

    @abstractmethod
    def add_documents(self, documents: Iterable[dict[str, Any]]) -> int:
        """Store record documents (checked: a known kind, an id that is its content's
        hash) that are not stored yet; the number added."""

    @abstractmethod
    def documents(self, kind: type[Record], query: dict[str, Any] | None = None) -> list[Any]:
        """The stored documents of one kind matching ``query``, in the order stored."""

    @abstractmethod
    def ids(self, kind: type[Record]) -> set[str]: ...

    def add(self, records: Iterable[Record]) -> int:
        """Store records that are not stored yet; the number added."""
        return self.add_documents(record.document() for record in records)

    def require_readable(self) -> None:
        """Make sure the records mean what this textS thinks, without writing: a new store
        has none; an older or a newer one is refused (with what to do)."""
        if self.version() is not None:
            self.require_current()

    def require_current(self) -> None:
        """Make sure records can be added: a new store is given the current version, an
        older or newer one is refused with what to do."""
        version = self.version()
        if version is None:
            self.set_version(SCHEMA_VERSION)
        elif version < SCHEMA_VERSION:
            raise RecordStoreError(
                f"The store {self.where} has schema version {version}; this textS uses"
                f" {SCHEMA_VERSION}. Run `texts db upgrade` to upgrade it (records are kept)."
            )
        elif version > SCHEMA_VERSION:
            raise newer_store(self.where, version)


class MongoRecords(RecordStore):
    """The records of a MongoDB workflow database, in collections of their own."""

    def __init__(self, database: Any, where: str) -> None:
        super().__init__(where)
        self.database = database

    def version(self) -> int | None:
        marker = self.database[SCHEMA_COLLECTION].find_one({"_id": _VERSION_KEY})
        if marker is not None:
            return int(marker["version"])
        if self.database["workflows"].count_documents({}, limit=1):
            return BEFORE_RUN_LOG
        return None

    def set_version(self, version: int) -> None:
        self.database[SCHEMA_COLLECTION].replace_one(
            {"_id": _VERSION_KEY}, {"_id": _VERSION_KEY, "version": version}, upsert=True
        )

    def workflow_database(self) -> Any:
        return self.database

    def append(self, records: Iterable[Record]) -> None:
        self.add(records)

    def add_documents(self, documents: Iterable[dict[str, Any]]) -> int:
        by_collection: dict[str, dict[str, dict[str, Any]]] = {}
        for document in documents:
            kind = check_document(document)
            by_collection.setdefault(kind.collection, {})[document["_id"]] = document
        # the database refuses the ids it has (a lookup by key; asking first which ids are
        # present would test every stored document against every id)
        return sum(
            _insert_new(self.database[name], list(wanted.values()))
            for name, wanted in by_collection.items()
        )

    def documents(self, kind: type[Record], query: dict[str, Any] | None = None) -> list[Any]:
        return list(self.database[kind.collection].find(query or {}))

    def ids(self, kind: type[Record]) -> set[str]:
        return {d["_id"] for d in self.database[kind.collection].find({}, {"_id": 1})}


def check_document(document: Any) -> type[Record]:
    """The kind of a record document, once checked: a known kind, and an ``_id`` that is
    the hash of its content (a record edited or forged on the way is refused)."""
    kind = KINDS.get(document.get("kind", "")) if isinstance(document, dict) else None
    if kind is None:
        raise RecordStoreError("not a run record")
    if document.get("_id") != record_id(document):
        raise RecordStoreError("the record's _id does not match its content")
    return kind


def _insert_new(collection: Any, documents: list[dict[str, Any]]) -> int:
    """Insert documents; the number that were not stored yet."""
    from pymongo.errors import BulkWriteError

    try:
        collection.insert_many(documents, ordered=False)
    except BulkWriteError as error:
        duplicates = [e for e in error.details.get("writeErrors", []) if e.get("code") == 11000]
        if len(duplicates) != len(error.details.get("writeErrors", [])):
            raise
        return len(documents) - len(duplicates)
    return len(documents)


def newer_store(where: str, version: int) -> RecordStoreError:
    return RecordStoreError(
        f"The store {where} has schema version {version}, newer than this textS knows"
        f" ({SCHEMA_VERSION}): upgrade textS to use it."
    )


def mongodb_file(launchpad_file: str | os.PathLike[str] | None) -> str | None:
    """The launchpad file of the MongoDB that holds the workflows (and their records), by
    the rule of the workflow store: ``-l FILE``, else FireWorks' configuration (read
    without importing FireWorks); ``None`` for the embedded store."""
    if launchpad_file:
        return str(launchpad_file)
    from texts.fireworks_config import launchpad_location

    location = launchpad_location()
    return location.path if location else None


def workflow_records(launchpad: Any, launchpad_file: str | None, workdir: Path) -> RecordStore:
    """The records of the store a workflow-mode run uses (its ``launchpad`` is open)."""
    from texts.paths import STORE_DIRECTORY_NAME
    from texts.provenance.recordfiles import FileRecords

    if mongodb_file(launchpad_file):
        return MongoRecords(launchpad.db, "the workflow database")
    return FileRecords(workdir / STORE_DIRECTORY_NAME)


@contextlib.contextmanager
def open_record_store(
    launchpad_file: str | os.PathLike[str] | None, workdir: Path, *, embedded: bool = False
) -> Iterator[RecordStore]:
    """The records of a launchpad file's MongoDB (else FireWorks' configured one), or of
    the embedded store in ``workdir`` (always, when ``embedded``)."""
    from texts.paths import STORE_DIRECTORY_NAME
    from texts.provenance.recordfiles import FileRecords

    mongodb = None if embedded else mongodb_file(launchpad_file)
    if mongodb is None:
        yield FileRecords(workdir / STORE_DIRECTORY_NAME)
        return
    from texts.executors.workflow.mongodb import LaunchpadError, open_mongodb

    try:
        launchpad = open_mongodb(mongodb)
    except LaunchpadError as error:
        raise RecordStoreError(str(error)) from None
    try:
        yield MongoRecords(launchpad.db, mongodb)
    finally:
        launchpad.connection.close()


@contextlib.contextmanager
def open_target(target: str, *, existing: bool) -> Iterator[RecordStore]:
    """The records of a sync target: a launchpad file, or a directory whose embedded store
    is meant (the directory itself, or the ``.texts`` in it). With ``existing``, a
    directory without a store is refused instead of given a new one."""
    from texts.paths import STORE_DIRECTORY_NAME

    path = Path(target)
    if path.is_file():
        with open_record_store(str(path), Path.cwd()) as records:
            yield records
        return
    if not path.is_dir():
        raise RecordStoreError(f"{target}: neither a launchpad file nor a directory")
    workdir = path.parent if path.name == STORE_DIRECTORY_NAME else path
    if existing and not (workdir / STORE_DIRECTORY_NAME).is_dir():
        raise RecordStoreError(f"{target}: there is no texts store in this directory")
    with open_record_store(None, workdir, embedded=True) as records:
        yield records
