"""Running READY nodes: FireWorks' own rocket, in this process, one node at a time.

The store is flushed after every rocket, so a crash loses at most the node that was
running. Each rocket is given the id of a node known to be READY (as ``rlaunch
singleshot --fw_id`` does): FireWorks then looks the node up by id instead of matching a
worker query that lists every wanted id against every node. With a queue adapter, batch
nodes are submitted to the queue instead (``queue``).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from fireworks import FWorker
from fireworks.core.rocket_launcher import launch_rocket

from texts.executors.workflow.parallel import launch_parallel
from texts.executors.workflow.queue import LAUNCHES_DIRECTORY, BatchQueue
from texts.run_events import (
    interrupted_now,
    node_finished,
    node_started,
    note_set_back,
    observer,
    stop_requested,
    unfinished_nodes,
)
from texts.store.compat import quiet_rockets
from texts.store.errors import StoreError
from texts.store.layout import ROOT_NAME
from texts.store.workflows import WorkflowStore


def launch_ready(
    store: WorkflowStore,
    wanted: set[int],
    workdir: Path,
    jobs: int = 1,
    queue: BatchQueue | None = None,
) -> None:
    """Launch the READY nodes among ``wanted`` until none is left (children become READY
    as their parents complete), in this process or, for ``jobs`` > 1, in that many rocket
    processes (``parallel``). With a queue, the batch nodes are submitted as they
    become READY; what needs their values runs in a later launch, once their jobs ran.
    After Ctrl-C (``run_events.stop_requested``) nothing more is launched or submitted,
    and the nodes it interrupted are set back to run again."""
    batch = store.with_resources(wanted) if queue is not None else set()
    local = wanted - batch
    names = _plan(store, local)
    with (
        _launch_directory(store, workdir) as directory,
        quiet_rockets(),
        _error_log(directory / "rockets.err") as errors,
    ):
        _run_local(store, local, names, jobs, errors)
        while queue is not None and (submitted := _unless_stopped(store.ready(batch))):
            for fw_id in submitted:
                queue.submit(store, fw_id)
                store.flush()
            # a node completed from a duplicate's results may have made local nodes READY
            _run_local(store, local, names, jobs, errors)
    if stop_requested():
        _set_back_interrupted(store)


def _error_log(path: Path) -> IO[str]:
    """The file the rockets write their errors to, opened to append."""
    try:
        return open(path, "a", encoding="utf-8")  # closed by the caller's with
    except OSError as error:
        advice = ": texts keeps a file there, move the directory aside" if path.is_dir() else ""
        raise StoreError(
            f"The rockets' error log {path} cannot be written: {error.strerror or error}{advice}."
        ) from None


def _run_local(
    store: WorkflowStore, wanted: set[int], names: dict[int, str], jobs: int, errors: IO[str]
) -> None:
    if jobs > 1:
        if store.ready(wanted):
            launch_parallel(store, wanted, jobs)
        return
    worker = FWorker(name="texts")
    while not stop_requested() and (ready := store.ready(wanted)):
        for fw_id in ready:
            if stop_requested():
                return
            name = names.get(fw_id, ROOT_NAME)
            shown = name != ROOT_NAME  # the root computes nothing: not a node to count
            if shown:
                node_started(name, fw_id)
            launch_rocket(
                store.launchpad, worker, fw_id=fw_id, strm_lvl="CRITICAL", err_file=errors
            )
            store.flush()
            state = store.state(fw_id)
            if shown and not (state == "FIZZLED" and interrupted_now()):
                node_finished(name, fw_id, failed=state == "FIZZLED")


def _set_back_interrupted(store: WorkflowStore) -> None:
    """After Ctrl-C: the nodes that were running when it came (ended by it, or still
    marked running) are set back to run again (FireWorks' rerun), so that none is left
    failed without a reason of its own and ``texts script -u UUID -r`` runs them."""
    unfinished = unfinished_nodes()
    for fw_id, (state, _) in store.states(unfinished).items():
        if state in ("RUNNING", "FIZZLED", "RESERVED"):
            store.change_state(fw_id, "rerun")
            note_set_back(unfinished[fw_id])
    store.flush()


def _unless_stopped(ready: list[int]) -> list[int]:
    return [] if stop_requested() else ready


def _plan(store: WorkflowStore, wanted: set[int]) -> dict[int, str]:
    """Tell the observer how many nodes this launch has and how many are complete; the
    names of the nodes (the root's is ``ROOT_NAME``)."""
    names = store.names(wanted)
    counted = {fw_id for fw_id, name in names.items() if name != ROOT_NAME}
    states = store.states(counted)
    done = sum(state == "COMPLETED" for state, _ in states.values())
    observer().planned(len(counted), done)
    return names


@contextlib.contextmanager
def _launch_directory(store: WorkflowStore, workdir: Path) -> Iterator[Path]:
    """Rockets run in a directory of their own (FireWorks writes its files there), not in
    the user's: ``.texts/launches`` beside the embedded store, a temporary directory for a
    MongoDB (nothing is written to the working directory's ``.texts``). Relative paths of
    exports are resolved against the user's directory."""
    previous = os.getcwd()
    with contextlib.ExitStack() as stack:
        if store.is_embedded:
            directory = Path(workdir).absolute() / LAUNCHES_DIRECTORY
            directory.mkdir(parents=True, exist_ok=True)
        else:
            directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="texts-")))
        os.chdir(directory)
        try:
            yield directory
        finally:
            os.chdir(previous)
