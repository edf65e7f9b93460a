"""Where offloaded files live: a directory, or a GridFS bucket of a MongoDB database.

Both take a finished local file and make it appear under its final name only once it is
complete: the file backend fsyncs a temporary file in the store directory and renames it
into place; GridFS writes the chunks first and the file document that makes the file
visible last. A name is the hash of the content, so a name already present is the same
value, stored once.

Each backend also keeps the list of workflow stores that put values into it, so that
``texts datastore gc`` can look for references in all of them and not only in the one it
was started from.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from texts.atomic import fsync_directory

STORES_FOLDER = ".stores"
TEMPORARY_PREFIX = ".incoming-"


@dataclass(frozen=True)
class StoredFile:
    name: str
    size: int
    modified: datetime.datetime


class Backend(Protocol):
    kind: str
    location: str

    def temporary(self, suffix: str) -> contextlib.AbstractContextManager[Path]: ...

    def put(self, source: Path, name: str) -> None: ...

    def fetch(self, name: str) -> contextlib.AbstractContextManager[Path]: ...

    def files(self) -> list[StoredFile]: ...

    def delete(self, name: str) -> None: ...

    def register(self, store: dict[str, str]) -> None: ...

    def registered(self) -> list[dict[str, str]]: ...

    def unregister(self, store: dict[str, str]) -> None: ...


def store_key(store: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(store, sort_keys=True).encode()).hexdigest()[:32]


class FileBackend:
    """Files in a directory, created (with its parents) when the first value is written."""

    kind = "file"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.location = str(directory)

    @contextlib.contextmanager
    def temporary(self, suffix: str) -> Iterator[Path]:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = _new_file(self.directory, suffix)
        try:
            yield path
        finally:
            path.unlink(missing_ok=True)

    def put(self, source: Path, name: str) -> None:
        """Rename into place, replacing an equal file (and so repairing a damaged one)."""
        with open(source, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(source, self.directory / name)
        fsync_directory(self.directory)

    @contextlib.contextmanager
    def fetch(self, name: str) -> Iterator[Path]:
        yield self.directory / name

    def files(self) -> list[StoredFile]:
        if not self.directory.is_dir():
            return []
        found = []
        for entry in os.scandir(self.directory):
            if entry.is_file() and not entry.name.startswith("."):
                status = entry.stat()
                modified = datetime.datetime.fromtimestamp(status.st_mtime, datetime.timezone.utc)
                found.append(StoredFile(entry.name, status.st_size, modified))
        return found

    def delete(self, name: str) -> None:
        (self.directory / name).unlink(missing_ok=True)

    def register(self, store: dict[str, str]) -> None:
        folder = self.directory / STORES_FOLDER
        marker = folder / f"{store_key(store)}.json"
        if not marker.exists():
            folder.mkdir(parents=True, exist_ok=True)
            temporary = _new_file(folder, ".json")
            temporary.write_text(json.dumps(store), encoding="utf-8")
            os.replace(temporary, marker)

    def registered(self) -> list[dict[str, str]]:
        folder = self.directory / STORES_FOLDER
        markers = sorted(folder.glob("*.json")) if folder.is_dir() else []
        return [json.loads(marker.read_text(encoding="utf-8")) for marker in markers]

    def unregister(self, store: dict[str, str]) -> None:
        (self.directory / STORES_FOLDER / f"{store_key(store)}.json").unlink(missing_ok=True)


def _new_file(directory: Path, suffix: str) -> Path:
    """A new empty file with the usual permissions (a datastore may be shared, unlike
    ``mkstemp``'s private files)."""
    while True:
        path = directory / f"{TEMPORARY_PREFIX}{secrets.token_hex(8)}{suffix}"
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return path


class GridFSBackend:
    """Files in the GridFS bucket ``bucket`` of a (pymongo or mongomock) database."""

    kind = "gridfs"

    def __init__(self, database: Any, bucket: str) -> None:
        # lazily for start-up: it imports pymongo, gridfs
        import gridfs  # noqa: PLC0415

        self.database = database
        self.location = bucket
        self.bucket = gridfs.GridFS(database, collection=bucket)

    @contextlib.contextmanager
    def temporary(self, suffix: str) -> Iterator[Path]:
        with tempfile.TemporaryDirectory() as directory:
            yield Path(directory) / f"value{suffix}"

    def put(self, source: Path, name: str) -> None:
        """Upload, or mark an equal file already there as stored now (``gc`` spares
        recent files)."""
        if self.bucket.exists(filename=name):
            now = datetime.datetime.now(datetime.timezone.utc)
            self._files.update_many({"filename": name}, {"$set": {"uploadDate": now}})
            return
        with open(source, "rb") as handle:
            self.bucket.put(handle, filename=name)

    @contextlib.contextmanager
    def fetch(self, name: str) -> Iterator[Path]:
        # lazily for start-up: it imports pymongo, gridfs
        import gridfs  # noqa: PLC0415

        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / name
            with contextlib.suppress(gridfs.NoFile):
                path.write_bytes(self.bucket.get_last_version(filename=name).read())
            yield path

    @property
    def _files(self) -> Any:
        return self.database[f"{self.location}.files"]

    def files(self) -> list[StoredFile]:
        found = {}
        for document in self._files.find({}, {"filename": 1, "length": 1, "uploadDate": 1}):
            modified = document["uploadDate"]
            if modified.tzinfo is None:
                modified = modified.replace(tzinfo=datetime.timezone.utc)
            found[document["filename"]] = StoredFile(
                document["filename"], document["length"], modified
            )
        return list(found.values())

    def delete(self, name: str) -> None:
        for document in self._files.find({"filename": name}, {"_id": 1}):
            self.bucket.delete(document["_id"])

    @property
    def _stores(self) -> Any:
        return self.database[f"{self.location}.stores"]

    def register(self, store: dict[str, str]) -> None:
        key = store_key(store)
        self._stores.update_one({"_id": key}, {"$set": {"store": store}}, upsert=True)

    def registered(self) -> list[dict[str, str]]:
        return [document["store"] for document in self._stores.find({})]

    def unregister(self, store: dict[str, str]) -> None:
        self._stores.delete_one({"_id": store_key(store)})
