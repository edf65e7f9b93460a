"""``texts worker``: what a batch job runs to compute the one node reserved for it.

The job's script (written by FireWorks' queue launcher, see ``queue``) changes to the
node's launch directory and runs ``texts worker --workdir DIR [-l FILE] singleshot --fw_id
N``. The worker opens the same store as the run that submitted the node, waiting for its
lock (that run may still hold it when a queue starts the job at once), runs the node with
FireWorks' rocket, which takes over the reservation, and closes the store, which flushes it
and releases the lock. The node's output goes to ``FW_job.out``/``FW_job.error`` of the
launch directory, as with FireWorks' own launchers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from texts.store.errors import StoreError


def add_worker_parser(commands: Any) -> None:
    """The ``worker`` sub-command; no help line: users do not run it themselves."""
    worker = commands.add_parser("worker", description="Run one reserved workflow node.")
    worker.add_argument("--workdir", required=True, help="the directory the model was run from")
    worker.add_argument("-l", "--launchpad-file", help="the MongoDB the node is stored in")
    worker.add_argument(
        "mode",
        choices=["singleshot"],
        help="run one node (the word rlaunch uses, as FireWorks requires for reserved nodes)",
    )
    worker.add_argument("--fw_id", "--fw-id", dest="fw_id", type=int, required=True)


def run_worker(args: argparse.Namespace) -> int:
    """Run the node; the status is 1 when the store cannot be opened or the node was not
    waiting for a job (cancelled or run meanwhile)."""
    # lazily for start-up: the command line builds this module's parser on every run
    from fireworks import FWorker  # noqa: PLC0415

    # lazily for start-up: it imports fireworks, numpy, pymongo
    from fireworks.core.rocket_launcher import launch_rocket  # noqa: PLC0415

    # lazily for start-up: it imports fireworks, numpy, pymongo
    from fireworks.utilities.fw_utilities import redirect_local  # noqa: PLC0415

    # lazily for start-up: it imports fireworks, numpy, mongomock
    from texts.store.compat import quiet_rockets  # noqa: PLC0415

    # lazily for start-up: it imports fireworks, numpy, mongomock
    from texts.store.workflows import open_workflow_store  # noqa: PLC0415

    try:
        store = open_workflow_store(args.launchpad_file, Path(args.workdir))
    except StoreError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 1
    try:
        with quiet_rockets(), redirect_local():
            ran = launch_rocket(
                store.launchpad, FWorker(name="texts"), fw_id=args.fw_id, strm_lvl="CRITICAL"
            )
    finally:
        store.close()
    if not ran:
        print(f"Node {args.fw_id} is not waiting to run; nothing was run.", file=sys.stderr)
        return 1
    return 0
