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

Records hold whole documents, not updates: replaying a journal onto a store file written
*after* it (a crash between writing the store file and emptying the journal) leaves every
document as in the store file, because the store file is only ever written right after a
flush, from the state the last record describes.

Changes are found by comparing each document with a copy taken at the previous flush: mongomock
updates documents in place, so there is no write to hook; a comparison of plain dictionaries
costs about a microsecond per document, far less than serialising it.
"""

from __future__ import annotations

import copy
import json
import os
import pathlib
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from bson import json_util
from mongomock.store import ServerStore

JOURNAL_SUFFIX = ".journal"

Change = tuple[str, str, Any, Any]
"""Database, collection, document key and the document (``None``: deleted)."""


_IMMUTABLE = frozenset({str, int, float, bool, type(None)})


def plain_copy(value: Any, copy_other: Callable[[Any], Any] = copy.deepcopy) -> Any:
    """A deep copy of plain dictionaries and lists, several times faster than
    ``copy.deepcopy``; other values are copied by ``copy_other``."""
    kind = type(value)
    if kind is dict:
        return {key: plain_copy(item, copy_other) for key, item in value.items()}
    if kind is list:
        return [plain_copy(item, copy_other) for item in value]
    if kind in _IMMUTABLE:
        return value
    return copy_other(value)


class ChangeTracker:
    """Copies of the documents as last flushed, to find what changed since."""

    def __init__(self, server: ServerStore) -> None:
        self._flushed = {
            (db, name): plain_copy(dict(documents)) for db, name, documents in _collections(server)
        }

    def changes(self, server: ServerStore) -> list[Change]:
        """What changed since the last call (or since construction), remembered as flushed."""
        changes: list[Change] = []
        for db, name, documents in _collections(server):
            flushed = self._flushed.setdefault((db, name), {})
            for key, document in documents.items():
                if flushed.get(key) != document:
                    flushed[key] = plain_copy(document)
                    changes.append((db, name, key, document))
            for key in [key for key in flushed if key not in documents]:
                del flushed[key]
                changes.append((db, name, key, None))
        return changes


def _collections(server: ServerStore) -> Iterator[tuple[str, str, dict[Any, Any]]]:
    """Every collection's documents by key, through mongomock_persistence's ``to_dict``."""
    for db, collections in server.to_dict().items():
        for name, collection in collections.items():
            yield db, name, dict(collection["documents"])


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
        for db, name, key, document in changes:
            documents = server[db][name]
            if document is not None:
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
