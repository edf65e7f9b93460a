"""Writing a file so that a crash leaves either the old or the new content, never a mix."""

from __future__ import annotations

import contextlib
import os
import pathlib
import tempfile


def write_atomically(path: pathlib.Path, data: bytes, durable: bool = True) -> None:
    """Replace ``path`` by ``data`` through a temporary file and a rename.

    ``durable`` also fsyncs the file and its directory, so the new content survives a
    power cut, not only a process crash; caches that can be rebuilt skip that cost.
    """
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    if durable:
        fsync_directory(path.parent)


def fsync_directory(directory: pathlib.Path) -> None:
    """Make a rename or a new file in ``directory`` survive a power cut, not only a crash."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
