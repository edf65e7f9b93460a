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
    embedded = embedded_directory(workdir)
    if embedded is not None and (is_mongomock(launchpad) or is_stand_in(launchpad)):
        return {"embedded": str(embedded)}
    return None if is_mongomock(launchpad) else {"mongodb": database_label(launchpad)}


def workflow_database(launchpad: Any, workdir: str | None) -> Any:
    """The database of the workflow's own LaunchPad, ``None`` when the task cannot reach
    it (in a rocket process of ``-j``, the embedded store lives in the parent process)."""
    if launchpad is None or (is_stand_in(launchpad) and embedded_directory(workdir)):
        return None
    return launchpad.db


def is_mongomock(launchpad: Any) -> bool:
    import mongomock

    return isinstance(launchpad.connection, mongomock.MongoClient)


def is_stand_in(launchpad: Any) -> bool:
    """A LaunchPad that FireWorks rebuilt from the parent's settings for a task in a
    multi-process launch: for the embedded store, a default client on no real server."""
    from fireworks.utilities.fw_utilities import FWData

    return (
        bool(FWData().MULTIPROCESSING) and not launchpad.uri_mode and launchpad.host == "localhost"
    )


def embedded_directory(workdir: str | None) -> Path | None:
    """The embedded store of a working directory, if it has one."""
    from texts.executors.workflow.store import STORE_DIRECTORY_NAME, STORE_FILE_NAME

    if workdir is None:
        return None
    directory = Path(workdir).absolute() / STORE_DIRECTORY_NAME
    names = (STORE_FILE_NAME, STORE_FILE_NAME + ".lock")  # the lock exists while it is open
    return directory if any((directory / name).exists() for name in names) else None


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
