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
    """A file (or URL) read (``r``) or written (``w``), with the hash of its content;
    ``by_python`` when an imported Python function opened it (see ``python_reads``)."""

    path: str
    mode: str
    sha256: str | None
    by_python: bool = False


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


def observing() -> bool:
    """Whether file uses are being collected (outside an observation nothing is kept)."""
    return _observed.get() is not None


def note_file(path: str, mode: str, content: bytes | None) -> None:
    """Report a use of ``path`` (a file path, made absolute, or a URL) with its content."""
    if _observed.get() is None:
        return
    where = path if "://" in path else os.path.abspath(path)
    note_use(FileUse(where, mode, None if content is None else hashlib.sha256(content).hexdigest()))


def note_use(use: FileUse) -> None:
    """Report a file use whose content hash is already known."""
    uses = _observed.get()
    if uses is not None:
        uses.append(use)
