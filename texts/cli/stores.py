"""The workflow store as the commands that only read it see it: they open an existing
store, and in a directory without one they create nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from texts.interpreter.errors import TextsError
from texts.store.errors import StoreError
from texts.store.workflows import WorkflowStore, open_workflow_store, workflow_store_exists


@contextmanager
def opened_store(
    launchpad_file: str | None, workdir: Path, create: bool = False
) -> Iterator[WorkflowStore | None]:
    """The workflow store, closed afterwards; ``None`` when there is none and ``create``
    is false (nothing is created). A store that cannot be opened is a ``Configuration
    error``."""
    if not create and not workflow_store_exists(launchpad_file, workdir):
        yield None
        return
    try:
        store = open_workflow_store(launchpad_file, workdir)
    except StoreError as error:
        raise TextsError("Configuration error", str(error)) from None
    with store:
        yield store
