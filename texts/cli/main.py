"""``texts``: parse the command line and dispatch to a sub-command.

``texts FILE.vm [options]`` is short for ``texts script -f FILE.vm [options]``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from texts import __version__

MODES = ("instant", "deferred", "workflow")
SIGNATURE_MODES = ("ignore", "default", "assert", "force", "build")
LOG_LEVELS = ("NOTSET", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
SIGPIPE_STATUS = 141  # how a shell reports a program stopped by a closed pipe
RECORD_COMMANDS = ("export", "import", "push", "pull", "db")
SUBCOMMANDS = (
    "script",
    "session",
    "kernel",
    "datastore",
    "worker",
    "runs",
    "log",
    *RECORD_COMMANDS,
)


def version_report() -> str:
    # lazily for start-up: a command imports only what it runs
    from texts.grammar.loader import GRAMMAR_VERSION  # noqa: PLC0415

    return "\n".join(
        [
            f"textS: {__version__}",
            f"grammar version: {GRAMMAR_VERSION}",
            f"python version: {sys.version}",
        ]
    )


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive integer: {text!r}")
    return int(text)


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by scripts and sessions (the reference's option names)."""
    parser.add_argument("-g", "--grammar-path", help="use another grammar file")
    parser.add_argument("-l", "--launchpad-file", help="workflow mode: database settings")
    parser.add_argument("-u", "--uuid", help="workflow mode: extend the model with this UUID")
    parser.add_argument("-r", "--autorun", action="store_true", help="workflow mode: evaluate now")
    parser.add_argument(
        "-d",
        "--on-demand",
        action="store_true",
        help="workflow mode: evaluate only what the prints need",
    )
    parser.add_argument("-q", "--qadapter-file", help="workflow mode: default queue adapter")
    parser.add_argument(
        "-j",
        "--jobs",
        type=positive_int,
        default=1,
        help="workflow mode: run up to this many independent nodes at once",
    )
    parser.add_argument("-w", "--ignore-warnings", action="store_true", help="do not show warnings")
    parser.add_argument(
        "--no-unique-launchdir",
        action="store_true",
        help="workflow mode: no unique directory per evaluation step",
    )
    parser.add_argument("--enable-logging", action="store_true", help="turn on log messages")
    parser.add_argument(
        "--logging-level", choices=LOG_LEVELS, default="CRITICAL", help="the level of log messages"
    )
    parser.add_argument("--logfile", help="write log messages to this file")
    parser.add_argument(
        "--no-duplicate-detection",
        action="store_true",
        help="workflow mode: do not reuse results of identical computations",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="texts", description="Run models written in the textS language."
    )
    parser.add_argument("-v", "--version", action="store_true", help="print version information")
    commands = parser.add_subparsers(
        dest="command",
        metavar="{script,session,kernel,datastore,runs,log,export,import,push,pull,db}",
    )
    script = commands.add_parser("script", help="run a model file")
    script.add_argument("-f", "--model-file", required=True, help="the model to run")
    script.add_argument("-m", "--mode", choices=MODES, default="instant", help="evaluation mode")
    add_run_options(script)
    script.add_argument(
        "--no-interpreter",
        action="store_true",
        help="parse, check and export, but do not evaluate prints",
    )
    script.add_argument(
        "--show-model",
        action="store_true",
        help="write the model's dependency graph as a Graphviz file",
    )
    script.add_argument(
        "-s",
        "--signature",
        choices=SIGNATURE_MODES,
        default="default",
        help="reuse of results by content signature (default: reuse what matches)",
    )
    script.add_argument(
        "-v", "--verbose", action="store_true", help="say for each node if it was cached, and why"
    )
    session = commands.add_parser("session", help="work on a persistent model interactively")
    session.add_argument("-f", "--model-file", help="start with the statements of this file")
    session.add_argument(
        "-a", "--async-run", action="store_true", help="evaluate in the background"
    )
    session.add_argument(
        "-s", "--sleep-time", type=float, default=30.0, help="seconds between background turns"
    )
    add_run_options(session)
    # lazily for start-up: a command imports only what it runs
    from texts.jupyter.install import add_kernel_parser  # noqa: PLC0415

    add_kernel_parser(commands)
    # lazily for start-up: a command imports only what it runs
    from texts.datastore.cli import add_datastore_parser  # noqa: PLC0415

    add_datastore_parser(commands)
    # lazily for start-up: a command imports only what it runs
    from texts.executors.workflow.worker import add_worker_parser  # noqa: PLC0415

    add_worker_parser(commands)
    # lazily for start-up: a command imports only what it runs
    from texts.cli.lineage import add_lineage_parsers  # noqa: PLC0415

    add_lineage_parsers(commands)
    # lazily for start-up: a command imports only what it runs
    from texts.cli.records import add_record_parsers  # noqa: PLC0415

    add_record_parsers(commands)
    return parser


