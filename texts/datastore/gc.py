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

from texts.datastore.backends import Backend, FileBackend, GridFSBackend, StoredFile
from texts.datastore.config import current_config
from texts.datastore.offloading import backend_for
from texts.datastore.records import FILE_NAME
from texts.datastore.stores import referenced_files
from texts.interpreter.errors import TextsError
from texts.store.workflows import EmbeddedWorkflowStore, WorkflowStore, embedded_directory


@dataclass
class Collected:
    """What gc found unreferenced (and removed, unless it was a dry run)."""

    files: list[tuple[Backend, StoredFile]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(stored.size for _, stored in self.files)


def collect_garbage(store: WorkflowStore | None, min_age: float, dry_run: bool) -> Collected:
    """Find (and unless ``dry_run`` delete) the unreferenced files of the configured
    backends, older than ``min_age`` seconds. ``store`` is ``None`` in a directory
    without a workflow store: only the stores registered with the backends count then."""
    current = store.identity() if store is not None else None
    cutoff = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=min_age)
    collected = Collected()
    for backend in _backends(store):
        referenced = _references(backend, store, current, dry_run)
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


def _backends(store: WorkflowStore | None) -> list[Backend]:
    """Every configured directory, and the configured GridFS bucket if it exists."""
    config = current_config()
    found: list[Backend] = [FileBackend(path) for path in config.paths if path.is_dir()]
    if store is None and not config.launchpad:
        return found  # no database to hold a GridFS bucket
    database = store.database if store is not None else None
    gridfs = backend_for(dataclasses.replace(config, type="gridfs"), database)
    assert isinstance(gridfs, GridFSBackend)
    if f"{gridfs.location}.files" in gridfs.database.list_collection_names():
        found.append(gridfs)
    return found


def _references(
    backend: Backend, store: WorkflowStore | None, current: dict[str, str] | None, dry_run: bool
) -> set[tuple[str, str]]:
    """The files referenced by every store registered with ``backend`` and the current one."""
    referenced = referenced_files(store) if store is not None else set()
    for registered in backend.registered():
        if registered == current:
            continue
        if "embedded" in registered:
            directory = Path(registered["embedded"])
            if embedded_directory(directory.parent) is None:
                if not dry_run:
                    backend.unregister(registered)
                continue
            referenced |= referenced_files(EmbeddedWorkflowStore.snapshot(directory))
        else:
            raise TextsError(
                "Datastore error",
                f"the datastore {backend.location} also holds values of the MongoDB database "
                f"{registered.get('mongodb')}: run gc with -l for that database",
            )
    return referenced
