"""Where texts keeps its own data in FireWorks' documents.

A node's Firework holds what a worker needs under ``spec._texts``; a computed value travels
to the children in the launch's ``update_spec`` under ``texts:<name>`` (never a FireWorks
``_`` key); the files a node read and wrote are kept in the launch's ``stored_data``. A
model is a workflow whose ``metadata`` holds its UUID, its group's and, under
``metadata.texts``, its statements, parameter row and tags.
"""

from __future__ import annotations

SPEC_KEY = "_texts"
VALUE_PREFIX = "texts:"
FILES_KEY = "texts_files"


def value_key(name: str) -> str:
    """Where a node's value is kept in its launch (and its children's specs)."""
    return VALUE_PREFIX + name
