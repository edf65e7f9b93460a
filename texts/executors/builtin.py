"""The executors textS comes with: instant and deferred (``memory``) and workflow
(``workflow.run``, loaded only when a run needs it)."""

from __future__ import annotations

from texts.executors.memory import InMemoryRun
from texts.executors.protocol import Executor, Factory, RunContext
from texts.interpreter.source import Source


def _workflow(name: str, source: Source, context: RunContext) -> Executor:
    # lazily for start-up: the workflow executor imports FireWorks
    from texts.executors.workflow.run import WorkflowRun  # noqa: PLC0415

    return WorkflowRun(source, context)


BUILTIN: dict[str, Factory] = {
    "instant": InMemoryRun,
    "deferred": InMemoryRun,
    "workflow": _workflow,
}
