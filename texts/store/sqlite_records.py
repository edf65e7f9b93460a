"""The run records and the result cache of a working directory: ``.texts/texts.db``.

One SQLite database in WAL mode (readers never wait for a writer, a crash leaves the last
committed state). Writes are batched: they go into one transaction that ``commit`` ends,
which the executors call once per scheduling step (after an input's exports, after its
prints, at the end of a run). Each record kind is a table of its documents (JSON text,
keyed by the record's content hash) with the fields the run log asks by as indexed
columns, so a question costs an index lookup, whatever the history.

The layout has a version of its own (``PRAGMA user_version``), distinct from the schema
version of the records (what they mean, kept in ``meta``): a database of a newer layout
is refused.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from texts.store.errors import DamagedRecord, StoreError
from texts.store.records import Document, RecordDatabase

DATABASE_FILE_NAME = "texts.db"
LAYOUT_VERSION = 2
"""1: the first layout; 2: file records carry their run's start, indexed with the path, so
that the newest uses of a file are an index range whatever the history."""
BUSY_TIMEOUT_MS = 30_000
"""How long a writer waits for another process's transaction before giving up."""

_FILES_BY_START = """
CREATE INDEX IF NOT EXISTS files_by_path_and_start ON files (path, started, run);
CREATE TRIGGER IF NOT EXISTS files_learn_their_start AFTER INSERT ON runs BEGIN
    UPDATE files SET started = NEW.started WHERE run = NEW.run AND started IS NULL;
END;
CREATE TABLE IF NOT EXISTS file_use_counts (path TEXT PRIMARY KEY, uses INTEGER NOT NULL);
CREATE TRIGGER IF NOT EXISTS files_are_counted AFTER INSERT ON files BEGIN
    INSERT INTO file_use_counts (path, uses) VALUES (NEW.path, 1)
        ON CONFLICT (path) DO UPDATE SET uses = uses + 1;
END;
"""
"""The newest uses of a file are the top of an index range, and their number a row. A file
record takes its run's start when it is added (``put_records``), or when its run record
comes after it; records are never removed, so a count only grows."""

_LAYOUT = (
    """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, run TEXT NOT NULL, model TEXT, model_hash TEXT,
    started TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS runs_by_run ON runs (run);
CREATE INDEX IF NOT EXISTS runs_by_start ON runs (started, run);
CREATE INDEX IF NOT EXISTS runs_by_model ON runs (model, model_hash, started);
CREATE TABLE IF NOT EXISTS nodes (
    id TEXT PRIMARY KEY, run TEXT NOT NULL, name TEXT NOT NULL, hash TEXT NOT NULL,
    doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS nodes_by_name ON nodes (name);
CREATE INDEX IF NOT EXISTS nodes_by_run ON nodes (run, hash);
CREATE INDEX IF NOT EXISTS nodes_by_hash ON nodes (hash);
CREATE TABLE IF NOT EXISTS "values" (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, mode TEXT, sha256 TEXT, run TEXT, node TEXT,
    doc TEXT NOT NULL, started TEXT);
CREATE INDEX IF NOT EXISTS files_by_node ON files (run, node);
CREATE TABLE IF NOT EXISTS code (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cache (signature TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cache_models (key TEXT PRIMARY KEY, nodes TEXT NOT NULL);
"""
    + _FILES_BY_START
)

_UPGRADES = {
    1: """
ALTER TABLE files ADD COLUMN started TEXT;
UPDATE files SET started = (SELECT min(started) FROM runs WHERE runs.run = files.run);
DROP INDEX IF EXISTS files_by_path;
"""
    + _FILES_BY_START
    + """
INSERT INTO file_use_counts (path, uses) SELECT path, count(*) FROM files GROUP BY path;
""",
}
"""What turns a database of each older layout into the next one (in one transaction)."""

_TABLES = {"run": "runs", "node": "nodes", "value": '"values"', "file": "files", "code": "code"}
_COLUMNS = {
    "run": ("run", "model", "model_hash", "started"),
    "node": ("run", "name", "hash"),
    "value": (),
    "file": ("path", "mode", "sha256", "run", "node"),
    "code": (),
}
"""The indexed fields of each kind, stored beside the document."""
_SCHEMA_KEY = "schema_version"
T = TypeVar("T")


