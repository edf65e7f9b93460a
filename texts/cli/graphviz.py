"""``--show-model``: the statements of a program and their dependencies as Graphviz."""

from __future__ import annotations

from pathlib import Path

from texts.interpreter import ir
from texts.interpreter.walk import free_names


def _label(statement: object, program: ir.Program) -> str:
    text = program.source.excerpt(statement.span)  # type: ignore[attr-defined]
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def write_dot(program: ir.Program, path: Path) -> None:
    """Write one node per statement and an edge from each definition to its users."""
    lines = ["digraph model {", "  node [shape=box];"]
    defined: dict[str, int] = {}
    for index, statement in enumerate(program.statements):
        lines.append(f'  s{index} [label="{_label(statement, program)}"];')
        name = getattr(statement, "name", None)
        if isinstance(statement, ir.VarDef | ir.FuncDef) and name:
            defined.setdefault(name, index)
        elif isinstance(statement, ir.Import):
            for imported in statement.names:
                defined.setdefault(imported.name, index)
    for index, statement in enumerate(program.statements):
        for used in dict.fromkeys(use.name for use in free_names(statement)):
            if used in defined:
                lines.append(f"  s{defined[used]} -> s{index};")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
