"""The embedded store's journal: the documents changed since the store file was last written.

Writing the whole store after every node costs time in proportion to the store, so a run of
N nodes cost O(N²). Instead, a flush appends one *record* to ``launchpad.json.journal``: every
document that was inserted, changed or deleted since the previous flush, as a whole. Opening
the store reads ``launchpad.json`` and replays the records in order; closing it (or a journal
grown larger than the store file) writes the whole store and empties the journal, so that
after a run the store file alone is complete and FireWorks' mongomock mode can read it.

A record is one line: the CRC-32 of its JSON text in hexadecimal, a space, the JSON text
(``bson.json_util``, as the store file) and a line break. JSON text has no raw line breaks, so
a record torn by a crash (``kill -9`` during the append, a power cut) is an incomplete or
failing last line: replay stops there and the store is cut back to the last whole record. A
record is all or nothing, so a flush is too.

A new document is recorded whole. A changed one is recorded as a *patch*, the values now at
the paths where it differs from its last flushed copy (descending into sub-documents, so
that one node's entry of a model's workflow document is recorded, not the whole document),
and the paths it no longer has. Either way a record sets values, never adds to them:
replaying a journal onto a store file written *after* it (a crash between writing the store
file and emptying the journal) leaves every document as in the store file, because the
store file is only ever written right after a flush, from the state the last record
describes, and every path a record sets ends with the value of the last record that sets
it. A patch for a document that is no longer there is skipped, and a path through a value
that is not a sub-document makes one.

Changes are found by comparing documents with copies taken at the previous flush: mongomock
updates documents in place, so no write of the store itself can be hooked. The embedded
store's collections note every document they insert or update (``note_written``), and only
those are compared; the documents of any other collection are all compared.
"""

from __future__ import annotations

import copy
import json
import os
import pathlib
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from bson import json_util
from mongomock.store import CollectionStore, ServerStore

JOURNAL_SUFFIX = ".journal"

Change = tuple[Any, ...]
"""Database, collection, document key and the document (``None``: deleted); or database,
collection, key, ``None`` and a patch of the document (``Patch``)."""
Patch = dict[str, list[Any]]
"""``{"set": [[path, value], ...], "unset": [path, ...]}``; a path is a list of keys."""


_IMMUTABLE = frozenset({str, int, float, bool, type(None)})
_ABSENT = object()
_WRITTEN = "_texts_written"
"""Attribute of a mongomock collection store: the keys of the documents written since the
last flush, for a store whose every write is noted (``note_written``)."""


def plain_copy(value: Any, copy_other: Callable[[Any], Any] = copy.deepcopy) -> Any:
    """A deep copy of plain dictionaries and lists, several times faster than
    ``copy.deepcopy``; other values are copied by ``copy_other``."""
    kind = type(value)
    if kind is dict:
        return {
            key: item if type(item) in _IMMUTABLE else plain_copy(item, copy_other)
            for key, item in value.items()
        }
    if kind is list:
        return [
            item if type(item) in _IMMUTABLE else plain_copy(item, copy_other) for item in value
        ]
    if kind in _IMMUTABLE:
        return value
    return copy_other(value)


def track_writes(store: CollectionStore) -> None:
    """From now on every write to ``store`` is noted with ``note_written``: a flush then
    compares only the documents written, not every document of the store."""
    store.__dict__.setdefault(_WRITTEN, set())


def note_written(store: CollectionStore, keys: Iterable[Any]) -> None:
    """The documents of ``store`` filed under ``keys`` were inserted or changed in place."""
    written = store.__dict__.get(_WRITTEN)
    if written is not None:
        written.update(keys)


class ChangeTracker:
    """Copies of the documents as last flushed, to find what changed since.

    A document is compared with its copy when it was written since (for a store whose
    writes are tracked), or always (for any other store); inserted and deleted documents
    are found by their keys.
    """

    def __init__(self, server: ServerStore) -> None:
        self._flushed = {
            (db, name): plain_copy(_all_documents(store)) for db, name, store in _stores(server)
        }

    def changes(self, server: ServerStore) -> list[Change]:
        """What changed since the last call (or since construction), remembered as flushed."""
        changes: list[Change] = []
        for db, name, store in _stores(server):
            flushed = self._flushed.setdefault((db, name), {})
            written = store.__dict__.get(_WRITTEN)
            if written is not None:
                store.__dict__[_WRITTEN] = set()
            for key in _written_or_all(store, written, flushed):
                if key not in store:
                    if flushed.pop(key, None) is not None:
                        changes.append((db, name, key, None))
                    continue
                document = store[key]
                before = flushed.get(key)
                if before is None:
                    flushed[key] = plain_copy(document)
                    changes.append((db, name, key, document))
                elif before != document:
                    patch: Patch = {"set": [], "unset": []}
                    _compare(before, document, [], patch)
                    apply_patch(before, patch, plain_copy)
                    changes.append((db, name, key, None, patch))
        return changes


