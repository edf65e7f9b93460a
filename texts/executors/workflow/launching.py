"""Running READY nodes: FireWorks' own rocket, in this process, one node at a time.

The embedded store is flushed after every rocket, so a crash loses at most the node that
was running.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def launch_ready(
    launchpad: Any, wanted: set[int], workdir: Path, flush: Callable[[], None]
) -> None:
    """Launch the READY nodes among ``wanted`` until none is left (children become READY
    as their parents complete)."""
    from fireworks import FWorker
    from fireworks.core.rocket_launcher import launch_rocket

    worker = FWorker(name="texts", query={"fw_id": {"$in": sorted(wanted)}})
    ready = {"fw_id": {"$in": sorted(wanted)}, "state": "READY"}
    with (
        _launch_directory(workdir) as directory,
        _quiet_rockets(),
        open(directory / "rockets.err", "a", encoding="utf-8") as errors,
    ):
        while launchpad.fireworks.count_documents(ready):
            launch_rocket(launchpad, worker, strm_lvl="CRITICAL", err_file=errors)
            flush()


@contextlib.contextmanager
def _quiet_rockets() -> Iterator[None]:
    """Launch in-process without FireWorks' console chatter or its ping thread.

    The rocket logs every step at INFO on the console and starts a thread that pings the
    launch; the ping detects lost runs of remote workers, but here the rocket runs in this
    process, and the embedded store must only be used from one thread.
    """
    from fireworks.core import rocket

    saved = rocket.ROCKET_STREAM_LOGLEVEL, rocket.start_ping_launch
    rocket.ROCKET_STREAM_LOGLEVEL = "CRITICAL"
    rocket.start_ping_launch = lambda *_args: None
    try:
        yield
    finally:
        rocket.ROCKET_STREAM_LOGLEVEL, rocket.start_ping_launch = saved


@contextlib.contextmanager
def _launch_directory(workdir: Path) -> Iterator[Path]:
    """Rockets run in ``.texts/launches`` (FireWorks writes its files there), not in the
    user's directory; relative paths of exports are resolved against the user's directory."""
    directory = Path(workdir).absolute() / ".texts" / "launches"
    directory.mkdir(parents=True, exist_ok=True)
    previous = os.getcwd()
    os.chdir(directory)
    try:
        yield directory
    finally:
        os.chdir(previous)
