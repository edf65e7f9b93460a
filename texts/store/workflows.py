"""The workflow store: what the rest of textS may ask of FireWorks' database.

A ``WorkflowStore`` is the one gateway to the database of the workflow executor: models
(workflows), their nodes (Fireworks), the nodes' states and launches and the values they
computed. Nothing outside ``texts.store`` queries the database or reads FireWorks' document
layout: callers get typed records (``StoredModelDocument``, ``Node``, ``Launch``) and ask
for changes by name. The same queries serve the embedded store (``EmbeddedWorkflowStore``:
FireWorks' mongomock mode in ``.texts/``, flushed to disk, locked) and a MongoDB
(``MongoWorkflowStore``: a launchpad file's database, which keeps every write itself).

FireWorks' own functions that take a LaunchPad (its rocket, queue launcher and
multi-launcher) are given ``store.launchpad``.
"""

from __future__ import annotations

import contextlib
import io
import os
import pathlib
from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Any

from fireworks import Firework, LaunchPad, Workflow
from pymongo.database import Database

from texts.fireworks_config import warn_unused_mongomock_file
from texts.paths import STORE_DIRECTORY_NAME
from texts.store.compat import is_multiprocess_stand_in, uses_mongomock
from texts.store.embedded import STORE_FILE_NAME, EmbeddedStore, launchpad_on, load_server
from texts.store.errors import ModelNotFound
from texts.store.layout import FILES_KEY, SPEC_KEY, VALUE_PREFIX, value_key
from texts.store.mongodb import (
    configured_launchpad_file,
    database_label,
    open_configured_mongodb,
)
from texts.store.refresh import use_incremental_refresh

LOST_RUNNING_SECONDS = 4 * 3600
"""A RUNNING node whose launch has not pinged for this long is lost (its worker died)."""
LOST_RESERVED_SECONDS = 14 * 24 * 3600
"""A RESERVED node (submitted to a queue) that has not started for this long is lost."""

Document = dict[str, Any]


@dataclass(frozen=True)
class Launch:
    """One launch of a node: when it ran, how it ended, what it computed and stored."""

    launch_id: int
    fw_id: int
    state: str
    time_start: datetime | str | None
    time_end: datetime | str | None
    update_spec: Document
    stored_data: Document

    @classmethod
    def from_document(cls, document: Document) -> Launch:
        action = document.get("action") or {}
        return cls(
            document["launch_id"],
            document["fw_id"],
            document["state"],
            document.get("time_start"),
            document.get("time_end"),
            action.get("update_spec") or {},
            action.get("stored_data") or {},
        )

    def value(self, name: str) -> Any:
        """The stored document of the value this launch computed for ``name`` (``None``)."""
        return self.update_spec.get(value_key(name))

    @property
    def files(self) -> list[Document]:
        """The files the node read and wrote in this launch (path, mode, sha256)."""
        return list(self.stored_data.get(FILES_KEY, []))

    @property
    def failure(self) -> tuple[Document, str]:
        """What a failed task recorded: its error's details and message."""
        details = self.stored_data.get("_exception", {}).get("_details") or {}
        return details, details.get("message") or self.stored_data.get("_message", "")


@dataclass(frozen=True)
class Node:
    """One node of a model: its texts spec, state and launches (current and archived)."""

    fw_id: int
    name: str
    state: str
    spec: Document  # what texts stored for the worker (``spec._texts``)
    launches: tuple[int, ...]
    archived_launches: tuple[int, ...]
    updated_on: datetime | str | None

    @classmethod
    def from_document(cls, document: Document) -> Node:
        return cls(
            document["fw_id"],
            document.get("name", ""),
            document.get("state", ""),
            document.get("spec", {}).get(SPEC_KEY, {}),
            tuple(document.get("launches", ())),
            tuple(document.get("archived_launches", ())),
            document.get("updated_on"),
        )


@dataclass
class StoredModelDocument:
    """What the database holds about one model (a workflow)."""

    uuid: str
    group: str
    statements: list[str] = field(default_factory=list)
    vary: dict[str, str] = field(default_factory=dict)
    tags: Document = field(default_factory=dict)
    fw_ids: dict[str, int] = field(default_factory=dict)  # variables' nodes by name
    root: int | None = None
    state: str = ""
    created_on: datetime | str | None = None
    updated_on: datetime | str | None = None
    node_states: dict[int, str] = field(default_factory=dict)
    file: str | None = None  # the model file it was created from (none: a session's)

    @property
    def nodes(self) -> dict[int, str]:
        """The state of each variable and export node (the root computes nothing)."""
        return {fw_id: state for fw_id, state in self.node_states.items() if fw_id != self.root}