def _guarded(method: Callable[..., T]) -> Callable[..., T]:
    """A method whose database errors (a full disk, a read-only directory, a damaged file)
    are a ``StoreError`` naming the database."""

    @functools.wraps(method)
    def guarded(self: SqliteRecords, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.Error, OSError, UnicodeDecodeError) as error:
            raise _unusable(self.path, error) from None

    return guarded


_DAMAGE = {"SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_ERROR"}
"""SQLite's names of the errors of a damaged database file (a torn or overwritten file, a
table of another shape); a full disk or a read-only directory are not damage."""


def _unusable(path: Path, error: sqlite3.Error | OSError | UnicodeDecodeError) -> StoreError:
    """The error naming the database, and for a damaged one how to get on."""
    message = f"The database {path} cannot be used: {error}"
    damaged = isinstance(error, UnicodeDecodeError)  # (a text of the file, damaged)
    if damaged or path.is_dir() or getattr(error, "sqlite_errorname", None) in _DAMAGE:
        message += _REPAIR
    return StoreError(message)


_REPAIR = (
    ". Restore it from a copy, or move it aside: texts then starts a new run log and result cache."
)
"""What a user can do about a damaged database."""


def _text(document: Document) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), default=str)


def _row(kind: str, document: Document) -> tuple[Any, ...]:
    """The values of a record's row: id, indexed fields, document (and for a file, its run
    again, to look up the run's start)."""
    row = (document["_id"], *(document.get(c) for c in _COLUMNS[kind]), _text(document))
    return (*row, document.get("run")) if kind == "file" else row


