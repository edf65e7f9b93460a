"""Where a notebook cell's warnings and errors go: the cell's standard error stream.

The console remembers the errors of the current cell, so the kernel can answer a cell
that failed with an error reply (``ename`` the label, ``evalue`` location and message).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from texts.interpreter.errors import TextsError
from texts.interpreter.source import Source

Stream = Callable[[str, str], None]
"""Writes text to a stream by name: ``stdout`` or ``stderr``."""


@dataclass(frozen=True)
class Failure:
    """One error of a cell as a Jupyter error reply names it."""

    label: str
    detail: str


class CellConsole:
    """The ``Output`` of sessions and runs in a notebook."""

    def __init__(self, stream: Stream) -> None:
        self.stream = stream
        self.source: Source | None = None
        self.show_warnings = True
        self.failures: list[Failure] = []

    def start_cell(self) -> None:
        self.failures.clear()

    def warn(self, message: str) -> None:
        if self.show_warnings:
            self.stream("stderr", f"Warning: {message}\n")

    def error(self, error: TextsError) -> None:
        detail = error.render(self.source, pointed=False)  # the reply: location and message
        self.failures.append(Failure(error.label, detail.removeprefix(f"{error.label}: ")))
        self.stream("stderr", error.render(self.source) + "\n")
