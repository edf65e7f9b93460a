"""mongomock's collection, made cheap for what FireWorks asks of the embedded store.

mongomock answers every query by testing the filter on every document (about 10 µs each),
copies every document it returns or stores value by value, and snapshots a whole document
before each update to tell whether the update changed it. FireWorks looks Fireworks and
launches up by id several times per launch and updates a model's workflow document, which
holds an entry per node, several times per launch: all of that cost time in proportion to
the store or to the model.

``NarrowingCollection`` keeps mongomock's answers and does less work to reach them:

* Queries first test top-level equality and ``$in`` conditions on plain values (integers,
  strings; in lists too) with dictionary and set lookups; ``_id`` and the fields FireWorks
  never changes (``fw_id``, ``launch_id``) are looked up in an index. mongomock's filter still
  decides on the few documents that pass.
* Documents and projections of dotted paths through sub-documents are copied directly as
  plain data; anything else goes through mongomock's and Python's copying.
* An update that only ``$set``s and ``$unset``s named paths snapshots and compares those
  paths, not the whole document (unless a path crosses a list or touches a uniquely
  indexed field: then it is mongomock's own way).
* Every document it inserts, updates or deletes is noted for the journal
  (``journal.note_written``), so a flush looks only at those; a ``$set``/``$unset`` update
  snapshotted by its paths is noted with those paths, so a flush records only them.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import mongomock
import mongomock.collection
from mongomock import helpers
from mongomock.collection import _copy_field
from mongomock.filtering import filter_applies
from mongomock.store import CollectionStore

from texts.executors.workflow.field_index import INDEXED_FIELDS, existing_index, index_of
from texts.executors.workflow.journal import note_written, plain_copy, track_writes

_PLAIN_TYPES = frozenset({int, str})
_PATH_OPERATORS = frozenset({"$set", "$unset"})
_MISSING = object()


class NarrowingCollection(mongomock.collection.Collection):
    """mongomock's collection with cheap narrowing, copies and updates (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        track_writes(self._store)

    # -- copies ---------------------------------------------------------------------

    def _copy_only_fields(self, doc: Any, fields: Any, container: Any) -> Any:
        if container is dict:
            if fields is None:
                return plain_copy(doc, functools.partial(_copy_field, container=dict))
            projected = _project_paths(doc, fields)
            if projected is not None:
                return projected
        return super()._copy_only_fields(doc, fields, container)

    def _internalize_dict(self, d: dict[str, Any]) -> dict[str, Any]:
        return plain_copy(d, copy.deepcopy)

    # -- queries --------------------------------------------------------------------

    def _iter_documents(self, filter: Any) -> Iterator[dict[str, Any]]:
        store = self._store
        if store.is_empty:  # (mongomock's way: this also expires documents of TTL indexes)
            return super()._iter_documents(filter)
        documents = _documents(store)
        key = _id_key(filter)
        if key is not _MISSING:
            found = [documents[key]] if key in documents else []
        else:
            tests = _plain_conditions(filter)
            if not tests:
                return super()._iter_documents(filter)
            indexed = dict(tests).keys() & set(INDEXED_FIELDS)
            if indexed:
                field = next(f for f in INDEXED_FIELDS if f in indexed)
                candidates = index_of(store, documents).candidates(field, dict(tests)[field])
                found = [documents[key] for key in candidates if key in documents]
            else:
                found = list(dict.values(documents))
            found = [
                document
                for document in found
                if all(_may_match(document.get(f, _MISSING), values) for f, values in tests)
            ]
        return (document for document in found if filter_applies(filter, document))

    # -- writes ---------------------------------------------------------------------

    def _written(self, keys: Iterable[Any], paths: list[list[str]] | None = None) -> None:
        """Documents filed under ``keys`` were inserted, changed (only at ``paths``, when
        given) or deleted: note them for the journal and refile them in the index."""
        keys = list(keys)
        note_written(self._store, keys, paths)
        index = existing_index(self._store)
        if index is None:
            return
        documents = _documents(self._store)
        fields = INDEXED_FIELDS if paths is None else {p[0] for p in paths} & set(INDEXED_FIELDS)
        for key in keys:
            if key not in documents:
                index.remove(key)
            elif key in index:
                index.refile(key, documents[key], fields)
            else:
                index.add(key, documents[key])

    def _insert(self, data: Any, *args: Any, **kwargs: Any) -> Any:
        inserted = super()._insert(data, *args, **kwargs)
        if isinstance(data, Mapping):  # mongomock inserts a list one document at a time
            self._written([_store_key(inserted)])
        return inserted

    def _delete(self, filter: Any, *args: Any, **kwargs: Any) -> Any:
        keys = self._matching_keys(filter)
        try:
            return super()._delete(filter, *args, **kwargs)
        finally:
            self._written(keys)

    def _matching_keys(self, filter: Any) -> list[Any]:
        """The store keys of the documents a write's filter matches (before the write)."""
        if not isinstance(filter, dict):
            return []
        return [_store_key(d["_id"]) for d in self._iter_documents(_patched(filter))]

    def _update(
        self,
        spec: Any,
        document: Any,
        upsert: bool = False,
        manipulate: bool = False,
        multi: bool = False,
        check_keys: bool = False,
        **kwargs: Any,
    ) -> Any:
        paths = _updated_paths(document)
        if paths is None or upsert or any(kwargs.values()) or not isinstance(spec, dict):
            keys = self._matching_keys(spec)
            try:
                return super()._update(
                    spec, document, upsert, manipulate, multi, check_keys, **kwargs
                )
            finally:
                self._written(keys)
        return self._update_paths(_patched(spec), _patched(document), paths, multi)

    def _update_paths(
        self, spec: Any, document: dict[str, Any], paths: list[list[str]], multi: bool
    ) -> dict[str, Any]:
        """mongomock's ``_update`` for ``$set``/``$unset`` of named paths: the same result,
        with a snapshot of those paths instead of the whole document."""
        unique_fields = self._unique_top_fields()
        matched = modified = 0
        for existing in self._iter_documents(spec):
            matched += 1
            if any(path[0] in unique_fields for path in paths) or not all(
                _through_documents(existing, path) for path in paths
            ):
                # mongomock's way: a whole snapshot, uniqueness checked, rolled back
                whole = plain_copy(existing)
                self._apply_update_document(existing, spec, document, False)
                if existing != whole:
                    key = _store_key(existing["_id"])
                    try:
                        self._ensure_uniques(existing)
                    except mongomock.DuplicateKeyError:
                        self._store[key] = whole
                        raise
                    finally:
                        self._written([key])
                    modified += 1
            else:
                before = [plain_copy(_value_at(existing, path)) for path in paths]
                self._apply_update_document(existing, spec, document, False)
                if before != [_value_at(existing, path) for path in paths]:
                    self._written([_store_key(existing["_id"])], paths)
                    modified += 1
            if not multi:
                break
        return {
            "connectionId": self.database.client._id,
            "err": None,
            "n": matched,
            "nModified": modified,
            "ok": 1,
            "upserted": None,
            "updatedExisting": matched > 0,
        }

    def _unique_top_fields(self) -> set[str]:
        """The top-level fields of this collection's unique indexes."""
        return {
            key.split(".")[0]
            for index in self._store.indexes.values()
            if index.get("unique")
            for key, _ in index.get("key", ())
        }


