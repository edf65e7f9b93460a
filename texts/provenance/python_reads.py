"""Files that imported Python functions read while a node is evaluated.

A node that calls Python code brought in with ``use`` (``read_csv('tensile.csv')``, a
function of the user's own module that opens a data file) depends on those files as much
as on a ``from file`` statement, but which files they are is only known once the code
runs. Python's audit hooks (PEP 578) see every ``open`` of the process; the hook added
here keeps the paths opened for reading while such a call runs, and only then: a context
variable gates it, so the rest of the process (and other threads) pay one lookup per
``open``. When the call returns, each file is reported as a use with its content hash
(``files.note_use``): the run log lists it, and the result cache signs the node with it.

Not seen: files opened by compiled code without Python's ``open`` (HDF5 files through
h5py, for example). Left out: Python modules and the files of installed packages, which
an import or a lazy import opens; their identity is already in the node's signature
through the imported function.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.machinery
import os
import sys
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from texts.provenance.files import FileUse, note_use, observing

_reading: ContextVar[list[str] | None] = ContextVar("texts_python_reads", default=None)
_CHUNK = 1 << 20


@contextlib.contextmanager
def python_reads_reported() -> Iterator[None]:
    """Report the data files that the Python code called within the block reads, when
    the file uses of an evaluation are being observed."""
    if not observing():
        yield
        return
    _add_hook()
    found: list[str] = []
    token = _reading.set(found)
    try:
        yield
    finally:
        _reading.reset(token)
        for path in dict.fromkeys(found):
            if _is_data_file(path):
                note_use(FileUse(path, "r", content_hash(path), by_python=True))


def content_hash(path: str) -> str | None:
    """The SHA-256 of a file's content, read in chunks (``None`` if it cannot be read)."""
    found = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            while chunk := stream.read(_CHUNK):
                found.update(chunk)
    except OSError:
        return None
    return found.hexdigest()


@functools.cache
def _add_hook() -> None:
    """An audit hook cannot be removed: the process gets one, on first use."""
    sys.addaudithook(_audit)


def _audit(event: str, args: tuple[object, ...]) -> None:
    """Keep the path of an ``open`` for reading made while a gated call runs."""
    if event != "open":
        return
    found = _reading.get()
    if found is None:
        return
    path, _mode, flags = args
    if not isinstance(path, str | bytes | os.PathLike) or not isinstance(flags, int):
        return  # an open file descriptor
    if flags & os.O_ACCMODE == os.O_RDONLY:
        try:
            found.append(os.path.abspath(os.fsdecode(path)))
        except (OSError, ValueError):  # no working directory: the open itself will say
            return


def _is_data_file(path: str) -> bool:
    """A regular file that is neither Python code nor part of the installed software."""
    if Path(path).suffix in _CODE_SUFFIXES or not os.path.isfile(path):
        return False
    real = os.path.realpath(path)
    return not any(real.startswith(prefix) for prefix in _installed_prefixes())


_CODE_SUFFIXES = frozenset((*importlib.machinery.all_suffixes(), ".pyc", ".pth"))


_SYSTEM = ("/proc", "/sys", "/dev", "/etc", "/usr", "/lib", "/lib64", "/bin", "/sbin", "/run")
"""Directories of the operating system (a library reads the CPU quota of its cgroup, a
time zone, ...): never a model's data."""


@functools.cache
def _installed_prefixes() -> tuple[str, ...]:
    """The directories of the system, of Python's installation, its packages and textS."""
    # lazily for start-up: only a run that calls Python code while observing files needs it
    import sysconfig  # noqa: PLC0415

    import texts  # noqa: PLC0415

    found = {sys.prefix, sys.base_prefix, sys.exec_prefix, *sysconfig.get_paths().values()}
    found.add(str(Path(texts.__file__).parent))
    if os.name == "posix":
        found.update(_SYSTEM)
    return tuple(os.path.join(os.path.realpath(p), "") for p in found if p)
