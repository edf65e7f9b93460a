"""Where textS keeps its files in a working directory.

A light module of its own: the instant executor needs these names without importing the
workflow engine that shares the directory.
"""

STORE_DIRECTORY_NAME = ".texts"
"""The embedded workflow store, the run records and the result cache of a directory."""

STORE_FILE_NAME = "launchpad.json"
"""FireWorks' embedded store in that directory; its journal and its lock file are named
after it (``launchpad.json.journal``, ``launchpad.json.lock``)."""
JOURNAL_SUFFIX = ".journal"
"""The embedded store's journal is the store file's name with this suffix."""
