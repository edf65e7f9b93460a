"""The run log of the instant and deferred executors, and what every run record shares.

While a model runs, the executor notes what happens to each node (``NodeEvents``): when it
was computed, how long that took, the files it read and wrote, its value or error, or that
it came from the result cache. A ``RunLog`` turns that into records: a run record with
status ``processing`` when the run starts, and at the end the node, value, file and code
records and the final run record.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from texts.interpreter import ir
from texts.interpreter.errors import TextsError
from texts.interpreter.evaluation import evaluate
from texts.interpreter.evaluation.core import Scope
from texts.interpreter.model import Model
from texts.provenance.files import FileUse, observed_files
from texts.provenance.identity import code_identity, package_versions
from texts.provenance.records import (
    Attempt,
    CodeIdentity,
    FileRecord,
    NodeRecord,
    Record,
    RunRecord,
    ValueRecord,
)
from texts.provenance.recordstore import RecordStore
from texts.provenance.signature import Signer, canonical, digest
from texts.run_events import node_finished, node_started

_NOT_PERSISTED = (ir.Print, ir.View)
_UNSET = object()


def timestamp(seconds: float | None = None) -> str:
    """An ISO 8601 UTC time (now, or ``seconds`` since the epoch)."""
    moment = datetime.fromtimestamp(time.time() if seconds is None else seconds, timezone.utc)
    return moment.isoformat(timespec="milliseconds")


def model_hash(model: Model) -> str:
    """A hash of a model's definitions: every statement but prints and views, in canonical
    form (so layout, comments and their order do not count)."""
    texts = sorted(
        canonical(statement)
        for statement in model.program.statements
        if not isinstance(statement, _NOT_PERSISTED)
    )
    return digest("\n".join(texts))


def volatile_hash(run: str, name: str) -> str:
    """The hash of a node without a signature (it reads what cannot be known in advance):
    its run and name, so that it names this computation only."""
    return digest(f"{run}:{name}")


def file_model_uuid(model_file: str) -> str:
    """The model UUID of a file run by the instant or deferred executor: the same for
    every run of the same file, so that its reruns can be told."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, Path(model_file).resolve().as_uri()))


def model_tags(model: Model, since: int = 0) -> dict[str, Any]:
    """The keys of the model's ``tag`` statements (from source offset ``since``), as
    database documents."""
    # lazily for start-up: it imports numpy
    from texts.datastore.documents import to_document  # noqa: PLC0415

    tags: dict[str, Any] = {}
    for statement in model.program.statements:
        if isinstance(statement, ir.Tag) and statement.span.start >= since:
            tag = evaluate(statement.value, Scope(model, {}))
            if not isinstance(tag, dict):  # a one-row table: its columns are the keys
                tag = {column.name: column.elements[0] for column in tag.columns}
            tags.update({key: to_document(value) for key, value in tag.items()})
    return tags


def rerun_of(records: RecordStore, model: str, hash_: str) -> str | None:
    """The first run of the same model with the same definitions, if there was one."""
    first = records.database.first_run(model, hash_)
    if first is None:
        return None
    return first["rerun_of"] or first["run"]


# ---- what the executor notes


@dataclass
class NodeEvent:
    """What happened to one node in this run."""

    start: float | None = None
    end: float | None = None
    busy: float = 0.0  # seconds spent evaluating (without the inputs computed meanwhile)
    error: TextsError | None = None
    cached: bool = False
    value: Any = _UNSET
    files: list[FileUse] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.error is not None:
            return "fail"
        return "success" if self.cached or self.end is not None else "waiting"


class NodeEvents:
    """The nodes of a run as the executor computes them; cheap enough to keep always."""

    def __init__(self) -> None:
        self.nodes: dict[str, NodeEvent] = {}

    @contextlib.contextmanager
    def computing(self, name: str) -> Iterator[None]:
        """Time one evaluation of a node and collect the files it used; an evaluation
        interrupted to compute an input counts only its own time."""
        event = self.nodes.setdefault(name, NodeEvent())
        started = time.time()
        if event.start is None:
            event.start = started
        node_started(name)
        with observed_files() as files:
            try:
                yield
            finally:
                event.busy += time.time() - started
                event.files.extend(files)

    def finished(self, name: str, value: Any = _UNSET, error: TextsError | None = None) -> None:
        event = self.nodes.setdefault(name, NodeEvent())
        event.end = time.time()
        event.value, event.error = value, error
        node_finished(name, failed=error is not None)

    def cached(self, name: str, value: Any = _UNSET) -> None:
        event = self.nodes.setdefault(name, NodeEvent())
        event.cached, event.value = True, value


# ---- the records of a run


@dataclass(frozen=True)
class RunIdentity:
    """What every record of one run says about the run."""

    run: str
    model: str
    model_hash: str
    model_file: str | None
    executor: str
    started: str
    tag: dict[str, Any]
    code: CodeIdentity
    workdir: str

    def record(
        self, status: str, rerun: str | None, cached: bool = False, ended: str | None = None
    ) -> RunRecord:
        return RunRecord(
            run=self.run,
            model=self.model,
            model_hash=self.model_hash,
            model_file=self.model_file,
            executor=self.executor,
            status=status,
            started=self.started,
            ended=ended,
            cached=cached,
            rerun_of=rerun,
            tag=self.tag,
            code=self.code.id,
            workdir=self.workdir,
        )