class SqliteRecords(RecordDatabase):
    """The records and cache of a ``.texts`` directory; the file is made on first write."""

    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / DATABASE_FILE_NAME
        self.where = str(self.path)
        self._connection: sqlite3.Connection | None = None
        self._writing = False

    # ---- the connection

    def _db(self, write: bool = False) -> sqlite3.Connection | None:
        """The open database; ``None`` for reading one that does not exist yet."""
        if self._connection is None:
            if not write and not self.path.exists():
                return None
            self._connection = self._open()
        if write and not self._writing:
            self._connection.execute("BEGIN IMMEDIATE")
            self._writing = True
        return self._connection

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = None
        try:
            connection = sqlite3.connect(
                self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
            )
            layout = connection.execute("PRAGMA user_version").fetchone()[0]
            if layout > LAYOUT_VERSION:
                raise StoreError(
                    f"The database {self.path} has layout {layout}, newer than this textS"
                    f" knows ({LAYOUT_VERSION}): upgrade textS to use it."
                )
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            if layout < LAYOUT_VERSION:
                steps = (
                    [_LAYOUT]
                    if layout == 0
                    else [_UPGRADES[n] for n in range(layout, LAYOUT_VERSION)]
                )
                connection.executescript(
                    f"BEGIN IMMEDIATE;{''.join(steps)}PRAGMA user_version={LAYOUT_VERSION};COMMIT;"
                )
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            if connection is not None:
                connection.close()  # (a layout step that failed is rolled back)
            raise _unusable(self.path, error) from None
        return connection

    def _record(self, text: str, **asked: Any) -> Document:
        """A stored record document, once it passed the run log's check (``check``) and
        holds the values it was looked up by (``asked``: a damaged index can lead to
        another record, sound in itself)."""
        try:
            document = json.loads(text)
        except (TypeError, ValueError) as error:
            raise self._damaged(f"a record is not JSON ({error})") from None
        if self.check is not None:
            try:
                self.check(document)
            except StoreError as error:  # (the check's own kind of error)
                name = document.get("_id") if isinstance(document, dict) else None
                raise self._damaged(f"the record {name or '?'}: {error}") from None
        for field, value in asked.items():
            found = document.get(field) if isinstance(document, dict) else None
            if found not in (value if isinstance(value, set) else {value}):
                raise self._damaged(f"an index leads to a record of another {field}")
        return document

    def _damaged(self, problem: str) -> DamagedRecord:
        return DamagedRecord(f"The database {self.path} holds a damaged record: {problem}{_REPAIR}")

    def _rows(self, query: str, parameters: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            connection = self._db()
            if connection is None:
                return []
            return connection.execute(query, tuple(parameters)).fetchall()
        except (sqlite3.Error, OSError, UnicodeDecodeError) as error:
            raise _unusable(self.path, error) from None

    @_guarded
    def commit(self) -> None:
        if self._connection is not None and self._writing:
            self._connection.execute("COMMIT")
            self._writing = False

    @_guarded
    def close(self) -> None:
        if self._connection is not None:
            try:
                self.commit()
            finally:
                self._connection.close()
                self._connection = None
                self._writing = False

    # ---- schema version

    @_guarded
    def version(self) -> int | None:
        rows = self._rows("SELECT value FROM meta WHERE key = ?", [_SCHEMA_KEY])
        if not rows:
            return None
        if not str(rows[0][0]).isdigit():
            raise StoreError(
                f"The database {self.path} has a damaged schema version {rows[0][0]!r}:"
                " restore it from a copy, or move it aside and `texts import` an export"
            )
        return int(rows[0][0])

    @_guarded
    def set_version(self, version: int) -> None:
        connection = self._db(write=True)
        assert connection is not None
        connection.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (_SCHEMA_KEY, str(version))
        )
        self.commit()

    # ---- the sync primitives

    @_guarded
    def put_records(self, kind: str, documents: list[Document]) -> int:
        if not documents:
            return 0
        connection = self._db(write=True)
        assert connection is not None
        columns = ("id", *_COLUMNS[kind], "doc")
        values = ", ".join("?" * len(columns))
        if kind == "file":  # with its run's start (see _FILES_BY_START)
            columns += ("started",)
            values += ", (SELECT min(started) FROM runs WHERE runs.run = ?)"
        statement = (
            f"INSERT OR IGNORE INTO {_TABLES[kind]} ({', '.join(columns)}) VALUES ({values})"
        )
        rows = (_row(kind, document) for document in documents)
        # the rows inserted (the counts a trigger updates are not among them)
        return connection.executemany(statement, rows).rowcount

    @_guarded
    def get_records(self, kind: str, ids: Iterable[str] | None = None) -> Iterator[Document]:
        table = _TABLES[kind]
        if ids is None:
            rows = self._rows(f"SELECT doc FROM {table} ORDER BY rowid")
        else:
            wanted = list(ids)
            rows = []
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                rows.extend(
                    self._rows(
                        f"SELECT doc FROM {table} WHERE id IN ({', '.join('?' * len(chunk))})"
                        " ORDER BY rowid",
                        chunk,
                    )
                )
        asked = {} if ids is None else {"_id": set(wanted)}
        return (self._record(doc, **asked) for (doc,) in rows)

    @_guarded
    def iter_record_ids(self, kind: str) -> Iterator[str]:
        return (id_ for (id_,) in self._rows(f"SELECT id FROM {_TABLES[kind]} ORDER BY rowid"))

    # ---- the run log's questions

    @_guarded
    def newest_runs(self, limit: int | None) -> list[str]:
        query = "SELECT run, max(started) AS s FROM runs GROUP BY run ORDER BY s DESC, run DESC"
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        return [run for run, _ in self._rows(query)]

    @_guarded
    def runs_starting_with(self, prefix: str, limit: int) -> list[str]:
        rows = self._rows(
            "SELECT DISTINCT run FROM runs WHERE run >= ? AND run < ? LIMIT ?",
            [prefix, prefix + "\uffff", limit],
        )
        return [run for (run,) in rows]

    @_guarded
    def run_records(self, run: str) -> list[Document]:
        rows = self._rows("SELECT doc FROM runs WHERE run = ? ORDER BY rowid", [run])
        return [self._record(doc, run=run) for (doc,) in rows]

    @_guarded
    def first_run(self, model: str, model_hash: str) -> Document | None:
        rows = self._rows(
            "SELECT doc FROM runs WHERE model = ? AND model_hash = ? ORDER BY started, run LIMIT 1",
            [model, model_hash],
        )
        return self._record(rows[0][0], model=model, model_hash=model_hash) if rows else None

    @_guarded
    def has_runs_of(self, executor: str) -> bool:
        """Whether any run of this executor was recorded (a store emptied since shows)."""
        rows = self._rows(
            "SELECT 1 FROM runs WHERE json_extract(doc, '$.executor') = ? LIMIT 1", [executor]
        )
        return bool(rows)

    @_guarded
    def nodes_of_run(self, run: str) -> list[Document]:
        rows = self._rows("SELECT doc FROM nodes WHERE run = ? ORDER BY rowid", [run])
        return [self._record(doc, run=run) for (doc,) in rows]

    @_guarded
    def node_count(self, run: str) -> int:
        rows = self._rows("SELECT count(*) FROM nodes WHERE run = ?", [run])
        return int(rows[0][0]) if rows else 0

    def newest_node(
        self, *, name: str | None = None, hash: str | None = None, run: str | None = None
    ) -> Document | None:
        field, value = ("name", name) if name is not None else ("hash", hash)
        conditions = [f"n.{field} = ?"]
        parameters: list[Any] = [value]
        if run is not None:
            conditions.append("n.run = ?")
            parameters.append(run)
        rows = self._rows(
            "SELECT n.doc FROM nodes n JOIN runs r ON r.run = n.run"
            f" WHERE {' AND '.join(conditions)}"
            " ORDER BY r.started DESC, r.run DESC, n.rowid LIMIT 1",
            parameters,
        )
        asked = {field: value} if run is None else {field: value, "run": run}
        return self._record(rows[0][0], **asked) if rows else None

    @_guarded
    def node_hashes(self, prefix: str, run: str | None, limit: int) -> list[str]:
        query = "SELECT DISTINCT n.hash FROM nodes n JOIN runs r ON r.run = n.run"
        query += " WHERE n.hash >= ? AND n.hash < ?"
        parameters: list[Any] = [prefix, prefix + "\uffff"]
        if run is not None:
            query += " AND n.run = ?"
            parameters.append(run)
        return [h for (h,) in self._rows(query + " LIMIT ?", [*parameters, limit])]

    @_guarded
    def files_of(self, run: str, node: str) -> list[Document]:
        rows = self._rows(
            "SELECT doc FROM files WHERE run = ? AND node = ? ORDER BY rowid", [run, node]
        )
        return [self._record(doc, run=run, node=node) for (doc,) in rows]

    @_guarded
    def file_uses(self, path: str, limit: int | None) -> list[Document]:
        query = "SELECT doc FROM files WHERE path = ? ORDER BY started DESC, run DESC, rowid DESC"
        parameters: list[Any] = [path]
        if limit is not None:
            query += " LIMIT ?"
            parameters.append(int(limit))
        return [self._record(doc, path=path) for (doc,) in self._rows(query, parameters)]

    @_guarded
    def file_use_count(self, path: str) -> int:
        rows = self._rows("SELECT uses FROM file_use_counts WHERE path = ?", [path])
        return int(rows[0][0]) if rows else 0

    @_guarded
    def distinct_files(self) -> list[Document]:
        rows = self._rows(
            "SELECT doc FROM files WHERE rowid IN"
            " (SELECT min(rowid) FROM files GROUP BY path, mode, sha256) ORDER BY path, mode"
        )
        return [self._record(doc) for (doc,) in rows]

    # ---- the result cache

    @_guarded
    def cached_value_id(self, signature: str) -> str | None:
        rows = self._rows("SELECT signature, value FROM cache WHERE signature = ?", [signature])
        if rows and rows[0][0] != signature:
            raise self._damaged("an index leads to the cache entry of another signature")
        return str(rows[0][1]) if rows else None

    @_guarded
    def cache_values(self, entries: dict[str, str]) -> None:
        if entries:
            connection = self._db(write=True)
            assert connection is not None
            connection.executemany(
                "INSERT OR REPLACE INTO cache (signature, value) VALUES (?, ?)", entries.items()
            )

    @_guarded
    def model_nodes(self, key: str) -> dict[str, Document] | None:
        rows = self._rows("SELECT nodes FROM cache_models WHERE key = ?", [key])
        return json.loads(rows[0][0]) if rows else None

    @_guarded
    def set_model_nodes(self, key: str, nodes: dict[str, Document]) -> None:
        connection = self._db(write=True)
        assert connection is not None
        connection.execute(
            "INSERT OR REPLACE INTO cache_models (key, nodes) VALUES (?, ?)",
            (key, json.dumps(nodes, sort_keys=True)),
        )
