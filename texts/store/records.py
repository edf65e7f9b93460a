"""The run records and the result cache: one narrow interface, a SQLite and a MongoDB home.

Records are documents with an ``_id`` that is the hash of their content (checked by
``texts.provenance``), of five kinds: runs, nodes, values, files and code identities.
They are only ever added. The interface answers the questions the run log asks (the
newest runs, the newest node of a name or hash, a node's inputs and files, who used a file)
through indexes, so that the time of a question does not grow with the history; it moves
records with three primitives (``get_records``, ``put_records``, ``iter_record_ids``) from
which export, import, push and pull follow; and it keeps the result cache: a signature
names the id of a value record, and a model key the signature parts its nodes had.

``SqliteRecords`` keeps all of it in ``.texts/texts.db`` of a working directory;
``MongoRecords`` in collections of a MongoDB workflow database.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from typing import Any

Document = dict[str, Any]

KIND_COLLECTIONS = {
    "run": "texts_runs",
    "node": "texts_nodes",
    "value": "texts_values",
    "file": "texts_files",
    "code": "texts_code",
}
"""Every record kind and the collection (or table) that holds it, in export order."""


class RecordDatabase(ABC):
    """Where one store's records and result cache live."""

    where: str  # for messages: the database file or the launchpad file
    check: Callable[[Document], object] | None = None
    """What a record read back must pass (the run log's own check of a record's kind,
    fields and content hash, given by the run log), raising a ``StoreError`` if it does
    not. ``texts.db`` checks every record it reads with it: it is a file in the working
    directory that anything may have changed, and a damaged record is reported, never
    used. (A MongoDB's records are checked as the run log reads them.)"""

    # ---- schema version (what the records mean; ``None``: nothing stored yet)

    @abstractmethod
    def version(self) -> int | None: ...

    @abstractmethod
    def set_version(self, version: int) -> None: ...

    # ---- the sync primitives

    @abstractmethod
    def put_records(self, kind: str, documents: list[Document]) -> int:
        """Add the documents not stored yet (by ``_id``); the number added."""

    @abstractmethod
    def get_records(self, kind: str, ids: Iterable[str] | None = None) -> Iterator[Document]:
        """The documents with these ids (every one without), in the order stored."""

    @abstractmethod
    def iter_record_ids(self, kind: str) -> Iterator[str]: ...

    # ---- the run log's questions

    @abstractmethod
    def newest_runs(self, limit: int | None) -> list[str]:
        """The ids of the runs, newest first (by start time, then id)."""

    @abstractmethod
    def runs_starting_with(self, prefix: str, limit: int) -> list[str]:
        """At most ``limit`` run ids that start with ``prefix``."""

    @abstractmethod
    def run_records(self, run: str) -> list[Document]:
        """The records of one run (its start, and its end once it ended)."""

    @abstractmethod
    def first_run(self, model: str, model_hash: str) -> Document | None:
        """The earliest run record of a model with the same definitions."""

    @abstractmethod
    def nodes_of_run(self, run: str) -> list[Document]: ...

    @abstractmethod
    def node_count(self, run: str) -> int: ...

    @abstractmethod
    def newest_node(
        self, *, name: str | None = None, hash: str | None = None, run: str | None = None
    ) -> Document | None:
        """The node of this name or hash, in ``run`` or else in the newest run that has it
        (only runs that have a run record count)."""

    @abstractmethod
    def node_hashes(self, prefix: str, run: str | None, limit: int) -> list[str]:
        """At most ``limit`` distinct node hashes that start with ``prefix``."""

    @abstractmethod
    def files_of(self, run: str, node: str) -> list[Document]:
        """The files a node (by hash) read and wrote in a run."""

    @abstractmethod
    def file_uses(self, path: str, limit: int | None) -> list[Document]:
        """The newest ``limit`` (or all) records of a file's reads and writes, newest run
        first (uses in runs without a run record last)."""

    @abstractmethod
    def file_use_count(self, path: str) -> int: ...

    @abstractmethod
    def distinct_files(self) -> list[Document]:
        """One file record per path, mode and content hash."""

    # ---- the result cache

    @abstractmethod
    def cached_value_id(self, signature: str) -> str | None: ...

    @abstractmethod
    def cache_values(self, entries: dict[str, str]) -> None:
        """Remember which value record each signature computed (signature: value id)."""

    @abstractmethod
    def model_nodes(self, key: str) -> dict[str, Document] | None: ...

    @abstractmethod
    def set_model_nodes(self, key: str, nodes: dict[str, Document]) -> None: ...

    # ---- lifecycle

    @abstractmethod
    def commit(self) -> None:
        """Make the writes so far durable (a store that batches writes does it now)."""

    @abstractmethod
    def close(self) -> None:
        """Commit and release the database."""
