"""The run records of the embedded store: append-only files in ``.texts/records/``.

The embedded workflow store holds its whole database in memory and is read in full when
it is opened; a run log kept there would make every run slower than the one before. The
records of the embedded store therefore live beside it, one file per kind
(``runs.jsonl``, ``nodes.jsonl``, ...): a run appends its records, in time proportional
to what it adds, and only a query reads a file whole.

A line is a record: the CRC-32 of its JSON text in hexadecimal, a space, the text. A line
torn by a crash fails its checksum and is skipped; an append first ends a torn last line,
so the new records start on a line of their own. Appends take an exclusive lock on the
file and are fsynced. Records are content-addressed, so a record appended twice is read
once, and an append need not read the file first.

The schema version is in ``schema.json``. Without it, the directory is a new store, or
(when the FireWorks store beside it holds workflows) a store written before the run log.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from texts.atomic import write_atomically
from texts.paths import STORE_FILE_NAME
from texts.provenance.records import KINDS, Record
from texts.provenance.recordstore import BEFORE_RUN_LOG, RecordStore, check_document

RECORDS_DIRECTORY = "records"
SCHEMA_FILE = "schema.json"


class FileRecords(RecordStore):
    """The records of an embedded store directory (``.texts``)."""

    def __init__(self, store_directory: Path) -> None:
        self.store_directory = Path(store_directory).resolve()
        self.directory = self.store_directory / RECORDS_DIRECTORY
        super().__init__(str(self.directory))
        self._read: dict[str, list[dict[str, Any]]] = {}  # documents by kind, once read

    # ---- schema version

    def version(self) -> int | None:
        try:
            return int(json.loads((self.directory / SCHEMA_FILE).read_text("utf-8"))["version"])
        except FileNotFoundError:
            return BEFORE_RUN_LOG if self._holds_workflows() else None

    def set_version(self, version: int) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        write_atomically(self.directory / SCHEMA_FILE, json.dumps({"version": version}).encode())

    def _holds_workflows(self) -> bool:
        try:
            names = [entry.name for entry in os.scandir(self.store_directory)]
        except FileNotFoundError:
            return False
        # the store, its journal or its lock: only then is the workflow engine imported
        if not any(name.startswith(STORE_FILE_NAME) for name in names):
            return False
        return bool(self.workflow_database()["workflows"].count_documents({}, limit=1))

    def workflow_database(self) -> Any:
        """The FireWorks database beside the records, as of its last flush (read without
        its lock: a run may be using it)."""
        from texts.executors.workflow.store import launchpad_on, load_server

        server, _ = load_server(self.store_directory / STORE_FILE_NAME)
        return launchpad_on(server).db

    # ---- records

    def append(self, records: Iterable[Record]) -> None:
        by_kind: dict[str, list[bytes]] = {}
        for record in records:
            by_kind.setdefault(record.kind, []).append(_line(record.document()))
        self._write(by_kind)

    def add_documents(self, documents: Iterable[dict[str, Any]]) -> int:
        by_kind: dict[str, dict[str, dict[str, Any]]] = {}
        for document in documents:
            kind = check_document(document)
            by_kind.setdefault(kind.kind, {})[document["_id"]] = document
        new: dict[str, list[bytes]] = {}
        for name, wanted in by_kind.items():
            present = self.ids(KINDS[name])
            lines = [_line(d) for key, d in wanted.items() if key not in present]
            if lines:
                new[name] = lines
        self._write(new)
        return sum(len(lines) for lines in new.values())

    def documents(self, kind: type[Record], query: dict[str, Any] | None = None) -> list[Any]:
        matches = _matcher(query or {})
        return [document for document in self._documents(kind) if matches(document)]

    def ids(self, kind: type[Record]) -> set[str]:
        return {document["_id"] for document in self._documents(kind)}

    def _path(self, kind: str) -> Path:
        return self.directory / f"{kind}s.jsonl"

    def _documents(self, kind: type[Record]) -> list[dict[str, Any]]:
        """A kind's records in the order written, each once (read once per store object)."""
        if kind.kind not in self._read:
            unique: dict[str, dict[str, Any]] = {}
            with contextlib.suppress(FileNotFoundError):
                for line in self._path(kind.kind).read_bytes().split(b"\n"):
                    document = _document(line)
                    if document is not None:
                        unique.setdefault(document["_id"], document)
            self._read[kind.kind] = list(unique.values())
        return self._read[kind.kind]

    def _write(self, lines_by_kind: dict[str, list[bytes]]) -> None:
        if not lines_by_kind:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        for kind, lines in lines_by_kind.items():
            with _locked_append(self._path(kind)) as append:
                append(b"".join(lines))
            self._read.pop(kind, None)


def _matcher(query: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    """A test of the top-level values of a query, ``field: value`` or ``field: {"$in":
    [values]}``: the only conditions records are found by (a query engine would cost
    more to import than the search it does)."""
    tests: list[tuple[str, Any, bool]] = []  # field, value or set of values, is a set
    for field, condition in query.items():
        if isinstance(condition, dict):
            if list(condition) != ["$in"]:
                raise ValueError(f"unsupported condition on {field}: {condition}")
            tests.append((field, set(condition["$in"]), True))
        else:
            tests.append((field, condition, False))

    def matches(document: dict[str, Any]) -> bool:
        for field, wanted, among in tests:
            value = document.get(field)
            if (value not in wanted) if among else (value != wanted):
                return False
        return True

    return matches


def _line(document: dict[str, Any]) -> bytes:
    data = json.dumps(document, sort_keys=True, separators=(",", ":"), default=str).encode()
    return b"%08x " % zlib.crc32(data) + data + b"\n"


def _document(line: bytes) -> dict[str, Any] | None:
    """The record of a line, ``None`` for an empty or torn one."""
    checksum, _, data = line.partition(b" ")
    try:
        if int(checksum, 16) != zlib.crc32(data):
            return None
        document = json.loads(data)
    except ValueError:  # not hexadecimal, not UTF-8 or not JSON: torn
        return None
    return document if isinstance(document, dict) and "_id" in document else None


@contextlib.contextmanager
def _locked_append(path: Path) -> Iterator[Any]:
    """Append to ``path`` under an exclusive lock; a torn last line is ended first."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        size = os.fstat(descriptor).st_size
        if size and os.pread(descriptor, 1, size - 1) != b"\n":
            os.write(descriptor, b"\n")

        def append(data: bytes) -> None:
            written = 0
            while written < len(data):
                written += os.write(descriptor, data[written:])
            os.fsync(descriptor)

        yield append
    finally:
        os.close(descriptor)  # closing drops the lock
