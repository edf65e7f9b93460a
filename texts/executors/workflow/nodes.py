"""The mapping from a checked model to FireWorks: one Firework per variable and export."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from typing import Any

from texts.executors.workflow.queue import resource_request
from texts.grammar.loader import GRAMMAR_VERSION
from texts.interpreter import ir
from texts.interpreter.model import Model
from texts.interpreter.statements import definition_text
from texts.interpreter.walk import descendants
from texts.serialization import SCHEMA_VERSION


@dataclass(frozen=True)
class NodePlan:
    """What one Firework computes: its statement, what it needs and what it provides."""

    key: str  # the variable name, or 'export:<index>' for an export
    statement: ir.VarDef | ir.Export
    inputs: tuple[str, ...]
    after: tuple[str, ...] = ()  # nodes that must run first without providing a value


def plan_nodes(model: Model) -> list[NodePlan]:
    """The persisted nodes of a model, in source order; prints and views are not stored.

    As in the other executors, exports happen before anything reads a file: a variable
    that reads a data file runs after every export of its model that does not need it
    (an export of a value computed from the file it reads cannot wait for it).
    """
    plans = []
    exports = [s for s in model.program.statements if isinstance(s, ir.Export)]
    export_keys = [f"export:{index}" for index in range(len(exports))]
    needs = [set(model.closure(model.variables_used_by(export))) for export in exports]
    for statement in model.program.statements:
        if isinstance(statement, ir.VarDef):
            variable = model.variables[statement.name]  # as updated by ':=' in this input
            after: tuple[str, ...] = ()
            if _reads_files(variable):
                after = tuple(
                    key
                    for key, needed in zip(export_keys, needs, strict=True)
                    if statement.name not in needed
                )
            inputs = model.inputs.get(statement.name, ())
            plans.append(NodePlan(statement.name, variable, inputs, after))
        elif isinstance(statement, ir.Export):
            key = export_keys[exports.index(statement)]
            plans.append(NodePlan(key, statement, model.variables_used_by(statement)))
    return plans


def lenient_nodes(model: Model) -> set[str]:
    """The variables that run even when an input failed: the non-strict ones (``?``) and
    everything they may use.

    A non-strict variable may not need a failed input (``if(c, 1, x) ?`` with ``c`` true),
    so it must not wait for it forever; nor for a variable waiting on a failure further
    up. These nodes run after failed parents (FireWorks' ``_allow_fizzled_parents``) and
    fail themselves, as an ancestor error, only if they really need a failed value.
    """
    nonstrict = [name for name, variable in model.variables.items() if variable.nonstrict]
    return set(model.closure(nonstrict)) if nonstrict else set()


def _reads_files(statement: ir.VarDef) -> bool:
    return any(isinstance(node, ir.FromSource) for node in descendants(statement.value))


def definitions_used(model: Model, statement: object) -> list[str]:
    """Source of the imports and functions a statement needs, functions transitively."""
    sources: dict[int, str] = {}
    for name in model.definitions_used(statement):
        if name in model.functions:
            function = model.functions[name]
            sources[function.span.start] = model.source.excerpt(function.span)
        else:
            sources.update(_import_source(model, name))
    return [sources[start] for start in sorted(sources)]


def _import_source(model: Model, name: str) -> dict[int, str]:
    imported = model.imports[name]
    module, _, attribute = imported.dotted.rpartition(".")
    return {imported.span.start: f"from {module} use {attribute}"}


def node_spec(model: Model, plan: NodePlan, model_uuid: str) -> dict[str, Any]:
    """The ``_texts`` part of a Firework's spec: everything a worker needs to compute it."""
    statement = plan.statement
    line, column = model.source.line_col(statement.span.start)
    spec: dict[str, Any] = {
        "name": plan.key,
        "uuid": uuid.uuid4().hex,
        "kind": "export" if isinstance(statement, ir.Export) else "variable",
        "source": definition_text(model, statement),
        "definitions": definitions_used(model, statement),
        "inputs": list(plan.inputs),
        "workdir": os.getcwd(),
        "origin": {"path": model.source.path, "line": line, "column": column},
        "model": model_uuid,
        "grammar_version": GRAMMAR_VERSION,
        "schema_version": SCHEMA_VERSION,
    }
    if isinstance(statement, ir.VarDef) and statement.resources is not None:
        spec["resources"] = resource_request(statement.resources)  # a batch node's request
    return spec
