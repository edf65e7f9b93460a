"""Run a program text with an executor: the part of ``texts script`` after reading."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from texts.executors.base import RunResult
from texts.interpreter.errors import TextsError, runtime_warnings
from texts.interpreter.model import Model
from texts.interpreter.source import Source

if TYPE_CHECKING:
    from texts.executors.workflow.models import StoredModel
    from texts.provenance.recordstore import RecordStore
    from texts.provenance.reuse import Reuse
    from texts.provenance.runlog import NodeEvents, RunLog


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
    from texts.grammar import parse_source
    from texts.interpreter.checks import check_program

    try:
        program = parse_source(source)
        if not program.statements:
            return None
        if args.show_model:
            from texts.cli.graphviz import show_model

            said = show_model(program, Path(source.path).with_suffix(".dot"))
            print(said, file=sys.stderr, flush=True)
            return None
        return check_program(program, mode, console.warn)
    except TextsError as error:
        console.error(error)
        raise Reported from None


def run_source(source: Source, mode: str, args: argparse.Namespace, console: Output) -> int:
    """Parse, check, export and evaluate; print the output frame; return the exit status."""
    if mode == "workflow":
        return run_workflow(source, args, console)
    from texts.executors import EXECUTORS

    try:
        model = checked_model(source, mode, args, console)
    except Reported:
        return 1
    if model is None:
        return 0
    from texts.cli.progress import shown_progress

    reuse = result_reuse(model, source, args)
    run_log = begin_run_log(model, mode, source, reuse, args)
    executor = EXECUTORS[mode](model, console.error, reuse)
    with runtime_warnings(console.warn), shown_progress(args.quiet) as progress:
        try:
            for statement in model.exports:
                executor.export(statement)
        except TextsError as error:
            console.error(error)
            end_run_log(run_log, executor.events, failed=True, args=args)
            return 1
        result = None if args.no_interpreter else executor.run()
        progress.close()
    if result is None:
        status = finish_reuse(reuse, args)
    else:
        status = max(print_frame(result, console), finish_reuse(reuse, args))
    end_run_log(run_log, executor.events, failed=status != 0, args=args)
    return status


def begin_run_log(
    model: Model, mode: str, source: Source, reuse: Reuse, args: argparse.Namespace
) -> RunLog | None:
    """Record that the run started (``processing``); ``None`` when the store cannot take
    records, which is said on standard error: the run itself goes on."""
    from texts.provenance.runlog import RunLog, file_model_uuid, run_identity

    workdir = Path.cwd()
    path = str(source.path)
    identity = run_identity(model, mode, path, file_model_uuid(path), workdir)
    run_log = RunLog(model, identity, reuse.signer)
    return run_log if _write_records(args, run_log.start) else None


def end_run_log(
    run_log: RunLog | None, events: NodeEvents, *, failed: bool, args: argparse.Namespace
) -> None:
    """Record the run's nodes and its final status."""
    if run_log is not None:
        _write_records(args, lambda records: run_log.finish(records, events, failed))


def _write_records(args: argparse.Namespace, write: Callable[[RecordStore], None]) -> bool:
    from texts.provenance.recordstore import RecordStoreError, open_record_store

    try:
        with open_record_store(args.launchpad_file, Path.cwd()) as records:
            records.require_current()
            write(records)
    except (RecordStoreError, OSError) as error:
        print(f"Warning: the run log was not recorded: {error}", file=sys.stderr, flush=True)
        return False
    return True


def result_reuse(model: Model, source: Source, args: argparse.Namespace) -> Reuse:
    """The run's use of the cache in the working directory's ``.texts/``."""
    from texts.provenance.cache import CACHE_DIRECTORY, ResultCache
    from texts.provenance.reuse import Reuse

    workdir = Path.cwd()
    cache = ResultCache(workdir / CACHE_DIRECTORY)
    return Reuse(model, args.signature, cache, str(source.path), workdir)


def finish_reuse(reuse: Reuse, args: argparse.Namespace) -> int:
    """Record what ran for the next run; with ``--verbose`` say what was reused and why."""
    try:
        reuse.finish()
    except OSError as error:
        print(f"Warning: the result cache was not updated: {error}", file=sys.stderr)
    if args.verbose:
        print("\n".join(reuse.summary()), file=sys.stderr, flush=True)
    return 0


