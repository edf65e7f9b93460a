"""The workflow executor: a model becomes a persistent FireWorks workflow.

Building stores one Firework per variable and export (``nodes``); running launches READY
Fireworks of the model in this process with FireWorks' own rocket, flushing the embedded
store after each one, so a crash never loses a completed node; printing reads the computed
values back from the launches. The evaluation itself happens in ``EvaluateTask`` with the
shared core.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fireworks import Firework, Workflow

from texts.datastore.documents import from_document
from texts.datastore.offloading import Origin
from texts.executors.base import Reporter, RunResult
from texts.executors.workflow.duplicates import SignatureDupeFinder
from texts.executors.workflow.launching import launch_ready
from texts.executors.workflow.metadata import node_metadata
from texts.executors.workflow.models import StoredModel
from texts.executors.workflow.nodes import (
    NodePlan,
    lenient_nodes,
    node_spec,
    plan_nodes,
)
from texts.executors.workflow.queue import BatchQueue
from texts.executors.workflow.signing import (
    learn_python_reads,
    resign,
    signed,
    stored_signer,
)
from texts.executors.workflow.task import EvaluateTask
from texts.interpreter import ir
from texts.interpreter.errors import TextsError
from texts.interpreter.evaluation import print_text
from texts.interpreter.evaluation.printing import view_values
from texts.interpreter.model import Model
from texts.interpreter.source import Span
from texts.interpreter.statements import definition_text
from texts.interpreter.values import NOT_COMPUTED
from texts.provenance.lineage import WrittenFiles, nothing_written
from texts.provenance.reuse import Decision
from texts.provenance.runlog import model_tags
from texts.provenance.signature import PythonReads
from texts.store.layout import ROOT_NAME, SPEC_KEY
from texts.store.workflows import Launch, Node, WorkflowStore

WORKFLOW_NAME = "Created by textS interpreter"
ANCESTOR_ERROR = "Ancestor evaluation error"
_NOT_STORED = (ir.Print, ir.View, ir.Update, ir.Vary)
"""Prints and views are not persisted, updates edit a node in place and a ``vary`` is kept
as each model's parameter row."""


@dataclass(frozen=True)
class WorkflowOptions:
    """The command-line choices of workflow mode (evaluation policy and store)."""

    autorun: bool = False
    on_demand: bool = False
    launchpad_file: str | None = None
    workdir: Path = Path(".")
    detect_duplicates: bool = True  # reuse completed nodes with the same signature
    signature: str = "default"  # the signature mode: force and ignore rewrite edited exports
    jobs: int = 1  # rocket processes running independent nodes at once
    queue: BatchQueue | None = None  # where batch nodes go (else they run here too)


