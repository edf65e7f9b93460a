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

from texts.store.errors import StoreError
from texts.store.records import Document, RecordDatabase

DATABASE_FILE_NAME = "texts.db"
LAYOUT_VERSION = 1
BUSY_TIMEOUT_MS = 30_000
"""How long a writer waits for another process's transaction before giving up."""

_LAYOUT = """
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
    doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS files_by_path ON files (path);
CREATE INDEX IF NOT EXISTS files_by_node ON files (run, node);
CREATE TABLE IF NOT EXISTS code (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cache (signature TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cache_models (key TEXT PRIMARY KEY, nodes TEXT NOT NULL);
"""

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
        except (sqlite3.Error, OSError) as error:
            raise StoreError(f"The database {self.path} cannot be used: {error}") from None

    return guarded


def _text(document: Document) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), default=str)


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
        try:
            connection = sqlite3.connect(
                self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
            )
            layout = connection.execute("PRAGMA user_version").fetchone()[0]
            if layout > LAYOUT_VERSION:
                connection.close()
                raise StoreError(
                    f"The database {self.path} has layout {layout}, newer than this textS"
                    f" knows ({LAYOUT_VERSION}): upgrade textS to use it."
                )
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            if layout < LAYOUT_VERSION:
                connection.executescript(f"BEGIN IMMEDIATE;{_LAYOUT}COMMIT;")
                connection.execute(f"PRAGMA user_version={LAYOUT_VERSION}")
        except sqlite3.DatabaseError as error:
            raise StoreError(f"The database {self.path} cannot be used: {error}") from None
        return connection

    def _rows(self, query: str, parameters: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        connection = self._db()
        if connection is None:
            return []
        return connection.execute(query, tuple(parameters)).fetchall()

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
        statement = (
            f"INSERT OR IGNORE INTO {_TABLES[kind]} ({', '.join(columns)})"
            f" VALUES ({', '.join('?' * len(columns))})"
        )
        before = connection.total_changes
        connection.executemany(
            statement,
            (
                (document["_id"], *(document.get(c) for c in _COLUMNS[kind]), _text(document))
                for document in documents
            ),
        )
        return connection.total_changes - before

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
        return (json.loads(doc) for (doc,) in rows)

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
        return [json.loads(doc) for (doc,) in rows]

    @_guarded
    def first_run(self, model: str, model_hash: str) -> Document | None:
        rows = self._rows(
            "SELECT doc FROM runs WHERE model = ? AND model_hash = ? ORDER BY started, run LIMIT 1",
            [model, model_hash],
        )
        return json.loads(rows[0][0]) if rows else None

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
        return [json.loads(doc) for (doc,) in rows]

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
        return json.loads(rows[0][0]) if rows else None

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
        return [json.loads(doc) for (doc,) in rows]

    @_guarded
    def file_uses(self, path: str) -> list[Document]:
        rows = self._rows("SELECT doc FROM files WHERE path = ? ORDER BY rowid", [path])
        return [json.loads(doc) for (doc,) in rows]

    @_guarded
    def distinct_files(self) -> list[Document]:
        rows = self._rows(
            "SELECT doc FROM files WHERE rowid IN"
            " (SELECT min(rowid) FROM files GROUP BY path, mode, sha256) ORDER BY path, mode"
        )
        return [json.loads(doc) for (doc,) in rows]

    # ---- the result cache

    @_guarded
    def cached_value_id(self, signature: str) -> str | None:
        rows = self._rows("SELECT value FROM cache WHERE signature = ?", [signature])
        return str(rows[0][0]) if rows else None

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
