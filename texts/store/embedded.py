"""The embedded store: FireWorks' mongomock mode made durable and safe.

Without configuration the workflow executor keeps its FireWorks database in one file,
``.texts/launchpad.json`` in the working directory, so that a user needs no MongoDB server.
FireWorks already has such a mode (``MONGOMOCK_SERVERSTORE_FILE``): an in-memory mongomock
server whose contents ``mongomock_persistence`` loads from a JSON file when a client is
created and writes back when the interpreter exits. That mode alone loses everything done
since start-up when the process is killed, overwrites the file in place (a crash during the
write leaves a truncated file) and lets two processes load the same file and overwrite each
other's work. It is also chosen once per process, when ``fireworks.fw_config`` is imported.

What this module keeps of that mode, and what it does itself:

* The data live in mongomock's own in-memory server store and the file has exactly the
  format of ``mongomock_persistence`` (its ``to_dict``/``from_dict`` written with
  ``bson.json_util``, which round-trips datetimes, ObjectIds and nested values), so FireWorks'
  own tools can read it in mongomock mode. We call its serialisation on demand rather than
  serialising mongomock's internals ourselves (least code that depends on private
  attributes) or copying documents out through queries (slower, and not the mode's format).
* We never let ``mongomock_persistence`` touch the file: its server store constructor reads
  the ``MONGOMOCK_SERVERSTORE_FILE`` environment variable (which would silently swap in
  another file) and registers a non-atomic save at interpreter exit (which would overwrite
  the file after our lock is released). ``compat.LoadedServerStore`` builds the store without it.
* ``flush`` appends the documents changed since the previous flush to a journal
  (``journal.py``: one checksummed line per flush, fsynced); opening replays it. The whole
  store is written when it is closed and when the journal outgrows the store file:
  atomically, as a temporary file in the same directory, fsync, ``os.replace`` onto the
  store file, fsync of the directory. A crash at any moment leaves the previous or the new
  complete file, and a journal whose torn last record is ignored. An unchanged store is
  not rewritten.
* mongomock tests every query on every document and copies whole documents on every read
  and update, so every FireWorks lookup cost time in proportion to the store. The
  LaunchPad's collections are ``compat.NarrowingCollection``s, which reach mongomock's
  answers with lookups, indexes and copies of only what is asked for; and the LaunchPad
  refreshes a workflow entry by entry (``refresh``), not by rewriting it whole.
* The LaunchPad is FireWorks' own class, built by its own constructor; only while it runs
  is the ``MongoClient`` name in ``fireworks.core.launchpad`` bound to a mongomock client on
  our store (``compat.launchpad_on_mongomock``). This is the seam FireWorks' mongomock mode
  itself uses, but scoped to one LaunchPad, so a real-MongoDB LaunchPad can live in the
  same process.
* A writer holds an exclusive ``flock`` on ``launchpad.json.lock`` for as long as the store
  is open. The lock file is never replaced (the store file is, so it cannot carry the
  lock), and the kernel drops the lock when the holder dies, even by ``kill -9``.
* A new store is initialised like ``lpad reset`` (FireWorks' ``LaunchPad.reset`` without a
  password, which refuses to clear a store holding workflows); indexes, which the file
  format does not keep, are rebuilt with ``LaunchPad.tuneup`` each time a store is loaded.

mongomock is not thread-safe in general: use a LaunchPad of this store from one thread at
a time, and call ``flush`` when no FireWorks call is running.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import pathlib
import sys
import threading
import time
from types import TracebackType
from typing import Any

from bson import json_util
from bson.errors import BSONError
from fireworks import LaunchPad
from mongomock.store import CollectionStore, ServerStore

from texts.atomic import fsync_directory, write_atomically
from texts.paths import JOURNAL_SUFFIX, STORE_FILE_NAME
from texts.store.collection import PlainTests
from texts.store.compat import (
    CollectionHooks,
    LoadedServerStore,
    NarrowingCollection,
    collection_stores,
    documents_of,
    launchpad_on_mongomock,
)
from texts.store.errors import StoreError, StoreLockTimeout
from texts.store.field_index import INDEXED_FIELDS, existing_index, index_of
from texts.store.journal import (
    ChangeTracker,
    JournalFile,
    Seal,
    encode_record,
    encode_seal,
    note_written,
    read_journal,
    replay,
    track_writes,
)
from texts.store.refresh import use_incremental_refresh
from texts.store.shapes import check_collections
from texts.store.sqlite_records import SqliteRecords

DATABASE_NAME = "fireworks"
ANNOUNCE_WAIT_AFTER_SECONDS = 0.5
"""A lock that is free within this time is taken silently: no message for a brief overlap."""
POLL_SECONDS = 0.05
SMALLEST_COMPACTED_JOURNAL = 1 << 20
"""A journal is folded into the store file once it is larger than the file and than this."""

_HELD_LOCK_FILES: set[pathlib.Path] = set()
_HELD_LOCK_FILES_GUARD = threading.Lock()


class StoreDamaged(ValueError):
    """The store file is not the one texts wrote last (its journal's seals say)."""


def _server_from_text(text: str) -> LoadedServerStore:
    """Parse what :func:`_server_text` (or FireWorks' mongomock mode) wrote."""
    data = json_util.loads(text)
    if not isinstance(data, dict):
        raise ValueError("the top level is not a JSON object")
    return LoadedServerStore.from_data(data)


def _server_text(server: LoadedServerStore) -> str:
    """The store as ``mongomock_persistence`` writes it (``bson.json_util`` JSON).

    The text is that of ``json_util.dumps``, about three times faster: only the values
    that JSON lacks (datetimes, ObjectIds, bytes, ...) go through bson's converter.
    """
    return json.dumps(server.to_data(), default=json_util.default)


class _StoreHooks(CollectionHooks):
    """What the embedded store's collections report to: the journal's notes of written
    documents and the index of ``fw_id``, ``launch_id``, ... (``field_index``)."""

    def written(
        self, store: CollectionStore, keys: list[Any], paths: list[list[str]] | None
    ) -> None:
        note_written(store, keys, paths)
        index = existing_index(store)
        if index is None:
            return
        documents = documents_of(store)
        fields = INDEXED_FIELDS if paths is None else {p[0] for p in paths} & set(INDEXED_FIELDS)
        for key in keys:
            if key not in documents:
                index.remove(key)
            elif key in index:
                index.refile(key, documents[key], fields)
            else:
                index.add(key, documents[key])

    def candidates(
        self, store: CollectionStore, documents: dict[Any, Any], tests: PlainTests
    ) -> list[Any] | None:
        conditions = dict(tests)
        indexed = conditions.keys() & set(INDEXED_FIELDS)
        if not indexed:
            return None
        field = next(f for f in INDEXED_FIELDS if f in indexed)
        return index_of(store, documents).candidates(field, conditions[field])


class _StoreCollection(NarrowingCollection):
    """The collections of the embedded store: every write is noted for the journal."""

    hooks = _StoreHooks()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        track_writes(self._store)


class _FileLock:
    """An exclusive ``flock`` on a lock file, polled so that waiting can be announced and bounded.

    Locks of one process on one file are also recorded in-process: a second ``flock`` from the
    same process (on a new descriptor) would wait for itself forever.
    """

    def __init__(self, path: pathlib.Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self, store_path: pathlib.Path, wait_seconds: float | None) -> None:
        """Take the lock, waiting at most ``wait_seconds`` (forever when ``None``)."""
        with _HELD_LOCK_FILES_GUARD:
            if self.path in _HELD_LOCK_FILES:
                raise StoreError(f"The texts store {store_path} is already open in this process.")
            _HELD_LOCK_FILES.add(self.path)
        try:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            self._wait_for_lock(store_path, wait_seconds)
            os.ftruncate(self._fd, 0)
            os.pwrite(self._fd, f"{os.getpid()}\n".encode(), 0)
        except BaseException:
            self.release()
            raise

    def _wait_for_lock(self, store_path: pathlib.Path, wait_seconds: float | None) -> None:
        start = time.monotonic()
        announced = False
        while not self._try_lock():
            waited = time.monotonic() - start
            if wait_seconds is not None and waited >= wait_seconds:
                raise StoreLockTimeout(
                    f"Gave up after {wait_seconds:g} s waiting for the texts store {store_path}:"
                    f" another process ({self._holder()}) is still using it."
                )
            if not announced and waited >= ANNOUNCE_WAIT_AFTER_SECONDS:
                print(
                    f"Waiting for another texts process ({self._holder()}) to release"
                    f" {store_path} ...",
                    file=sys.stderr,
                    flush=True,
                )
                announced = True
            remaining = POLL_SECONDS if wait_seconds is None else wait_seconds - waited
            time.sleep(max(0.0, min(POLL_SECONDS, remaining)))

    def _try_lock(self) -> bool:
        assert self._fd is not None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _holder(self) -> str:
        """Who holds the lock, as the holder wrote it, for messages only."""
        try:
            pid = self.path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            pid = ""
        return f"pid {pid}" if pid.isdigit() else "pid unknown"

    def release(self) -> None:
        """Drop the lock (closing the descriptor releases the flock)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        with _HELD_LOCK_FILES_GUARD:
            _HELD_LOCK_FILES.discard(self.path)


class EmbeddedStore:
    """The embedded default store: FireWorks' mongomock mode made durable."""

    def __init__(self, directory: pathlib.Path, wait_seconds: float | None = None) -> None:
        # Absolute, because FireWorks' rockets change the working directory.
        self.directory = pathlib.Path(directory).resolve()
        self.path = self.directory / STORE_FILE_NAME
        self.wait_seconds = wait_seconds
        self._lock = _FileLock(self.directory / f"{STORE_FILE_NAME}.lock")
        self._journal = JournalFile(journal_path(self.path))
        self._server: LoadedServerStore | None = None
        self._launchpad: LaunchPad | None = None
        self._tracker: ChangeTracker | None = None
        self._flush_guard = threading.Lock()
        self._failed: OSError | None = None  # a write that failed: nothing more is written
        self._changed = False  # the journal holds changes the store file has not

    @property
    def launchpad(self) -> LaunchPad:
        """The LaunchPad of the open store."""
        if self._launchpad is None:
            raise StoreError(f"The texts store {self.path} is not open.")
        return self._launchpad

    def open(self) -> LaunchPad:
        """Take the lock, load (or create and initialise) the store, return a LaunchPad on it."""
        if self._server is not None:
            raise StoreError(f"The texts store {self.path} is already open.")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._lock.acquire(self.path, self.wait_seconds)
        except StoreError:  # (a lock timeout is one, and an OSError too)
            raise
        except OSError as error:
            raise _unusable(self.path, error) from None
        self._failed = None
        try:
            _remove_temporaries(self.path)
            self._server, journal_length, self._changed = read_store(self.path)
            self._journal.open(journal_length)
            fsync_directory(self.directory)  # the journal file exists from now on
            self._tracker = ChangeTracker(self._server)
            self._launchpad = launchpad_on(self._server)
            if self._prepare(self._launchpad):
                self.flush()
                self._compact()  # a new store's file exists from its first use on
        except BaseException as error:
            self._server = self._launchpad = self._tracker = None
            self._journal.close()
            self._lock.release()
            if isinstance(error, OSError) and not isinstance(error, StoreError):
                raise _unusable(self.path, error) from None
            raise
        return self._launchpad

    def _prepare(self, launchpad: LaunchPad) -> bool:
        """Initialise a store that has no FireWorks id counter (say so), else rebuild indexes."""
        if launchpad.fw_id_assigner.count_documents({}):
            launchpad.tuneup()
            return False
        if launchpad.workflows.count_documents({}):
            raise StoreError(
                f"The texts store {self.path} has workflows but no FireWorks id counter;"
                " it was not written by texts and is not initialised."
            )
        records = SqliteRecords(self.directory)
        try:
            emptied = records.has_runs_of("workflow")
        finally:
            records.close()
        if emptied:
            raise StoreError(
                f"The texts store {self.path} holds no workflows, but the run log"
                f" {records.path} records workflow runs: the store was emptied or deleted."
                " Restore it from a copy, or move the directory aside to start anew."
            )
        launchpad.reset(password=None, require_password=False, max_reset_wo_password=0)
        return True

    def flush(self) -> None:
        """Make the current in-memory state durable: the changes since the last flush are
        appended to the journal; a journal grown larger than the store file is folded in."""
        with self._flush_guard:
            if self._server is None or self._tracker is None:
                raise StoreError(f"The texts store {self.path} is not open.")
            if self._failed is not None:
                raise _unusable(self.path, self._failed)
            try:
                changes = self._tracker.changes(self._server)
                if changes:
                    self._journal.append(encode_record(changes))
                    self._changed = True
                if self._journal.size > max(SMALLEST_COMPACTED_JOURNAL, self._file_size()):
                    self._compact()
            except OSError as error:
                # what was flushed before stays (a torn record is cut off when the store is
                # opened again); nothing more is written by this process
                self._failed = error
                raise _unusable(self.path, error) from None

    def _file_size(self) -> int:
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def _compact(self) -> None:
        """Write the whole store (already flushed to the journal) and empty the journal.

        The journal is sealed with the new file's checksum before the file is written
        (a crash after the write finds the file it names) and again once it is emptied."""
        assert self._server is not None
        data = _server_text(self._server).encode("utf-8")
        workflows = len(documents_of(self._server[DATABASE_NAME]["workflows"]))
        seal = encode_seal(Seal(hashlib.sha256(data).hexdigest(), workflows))
        self._journal.append(seal)
        write_atomically(self.path, data)
        self._journal.clear()
        self._journal.append(seal)
        self._changed = False

    def close(self) -> None:
        """Flush, write the whole store if the journal holds anything, release the lock; the
        LaunchPad must not be used afterwards."""
        if self._server is None:
            return
        try:
            if self._failed is None:
                self.flush()
                if self._changed or not self.path.exists():
                    with self._flush_guard:
                        self._compact()
        except OSError as error:
            raise _unusable(self.path, error) from None
        finally:
            self._server = self._launchpad = self._tracker = None
            self._journal.close()
            self._lock.release()

    def __enter__(self) -> LaunchPad:
        return self.open()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # Flushing after an error too: a real MongoDB would also keep every completed write.
        self.close()


def launchpad_on(server: ServerStore) -> LaunchPad:
    """A LaunchPad built by FireWorks' own constructor on the embedded store ``server``,
    refreshing workflows incrementally."""
    launchpad = launchpad_on_mongomock(server, _StoreCollection, DATABASE_NAME)
    return use_incremental_refresh(launchpad)


def _unusable(path: pathlib.Path, error: OSError) -> StoreError:
    """A store that cannot be written (or read): which file, and why (a full disk, a
    read-only directory, a directory where a file should be)."""
    where = error.filename or path
    reason = error.strerror or str(error)
    message = f"The texts store {path} cannot be used: {reason}: {where}"
    if error.errno == errno.EISDIR:
        message += ". texts keeps a file there: move the directory aside."
    return StoreError(message)


def _remove_temporaries(path: pathlib.Path) -> None:
    """Delete temporary files left by a writer that died mid-flush (safe: we hold the lock)."""
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def journal_path(store_path: pathlib.Path) -> pathlib.Path:
    return store_path.with_name(store_path.name + JOURNAL_SUFFIX)


def load_server(store_path: pathlib.Path) -> tuple[LoadedServerStore, int]:
    """The store at ``store_path`` with its journal replayed, and the journal's valid length.

    Without the lock this reads the state as of a recent flush (a torn record of a flush
    under way is ignored): enough to watch a run from outside. The store file and journal
    are read again if the store file was replaced meanwhile (the journal then restarted).
    A store file that is not the one the journal's seals name, a damaged journal, or a
    document of a shape FireWorks or texts cannot read is a ``StoreError`` saying which.
    """
    server, length, _ = read_store(store_path)
    return server, length


def read_store(store_path: pathlib.Path) -> tuple[LoadedServerStore, int, bool]:
    """As :func:`load_server`, and whether the journal holds changes; a store that cannot
    be read is a ``StoreError`` saying why."""
    try:
        return _read_store(store_path)
    except (ValueError, KeyError, TypeError, AttributeError, BSONError) as error:
        raise StoreError(f"The texts store {store_path} cannot be read: {error}") from None
    except OSError as error:
        raise _unusable(store_path, error) from None


def _read_store(store_path: pathlib.Path) -> tuple[LoadedServerStore, int, bool]:
    while True:
        before = _identity(store_path)
        journal = read_journal(journal_path(store_path))
        try:
            data: bytes | None = store_path.read_bytes()
        except FileNotFoundError:
            data = None
        if _identity(store_path) == before:
            break
    _check_seals(store_path, data, journal.seals)
    server = LoadedServerStore({}) if data is None else _server_from_text(data.decode("utf-8"))
    replay(journal, server)
    check_collections(
        (name, documents_of(store))
        for db, name, store in collection_stores(server)
        if db == DATABASE_NAME
    )
    return server, journal.length, bool(journal.changes)


def _check_seals(store_path: pathlib.Path, data: bytes | None, seals: list[Seal]) -> None:
    """The store file must be one that texts wrote, as its journal's seals say."""
    if not seals:
        return  # a journal of a store texts has not compacted yet, or none at all
    if data is None:
        held = max(seal.workflows for seal in seals)
        if held:
            raise StoreDamaged(
                f"it is missing, but its journal {journal_path(store_path)} says it held"
                f" {held} workflow{'s' if held > 1 else ''}: it was deleted. Restore it"
                " from a copy, or move the directory aside to start anew."
            )
        return
    if hashlib.sha256(data).hexdigest() not in {seal.sha256 for seal in seals}:
        raise StoreDamaged(
            "it is not the file texts wrote (its checksum is not the one its journal"
            f" {journal_path(store_path)} holds): it was changed by something else, or"
            " damaged. Restore it from a copy; to use it as it is, delete the journal"
            " (changes not yet written into the store file are then lost)."
        )


def _identity(path: pathlib.Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return status.st_ino, status.st_mtime_ns
