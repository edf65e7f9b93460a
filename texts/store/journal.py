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

Changes are found from notes and copies: mongomock updates documents in place, so no write
of the store itself can be hooked. The embedded store's collections note every document they
insert, update or delete (``note_written``; ``tests/store/test_overrides.py`` checks every
public write method), and for an update that only sets or removes
named paths, those paths. A document whose every write since the last flush named its paths
is recorded as a patch of just those paths (their values now, or their removal): a model's
workflow document, which holds an entry per node and is written at every launch, then costs
a flush what the launch changed, not its size. Any other noted document is compared with
the copy taken at the previous flush; the documents of a collection whose writes are not
noted are all compared. The copies are kept up to date with each record's patch, so that
they can serve the comparison whichever way a document was last recorded.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pathlib
import zlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from bson import ObjectId, json_util
from mongomock.store import CollectionStore, ServerStore

from texts.store.collection import plain_copy
from texts.store.compat import attach, attached, collection_stores, documents_as_data

Change = tuple[Any, ...]
"""Database, collection, document key and the document (``None``: deleted); or database,
collection, key, ``None`` and a patch of the document (``Patch``)."""
Patch = dict[str, list[Any]]
"""``{"set": [[path, value], ...], "unset": [path, ...]}``; a path is a list of keys."""


Path = tuple[str, ...]
Written = dict[Any, set[Path] | None]
"""The documents of a store written since the last flush, by key: the paths written when
every write named its paths, else ``None`` (compare the whole document)."""

_SEAL_KEY = "store"
_ABSENT = object()
_UNREACHABLE = object()
_WRITTEN = "_texts_written"
"""Attribute of a mongomock collection store whose every write is noted (``note_written``):
its ``Written`` documents."""


def track_writes(store: CollectionStore) -> None:
    """From now on every write to ``store`` is noted with ``note_written``: a flush then
    looks only at the documents written, not at every document of the store."""
    if attached(store, _WRITTEN) is None:
        attach(store, _WRITTEN, {})


def note_written(
    store: CollectionStore, keys: Iterable[Any], paths: Iterable[Sequence[str]] | None = None
) -> None:
    """The documents of ``store`` filed under ``keys`` were inserted, changed or deleted;
    with ``paths``, changed only by setting or removing the values at those paths (so a
    flush records those paths, unless the document was or will be written otherwise)."""
    written: Written | None = attached(store, _WRITTEN)
    if written is None:
        return
    for key in keys:
        if paths is None:
            written[key] = None
        else:
            noted = written.setdefault(key, set())
            if noted is not None:
                noted.update(tuple(path) for path in paths)


class ChangeTracker:
    """Copies of the documents as last flushed, to find what changed since.

    A document written since (for a store whose writes are tracked), or any document (for
    any other store), is compared with its copy, at the paths written when only paths were
    written; inserted and deleted documents are found by their keys.
    """

    def __init__(self, server: ServerStore) -> None:
        self._flushed = {
            (db, name): plain_copy(documents_as_data(store))
            for db, name, store in collection_stores(server)
        }

    def changes(self, server: ServerStore) -> list[Change]:
        """What changed since the last call (or since construction), remembered as flushed."""
        changes: list[Change] = []
        for db, name, store in collection_stores(server):
            flushed = self._flushed.setdefault((db, name), {})
            written = attached(store, _WRITTEN)
            if written is not None:
                attach(store, _WRITTEN, {})
            for key, paths in _written_or_all(store, written, flushed).items():
                change = _change(store, flushed, key, paths)
                if change is not None:
                    changes.append((db, name, *change))
        return changes


def _change(
    store: CollectionStore, flushed: dict[Any, Any], key: Any, paths: set[Path] | None
) -> tuple[Any, ...] | None:
    """The change of the document filed under ``key`` since its ``flushed`` copy (key and
    document, or key, ``None`` and a patch), which it then updates; ``None``: unchanged."""
    if key not in store:
        return (key, None) if flushed.pop(key, None) is not None else None
    document = store[key]
    before = flushed.get(key)
    if before is None:
        flushed[key] = plain_copy(document)
        return key, document
    patch = None if paths is None else _patch_at_paths(before, document, paths)
    if patch is None:
        if before == document:
            return None
        patch = {"set": [], "unset": []}
        _compare(before, document, [], patch)
    if not patch["set"] and not patch["unset"]:
        return None
    apply_patch(before, patch, plain_copy)
    return key, None, patch


def _patch_at_paths(
    before: dict[str, Any], after: dict[str, Any], paths: set[Path]
) -> Patch | None:
    """What turns ``before`` into ``after``, which differ at most at ``paths``: the values
    now at those paths where they changed, the paths removed. ``None`` when the way to a
    path is no longer through sub-documents (the whole documents must be compared)."""
    patch: Patch = {"set": [], "unset": []}
    for path in sorted(paths):
        if any(path[:n] in paths for n in range(1, len(path))):
            continue  # inside a path written as a whole, recorded with it
        value = _value_at(after, path)
        if value is _UNREACHABLE:
            return None
        old = _value_at(before, path)
        if value is _ABSENT:
            if old is not _ABSENT and old is not _UNREACHABLE:
                patch["unset"].append(list(path))
        elif old is _ABSENT or old is _UNREACHABLE or old != value:
            patch["set"].append([list(path), value])
    return patch


