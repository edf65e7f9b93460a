"""The one FireTask of the workflow executor: compute a node with the shared core.

A node's spec holds the *source* of its statement and of the definitions it uses (imports
and functions), not a pickled closure: the worker compiles that text with the same grammar
and evaluates it with the same evaluation core as the instant executor. Stored models
therefore do not depend on one Python version, and nodes stay small and readable.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

from fireworks import FiretaskBase, FWAction, LaunchPad

from texts.datastore.documents import from_document, store_value
from texts.datastore.offloading import Origin
from texts.executors.workflow.compile import compile_node
from texts.interpreter import ir
from texts.interpreter.errors import TextsError
from texts.interpreter.evaluation import evaluate, evaluate_variable
from texts.interpreter.evaluation.core import Scope
from texts.interpreter.statements import may_overwrite, perform_export
from texts.provenance.files import observed_files
from texts.provenance.signature import digest
from texts.run_events import evaluating
from texts.store.layout import FILES_KEY, SPEC_KEY, value_key
from texts.store.workflows import value_home


class NodeFailure(Exception):
    """A node's evaluation failed; FireWorks records ``to_dict()`` with the launch.

    ``where`` locates the failing expression in the node's own source: the index of the
    source text (definitions first, the statement last) and the offsets within it, so the
    client can point at the same place in the user's file.
    """

    def __init__(self, label: str, message: str, where: dict[str, int] | None) -> None:
        super().__init__(f"{label}: {message}")
        self.label = label
        self.message = message
        self.where = where

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "message": self.message, "where": self.where}


class EvaluateTask(FiretaskBase):
    """Evaluate one variable (or perform one export) from its statement's source."""

    _fw_name = "{{texts.executors.workflow.task.EvaluateTask}}"
    required_params: ClassVar[list[str]] = []
    optional_params: ClassVar[list[str]] = []

    def run_task(self, fw_spec: dict[str, Any]) -> FWAction:
        node = fw_spec[SPEC_KEY]
        if node["kind"] == "root":  # the parent of nodes without inputs computes nothing
            return FWAction()
        try:
            with _working_directory(node["workdir"]), evaluating():
                # FireWorks sets ``launchpad`` when the spec asks for it: the datastore's
                # default GridFS database is the workflow's own
                return _compute(node, fw_spec, getattr(self, "launchpad", None))
        except TextsError as error:
            raise NodeFailure(error.label, error.message, _where(node, error)) from None


def _compute(
    node: dict[str, Any], fw_spec: dict[str, Any], launchpad: LaunchPad | None
) -> FWAction:
    """Evaluate a variable (its value goes to the children's spec) or perform an export."""
    home = value_home(launchpad, node["workdir"])

    def origin(name: str) -> Origin:
        return Origin(name, home.database, home.store)

    model, statement = compile_node(node)
    inputs = NodeInputs(
        node["name"], node["inputs"], fw_spec, lambda doc, name: from_document(doc, origin(name))
    )
    with observed_files() as files:  # the node's data catalog, for the run log
        if node["kind"] == "export":
            value = evaluate(statement.value, Scope(model, inputs))
            perform_export(statement, value, _may_replace(statement, node))
            update = {}
        else:
            value = evaluate_variable(model, node["name"], inputs)
            update = {value_key(node["name"]): store_value(value, origin(node["name"]))}
    stored = {FILES_KEY: [dataclasses.asdict(use) for use in files]} if files else {}
    return FWAction(update_spec=update, stored_data=stored)


def _may_replace(statement: ir.Export, node: dict[str, Any]) -> bool:
    """Whether the export may replace the file at its path: one textS wrote and recorded
    (the run log's hash, put in the node's spec when it was stored), by ``may_overwrite``."""
    recorded = node.get("recorded_file")
    if statement.kind != "file" or recorded is None:
        return False
    try:
        current: str | None = digest(Path(statement.path).read_bytes())
    except OSError:
        current = None  # no file (or none readable): written anew, exclusively
    return may_overwrite(statement, recorded["sha256"], current, recorded["mode"])


class NodeInputs(Mapping[str, Any]):
    """The values of a node's inputs, decoded when first used.

    A non-strict node runs when its parents have completed *or failed* (FireWorks'
    ``_allow_fizzled_parents``): the value of a failed parent is missing from the spec,
    and only if the evaluation really needs it does the node fail, as its descendants do.
    """

    def __init__(self, node: str, names: list[str], spec: dict[str, Any], decode: Any) -> None:
        self.node = node
        self.names = names
        self.spec = spec
        self.decode = decode

    def __getitem__(self, name: str) -> Any:
        if name not in self.names:
            raise KeyError(name)
        if value_key(name) not in self.spec:
            raise TextsError(
                "Ancestor evaluation error",
                f"Evaluation of {self.node} not possible due to failed ancestors: {name}",
            )
        return self.decode(self.spec[value_key(name)], name)

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


@contextlib.contextmanager
def _working_directory(path: str) -> Iterator[None]:
    """Relative paths in a model (exports, data files) mean the directory the user ran
    the model from, not the launch directory of the node."""
    previous = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def _where(node: dict[str, Any], error: TextsError) -> dict[str, int] | None:
    """The failing span relative to the source text (definition or statement) holding it."""
    if error.span is None:
        return None
    start = 0
    for index, text in enumerate([*node["definitions"], node["source"]]):
        end = start + len(text)
        if start <= error.span.start <= end:
            return {"part": index, "start": error.span.start - start, "end": error.span.end - start}
        start = end + 1  # the parts are joined by line breaks
    return None
