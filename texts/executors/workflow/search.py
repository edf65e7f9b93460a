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

from texts.executors.workflow.task import value_key
from texts.executors.workflow.values import to_document
from texts.interpreter.errors import TextsError

QUERY_KEYS = ("tags", "meta", "data")


def find_models(launchpad: Any, query: Any) -> list[dict[str, Any]]:
    """The workflow documents of the models matching ``query``, most recently updated first."""
    if not isinstance(query, dict) or not query or set(query) - set(QUERY_KEYS):
        raise TextsError("Query error", "query must include tags, meta or data keys")
    conditions: list[dict[str, Any]] = []
    if "tags" in query:
        conditions.append(_filter(query["tags"], "metadata.texts.tag."))
    if "meta" in query:
        conditions.append(_filter(query["meta"], ""))
    if "data" in query:
        conditions.append({"metadata.uuid": {"$in": _models_with_values(launchpad, query["data"])}})
    return list(launchpad.workflows.find({"$and": conditions}, sort=[("updated_on", -1)]))


def _models_with_values(launchpad: Any, data: Any) -> list[str]:
    condition = _filter(data, "action.update_spec." + value_key(""))
    fw_ids = {
        launch["fw_id"]
        for launch in launchpad.launches.find({**condition, "state": "COMPLETED"}, {"fw_id": 1})
    }
    nodes = launchpad.fireworks.find({"fw_id": {"$in": sorted(fw_ids)}}, {"spec._texts.model": 1})
    return sorted({node["spec"]["_texts"]["model"] for node in nodes})


def _filter(conditions: Any, tilde: str) -> dict[str, Any]:
    """A MongoDB filter from a language dict; ``~key`` becomes ``<tilde>key``."""
    if not isinstance(conditions, dict):
        raise TextsError("Query error", "each query key must be given a dict of conditions")
    return {
        (tilde + key[1:] if key.startswith("~") else key): _operand(value)
        for key, value in conditions.items()
    }


def _operand(value: Any) -> Any:
    """Operators keep their shape; tuples become lists; values take their stored form."""
    if isinstance(value, dict):
        return {key: _operand(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_operand(item) for item in value]
    if value is None or isinstance(value, bool | str):
        return value
    return to_document(value)
