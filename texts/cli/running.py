"""Run a program text with an executor: the part of ``texts script`` after reading."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from texts.executors.base import RunResult
from texts.interpreter.errors import TextsError, runtime_warnings
from texts.interpreter.model import Model
from texts.interpreter.source import Source

if TYPE_CHECKING:
    from texts.cli.progress import RunProgress
    from texts.executors.protocol import Executor, RunContext
    from texts.executors.workflow.executor import WorkflowOptions
    from texts.executors.workflow.models import StoredModel
    from texts.executors.workflow.run import GroupRow
    from texts.provenance.recordstore import RecordStore
    from texts.store.workflows import WorkflowStore


class Reported(Exception):
    """An error was already shown to the user; the run ends with a non-zero status."""


class Output(Protocol):
    source: Source | None  # the text whose positions errors refer to

    def warn(self, message: str) -> None: ...

    def error(self, error: TextsError) -> None: ...


def checked_model(
    source: Source, mode: str, args: argparse.Namespace, console: Output
) -> Model | None:
    """Parse and check; ``None`` when there is nothing to run or an error was reported."""
    # lazily for start-up: a command imports only what it runs
    from texts.grammar import parse_source  # noqa: PLC0415
    from texts.interpreter.checks import check_program  # noqa: PLC0415

    try:
        program = parse_source(source)
        if not program.statements:
            return None
        if args.show_model:
            # lazily for start-up: a command imports only what it runs
            from texts.cli.graphviz import show_model  # noqa: PLC0415

            said = show_model(program, Path(source.path).with_suffix(".dot"))
            print(said, file=sys.stderr, flush=True)
            return None
        return check_program(program, mode, console.warn)
    except TextsError as error:
        console.error(error)
        raise Reported from None


def run_source(source: Source, mode: str, args: argparse.Namespace, console: Output) -> int:
    """Parse, check, export and evaluate; print the output frame; return the exit status.

    While the input runs, standard error shows the model's UUID and the progress line
    (``texts.cli.progress``); in workflow mode Ctrl-C stops the run, keeping what was done
    (exit status 130)."""
    # lazily for start-up: a command imports only what it runs
    from texts.cli.progress import INTERRUPTED_STATUS, stopped_summary  # noqa: PLC0415
    from texts.executors.runner import run_input  # noqa: PLC0415
    from texts.run_events import stop_requested  # noqa: PLC0415
    from texts.store.errors import StoreError  # noqa: PLC0415

    try:
        with _context(mode, args, console) as context:
            if context is None:
                return 1
            try:
                with runtime_warnings(console.warn), _watched(mode, args) as progress:
                    run, result = run_input(mode, source, context)
                    stopped = mode == "workflow" and stop_requested()
            except Reported:
                return 1
            except TextsError as error:
                console.error(error)
                return 1
            rows = _group_rows(run) if mode == "workflow" else []
    except StoreError as error:  # a store that could not be written during the run
        console.error(TextsError("Store error", str(error)))
        return 1
    if result is None:
        return 0
    status = print_frame(result, console, run.header) if context.evaluate else 0
    if rows:
        print(group_table(rows), flush=True)
    if args.verbose:
        # lazily for start-up: a command imports only what it runs
        from texts.provenance.reuse import summary  # noqa: PLC0415

        print("\n".join(summary(run.decisions())), file=sys.stderr, flush=True)
    if stopped and run.uuid is not None:
        print("\n".join(stopped_summary(progress, run.uuid)), file=sys.stderr, flush=True)
        return INTERRUPTED_STATUS
    return status


@contextlib.contextmanager
def _watched(mode: str, args: argparse.Namespace) -> Iterator[RunProgress]:
    """The UUID and progress line on standard error while the input runs; in workflow
    mode, Ctrl-C as a request to stop."""
    # lazily for start-up: a command imports only what it runs
    from texts.cli.progress import interrupt_handling, shown_progress  # noqa: PLC0415

    with shown_progress(args.quiet) as progress:
        if mode != "workflow":
            yield progress
            return
        with interrupt_handling(progress, args.jobs):
            yield progress


def _group_rows(run: Executor) -> list[GroupRow]:
    """Every model's row when the input reached several models of a vary group."""
    # lazily for start-up: a command imports only what it runs
    from texts.executors.workflow.run import WorkflowRun  # noqa: PLC0415

    return run.rows if isinstance(run, WorkflowRun) else []


def group_table(rows: list[GroupRow]) -> str:
    """The results of every model of a vary group: its parameters, UUID and output."""
    # lazily for start-up: a command imports only what it runs
    from texts.session.tables import ruled_table  # noqa: PLC0415

    names = list(rows[0].vary)
    table = [
        [*(row.vary.get(name, "") for name in names), row.uuid, "\n".join(row.lines)]
        for row in rows
    ]
    return f"vary group of {len(rows)} models:\n" + ruled_table(
        [*names, "model UUID", "output"], table
    )


