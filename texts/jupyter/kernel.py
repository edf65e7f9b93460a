"""The textS Jupyter kernel: notebook cells as inputs of one interactive session.

The kernel is a thin front end over :class:`texts.session.session.Session`, the object
behind ``texts session``: a cell's statements are added to the session's persistent
workflow model, its expressions are printed, its ``%`` lines are the session's magics.
Prints go to the cell's standard output, warnings and errors to its standard error, plots
of ``view`` statements are shown inline as PNG images.

Evaluation is on by default, and on demand: a cell's prints show values, never ``n.c.``,
and only what they need is computed, as in a model file run with ``texts``. The
reference kernel starts with evaluation off, and its users were puzzled by ``n.c.``
where a value was expected. ``%stop`` turns evaluation off (``%start`` back on) and
``%on_demand off`` computes every new definition at once, for long computations that
should start before anything prints them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ipykernel.kernelbase import Kernel

from texts import __version__
from texts.jupyter.cells import run_cell
from texts.jupyter.console import CellConsole
from texts.jupyter.display import notebook_display
from texts.jupyter.install import FILE_EXTENSION, LANGUAGE, MIME_TYPE
from texts.session.completion import complete
from texts.session.session import Session, SessionOptions, is_complete


def kernel_options() -> SessionOptions:
    """The session a notebook starts with: evaluation on, on demand (see the module)."""
    return SessionOptions(autorun=True, on_demand=True, workdir=Path.cwd())


class TextsKernel(Kernel):
    implementation = "texts"
    implementation_version = __version__
    language = LANGUAGE
    language_version = __version__
    language_info = {  # noqa: RUF012 - the attribute Jupyter reads
        "name": LANGUAGE,
        "mimetype": MIME_TYPE,
        "file_extension": FILE_EXTENSION,
        "pygments_lexer": "texts",  # texts/lexer.py: notebooks highlight cells with it
    }
    banner = "textS: models in notebook cells. Type %help for help."

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.console = CellConsole(self.stream)
        self.silent = False
        self.texts_session = Session(
            kernel_options(),
            self.console,
            lambda text: self.stream("stdout", text + "\n"),
            notebook_display(self.publish),
            prefix="",
        )

    def stream(self, name: str, text: str) -> None:
        if not self.silent:
            self.send_response(self.iopub_socket, "stream", {"name": name, "text": text})

    def publish(self, data: dict[str, Any], metadata: dict[str, Any]) -> None:
        if not self.silent:
            content = {"data": data, "metadata": metadata, "transient": {}}
            self.send_response(self.iopub_socket, "display_data", content)

    async def do_execute(  # type: ignore[override]
        self,
        code: str,
        silent: bool,
        store_history: bool = True,
        user_expressions: dict[str, Any] | None = None,
        allow_stdin: bool = False,
        **_cell: Any,
    ) -> dict[str, Any]:
        """Run the cell's inputs; the reply names the first error, if any."""
        self.silent = silent
        self.console.start_cell()
        running = run_cell(self.texts_session.handle, code)
        if self.console.failures:
            first = self.console.failures[0]
            return {
                "status": "error",
                "execution_count": self.execution_count,
                "ename": first.label,
                "evalue": first.detail,
                "traceback": [],
            }
        payload = [] if running else [{"source": "ask_exit", "keepkernel": False}]
        return {
            "status": "ok",
            "execution_count": self.execution_count,
            "payload": payload,
            "user_expressions": {},
        }

    async def do_complete(self, code: str, cursor_pos: int) -> dict[str, Any]:  # type: ignore[override]
        matches, start = complete(code, cursor_pos, self.texts_session.model_names())
        return {
            "status": "ok",
            "matches": matches,
            "cursor_start": start,
            "cursor_end": cursor_pos,
            "metadata": {},
        }

    async def do_is_complete(self, code: str) -> dict[str, Any]:  # type: ignore[override]
        if is_complete(code) or code.lstrip().startswith("%"):
            return {"status": "complete"}
        return {"status": "incomplete", "indent": ""}

    async def do_shutdown(self, restart: bool) -> dict[str, Any]:  # type: ignore[override]
        if self.texts_session.background is not None:
            self.texts_session.background.stop()
        return {"status": "ok", "restart": restart}
