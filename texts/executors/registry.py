"""Executors by name: the built-in ones, and any a plug-in registers."""

from __future__ import annotations

from texts.executors.builtin import BUILTIN
from texts.executors.protocol import Executor, Factory, RunContext
from texts.interpreter.source import Source

_REGISTRY: dict[str, Factory] = dict(BUILTIN)


def register(name: str, factory: Factory) -> None:
    """Make ``factory`` the executor of mode ``name``."""
    _REGISTRY[name] = factory


def executor(name: str, source: Source, context: RunContext) -> Executor:
    """The executor ``name`` for one input."""
    return _REGISTRY[name](name, source, context)
