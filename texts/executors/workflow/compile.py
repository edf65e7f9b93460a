"""Compile a node's stored source back into IR on the worker that runs it."""

from __future__ import annotations

from typing import Any

from texts.grammar import parse_program
from texts.interpreter import ir
from texts.interpreter.checks.definitions import collect, import_objects
from texts.interpreter.model import Model


def compile_node(node: dict[str, Any]) -> tuple[Model, Any]:
    """The model of a node's definitions and statement, and the statement's IR.

    The text was checked when the model was built, so only what evaluation needs is
    done here: parsing, collecting definitions and importing the ``use`` objects.
    """
    text = "\n".join([*node["definitions"], node["source"]])
    program = parse_program(text, node.get("origin", {}).get("path"))
    model = collect(program)
    import_objects(model)
    statement = program.statements[-1]
    if not isinstance(statement, ir.VarDef | ir.Export):
        raise TypeError("a workflow node holds a variable definition or an export")
    return model, statement
