"""Which files a node reads and writes, seen as it happens.

The data catalog of the run log must hold the files a node really used, including those
named by a computed path, so the file functions report every read and write here and the
executor (or the workflow task) collects what one node's evaluation reported. Outside an
observation nothing is kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class FileUse:
    """A file (or URL) read (``r``) or written (``w``), with the hash of its content."""

    path: str
    mode: str
    sha256: str | None


_observed: ContextVar[list[FileUse] | None] = ContextVar("texts_observed_files", default=None)


@contextlib.contextmanager
def observed_files() -> Iterator[list[FileUse]]:
    """Collect the file uses reported while the block runs (nested blocks see their own)."""
    uses: list[FileUse] = []
    token = _observed.set(uses)
    try:
        yield uses
    finally:
        _observed.reset(token)


def note_file(path: str, mode: str, content: bytes | None) -> None:
    """Report a use of ``path`` (a file path, made absolute, or a URL) with its content."""
    uses = _observed.get()
    if uses is None:
        return
    where = path if "://" in path else os.path.abspath(path)
    uses.append(
        FileUse(where, mode, None if content is None else hashlib.sha256(content).hexdigest())
    )
