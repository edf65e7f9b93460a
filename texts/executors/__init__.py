"""Executors decide when and where the nodes of a model are evaluated.

They differ only in scheduling, placement and persistence; every one of them computes
values with the shared evaluation core.

Importing the package imports no executor: ``EXECUTORS`` is built on first use, so that a
module below it (the workflow worker's command line, which ``texts --help`` describes)
comes without the evaluation core, NumPy and pint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from texts.executors.base import Executor

__all__ = ["EXECUTORS"]


def __getattr__(name: str) -> dict[str, type[Executor]]:
    """``EXECUTORS``: the executors by the name ``-m`` gives them."""
    if name != "EXECUTORS":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # deliberately lazy (start-up): the evaluation core is imported by the first user
    from texts.executors.deferred import DeferredExecutor  # noqa: PLC0415
    from texts.executors.instant import InstantExecutor  # noqa: PLC0415

    executors: dict[str, type[Executor]] = {
        "instant": InstantExecutor,
        "deferred": DeferredExecutor,
    }
    globals()["EXECUTORS"] = executors
    return executors
