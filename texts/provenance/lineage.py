"""Questions to the run log: which runs there were, how a value was made, who used a file.

This is the query layer under ``texts runs`` and ``texts log`` (and anything else that
shows the run log, such as a notebook): it returns records, never text.

A run has one or two run records (``processing`` when it started, then its final state);
its state is the latest of them. A node is found by its variable name (in the newest run
that has it) or by a prefix of its hash; its upstream is followed through the hashes of its
inputs, in the same run where the run has them (a cached input was recorded by the run that
reused it) and otherwise in the newest run that does.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from texts.provenance.records import (
    CodeIdentity,
    FileRecord,
    NodeRecord,
    Record,
    RunRecord,
    ValueRecord,
)
from texts.provenance.recordstore import RecordStore
from texts.provenance.validation import InvalidRecord, validate

R = TypeVar("R", bound=Record)


class LineageError(LookupError):
    """A query names nothing in the run log, or more than one thing."""


@dataclass(frozen=True)
class Upstream:
    """One line of a node's upstream: a node or a file read, at a depth below the node;
    ``repeated`` when the node was shown already (the dataflow is a graph, not a tree)."""

    depth: int
    node: NodeRecord | None = None
    file: FileRecord | None = None
    repeated: bool = False


class Lineage:
    """The run log of one store, read for questions (each an index lookup of the store)."""

    def __init__(self, records: RecordStore) -> None:
        self.records = records
        self.database = records.database

    # ---- runs

    def runs(self, limit: int | None = None) -> list[RunRecord]:
        """The state of each run, newest first."""
        return [self._run(run) for run in self.database.newest_runs(limit)]

    def _run(self, run: str) -> RunRecord:
        """A run's latest state: its final record once it has one."""
        latest: RunRecord | None = None
        for document in self.database.run_records(run):
            record = _read(RunRecord, document)
            if latest is None or _later(record, latest):
                latest = record
        if latest is None:
            raise LineageError(f"no run {run} in the run log")
        return latest

    def run(self, prefix: str) -> RunRecord:
        """The run whose id starts with ``prefix``."""
        matches = self.database.runs_starting_with(prefix, 2)
        return self._run(_one(matches, f"run {prefix}"))

    def nodes(self, run: str) -> list[NodeRecord]:
        """A run's nodes in the order they were recorded."""
        return [_read(NodeRecord, d) for d in self.database.nodes_of_run(run)]

    def node_count(self, run: str) -> int:
        return self.database.node_count(run)

    # ---- nodes

    def node(self, query: str, run: str | None = None) -> NodeRecord:
        """The node of a variable (or export key), in ``run`` or the newest run that has
        it; else the node whose hash starts with ``query``."""
        run_id = self.run(run).run if run else None
        named = self.database.newest_node(name=query, run=run_id)
        if named is not None:
            return _read(NodeRecord, named)
        hashes = self.database.node_hashes(query, run_id, 2)
        if not hashes:
            raise LineageError(f"no variable or node hash {query!r} in the run log")
        if len(hashes) > 1:
            raise LineageError(f"the hash prefix {query!r} names more than one node")
        found = self.database.newest_node(hash=hashes[0], run=run_id)
        assert found is not None  # its run has a run record (node_hashes checks)
        return _read(NodeRecord, found)

    def value(self, node: NodeRecord) -> Any:
        """The document of a node's value (``None`` when it has none)."""
        if node.value is None:
            return None
        found = list(self.records.documents(ValueRecord, [node.value]))
        return found[0]["data"] if found else None

    def code(self, node_or_run: NodeRecord | RunRecord) -> CodeIdentity | None:
        if node_or_run.code is None:
            return None
        found = list(self.records.documents(CodeIdentity, [node_or_run.code]))
        return _read(CodeIdentity, found[0]) if found else None

    def files_of(self, node: NodeRecord) -> list[FileRecord]:
        """The files a node read and wrote in its run."""
        return [_read(FileRecord, d) for d in self.database.files_of(node.run, node.hash)]

    def upstream(self, node: NodeRecord) -> Iterator[Upstream]:
        """The node's dataflow, depth first down to literals and files (no recursion)."""
        shown: set[str] = set()
        stack: list[Upstream] = [Upstream(0, node=node)]
        while stack:
            item = stack.pop()
            current = item.node
            if current is None:
                yield item
                continue
            if current.hash in shown:
                yield Upstream(item.depth, node=current, repeated=True)
                continue
            shown.add(current.hash)
            yield item
            below = [
                Upstream(item.depth + 1, file=use)
                for use in self.files_of(current)
                if use.mode == "r"
            ]
            for _name, input_hash in sorted(current.inputs.items()):  # stores sort keys
                found = self._input(current.run, input_hash)
                if found is not None:
                    below.append(Upstream(item.depth + 1, node=found))
            stack.extend(reversed(below))

    def _input(self, run: str, input_hash: str) -> NodeRecord | None:
        """An input by hash: in the same run where the run has it (a cached input was
        recorded by the run that reused it), else in the newest run that does."""
        found = self.database.newest_node(hash=input_hash, run=run)
        if found is None:
            found = self.database.newest_node(hash=input_hash)
        return _read(NodeRecord, found) if found is not None else None

    # ---- files

    def files(self) -> list[FileRecord]:
        """Every file read or written, once per path, mode and content."""
        return [_read(FileRecord, d) for d in self.database.distinct_files()]

    def file_uses(
        self, path: str, limit: int | None = None
    ) -> list[tuple[FileRecord, RunRecord | None]]:
        """Who read and wrote a file (a path as given, or a URL), newest run first: the
        newest ``limit`` uses, or all of them."""
        uses = [_read(FileRecord, d) for d in self.database.file_uses(_where(path), limit)]
        runs: dict[str, RunRecord | None] = {}
        for use in uses:
            if use.run not in runs:
                runs[use.run] = self._run(use.run) if self.database.run_records(use.run) else None
        return [(use, runs[use.run]) for use in uses]

    def file_use_count(self, path: str) -> int:
        """How many reads and writes of a file the run log holds."""
        return self.database.file_use_count(_where(path))

    def last_written(self, path: str) -> str | None:
        """The content hash of a file as textS last wrote it (``None``: no recorded run
        wrote it): what an export may overwrite (``interpreter.statements``)."""
        for use, _ in self.file_uses(path):
            if use.mode == "w":
                return use.sha256
        return None

    def knows_file(self, path: str) -> bool:
        return bool(self.database.file_uses(_where(path), 1))