_NODE_FIELDS = {"fw_id": 1, "name": 1, "state": 1, "launches": 1, "archived_launches": 1}
_STEPS = {
    "rerun": ("rerun_fw", {}),
    "recover": ("rerun_fw", {"recover_launch": "last"}),
    "defuse": ("defuse_fw", {}),
    "reignite": ("reignite_fw", {}),
    "resume": ("resume_fw", {}),
    "pause": ("pause_fw", {}),
}
"""Each state change as the LaunchPad method that performs it and its keyword arguments."""


class WorkflowStore(ABC):
    """The workflow database behind one open LaunchPad (see the module)."""

    is_embedded = False

    def __init__(self, launchpad: LaunchPad, where: str) -> None:
        self.launchpad = launchpad
        self.where = where  # for messages: the store file or the launchpad file

    # ---- lifecycle

    @property
    def database(self) -> Database[Document]:
        """The database itself: for the run records' collections and GridFS."""
        database: Database[Document] = self.launchpad.db
        return database

    @abstractmethod
    def flush(self) -> None:
        """Make every write so far durable."""

    @abstractmethod
    def close(self) -> None:
        """Flush and release the store; it must not be used afterwards."""

    @abstractmethod
    def identity(self) -> dict[str, str]:
        """How another process (``texts datastore gc``) finds this store again."""

    def __enter__(self) -> WorkflowStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # ---- models

    def model(self, uuid: str) -> StoredModelDocument:
        """The stored model with this UUID; ``ModelNotFound`` if there is none."""
        workflow = self.launchpad.workflows.find_one({"metadata.uuid": uuid})
        if workflow is None:
            raise ModelNotFound(f"uuid {uuid}")
        return self._model(workflow)

    def group_of(self, model: StoredModelDocument) -> list[StoredModelDocument]:
        """The other models of ``model``'s group, in creation order."""
        others = self.launchpad.workflows.find(
            {"metadata.g_uuid": model.group, "metadata.uuid": {"$ne": model.uuid}},
            sort=[("created_on", 1)],
        )
        return [self._model(workflow) for workflow in others]

    def models(self) -> Iterator[StoredModelDocument]:
        """Every model of the store, the last updated first."""
        for workflow in self.launchpad.workflows.find(
            {"metadata.uuid": {"$exists": True}}, sort=[("updated_on", -1)]
        ):
            yield self._model(workflow)

    def uuids_starting(self, prefix: str) -> list[str]:
        """The UUIDs of the models that start with ``prefix`` (lower-case hex digits)."""
        if any(char not in "0123456789abcdef" for char in prefix):
            return []
        found = self.launchpad.workflows.find(
            {"metadata.uuid": {"$regex": f"^{prefix}"}}, {"metadata.uuid": 1}
        )
        return sorted(workflow["metadata"]["uuid"] for workflow in found)

    def groups(self) -> dict[str, str]:
        """The group of every model, by the model's UUID."""
        found = self.launchpad.workflows.find(
            {"metadata.uuid": {"$exists": True}}, {"metadata.uuid": 1, "metadata.g_uuid": 1}
        )
        return {
            workflow["metadata"]["uuid"]: workflow["metadata"].get("g_uuid") or ""
            for workflow in found
        }

    def remove_model(self, uuid: str) -> None:
        """Delete a model and its nodes and launches (FireWorks' ``delete_wf``)."""
        workflow = self.launchpad.workflows.find_one({"metadata.uuid": uuid}, {"nodes": 1})
        if workflow is None:
            raise ModelNotFound(f"uuid {uuid}")
        with contextlib.redirect_stdout(io.StringIO()):  # FireWorks prints what it deletes
            self.launchpad.delete_wf(workflow["nodes"][0])

    def has_models(self) -> bool:
        return bool(self.launchpad.workflows.count_documents({}, limit=1))

    def find_models(
        self, tags: Document | None, meta: Document | None, values: Document | None
    ) -> list[StoredModelDocument]:
        """The models whose tags, workflow documents and computed values match these
        MongoDB filters (a key ``~name`` names a tag or a variable), newest first."""
        conditions: list[Document] = []
        if tags is not None:
            conditions.append(_prefixed(tags, "metadata.texts.tag."))
        if meta is not None:
            conditions.append(_prefixed(meta, ""))
        if values is not None:
            conditions.append({"metadata.uuid": {"$in": self._models_with_values(values)}})
        found = self.launchpad.workflows.find({"$and": conditions}, sort=[("updated_on", -1)])
        return [self._model(workflow) for workflow in found]

    def _models_with_values(self, values: Document) -> list[str]:
        condition = _prefixed(values, "action.update_spec." + VALUE_PREFIX)
        fw_ids = {
            launch["fw_id"]
            for launch in self.launchpad.launches.find(
                {**condition, "state": "COMPLETED"}, {"fw_id": 1}
            )
        }
        nodes = self.launchpad.fireworks.find(
            {"fw_id": {"$in": sorted(fw_ids)}}, {f"spec.{SPEC_KEY}.model": 1}
        )
        return sorted({node["spec"][SPEC_KEY]["model"] for node in nodes})

    def _model(self, workflow: Document) -> StoredModelDocument:
        metadata = workflow["metadata"]
        texts = metadata.get("texts", {})
        model = StoredModelDocument(
            metadata["uuid"],
            metadata.get("g_uuid") or metadata["uuid"],
            list(texts.get("statements", [])),
            dict(texts.get("vary", {})),
            dict(texts.get("tag", {})),
            state=workflow.get("state", ""),
            file=texts.get("file"),
            created_on=workflow.get("created_on"),
            updated_on=workflow.get("updated_on"),
            node_states={
                int(fw_id): state
                for fw_id, state in workflow.get("fw_states", {}).items()
                if int(fw_id) in workflow["nodes"]
            },
        )
        for node in self.launchpad.fireworks.find(
            {"fw_id": {"$in": workflow["nodes"]}}, {"fw_id": 1, f"spec.{SPEC_KEY}": 1}
        ):
            spec = node["spec"][SPEC_KEY]
            if spec["kind"] == "root":
                model.root = node["fw_id"]
            elif spec["kind"] == "variable":
                model.fw_ids[spec["name"]] = node["fw_id"]
        return model

    def add_workflow(self, workflow: Workflow) -> dict[int, int]:
        """Store a new model; the ids its provisional (negative) node ids became."""
        mapping: dict[int, int] = self.launchpad.add_wf(workflow)
        return mapping

    def append_node(self, uuid: str, firework: Firework, parents: list[int]) -> int:
        """Add a node to a stored model under ``parents``; its id."""
        self.launchpad.append_wf(Workflow([firework]), parents)
        added = self.launchpad.fireworks.find_one(
            {f"spec.{SPEC_KEY}.model": uuid, "name": firework.name}, sort=[("fw_id", -1)]
        )
        return int(added["fw_id"])

    def tag_model(self, uuid: str, tags: Document) -> None:
        """Merge keys into the model's tags (where ``%find`` and MongoDB queries see them)."""
        updates = {f"metadata.texts.tag.{key}": value for key, value in tags.items()}
        if updates:
            self.launchpad.workflows.update_one({"metadata.uuid": uuid}, {"$set": updates})

    def set_statement(self, uuid: str, index: int, text: str) -> None:
        """Replace the model's ``index``-th stored statement."""
        self.launchpad.workflows.update_one(
            {"metadata.uuid": uuid}, {"$set": {f"metadata.texts.statements.{index}": text}}
        )

    def extend_statements(self, uuid: str, statements: list[str], vary: dict[str, str]) -> None:
        """Add statements to a stored model and set its parameter row."""
        self.launchpad.workflows.update_one(
            {"metadata.uuid": uuid},
            {
                "$push": {"metadata.texts.statements": {"$each": statements}},
                "$set": {"metadata.texts.vary": vary},
            },
        )

    def replace_statements(self, uuid: str, statements: list[str], vary: dict[str, str]) -> None:
        """Set a stored model's statements and parameter row in one update (a ``vary`` moved
        definitions from one to the other: neither may be seen without the other)."""
        self.launchpad.workflows.update_one(
            {"metadata.uuid": uuid},
            {"$set": {"metadata.texts.statements": statements, "metadata.texts.vary": vary}},
        )

    # ---- nodes

    def node(self, fw_id: int) -> Node:
        document = self.launchpad.fireworks.find_one({"fw_id": fw_id})
        if document is None:
            raise KeyError(fw_id)
        return Node.from_document(document)

    def nodes(self, fw_ids: Iterable[int]) -> list[Node]:
        """The nodes with these ids (those that exist), in id order."""
        found = self.launchpad.fireworks.find({"fw_id": {"$in": sorted(set(fw_ids))}})
        return sorted(map(Node.from_document, found), key=lambda node: node.fw_id)

    def states(self, fw_ids: Iterable[int]) -> dict[int, tuple[str, datetime | str | None]]:
        """The state and last change of each node."""
        found = self.launchpad.fireworks.find(
            {"fw_id": {"$in": sorted(set(fw_ids))}}, {"fw_id": 1, "state": 1, "updated_on": 1}
        )
        return {doc["fw_id"]: (doc.get("state", ""), doc.get("updated_on")) for doc in found}

    def names(self, fw_ids: Iterable[int]) -> dict[int, str]:
        """The name of each node: its variable's, ``export:N``, or the root's."""
        found = self.launchpad.fireworks.find(
            {"fw_id": {"$in": sorted(set(fw_ids))}}, {"fw_id": 1, "name": 1}
        )
        return {doc["fw_id"]: doc.get("name", "") for doc in found}

    def state(self, fw_id: int) -> str:
        document = self.launchpad.fireworks.find_one({"fw_id": fw_id}, {"state": 1})
        if document is None:
            raise KeyError(fw_id)
        return str(document["state"])

    def ready(self, wanted: Iterable[int]) -> list[int]:
        """The READY nodes among ``wanted``, in id order."""
        wanted = set(wanted)
        ready = self.launchpad.fireworks.find({"state": "READY"}, {"fw_id": 1})
        return sorted(doc["fw_id"] for doc in ready if doc["fw_id"] in wanted)

    def with_resources(self, wanted: Iterable[int]) -> set[int]:
        """The nodes among ``wanted`` whose statements ask for resources (batch nodes)."""
        query = {
            "fw_id": {"$in": sorted(set(wanted))},
            f"spec.{SPEC_KEY}.resources": {"$exists": True},
        }
        return {doc["fw_id"] for doc in self.launchpad.fireworks.find(query, {"fw_id": 1})}

    def python_reads(self, statics: Collection[str]) -> dict[str, list[str]]:
        """The files that Python code read in the completed launches of the nodes with
        these static signatures (``spec._texts.static``), by static signature."""
        if not statics:
            return {}
        nodes = self.launchpad.fireworks.find(
            {f"spec.{SPEC_KEY}.static": {"$in": sorted(statics)}},
            {"launches": 1, f"spec.{SPEC_KEY}.static": 1},
        )
        static_of = {
            launch_id: node["spec"][SPEC_KEY]["static"]
            for node in nodes
            for launch_id in node.get("launches", ())
        }
        found: dict[str, dict[str, None]] = {}
        for launch in self.launches(static_of).values():
            if launch.state == "COMPLETED":
                paths = found.setdefault(static_of[launch.launch_id], {})
                paths.update(dict.fromkeys(u["path"] for u in launch.files if u.get("by_python")))
        return {static: list(paths) for static, paths in found.items() if paths}

    def set_spec(self, fw_id: int, spec: Document) -> None:
        """Give a node a new texts spec (an updated definition)."""
        self.launchpad.update_spec([fw_id], {SPEC_KEY: spec})

    def sign_completed(self, fw_id: int, spec: Document) -> None:
        """Give a completed node the texts spec of the signature its value was found to
        have once it ran (FireWorks' ``update_spec`` leaves completed nodes alone)."""
        self.launchpad.fireworks.update_one(
            {"fw_id": fw_id, "state": "COMPLETED"}, {"$set": {f"spec.{SPEC_KEY}": spec}}
        )

    def change_state(self, fw_id: int, step: str) -> None:
        """FireWorks' own state change ``step`` (``rerun``, ``recover``, ``defuse``,
        ``reignite``, ``resume``, ``pause``) of a node."""
        method, keywords = _STEPS[step]
        getattr(self.launchpad, method)(fw_id, **keywords)

    def lost_runs(self, fw_ids: Iterable[int]) -> list[int]:
        """The RUNNING nodes among ``fw_ids`` whose launch has not pinged for 4 hours."""
        query = {"fw_id": {"$in": sorted(set(fw_ids))}}
        found: list[int] = self.launchpad.detect_lostruns(
            expiration_secs=LOST_RUNNING_SECONDS, query=query, fizzle=False, rerun=False
        )[1]
        return found

    def lost_reservations(self) -> set[int]:
        """The nodes whose queue reservation is older than 14 days without a start."""
        launch_ids = self.launchpad.detect_unreserved(
            expiration_secs=LOST_RESERVED_SECONDS, rerun=False
        )
        if not launch_ids:
            return set()
        found = self.launchpad.launches.find({"launch_id": {"$in": launch_ids}}, {"fw_id": 1})
        return {launch["fw_id"] for launch in found}

    def firework(self, fw_id: int) -> Firework:
        """FireWorks' own object of a node (for what its tools show: launches, runtimes)."""
        firework: Firework = self.launchpad.get_fw_by_id(fw_id)
        return firework

    def parents(self, fw_id: int) -> tuple[int, ...]:
        """The ids of a node's parents, from its model's workflow."""
        found = self.launchpad.workflows.find_one({"nodes": fw_id}, {"parent_links": 1})
        return tuple(found["parent_links"].get(str(fw_id), ())) if found else ()

    def model_of(self, fw_id: int) -> StoredModelDocument:
        """The model a node belongs to."""
        workflow = self.launchpad.workflows.find_one({"nodes": fw_id})
        if workflow is None:
            raise KeyError(fw_id)
        return self._model(workflow)

    def reservation_id(self, fw_id: int) -> Any:
        return self.launchpad.get_reservation_id_from_fw_id(fw_id)

    # ---- launches

    def launches(self, launch_ids: Iterable[int]) -> dict[int, Launch]:
        """The launches with these ids, by id."""
        found = self.launchpad.launches.find({"launch_id": {"$in": list(launch_ids)}})
        return {launch["launch_id"]: Launch.from_document(launch) for launch in found}

    def launch(self, launch_id: int) -> Launch:
        document = self.launchpad.launches.find_one({"launch_id": launch_id})
        if document is None:
            raise KeyError(launch_id)
        return Launch.from_document(document)

    def completed_launch(self, node: Node) -> Launch | None:
        """The completed launch among a node's current ones (its own, or a duplicate's)."""
        document = self.launchpad.launches.find_one(
            {"launch_id": {"$in": list(node.launches)}, "state": "COMPLETED"}
        )
        return None if document is None else Launch.from_document(document)

    def last_launch(self, node: Node) -> Launch | None:
        return self.launch(node.launches[-1]) if node.launches else None

    # ---- values

    def live_value_documents(self) -> Iterator[Any]:
        """Every stored value a node can still read: the inputs in the nodes' specs and the
        outputs of their current (not archived) launches."""
        live_launches: list[int] = []
        for node in self.launchpad.fireworks.find({}, {"spec": 1, "launches": 1}):
            yield from _values(node.get("spec", {}))
            live_launches.extend(node.get("launches", []))
        if live_launches:
            launches = self.launchpad.launches.find(
                {"launch_id": {"$in": live_launches}}, {"action.update_spec": 1}
            )
            for launch in launches:
                yield from _values((launch.get("action") or {}).get("update_spec") or {})


