"""A real MongoDB wire-protocol server for the tests: nx-27017, on SQLite, in pure Python.

No MongoDB server installs from the package registries, but ``nx-27017`` (with
``neosqlite``) speaks MongoDB's wire protocol over SQLite. pymongo, FireWorks' ``lpad`` and
``rlaunch`` and ``texts -l`` work against it once four of its defects are corrected. The
corrections live here, in the test tooling, and apply to the server process only; the
product talks to this server exactly as it talks to a MongoDB:

1. A compound index that contains ``_id`` (FireWorks' ``tuneup`` makes two) is created
   as an expression on a JSON path ``$._id`` that SQLite rejects, and every later insert
   into the collection fails. ``_id`` is its own unique column: the index is made on the
   other fields (a unique one containing ``_id`` is unique anyway and is not made).
2. A plain equality on an indexed field stops matching arrays that contain the value
   (``{"nodes": 1}`` against ``nodes: [1]``): the index path drops MongoDB's
   array-containment test to keep the index usable. The test is always made.
3. ``$or`` next to another condition is joined without parentheses in the SQL of
   ``findAndModify`` (``a AND b OR c``): FireWorks' rocket then checked out a COMPLETED
   node as if it were READY, endlessly. Each logical clause is parenthesised.
4. Inclusion and exclusion projections of dotted paths (``{"links.3": 1}``) came back as
   flat keys (``{"links.3": [...]}``); they are made as MongoDB makes them.

Run ``python tests/mongo_server.py`` (or use :func:`start`): it listens on a free loopback
port, prints the port on a line of its own, and serves until it is terminated or its
standard input closes (the test run that started it ended, even killed).
"""

from __future__ import annotations

import copy
import importlib.metadata
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from neosqlite.collection.index_manager import IndexManager
from neosqlite.collection.query_helper import QueryHelper
from neosqlite.collection.sql_translator_unified import SQLClauseBuilder
from nx_27017.handler import NeoSQLiteHandler
from nx_27017.server import handle_client_threaded

VERSIONS = {"nx-27017": "0.8.1", "neosqlite": "1.17.2"}
"""The versions the corrections were written for (their private code is patched)."""
_MISSING = object()


def check_versions() -> None:
    """Refuse to patch versions the corrections were not written for."""
    for package, wanted in VERSIONS.items():
        found = importlib.metadata.version(package)
        if found != wanted:
            raise RuntimeError(
                f"tests/mongo_server.py corrects {package} {wanted}, but {found} is installed:"
                " check the four corrections against it and update VERSIONS"
            )


# ---- 1. compound indexes containing _id


def _without_id(create_index: Callable[..., Any]) -> Callable[..., Any]:
    def create(self: Any, key: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(key, list) and len(key) > 1 and any(_field(k) == "_id" for k in key):
            if kwargs.get("unique"):
                return f"idx_{self.collection.name}_unique_with_id"
            key = [k for k in key if _field(k) != "_id"]
        return create_index(self, key, *args, **kwargs)

    return create


def _field(key: Any) -> Any:
    return key[0] if isinstance(key, tuple) else key


# ---- 2. equality on an indexed field must still match arrays


def _no_index_shortcut(_self: Any, _field_name: str) -> bool:
    return False


# ---- 3. logical clauses in parentheses


def _parenthesised(build: Callable[..., Any]) -> Callable[..., Any]:
    def logical(self: Any, *args: Any, **kwargs: Any) -> Any:
        sql, params = build(self, *args, **kwargs)
        return (f"({sql})" if sql else sql), params

    return logical


# ---- 4. projections of dotted paths


def _nested_projection(apply: Callable[..., Any]) -> Callable[..., Any]:
    def project(self: Any, projection: Any, document: dict[str, Any]) -> Any:
        if not projection or not all(
            value in (0, 1) and not isinstance(value, dict) for value in projection.values()
        ):
            return apply(self, projection, document)
        return mongodb_projection(projection, document)

    return project


def mongodb_projection(projection: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """An inclusion or exclusion projection of top-level fields or dotted paths, as
    MongoDB makes it (through arrays, element by element)."""
    keep_id = projection.get("_id", 1) in (1, True)
    fields = {path: flag for path, flag in projection.items() if path != "_id"}
    including = any(flag in (1, True) for flag in fields.values())
    if including:
        projected: dict[str, Any] = {}
        for path in fields:
            _include(document, projected, path.split("."))
    else:
        projected = copy.deepcopy(document)
        for path in fields:
            _exclude(projected, path.split("."))
    projected.pop("_id", None)
    if keep_id and "_id" in document:
        projected = {"_id": document["_id"], **projected}
    return projected


def _include(source: Any, target: dict[str, Any], path: list[str]) -> None:
    head, rest = path[0], path[1:]
    value = source.get(head, _MISSING)
    if value is _MISSING:
        return
    if not rest:
        target[head] = copy.deepcopy(value)
    elif isinstance(value, dict):
        _include(value, target.setdefault(head, {}), rest)
    elif isinstance(value, list):
        kept = target.setdefault(head, [{} for item in value if isinstance(item, dict)])
        for item, into in zip([i for i in value if isinstance(i, dict)], kept, strict=True):
            _include(item, into, rest)


def _exclude(target: Any, path: list[str]) -> None:
    if isinstance(target, list):
        for item in target:
            _exclude(item, path)
        return
    if not isinstance(target, dict):
        return
    if len(path) == 1:
        target.pop(path[0], None)
    elif path[0] in target:
        _exclude(target[path[0]], path[1:])


def apply_corrections() -> None:
    """Patch the four defects in this process (the server's)."""
    check_versions()

    IndexManager.create_index = _without_id(IndexManager.create_index)
    QueryHelper._field_has_index = _no_index_shortcut
    SQLClauseBuilder._build_logical_condition = _parenthesised(
        SQLClauseBuilder._build_logical_condition
    )
    QueryHelper._apply_projection = _nested_projection(QueryHelper._apply_projection)


def serve() -> None:
    """Serve on a free loopback port (printed first) until terminated; databases are kept
    in memory, one SQLite database each."""
    apply_corrections()

    handler = NeoSQLiteHandler(data_dir="memory")
    threading.Thread(target=_exit_with_the_parent, daemon=True).start()
    listener = socket.create_server(("127.0.0.1", 0))
    print(listener.getsockname()[1], flush=True)
    while True:
        client, _ = listener.accept()
        threading.Thread(target=handle_client_threaded, args=(client, handler), daemon=True).start()


def _exit_with_the_parent() -> None:
    """End the server when the process that started it ends, however it ends: it holds
    the write end of this process's standard input, which then closes."""
    sys.stdin.read()
    os._exit(0)


@dataclass
class Server:
    """A running server process and its port."""

    process: subprocess.Popen[str]
    port: int

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start() -> Server:
    """Start a server in a new process and wait until it listens."""
    process = subprocess.Popen(
        [sys.executable, __file__],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.strip().isdigit():
        process.kill()
        process.wait()
        raise RuntimeError(f"the test MongoDB server did not start: {line!r}")
    return Server(process, int(line))


if __name__ == "__main__":
    serve()
