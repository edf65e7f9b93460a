"""Values as they are kept in the workflow database.

The documents are the reference's serialised forms (``texts.serialization``) with one
change: the type tag is stored as ``_texts_type`` instead of ``_fw_name``. FireWorks
instantiates any dictionary carrying ``_fw_name`` when it reads a spec or a launch, so a
value document must never look like a FireWorks object: a stored value is data, not a
class to load.
"""

from __future__ import annotations

from typing import Any

from texts.serialization import decode, encode

FILE_TAG = "_fw_name"
STORE_TAG = "_texts_type"


def _retag(data: Any, old: str, new: str) -> Any:
    if isinstance(data, dict):
        return {(new if key == old else key): _retag(item, old, new) for key, item in data.items()}
    if isinstance(data, list):
        return [_retag(item, old, new) for item in data]
    return data


def to_document(value: Any) -> Any:
    """A language value as a database document FireWorks leaves alone."""
    return _retag(encode(value), FILE_TAG, STORE_TAG)


def from_document(document: Any) -> Any:
    """A language value from a database document written by :func:`to_document`."""
    return decode(_retag(document, STORE_TAG, FILE_TAG))