def _values(spec: Document) -> Iterator[Any]:
    for key, value in spec.items():
        if key.startswith(VALUE_PREFIX):
            yield value


def _prefixed(conditions: Document, tilde: str) -> Document:
    """A MongoDB filter whose keys ``~name`` become ``<tilde>name``."""
    return {
        (tilde + key[1:] if key.startswith("~") else key): value
        for key, value in conditions.items()
    }


class MongoWorkflowStore(WorkflowStore):
    """The database of a launchpad file: every write is kept by the server."""

    def __init__(self, launchpad: LaunchPad, launchpad_file: str) -> None:
        super().__init__(launchpad, launchpad_file)

    def flush(self) -> None:
        """Nothing to do: the server keeps each write by itself."""

    def close(self) -> None:
        self.launchpad.connection.close()

    def identity(self) -> dict[str, str]:
        return {"mongodb": database_label(self.launchpad)}


class EmbeddedWorkflowStore(WorkflowStore):
    """The embedded store of a working directory (``.texts/launchpad.json``): flushed to
    its journal after every node, locked while open; or a snapshot of one, read as of its
    last flush without its lock (``snapshot``)."""

    is_embedded = True

    def __init__(
        self, launchpad: LaunchPad, directory: pathlib.Path, store: EmbeddedStore | None
    ) -> None:
        super().__init__(launchpad, str(directory / STORE_FILE_NAME))
        self.directory = directory  # the working directory's .texts, as named there
        self._store = store

    @classmethod
    def snapshot(cls, directory: pathlib.Path) -> EmbeddedWorkflowStore:
        """The embedded store in ``directory`` as of its last flush, read without its lock
        (a run may be using it); only for reading."""
        server, _ = load_server(directory / STORE_FILE_NAME)
        return cls(launchpad_on(server), directory, None)

    def flush(self) -> None:
        if self._store is not None:
            self._store.flush()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    def identity(self) -> dict[str, str]:
        return {"embedded": str(self.directory)}


