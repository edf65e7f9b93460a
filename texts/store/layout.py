"""Where texts keeps its own data in FireWorks' documents.

A model is a workflow: a root node (``_root``) and a node per variable and export. A
node's Firework holds what a worker needs under ``spec._texts``; a computed value travels
to the children in the launch's ``update_spec`` under ``texts:<name>`` (never a FireWorks
``_`` key); the files a node read and wrote are kept in the launch's ``stored_data``. The
workflow's ``metadata`` holds the model's UUID, its group's and, under ``metadata.texts``,
its statements, parameter row, tags and the model file it was created from.
"""

from __future__ import annotations

SPEC_KEY = "_texts"
VALUE_PREFIX = "texts:"
FILES_KEY = "texts_files"
ROOT_NAME = "_root"
"""The node of a model that every node without inputs waits for; it computes nothing."""


def value_key(name: str) -> str:
    """Where a node's value is kept in its launch (and its children's specs)."""
    return VALUE_PREFIX + name
