"""The run log of workflow mode, read from FireWorks' own documents.

FireWorks already keeps what a run log needs: every launch of a node with its start, end,
state and error, the value it computed (``update_spec``) and what the task stored with it
(the files it used, ``stored_data``). A run of workflow mode (a script or one session
input, for each model it goes to) is therefore logged from the database after it ran: a
node belongs to the run when it was stored by it, launched during it, or completed by a
duplicate's launch during it. The same reading back-fills the run log of models stored
before the run log existed (``records_from_workflows``).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from texts.executors.workflow.models import StoredModel, checked_model
from texts.interpreter import ir
from texts.interpreter.model import Model
from texts.provenance.records import (
    Attempt,
    CodeIdentity,
    FileRecord,
    NodeRecord,
    Record,
    ValueRecord,
)
from texts.provenance.recordstore import RecordStore
from texts.provenance.runlog import (
    ModelRunLog,
    RunIdentity,
    model_hash,
    model_tags,
    node_imports,
    statement_file,
    volatile_hash,
)
from texts.store.workflows import Launch, Node, WorkflowStore

_OUTCOMES = {"COMPLETED": "success", "FIZZLED": "fail"}
"""FireWorks states that end a node, a launch or a workflow, as run log statuses."""


class WorkflowRunLog(ModelRunLog):
    """The run log of one model's part in a workflow-mode run."""

    def __init__(self, identity: RunIdentity, model: Model, fw_ids: dict[str, int]) -> None:
        super().__init__(model, identity)
        self.fw_ids = fw_ids

    def finish(
        self, records: RecordStore, store: WorkflowStore, stored_now: list[str], failed: bool
    ) -> None:
        """Add the run's nodes and its final record: ``fail`` when the input reported an
        error or a node failed, ``processing`` while a node it launched has not ended (a
        queued job), else ``success``."""
        nodes = ModelNodes(store, self.model, self.fw_ids)
        found, statuses = nodes.records(self.identity, self.identity.started, set(stored_now))
        if failed or "fail" in statuses:
            status = "fail"
        elif "processing" in statuses:
            status = "processing"
        else:
            status = "success"
        records.append([*found, self.final(status, found)])


class ModelNodes:
    """One stored model's nodes and their launches, read once."""

    def __init__(self, store: WorkflowStore, model: Model, fw_ids: dict[str, int]) -> None:
        self.model = model
        self.by_name = {node.name: node for node in store.nodes(fw_ids.values())}
        self.launches = store.launches(
            launch_id
            for node in self.by_name.values()
            for launch_id in [*node.launches, *node.archived_launches]
        )

    def node_hash(self, run: str, name: str) -> str:
        spec = self.by_name[name].spec if name in self.by_name else {}
        return spec.get("signature") or volatile_hash(run, name)

    def records(
        self, identity: RunIdentity, since: str | None, stored_now: set[str]
    ) -> tuple[list[Record], list[str]]:
        """The records of the nodes that belong to a run started at ``since`` (every node
        when ``None``), and the status of each attempt made in it."""
        found: list[Record] = []
        statuses: list[str] = []
        for name, node in self.by_name.items():
            launches = [
                self.launches[i]
                for i in [*node.archived_launches, *node.launches]
                if i in self.launches
            ]
            own = [
                launch
                for launch in launches
                if launch.fw_id == node.fw_id
                and (since is None or _iso(launch.time_start) >= since)
            ]
            # the value is the node's current one: a rerun archived the launches before it
            current = [self.launches[i] for i in node.launches if i in self.launches]
            completed = next((la for la in reversed(current) if la.state == "COMPLETED"), None)
            cached = completed is not None and completed.fw_id != node.fw_id
            if since is not None and not (own or cached or name in stored_now):
                continue
            attempts = [_attempt(launch) for launch in own]
            statuses.extend(attempt.status for attempt in attempts)
            found.extend(self._node(identity, name, node, attempts, cached, completed))
        return found, statuses

    def _node(
        self,
        identity: RunIdentity,
        name: str,
        document: Node,
        attempts: list[Attempt],
        cached: bool,
        completed: Launch | None,
    ) -> list[Record]:
        spec = document.spec
        origin = spec.get("origin", {})
        node_hash = self.node_hash(identity.run, name)
        value = None
        if completed is not None and completed.value(name) is not None:
            value = ValueRecord(completed.value(name))
        statement = self._statement(name)
        node = NodeRecord(
            run=identity.run,
            name=name,
            hash=node_hash,
            definition=spec["source"],
            line=origin.get("line"),
            file=statement_file(origin.get("path"), spec.get("workdir"), identity.model_file),
            inputs={i: self.node_hash(identity.run, i) for i in spec.get("inputs", [])},
            status=_OUTCOMES.get(document.state, "waiting"),
            cached=cached,
            attempts=attempts,
            value=value.id if value is not None else None,
            code=identity.code.id,
            imports=node_imports(self.model, statement) if statement is not None else {},
        )
        files = [
            FileRecord(use["path"], use["mode"], use["sha256"], identity.run, node_hash, name)
            for launch in ([completed] if completed is not None else [])
            for use in launch.files
        ]
        return [node, *([value] if value is not None else []), *files]

    def _statement(self, name: str) -> ir.VarDef | ir.Export | None:
        if name in self.model.variables:
            return self.model.variables[name]
        index = name.partition(":")[2]
        exports = self.model.exports
        return exports[int(index)] if index.isdigit() and int(index) < len(exports) else None