def workflow_store_exists(
    launchpad_file: str | os.PathLike[str] | None, working_directory: pathlib.Path
) -> bool:
    """Whether ``open_workflow_store`` would open a store that exists: a MongoDB named by a
    launchpad file (given, or FireWorks' configured one), or an embedded store in
    ``working_directory / .texts``. Nothing is created to find out: the commands that only
    read a store (``texts models``, ``texts runs``, ``texts datastore gc``) use it."""
    if launchpad_file or configured_launchpad_file():
        return True
    return embedded_directory(working_directory) is not None


def open_workflow_store(
    launchpad_file: str | os.PathLike[str] | None,
    working_directory: pathlib.Path,
    *,
    wait_seconds: float | None = None,
) -> WorkflowStore:
    """The workflow store texts uses here: the MongoDB of a launchpad file
    (``launchpad_file``, else the one FireWorks' configuration names: see ``mongodb``),
    or else the embedded store in ``working_directory / .texts`` (locked, waiting at most
    ``wait_seconds`` for another process). Raises ``StoreError``."""
    launchpad = open_configured_mongodb(launchpad_file)
    if launchpad is not None:
        where = launchpad_file or configured_launchpad_file() or "the configured database"
        return MongoWorkflowStore(use_incremental_refresh(launchpad), os.fspath(where))
    warn_unused_mongomock_file()
    directory = pathlib.Path(working_directory).absolute() / STORE_DIRECTORY_NAME
    store = EmbeddedStore(directory, wait_seconds)
    return EmbeddedWorkflowStore(store.open(), directory, store)


