"""Reading the files an embedded store kept before ``texts.db``, to move them into it.

Until schema version 2 the run records of an embedded store were append-only JSON-lines
files (``.texts/records/<kind>s.jsonl``: on each line the CRC-32 of the JSON text in
hexadecimal, a space, the text; a torn or failing line is skipped) and the result cache
was files (``.texts/cache/values/<ab>/<signature>.json`` holding ``{"sha256", "value"}``,
``.texts/cache/models/<key>.json``). ``texts db upgrade`` reads them with this module,
adds them to the database and removes them; nothing else reads them.
"""

from __future__ import annotations

import json
import shutil
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from texts.provenance.records import KINDS, ValueRecord
from texts.provenance.recordstore import (
    LEGACY_CACHE_DIRECTORY,
    LEGACY_RECORDS_DIRECTORY,
    RecordStore,
    check_document,
)
from texts.provenance.signature import digest


@dataclass
class Moved:
    """What an upgrade moved into the database."""

    records: int = 0
    cached: int = 0
    skipped: list[str] = field(default_factory=list)  # files that were not readable


def move_into(store: RecordStore, directory: Path) -> Moved:
    """Add the record and cache files of the ``.texts`` ``directory`` to ``store``, then
    remove them (only once everything is committed)."""
    moved = Moved()
    records = directory / LEGACY_RECORDS_DIRECTORY
    for kind in KINDS:
        moved.records += store.add_documents(_records(records / f"{kind}s.jsonl"))
    cache = directory / LEGACY_CACHE_DIRECTORY
    entries: dict[str, str] = {}
    for path in sorted((cache / "values").glob("*/*.json")):
        document = _cached_value(path)
        if document is None:
            moved.skipped.append(str(path))
            continue
        value = ValueRecord(document).document()
        store.database.put_records("value", [value])
        entries[path.stem] = value["_id"]
    store.database.cache_values(entries)
    moved.cached = len(entries)
    for path in sorted((cache / "models").glob("*.json")):
        try:
            nodes = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            moved.skipped.append(str(path))
            continue
        store.database.set_model_nodes(path.stem, nodes)
    store.database.commit()
    shutil.rmtree(records, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    return moved


def _records(path: Path) -> Iterator[dict[str, Any]]:
    """The whole, checked records of one JSON-lines file, each once."""
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return
    seen: set[str] = set()
    for line in content.split(b"\n"):
        checksum, _, data = line.partition(b" ")
        try:
            if int(checksum, 16) != zlib.crc32(data):
                continue
            document = json.loads(data)
            check_document(document)
        except ValueError:  # not hexadecimal, not JSON, or not a record: torn or foreign
            continue
        if document["_id"] not in seen:
            seen.add(document["_id"])
            yield document


def _cached_value(path: Path) -> Any:
    """The value document of a cache file, ``None`` when it is unreadable or does not
    match the hash written with it."""
    try:
        entry = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or "value" not in entry:
        return None
    document = entry["value"]
    if entry.get("sha256") != digest(json.dumps(document, sort_keys=True)):
        return None
    return document
