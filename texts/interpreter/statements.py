"""What a statement means beyond its value: the text it stands for, what an export does.

Every executor stores or runs these the same way: a workflow node is compiled from
``definition_text`` on its worker, and an export is performed by ``perform_export``
whether the instant executor or a FireWorks task runs it.
"""

from __future__ import annotations

from typing import Any

from texts.datafiles import write_file, write_url
from texts.interpreter import ir
from texts.interpreter.model import Model
from texts.interpreter.source import Span


def definition_text(model: Model, statement: ir.VarDef | ir.Export) -> str:
    """The text of a statement as the model now defines it: as written, or for a variable
    redefined with ``:=``, ``name = value`` (the redefinition replaces the definition)."""
    if isinstance(statement, ir.VarDef) and statement.name in model.updated:
        value = model.source.excerpt(Span(statement.value.span.start, statement.span.end))
        return f"{statement.name} = {value}"
    return model.source.excerpt(statement.span)


def perform_export(statement: ir.Export, value: Any, replace: bool = False) -> None:
    """Write an export's value to its file or URL (``to file``, ``to url``). An existing
    file is replaced only with ``replace``: the executor found it to be a file textS wrote
    and recorded (see ``texts.provenance.reuse``)."""
    if statement.kind == "file":
        write_file(value, statement.path, replace)
    else:
        write_url(value, statement.path)