def normalise(argv: Sequence[str]) -> list[str]:
    """Turn the short form ``texts FILE.vm ...`` into ``texts script -f FILE.vm ...``."""
    args = list(argv)
    if args and not args[0].startswith("-") and args[0] not in SUBCOMMANDS:
        return ["script", "-f", args[0], *args[1:]]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    # lazily for start-up: only this path needs it (the configuration check stays light)
    from texts.fireworks_config import check_fireworks_imports  # noqa: PLC0415

    check_fireworks_imports()
    try:
        status = run_command(argv)
        sys.stdout.flush()  # a closed reader shows here, not in the flush at exit
        return status
    except BrokenPipeError:
        return reader_closed()
    except Exception as error:  # FireWorks' configuration, met wherever FireWorks is imported
        # lazily for start-up: only this path needs it (the configuration check stays light)
        from texts.interpreter.errors import TextsError  # noqa: PLC0415

        if not isinstance(error, TextsError) or error.label != "Configuration error":
            raise
        print(error.render(), file=sys.stderr, flush=True)
        return 1


def reader_closed() -> int:
    """The reader of standard output stopped early (``texts log x | head -1``): there is
    nothing to report, so exit as a program stopped by SIGPIPE does (128 + 13), with no
    traceback. Standard output is pointed at the null device first, so that the final
    flush at exit does not fail on the closed pipe again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return SIGPIPE_STATUS


def run_command(argv: Sequence[str] | None) -> int:
    """Parse the command line and run the command it names."""
    args = build_parser().parse_args(normalise(sys.argv[1:] if argv is None else argv))
    if args.version:
        print(version_report())
        return 0
    if args.command == "script":
        # lazily for start-up: a command imports only what it runs
        from texts.cli.script import run_script  # noqa: PLC0415

        return run_script(args)
    if args.command == "session":
        # lazily for start-up: a command imports only what it runs
        from texts.cli.session import run_session  # noqa: PLC0415

        return run_session(args)
    if args.command == "kernel":
        # lazily for start-up: a command imports only what it runs
        from texts.jupyter.install import run_kernel_command  # noqa: PLC0415

        return run_kernel_command(args)
    if args.command == "datastore":
        # lazily for start-up: a command imports only what it runs
        from texts.datastore.cli import run_datastore_command  # noqa: PLC0415

        return run_datastore_command(args)
    if args.command == "worker":
        # lazily for start-up: a command imports only what it runs
        from texts.executors.workflow.worker import run_worker  # noqa: PLC0415

        return run_worker(args)
    if args.command in ("runs", "log"):
        # lazily for start-up: a command imports only what it runs
        from texts.cli.lineage import run_lineage_command  # noqa: PLC0415

        return run_lineage_command(args)
    if args.command in RECORD_COMMANDS:
        # lazily for start-up: a command imports only what it runs
        from texts.cli.records import run_record_command  # noqa: PLC0415

        return run_record_command(args)
    build_parser().print_usage(sys.stderr)
    print(
        "texts: error: a command is required: texts FILE.vm or texts script -f FILE.vm",
        file=sys.stderr,
    )
    return 2
