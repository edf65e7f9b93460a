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

from datetime import datetime
from typing import Any

from texts.executors.workflow.task import FILES_KEY, value_key
from texts.interpreter import ir
from texts.interpreter.model import Model
from texts.provenance.records import (
    Attempt,
    CodeIdentity,
    FileRecord,
    NodeRecord,
    Record,
    RunRecord,
    ValueRecord,
)
from texts.provenance.recordstore import RecordStore
from texts.provenance.runlog import ModelRunLog, RunIdentity, node_imports, volatile_hash

_OUTCOMES = {"COMPLETED": "success", "FIZZLED": "fail"}
"""FireWorks states that end a node, a launch or a workflow, as run log statuses."""


class WorkflowRunLog(ModelRunLog):
    """The run log of one model's part in a workflow-mode run."""

    def __init__(self, identity: RunIdentity, model: Model, fw_ids: dict[str, int]) -> None:
        super().__init__(model, identity)
        self.fw_ids = fw_ids

    def finish(
        self, records: RecordStore, database: Any, stored_now: list[str], failed: bool
    ) -> None:
        """Add the run's nodes and its final record: ``fail`` when the input reported an
        error or a node failed, ``processing`` while a node it launched has not ended (a
        queued job), else ``success``."""
        nodes = ModelNodes(database, self.model, self.fw_ids)
        found, statuses = nodes.records(self.identity, self.identity.started, set(stored_now))
        if failed or "fail" in statuses:
            status = "fail"
        elif "processing" in statuses:
            status = "processing"
        else:
            status = "success"
        records.append([*found, self.final(status, found)])


