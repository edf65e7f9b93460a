"""``texts session``: a read-eval-print loop on a persistent workflow model."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from texts.cli.progress import interrupt_handling, is_terminal, shown_progress
from texts.cli.script import Console
from texts.interpreter.errors import TextsError
from texts.session.session import Session, SessionOptions, is_complete, option_values
from texts.views.terminal import TerminalDisplay

PROMPT = "Input > "
CONTINUATION = "      > "
BANNER = "Welcome to textS. Type %help for help, %exit to leave."


def run_session(
    args: argparse.Namespace, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    """Run the loop until ``%exit`` or the end of the input; 1 if the start-up failed."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    console = Console(args)

    def write(text: str) -> None:
        print(text, file=stdout, flush=True)

    options = SessionOptions(
        **option_values(args),
        background=args.async_run,
        sleep_seconds=args.sleep_time,
        workdir=Path.cwd(),
    )
    session = Session(options, console, write, TerminalDisplay(Path.cwd(), "session"))
    print(BANNER, file=sys.stderr, flush=True)
    try:
        if args.uuid:
            session.switch(args.uuid)
        if args.model_file:
            session.load_file(args.model_file, new_model=False)
    except TextsError as error:
        console.error(error)
        return 1
    if args.async_run and args.autorun:
        session.handle("%start")
    on_terminal = is_terminal(stdin) and is_terminal(stdout)
    try:
        for text in _inputs(session, stdin, stdout, on_terminal):
            if not _handle(session, text, on_terminal, args.jobs):
                break
    finally:
        if session.background is not None:
            session.background.stop()
    write("Exiting")
    return 0


def _inputs(session: Session, stdin: TextIO, stdout: TextIO, on_terminal: bool) -> Iterator[str]:
    """A line editor on a terminal; lines as they come from a pipe or a file."""
    if not on_terminal:
        return inputs(stdin, stdout)
    # lazily for start-up: prompt_toolkit only on a terminal
    from texts.cli.terminal import terminal_inputs  # noqa: PLC0415

    return terminal_inputs(session, PROMPT, CONTINUATION, session.model_names)


def _handle(session: Session, text: str, on_terminal: bool, jobs: int) -> bool:
    """Process an input; on a terminal with the progress line and Ctrl-C stopping the
    evaluation as in ``texts script``."""
    if not on_terminal:
        return session.handle(text)
    with (
        shown_progress(quiet=False, announce=False) as progress,
        interrupt_handling(progress, jobs),
    ):
        return session.handle(text)


def inputs(stdin: TextIO, stdout: TextIO) -> Iterator[str]:
    """Complete inputs: lines joined while brackets are open or an operator ends a line."""
    lines: list[str] = []
    while True:
        stdout.write(CONTINUATION if lines else PROMPT)
        stdout.flush()
        line = stdin.readline()
        if not line:
            if lines:
                yield "\n".join(lines)
            stdout.write("\n")
            return
        lines.append(line.rstrip("\n"))
        text = "\n".join(lines)
        if is_complete(text):
            lines = []
            yield text
