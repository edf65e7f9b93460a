"""Stored models: find one (and its group) by UUID and extend its program text with an input."""

from __future__ import annotations

import uuid as uuids
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from texts.grammar import parse_source
from texts.interpreter import ir
from texts.interpreter.checks import check_program
from texts.interpreter.errors import TextsError
from texts.interpreter.model import Model
from texts.interpreter.source import Source
from texts.interpreter.vary import Row, assignments, definition_value
from texts.store.errors import ModelNotFound
from texts.store.workflows import StoredModelDocument, WorkflowStore


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
    reshaped: bool = False  # statements left for the row (``promote``), not only appended

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

    @classmethod
    def of(cls, document: StoredModelDocument) -> StoredModel:
        """The model a store holds."""
        return cls(
            document.uuid,
            document.group,
            list(document.statements),
            dict(document.vary),
            dict(document.tags),
            dict(document.fw_ids),
            document.root,
        )

    def document(self) -> StoredModelDocument:
        return StoredModelDocument(self.uuid, self.group, self.statements, self.vary, self.tags)

    @property
    def is_stored(self) -> bool:
        return self.root is not None

    def defines(self, names: Collection[str]) -> set[str]:
        """Which of ``names`` the model's statements define as variables."""
        parsed = (self._parsed(text)[0] for text in self.statements)
        return {s.name for s in parsed if isinstance(s, ir.VarDef) and s.name in names}

    def promote(self, names: Collection[str]) -> None:
        """Make the stored definitions ``name = literal`` of ``names`` the model's row, as a
        ``vary`` of a variable the model defines does: they leave the statements, so that
        the copies with other rows define each name once. The node keeps its value and
        signature (the same statement, now from the row). ``Vary error`` if one is not
        a plain literal."""
        kept = []
        for text in self.statements:
            statement, source = self._parsed(text)
            if isinstance(statement, ir.VarDef) and statement.name in names:
                self.vary[statement.name] = definition_value(statement, source)
            else:
                kept.append(text)
        self.statements = kept
        self.reshaped = True

    def _parsed(self, text: str) -> tuple[ir.Statement, Source]:
        """One stored statement, parsed on its own."""
        source = Source(text, f"<model {self.uuid}>")
        return parse_source(source).statements[0], source

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


def find_model(store: WorkflowStore, uuid: str) -> StoredModel:
    """The stored model with this UUID: ``Model not found`` if there is none."""
    try:
        return StoredModel.of(store.model(uuid))
    except ModelNotFound:
        raise TextsError("Model not found", f"uuid {uuid}") from None


def find_group(store: WorkflowStore, model: StoredModel) -> list[StoredModel]:
    """The models of ``model``'s group, ``model`` first, the others in creation order."""
    return [model, *map(StoredModel.of, store.group_of(model.document()))]


def checked_model(stored: StoredModel) -> Model | None:
    """The checked model of a stored model's statements (``None`` if they fail a check:
    a model stored by an older textS)."""
    try:
        source = stored.extended(Source("", f"<model {stored.uuid}>"))
        return check_program(parse_source(source), "workflow", lambda _warning: None)
    except TextsError:
        return None
