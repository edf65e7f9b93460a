"""What a run tells whoever watches it, and how Ctrl-C reaches a run.

The executors say when a node starts and ends (``started`` / ``finished``) and how many
nodes a run has (``planned``); a front end (the progress line of ``texts``) listens by
installing a ``RunObserver`` with ``observing``. Nothing listens by default, and this
module imports nothing, so the hooks cost an attribute lookup.

Ctrl-C during a run is a request, not an exception: ``interruptible`` installs a handler
whose first call asks the launchers to stop launching (``stop_requested``) while the node
that runs goes on, and whose second call interrupts that node, but only while a node's
own evaluation runs (``evaluating``), never while the store is written.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Protocol


class RunObserver(Protocol):
    def stored(self, uuid: str) -> None:
        """The model is stored under this UUID; nothing is evaluated yet."""

    def planned(self, total: int, done: int = 0) -> None:
        """The run has ``total`` nodes, ``done`` of them complete before it starts."""

    def started(self, name: str) -> None:
        """A node's evaluation starts."""

    def finished(self, name: str, failed: bool = False) -> None:
        """A node's evaluation ended (``failed``: with an error)."""


class _Nobody:
    def stored(self, uuid: str) -> None:
        pass

    def planned(self, total: int, done: int = 0) -> None:
        pass

    def started(self, name: str) -> None:
        pass

    def finished(self, name: str, failed: bool = False) -> None:
        pass


_observers: list[RunObserver] = []
_NOBODY = _Nobody()


def observer() -> RunObserver:
    """Who listens now (an observer that ignores everything when nobody does)."""
    return _observers[-1] if _observers else _NOBODY


def node_started(name: str, node_id: int | None = None) -> None:
    """A node starts; a stored node's id is kept until it ends (to set it back if the run
    is interrupted)."""
    if node_id is not None:
        _interruption.running[node_id] = name
    observer().started(name)


def node_finished(name: str, node_id: int | None = None, failed: bool = False) -> None:
    _interruption.running.pop(node_id, None)
    observer().finished(name, failed)


def unfinished_nodes() -> dict[int, str]:
    """The stored nodes this process started and has not seen end (id -> name)."""
    return dict(_interruption.running)


def note_set_back(name: str) -> None:
    """An interrupted node was set back to run again."""
    _interruption.set_back.append(name)


def set_back_nodes() -> list[str]:
    return list(_interruption.set_back)


@contextlib.contextmanager
def observing(listener: RunObserver) -> Iterator[RunObserver]:
    _observers.append(listener)
    try:
        yield listener
    finally:
        _observers.remove(listener)


class _Interruption:
    """The state of Ctrl-C in this process: how often it was pressed during the run."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.presses = 0
        self.evaluating = 0  # > 0 while a node's own evaluation runs in this process
        self.running: dict[int, str] = {}  # stored nodes started and not yet ended
        self.set_back: list[str] = []  # interrupted nodes set back to run again
        self.on_first: Callable[[], None] = lambda: None
        self.on_second: Callable[[], None] = lambda: None


_interruption = _Interruption()


def stop_requested() -> bool:
    """Whether the user asked the run to stop: launchers start no further node."""
    return _interruption.presses > 0


def interrupted_now() -> bool:
    """Whether the user asked twice: the running nodes were interrupted."""
    return _interruption.presses > 1


@contextlib.contextmanager
def evaluating() -> Iterator[None]:
    """Around a node's evaluation in this process: the one place a second Ctrl-C may
    raise ``KeyboardInterrupt`` (FireWorks records the node as failed by it, and the run
    sets it back to be run again)."""
    _interruption.evaluating += 1
    try:
        yield
    finally:
        _interruption.evaluating -= 1


def on_interrupt(first: Callable[[], None], second: Callable[[], None]) -> None:
    """What the front end does at each press (say what happens next; stop workers)."""
    _interruption.on_first, _interruption.on_second = first, second


def _handler(_signum: int, _frame: FrameType | None) -> None:
    _interruption.presses += 1
    if _interruption.presses == 1:
        _interruption.on_first()
        return
    _interruption.on_second()
    if _interruption.evaluating:
        raise KeyboardInterrupt


@contextlib.contextmanager
def _on_ctrl_c(handler: Callable[[int, FrameType | None], object] | int) -> Iterator[None]:
    """Ctrl-C goes to ``handler`` within the block, and to the previous handler again after
    it; outside the main thread the block runs unchanged (Ctrl-C is not ours to handle)."""
    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Ctrl-C handled as a stop request for the duration of a run (main thread only)."""
    _interruption.reset()
    with _on_ctrl_c(_handler):
        yield


@contextlib.contextmanager
def ignoring_interrupts() -> Iterator[None]:
    """While child processes are started: they ignore Ctrl-C (the parent decides)."""
    with _on_ctrl_c(signal.SIG_IGN):
        yield
