"""Stored models: find one (and its group) by UUID and extend its program text with an input."""

from __future__ import annotations

import uuid as uuids
from dataclasses import dataclass, field
from typing import Any

from texts.executors.workflow.groups import Row, assignments
from texts.interpreter.errors import TextsError
from texts.interpreter.source import Source


@dataclass
class StoredModel:
    """A model of the workflow database, or one about to be created (``root`` is ``None``).

    ``statements`` are the persisted statements in the order they were entered (for a new
    model: the statements it is seeded with, e.g. the model a ``vary`` row was copied
    from); ``vary`` is the model's parameter row, kept apart from the statements so that a
    copy with other parameters is the same statements with another row.
    """

    uuid: str
    group: str
    statements: list[str] = field(default_factory=list)
    vary: Row = field(default_factory=dict)
    tags: dict[str, Any] = field(default_factory=dict)
    fw_ids: dict[str, int] = field(default_factory=dict)
    root: int | None = None
    statements_from: int = 0  # offset in the extended source where the statements start
    new_from: int = 0  # offset in the extended source where the new input starts

    @classmethod
    def new(
        cls, group: str | None = None, seed: StoredModel | None = None, vary: Row | None = None
    ) -> StoredModel:
        """A model to create: empty, or a copy of ``seed``'s statements and tags."""
        return cls(
            uuids.uuid4().hex,
            group or uuids.uuid4().hex,
            list(seed.statements) if seed else [],
            dict(vary or {}),
            dict(seed.tags) if seed else {},
        )

    @property
    def is_stored(self) -> bool:
        return self.root is not None

    def extended(self, source: Source) -> Source:
        """The model's parameters and statements followed by a new input, each part keeping
        its own positions: errors in the new input point at the user's file."""
        parts: list[tuple[str, str | None]] = []
        if self.vary:
            parts.append((assignments(self.vary), f"<vary of model {self.uuid}>"))
        if self.statements:
            parts.append(("\n".join(self.statements), f"<model {self.uuid}>"))
        offsets = []
        text = ""
        for part_text, _ in parts:
            offsets.append(len(text))
            text += part_text + "\n"
        self.statements_from = offsets[-1] if self.statements else len(text)
        self.new_from = len(text)
        if not parts:
            return source
        offsets.append(self.new_from)
        paths = [path for _, path in parts] + [source.path]
        return Source(text + source.text, source.path, tuple(zip(offsets, paths)))


def find_model(launchpad: Any, uuid: str) -> StoredModel:
    """The stored model with this UUID: ``Model not found`` if there is none."""
    workflow = launchpad.workflows.find_one({"metadata.uuid": uuid})
    if workflow is None:
        raise TextsError("Model not found", f"uuid {uuid}")
    return stored_model(launchpad, workflow)


def find_group(launchpad: Any, model: StoredModel) -> list[StoredModel]:
    """The models of ``model``'s group, ``model`` first, the others in creation order."""
    others = launchpad.workflows.find(
        {"metadata.g_uuid": model.group, "metadata.uuid": {"$ne": model.uuid}},
        sort=[("created_on", 1)],
    )
    return [model, *(stored_model(launchpad, workflow) for workflow in others)]


def stored_model(launchpad: Any, workflow: dict[str, Any]) -> StoredModel:
    """The model a workflow document holds (``launchpad`` may be its database too)."""
    metadata = workflow["metadata"]
    texts = metadata.get("texts", {})
    model = StoredModel(
        metadata["uuid"],
        metadata.get("g_uuid") or metadata["uuid"],
        list(texts.get("statements", [])),
        dict(texts.get("vary", {})),
        dict(texts.get("tag", {})),
    )
    for node in launchpad.fireworks.find(
        {"fw_id": {"$in": workflow["nodes"]}}, {"fw_id": 1, "spec._texts": 1}
    ):
        spec = node["spec"]["_texts"]
        if spec["kind"] == "root":
            model.root = node["fw_id"]
        elif spec["kind"] == "variable":
            model.fw_ids[spec["name"]] = node["fw_id"]
    return model
