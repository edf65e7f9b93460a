"""Where run records live: beside the workflows, whatever the executor of the run.

With a MongoDB (``-l FILE`` or FireWorks' configuration) the records and the result cache
are collections of the workflow database; otherwise they are ``.texts/texts.db`` of the
working directory (``texts.store.records``: one interface, both homes). Records are only
ever added, each under the hash of its content, so adding a record that is there already
adds nothing; a document from outside (an import, a pull) is checked first.

A store carries a schema version (what its records mean and where they are kept):

* none: a new store, given the current version on first use;
* 0: written before the run log existed (it holds workflows, no records);
* 1: the run log in append-only JSON-lines files (``.texts/records/``) and the result
  cache in files (``.texts/cache/``); in a MongoDB, record collections without indexes;
* 2 (current): ``texts.db`` / indexed collections, the result cache beside the records.

An older store must be upgraded (``texts db upgrade``, see ``schema``) before records are
added; a newer one is refused: this program cannot know what its records mean.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from texts.datastore.config import current_config
from texts.datastore.records import check_record, is_record
from texts.interpreter.errors import TextsError
from texts.paths import JOURNAL_SUFFIX, STORE_DIRECTORY_NAME, STORE_FILE_NAME
from texts.provenance.records import Record, record_id
from texts.provenance.validation import InvalidRecord, validate
from texts.store.errors import StoreError
from texts.store.records import RecordDatabase
from texts.store.sqlite_records import SqliteRecords

if TYPE_CHECKING:
    from texts.store.workflows import WorkflowStore

SCHEMA_VERSION = 2
BEFORE_RUN_LOG = 0
FILE_RECORDS = 1
"""The version of records kept in JSON-lines files (an embedded store) or in collections
without indexes (a MongoDB)."""
LEGACY_RECORDS_DIRECTORY = "records"
LEGACY_SCHEMA_FILE = "schema.json"
LEGACY_CACHE_DIRECTORY = "cache"


class RecordStoreError(StoreError):
    """The records cannot be read or added; the message says why and what to do."""


class RecordStore:
    """The run records (and the result cache) of one store."""

    def __init__(
        self,
        database: RecordDatabase,
        workflows: Callable[[], WorkflowStore | None],
        legacy: Path | None = None,
    ) -> None:
        self.database = database
        database.check = check_document  # every record read back, as every one imported
        self.where = database.where
        self._workflows = workflows  # the workflow store beside the records, if any
        self.legacy = legacy  # the .texts directory whose older files an upgrade moves

    def workflow_store(self) -> WorkflowStore | None:
        """The workflow store of the models the records are about (for reading)."""
        return self._workflows()

    # ---- schema version

    def version(self) -> int | None:
        """The store's schema version; ``None`` for a store that holds nothing yet."""
        version = self.database.version()
        if version is not None:
            return version
        if self.legacy is not None and (self.legacy / LEGACY_RECORDS_DIRECTORY).is_dir():
            return _legacy_version(self.legacy)
        workflows = self.workflow_store()
        if workflows is not None and workflows.has_models():
            return BEFORE_RUN_LOG
        return None

    def set_version(self, version: int) -> None:
        self.database.set_version(version)

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

    # ---- records

    def append(self, records: Iterable[Record]) -> None:
        """Store a run's own records (a record stored already is stored once), durably."""
        by_kind: dict[str, list[dict[str, Any]]] = {}
        for record in records:
            by_kind.setdefault(record.kind, []).append(record.document())
        for kind, documents in by_kind.items():
            self.database.put_records(kind, documents)
        self.database.commit()

    def add_documents(self, documents: Iterable[dict[str, Any]]) -> int:
        """Store record documents from outside, each checked (a known kind, an id that is
        its content's hash), that are not stored yet; the number added."""
        by_kind: dict[str, list[dict[str, Any]]] = {}
        for document in documents:
            by_kind.setdefault(check_document(document).kind, []).append(document)
        added = sum(self.database.put_records(kind, docs) for kind, docs in by_kind.items())
        self.database.commit()
        return added

    def add(self, records: Iterable[Record]) -> int:
        """Store records that are not stored yet; the number added."""
        return self.add_documents(record.document() for record in records)

    def documents(
        self, kind: type[Record], ids: Iterable[str] | None = None
    ) -> Iterator[dict[str, Any]]:
        """The stored documents of one kind (with these ids), in the order stored."""
        return self.database.get_records(kind.kind, ids)

    def ids(self, kind: type[Record]) -> set[str]:
        return set(self.database.iter_record_ids(kind.kind))

    def close(self) -> None:
        self.database.close()


