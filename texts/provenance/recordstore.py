"""Where run records live: their own collections in the workflow's database.

Records go to the database of the workflow executor: a real MongoDB (``-l FILE`` or
FireWorks' configuration) or the embedded store of the working directory, whatever the
executor of the run. They are only ever added, each under the hash of its content, so
adding a record that is there already adds nothing.

The store carries a schema version (``texts_schema``). A store without one is new when it
holds no workflow (it is given the current version on first use) and was written before
the run log existed (version 0) when it does; it must then be upgraded (``texts db
upgrade``, see ``schema``) before records are added. A store of a newer version is refused:
this program cannot know what its records mean.
"""

from __future__ import annotations

import contextlib
import os
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


class RecordStore:
    """The run records of one database."""

    def __init__(self, database: Any, where: str) -> None:
        self.database = database
        self.where = where  # the store file or launchpad file, for messages

    # ---- schema version

    def version(self) -> int | None:
        """The store's schema version; ``None`` for a store that holds nothing yet."""
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

    # ---- records

    def add(self, records: Iterable[Record]) -> int:
        """Store records that are not stored yet; the number added."""
        return self.add_documents(record.document() for record in records)

    def add_documents(self, documents: Iterable[dict[str, Any]]) -> int:
        """Store record documents (checked: a known kind, an id that is its content's
        hash) that are not stored yet; the number added."""
        by_collection: dict[str, dict[str, dict[str, Any]]] = {}
        for document in documents:
            kind = check_document(document)
            by_collection.setdefault(kind.collection, {})[document["_id"]] = document
        added = 0
        for name, wanted in by_collection.items():
            collection = self.database[name]
            present = {
                d["_id"] for d in collection.find({"_id": {"$in": list(wanted)}}, {"_id": 1})
            }
            new = [document for key, document in wanted.items() if key not in present]
            if new:
                added += _insert_new(collection, new)
        return added

    def documents(self, kind: type[Record], query: dict[str, Any] | None = None) -> list[Any]:
        """The stored documents of one kind matching ``query``, in the order stored."""
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
    """Insert documents, counting one that another writer stored meanwhile as present."""
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


@contextlib.contextmanager
def open_record_store(
    launchpad_file: str | os.PathLike[str] | None, workdir: Path, *, embedded: bool = False
) -> Iterator[RecordStore]:
    """The records of a launchpad file's MongoDB (else FireWorks' configured one), or of
    the embedded store in ``workdir`` (always, when ``embedded``); the embedded store is
    closed afterwards."""
    from texts.executors.workflow.mongodb import LaunchpadError
    from texts.executors.workflow.store import (
        STORE_DIRECTORY_NAME,
        EmbeddedStore,
        StoreError,
        open_launchpad,
    )

    try:
        if embedded:
            store: Any = EmbeddedStore(workdir / STORE_DIRECTORY_NAME)
            launchpad = store.open()
        else:
            launchpad, store = open_launchpad(launchpad_file, workdir)
    except (LaunchpadError, StoreError) as error:
        raise RecordStoreError(str(error)) from None
    where = (
        str(store.path) if store is not None else str(launchpad_file or "the configured MongoDB")
    )
    try:
        yield RecordStore(launchpad.db, where)
    finally:
        if store is not None:
            store.close()
        else:
            launchpad.connection.close()


@contextlib.contextmanager
def open_target(target: str, *, existing: bool) -> Iterator[RecordStore]:
    """The records of a sync target: a launchpad file, or a directory whose embedded store
    is meant (the directory itself, or the ``.texts`` in it). With ``existing``, a
    directory without a store is refused instead of given a new one."""
    from texts.executors.workflow.store import STORE_DIRECTORY_NAME, STORE_FILE_NAME

    path = Path(target)
    if path.is_file():
        with open_record_store(str(path), Path.cwd()) as records:
            yield records
        return
    if not path.is_dir():
        raise RecordStoreError(f"{target}: neither a launchpad file nor a directory")
    workdir = path.parent if path.name == STORE_DIRECTORY_NAME else path
    if existing and not (workdir / STORE_DIRECTORY_NAME / STORE_FILE_NAME).exists():
        raise RecordStoreError(f"{target}: there is no texts store in this directory")
    with open_record_store(None, workdir, embedded=True) as records:
        yield records
