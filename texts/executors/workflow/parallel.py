"""Running independent READY nodes in parallel (``-j N``) with FireWorks' multi-launcher.

FireWorks runs N rocket processes that share one LaunchPad through its ``DataServer`` (a
``multiprocessing`` manager): each process runs ``rapidfire`` on a proxy whose calls execute
in the server. ``launch_multiprocess`` starts that server in a *new process* holding a copy
of the LaunchPad, which is right for MongoDB but not for the embedded store: mongomock lives
in this process's memory, so the server's writes would never reach it nor its file.

So we use the multi-launcher's pieces: the same ``DataServer`` class and registration, but
its server runs in threads of this process (``compat.serve_in_threads``), serving *our*
LaunchPad; the rocket processes are started by FireWorks'
``start_rockets`` and run ``rapidfire_process`` unchanged. The served LaunchPad is wrapped so
that its methods run one at a time (mongomock is not thread-safe, and the server handles
each rocket process in a thread of its own), and the store is flushed after every completed
launch, so a crash still loses only the nodes that were running. The same code serves a
real MongoDB LaunchPad, where the flush does nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from fireworks import FWorker, LaunchPad
from fireworks.features.multi_launcher import start_rockets
from fireworks.fw_config import DS_PASSWORD

from texts.run_events import (
    ignoring_interrupts,
    interrupted_now,
    node_finished,
    node_started,
    stop_requested,
)
from texts.store.compat import serve_in_threads
from texts.store.layout import ROOT_NAME
from texts.store.workflows import WorkflowStore

_REFUSED_WHEN_STOPPING: dict[str, Any] = {"checkout_fw": (None, None), "run_exists": False}
"""After Ctrl-C the rocket processes find nothing more to run and end after their node."""
RAPIDFIRE_SLEEP_SECONDS = 0.2
"""How long an idle rocket process waits before looking again for nodes whose parents ran."""


class SerialLaunchPad:
    """A LaunchPad whose public methods run one at a time, flushing after each completion.

    The ``DataServer``'s proxy exposes what ``dir`` lists, so ``dir`` lists the LaunchPad's
    public names and attribute access hands out locked calls.
    """

    def __init__(self, launchpad: LaunchPad, flush: Callable[[], None]) -> None:
        self._launchpad: LaunchPad | None = launchpad
        self._flush = flush
        self._lock = threading.Lock()
        self._running: dict[int, tuple[str, int]] = {}  # launch id -> node name and id

    def __dir__(self) -> list[str]:
        return [name for name in dir(self._launchpad) if not name.startswith("_")]

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._launchpad, name)
        if not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                if name in _REFUSED_WHEN_STOPPING and stop_requested():
                    return _REFUSED_WHEN_STOPPING[name]
                result = attribute(*args, **kwargs)
                if name == "complete_launch":
                    self._flush()
                self._tell(name, args, result)
                return result

        return call

    def _tell(self, name: str, args: tuple[Any, ...], result: Any) -> None:
        """The observer hears of each node a rocket process takes and completes."""
        if name == "checkout_fw" and result and result[0] is not None:
            if result[0].name == ROOT_NAME:
                return
            firework, launch_id = result
            self._running[launch_id] = (firework.name, firework.fw_id)
            node_started(firework.name, firework.fw_id)
        elif name == "complete_launch" and args and args[0] in self._running:
            state = args[2] if len(args) > 2 else "COMPLETED"
            node, fw_id = self._running.pop(args[0])
            node_finished(node, fw_id, failed=state == "FIZZLED")

    def release(self) -> None:
        """Forget the LaunchPad: the server's threads may outlive the run."""
        self._launchpad = None


def launch_parallel(store: WorkflowStore, wanted: set[int], jobs: int) -> None:
    """Run the READY nodes among ``wanted`` (and those that become READY) in ``jobs`` rocket
    processes, each launch in a new directory under the current one, until none is left."""
    served = SerialLaunchPad(store.launchpad, store.flush)
    port = serve_in_threads(served, DS_PASSWORD)
    worker = FWorker(name="texts", query={"fw_id": {"$in": sorted(wanted)}})
    try:
        with ignoring_interrupts():  # the rocket processes leave Ctrl-C to this process
            processes = start_rockets(
                worker,
                nlaunches=0,
                sleep=RAPIDFIRE_SLEEP_SECONDS,
                loglvl="CRITICAL",
                port=port,
                node_lists=[None] * jobs,
                sub_nproc_list=[1] * jobs,
                running_ids_dict={},
                local_redirect=True,  # each node's output in FW_job.out/.error of its launch
            )
        _wait(processes)
    finally:
        served.release()


def _wait(processes: list[Any]) -> None:
    """Until every rocket process ended; a second Ctrl-C ends them at once (their nodes are
    then set back to run again, see ``launching``)."""
    while any(process.is_alive() for process in processes):
        if interrupted_now():
            for process in processes:
                process.terminate()
        for process in processes:
            process.join(timeout=0.2)
