"""Offload a value past the size threshold, and load an offloaded value back.

A value is offloaded when its serialised (JSON) size passes ``inline-threshold`` *and* its
reference record would be smaller than the value. The file is written under a temporary
name, hashed, and moved to its content-hash name; only then is the record returned for the
workflow to store. Loading checks the record, then the hash of the bytes it reads: a
missing or altered file is an error naming the file and the variable, never a wrong value.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from texts.datastore.backends import Backend, FileBackend, GridFSBackend
from texts.datastore.config import DatastoreConfig, config_error, current_config
from texts.datastore.formats import format_named
from texts.datastore.payload import Payload, least_size, numeric_array
from texts.datastore.records import check_record, make_record, store_directory
from texts.interpreter.errors import TextsError
from texts.interpreter.values import Series, Table
from texts.store.errors import LaunchpadError

if TYPE_CHECKING:
    from fireworks import LaunchPad
    from pymongo.database import Database

_READ_BLOCK = 1 << 20


@dataclass(frozen=True)
class Origin:
    """Whose value it is: the variable (for messages), the workflow's database (the
    default GridFS database, when it can be reached) and the workflow store to register
    with a backend it writes to (for ``gc``)."""

    variable: str
    database: Database[dict[str, Any]] | None = None
    store: dict[str, str] | None = None


def offload(payload: Payload, origin: Origin) -> dict[str, Any] | None:
    """Write the value to the datastore and return its record, or ``None`` to keep it inline."""
    config = current_config()
    if config.type is None:
        return None
    fmt = format_named(config.format)
    suffix = fmt.suffix(config.compress)
    bound = max(
        config.inline_threshold, len(json.dumps(_record(payload, config, "0" * 64 + suffix, 0)))
    )
    size = least_size(payload.value)  # a large array needs no JSON text to be judged
    if size <= bound and len(payload.json) <= bound:
        return None
    backend = _backend(config.type, config, config.launchpad, origin)
    try:
        with backend.temporary(suffix) as temporary:
            fmt.write(payload, temporary, config.compress)
            name = file_digest(temporary) + suffix
            written = temporary.stat().st_size
            backend.put(temporary, name)
    except OSError as error:  # a full disk, a directory where the value's file goes, ...
        where = error.filename2 or error.filename or backend.location  # rename: its target
        raise TextsError(
            "Datastore error",
            f"the value of {origin.variable} cannot be stored in {backend.location}:"
            f" {error.strerror or error}: {where}",
        ) from None
    _register(backend, origin)
    return _record(payload, config, name, written)


def load(record: dict[str, Any], origin: Origin) -> Any:
    """The value of a reference record, checked against its content hash."""
    config = current_config()
    check_record(record, origin.variable, config)
    backend = _backend(record["backend"], config, record.get("launchpad"), origin, record)
    name = record["file"]
    where = f"{backend.location}/{name}" if backend.kind == "file" else f"GridFS {name}"
    with backend.fetch(name) as path:
        if not path.exists():
            raise _error(f"the stored value of {origin.variable} is missing: {where}")
        try:
            digest = file_digest(path)
        except OSError as error:  # a directory in its place, a file that cannot be read
            reason = error.strerror or str(error)
            raise _error(
                f"the stored value of {origin.variable} cannot be read: {where}: {reason}"
            ) from None
        if digest != record["sha256"]:
            raise _error(
                f"the stored value of {origin.variable} is corrupted (content hash mismatch): "
                f"{where}"
            )
        try:
            return format_named(record["format"]).read(path, record["compress"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            message = f"the stored value of {origin.variable} cannot be read: {where}: {error}"
            raise _error(message) from None


_REPAIR = (
    "Restore the file from a copy; running the model anew (a new workflow) computes the"
    " value again."
)
"""What a user can do about a stored value that is missing or damaged."""


def _error(message: str) -> TextsError:
    return TextsError("Datastore error", f"{message}. {_REPAIR}")


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(_READ_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _record(payload: Payload, config: DatastoreConfig, name: str, size: int) -> dict[str, Any]:
    gridfs = config.type == "gridfs"
    return make_record(
        value_type(payload),
        str(config.type),
        config.name if gridfs else str(config.path),
        config.launchpad if gridfs else None,
        name,
        config.format,
        config.compress,
        size,
    )


def value_type(payload: Payload) -> str:
    """The serialised class of the value (``FWNumArray``, ``FWSeries``, ...)."""
    value = payload.value
    if numeric_array(value):
        return "FWNumArray"
    if isinstance(value, Series | Table):
        return "FWSeries" if isinstance(value, Series) else "FWDataFrame"
    data = payload.data
    if isinstance(data, dict):
        return str(data["_fw_name"]).rsplit(".", 1)[-1].rstrip("}")
    return type(data).__name__


def backend_for(
    config: DatastoreConfig, database: Database[dict[str, Any]] | None = None
) -> Backend:
    """The backend new values of ``config`` go to (GridFS in ``database`` unless the
    configuration names a launchpad file)."""
    return _backend(str(config.type), config, config.launchpad, Origin("", database))


def _backend(
    kind: str,
    config: DatastoreConfig,
    launchpad_file: str | None,
    origin: Origin,
    record: dict[str, Any] | None = None,
) -> Backend:
    if kind == "gridfs":
        bucket = record["location"] if record is not None else config.name
        return GridFSBackend(_database(launchpad_file, origin), bucket)
    if record is not None:
        return FileBackend(store_directory(record, config, origin.variable))
    return FileBackend(config.path)


def _database(launchpad_file: str | None, origin: Origin) -> Database[dict[str, Any]]:
    if launchpad_file:
        database: Database[dict[str, Any]] = _launchpad_from_file(launchpad_file).db
        return database
    if origin.database is None:
        raise config_error(
            "the GridFS datastore cannot reach the workflow's database here: "
            "set launchpad in the datastore configuration"
        )
    return origin.database


@cache
def _launchpad_from_file(path: str) -> LaunchPad:
    # lazily for start-up: FireWorks is imported only when a datastore names a database
    from texts.store.mongodb import open_mongodb  # noqa: PLC0415

    try:
        return open_mongodb(path)
    except LaunchpadError as error:
        raise config_error(f"datastore launchpad: {error}") from None


def _register(backend: Backend, origin: Origin) -> None:
    """Tell the backend which workflow store puts values into it (for ``gc``)."""
    if origin.store is not None:
        backend.register(origin.store)
