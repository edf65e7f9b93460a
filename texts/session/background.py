"""Background evaluation (``%async on`` with ``%start``): a thread that runs the READY
nodes of the session's models every few seconds while the user keeps typing.

It takes the session's lock for each turn, so it never uses the store at the same time
as an input; between turns the store is closed and other processes can use it.
"""

from __future__ import annotations

import threading
from typing import Any

from texts.executors.workflow.launching import launch_ready
from texts.executors.workflow.models import find_group, find_model
from texts.interpreter.errors import TextsError


class BackgroundEvaluation:
    """Runs the active model's group every ``sleep_seconds`` until stopped."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stopped.clear()
        self._thread = threading.Thread(target=self._loop, name="texts-background", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Ask the thread to end and wait for the node it is running, if any."""
        self._stopped.set()
        if self._thread is not None:
            self._thread.join()
        self._thread = None

    def _loop(self) -> None:
        while not self._stopped.is_set():
            try:
                self.run_once()
            except TextsError as error:
                self.session.console.error(error)
            self._stopped.wait(self.session.options.sleep_seconds)

    def run_once(self) -> None:
        """One turn: every READY node of the group (or what the policy wants) runs; with a
        qadapter, batch nodes are submitted and their dependants run in a later turn."""
        uuid = self.session.uuid
        if uuid is None:
            return
        queue = self.session.queue()
        with self.session.store() as store:
            members = find_group(store, find_model(store, uuid))
            wanted = {
                fw_id
                for member in members
                for fw_id in [*member.fw_ids.values(), member.root]
                if fw_id is not None
            }
            workdir = self.session.options.workdir
            launch_ready(store, wanted, workdir, queue=queue)