def check_document(document: Any) -> type[Record]:
    """The kind of a record document, once checked: a known kind with the fields of its
    kind (``validation``), and an ``_id`` that is the hash of its content (a record
    edited or forged on the way is refused)."""
    try:
        kind = validate(document)
    except InvalidRecord as error:
        raise RecordStoreError(str(error)) from None
    if document.get("_id") != record_id(document):
        raise RecordStoreError("the record's _id does not match its content")
    if kind.kind == "value" and is_record(document.get("data")):
        try:  # a value kept in a datastore: it may name only this store's datastore
            check_record(document["data"], "a value record", current_config())
        except TextsError as error:
            raise RecordStoreError(error.message) from None
    return kind


def newer_store(where: str, version: int) -> RecordStoreError:
    return RecordStoreError(
        f"The store {where} has schema version {version}, newer than this textS knows"
        f" ({SCHEMA_VERSION}): upgrade textS to use it."
    )


def _legacy_version(directory: Path) -> int:
    """The version written beside the JSON-lines records of an embedded store."""
    try:
        schema = directory / LEGACY_RECORDS_DIRECTORY / LEGACY_SCHEMA_FILE
        return int(json.loads(schema.read_text("utf-8"))["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return FILE_RECORDS


def mongodb_file(launchpad_file: str | os.PathLike[str] | None) -> str | None:
    """The launchpad file of the MongoDB that holds the workflows (and their records), by
    the rule of the workflow store: ``-l FILE``, else FireWorks' configuration (read
    without importing FireWorks); ``None`` for the embedded store."""
    if launchpad_file:
        return str(launchpad_file)
    # lazily for start-up: FireWorks' configuration is read as data, only when asked for
    from texts.fireworks_config import launchpad_location  # noqa: PLC0415

    location = launchpad_location()
    return location.path if location else None


def embedded_records(workdir: Path) -> RecordStore:
    """The records of the embedded store of ``workdir`` (``.texts/texts.db``)."""
    directory = Path(workdir).absolute() / STORE_DIRECTORY_NAME

    def workflows() -> WorkflowStore | None:
        names = (STORE_FILE_NAME, STORE_FILE_NAME + JOURNAL_SUFFIX)
        if not any((directory / name).exists() for name in names):
            return None
        # lazily for start-up: only an old store's check or an upgrade reads the workflows
        from texts.store.workflows import EmbeddedWorkflowStore  # noqa: PLC0415

        return EmbeddedWorkflowStore.snapshot(directory)

    return RecordStore(SqliteRecords(directory), workflows, legacy=directory)


def workflow_records(store: WorkflowStore, workdir: Path) -> RecordStore:
    """The records of the workflow store a workflow-mode run uses (open)."""
    if store.is_embedded:
        return embedded_records(workdir)
    return _mongo_records(store, "the workflow database")


def _mongo_records(store: WorkflowStore, where: str) -> RecordStore:
    # lazily for start-up: a MongoDB's records need pymongo, the embedded ones do not
    from texts.store.mongo_records import MongoRecords  # noqa: PLC0415

    return RecordStore(MongoRecords(store.database, where), lambda: store)


@contextlib.contextmanager
def open_record_store(
    launchpad_file: str | os.PathLike[str] | None, workdir: Path, *, embedded: bool = False
) -> Iterator[RecordStore]:
    """The records of a launchpad file's MongoDB (else FireWorks' configured one), or of
    the embedded store in ``workdir`` (always, when ``embedded``)."""
    mongodb = None if embedded else mongodb_file(launchpad_file)
    if mongodb is None:
        records = embedded_records(workdir)
        try:
            yield records
        finally:
            records.close()
        return
    # lazily for start-up: a MongoDB's records need FireWorks, the embedded ones do not
    from texts.store.workflows import open_workflow_store  # noqa: PLC0415

    try:
        store = open_workflow_store(mongodb, workdir)
    except StoreError as error:
        raise RecordStoreError(str(error)) from None
    try:
        yield _mongo_records(store, mongodb)
    finally:
        store.close()


@contextlib.contextmanager
def open_target(target: str, *, existing: bool) -> Iterator[RecordStore]:
    """The records of a sync target: a launchpad file, or a directory whose embedded store
    is meant (the directory itself, or the ``.texts`` in it). With ``existing``, a
    directory without a store is refused instead of given a new one."""
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
