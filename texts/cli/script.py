"""``texts script``: run one model file and print its output frame."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from texts.cli.progress import INTERRUPTED_STATUS, message_above
from texts.interpreter.errors import TextsError
from texts.interpreter.source import Source

#: options that only the workflow executor understands, in the order they are reported
WORKFLOW_OPTIONS = (
    ("uuid", "uuid"),
    ("autorun", "autorun"),
    ("qadapter_file", "qadapter_file"),
    ("no_unique_launchdir", "no_unique_launchdir"),
    ("no_duplicate_detection", "no_duplicate_detection"),
    ("on_demand", "on_demand"),
    ("launchpad_file", "launchpad_file"),
)


class Console:
    """Where warnings and errors go: standard error, or the log when logging is on."""

    def __init__(self, args: argparse.Namespace, source: Source | None = None) -> None:
        self.show_warnings = not args.ignore_warnings
        self.source = source
        self.logger: logging.Logger | None = None
        if args.enable_logging and logging.getLevelName(args.logging_level) <= logging.ERROR:
            logging.basicConfig(
                filename=args.logfile,
                level=args.logging_level,
                format="%(levelname)s:%(name)s:%(message)s",
            )
            # libraries' loggers set their own levels (FireWorks logs at DEBUG): what
            # reaches the log must still be at the level the user chose
            for handler in logging.getLogger().handlers:
                handler.setLevel(args.logging_level)
            self.logger = logging.getLogger("texts.errors")
        self.errors = 0

    def warn(self, message: str) -> None:
        if self.show_warnings:
            _above_progress(f"Warning: {message}")

    def error(self, error: TextsError) -> None:
        self.errors += 1
        if self.logger is not None:  # one log line: no excerpt lines
            self.logger.error(error.render(self.source, pointed=False).replace("\n", " "))
        else:
            _above_progress(error.render(self.source))


def _above_progress(text: str) -> None:
    """A message on standard error, with a progress line (if one is shown) out of its way."""
    message_above(lambda: print(text, file=sys.stderr, flush=True))


def read_source(path: str) -> Source:
    """Read a model file as UTF-8 (LF or CRLF line ends); errors carry no location."""
    absolute = str(Path(path).absolute())
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise TextsError(
            "Operating system error", f"[Errno {exc.errno}] {exc.strerror}: '{path}'"
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TextsError(
            "Operating system error",
            f"{absolute} is not UTF-8 text (byte {exc.start}: {exc.reason})",
        ) from None
    return Source(text.replace("\r\n", "\n"), absolute)


def run_script(args: argparse.Namespace) -> int:
    """Parse, check and run a model; return the exit status (non-zero on any error)."""
    console = Console(args)
    mode = args.mode
    for forcing in ("show_model", "no_interpreter"):
        if getattr(args, forcing) and mode != "instant":
            console.warn(f"switching to instant mode due to argument {forcing.replace('_', '-')}")
            mode = "instant"
    if mode != "workflow":
        for attribute, name in WORKFLOW_OPTIONS:
            if getattr(args, attribute):
                console.warn(f"argument {name} will be ignored in {mode} mode")
    try:
        source = read_source(args.model_file) if args.model_file else Source("", None)
    except TextsError as error:
        console.error(error)
        return 1
    console.source = source
    # lazily for start-up: a command imports only what it runs
    from texts.cli.running import run_source  # noqa: PLC0415

    try:
        return run_source(source, mode, args, console)
    except KeyboardInterrupt:
        print("Interrupted: nothing was printed.", file=sys.stderr, flush=True)
        return INTERRUPTED_STATUS
