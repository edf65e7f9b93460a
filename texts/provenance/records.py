"""The records of the run log, defined once: run, node, value, file and code identity.

Every record is a document whose ``_id`` is the hash of its content. Storing a record
twice therefore stores it once, so import and sync are idempotent without comparing
fields, and a record is never updated in place: a run that ends adds a second run record
(the same run id, its final status and end time); it does not change the first.

A node record names what it was made from by hash: its inputs by their node hashes, its
value and its code identity by their record ids. Values and code identities are shared by
every node and run that has them, and stored once.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from texts.provenance.signature import digest


@dataclass(frozen=True)
class Record:
    """What every record kind shares: its kind, its collection and its content id."""

    kind: ClassVar[str]
    collection: ClassVar[str]

    @property
    def id(self) -> str:
        return record_id(self.content())

    def content(self) -> dict[str, Any]:
        """The record's fields as plain data (``asdict`` would deep-copy every value)."""
        fields = {spec.name: getattr(self, spec.name) for spec in dataclasses.fields(self)}
        return {"kind": self.kind, **fields}

    def document(self) -> dict[str, Any]:
        """The stored form: the content with its id."""
        content = self.content()
        return {"_id": record_id(content), **content}

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> Self:
        """The record a stored document of this kind holds."""
        return cls(**_fields(cls, document))


def record_id(content: dict[str, Any]) -> str:
    """The hash of a record's content (every field but ``_id``, keys sorted)."""
    fields = {key: value for key, value in content.items() if key != "_id"}
    return digest(json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str))


@dataclass(frozen=True)
class CodeIdentity(Record):
    """The code that computed something: the model file's repository state and the
    versions of textS, Python and the libraries that computed values."""

    kind: ClassVar[str] = "code"
    collection: ClassVar[str] = "texts_code"

    texts: str
    python: str
    libraries: dict[str, str]
    git: dict[str, Any] | None  # repository, commit, clean; None outside a repository


@dataclass(frozen=True)
class Attempt:
    """One try at computing a node (a workflow node that is rerun has several)."""

    start: str  # ISO 8601, UTC
    end: str | None
    duration: float | None  # seconds
    status: str  # success, fail, or processing when the try never ended
    error: str | None = None  # 'Label: message' of a failed try


@dataclass(frozen=True)
class RunRecord(Record):
    """One run of a model: the state it started in, or its final state."""

    kind: ClassVar[str] = "run"
    collection: ClassVar[str] = "texts_runs"

    run: str  # the run id
    model: str  # the model UUID
    model_hash: str  # a hash of the model's definitions (order and layout do not count)
    model_file: str | None
    executor: str
    status: str  # processing, success or fail
    started: str
    ended: str | None
    cached: bool  # some results of the run were reused from earlier runs
    rerun_of: str | None  # the first run of the same model with the same definitions
    tag: dict[str, Any]
    code: str  # CodeIdentity id
    workdir: str


@dataclass(frozen=True)
class NodeRecord(Record):
    """What one node of a run was: its definition, inputs, value and attempts."""

    kind: ClassVar[str] = "node"
    collection: ClassVar[str] = "texts_nodes"

    run: str
    name: str  # the variable, or 'export:<index>'
    hash: str  # the node's signature; for a volatile node a hash of run and name
    definition: str  # the statement as it was when computed
    line: int | None  # where the statement was in the model file
    inputs: dict[str, str]  # input name -> its node hash
    status: str  # success, fail or waiting
    cached: bool
    attempts: list[Attempt] = field(default_factory=list)
    value: str | None = None  # ValueRecord id
    code: str | None = None  # CodeIdentity id
    imports: dict[str, str] = field(default_factory=dict)  # imported package -> version
    # the file the statement was written in when it is not the run's model file
    file: str | None = None

    def content(self) -> dict[str, Any]:
        content = super().content()
        content["attempts"] = [dataclasses.asdict(attempt) for attempt in self.attempts]
        if self.file is None:  # the record of a statement of the model file, as it always was
            del content["file"]
        return content

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> Self:
        values = _fields(cls, document)
        values["attempts"] = [Attempt(**attempt) for attempt in values.get("attempts", [])]
        return cls(**values)


@dataclass(frozen=True)
class ValueRecord(Record):
    """A computed value: its stored document, inline or the datastore's record of the file
    it was offloaded to (shown by decoding it, only when asked)."""

    kind: ClassVar[str] = "value"
    collection: ClassVar[str] = "texts_values"

    data: Any


@dataclass(frozen=True)
class FileRecord(Record):
    """A file a node read (``r``) or wrote (``w``) in a run, with its content hash."""

    kind: ClassVar[str] = "file"
    collection: ClassVar[str] = "texts_files"

    path: str  # absolute, or a URL
    mode: str  # 'r' or 'w'
    sha256: str | None  # None for a file that could not be read back
    run: str
    node: str  # the node's hash
    name: str  # the node's name


KINDS: dict[str, type[Record]] = {
    kind.kind: kind for kind in (RunRecord, NodeRecord, ValueRecord, FileRecord, CodeIdentity)
}
"""Every record kind by its name, in the order an export writes them."""


def _fields(kind: type[Record], document: dict[str, Any]) -> dict[str, Any]:
    names = {spec.name for spec in dataclasses.fields(kind)}
    return {key: value for key, value in document.items() if key in names}


def from_document(document: dict[str, Any]) -> Record:
    """The record a stored document holds (its kind says which)."""
    return KINDS[document["kind"]].from_document(document)
