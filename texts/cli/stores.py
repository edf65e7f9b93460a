"""The workflow store as the commands that only read it see it: they open an existing
store, and in a directory without one they create nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from texts.interpreter.errors import TextsError


def store_exists(launchpad_file: str | None, workdir: Path) -> bool:
    """Whether there is a store to read: a database named by a launchpad file (given or
    configured for FireWorks), or an embedded store in ``workdir``."""
    from texts.executors.workflow.mongodb import configured_launchpad_file
    from texts.executors.workflow.store import STORE_FILE_NAME
    from texts.paths import STORE_DIRECTORY_NAME

    if launchpad_file or configured_launchpad_file():
        return True
    return (workdir / STORE_DIRECTORY_NAME / STORE_FILE_NAME).exists()


@contextmanager
def opened_store(
    launchpad_file: str | None, workdir: Path, create: bool = False
) -> Iterator[tuple[Any, Callable[[], None]] | None]:
    """The LaunchPad and its flush, closed afterwards; ``None`` when there is no store and
    ``create`` is false (nothing is created)."""
    from texts.executors.workflow.mongodb import LaunchpadError
    from texts.executors.workflow.store import StoreError, open_launchpad

    if not create and not store_exists(launchpad_file, workdir):
        yield None
        return
    try:
        launchpad, store = open_launchpad(launchpad_file, workdir)
    except (LaunchpadError, StoreError) as error:
        raise TextsError("Configuration error", str(error)) from None
    try:
        yield launchpad, (store.flush if store is not None else lambda: None)
    finally:
        if store is not None:
            store.close()
