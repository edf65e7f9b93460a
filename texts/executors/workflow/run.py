"""The workflow executor as a plug-in: one input applied to a model group, what ``texts
script -m workflow`` and every session input do.

The input goes to every model of the active model's group (a ``vary`` adds models to it).
Every model is checked before any is stored, so an input that one model refuses changes
none. Then the models are stored, their nodes run by the policy (autorun runs the whole
group; on demand only what the active model's prints need), and the active model's
prints are evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass

from texts.executors.base import Reporter, RunResult
from texts.executors.protocol import RunContext
from texts.executors.workflow.executor import WorkflowExecutor, WorkflowOptions
from texts.executors.workflow.models import StoredModel, find_group
from texts.executors.workflow.runlog import WorkflowRunLog
from texts.grammar import parse_source
from texts.interpreter.errors import TextsError
from texts.interpreter.model import Model
from texts.interpreter.source import Source
from texts.interpreter.vary import VaryTable, crossed, vary_table
from texts.provenance.lineage import written_files
from texts.provenance.recordstore import RecordStore, workflow_records
from texts.provenance.reuse import Decision
from texts.provenance.runlog import run_identity
from texts.run_events import observer
from texts.store.errors import StoreError
from texts.store.workflows import WorkflowStore


@dataclass(frozen=True)
class GroupRow:
    """One model of a group after an input: its varied values, UUID and printed lines
    (the label of an error where a print failed)."""

    vary: dict[str, str]
    uuid: str
    lines: list[str]


class WorkflowRun:
    """One input run by the workflow executor (see the module): ``plan`` checks it on every
    model of the group and stores them, ``run`` launches their nodes by the policy,
    ``results`` prints the active model's values and ends the run logs."""

    def __init__(self, source: Source, context: RunContext) -> None:
        assert context.store is not None and context.options is not None
        self.source = source
        self.context = context
        self.store: WorkflowStore = context.store
        self.options: WorkflowOptions = context.options
        self.executors: list[WorkflowExecutor] = []
        self.header: str | None = None
        self._records: RecordStore | None = None
        self._logs: list[WorkflowRunLog] = []
        self._failures: list[list[str]] = []  # print errors of the group's other models
        self.rows: list[GroupRow] = []  # with several models: each one's row, after results

    @property
    def uuid(self) -> str:
        """The active model (the first of the group)."""
        return self.executors[0].uuid

    @property
    def models(self) -> list[str]:
        return [executor.uuid for executor in self.executors]

    def plan(self) -> bool:
        source, context = self.source, self.context
        table = vary_table(parse_source(source).statements, source)
        members = plan_members(self.store, context.active, table)
        checked: list[tuple[StoredModel, Model]] = []
        for member in members:
            extended = member.extended(source)
            context.on_source(extended)
            model = context.check(extended, "workflow")
            if model is None:
                return False
            checked.append((member, model))
        context.on_source(members[0].extended(source))
        self._records = _records(self.store, self.options)
        self._failures = [[] for _ in checked]
        try:
            self.executors = [
                WorkflowExecutor(
                    model,
                    context.report if index == 0 else _collect(self._failures[index]),
                    self.options,
                    self.store,
                    member,
                    written_files(self._records),
                )
                for index, (member, model) in enumerate(checked)
            ]
            for executor in self.executors:
                executor.build()
            observer().stored(self.uuid)  # said before any node runs
            self._logs = [_run_log(executor, source, self.options) for executor in self.executors]
            for log in self._logs:
                log.start(self._records)
        except BaseException:
            self._records.close()
            raise
        self.header = f"program UUID: {self.uuid}"
        return True

    def run(self) -> None:
        """Launch by the policy: the whole group, or what the active model's prints need."""
        first, *others = self.executors
        together: frozenset[int] = frozenset()
        if not self.options.on_demand:
            together = frozenset(i for other in others for i in other.wanted_ids())
        try:
            first.launch(together)
            for executor in self.executors:
                executor.sign_with_python_reads()
        except BaseException:
            self._end(RunResult(errors=1))
            raise

    def results(self) -> RunResult:
        """The active model's prints; with several models, ``rows`` holds every model's."""
        result = self.executors[0].results() if self.context.evaluate else RunResult()
        if len(self.executors) > 1 and self.context.evaluate:
            self.rows = [
                GroupRow(
                    dict(executor.record.vary),
                    executor.uuid,
                    [*(result if index == 0 else executor.results()).lines, *failures],
                )
                for index, (executor, failures) in enumerate(
                    zip(self.executors, self._failures, strict=True)
                )
            ]
        self._end(result)
        return result

    def decisions(self) -> list[Decision]:
        return [decision for executor in self.executors for decision in executor.decisions()]

    def _end(self, result: RunResult) -> None:
        """The run logs' nodes and ends (the active model failed if its input reported an
        error), then a last flush."""
        assert self._records is not None
        try:
            for log, executor in zip(self._logs, self.executors, strict=True):
                failed = executor is self.executors[0] and result.errors > 0
                log.finish(self._records, self.store, executor.stored_now, failed)
        finally:
            self._records.close()
        self.store.flush()


def _collect(into: list[str]) -> Reporter:
    """A model of the group other than the first shows a failed print by its label."""
    return lambda error: into.append(error.label)


def _records(store: WorkflowStore, options: WorkflowOptions) -> RecordStore:
    """The run records beside the workflows, ready for this run's records."""
    records = workflow_records(store, options.workdir)
    try:
        records.require_current()
    except StoreError as error:
        records.close()
        raise TextsError("Store error", str(error)) from None
    return records


def _run_log(
    executor: WorkflowExecutor, source: Source, options: WorkflowOptions
) -> WorkflowRunLog:
    identity = run_identity(executor.model, "workflow", source.path, executor.uuid, options.workdir)
    return WorkflowRunLog(identity, executor.model, executor.fw_ids)


def plan_members(
    store: WorkflowStore, active: StoredModel | None, table: VaryTable
) -> list[StoredModel]:
    """The models an input goes to, the active one first.

    New parameters are crossed with the group's rows: each model takes the first new
    combination itself and is copied for the others. Rows for the parameters the group
    already varies add copies of the active model with those rows. A variable the models
    define (``x = 1``) is varied as the reference does: its definition becomes each
    model's row, and the rows that differ add models.
    """
    if active is None:
        first = StoredModel.new(vary=table.rows[0])  # a new model starts a new group
        return [first, *(StoredModel.new(first.group, vary=row) for row in table.rows[1:])]
    members = find_group(store, active)
    columns = set(table.columns)
    if not columns:
        return members
    defined = active.defines(columns - set(active.vary))
    for member in members if defined else []:
        member.promote(defined)
    varied = set(active.vary)
    if columns.isdisjoint(varied):
        planned = []
        for member in members:
            first, *rest = crossed(member.vary, table)
            member.vary = first
            planned.append(member)
            planned.extend(StoredModel.new(member.group, member, row) for row in rest)
        return planned
    if columns == varied:
        present = [member.vary for member in members]
        rows = [row for row in table.rows if row not in present]
        return members + [StoredModel.new(active.group, active, row) for row in rows]
    if varied - columns:
        raise TextsError(
            "Vary error", f"missing variables in vary: {', '.join(sorted(varied - columns))}"
        )
    raise TextsError(
        "Vary error",
        f"new and varied parameters in one vary: {', '.join(sorted(columns - varied))}",
    )
