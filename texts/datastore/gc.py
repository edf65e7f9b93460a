"""``texts datastore gc``: remove offloaded files that no stored model references.

A file is kept while any node of any registered workflow store refers to it: the inputs
in node specs and the outputs of current launches (the launches a rerun archived do not
count). The stores are the one gc runs on and every store registered with the backend;
a registered embedded store whose directory is gone no longer counts, and a registered
MongoDB database that gc cannot read makes it stop rather than guess. Files younger than
``min_age`` are spared: a writer stores its file before the record that refers to it.
Only content-hash names are ever removed, so other files sharing the directory (such as
the reference implementation's) are left alone.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from texts.datastore.backends import Backend, FileBackend, GridFSBackend, StoredFile
from texts.datastore.config import current_config
from texts.datastore.offloading import backend_for
from texts.datastore.records import FILE_NAME
from texts.datastore.stores import embedded_directory, referenced_files, store_identity
from texts.interpreter.errors import TextsError


@dataclass
class Collected:
    """What gc found unreferenced (and removed, unless it was a dry run)."""

    files: list[tuple[Backend, StoredFile]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(stored.size for _, stored in self.files)


def collect_garbage(launchpad: Any, workdir: Path, min_age: float, dry_run: bool) -> Collected:
    """Find (and unless ``dry_run`` delete) the unreferenced files of the configured
    backends, older than ``min_age`` seconds. ``launchpad`` is ``None`` in a directory
    without a store: only the stores registered with the backends count then."""
    current = store_identity(launchpad, str(workdir))
    cutoff = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=min_age)
    collected = Collected()
    for backend in _backends(launchpad):
        referenced = _references(backend, launchpad, current, dry_run)
        for stored in backend.files():
            if (
                FILE_NAME.fullmatch(stored.name)
                and (backend.location, stored.name) not in referenced
                and stored.modified < cutoff
            ):
                collected.files.append((backend, stored))
                if not dry_run:
                    backend.delete(stored.name)
    return collected


def _backends(launchpad: Any) -> list[Backend]:
    """Every configured directory, and the configured GridFS bucket if it exists."""
    config = current_config()
    found: list[Backend] = [FileBackend(path) for path in config.paths if path.is_dir()]
    if launchpad is None and not config.launchpad:
        return found  # no database to hold a GridFS bucket
    gridfs = backend_for(dataclasses.replace(config, type="gridfs"), launchpad)
    assert isinstance(gridfs, GridFSBackend)
    if f"{gridfs.location}.files" in gridfs.database.list_collection_names():
        found.append(gridfs)
    return found


def _references(
    backend: Backend, launchpad: Any, current: dict[str, str] | None, dry_run: bool
) -> set[tuple[str, str]]:
    """The files referenced by every store registered with ``backend`` and the current one."""
    referenced = referenced_files(launchpad.db) if launchpad is not None else set()
    for store in backend.registered():
        if store == current:
            continue
        if "embedded" in store:
            database = _embedded_database(Path(store["embedded"]))
            if database is None:
                if not dry_run:
                    backend.unregister(store)
                continue
            referenced |= referenced_files(database)
        else:
            raise TextsError(
                "Datastore error",
                f"the datastore {backend.location} also holds values of the MongoDB database "
                f"{store.get('mongodb')}: run gc with -l for that database",
            )
    return referenced


def _embedded_database(directory: Path) -> Any:
    """The database of another working directory's embedded store, read as of its last
    flush without taking its lock; ``None`` when the store is gone."""
    from texts.executors.workflow.store import STORE_FILE_NAME, launchpad_on, load_server

    if embedded_directory(str(directory.parent)) is None:
        return None
    server, _ = load_server(directory / STORE_FILE_NAME)
    return launchpad_on(server).db
