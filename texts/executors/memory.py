"""The instant and deferred executors as plug-ins: one model evaluated in this process.

The model's exports run first, then its prints and views (``InstantExecutor`` computes
what each print needs as it comes, ``DeferredExecutor`` plans the whole graph first).
With the context's records, values are reused from the result cache by signature and the
run leaves a run log: its start when planned, its nodes and end with the results.
"""

from __future__ import annotations

from texts.executors import EXECUTORS
from texts.executors.base import Executor, RunResult
from texts.executors.protocol import RunContext
from texts.interpreter.errors import TextsError
from texts.interpreter.model import Model
from texts.interpreter.source import Source
from texts.provenance.cache import ResultCache
from texts.provenance.lineage import written_files
from texts.provenance.reuse import Decision, Reuse
from texts.provenance.runlog import RunLog, file_model_uuid, run_identity
from texts.store.errors import StoreError


class InMemoryRun:
    """One input run by the instant or deferred executor (see the module)."""

    header: str | None = None
    uuid: str | None = None  # nothing is stored

    def __init__(self, mode: str, source: Source, context: RunContext) -> None:
        self.mode = mode
        self.source = source
        self.context = context
        self.model: Model | None = None
        self.executor: Executor | None = None
        self.reuse: Reuse | None = None
        self.run_log: RunLog | None = None

    def plan(self) -> bool:
        context = self.context
        self.model = model = context.check(self.source, self.mode)
        if model is None:
            return False
        path = str(self.source.path)
        cache = ResultCache(context.records)
        written = written_files(context.records)  # files any run of textS wrote
        self.reuse = Reuse(model, context.signature, cache, path, context.workdir, written)
        if context.records is not None:
            identity = run_identity(model, self.mode, path, file_model_uuid(path), context.workdir)
            self.run_log = RunLog(model, identity, self.reuse.signer)
            try:
                self.run_log.start(context.records)
            except StoreError as error:  # a read-only or full store: the run goes on
                context.warn(f"the run log was not recorded: {error}")
                self.run_log = None
        self.executor = EXECUTORS[self.mode](model, context.report, self.reuse)
        return True

    def run(self) -> None:
        """The exports, in source order; the first that fails ends the run (raised)."""
        assert self.executor is not None and self.model is not None and self.reuse is not None
        try:
            for statement in self.model.exports:
                self.executor.export(statement)
        except TextsError:
            self._finish(failed=True)
            raise
        self.reuse.cache.commit()  # the exports' step

    def results(self) -> RunResult:
        """The prints and views (none when the context does not evaluate them)."""
        assert self.executor is not None
        result = self.executor.run() if self.context.evaluate else RunResult()
        self._finish(failed=result.errors > 0)
        return result

    def decisions(self) -> list[Decision]:
        return list(self.reuse.decisions) if self.reuse is not None else []

    def _finish(self, failed: bool) -> None:
        """Keep what each node was for the next run, and end the run log."""
        assert self.reuse is not None and self.executor is not None
        try:
            self.reuse.finish()
            if self.reuse.cache.failure is not None:
                raise self.reuse.cache.failure
        except (OSError, StoreError) as error:
            self.context.warn(f"the result cache was not updated: {error}")
        if self.run_log is not None and self.context.records is not None:
            try:
                self.run_log.finish(self.context.records, self.executor.events, failed)
            except StoreError as error:
                self.context.warn(f"the run log was not recorded: {error}")
