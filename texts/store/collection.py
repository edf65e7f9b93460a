"""What makes mongomock's collection cheap for what FireWorks asks of the embedded store.

mongomock answers every query by testing the filter on every document (about 10 µs each),
copies every document it returns or stores value by value, and snapshots a whole document
before each update to tell whether the update changed it. FireWorks looks Fireworks and
launches up by id several times per launch and updates a model's workflow document, which
holds an entry per node, several times per launch: all of that cost time in proportion to
the store or to the model.

The collection of the embedded store (``compat.NarrowingCollection``, which overrides
mongomock's private methods) keeps mongomock's answers and does less work to reach them,
with the plain-data functions of this module:

* Queries first test top-level equality and ``$in`` conditions on plain values (integers,
  strings; in lists too: ``plain_conditions``, ``may_match``) with dictionary and set
  lookups; ``_id`` and the fields of the store's index are looked up there. mongomock's
  filter still decides on the few documents that pass.
* Documents and projections of dotted paths through sub-documents are copied directly as
  plain data (``plain_copy``, ``project_paths``); anything else goes through mongomock's
  and Python's copying.
* An update that only ``$set``s and ``$unset``s named paths (``updated_paths``) snapshots
  and compares those paths, not the whole document (unless a path crosses a list or
  touches a uniquely indexed field: then it is mongomock's own way).
* Every document it inserts, updates or deletes is reported to the store (the index and
  the journal); a ``$set``/``$unset`` update snapshotted by its paths is reported with
  those paths, so a flush records only them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

MISSING: Any = object()
"""A field or path a document does not have (``None`` is a value)."""
PlainTests = list[tuple[str, frozenset[Any]]]
"""Top-level fields and the plain values one of which each must equal."""
_PLAIN_TYPES = frozenset({int, str})
_PATH_OPERATORS = frozenset({"$set", "$unset"})
_IMMUTABLE = frozenset({str, int, float, bool, type(None)})


def plain_copy(value: Any, copy_other: Callable[[Any], Any] = copy.deepcopy) -> Any:
    """A deep copy of plain dictionaries and lists, several times faster than
    ``copy.deepcopy``; other values are copied by ``copy_other``."""
    kind = type(value)
    if kind is dict:
        return {
            key: item if type(item) in _IMMUTABLE else plain_copy(item, copy_other)
            for key, item in value.items()
        }
    if kind is list:
        return [
            item if type(item) in _IMMUTABLE else plain_copy(item, copy_other) for item in value
        ]
    if kind in _IMMUTABLE:
        return value
    return copy_other(value)


def plain_conditions(filter: Any) -> PlainTests:
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


def may_match(value: Any, values: frozenset[Any]) -> bool:
    """Whether a document's ``value`` can match one of the plain ``values``: exactly for
    plain values and lists of them (MongoDB matches a list by any element), else yes."""
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return value in values
    if kind is list and set(map(type, value)) <= _PLAIN_TYPES:
        return not values.isdisjoint(value)
    return value is not MISSING and value is not None


def updated_paths(document: Any) -> list[list[str]] | None:
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


def through_documents(document: dict[str, Any], path: list[str]) -> bool:
    """Whether ``path`` leads through sub-documents only (or ends where they end)."""
    for part in path[:-1]:
        document = document.get(part, MISSING)
        if document is MISSING:
            return True
        if type(document) is not dict:
            return False
    return True


def value_at(document: dict[str, Any], path: list[str]) -> Any:
    """The value at ``path`` of a document whose path leads through sub-documents only."""
    value: Any = document
    for part in path:
        value = value.get(part, MISSING)
        if value is MISSING:
            return MISSING
    return value


def project_paths(document: dict[str, Any], fields: Any) -> dict[str, Any] | None:
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
            source = source.get(part, MISSING)
            if source is MISSING:
                break
            if type(source) is not dict:
                return None  # arrays of sub-documents are projected element by element
            target = target.setdefault(part, {})
        else:
            value = source.get(parts[-1], MISSING)
            if value is not MISSING:
                target[parts[-1]] = plain_copy(value, copy.copy)
    if keep_id and "_id" in document:
        projected["_id"] = document["_id"]
    return projected
