"""Values as they are kept in the workflow database.

The documents are the reference's serialised forms (``texts.serialization``) with one
change: the type tag is stored as ``_texts_type`` instead of ``_fw_name``. FireWorks
instantiates any dictionary carrying ``_fw_name`` when it reads a spec or a launch, so a
value document must never look like a FireWorks object: a stored value is data, not a
class to load.

A computed value (:func:`store_value`) may instead be offloaded by the datastore, which
leaves a reference record in its place; :func:`from_document` reads either form.
"""

from __future__ import annotations

from typing import Any

from texts.datastore.offloading import Origin, load, offload
from texts.datastore.payload import Payload
from texts.datastore.records import is_record
from texts.interpreter.errors import TextsError
from texts.serialization import decode, encode

FILE_TAG = "_fw_name"
STORE_TAG = "_texts_type"
_INT64 = range(-(2**63), 2**63)


def _storable(document: Any) -> Any:
    """The document, if the database can hold it: BSON has no integers past 64 bits."""
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, int) and item not in _INT64:
            message = "integers of more than 64 bits cannot be stored in the workflow database"
            raise TextsError("Value error", message)
    return document


def _retag(data: Any, old: str, new: str) -> Any:
    if isinstance(data, dict):
        return {(new if key == old else key): _retag(item, old, new) for key, item in data.items()}
    if isinstance(data, list):
        return [_retag(item, old, new) for item in data]
    return data


def to_document(value: Any) -> Any:
    """A language value as a database document FireWorks leaves alone (always inline:
    for tags and queries)."""
    return _storable(_retag(encode(value), FILE_TAG, STORE_TAG))


def store_value(value: Any, origin: Origin) -> Any:
    """The document of a computed value: inline, or the record of its offloaded file."""
    payload = Payload(value)
    record = offload(payload, origin)
    return record if record is not None else _storable(_retag(payload.data, FILE_TAG, STORE_TAG))


def from_document(document: Any, origin: Origin | None = None) -> Any:
    """A language value from a database document written by :func:`to_document` or
    :func:`store_value` (``origin`` says whose value it is, for offloaded ones)."""
    if is_record(document):
        return load(document, origin or Origin("a variable"))
    return decode(_retag(document, STORE_TAG, FILE_TAG))