def _value_at(document: dict[str, Any], path: Sequence[str]) -> Any:
    """The value at ``path``: ``_ABSENT`` when its last key is missing, ``_UNREACHABLE``
    when the way to it is not through sub-documents."""
    parent: Any = document
    for key in path[:-1]:
        parent = parent.get(key)
        if type(parent) is not dict:
            return _UNREACHABLE
    return parent.get(path[-1], _ABSENT)


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
    store: CollectionStore, written: Written | None, flushed: dict[Any, Any]
) -> Written:
    """The documents to compare: those noted as written, unless the store's size shows a
    change that was not noted (a dropped collection): then every document, present or
    flushed, as a whole."""
    if written is not None:
        added = sum(1 for key in written if key in store and key not in flushed)
        removed = sum(1 for key in written if key not in store and key in flushed)
        if len(flushed) + added - removed == len(store):
            return written
    documents = documents_as_data(store)
    return dict.fromkeys([*documents, *(key for key in flushed if key not in documents)])


def encode_record(changes: list[Change]) -> bytes:
    """One journal line holding ``changes``."""
    return _line(json.dumps([list(change) for change in changes], default=json_util.default))


def encode_seal(seal: Seal) -> bytes:
    """One journal line naming the store file that the journal continues."""
    return _line(json.dumps({_SEAL_KEY: {"sha256": seal.sha256, "workflows": seal.workflows}}))


def _line(text: str) -> bytes:
    data = text.encode("utf-8")
    return b"%08x " % zlib.crc32(data) + data + b"\n"


@dataclasses.dataclass(frozen=True)
class Seal:
    """The SHA-256 of a store file texts wrote, and how many workflows it held: written to
    the journal before the file (and again after it, once the journal is emptied), so a
    store file changed by anything else, or deleted, is noticed when it is opened."""

    sha256: str
    workflows: int


@dataclasses.dataclass
class Journal:
    """A journal's whole records: the changes of each flush, the seals, and the length of
    the valid part (what follows it is a torn record, to be cut off)."""

    changes: list[list[Change]] = dataclasses.field(default_factory=list)
    seals: list[Seal] = dataclasses.field(default_factory=list)
    length: int = 0


class DamagedJournal(ValueError):
    """A journal record that texts cannot have written: a checksum that fails before the
    last record, or a record of another shape (a torn last record is not damage)."""


def read_journal(path: pathlib.Path) -> Journal:
    """The records of the journal at ``path`` (none when there is no journal)."""
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return Journal()
    journal = Journal()
    lines = content.split(b"\n")
    for number, line in enumerate(lines[:-1], start=1):  # the last piece has no line break
        decoded = _decode_line(line)
        if decoded is None:
            if number < len(lines) - 1:
                raise DamagedJournal(_damaged(path, number, "its checksum fails"))
            break  # the last record, torn
        problem = _add_record(journal, decoded)
        if problem is not None:
            raise DamagedJournal(_damaged(path, number, problem))
        journal.length += len(line) + 1
    return journal


def _damaged(path: pathlib.Path, number: int, problem: str) -> str:
    return (
        f"its journal {path} has a damaged record (line {number}: {problem}). Restore both"
        " files from a copy; to keep the store as it was last written whole, delete the"
        " journal (the changes recorded since are then lost)."
    )


def _decode_line(line: bytes) -> Any:
    """The JSON value of a line whose checksum holds; ``None`` for any other line."""
    checksum, _, data = line.partition(b" ")
    try:
        if int(checksum, 16) != zlib.crc32(data):
            return None
        return json_util.loads(data.decode("utf-8"))
    except ValueError:  # not hexadecimal, not UTF-8 or not JSON
        return None


def _add_record(journal: Journal, record: Any) -> str | None:
    """Add a decoded record to ``journal``; what is wrong with its shape, if anything."""
    if isinstance(record, dict):
        seal = record.get(_SEAL_KEY) if len(record) == 1 else None
        if not (
            isinstance(seal, dict)
            and isinstance(seal.get("sha256"), str)
            and type(seal.get("workflows")) is int
        ):
            return "not a seal of the store file"
        journal.seals.append(Seal(seal["sha256"], seal["workflows"]))
        return None
    if not isinstance(record, list):
        return "not a list of changes"
    for change in record:
        problem = _change_problem(change)
        if problem is not None:
            return problem
    journal.changes.append([tuple(change) for change in record])
    return None


def _change_problem(change: Any) -> str | None:
    """What makes ``change`` not a change as ``ChangeTracker`` records it."""
    if not isinstance(change, list) or len(change) not in (4, 5):
        return "a change is not a list of 4 or 5 items"
    database, collection, key, document, *patch = change
    if not isinstance(database, str) or not isinstance(collection, str):
        return "a change does not name its database and collection"
    if not isinstance(key, str | int | ObjectId) or isinstance(key, bool):
        return "a change does not name its document"
    if not patch:
        if document is None or (isinstance(document, dict) and document.get("_id") == key):
            return None
        return "not a document of its key"
    if document is not None or not isinstance(patch[0], dict) or set(patch[0]) != {"set", "unset"}:
        return "not a patch of a document"
    sets, unsets = patch[0]["set"], patch[0]["unset"]
    if not isinstance(sets, list) or not isinstance(unsets, list):
        return "not a patch of a document"
    if not all(isinstance(item, list) and len(item) == 2 and _is_path(item[0]) for item in sets):
        return "a patch sets a value at no path"
    if not all(_is_path(path) for path in unsets):
        return "a patch removes no path"
    return None


def _is_path(path: Any) -> bool:
    return isinstance(path, list) and bool(path) and all(isinstance(key, str) for key in path)


def replay(journal: Journal, server: ServerStore) -> None:
    """Apply the changes of a journal's records to ``server``, in order."""
    for changes in journal.changes:
        for db, name, key, document, *patch in changes:
            documents = server[db][name]
            if patch:
                if key in documents:
                    apply_patch(documents[key], patch[0])
            elif document is not None:
                documents[key] = document
            elif key in documents:
                del documents[key]


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
