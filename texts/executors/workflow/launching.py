"""Running READY nodes: FireWorks' own rocket, in this process, one node at a time.

The embedded store is flushed after every rocket, so a crash loses at most the node that
was running. Each rocket is given the id of a node known to be READY (as ``rlaunch
singleshot --fw_id`` does): FireWorks then looks the node up by id instead of matching a
worker query that lists every wanted id against every node. With a queue adapter, batch
nodes are submitted to the queue instead (``queue``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

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

ROOT_NAME = "_root"
"""The node every model's nodes without inputs wait for (``executor``)."""


def launch_ready(
    launchpad: Any,
    wanted: set[int],
    workdir: Path,
    flush: Callable[[], None],
    jobs: int = 1,
    queue: BatchQueue | None = None,
) -> None:
    """Launch the READY nodes among ``wanted`` until none is left (children become READY
    as their parents complete), in this process or, for ``jobs`` > 1, in that many rocket
    processes (``parallel``). With a ``queue``, the batch nodes are submitted as they
    become READY; what needs their values runs in a later launch, once their jobs ran."""
    batch = queue.batch_ids(launchpad, wanted) if queue is not None else set()
    local = wanted - batch
    _plan(launchpad, local)
    with (
        _launch_directory(workdir) as directory,
        quiet_rockets(),
        open(directory / "rockets.err", "a", encoding="utf-8") as errors,
    ):
        _run_local(launchpad, local, flush, jobs, errors)
        while queue is not None and (submitted := _unless_stopped(ready_ids(launchpad, batch))):
            for fw_id in submitted:
                queue.submit(launchpad, fw_id)
                flush()
            # a node completed from a duplicate's results may have made local nodes READY
            _run_local(launchpad, local, flush, jobs, errors)
    if stop_requested():
        _set_back_interrupted(launchpad, flush)


def _run_local(
    launchpad: Any, wanted: set[int], flush: Callable[[], None], jobs: int, errors: IO[str]
) -> None:
    from fireworks import FWorker
    from fireworks.core.rocket_launcher import launch_rocket

    if jobs > 1:
        from texts.executors.workflow.parallel import launch_parallel

        if ready_ids(launchpad, wanted):
            launch_parallel(launchpad, wanted, jobs, flush)
        return
    worker = FWorker(name="texts")
    while not stop_requested() and (ready := ready_ids(launchpad, wanted)):
        for fw_id in ready:
            if stop_requested():
                return
            name = launchpad.fireworks.find_one({"fw_id": fw_id}, {"name": 1})["name"]
            shown = name != ROOT_NAME  # the root computes nothing: not a node to count
            if shown:
                node_started(name, fw_id)
            launch_rocket(launchpad, worker, fw_id=fw_id, strm_lvl="CRITICAL", err_file=errors)
            flush()
            state = launchpad.fireworks.find_one({"fw_id": fw_id}, {"state": 1})["state"]
            if shown and not (state == "FIZZLED" and interrupted_now()):
                node_finished(name, fw_id, failed=state == "FIZZLED")


def _set_back_interrupted(launchpad: Any, flush: Callable[[], None]) -> None:
    """After Ctrl-C: the nodes that were running when it came (ended by it, or still
    marked running) are set back to run again (FireWorks' rerun), so that none is left
    failed without a reason of its own and ``texts script -u UUID -r`` runs them."""
    for fw_id, name in unfinished_nodes().items():
        node = launchpad.fireworks.find_one({"fw_id": fw_id}, {"state": 1})
        if node is not None and node["state"] in ("RUNNING", "FIZZLED", "RESERVED"):
            launchpad.rerun_fw(fw_id)
            note_set_back(name)
    flush()


def _unless_stopped(ready: list[int]) -> list[int]:
    return [] if stop_requested() else ready


def _plan(launchpad: Any, wanted: set[int]) -> None:
    """Tell the observer how many nodes this launch has and how many are complete."""
    nodes = list(
        launchpad.fireworks.find(
            {"fw_id": {"$in": sorted(wanted)}, "name": {"$ne": ROOT_NAME}}, {"state": 1}
        )
    )
    done = sum(node["state"] == "COMPLETED" for node in nodes)
    observer().planned(len(nodes), done)


def ready_ids(launchpad: Any, wanted: set[int]) -> list[int]:
    """The READY nodes among ``wanted``, in id order."""
    ready = launchpad.fireworks.find({"state": "READY"}, {"fw_id": 1})
    return sorted(doc["fw_id"] for doc in ready if doc["fw_id"] in wanted)


@contextlib.contextmanager
def quiet_rockets() -> Iterator[None]:
    """Launch in-process without FireWorks' console chatter, its ping thread or FW.json.

    The rocket logs every step at INFO on the console and starts a thread that pings the
    launch; the ping detects lost runs of remote workers, but here the rocket runs in this
    process, and the embedded store must only be used from one thread. The copy of each
    node that it writes to ``FW.json`` in the shared launch directory is overwritten by the
    next node: the store holds the node anyway.
    """
    from fireworks.core import rocket

    saved = rocket.ROCKET_STREAM_LOGLEVEL, rocket.start_ping_launch, rocket.PRINT_FW_JSON
    rocket.ROCKET_STREAM_LOGLEVEL = "CRITICAL"
    rocket.start_ping_launch = lambda *_args: None
    rocket.PRINT_FW_JSON = False
    try:
        yield
    finally:
        rocket.ROCKET_STREAM_LOGLEVEL, rocket.start_ping_launch, rocket.PRINT_FW_JSON = saved


@contextlib.contextmanager
def _launch_directory(workdir: Path) -> Iterator[Path]:
    """Rockets run in ``.texts/launches`` (FireWorks writes its files there), not in the
    user's directory; relative paths of exports are resolved against the user's directory."""
    directory = Path(workdir).absolute() / LAUNCHES_DIRECTORY
    directory.mkdir(parents=True, exist_ok=True)
    previous = os.getcwd()
    os.chdir(directory)
    try:
        yield directory
    finally:
        os.chdir(previous)
