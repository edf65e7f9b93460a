"""The executors textS comes with, registered by name when first asked for: instant and
deferred (``memory``) and workflow (``workflow.run``, loaded only when a run needs it)."""

from __future__ import annotations

from texts.executors.memory import InMemoryRun
from texts.executors.protocol import Executor, RunContext, register
from texts.interpreter.source import Source


def _workflow(name: str, source: Source, context: RunContext) -> Executor:
    # lazily for start-up: the workflow executor imports FireWorks
    from texts.executors.workflow.run import WorkflowRun

    return WorkflowRun(source, context)


register("instant", InMemoryRun)
register("deferred", InMemoryRun)
register("workflow", _workflow)