@dataclass(frozen=True)
class ValueHome:
    """Where a worker's large values may go: the workflow's own database (the default
    GridFS database; ``None`` when the worker cannot reach it) and how ``gc`` finds the
    workflow store again (``None`` when unknown)."""

    database: Database[Document] | None = None
    store: dict[str, str] | None = None


def value_home(launchpad: LaunchPad | None, workdir: str | None) -> ValueHome:
    """The home of the values a FireWorks task computes with ``launchpad`` (the LaunchPad
    FireWorks hands the task) for a model run from ``workdir``.

    In a rocket process of ``-j`` on the embedded store, FireWorks rebuilds a stand-in
    LaunchPad from the parent's settings that reaches no database: the embedded store
    lives in the parent process.
    """
    if launchpad is None:
        return ValueHome()
    embedded = embedded_directory(workdir)
    stand_in = is_multiprocess_stand_in(launchpad)
    if embedded is not None and (uses_mongomock(launchpad) or stand_in):
        database = None if stand_in else launchpad.db
        return ValueHome(database, {"embedded": str(embedded)})
    if uses_mongomock(launchpad):
        return ValueHome(launchpad.db)
    return ValueHome(launchpad.db, {"mongodb": database_label(launchpad)})


def embedded_directory(workdir: str | os.PathLike[str] | None) -> pathlib.Path | None:
    """The embedded store of a working directory, if it has one."""
    if workdir is None:
        return None
    directory = pathlib.Path(workdir).absolute() / STORE_DIRECTORY_NAME
    names = (STORE_FILE_NAME, STORE_FILE_NAME + ".lock")  # the lock exists while it is open
    return directory if any((directory / name).exists() for name in names) else None