class WorkflowExecutor:
    """Builds a model's workflow, runs it by the chosen policy and prints its values."""

    def __init__(
        self,
        model: Model,
        report: Reporter,
        options: WorkflowOptions,
        store: WorkflowStore,
        record: StoredModel,
        written: WrittenFiles = nothing_written,
    ) -> None:
        """``written``: what the run log knows of the files textS wrote; an export node may
        replace only such a file (``may_overwrite``)."""
        self.model = model
        self.report = report
        self.options = options
        self.store = store
        self.record = record
        self.uuid = record.uuid
        self.fw_ids: dict[str, int] = dict(record.fw_ids)
        self.root: int | None = record.root
        self.exports: list[NodePlan] = []
        self.new_from = record.new_from
        self.lenient = lenient_nodes(model)
        # what '--verbose' says of the stored nodes this input changes, by name
        self.reasons: dict[str, str] = {}
        self.written = written
        self.states_before: dict[str, str] = {}  # node states when this run's launch began

    def build(self) -> str:
        """Store the model: a new workflow, or the new input appended to a stored one."""
        plans = [plan for plan in plan_nodes(self.model) if self._is_new(plan)]
        self.exports = [plan for plan in plans if isinstance(plan.statement, ir.Export)]
        # the updated variables and every stored node that uses them change signature
        changing = self.model.dependants(sorted(self.model.updated))
        self.signer = stored_signer(
            self.store, self.model, self.fw_ids, changing, self.options.workdir
        )
        self.stored_now = [plan.key for plan in plans] + changing
        new = [plan.key for plan in plans if plan.key in self.model.variables]
        learn_python_reads(self.store, self.signer, [*new, *changing])
        if not self.record.is_stored:
            self._create(plans)
        else:
            self._append(plans)
            self._update(changing)
        self._tag()
        self.store.flush()
        return self.uuid

    def _tag(self) -> None:
        """``tag`` statements of this input merge their keys into the model's metadata,
        where ``%find`` and MongoDB queries see them."""
        self.store.tag_model(self.uuid, model_tags(self.model, self.new_from))

    def _update(self, changing: list[str]) -> None:
        """Give updated variables their new definition and every node that uses them the
        signature of its new inputs; they run again (FireWorks' rerun archives the old
        launches), nothing else does. Every name is checked before anything changes."""
        statements = self.model.program.statements
        stored = [
            s for s in statements if self.record.statements_from <= s.span.start < self.new_from
        ]
        indexes: dict[str, int] = {}
        for name in sorted(self.model.updated):
            index = next(
                (i for i, s in enumerate(stored) if isinstance(s, ir.VarDef) and s.name == name),
                None,
            )
            if index is None:
                raise TextsError(
                    "Variable update error", f'"{name}" is a varied parameter: vary it instead.'
                )
            indexes[name] = index
        for name in changing:
            state = self.store.state(self.fw_ids[name])
            if state in ("RUNNING", "RESERVED"):
                raise TextsError(
                    "Variable update error", f"Cannot update variable in {state} state."
                )
        for name in changing:  # a rerun resets the node's dependants too
            if self.store.state(self.fw_ids[name]) in ("COMPLETED", "FIZZLED"):
                self.store.change_state(self.fw_ids[name], "rerun")
        for name, index in indexes.items():
            variable = self.model.variables[name]
            plan = NodePlan(name, variable, self.model.inputs.get(name, ()))
            self.store.set_spec(self.fw_ids[name], self._node_spec(plan))
            self.store.set_statement(self.uuid, index, definition_text(self.model, variable))
            self.reasons[name] = "changed: definition"
        dependants = [name for name in changing if name not in indexes]
        resign(self.store, self.signer, self.fw_ids, dependants)
        for name in dependants:
            changed = [i for i in self.model.inputs.get(name, ()) if i in changing]
            self.reasons[name] = "changed: " + ", ".join(f"input {i}" for i in changed)

    def _is_new(self, plan: NodePlan) -> bool:
        """A node to store: a variable the stored model lacks, or an export of this input."""
        if isinstance(plan.statement, ir.Export):
            return plan.statement.span.start >= self.new_from
        return plan.key not in self.fw_ids

    def _node_spec(self, plan: NodePlan) -> dict[str, Any]:
        """What a worker needs to compute a node, with the node's content signature."""
        spec = node_spec(self.model, plan, self.uuid)
        if plan.key in self.model.variables:
            spec = signed(spec, self.signer, plan.key)
        statement = plan.statement
        if isinstance(statement, ir.Export) and statement.kind == "file":
            recorded = self.written(os.path.join(spec["workdir"], statement.path))
            if recorded is not None:  # the task may replace the file (see ``task``)
                spec["recorded_file"] = {"sha256": recorded, "mode": self.options.signature}
        return spec

    def _firework(self, spec: dict[str, Any], name: str, fw_id: int) -> Firework:
        """A node; a lenient one also runs after failed parents (see ``lenient_nodes``)."""
        # the task reaches the LaunchPad (FireWorks' own option): large values go to GridFS
        fw_spec: dict[str, Any] = {SPEC_KEY: spec, "_add_launchpad_and_fw_id": True}
        if name in self.lenient:
            fw_spec["_allow_fizzled_parents"] = True
        if "signature" in spec and self.options.detect_duplicates:
            fw_spec["_dupefinder"] = SignatureDupeFinder()
        return Firework([EvaluateTask()], spec=fw_spec, name=name, fw_id=fw_id)

    def _create(self, plans: list[NodePlan]) -> None:
        """A new workflow: a root node, parent of every node without inputs."""
        spec = {"kind": "root", "name": ROOT_NAME, "model": self.uuid}
        root = self._firework(spec, ROOT_NAME, -1)
        by_key: dict[str, Firework] = {}
        for index, plan in enumerate(plans, start=2):
            by_key[plan.key] = self._firework(self._node_spec(plan), plan.key, -index)
        links = {root: [by_key[p.key] for p in plans if not p.inputs and not p.after]}
        for parent, firework in by_key.items():
            links[firework] = [
                by_key[p.key] for p in plans if parent in p.inputs or parent in p.after
            ]
        record = self.record
        metadata = {
            "uuid": self.uuid,
            "g_uuid": record.group,
            "texts": {
                "statements": [*record.statements, *self._new_statements()],
                "vary": record.vary,
                "tag": record.tags,
                "file": _file_of(self.model.source.path),
            },
        }
        workflow = Workflow([root, *by_key.values()], links, name=WORKFLOW_NAME, metadata=metadata)
        provisional = {key: firework.fw_id for key, firework in by_key.items()}
        mapping = self.store.add_workflow(workflow)  # renumbers the Fireworks in place
        self.root = mapping[-1]
        self.fw_ids.update({key: mapping[fw_id] for key, fw_id in provisional.items()})

    def _append(self, plans: list[NodePlan]) -> None:
        """New nodes under the nodes they use (or the root), one at a time in order."""
        for plan in plans:
            firework = self._firework(self._node_spec(plan), plan.key, -1)
            before = [*plan.inputs, *(key for key in plan.after if key in self.fw_ids)]
            parents = [self.fw_ids[name] for name in before] or [self.root]
            self.fw_ids[plan.key] = self.store.append_node(self.uuid, firework, parents)
        record = self.record
        if record.reshaped:  # definitions became the row (``StoredModel.promote``)
            statements = [*record.statements, *self._new_statements()]
            self.store.replace_statements(self.uuid, statements, record.vary)
        else:
            self.store.extend_statements(self.uuid, self._new_statements(), record.vary)

    def _new_statements(self) -> list[str]:
        source = self.model.source
        return [
            source.excerpt(s.span)
            for s in self.model.program.statements
            if s.span.start >= self.new_from and not isinstance(s, _NOT_STORED)
        ]

    def launch(self, others: frozenset[int] = frozenset()) -> None:
        """Run the model's READY nodes (all, or what the prints need) by the policy, with
        the ``others`` of the models run alongside (the rest of its group)."""
        self.states_before = self._states()
        if self.options.autorun:
            wanted = self.wanted_ids() | others
            options = self.options
            launch_ready(self.store, wanted, options.workdir, options.jobs, options.queue)

    def sign_with_python_reads(self) -> None:
        """Nodes of this input that ran with their static signature and found that their
        Python code reads files are signed with those files' content as it was read, and
        so is what uses them and ran with them: a later model with the same definitions
        and files reuses them (``learn_python_reads`` signs its nodes alike)."""
        nodes = {
            node.name: node for node in self.store.nodes(self.fw_ids[k] for k in self.stored_now)
        }
        completed = {
            n.launches[-1]: n for n in nodes.values() if n.state == "COMPLETED" and n.launches
        }
        own: dict[str, Launch] = {
            completed[launch_id].name: launch
            for launch_id, launch in self.store.launches(completed).items()
            if launch.fw_id == completed[launch_id].fw_id
        }
        learned: dict[str, PythonReads] = {}
        for name, launch in own.items():
            spec = nodes[name].spec
            read = {use["path"]: use["sha256"] for use in launch.files if use.get("by_python")}
            if read and "static" in spec and spec.get("signature") == spec["static"]:
                learned[name] = PythonReads(spec["static"], list(read), read)
        if not learned:
            return
        self.signer.expect_python_reads(learned)
        for name in self.model.dependants(learned):
            if name in own:
                spec = signed(nodes[name].spec, self.signer, name)
                self.store.sign_completed(nodes[name].fw_id, spec)
        self.store.flush()

    def decisions(self) -> list[Decision]:
        """For ``--verbose``: every node of the model that has a value after this run, and
        why: computed now (new, changed, rerun or resumed), taken from a completed node
        with the same signature (cached), or computed by an earlier run; and the nodes that
        failed now."""
        found = []
        ordered = self.model.closure(name for name in self.model.variables if name in self.fw_ids)
        exports = [key for key in self.fw_ids if key not in self.model.variables]
        for key in [*ordered, *exports]:  # inputs first
            if key not in self.fw_ids:
                continue
            node = self.store.node(self.fw_ids[key])
            before = self.states_before.get(key)
            rerun = bool(node.archived_launches)
            if node.state == "FIZZLED" and before != "FIZZLED":
                found.append(Decision(key, "failed", self._reason(key, before, rerun)))
            if node.state != "COMPLETED" or not node.launches:
                continue
            if before == "COMPLETED":
                found.append(Decision(key, "cached"))  # by an earlier run
                continue
            if self.store.launch(node.launches[-1]).fw_id != node.fw_id:
                found.append(Decision(key, "cached"))  # a completed node's, same signature
            else:
                found.append(Decision(key, "computed", self._reason(key, before, rerun)))
        return found

    def _reason(self, key: str, before: str | None, rerun: bool = False) -> str:
        """Why a node ran in this run: changed by this input (``reasons``), new, or run
        again after it failed or was set back."""
        if key in self.reasons:
            return self.reasons[key]
        if key in self.stored_now:
            return "new"
        return "rerun" if before == "FIZZLED" or rerun else "resumed"

    def _states(self) -> dict[str, str]:
        """The state of each of the model's nodes now."""
        ids = {fw_id: key for key, fw_id in self.fw_ids.items()}
        return {ids[fw_id]: state for fw_id, (state, _) in self.store.states(ids).items()}

    def wanted_ids(self) -> set[int]:
        """The nodes the policy runs: all of the model's, or what this input's prints and
        views need."""
        root = {self.root} if self.root is not None else set()
        if not self.options.on_demand:
            return set(self.fw_ids.values()) | root
        roots: dict[str, None] = {}
        for statement in [*self.prints, *self.views]:
            roots.update(dict.fromkeys(self.model.variables_used_by(statement)))
        needed = self.model.closure(roots)
        return {self.fw_ids[name] for name in needed if name in self.fw_ids} | root

    @property
    def prints(self) -> list[ir.Print]:
        """The prints of the current input (stored models keep no prints)."""
        return [p for p in self.model.prints if p.span.start >= self.new_from]

    @property
    def views(self) -> list[ir.View]:
        """The views of the current input (not stored either)."""
        return [v for v in self.model.views if v.span.start >= self.new_from]

    def results(self) -> RunResult:
        """The output of this input's prints and the data of its views, and the failures of
        its exports."""
        values = StoredValues(self)
        result = RunResult()
        for plan in self.exports:  # an export has no value to print: report its failure
            node = self.store.node(self.fw_ids[plan.key])
            if node.state == "FIZZLED":
                result.errors += 1
                self.report(self._failure(plan.key, node))
        for statement in [*self.prints, *self.views]:
            show, shown = (
                (print_text, result.lines)
                if isinstance(statement, ir.Print)
                else (view_values, result.views)
            )
            try:
                shown.append(show(self.model, statement, values))
            except TextsError as error:
                result.errors += 1
                self.report(error)
        return result

    # ---- reading results back

    def node(self, name: str) -> Node:
        return self.store.node(self.fw_ids[name])

    def value(self, name: str) -> Any:
        """The stored value of a variable, ``NOT_COMPUTED``, or the node's error raised."""
        node = self.node(name)
        state = node.state
        if state == "COMPLETED":
            launch = self.store.completed_launch(node)
            assert launch is not None  # a completed node has its completed launch
            return from_document(launch.value(name), Origin(name, self.store.database))
        if state == "FIZZLED":
            raise self._failure(name, node)
        if self._failed_ancestors(name):
            raise TextsError(
                ANCESTOR_ERROR, self._ancestor_message(name), self.model.variables[name].span
            )
        return NOT_COMPUTED

    def _failure(self, name: str, node: Node) -> TextsError:
        details, message = self._failure_details(node)
        label = details.get("label", "Evaluation error")
        if label == ANCESTOR_ERROR:  # a lenient node that needed a failed value
            message = self._ancestor_message(name)
        return TextsError(label, message, self._failure_span(name, node, details.get("where")))

    def _failure_details(self, node: Node) -> tuple[dict[str, Any], str]:
        """What the failed node's task recorded: its error's details and message."""
        launch = self.store.last_launch(node)
        details, message = launch.failure if launch is not None else ({}, "")
        return details, message or "the node failed"

    def _statement(self, key: str) -> ir.VarDef | ir.Export:
        """The statement a node computes: a variable's definition or an export."""
        if key in self.model.variables:
            return self.model.variables[key]
        return next(plan.statement for plan in self.exports if plan.key == key)

    def _failure_span(self, name: str, node: Node, where: Any) -> Span:
        """Where a node failed, in the user's program: the innermost failing expression
        when it lies in the statement or a function definition, else the statement."""
        statement = self._statement(name)
        if not isinstance(where, dict):
            return statement.span
        parts = [*node.spec["definitions"], node.spec["source"]]
        text = parts[where["part"]] if where["part"] < len(parts) else ""
        holder = statement if where["part"] == len(parts) - 1 else self._definition(text)
        if holder is None:
            return statement.span
        base = holder.span.start
        return Span(base + where["start"], base + where["end"])

    def _definition(self, text: str) -> Any:
        for function in self.model.functions.values():
            if self.model.source.excerpt(function.span) == text:
                return function
        return None

    def _failed_ancestors(self, name: str) -> list[str]:
        """The ancestors whose own evaluation failed (not for want of another's value)."""
        failed = []
        for ancestor in self.model.closure([name]):
            node = self.node(ancestor) if ancestor != name else None
            if (
                node is not None
                and node.state == "FIZZLED"
                and self._failure_details(node)[0].get("label") != ANCESTOR_ERROR
            ):
                failed.append(ancestor)
        return failed

    def _ancestor_message(self, name: str) -> str:
        failed = ", ".join(self._failed_ancestors(name))
        return f"Evaluation of {name} not possible due to failed ancestors: {failed}"


def _file_of(path: str | None) -> str | None:
    """The model file a model was created from (``texts models`` shows it); none for a
    session's inputs. Absolute and without ``..`` parts, as the user would name it."""
    return None if path is None or path.startswith("<") else os.path.abspath(path)


class StoredValues(Mapping[str, Any]):
    """Variables as prints see them in workflow mode: read from the store on first use."""

    def __init__(self, executor: WorkflowExecutor) -> None:
        self.executor = executor
        self.cache: dict[str, Any] = {}

    def __contains__(self, name: object) -> bool:
        return name in self.executor.fw_ids

    def __getitem__(self, name: str) -> Any:
        if name not in self.cache:
            self.cache[name] = self.executor.value(name)
        return self.cache[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.executor.fw_ids)

    def __len__(self) -> int:
        return len(self.executor.fw_ids)

    def node_metadata(self, name: str, detail: str) -> list[tuple[str, Any]]:
        """What ``info`` adds for a variable: its node's metadata (nothing for other names)."""
        fw_id = self.executor.fw_ids.get(name)
        return [] if fw_id is None else node_metadata(self.executor.store, fw_id, detail)


__all__ = ["NodePlan", "WorkflowExecutor", "WorkflowOptions"]
