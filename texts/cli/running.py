"""Run a program text with an executor: the part of ``texts script`` after reading."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Protocol

from texts.executors.base import RunResult
from texts.interpreter.errors import TextsError
from texts.interpreter.model import Model
from texts.interpreter.source import Source


class Output(Protocol):
    def warn(self, message: str) -> None: ...

    def error(self, error: TextsError) -> None: ...


def run_source(source: Source, mode: str, args: argparse.Namespace, console: Output) -> int:
    """Parse, check, export and evaluate; print the output frame; return the exit status."""
    from texts.grammar import parse_program

    try:
        program = parse_program(source.text, source.path)
    except TextsError as error:
        console.error(error)
        return 1
    if not program.statements:
        return 0
    if args.show_model:
        from texts.cli.graphviz import write_dot

        write_dot(program, Path(source.path).with_suffix(".dot"))
        return 0
    from texts.executors import EXECUTORS
    from texts.interpreter.checks import check_program

    try:
        model = check_program(program, mode, console.warn)
    except TextsError as error:
        console.error(error)
        return 1
    if mode == "workflow":
        return run_workflow(model, args, console)
    executor = EXECUTORS[mode](model, console.error)
    try:
        for statement in model.exports:
            executor.export(statement)
    except TextsError as error:
        console.error(error)
        return 1
    if args.no_interpreter:
        return 0
    return print_frame(executor.run())


def print_frame(result: RunResult, header: str | None = None) -> int:
    """Print the output frame; the exit status is non-zero when an error was reported."""
    if header:
        print(header)
    print("program output: >>>")
    print("\n".join(result.lines))
    print("<<<", flush=True)
    return 1 if result.errors else 0


def run_workflow(model: Model, args: argparse.Namespace, console: Output) -> int:
    """Store the model in the workflow database, run it by the chosen policy, print."""
    from texts.executors.workflow.executor import WorkflowExecutor, WorkflowOptions
    from texts.executors.workflow.store import open_launchpad

    workdir = Path.cwd()
    launchpad, store = open_launchpad(args.launchpad_file, workdir)
    try:
        options = WorkflowOptions(args.autorun, args.on_demand, args.launchpad_file, workdir)
        flush = store.flush if store is not None else None
        executor = WorkflowExecutor(model, console.error, options, launchpad, flush)
        result = executor.run()
    finally:
        if store is not None:
            store.close()
    return print_frame(result, f"program UUID: {executor.uuid}")