def _iso(value: Any) -> str:
    """FireWorks' times as ISO text (launches keep text, workflows datetimes)."""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value or "")


def _seconds(start: Any, end: Any) -> float | None:
    try:
        return round(
            (
                datetime.fromisoformat(_iso(end)) - datetime.fromisoformat(_iso(start))
            ).total_seconds(),
            6,
        )
    except ValueError:
        return None


def _attempt(launch: Launch) -> Attempt:
    """One launch as an attempt, with the error its task recorded."""
    end = launch.time_end
    details, _ = launch.failure
    error = f"{details['label']}: {details['message']}" if "label" in details else None
    return Attempt(
        start=_iso(launch.time_start),
        end=_iso(end) if end else None,
        duration=_seconds(launch.time_start, end) if end else None,
        status=_OUTCOMES.get(launch.state, "processing"),
        error=error,
    )


UNKNOWN_CODE = CodeIdentity("unknown (before the run log)", "unknown", {}, None)
"""The code identity of runs back-filled from an older store: it was not recorded."""


def records_from_workflows(store: WorkflowStore, logged: set[str]) -> list[Record]:
    """Run records for the models of a store written before the run log (those not in
    ``logged``): one run per model, with every node's launches, made the same on every
    call (ids derive from the stored documents), so that an interrupted upgrade can simply
    be run again. A model whose statements no longer check is skipped (its workflow stays
    as it is)."""
    found: list[Record] = [UNKNOWN_CODE]
    for document in store.models():
        if document.uuid in logged:
            continue
        stored = StoredModel.of(document)
        model = checked_model(stored)
        if model is None:
            continue
        nodes = ModelNodes(store, model, stored.fw_ids)
        first = next(iter(nodes.by_name.values()), None)
        spec = first.spec if first is not None else {}
        identity = RunIdentity(
            run=uuid.uuid5(uuid.NAMESPACE_URL, f"texts:backfill:{stored.uuid}").hex,
            model=stored.uuid,
            model_hash=model_hash(model),
            model_file=spec.get("origin", {}).get("path"),
            executor="workflow",
            started=_iso(document.created_on),
            tag=model_tags(model),
            code=UNKNOWN_CODE,
            workdir=spec.get("workdir", ""),
        )
        records, _ = nodes.records(identity, None, set())
        status = _OUTCOMES.get(document.state, "processing")
        ended = _iso(document.updated_on) if status != "processing" else None
        cached = any(isinstance(r, NodeRecord) and r.cached for r in records)
        found.extend(records)
        found.append(identity.record(status, None, cached, ended))
    return found
