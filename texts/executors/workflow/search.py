"""``%find``: models selected by their tags, their workflow documents or their values.

A query is a dict of the language with up to three keys, each a MongoDB filter written
with the language's values (operators as quoted keys, ``'$in'``, ``'$exists'``, ...):

* ``tags``: on the model's tags; a key ``~name`` means the tag ``name``;
* ``meta``: on the workflow document itself (``state``, ``metadata.uuid``, ...);
* ``data``: on computed values; ``~name`` means the value of variable ``name``. Unlike a
  search of the nodes' inputs, every computed value is seen, used by other nodes or not.

Values are compared in their stored form, so ``300 [K]`` matches a tag written as
``300 [K]`` and not ``26.85 [degC]``.
"""

from __future__ import annotations

from typing import Any

from texts.datastore.documents import to_document
from texts.interpreter.errors import TextsError
from texts.store.workflows import StoredModelDocument, WorkflowStore

QUERY_KEYS = ("tags", "meta", "data")


def find_models(store: WorkflowStore, query: Any) -> list[StoredModelDocument]:
    """The models matching ``query``, most recently updated first."""
    if not isinstance(query, dict) or not query or set(query) - set(QUERY_KEYS):
        raise TextsError("Query error", "query must include tags, meta or data keys")
    tags, meta, data = (_filter(query[key]) if key in query else None for key in QUERY_KEYS)
    return store.find_models(tags, meta, data)


def _filter(conditions: Any) -> dict[str, Any]:
    """A MongoDB filter from a language dict (``~key`` keys are the store's to place)."""
    if not isinstance(conditions, dict):
        raise TextsError("Query error", "each query key must be given a dict of conditions")
    return {key: _operand(value) for key, value in conditions.items()}


def _operand(value: Any) -> Any:
    """Operators keep their shape; tuples become lists; values take their stored form."""
    if isinstance(value, dict):
        return {key: _operand(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_operand(item) for item in value]
    if value is None or isinstance(value, bool | str):
        return value
    return to_document(value)
