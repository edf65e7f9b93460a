"""The shapes of the documents the embedded store keeps, checked when it is loaded.

``launchpad.json`` and its journal are files in the working directory: data, never
trusted. FireWorks reads its documents assuming the shapes it wrote (``nodes`` a list of
ids, ``links`` a mapping of id lists, a launch's ``action`` a mapping, ...) and texts reads
its own parts of them (``spec._texts``, ``metadata.texts``, the values in a launch's
``update_spec``); a document of another shape makes either fail deep inside, with a
traceback, or worse, read something else. So every document of the collections FireWorks
and texts read is checked against the shape below when the store is loaded, and a store
holding one that does not fit is refused with the collection, the document and the field.

A shape is a ``TypedDict`` (its required keys must be there; keys it does not name are
allowed, as FireWorks adds its own), built from ``int``, ``float``, ``str``, ``bool``,
``datetime``, ``Any``, lists, mappings, unions and ``Literal`` values.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, Literal, TypedDict

from bson import ObjectId

from texts.typefit import fits

State = Literal[
    "ARCHIVED", "FIZZLED", "DEFUSED", "PAUSED", "WAITING", "READY", "RESERVED", "RUNNING",
    "COMPLETED",
]  # fmt: skip
"""A Firework's (and a workflow's) state, as FireWorks ranks them."""
Time = str | datetime | None


class TextsSpec(TypedDict, total=False):
    """What texts keeps in a node's spec (``spec._texts``) for the worker that runs it."""

    name: str
    uuid: str
    kind: str
    source: str
    definitions: list[str]
    inputs: list[str]
    workdir: str
    origin: dict[str, Any]
    model: str
    grammar_version: int
    schema_version: int
    signature: str
    resources: dict[str, Any]


class _Spec(TypedDict):
    _tasks: list[dict[str, Any]]


class Spec(_Spec, total=False):
    _texts: TextsSpec


class Firework(TypedDict):
    """Every key FireWorks writes (``Firework.to_db_dict``); its launchpad reads them all
    by index (``launches`` and ``archived_launches`` when it rebuilds a Firework)."""

    fw_id: int
    state: State
    spec: Spec
    name: str | None
    launches: list[int]
    archived_launches: list[int]
    created_on: Time
    updated_on: Time


class Action(TypedDict, total=False):
    stored_data: dict[str, Any]
    exit: bool
    update_spec: dict[str, Any]
    mod_spec: list[dict[str, Any]]
    additions: list[dict[str, Any]]
    detours: list[dict[str, Any]]
    append_wfs: list[dict[str, Any]]
    defuse_children: bool
    defuse_workflow: bool
    propagate: bool


class Worker(TypedDict, total=False):
    name: str
    category: str | list[str]
    query: str
    env: dict[str, Any]


class _Launch(TypedDict):
    """The keys ``Launch.from_dict`` reads by index."""

    launch_id: int
    fw_id: int
    state: State
    launch_dir: str
    state_history: list[dict[str, Any]]
    fworker: Worker | None
    host: str | None
    ip: str | None


class Launch(_Launch, total=False):
    trackers: list[dict[str, Any]] | None
    action: Action | None
    time_start: Time
    time_end: Time
    runtime_secs: float | None


class TextsMetadata(TypedDict, total=False):
    statements: list[str]
    vary: dict[str, Any]
    tag: dict[str, Any]


class Metadata(TypedDict, total=False):
    uuid: str
    g_uuid: str
    texts: TextsMetadata


class _Workflow(TypedDict):
    """The keys FireWorks' launchpad reads by index when it rebuilds or lists a workflow."""

    nodes: list[int]
    links: dict[str, list[int]]
    metadata: Metadata
    parent_links: dict[str, list[int]]
    state: State
    name: str | None
    created_on: Time
    updated_on: Time


class Workflow(_Workflow, total=False):
    fw_states: dict[str, State]  # (FireWorks reads stores older than it without it)


class IdCounter(TypedDict, total=False):
    next_fw_id: int
    next_launch_id: int


COLLECTION_SHAPES: dict[str, type] = {
    "fireworks": Firework,
    "launches": Launch,
    "workflows": Workflow,
    "fw_id_assigner": IdCounter,
}
"""The collections of FireWorks' database whose documents FireWorks and texts read."""


class DamagedDocument(ValueError):
    """A stored document that does not have the shape of its collection."""


def check_collections(collections: Iterator[tuple[str, Mapping[Any, Any]]]) -> None:
    """Check every document of the named collections (name, documents by key)."""
    for name, documents in collections:
        shape = COLLECTION_SHAPES.get(name)
        if shape is None:
            continue
        for key, document in documents.items():
            problem = _problem(document, shape)
            if problem is not None:
                raise DamagedDocument(
                    f"its {name} document {_key(key)} is damaged: {problem}. Restore the"
                    " store from a copy, or move its directory aside to start anew."
                )


def _key(key: Any) -> str:
    return str(key) if isinstance(key, ObjectId | int | str) else repr(key)


def _problem(value: Any, hint: Any, where: str = "") -> str | None:
    """What makes ``value`` not of type ``hint`` (``None`` when it is)."""
    if typing.is_typeddict(hint):
        if not isinstance(value, dict):
            return f"{where or 'the document'} is not a mapping"
        hints = _hints(hint)
        for key in sorted(hint.__required_keys__ - value.keys()):
            return f"{_path(where, key)} is missing"
        for key in sorted(hints.keys() & value.keys()):
            problem = _problem(value[key], hints[key], _path(where, key))
            if problem is not None:
                return problem
        return None
    return None if _fits(value, hint) else f"{where} is not {_described(hint)}"


@functools.cache
def _hints(shape: type) -> dict[str, Any]:
    return typing.get_type_hints(shape)


def _path(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _fits(value: Any, hint: Any) -> bool:
    return fits(value, hint, _typeddict_fits)


def _typeddict_fits(value: Any, hint: Any) -> bool | None:
    return _problem(value, hint, "") is None if typing.is_typeddict(hint) else None


def _described(hint: Any) -> str:
    if typing.is_typeddict(hint):
        return "a mapping of its fields"
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if origin is Literal:
        return "one of " + ", ".join(arguments)
    if origin in (types.UnionType, typing.Union):
        return " or ".join(_described(option) for option in arguments)
    if origin is list:
        item = arguments[0]
        plurals = {int: "integers", float: "numbers", str: "strings", bool: "booleans"}
        return f"a list of {plurals.get(item, 'mappings' if item is not Any else 'values')}"
    if origin is dict:
        return "a mapping"
    names = {int: "an integer", float: "a number", str: "a string", bool: "true or false"}
    return names.get(hint, "null" if hint is type(None) else getattr(hint, "__name__", str(hint)))
