"""Executors decide when and where the nodes of a model are evaluated.

They differ only in scheduling, placement and persistence; every one of them computes
values with the shared evaluation core.
"""

from texts.executors.base import Executor, Reporter, RunResult
from texts.executors.deferred import DeferredExecutor
from texts.executors.instant import InstantExecutor

EXECUTORS: dict[str, type[Executor]] = {
    "instant": InstantExecutor,
    "deferred": DeferredExecutor,
}

__all__ = ["EXECUTORS", "DeferredExecutor", "Executor", "InstantExecutor", "Reporter", "RunResult"]
