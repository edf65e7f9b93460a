"""One input applied to a model group: what ``texts script -m workflow`` and every session
input do.

The input goes to every model of the active model's group (a ``vary`` adds models to it).
Every model is checked before any is stored, so an input that one model refuses changes
none. Then the models are stored, their nodes run by the policy (autorun runs the whole
group; on demand only what the active model's prints need), and the active model's
prints are evaluated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from texts.executors.base import RunResult
from texts.executors.workflow.executor import WorkflowExecutor, WorkflowOptions
from texts.executors.workflow.groups import VaryTable, crossed, vary_table
from texts.executors.workflow.models import StoredModel, find_group
from texts.executors.workflow.runlog import WorkflowRunLog
from texts.interpreter.errors import TextsError
from texts.interpreter.model import Model
from texts.interpreter.source import Source
from texts.provenance.recordstore import RecordStore, RecordStoreError, workflow_records
from texts.provenance.reuse import Decision
from texts.provenance.runlog import run_identity
from texts.run_events import observer

Checker = Callable[[Source], "Model | None"]
"""Parse and check a source; ``None`` when it has nothing to run."""


@dataclass
class Processed:
    """What processing an input did: the active model, its output, and the group."""

    uuid: str
    result: RunResult
    models: list[str]
    decisions: list[Decision]
    rows: list[GroupRow] = field(default_factory=list)


@dataclass(frozen=True)
class GroupRow:
    """One model of a group after an input: its varied values, UUID and printed lines
    (the label of an error where a print failed)."""

    vary: dict[str, str]
    uuid: str
    lines: list[str]


def process_input(
    source: Source,
    active: StoredModel | None,
    check: Checker,
    report: Callable[[TextsError], None],
    launchpad: Any,
    options: WorkflowOptions,
    flush: Callable[[], None] | None = None,
    on_source: Callable[[Source], None] | None = None,
) -> Processed | None:
    """Check the input on every model of the group, store, run by policy, print.

    ``on_source`` is told which text each model is checked with (error positions refer to
    it). ``None`` is returned when the input holds no statements.
    """
    from texts.grammar import parse_source

    table = vary_table(parse_source(source).statements, source)
    members = plan_members(launchpad, active, table)
    checked: list[tuple[StoredModel, Model]] = []
    for member in members:
        extended = member.extended(source)
        if on_source is not None:
            on_source(extended)
        model = check(extended)
        if model is None:
            return None
        checked.append((member, model))
    if on_source is not None:
        on_source(members[0].extended(source))
    records = _records(launchpad, options)
    failures: list[list[str]] = [[] for _ in checked]  # print errors of the other models
    executors = [
        WorkflowExecutor(
            model,
            report if index == 0 else _collect(failures[index]),
            options,
            launchpad,
            member,
            flush,
        )
        for index, (member, model) in enumerate(checked)
    ]
    for executor in executors:
        executor.build()
    observer().stored(executors[0].uuid)
    logs = [_run_log(executor, source, options) for executor in executors]
    for log in logs:
        log.start(records)
    first, *others = executors
    together: frozenset[int] = frozenset()
    if not options.on_demand:
        together = frozenset(i for other in others for i in other.wanted_ids())
    first.launch(together)
    result = first.results()
    for log, executor in zip(logs, executors, strict=True):
        failed = executor is first and result.errors > 0
        log.finish(records, launchpad.db, executor.stored_now, failed)
    if flush is not None:
        flush()
    rows = []
    if len(executors) > 1:
        for index, (executor, (member, _)) in enumerate(zip(executors, checked, strict=True)):
            lines = result.lines if index == 0 else executor.results().lines
            rows.append(GroupRow(dict(member.vary), executor.uuid, [*lines, *failures[index]]))
    return Processed(
        first.uuid,
        result,
        [executor.uuid for executor in executors],
        [decision for executor in executors for decision in executor.decisions()],
        rows,
    )


def _collect(into: list[str]) -> Callable[[TextsError], None]:
    """A model of the group other than the first shows a failed print by its label."""
    return lambda error: into.append(error.label)


def _records(launchpad: Any, options: WorkflowOptions) -> RecordStore:
    """The run records beside the workflows, ready for this run's records."""
    records = workflow_records(launchpad, options.launchpad_file, options.workdir)
    try:
        records.require_current()
    except RecordStoreError as error:
        raise TextsError("Store error", str(error)) from None
    return records


def _run_log(
    executor: WorkflowExecutor, source: Source, options: WorkflowOptions
) -> WorkflowRunLog:
    identity = run_identity(executor.model, "workflow", source.path, executor.uuid, options.workdir)
    return WorkflowRunLog(identity, executor.model, executor.fw_ids)


def plan_members(launchpad: Any, active: StoredModel | None, table: VaryTable) -> list[StoredModel]:
    """The models an input goes to, the active one first.

    New parameters are crossed with the group's rows: each model takes the first new
    combination itself and is copied for the others. Rows for the parameters the group
    already varies add copies of the active model with those rows.
    """
    if active is None:
        first = StoredModel.new(vary=table.rows[0])  # a new model starts a new group
        return [first, *(StoredModel.new(first.group, vary=row) for row in table.rows[1:])]
    members = find_group(launchpad, active)
    columns = set(table.columns)
    if not columns:
        return members
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
