"""``--show-model``: the statements of a program and their dependencies as Graphviz.

The graph is written as ``FILE.dot`` beside the model and, when Graphviz's ``dot`` is
installed, drawn as ``FILE.svg`` and ``FILE.png``; what was written is said on standard
error, and the model is not run.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from texts.interpreter import ir
from texts.interpreter.walk import free_names
from texts.paths import shown_path


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


DRAWN_FORMATS = ("svg", "png")
DOT_TIMEOUT_SECONDS = 120


def draw(dot_file: Path) -> list[Path]:
    """The drawings Graphviz made of ``dot_file`` (none when ``dot`` is not installed)."""
    dot = shutil.which("dot")
    if dot is None:
        return []
    drawn = []
    for fmt in DRAWN_FORMATS:
        target = dot_file.with_suffix(f".{fmt}")
        subprocess.run(
            [dot, f"-T{fmt}", str(dot_file), "-o", str(target)],
            check=True,
            capture_output=True,
            timeout=DOT_TIMEOUT_SECONDS,
        )
        drawn.append(target)
    return drawn


def show_model(program: ir.Program, dot_file: Path) -> str:
    """Write the graph (and its drawings); the message that says what was written."""
    write_dot(program, dot_file)
    dot = shown_path(dot_file)
    try:
        drawn = draw(dot_file)
    except (subprocess.SubprocessError, OSError) as error:
        return f"Wrote {dot}; Graphviz could not draw it: {error}"
    if not drawn:
        svg = shown_path(dot_file.with_suffix(".svg"))
        return (
            f"Wrote {dot} (the model was not run). Install Graphviz to get a drawing, "
            f"or run: dot -Tsvg {dot} -o {svg}"
        )
    return f"Wrote {dot}, {' and '.join(map(shown_path, drawn))} (the model was not run)."