def _read(kind: type[R], document: dict[str, Any]) -> R:
    """The record a stored document holds, once its shape is checked: the run log is data
    from a file or a database, and a damaged record is reported, never used."""
    try:
        validate(document)
    except InvalidRecord as error:
        raise LineageError(
            f"the run log holds a damaged record {document.get('_id', '?')}: {error}"
        ) from None
    return kind.from_document(document)


WrittenFiles = Callable[[str], "str | None"]
"""The content hash of a file as textS last wrote it, by its path (``None``: no recorded
run wrote it, or the run log cannot tell)."""


def nothing_written(_path: str) -> str | None:
    """What is known without a run log: no file textS wrote (none may be replaced)."""
    return None


def written_files(records: RecordStore | None) -> WrittenFiles:
    """What the run log knows of the files textS wrote: the record an export consults
    before it replaces a file, in every mode (``interpreter.statements.may_overwrite``).
    Without a run log, or with a damaged one, nothing is known (no file is replaced)."""
    if records is None:
        return nothing_written
    lineage = Lineage(records)

    def written(path: str) -> str | None:
        try:
            return lineage.last_written(path)
        except LineageError:
            return None

    return written


def _where(path: str) -> str:
    """A file as the run log names it: a URL as it is, a path made absolute."""
    return path if "://" in path else os.path.abspath(path)


def _later(record: RunRecord, than: RunRecord) -> bool:
    """Whether ``record`` tells a later state of the run than ``than``."""
    return than.status == "processing" and record.status != "processing"


def _one(matches: list[Any], what: str) -> Any:
    if not matches:
        raise LineageError(f"no {what} in the run log")
    if len(matches) > 1:
        raise LineageError(f"{what} is ambiguous: {len(matches)} match")
    return matches[0]
