"""The result cache of the instant and deferred executors, beside the run records.

A computed value is kept as a value record of the run log (the form the workflow database
uses: inline, or for a large value the record of the file the offloading datastore wrote),
content-addressed: its id is the hash of its content. The cache maps a node's signature to
that id, and every value read back is checked against its id, so no row of the database,
forged or damaged, can hand a node the value of another one. Per model file the cache also
remembers the signature parts each node had when it last ran, so that a rerun can say
*what* changed.

Writes go into the store's open transaction; they are committed in batches (a run commits
what it cached at least every ``COMMIT_SECONDS`` and when it finishes), so caching costs
no fsync per node and a crash loses at most the last batch, which is computed again.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from texts.interpreter.errors import TextsError
from texts.provenance.records import ValueRecord, record_id
from texts.provenance.signature import digest
from texts.store.errors import DamagedRecord, StoreError

if TYPE_CHECKING:
    from texts.provenance.recordstore import RecordStore

MISSING = object()
"""What :meth:`ResultCache.value` returns when nothing is stored for a signature."""
COMMIT_SECONDS = 0.5
"""The longest time cached values wait in the open transaction."""


class ResultCache:
    """Values by signature, and each model's last signature parts by node; with no
    records (``None``: the store could not be opened) nothing is cached."""

    def __init__(self, records: RecordStore | None) -> None:
        self.records = records
        self.failure: StoreError | None = None  # why caching stopped (a full disk, ...)
        self._committed = time.monotonic()

    def value(self, signature: str, name: str) -> Any:
        """The stored value of variable ``name``, ``MISSING``, or an error if the entry does
        not match its content hash. An offloaded value whose file is gone (``texts
        datastore gc`` does not know the cache) is ``MISSING``: it is computed again."""
        # lazily for start-up: the value codecs import NumPy and the datastore
        from texts.datastore.documents import from_document  # noqa: PLC0415

        # lazily for start-up: it imports numpy
        from texts.datastore.offloading import Origin  # noqa: PLC0415

        if self.records is None:
            return MISSING
        value_id = self.records.database.cached_value_id(signature)
        if value_id is None:
            return MISSING
        try:
            found = list(self.records.documents(ValueRecord, [value_id]))
        except DamagedRecord as error:
            raise TextsError(
                "Signature error", f"the cached value of {name} cannot be trusted: {error}"
            ) from None
        if not found:
            return MISSING
        if record_id(found[0]) != value_id:
            raise TextsError(
                "Signature error",
                f"the cached value of {name} in {self.records.where} does not match its"
                " content hash",
            )
        try:
            return from_document(found[0]["data"], Origin(name))
        except TextsError:
            return MISSING

    def store(self, signature: str, name: str, value: Any) -> bool:
        """Keep a value; ``False`` when it has no stored form (it is then recomputed)."""
        # lazily for start-up: it imports numpy
        from texts.datastore.documents import store_value  # noqa: PLC0415

        # lazily for start-up: it imports numpy
        from texts.datastore.offloading import Origin  # noqa: PLC0415

        if self.records is None:
            return False
        try:
            record = ValueRecord(store_value(value, Origin(name)))
            document = record.document()
        except (TypeError, ValueError, TextsError):
            return False
        database = self.records.database
        try:
            database.put_records("value", [document])
            database.cache_values({signature: document["_id"]})
            if time.monotonic() - self._committed > COMMIT_SECONDS:
                self.commit()
        except StoreError as error:  # the run goes on without the cache
            self.failure, self.records = error, None
            return False
        return True

    def commit(self) -> None:
        if self.records is not None:
            self.records.database.commit()
        self._committed = time.monotonic()

    def nodes(self, model_key: str) -> dict[str, dict[str, Any]]:
        """What each node of a model was when it last ran (nothing for a new model)."""
        if self.records is None:
            return {}
        nodes = self.records.database.model_nodes(model_cache_key(model_key))
        if not isinstance(nodes, dict) or not all(map(_is_node_entry, nodes.values())):
            return {}  # none, or damaged: the nodes are then new to the cache
        return nodes

    def record_nodes(self, model_key: str, nodes: dict[str, dict[str, Any]]) -> None:
        if self.records is not None:
            self.records.database.set_model_nodes(model_cache_key(model_key), nodes)
            self.commit()


def model_cache_key(model_key: str) -> str:
    """The key a model file's node parts are kept under (that of the earlier cache files)."""
    return digest(model_key)[:32]


def _is_node_entry(entry: object) -> bool:
    """What :meth:`ResultCache.record_nodes` keeps of a node: its signature and parts."""
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("signature"), str)
        and isinstance(entry.get("parts", {}), dict)
    )