class PlainFirstCopy:
    """The ``copy`` module as mongomock's collection code sees it: deep copies of plain
    documents (dictionaries, lists, scalars) made directly, the rest by ``copy``.

    mongomock snapshots every document it updates with ``copy.deepcopy`` (to tell whether
    an update changed it). Only mongomock's collection module is given this copier.
    """

    copy = staticmethod(copy.copy)
    deepcopy = staticmethod(lambda value, memo=None: plain_copy(value, copy.deepcopy))


mongomock.collection.copy = PlainFirstCopy  # type: ignore[attr-defined]


def _documents(store: CollectionStore) -> dict[Any, dict[str, Any]]:
    """mongomock's own mapping of a store's documents by key. Read it as a plain ``dict``:
    iterating an ``OrderedDict`` looks every key up again, hashing ObjectIds in Python."""
    return store._documents  # type: ignore[no-any-return]


def _store_key(document_id: Any) -> Any:
    """The key mongomock files a document under (a dict ``_id`` is hashed as mongomock does)."""
    return helpers.hashdict(document_id) if isinstance(document_id, dict) else document_id


def _patched(value: Any) -> Any:
    """A filter or update as mongomock stores it (datetimes naive UTC, to the millisecond)."""
    return helpers.patch_datetime_awareness_in_document(value)


