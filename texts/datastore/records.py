"""Reference records: what a workflow document keeps of an offloaded value.

A record names everything needed to read the value back with no help from the current
configuration (backend, location, file, format, compression) and the SHA-256 of the
file's content, which is also the file's name. It is plain data: it is checked before
anything is opened, and a record whose file name is not a bare content-hash name, or
whose directory is not one of the configured store directories, is refused.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from texts.datastore.config import BACKENDS, FORMATS, DatastoreConfig
from texts.interpreter.errors import TextsError

MARKER = "_texts_offloaded"
RECORD_VERSION = 1
FILE_NAME = re.compile(r"[0-9a-f]{64}(\.json(\.gz)?|\.yaml(\.gz)?|\.h5)")


def is_record(document: Any) -> bool:
    return isinstance(document, dict) and MARKER in document


def make_record(
    kind: str,
    backend: str,
    location: str,
    launchpad: str | None,
    file: str,
    fmt: str,
    compress: bool,
    size: int,
) -> dict[str, Any]:
    record = {
        MARKER: RECORD_VERSION,
        "type": kind,
        "backend": backend,
        "location": location,
        "file": file,
        "format": fmt,
        "compress": compress,
        "sha256": file.split(".", 1)[0],
        "size": size,
    }
    if launchpad is not None:
        record["launchpad"] = launchpad
    return record


def refused(variable: str, reason: str) -> TextsError:
    return TextsError(
        "Datastore error", f"the stored value of {variable} has an invalid reference: {reason}"
    )


def check_record(record: dict[str, Any], variable: str, config: DatastoreConfig) -> None:
    """Refuse a record this version cannot read or that points outside the store: a
    record is data, so it may name only the database the datastore configuration names
    (a record that names another launchpad file would make a reader connect to whatever
    host that file names)."""
    if record.get(MARKER) != RECORD_VERSION:
        raise refused(variable, f"unknown record version {record.get(MARKER)!r}")
    if record.get("backend") not in BACKENDS or record.get("format") not in FORMATS:
        raise refused(variable, "unknown backend or format")
    file = record.get("file")
    if not isinstance(file, str) or not FILE_NAME.fullmatch(file):
        raise refused(variable, f"{file!r} is outside the configured store")
    if file.split(".", 1)[0] != record.get("sha256"):
        raise refused(variable, f"{file!r} is not named by its content hash")
    if not isinstance(record.get("location"), str) or not isinstance(record.get("compress"), bool):
        raise refused(variable, "no location or compression")
    launchpad = record.get("launchpad")
    if launchpad is not None and launchpad != config.launchpad:
        raise refused(
            variable,
            f"it names the database of the launchpad file {launchpad!r}, which is not the"
            " datastore's (the datastore configuration's launchpad)",
        )


def store_directory(record: dict[str, Any], config: DatastoreConfig, variable: str) -> Path:
    """The configured directory a file record points into (never another one)."""
    location = Path(record["location"])
    if location.is_absolute() and ".." not in location.parts:
        for directory in config.paths:
            if location == directory:
                return directory
    raise refused(
        variable,
        f"{record['location']!r} is outside the configured store "
        f"(the datastore path is {', '.join(map(str, config.paths))})",
    )