def run_identity(
    model: Model, executor: str, model_file: str | None, model_uuid: str, workdir: Path
) -> RunIdentity:
    imported = [imported.dotted for imported in model.imports.values()]
    return RunIdentity(
        run=uuid.uuid4().hex,
        model=model_uuid,
        model_hash=model_hash(model),
        model_file=source_file(model_file),
        executor=executor,
        started=timestamp(),
        tag=model_tags(model),
        code=code_identity(model_file, imported),
        workdir=str(workdir.resolve()),
    )


def source_file(path: str | None, workdir: str | None = None) -> str | None:
    """How the run log names the file a model or statement came from: the absolute path of
    a file (relative to ``workdir``, by default the current directory), else the name as
    it is (a session's input is named, not a file)."""
    if not path:
        return path
    where = Path(workdir or ".") / path
    return str(where.resolve()) if where.is_file() else path


def statement_file(path: str | None, workdir: str | None, model_file: str | None) -> str | None:
    """The file a node's statement was written in, when it is not the run's model file
    (a statement of a stored model redefined by this run's input, or the other way
    round); ``None`` when it is."""
    found = source_file(path, workdir)
    return None if found == model_file else found


def node_imports(model: Model, statement: object) -> dict[str, str]:
    """The packages (and versions) of the Python objects a statement uses, transitively
    through the functions it calls."""
    names = model.definitions_used(statement)
    return package_versions(model.imports[name].dotted for name in names if name in model.imports)


class ModelRunLog:
    """What the run log of every executor does alike: one model's run, its code identity
    and ``processing`` record at the start, its final record at the end."""

    def __init__(self, model: Model, identity: RunIdentity) -> None:
        self.model = model
        self.identity = identity
        self.rerun: str | None = None

    def start(self, records: RecordStore) -> None:
        """Add the run's ``processing`` record (and learn whether it is a rerun)."""
        identity = self.identity
        self.rerun = rerun_of(records, identity.model, identity.model_hash)
        records.append([identity.code, identity.record("processing", self.rerun)])

    def final(self, status: str, found: list[Record]) -> RunRecord:
        """The run's last record, after its nodes' records ``found``."""
        cached = any(isinstance(record, NodeRecord) and record.cached for record in found)
        ended = None if status == "processing" else timestamp()
        return self.identity.record(status, self.rerun, cached, ended)


class RunLog(ModelRunLog):
    """The run log of one instant or deferred run of a model."""

    def __init__(self, model: Model, identity: RunIdentity, signer: Signer) -> None:
        super().__init__(model, identity)
        self.signer = signer

    def finish(self, records: RecordStore, events: NodeEvents, failed: bool) -> None:
        """Add the records of the nodes and the final run record."""
        found: list[Record] = []
        for name, event in events.nodes.items():
            found.extend(self._node_records(name, event))
        records.append([*found, self.final("fail" if failed else "success", found)])

    def _statement(self, name: str) -> ir.VarDef | ir.Export:
        if name in self.model.variables:
            return self.model.variables[name]
        return self.model.exports[int(name.partition(":")[2])]

    def node_hash(self, name: str) -> str:
        """A node's signature, or for a volatile one a hash of the run and its name."""
        if name in self.model.variables:
            signature = self.signer.variable(name)
        else:
            signature = self.signer.export(self._statement(name))  # type: ignore[arg-type]
        return signature.value if signature else volatile_hash(self.identity.run, name)

    def _node_records(self, name: str, event: NodeEvent) -> list[Record]:
        statement = self._statement(name)
        source = self.model.source
        node_hash = self.node_hash(name)
        value = _value_record(name, event.value)
        attempts = []
        if event.start is not None:
            attempts.append(
                Attempt(
                    start=timestamp(event.start),
                    end=timestamp(event.end) if event.end is not None else None,
                    duration=round(event.busy, 6),
                    status=event.status if event.end is not None else "processing",
                    error=_error_text(event.error),
                )
            )
        inputs = self.model.inputs.get(name, ()) if name in self.model.variables else ()
        node = NodeRecord(
            run=self.identity.run,
            name=name,
            hash=node_hash,
            definition=source.excerpt(statement.span),
            line=source.line_col(statement.span.start)[0],
            inputs={input_name: self.node_hash(input_name) for input_name in inputs},
            status=event.status,
            cached=event.cached,
            attempts=attempts,
            value=value.id if value is not None else None,
            code=self.identity.code.id,
            imports=node_imports(self.model, statement),
        )
        files = [
            FileRecord(use.path, use.mode, use.sha256, self.identity.run, node_hash, name)
            for use in event.files
        ]
        return [node, *([value] if value is not None else []), *files]


def _error_text(error: TextsError | None) -> str | None:
    return None if error is None else f"{error.label}: {error.message}"


def _value_record(name: str, value: Any) -> ValueRecord | None:
    """The stored form of a node's value (large ones offloaded by the datastore); ``None``
    for a node without a value or a value the database cannot hold."""
    if value is _UNSET:
        return None
    # lazily for start-up: it imports numpy
    from texts.datastore.documents import store_value  # noqa: PLC0415

    # lazily for start-up: it imports numpy
    from texts.datastore.offloading import Origin  # noqa: PLC0415

    try:
        return ValueRecord(store_value(value, Origin(name)))
    except (TextsError, TypeError, ValueError):
        return None