def print_frame(result: RunResult, console: Output, header: str | None = None) -> int:
    """Print the output frame, then show the views (errors there count like print errors);
    the exit status is non-zero when an error was reported."""
    from texts.views.display import show_views
    from texts.views.terminal import model_display

    if header:
        print(header)
    print("program output: >>>")
    print("\n".join(result.lines))
    print("<<<", flush=True)
    errors = result.errors + show_views(result.views, model_display(console.source), console)
    return 1 if errors else 0


def run_workflow(source: Source, args: argparse.Namespace, console: Output) -> int:
    """Store the model in the workflow database (a new one, or added to the one of ``-u``
    and its group), run it by the chosen policy and print the new input's prints."""
    from texts.datastore.config import current_config
    from texts.executors.workflow.executor import WorkflowOptions
    from texts.executors.workflow.models import find_model
    from texts.executors.workflow.mongodb import LaunchpadError
    from texts.executors.workflow.processing import process_input
    from texts.executors.workflow.queue import batch_queue
    from texts.executors.workflow.store import StoreError, open_launchpad

    workdir = Path.cwd()
    try:
        current_config()  # a mistake in the datastore's files is reported before anything runs
        queue = batch_queue(args.qadapter_file, args.launchpad_file, workdir)
        launchpad, store = open_launchpad(args.launchpad_file, workdir)
    except (LaunchpadError, StoreError) as error:
        console.error(TextsError("Configuration error", str(error)))
        return 1
    except TextsError as error:  # the qadapter file, the datastore configuration
        console.error(error)
        return 1

    def check(text: Source) -> Model | None:
        return checked_model(text, "workflow", args, console)

    def show(text: Source) -> None:
        console.source = text

    from texts.cli.progress import (
        INTERRUPTED_STATUS,
        interrupt_handling,
        shown_progress,
        stopped_summary,
    )
    from texts.run_events import stop_requested

    try:
        active = find_model(launchpad, args.uuid) if args.uuid else None
        if args.retry_failed and active is not None:
            retry_failed(launchpad, active, store.flush if store is not None else None)
        options = WorkflowOptions(
            args.autorun,
            args.on_demand,
            args.launchpad_file,
            workdir,
            detect_duplicates=not args.no_duplicate_detection
            and args.signature not in ("ignore", "force"),
            jobs=args.jobs,
            queue=queue,
        )
        flush = store.flush if store is not None else None
        with (
            runtime_warnings(console.warn),
            shown_progress(args.quiet) as progress,
            interrupt_handling(progress, args.jobs),
        ):
            processed = process_input(
                source, active, check, console.error, launchpad, options, flush, show
            )
            stopped = stop_requested()
    except Reported:
        return 1
    except TextsError as error:
        console.error(error)
        return 1
    finally:
        if store is not None:
            store.close()
    if processed is None:
        return 0
    status = print_frame(processed.result, console, f"program UUID: {processed.uuid}")
    if processed.rows:
        print(group_table(processed.rows), flush=True)
    if args.verbose:
        from texts.provenance.reuse import summary

        print("\n".join(summary(processed.decisions)), file=sys.stderr, flush=True)
    if stopped:
        print("\n".join(stopped_summary(progress, processed.uuid)), file=sys.stderr, flush=True)
        return INTERRUPTED_STATUS
    return status


def group_table(rows: list[Any]) -> str:
    """The results of every model of a vary group: its parameters, UUID and output."""
    from texts.session.tables import ruled_table

    names = list(rows[0].vary)
    table = [
        [*(row.vary.get(name, "") for name in names), row.uuid, "\n".join(row.lines)]
        for row in rows
    ]
    return f"vary group of {len(rows)} models:\n" + ruled_table(
        [*names, "model UUID", "output"], table
    )


def retry_failed(launchpad: Any, model: StoredModel, flush: Callable[[], None] | None) -> None:
    """``--retry-failed``: the model's failed nodes (and what waits for them) run again."""
    from texts.executors.workflow.control import change_states

    failed = [
        name
        for name, fw_id in model.fw_ids.items()
        if launchpad.fireworks.find_one({"fw_id": fw_id}, {"state": 1})["state"] == "FIZZLED"
    ]
    if failed:
        change_states(launchpad, model, "rerun", sorted(failed))
        if flush is not None:
            flush()
    said = ", ".join(sorted(failed)) if failed else "none"
    print(f"Failed nodes to run again: {said}", file=sys.stderr, flush=True)