def _compare(before: dict[str, Any], after: dict[str, Any], path: list[str], patch: Patch) -> None:
    """Add to ``patch`` what turns ``before`` into ``after`` (two unequal documents)."""
    for field, value in after.items():
        old = before.get(field, _ABSENT)
        if old is _ABSENT or (old != value and not (type(old) is type(value) is dict)):
            patch["set"].append([[*path, field], value])
        elif old != value:
            _compare(old, value, [*path, field], patch)
    patch["unset"].extend([*path, field] for field in before.keys() - after.keys())


def apply_patch(
    document: dict[str, Any], patch: Patch, copy_value: Callable[[Any], Any] = plain_copy
) -> None:
    """Set and remove what ``patch`` names in ``document`` (values copied by ``copy_value``)."""
    for path, value in patch["set"]:
        _parent(document, path)[path[-1]] = copy_value(value)
    for path in patch["unset"]:
        _parent(document, path).pop(path[-1], None)


def _parent(document: dict[str, Any], path: list[str]) -> dict[str, Any]:
    """The sub-document holding ``path``'s last key, made where it is missing."""
    for key in path[:-1]:
        if type(document.get(key)) is not dict:
            document[key] = {}
        document = document[key]
    return document


def _written_or_all(
    store: CollectionStore, written: set[Any] | None, flushed: dict[Any, Any]
) -> Iterable[Any]:
    """The keys to compare: those noted as written, unless the store's size shows a change
    that was not noted (a dropped collection): then every key, present or flushed."""
    if written is not None:
        added = sum(1 for key in written if key in store and key not in flushed)
        removed = sum(1 for key in written if key not in store and key in flushed)
        if len(flushed) + added - removed == len(store):
            return written
    documents = _all_documents(store)
    return [*documents, *(key for key in flushed if key not in documents)]


def _stores(server: ServerStore) -> Iterator[tuple[str, str, CollectionStore]]:
    """Every collection store (those mongomock_persistence's ``to_dict`` walks)."""
    for db, database in server._databases.items():
        for name, store in database._collections.items():
            yield db, name, store


def _all_documents(store: CollectionStore) -> dict[Any, Any]:
    """A store's documents by key, through mongomock_persistence's ``to_dict``."""
    return dict(store.to_dict()["documents"])


def encode_record(changes: list[Change]) -> bytes:
    """One journal line holding ``changes``."""
    text = json.dumps([list(change) for change in changes], default=json_util.default)
    data = text.encode("utf-8")
    return b"%08x " % zlib.crc32(data) + data + b"\n"


def read_journal(path: pathlib.Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""


def replay(content: bytes, server: ServerStore) -> int:
    """Apply the whole records of a journal's ``content`` to ``server``, in order.

    Returns the length of the journal's valid part: what follows it is a torn record.
    """
    valid = 0
    for line in content.split(b"\n")[:-1]:  # the last piece has no line break: torn or empty
        changes = _decode_record(line)
        if changes is None:
            break
        for db, name, key, document, *patch in changes:
            documents = server[db][name]
            if patch:
                if key in documents:
                    apply_patch(documents[key], patch[0])
            elif document is not None:
                documents[key] = document
            elif key in documents:
                del documents[key]
        valid += len(line) + 1
    return valid


def _decode_record(line: bytes) -> list[Change] | None:
    checksum, _, data = line.partition(b" ")
    try:
        if int(checksum, 16) != zlib.crc32(data):
            return None
        return [tuple(change) for change in json_util.loads(data.decode("utf-8"))]
    except ValueError:  # not hexadecimal, not UTF-8 or not JSON: torn
        return None


class JournalFile:
    """The journal's file, opened for appending while the store is open."""

    def __init__(self, path: pathlib.Path) -> None:
        self.path = path
        self._fd: int | None = None

    def open(self, valid_length: int) -> None:
        """Open for appending, cutting off a torn record beyond ``valid_length``."""
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        if os.fstat(self._fd).st_size != valid_length:
            os.ftruncate(self._fd, valid_length)
            os.fsync(self._fd)

    @property
    def size(self) -> int:
        assert self._fd is not None
        return os.fstat(self._fd).st_size

    def append(self, record: bytes) -> None:
        """Append one record and make it durable before returning."""
        assert self._fd is not None
        written = 0
        while written < len(record):
            written += os.write(self._fd, record[written:])
        os.fsync(self._fd)

    def clear(self) -> None:
        """Empty the journal (after the store file took its contents)."""
        assert self._fd is not None
        os.ftruncate(self._fd, 0)
        os.fsync(self._fd)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
