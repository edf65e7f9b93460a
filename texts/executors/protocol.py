"""The one protocol every executor follows.

An executor takes one input (a source text) and runs it in three steps: ``plan`` parses
and checks it and decides what to compute (the workflow executor stores it as workflows);
``run`` computes, exports first; ``results`` evaluates the prints and views and returns
what they show. ``texts.executors.runner`` drives the steps for every front end (the
command line, the session, the notebook kernel and the IPython magic), so "exports, then
prints" is written once. Executors are looked up by name in ``registry``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from texts.executors.base import Reporter, RunResult
from texts.interpreter.model import Model
from texts.interpreter.source import Source

if TYPE_CHECKING:
    from texts.executors.workflow.executor import WorkflowOptions
    from texts.executors.workflow.models import StoredModel
    from texts.provenance.recordstore import RecordStore
    from texts.provenance.reuse import Decision
    from texts.store.workflows import WorkflowStore


@dataclass
class RunContext:
    """What an input runs with, beyond its text."""

    check: Callable[[Source, str], Model | None]  # (source, mode) -> checked model
    report: Reporter
    warn: Callable[[str], None]
    workdir: Path = field(default_factory=Path.cwd)
    on_source: Callable[[Source], None] = lambda _source: None  # errors refer to this text
    evaluate: bool = True  # False: store and export, but evaluate no print
    # instant and deferred
    records: RecordStore | None = None  # the run log and the result cache (None: neither)
    signature: str = "default"
    # workflow
    store: WorkflowStore | None = None
    options: WorkflowOptions | None = None
    active: StoredModel | None = None


class Executor(Protocol):
    """One input run by one executor (see the module)."""

    header: str | None  # what the output frame starts with (workflow: the model's UUID)

    @property
    def uuid(self) -> str | None:
        """The stored model the input went to (``None``: nothing is stored)."""

    def plan(self) -> bool:
        """Parse, check and decide what to compute; ``False`` when there is nothing to run."""

    def run(self) -> None:
        """Compute what the policy asks, exports first; a failed export raises."""

    def results(self) -> RunResult:
        """The prints' lines and the views' data (errors reported on the way)."""

    def decisions(self) -> list[Decision]:
        """For ``--verbose``: what happened to each node and why."""


Factory = Callable[[str, Source, RunContext], Executor]
"""Makes an executor of a mode for one input."""