def _id_key(filter: Any) -> Any:
    """The store key a filter names with a plain ``_id`` equality, else ``_MISSING``."""
    if not isinstance(filter, dict) or "_id" not in filter:
        return _MISSING
    value = filter["_id"]
    if isinstance(value, (dict, list, float, bool)) or value is None:
        return _MISSING  # operators, arrays, numbers that mongomock compares by value
    try:
        hash(value)
    except TypeError:
        return _MISSING
    return value


def _plain_conditions(filter: Any) -> list[tuple[str, frozenset[Any]]]:
    """The top-level equality and ``$in`` conditions of a filter on plain values."""
    if not isinstance(filter, dict):
        return []
    tests = []
    for field, condition in filter.items():
        if field.startswith("$") or "." in field:
            continue
        if isinstance(condition, dict) and list(condition) == ["$in"]:
            values = condition["$in"]
        elif type(condition) in _PLAIN_TYPES:
            values = [condition]
        else:
            continue
        if isinstance(values, list) and all(type(v) in _PLAIN_TYPES for v in values):
            tests.append((field, frozenset(values)))
    return tests


def _may_match(value: Any, values: frozenset[Any]) -> bool:
    """Whether a document's ``value`` can match one of the plain ``values``: exactly for
    plain values and lists of them (MongoDB matches a list by any element), else yes."""
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return value in values
    if kind is list and set(map(type, value)) <= _PLAIN_TYPES:
        return not values.isdisjoint(value)
    return value is not _MISSING and value is not None


def _updated_paths(document: Any) -> list[list[str]] | None:
    """The paths an update document ``$set``s or ``$unset``s, split at dots; ``None`` when it
    does anything else (a replacement, other operators, positional or ``_id`` paths)."""
    if not isinstance(document, dict) or not document or not set(document) <= _PATH_OPERATORS:
        return None
    paths = []
    for fields in document.values():
        if not isinstance(fields, dict) or not fields:
            return None
        for field in fields:
            parts = field.split(".")
            if "$" in field or parts[0] == "_id" or "" in parts:
                return None
            paths.append(parts)
    return paths


def _through_documents(document: dict[str, Any], path: list[str]) -> bool:
    """Whether ``path`` leads through sub-documents only (or ends where they end)."""
    for part in path[:-1]:
        document = document.get(part, _MISSING)
        if document is _MISSING:
            return True
        if type(document) is not dict:
            return False
    return True


def _value_at(document: dict[str, Any], path: list[str]) -> Any:
    """The value at ``path`` of a document whose path leads through sub-documents only."""
    value: Any = document
    for part in path:
        value = value.get(part, _MISSING)
        if value is _MISSING:
            return _MISSING
    return value


def _project_paths(document: dict[str, Any], fields: Any) -> dict[str, Any] | None:
    """An inclusion projection of top-level fields or dotted paths through sub-documents,
    copied directly; ``None`` for any other projection (mongomock makes it)."""
    if isinstance(fields, dict):
        include = {path: flag for path, flag in fields.items() if path != "_id"}
        keep_id = fields.get("_id", 1)
        if not include or any(flag not in (1, True) for flag in include.values()):
            return None
    elif isinstance(fields, (list, tuple)) and fields:
        include, keep_id = dict.fromkeys(fields, 1), 1
    else:
        return None
    paths = [path.split(".") for path in include]
    if any("$" in path or "" in parts for path, parts in zip(include, paths, strict=True)):
        return None
    prefixes = {tuple(parts[:n]) for parts in paths for n in range(1, len(parts))}
    if any(tuple(parts) in prefixes for parts in paths):
        return None  # a path inside another included one: MongoDB refuses, mongomock decides
    projected: dict[str, Any] = {}
    for parts in paths:
        source: Any = document
        target = projected
        for part in parts[:-1]:
            source = source.get(part, _MISSING)
            if source is _MISSING:
                break
            if type(source) is not dict:
                return None  # arrays of sub-documents are projected element by element
            target = target.setdefault(part, {})
        else:
            value = source.get(parts[-1], _MISSING)
            if value is not _MISSING:
                target[parts[-1]] = plain_copy(value, copy.copy)
    if keep_id and "_id" in document:
        projected["_id"] = document["_id"]
    return projected
