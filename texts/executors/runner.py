"""One way to run an input, for every front end: plan, then exports, then prints."""

from __future__ import annotations

from texts.executors.base import RunResult
from texts.executors.protocol import Executor, RunContext
from texts.executors.registry import executor
from texts.interpreter.source import Source


def run_input(mode: str, source: Source, context: RunContext) -> tuple[Executor, RunResult | None]:
    """Run an input with the executor ``mode``: its plan, its computations (exports
    first), then its prints and views. The result is ``None`` when the input had nothing
    to run; errors of checks and exports are raised (``TextsError``), those of prints and
    views are reported and counted in the result."""
    run = executor(mode, source, context)
    if not run.plan():
        return run, None
    run.run()
    return run, run.results() if context.evaluate else RunResult()
