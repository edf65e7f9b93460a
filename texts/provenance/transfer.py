"""Moving run records between stores: export as JSON lines, import them, push and pull.

Records are content-addressed (``records``), so moving them needs no merging: a store
takes the records it lacks, and moving the same records again adds nothing. Push and pull
compare the ids of each kind and copy only what the other side lacks.

Values are moved as they are stored. A value that was offloaded to the datastore is its
datastore record (where the file is and the file's hash), not the file: the records of a
store moved to another machine name files that are only readable there if the datastore's
files are copied too.

These functions take open stores and lines of text, not command-line arguments, so that
other front ends (the Jupyter magic) can use them as they are.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

from texts.provenance.records import KINDS
from texts.provenance.recordstore import (
    RecordStore,
    RecordStoreError,
    check_document,
    open_target,
)

FORMAT_KEY = "texts_records"
FORMAT_VERSION = 1
"""The version of the export format itself (the header line, then one record a line);
what the records mean is their schema version, also in the header."""
RECORDS_SCHEMA = 1
"""What the records mean: unchanged since the run log began (version 1); a store's newer
schema versions changed only where it keeps them."""


class TransferError(RecordStoreError):
    """Records cannot be moved; the one-line message says which input line or store."""


def export_lines(store: RecordStore) -> Iterator[str]:
    """The export of ``store``: a header line, then every record as one compact JSON
    object a line (kinds in the order of ``KINDS``, each in stored order). The store is
    checked at once, so that nothing is written for a store this textS cannot read."""
    store.require_readable()
    return _lines(store)


def _lines(store: RecordStore) -> Iterator[str]:
    header = {FORMAT_KEY: FORMAT_VERSION, "schema": RECORDS_SCHEMA}  # the format key first
    yield json.dumps(header, separators=(",", ":")) + "\n"
    for kind in KINDS.values():
        for document in store.documents(kind):
            yield _line(document)


def _line(document: dict[str, Any]) -> str:
    # ``default=str`` as in ``record_id``: a value JSON lacks is written as the text its
    # id was computed from, so every exported record still matches its id.
    return json.dumps(document, sort_keys=True, separators=(",", ":"), default=str) + "\n"


def read_records(lines: Iterable[str]) -> list[dict[str, Any]]:
    """The record documents of an export, every line checked before any record is added
    anywhere: a header this textS can read, then records of a known kind whose ids match
    their content."""
    numbered = enumerate(lines, start=1)
    first = next(numbered, None)
    if first is None:
        raise TransferError("line 1: the input is empty, expected a textS records header")
    _check_header(first[1])
    return [_record(number, line) for number, line in numbered]


def _check_header(line: str) -> None:
    expected = f'{{"{FORMAT_KEY}": {FORMAT_VERSION}, "schema": {RECORDS_SCHEMA}}}'
    header = _json(1, line)
    if not isinstance(header, dict) or header.get(FORMAT_KEY) != FORMAT_VERSION:
        raise TransferError(f"line 1: not a textS records header, expected {expected}")
    schema = header.get("schema")
    if type(schema) is not int:
        raise TransferError(f"line 1: the header has no schema version, expected {expected}")
    if schema != RECORDS_SCHEMA:
        newer = " (upgrade textS to import them)" if schema > RECORDS_SCHEMA else ""
        raise TransferError(
            f"line 1: the records have schema version {schema}; this textS imports"
            f" version {RECORDS_SCHEMA}{newer}"
        )


def _record(number: int, line: str) -> dict[str, Any]:
    document = _json(number, line)
    try:
        check_document(document)
    except RecordStoreError as error:
        raise TransferError(f"line {number}: {error}") from None
    return document


def _json(number: int, line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        raise TransferError(f"line {number}: not JSON ({error.msg})") from None


def import_records(store: RecordStore, documents: list[dict[str, Any]]) -> tuple[int, int]:
    """Add record documents (from ``read_records``) that ``store`` lacks: the number
    added and the number it had already."""
    store.require_current()
    added = store.add_documents(documents)
    return added, len({document["_id"] for document in documents}) - added


def copy_missing(source: RecordStore, target: RecordStore) -> int:
    """Add to ``target`` the records of ``source`` it lacks, kind by kind in the order of
    ``KINDS``; the number added."""
    source.require_readable()
    target.require_current()
    added = 0
    for kind in KINDS.values():
        missing = source.ids(kind) - target.ids(kind)
        if missing:
            added += target.add_documents(source.documents(kind, sorted(missing)))
    return added


@contextlib.contextmanager
def open_other(local: RecordStore, target: str, *, existing: bool) -> Iterator[RecordStore]:
    """The store of a push target or pull source (see ``open_target``), refused when it is
    the local store itself: moving records there would only ever move none."""
    with open_target(target, existing=existing) as other:
        if other.where == local.where:
            raise TransferError(f"{target} is the local store itself")
        yield other
