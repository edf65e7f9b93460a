"""Where textS keeps its files in a working directory, and how it prints a path.

A light module of its own: the instant executor needs these names without importing the
workflow engine that shares the directory.
"""

from os import PathLike
from pathlib import Path

STORE_DIRECTORY_NAME = ".texts"
"""The embedded workflow store, the run records and the result cache of a directory."""

STORE_FILE_NAME = "launchpad.json"
"""FireWorks' embedded store in that directory; its journal and its lock file are named
after it (``launchpad.json.journal``, ``launchpad.json.lock``)."""
JOURNAL_SUFFIX = ".journal"
"""The embedded store's journal is the store file's name with this suffix."""


def shown_path(path: str | PathLike[str]) -> str:
    """A path as textS prints it: relative to the working directory when it lies under it
    (as the user typed it and as the documentation shows it), otherwise as it is."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:  # outside the working directory, or a relative path already
        return str(path)
