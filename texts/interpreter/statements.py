"""What a statement means beyond its value: the text it stands for, what an export does.

Every executor stores or runs these the same way: a workflow node is compiled from
``definition_text`` on its worker, and an export is performed by ``perform_export``
whether the instant executor or a FireWorks task runs it. Whether an export may replace
the file at its path is decided by one rule, ``may_overwrite``, from the file's content as
textS last wrote it: the run log records the files of every run and mode; the instant
and deferred executors consult it (and their result cache) as they export, a workflow
export node is given what it knows in its spec when the node is stored.
"""

from __future__ import annotations

from typing import Any

from texts.datafiles import write_file, write_url
from texts.interpreter import ir
from texts.interpreter.errors import TextsError
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


REWRITING_MODES = ("force", "ignore")
"""The signature modes that write every export anew, even over a recorded file that was
edited since it was recorded."""


def may_overwrite(
    statement: ir.Export, recorded: str | None, current: str | None, mode: str
) -> bool:
    """Whether an export may replace the file at its path (then atomically).

    ``recorded`` is the content hash of the file as textS wrote and recorded it (``None``:
    textS did not write it), ``current`` the hash of the file there now (``None``: there is
    none). Only a file textS recorded is replaced: unchanged since, or in a mode that
    rewrites everything (``REWRITING_MODES``); a recorded file edited since is an error in
    the other modes. A file textS did not record is never replaced (writing it fails).
    """
    if recorded is None or current is None:
        return False
    if current == recorded or mode in REWRITING_MODES:
        return True
    raise edited_error(statement)


def edited_error(statement: ir.Export) -> TextsError:
    """A recorded export file was edited since: textS does not overwrite it."""
    return TextsError(
        "File exists error",
        f"the file {statement.path!r} was edited since it was recorded: textS does not "
        "overwrite it (remove it, or run with --signature force to write it anew)",
        statement.span,
    )
