"""An index of a mongomock collection store: its documents by the plain values of a few fields.

FireWorks finds Fireworks and launches by id, by state and by launch, and a workflow by a
node it holds: ``{"fw_id": 7}``, ``{"state": "READY"}``, ``{"launches": 12}``,
``{"nodes": 7}``. mongomock answers each by testing every document, so each lookup cost time
in proportion to the store. This index tells which documents can match a condition
``field: value`` or ``field: {"$in": values}`` on plain values (integers, strings), in the
store's order, and the query's own filter then decides on those few.

A document is filed under its value of a field when that is a plain value, under each
element when it is a list of plain values (MongoDB matches a list by any element), nowhere
when the field is missing or null (no plain value matches those), and as a candidate for
every value otherwise (a float, a boolean, a sub-document: the filter judges). The
embedded store's collection (``compat.NarrowingCollection``) refiles a document after
every write to it, so the index must only be used for a store that is written through such
collections alone; a store whose size no longer matches is indexed anew.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from mongomock.store import CollectionStore

from texts.store.compat import attach, attached

INDEXED_FIELDS = ("fw_id", "launch_id", "launches", "nodes", "state")
"""The fields FireWorks looks documents up by, the most selective first."""
_PLAIN_TYPES = frozenset({int, str})
_INDEX_ATTRIBUTE = "_texts_field_index"
_MISSING = object()


class FieldIndex:
    """The documents of one collection store by the plain values of ``INDEXED_FIELDS``."""

    def __init__(self, documents: dict[Any, dict[str, Any]]) -> None:
        self._positions: dict[Any, int] = {}
        self._counter = itertools.count()
        self._by_value: dict[str, dict[Any, set[Any]]] = {f: {} for f in INDEXED_FIELDS}
        self._unindexable: dict[str, set[Any]] = {f: set() for f in INDEXED_FIELDS}
        self._filed: dict[Any, dict[str, tuple[Any, ...] | None]] = {}
        for key, document in documents.items():
            self.add(key, document)

    def __len__(self) -> int:
        return len(self._positions)

    def __contains__(self, key: object) -> bool:
        return key in self._positions

    def add(self, key: Any, document: dict[str, Any]) -> None:
        """File a document that was just inserted (it comes last in the store's order)."""
        self._positions[key] = next(self._counter)
        self._filed[key] = {}
        self.refile(key, document, INDEXED_FIELDS)

    def remove(self, key: Any) -> None:
        """Forget a deleted document."""
        for field in list(self._filed.get(key, ())):
            self._unfile(key, field)
        self._filed.pop(key, None)
        self._positions.pop(key, None)

    def refile(self, key: Any, document: dict[str, Any], fields: Iterable[str]) -> None:
        """File a document again under its present values of ``fields``."""
        filed = self._filed[key]
        for field in fields:
            if field in filed:
                self._unfile(key, field)
            values = _plain_values(document.get(field, _MISSING))
            filed[field] = values
            if values is None:
                self._unindexable[field].add(key)
            else:
                for value in values:
                    self._by_value[field].setdefault(value, set()).add(key)

    def candidates(self, field: str, values: frozenset[Any]) -> list[Any]:
        """The keys of the documents whose ``field`` may equal one of ``values``, in the
        store's order."""
        by_value = self._by_value[field]
        found = set(self._unindexable[field]).union(*(by_value.get(v, ()) for v in values))
        return sorted(found, key=self._positions.__getitem__)

    def _unfile(self, key: Any, field: str) -> None:
        values = self._filed[key].pop(field)
        if values is None:
            self._unindexable[field].discard(key)
            return
        by_value = self._by_value[field]
        for value in values:
            keys = by_value.get(value)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del by_value[value]


def index_of(store: CollectionStore, documents: dict[Any, dict[str, Any]]) -> FieldIndex:
    """The index of ``store`` (whose ``documents`` are given), made when missing or when
    the store's size shows writes the index did not see.

    One document more than the index knows, the last, is an insertion under way (mongomock
    queries for unique keys before the insertion returns): it is filed now.
    """
    index = attached(store, _INDEX_ATTRIBUTE)
    if index is not None and len(documents) == len(index) + 1:
        last = next(reversed(documents))  # type: ignore[call-overload]
        if last not in index:
            index.add(last, documents[last])
    if index is None or len(index) != len(documents):
        index = attach(store, _INDEX_ATTRIBUTE, FieldIndex(documents))
    return index


def existing_index(store: CollectionStore) -> FieldIndex | None:
    """The index of ``store`` if one was made (writes must then be filed in it)."""
    found: FieldIndex | None = attached(store, _INDEX_ATTRIBUTE)
    return found


def _plain_values(value: Any) -> tuple[Any, ...] | None:
    """The plain values a field's value is filed under; ``None``: a candidate for any."""
    if value is _MISSING or value is None:
        return ()
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return (value,)
    if kind is list and set(map(type, value)) <= _PLAIN_TYPES:
        return tuple(set(value))
    return None
