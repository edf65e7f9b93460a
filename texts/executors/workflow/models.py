"""Stored models: find one by UUID and extend its program text with a new input."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from texts.interpreter.errors import TextsError
from texts.interpreter.source import Source


@dataclass
class StoredModel:
    """A model in the workflow database: its UUID, statements, nodes and root node."""

    uuid: str
    statements: list[str]
    fw_ids: dict[str, int] = field(default_factory=dict)
    root: int | None = None
    new_from: int = 0  # offset in the extended source where the new input starts

    def extended(self, source: Source) -> Source:
        """The stored statements followed by a new input, each part keeping its own
        positions: errors in the new input point at the user's file."""
        stored = "\n".join(self.statements)
        self.new_from = len(stored) + 1 if stored else 0
        text = f"{stored}\n{source.text}" if stored else source.text
        parts = ((0, f"<model {self.uuid}>"), (self.new_from, source.path))
        return Source(text, source.path, parts if stored else ())


def find_model(launchpad: Any, uuid: str) -> StoredModel:
    """The stored model with this UUID: ``Model not found`` if there is none."""
    workflow = launchpad.workflows.find_one({"metadata.uuid": uuid})
    if workflow is None:
        raise TextsError("Model not found", f"uuid {uuid}")
    model = StoredModel(uuid, list(workflow["metadata"].get("texts", {}).get("statements", [])))
    for node in launchpad.fireworks.find(
        {"fw_id": {"$in": workflow["nodes"]}}, {"fw_id": 1, "spec._texts": 1}
    ):
        spec = node["spec"]["_texts"]
        if spec["kind"] == "root":
            model.root = node["fw_id"]
        elif spec["kind"] == "variable":
            model.fw_ids[spec["name"]] = node["fw_id"]
    return model
