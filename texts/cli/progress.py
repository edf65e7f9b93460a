"""What ``texts`` shows on standard error while a model runs, and how Ctrl-C ends a run.

* The model's UUID, as soon as the model is stored (before anything is evaluated), so a
  long run can be found and resumed from another terminal.
* On a terminal, a live progress line (tqdm): nodes complete/total, running, failed, the
  elapsed time and the node now running. It appears only when a run lasts longer than
  ``DELAY_SECONDS``, is erased before any other message and when the run ends, and is
  never written to standard output or when standard error is not a terminal.
* Ctrl-C in workflow mode: the first stops launching (the running node finishes), the
  second interrupts the running node, which is set back to run again; the run then says
  what was kept and how to resume, and ``texts`` exits with status 130.

``--quiet`` turns off the UUID line and the progress line.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator
from typing import Any, TextIO

from texts import run_events

DELAY_SECONDS = 1.0
"""Runs shorter than this show no progress line."""
REFRESH_SECONDS = 0.5
INTERRUPTED_STATUS = 130  # 128 + SIGINT, as shells report a process ended by Ctrl-C


class RunProgress:
    """Listens to a run: counts its nodes, and draws the line when asked to."""

    def __init__(self, stream: TextIO, quiet: bool, live: bool, announce: bool = True) -> None:
        self.stream = stream
        self.quiet = quiet
        self.announce = announce and not quiet
        self.total: int | None = None
        self.done = 0
        self.failed = 0
        self.running: list[str] = []
        self.uuid: str | None = None
        self._line: Any = None
        self._refresher: threading.Thread | None = None
        self._shown = False
        self._stop_refresh = threading.Event()
        if live and not quiet:
            self._open_line()

    # ---- RunObserver

    def stored(self, uuid: str) -> None:
        self.uuid = uuid
        if self.announce:
            with self.above():
                print(f"Model UUID: {uuid}", file=self.stream, flush=True)

    def planned(self, total: int, done: int = 0) -> None:
        self.total, self.done = total, done
        self._redraw()

    def started(self, name: str) -> None:
        self.running.append(name)
        self._redraw()

    def finished(self, name: str, failed: bool = False) -> None:
        if name in self.running:
            self.running.remove(name)
        if failed:
            self.failed += 1
        else:
            self.done += 1
        self._redraw()

    # ---- the line

    def _open_line(self) -> None:
        # lazily for start-up: tqdm only when a progress line is drawn
        from tqdm import tqdm  # noqa: PLC0415

        self._line = tqdm(
            file=self.stream,
            delay=DELAY_SECONDS,  # (the refresh thread waits as long before drawing)
            leave=False,
            dynamic_ncols=True,
            bar_format="{desc} [{elapsed}]",
        )
        self._refresher = threading.Thread(target=self._refresh, name="texts-progress", daemon=True)
        self._refresher.start()

    def describe(self) -> str:
        total = "?" if self.total is None else str(self.total)
        parts = [f"{self.done}/{total} nodes done", f"{len(self.running)} running"]
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.running:
            parts.append(f"now: {self.running[-1]}")
        return ", ".join(parts)

    def _redraw(self) -> None:
        if self._line is not None:
            self._line.set_description_str(self.describe(), refresh=False)

    def _refresh(self) -> None:
        """Redraw the line (its clock moves while a node runs), once the run has lasted
        ``DELAY_SECONDS``."""
        if self._stop_refresh.wait(DELAY_SECONDS):
            return
        self._shown = True
        while True:
            self._line.refresh()
            if self._stop_refresh.wait(REFRESH_SECONDS):
                return

    @contextlib.contextmanager
    def above(self) -> Iterator[None]:
        """Write a message: the line is erased first and drawn again after."""
        line = self._line
        if line is None or not self._shown:
            yield
            return
        with line.get_lock():
            line.clear()
            yield
            line.refresh()

    def close(self) -> None:
        self._stop_refresh.set()
        if self._refresher is not None:
            self._refresher.join()
            self._refresher = None
        if self._line is not None:
            if self._shown:
                self._line.clear()  # tqdm does not know that its line was drawn
            self._line.close()
            self._line = None


_current: list[RunProgress] = []


def message_above(write: Any) -> None:
    """Call ``write()`` with the progress line (if any) out of its way."""
    if not _current:
        write()
        return
    with _current[-1].above():
        write()


@contextlib.contextmanager
def shown_progress(
    quiet: bool, stream: TextIO | None = None, announce: bool = True
) -> Iterator[RunProgress]:
    """Listen to the run within; the live line only on a terminal; ``announce``: say the
    model's UUID once it is stored."""
    stream = stream or sys.stderr
    progress = RunProgress(stream, quiet, live=is_terminal(stream), announce=announce)
    _current.append(progress)
    try:
        with run_events.observing(progress):
            yield progress
    finally:
        _current.remove(progress)
        progress.close()


def is_terminal(stream: TextIO) -> bool:
    """Whether a stream is a terminal (a closed or replaced stream is not)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@contextlib.contextmanager
def interrupt_handling(progress: RunProgress, jobs: int) -> Iterator[None]:
    """Ctrl-C as a request to stop (see the module's docstring), said on standard error."""

    def first() -> None:
        what = "the running nodes finish" if jobs > 1 else "the running node finishes"
        _say(
            progress,
            f"Stopping: no further node is started; {what} (Ctrl-C again to interrupt it now).",
        )

    def second() -> None:
        _say(progress, "Interrupting the running node: it will run again when resumed.")

    with run_events.interruptible():
        run_events.on_interrupt(first, second)
        yield


def _say(progress: RunProgress, text: str) -> None:
    with progress.above():
        print(text, file=progress.stream, flush=True)


def stopped_summary(progress: RunProgress, uuid: str) -> list[str]:
    """What a run stopped by Ctrl-C kept, and the command that resumes it."""
    total = "?" if progress.total is None else progress.total
    lines = [f"Stopped by Ctrl-C: {progress.done} of {total} nodes are complete and kept."]
    if progress.failed:
        lines.append(f"{progress.failed} failed with their own errors (texts models show {uuid}).")
    set_back = run_events.set_back_nodes()
    if set_back:
        lines.append(f"Interrupted and set back to run again: {', '.join(set_back)}.")
    lines.append(f"Resume with: texts script -u {uuid} -r")
    return lines
