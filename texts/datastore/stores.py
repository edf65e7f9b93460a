"""The workflow stores that put values into a datastore, and their references.

A datastore directory is shared by every working directory of a user, each with its own
embedded store, and possibly by MongoDB databases: a file no longer referenced by one
store may still be referenced by another. Writers therefore register their store with
the backend (:func:`store_identity`), and ``gc`` reads the references of all of them.
An identity never holds credentials: a MongoDB database is named by its hosts and name.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from texts.datastore.records import is_record

VALUE_PREFIX = "texts:"


def store_identity(launchpad: Any, workdir: str | None) -> dict[str, str] | None:
    """How ``gc`` finds the store of ``launchpad`` again (``None`` when unknown)."""
    if launchpad is None:
        return None
    import mongomock

    if isinstance(launchpad.connection, mongomock.MongoClient):
        if workdir is None:
            return None
        from texts.executors.workflow.store import STORE_DIRECTORY_NAME

        return {"embedded": str(Path(workdir).absolute() / STORE_DIRECTORY_NAME)}
    return {"mongodb": database_label(launchpad)}


def database_label(launchpad: Any) -> str:
    """``host:port,.../name`` of a LaunchPad's database, without user or password."""
    if launchpad.uri_mode:
        from pymongo.uri_parser import parse_uri

        nodes = parse_uri(launchpad.host)["nodelist"]
    else:
        nodes = [(launchpad.host, launchpad.port)]
    return ",".join(f"{host}:{port}" for host, port in sorted(nodes)) + f"/{launchpad.db.name}"


def referenced_files(database: Any) -> set[tuple[str, str]]:
    """``(location, file)`` of every record in the live values of a FireWorks database:
    the inputs in the nodes' specs and the outputs of their current (not archived)
    launches."""
    live_launches: list[int] = []
    found: set[tuple[str, str]] = set()
    for node in database.fireworks.find({}, {"spec": 1, "launches": 1}):
        found.update(_records(node.get("spec", {})))
        live_launches.extend(node.get("launches", []))
    if live_launches:
        launches = database.launches.find(
            {"launch_id": {"$in": live_launches}}, {"action.update_spec": 1}
        )
        for launch in launches:
            found.update(_records((launch.get("action") or {}).get("update_spec") or {}))
    return found


def _records(spec: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for key, value in spec.items():
        if key.startswith(VALUE_PREFIX) and is_record(value):
            yield str(value.get("location")), str(value.get("file"))
