"""Run a program text with an executor: the part of ``texts script`` after reading."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Protocol

from texts.interpreter.errors import TextsError
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
    executor_class = EXECUTORS.get(mode)
    if executor_class is None:
        console.error(TextsError("Configuration error", f"the {mode} executor is not available"))
        return 1
    executor = executor_class(model, console.error)
    try:
        for statement in model.exports:
            executor.export(statement)
    except TextsError as error:
        console.error(error)
        return 1
    if args.no_interpreter:
        return 0
    result = executor.run()
    print("program output: >>>")
    print("\n".join(result.lines))
    print("<<<", flush=True)
    return 1 if result.errors else 0
