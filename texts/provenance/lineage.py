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
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from texts.provenance.records import (
    CodeIdentity,
    FileRecord,
    NodeRecord,
    RunRecord,
    ValueRecord,
)
from texts.provenance.recordstore import RecordStore


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
    """The run log of one store, read for questions."""

    def __init__(self, records: RecordStore) -> None:
        self.records = records
        self._runs: list[RunRecord] | None = None  # newest first, read once

    # ---- runs

    def runs(self, limit: int | None = None) -> list[RunRecord]:
        """The state of each run, newest first."""
        if self._runs is None:
            self._runs = self._read_runs()
        return self._runs[:limit] if limit is not None else list(self._runs)

    def _read_runs(self) -> list[RunRecord]:
        latest: dict[str, RunRecord] = {}
        for document in self.records.documents(RunRecord):
            record = RunRecord.from_document(document)
            known = latest.get(record.run)
            if known is None or _later(record, known):
                latest[record.run] = record
        return sorted(latest.values(), key=lambda r: (r.started, r.run), reverse=True)

    def run(self, prefix: str) -> RunRecord:
        """The run whose id starts with ``prefix``."""
        matches = [run for run in self.runs() if run.run.startswith(prefix)]
        return _one(matches, f"run {prefix}")

    def nodes(self, run: str) -> list[NodeRecord]:
        """A run's nodes in the order they were recorded."""
        return [
            NodeRecord.from_document(d) for d in self.records.documents(NodeRecord, {"run": run})
        ]

    # ---- nodes

    def node(self, query: str, run: str | None = None) -> NodeRecord:
        """The node of a variable (or export key), in ``run`` or the newest run that has
        it; else the node whose hash starts with ``query``."""
        runs = [self.run(run)] if run else self.runs()
        order = {record.run: index for index, record in enumerate(runs)}
        named = [
            NodeRecord.from_document(d)
            for d in self.records.documents(NodeRecord, {"name": query})
            if d["run"] in order
        ]
        if named:
            return min(named, key=lambda node: order[node.run])
        hashed = [
            NodeRecord.from_document(d)
            for d in self.records.documents(NodeRecord)
            if d["hash"].startswith(query) and d["run"] in order
        ]
        if not hashed:
            raise LineageError(f"no variable or node hash {query!r} in the run log")
        if len({node.hash for node in hashed}) > 1:
            raise LineageError(f"the hash prefix {query!r} names more than one node")
        return min(hashed, key=lambda node: order[node.run])

    def value(self, node: NodeRecord) -> Any:
        """The document of a node's value (``None`` when it has none)."""
        if node.value is None:
            return None
        found = self.records.documents(ValueRecord, {"_id": node.value})
        return found[0]["data"] if found else None

    def code(self, node_or_run: NodeRecord | RunRecord) -> CodeIdentity | None:
        found = self.records.documents(CodeIdentity, {"_id": node_or_run.code})
        return CodeIdentity.from_document(found[0]) if found else None

    def files_of(self, node: NodeRecord) -> list[FileRecord]:
        """The files a node read and wrote in its run."""
        query = {"run": node.run, "node": node.hash}
        return [FileRecord.from_document(d) for d in self.records.documents(FileRecord, query)]

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
            for name, input_hash in sorted(current.inputs.items()):  # stores sort keys
                found = self._input(current.run, name, input_hash)
                if found is not None:
                    below.append(Upstream(item.depth + 1, node=found))
            stack.extend(reversed(below))

    def _input(self, run: str, name: str, input_hash: str) -> NodeRecord | None:
        same_run = self.records.documents(NodeRecord, {"run": run, "hash": input_hash})
        if same_run:
            return NodeRecord.from_document(same_run[0])
        order = {record.run: index for index, record in enumerate(self.runs())}
        anywhere = [
            NodeRecord.from_document(d)
            for d in self.records.documents(NodeRecord, {"hash": input_hash})
            if d["run"] in order
        ]
        return min(anywhere, key=lambda node: order[node.run]) if anywhere else None

    # ---- files

    def files(self) -> list[FileRecord]:
        """Every file read or written, once per path, mode and content."""
        unique: dict[tuple[str, str, str | None], FileRecord] = {}
        for document in self.records.documents(FileRecord):
            record = FileRecord.from_document(document)
            unique.setdefault((record.path, record.mode, record.sha256), record)
        return sorted(unique.values(), key=lambda r: (r.path, r.mode))

    def file_uses(self, path: str) -> list[tuple[FileRecord, RunRecord | None]]:
        """Who read and wrote a file (a path as given, or a URL), newest run first."""
        where = path if "://" in path else os.path.abspath(path)
        runs = {run.run: run for run in self.runs()}
        documents = self.records.documents(FileRecord, {"path": where})
        paired = [(use, runs.get(use.run)) for use in map(FileRecord.from_document, documents)]
        paired.sort(key=lambda pair: pair[1].started if pair[1] else "", reverse=True)
        return paired

    def knows_file(self, path: str) -> bool:
        where = path if "://" in path else os.path.abspath(path)
        return bool(self.records.documents(FileRecord, {"path": where}))


def _later(record: RunRecord, than: RunRecord) -> bool:
    """Whether ``record`` tells a later state of the run than ``than``."""
    return than.status == "processing" and record.status != "processing"


def _one(matches: list[Any], what: str) -> Any:
    if not matches:
        raise LineageError(f"no {what} in the run log")
    if len(matches) > 1:
        raise LineageError(f"{what} is ambiguous: {len(matches)} match")
    return matches[0]
