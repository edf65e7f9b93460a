"""The workflow stores that put values into a datastore, and their references.

A datastore directory is shared by every working directory of a user, each with its own
embedded store, and possibly by MongoDB databases: a file no longer referenced by one
store may still be referenced by another. Writers therefore register their store with
the backend (``Origin.store``, from ``texts.store.workflows.value_home``), and ``gc``
reads the references of all of them. An identity never holds credentials: a MongoDB
database is named by its hosts and name.
"""

from __future__ import annotations

from texts.datastore.records import is_record
from texts.store.workflows import WorkflowStore


def referenced_files(store: WorkflowStore) -> set[tuple[str, str]]:
    """``(location, file)`` of every record in the live values of a workflow store: the
    inputs in the nodes' specs and the outputs of their current (not archived) launches."""
    return {
        (str(value.get("location")), str(value.get("file")))
        for value in store.live_value_documents()
        if is_record(value)
    }