@contextlib.contextmanager
def _context(mode: str, args: argparse.Namespace, console: Output) -> Iterator[RunContext | None]:
    """What a run of ``mode`` needs: for workflow mode the open workflow store (``None``
    when it cannot be used, which is reported), else the records and cache."""
    # lazily for start-up: a command imports only what it runs
    from texts.datastore.config import current_config  # noqa: PLC0415
    from texts.executors.protocol import RunContext  # noqa: PLC0415

    def check(text: Source, checked_mode: str) -> Model | None:
        return checked_model(text, checked_mode, args, console)

    def show(text: Source) -> None:
        console.source = text

    def warn(message: str) -> None:
        print(f"Warning: {message}", file=sys.stderr, flush=True)

    context = RunContext(
        check, console.error, warn, Path.cwd(), show, evaluate=not args.no_interpreter
    )
    if mode != "workflow":
        with _run_records(args) as records:
            context.records = records
            context.signature = args.signature
            yield context
        return
    try:  # a qadapter file or datastore configuration that cannot be used is reported
        current_config()  # before anything is opened
        context.options = _workflow_options(args, context.workdir)
    except TextsError as error:
        console.error(error)
        yield None
        return
    with _workflow_store(args, console) as store:
        if store is None:
            yield None
            return
        context.store = store
        try:
            context.active = find_active(store, args.uuid)
            if args.retry_failed and context.active is not None:
                retry_failed(store, context.active, context.workdir)
        except TextsError as error:
            console.error(error)
            yield None
            return
        yield context


@contextlib.contextmanager
def _run_records(args: argparse.Namespace) -> Iterator[RecordStore | None]:
    """The records (and result cache) of the run's store, ready for records; ``None``
    when the store cannot take them, which is said on standard error: the run goes on."""
    # lazily for start-up: a command imports only what it runs
    from texts.provenance.recordstore import open_record_store  # noqa: PLC0415
    from texts.store.errors import StoreError  # noqa: PLC0415

    with contextlib.ExitStack() as stack:
        records: RecordStore | None
        try:
            records = stack.enter_context(open_record_store(args.launchpad_file, Path.cwd()))
            records.require_current()
        except (StoreError, OSError) as error:
            print(f"Warning: the run log was not recorded: {error}", file=sys.stderr, flush=True)
            records = None
        yield records


@contextlib.contextmanager
def _workflow_store(args: argparse.Namespace, console: Output) -> Iterator[WorkflowStore | None]:
    """The workflow store of ``-l`` (or FireWorks' configuration, or the embedded one),
    closed afterwards; ``None`` when it cannot be used (reported)."""
    # lazily for start-up: a command imports only what it runs
    from texts.store.errors import StoreError  # noqa: PLC0415
    from texts.store.workflows import open_workflow_store  # noqa: PLC0415

    try:
        store = open_workflow_store(args.launchpad_file, Path.cwd())
    except StoreError as error:
        console.error(TextsError("Configuration error", str(error)))
        yield None
        return
    try:
        yield store
    finally:
        store.close()


def _workflow_options(args: argparse.Namespace, workdir: Path) -> WorkflowOptions:
    # lazily for start-up: a command imports only what it runs
    from texts.executors.workflow.executor import WorkflowOptions  # noqa: PLC0415
    from texts.executors.workflow.queue import batch_queue  # noqa: PLC0415

    return WorkflowOptions(
        args.autorun,
        args.on_demand,
        args.launchpad_file,
        workdir,
        detect_duplicates=not args.no_duplicate_detection
        and args.signature not in ("ignore", "force"),
        signature=args.signature,
        jobs=args.jobs,
        queue=batch_queue(args.qadapter_file, args.launchpad_file, workdir),
    )


def find_active(store: WorkflowStore, uuid: str | None) -> StoredModel | None:
    """The stored model of ``-u UUID`` (``None`` for a new model)."""
    # lazily for start-up: a command imports only what it runs
    from texts.executors.workflow.models import find_model  # noqa: PLC0415

    return find_model(store, uuid) if uuid else None


def retry_failed(store: WorkflowStore, model: StoredModel, workdir: Path) -> None:
    """``--retry-failed``: the model's failed nodes (and what waits for them) run again,
    by the state change of ``%rerun``."""
    # lazily for start-up: a command imports only what it runs
    from texts.executors.workflow.control import change_states  # noqa: PLC0415

    states = store.states(model.fw_ids.values())
    failed = sorted(
        name for name, fw_id in model.fw_ids.items() if states.get(fw_id, ("",))[0] == "FIZZLED"
    )
    if failed:
        change_states(store, model, "rerun", failed, workdir)
        store.flush()
    said = ", ".join(failed) if failed else "none"
    print(f"Failed nodes to run again: {said}", file=sys.stderr, flush=True)


def print_frame(result: RunResult, console: Output, header: str | None = None) -> int:
    """Print the output frame, then show the views (errors there count like print errors);
    the exit status is non-zero when an error was reported."""
    # lazily for start-up: a command imports only what it runs
    from texts.views.display import show_views  # noqa: PLC0415
    from texts.views.terminal import model_display  # noqa: PLC0415

    if header:
        print(header)
    print("program output: >>>")
    print("\n".join(result.lines))
    print("<<<", flush=True)
    errors = result.errors + show_views(result.views, model_display(console.source), console)
    return 1 if errors else 0