class ModelNodes:
    """The FireWorks documents of one stored model's nodes, read once."""

    def __init__(self, database: Any, model: Model, fw_ids: dict[str, int]) -> None:
        self.database = database
        self.model = model
        self.by_name = {
            document["name"]: document
            for document in database.fireworks.find({"fw_id": {"$in": list(fw_ids.values())}})
        }
        launch_ids = [
            launch_id
            for document in self.by_name.values()
            for launch_id in [*document["launches"], *document.get("archived_launches", [])]
        ]
        self.launches = {
            launch["launch_id"]: launch
            for launch in database.launches.find({"launch_id": {"$in": launch_ids}})
        }

    def node_hash(self, run: str, name: str) -> str:
        spec = self.by_name[name]["spec"]["_texts"] if name in self.by_name else {}
        return spec.get("signature") or volatile_hash(run, name)

    def records(
        self, identity: RunIdentity, since: str | None, stored_now: set[str]
    ) -> tuple[list[Record], list[str]]:
        """The records of the nodes that belong to a run started at ``since`` (every node
        when ``None``), and the status of each attempt made in it."""
        found: list[Record] = []
        statuses: list[str] = []
        for name, document in self.by_name.items():
            launches = [
                self.launches[i]
                for i in [*document.get("archived_launches", []), *document["launches"]]
                if i in self.launches
            ]
            own = [
                launch
                for launch in launches
                if launch["fw_id"] == document["fw_id"]
                and (since is None or _iso(launch.get("time_start")) >= since)
            ]
            completed = next((la for la in launches if la["state"] == "COMPLETED"), None)
            cached = completed is not None and completed["fw_id"] != document["fw_id"]
            if since is not None and not (own or cached or name in stored_now):
                continue
            attempts = [_attempt(launch) for launch in own]
            statuses.extend(attempt.status for attempt in attempts)
            found.extend(self._node(identity, name, document, attempts, cached, completed))
        return found, statuses

    def _node(
        self,
        identity: RunIdentity,
        name: str,
        document: dict[str, Any],
        attempts: list[Attempt],
        cached: bool,
        completed: dict[str, Any] | None,
    ) -> list[Record]:
        spec = document["spec"]["_texts"]
        node_hash = self.node_hash(identity.run, name)
        value = None
        if completed is not None and value_key(name) in completed["action"]["update_spec"]:
            value = ValueRecord(completed["action"]["update_spec"][value_key(name)])
        statement = self._statement(name)
        node = NodeRecord(
            run=identity.run,
            name=name,
            hash=node_hash,
            definition=spec["source"],
            line=spec.get("origin", {}).get("line"),
            inputs={i: self.node_hash(identity.run, i) for i in spec.get("inputs", [])},
            status=_OUTCOMES.get(document["state"], "waiting"),
            cached=cached,
            attempts=attempts,
            value=value.id if value is not None else None,
            code=identity.code.id,
            imports=node_imports(self.model, statement) if statement is not None else {},
        )
        files = [
            FileRecord(use["path"], use["mode"], use["sha256"], identity.run, node_hash, name)
            for launch in ([completed] if completed is not None else [])
            for use in launch["action"].get("stored_data", {}).get(FILES_KEY, [])
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


def _attempt(launch: dict[str, Any]) -> Attempt:
    """One launch as an attempt, with the error its task recorded."""
    end = launch.get("time_end")
    action = launch.get("action") or {}  # none for a launch that was interrupted
    details = action.get("stored_data", {}).get("_exception", {})
    details = details.get("_details") or {}
    error = f"{details['label']}: {details['message']}" if "label" in details else None
    return Attempt(
        start=_iso(launch.get("time_start")),
        end=_iso(end) if end else None,
        duration=_seconds(launch.get("time_start"), end) if end else None,
        status=_OUTCOMES.get(launch["state"], "processing"),
        error=error,
    )


UNKNOWN_CODE = CodeIdentity("unknown (before the run log)", "unknown", {}, None)
"""The code identity of runs back-filled from an older store: it was not recorded."""


def records_from_workflows(database: Any) -> list[Record]:
    """Run records for the models of a store written before the run log: one run per
    model, with every node's launches, made the same on every call (ids derive from the
    stored documents), so that an interrupted upgrade can simply be run again. A model
    that has runs already, or whose statements no longer check, is skipped (its workflow
    stays as it is)."""
    import uuid

    from texts.executors.workflow.models import stored_model
    from texts.provenance.runlog import model_hash, model_tags

    found: list[Record] = [UNKNOWN_CODE]
    logged = {document["model"] for document in database[RunRecord.collection].find({})}
    for workflow in database.workflows.find({"metadata.uuid": {"$exists": True}}):
        if workflow["metadata"]["uuid"] in logged:
            continue
        stored = stored_model(database, workflow)
        model = _checked(stored)
        if model is None:
            continue
        nodes = ModelNodes(database, model, stored.fw_ids)
        first = next(iter(nodes.by_name.values()), {"spec": {"_texts": {}}})["spec"]["_texts"]
        identity = RunIdentity(
            run=uuid.uuid5(uuid.NAMESPACE_URL, f"texts:backfill:{stored.uuid}").hex,
            model=stored.uuid,
            model_hash=model_hash(model),
            model_file=first.get("origin", {}).get("path"),
            executor="workflow",
            started=_iso(workflow.get("created_on")),
            tag=model_tags(model),
            code=UNKNOWN_CODE,
            workdir=first.get("workdir", ""),
        )
        records, _ = nodes.records(identity, None, set())
        status = _OUTCOMES.get(workflow.get("state", ""), "processing")
        ended = _iso(workflow.get("updated_on")) if status != "processing" else None
        cached = any(isinstance(r, NodeRecord) and r.cached for r in records)
        found.extend(records)
        found.append(identity.record(status, None, cached, ended))
    return found


def _checked(stored: Any) -> Model | None:
    """The checked model of a stored model's statements (``None`` if they fail a check)."""
    from texts.grammar import parse_source
    from texts.interpreter.checks import check_program
    from texts.interpreter.errors import TextsError
    from texts.interpreter.source import Source

    try:
        source = stored.extended(Source("", f"<model {stored.uuid}>"))
        return check_program(parse_source(source), "workflow", lambda _warning: None)
    except TextsError:
        return None
