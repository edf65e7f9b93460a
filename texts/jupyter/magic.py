"""``%load_ext texts`` in IPython or a Python notebook: ``%%texts`` cells and ``%texts``.

``%%texts [-m instant|deferred|workflow] [--autorun] [-u UUID] [-l LAUNCHPAD] ...`` runs a
cell with the flags of ``texts script``. In instant and deferred mode (the default is
instant, as on the command line) the cells of a shell grow one model in memory; in
workflow mode they are inputs of one session on a persistent model, so the session's
``%`` magics work there too. ``%texts STATEMENT_OR_EXPRESSION`` runs in the mode of the
last ``%%texts`` cell and returns a value to Python: of the expression, or of the
variable a definition defines.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class

from texts.grammar.classify import is_statement
from texts.interpreter.errors import TextsError
from texts.jupyter.cells import run_cell
from texts.jupyter.console import CellConsole
from texts.jupyter.memory import MemoryModel
from texts.jupyter.values import to_python, workflow_value
from texts.session.completion import defined_names
from texts.session.session import Session, SessionOptions, option_values
from texts.views.display import Display


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        raise UsageError(f"%%texts: {message}")


def _cell_parser() -> argparse.ArgumentParser:
    # lazily for start-up: a cell imports only what it runs
    from texts.cli.main import MODES, add_run_options  # noqa: PLC0415

    parser = _Parser(prog="%%texts", add_help=False)
    parser.add_argument("-m", "--mode", choices=MODES, default="instant")
    add_run_options(parser)
    return parser


def _stream(name: str, text: str) -> None:
    stream = sys.stderr if name == "stderr" else sys.stdout
    stream.write(text)
    stream.flush()


@magics_class
class TextsMagics(Magics):
    """The state of textS in one IPython shell: the in-memory model and the session."""

    def __init__(self, shell: Any) -> None:
        super().__init__(shell)
        self.console = CellConsole(_stream)
        self.display = _display(shell)
        self.memory = MemoryModel(self.console, print, self.display)
        self.session: Session | None = None
        self.mode = "instant"

    @cell_magic("texts")
    def texts_cell(self, line: str, cell: str) -> None:
        """Run a cell of the language with the command line's flags."""
        args = _cell_parser().parse_args(shlex.split(line))
        self.console.show_warnings = not args.ignore_warnings
        self.mode = args.mode
        try:
            if self.workflow_mode:
                run_cell(self.workflow(args).handle, cell)
            else:
                self.memory.mode = args.mode
                run_cell(self.memory.handle, cell)
        except TextsError as error:
            self.console.error(error)

    @line_magic("texts")
    def texts_line(self, line: str) -> Any:
        """Run one statement or evaluate one expression; return the value to Python."""
        text = line.strip()
        try:
            if is_statement(text):
                self._run(text)
                defined = defined_names([text])
                text = defined.pop() if len(defined) == 1 else ""
            if not text:
                return None
            if self.workflow_mode:
                return to_python(workflow_value(self._session(), text))
            return to_python(self.memory.value(text))
        except TextsError as error:
            self.console.error(error)
            return None

    def _run(self, text: str) -> None:
        (self._session() if self.workflow_mode else self.memory).handle(text)

    @property
    def workflow_mode(self) -> bool:
        return self.mode == "workflow"

    def workflow(self, args: argparse.Namespace) -> Session:
        """The shell's session, with the cell's flags as its options."""
        session = self._session()
        session.with_options(**option_values(args))
        if args.uuid:
            session.switch(args.uuid)
        return session

    def _session(self) -> Session:
        if self.session is None:
            options = SessionOptions(workdir=Path.cwd())
            self.session = Session(options, self.console, print, self.display, prefix="")
        return self.session


def _display(shell: Any) -> Display:
    """Inline images in a notebook; a window or PNG files in a terminal IPython."""
    if getattr(shell, "kernel", None) is not None:
        # lazily for start-up: a cell imports only what it runs
        from IPython.display import publish_display_data  # noqa: PLC0415

        # lazily for start-up: a cell imports only what it runs
        from texts.jupyter.display import notebook_display  # noqa: PLC0415

        return notebook_display(publish_display_data)
    # lazily for start-up: a cell imports only what it runs
    from texts.views.terminal import TerminalDisplay  # noqa: PLC0415

    return TerminalDisplay(Path.cwd(), "texts")
