"""A record store's schema version: what ``texts db info`` shows, what ``texts db upgrade`` does.

The version says what a store's records mean (see ``recordstore``). An upgrade goes one
version at a time through ``STEPS``: each step adds what the next version needs and says
what it did, and only then is the store given that version. An upgrade that is interrupted
leaves the store at the older version, and running it again repeats the step, which adds
only what is still missing because records are content-addressed.
"""

from __future__ import annotations

from collections.abc import Callable

from texts.provenance.legacy import move_into
from texts.provenance.records import KINDS, Record, RunRecord
from texts.provenance.recordstore import (
    BEFORE_RUN_LOG,
    FILE_RECORDS,
    SCHEMA_VERSION,
    RecordStore,
    newer_store,
)
from texts.store.workflows import WorkflowStore

Backfill = Callable[[WorkflowStore, set[str]], list[Record]]
"""The run records of the stored models that have none (not in the given set), read back
from their workflows: the workflow executor knows how (``runlog.records_from_workflows``)."""
UpgradeStep = Callable[[RecordStore, Backfill], str]
"""Brings a store from its version to the next one; returns what it did, for the user."""


def _backfill_run_log(store: RecordStore, backfill: Backfill) -> str:
    """A store written before the run log has workflows but no records: its models get run
    records read back from their FireWorks documents."""
    workflows = store.workflow_store()
    if workflows is None:
        return "no stored workflows to read"
    logged = {document["model"] for document in store.documents(RunRecord)}
    added = store.add(backfill(workflows, logged))
    count = sum(1 for _ in workflows.models())
    return f"added {added} run log records read from {count} stored workflow(s)"


def _into_database(store: RecordStore, _backfill: Backfill) -> str:
    """Records and cache of an embedded store move from files into ``texts.db``; a
    MongoDB's record collections are indexed (and the cache joins them)."""
    if store.legacy is None:
        return "indexed the record collections"
    moved = move_into(store, store.legacy)
    skipped = f"; skipped {len(moved.skipped)} unreadable file(s)" if moved.skipped else ""
    return (
        f"moved {moved.records} records and {moved.cached} cached values into"
        f" {store.where}{skipped}"
    )


STEPS: dict[int, UpgradeStep] = {
    BEFORE_RUN_LOG: _backfill_run_log,
    FILE_RECORDS: _into_database,
}
"""The upgrade step from each version that is not the current one."""


def describe(store: RecordStore) -> list[str]:
    """Where the store is, its schema version and how many records of each kind it has."""
    return [
        f"store: {store.where}",
        f"schema version: {_version_text(store.version())}",
        *(f"{name} records: {len(store.ids(kind))}" for name, kind in KINDS.items()),
    ]


def _version_text(version: int | None) -> str:
    if version is None:
        return "none yet (new store)"
    if version < SCHEMA_VERSION:
        return f"{version} (older: run texts db upgrade)"
    if version > SCHEMA_VERSION:
        return f"{version} (newer than this textS, which knows {SCHEMA_VERSION}: upgrade textS)"
    return f"{version} (current)"


def upgrade(store: RecordStore, backfill: Backfill) -> list[str]:
    """Bring the store to the current schema version, step by step; what was done, a line
    each. A newer store is refused: this textS cannot know what its records mean."""
    version = store.version()
    if version is None:
        return [f"a new store: nothing to upgrade (it starts at schema version {SCHEMA_VERSION})"]
    if version > SCHEMA_VERSION:
        raise newer_store(store.where, version)
    if version == SCHEMA_VERSION:
        return [f"already at schema version {SCHEMA_VERSION}"]
    done = []
    for step_from in range(version, SCHEMA_VERSION):
        what = STEPS[step_from](store, backfill)
        store.set_version(step_from + 1)
        done.append(
            f"upgraded the store from schema version {step_from} to {step_from + 1}: {what}"
        )
    return done
