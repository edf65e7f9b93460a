"""``texts``: parse the command line and dispatch to a sub-command.

``texts FILE.vm [options]`` is short for ``texts script -f FILE.vm [options]``.

Every flag has one meaning in every command. Where the reference tool (vre-language) has
a flag, it keeps the reference's meaning: ``-v`` is the version, ``-s`` the session's
sleep time, ``-q`` the queue adapter file. A spelling this tool used to give another
meaning is refused with the right form when the reference gives it a meaning, and is
still accepted with a deprecation warning when it does not (``texts runs -n``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from texts import __version__

MODES = ("instant", "deferred", "workflow")
SIGNATURE_MODES = ("ignore", "default", "assert", "force", "build")
LOG_LEVELS = ("NOTSET", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
SIGPIPE_STATUS = 141  # how a shell reports a program stopped by a closed pipe
RECORD_COMMANDS = ("export", "import", "push", "pull", "db")
PUBLIC_COMMANDS = (
    "script",
    "session",
    "models",
    "runs",
    "log",
    "datastore",
    *RECORD_COMMANDS,
    "kernel",
)
INTERNAL_COMMANDS = ("worker",)  # run by batch jobs, not by users: not listed
SUBCOMMANDS = (*PUBLIC_COMMANDS, *INTERNAL_COMMANDS)
TOP_LEVEL_OPTIONS = ("-h", "--help", "-v", "--version")

USAGE = """texts [-h] [-v] FILE.vm [script options]
       texts [-h] [-v] COMMAND [options]"""
EPILOG = """\
texts FILE.vm [options] is short for texts script -f FILE.vm [options];
texts COMMAND -h shows the options of a command."""


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


class TextsParser(argparse.ArgumentParser):
    """argparse, with usage errors that name the right form instead of internal choices."""

    commands: dict[str, argparse.ArgumentParser]

    def error(self, message: str) -> NoReturn:
        if "invalid choice" in message and self.prog == "texts":
            message = _unknown_command(message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _unknown_command(message: str) -> str:
    """``texts -f x.vm`` or ``texts modle.vm``: say what was meant, never list internals."""
    given = message.split("'")[1] if "'" in message else ""
    hint = (
        f"to run a model file: texts {given} or texts script -f {given}"
        if given.endswith(".vm")
        else f"a command is one of {', '.join(PUBLIC_COMMANDS)}, or a model file FILE.vm"
    )
    return f"unknown command {given!r}; {hint}"


class Refused(argparse.Action):
    """A spelling the reference gives another meaning: a usage error naming the right one."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        self.hint = kwargs.pop("hint")
        kwargs.setdefault("nargs", 0)
        super().__init__(option_strings, dest, help=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        parser.error(self.hint)


class Deprecated(argparse.Action):
    """An old spelling the reference has no meaning for: works, with a warning."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        self.replacement = kwargs.pop("replacement")
        super().__init__(option_strings, dest, help=argparse.SUPPRESS, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        print(
            f"Warning: {parser.prog} {option_string} is deprecated; use {self.replacement}",
            file=sys.stderr,
        )
        setattr(namespace, self.dest, values)


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by scripts, sessions and ``%%texts`` cells (the reference's names)."""
    parser.add_argument("-g", "--grammar-path", help="use another grammar file")
    parser.add_argument("-l", "--launchpad-file", help="workflow mode: database settings")
    parser.add_argument("-u", "--uuid", help="workflow mode: extend the model with this UUID")
    parser.add_argument("-r", "--autorun", action="store_true", help="workflow mode: evaluate now")
    parser.add_argument(
        "-d",
        "--on-demand",
        action="store_true",
        help="workflow mode: evaluate now, only what the prints need (implies -r)",
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


def add_signature_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--signature",
        choices=SIGNATURE_MODES,
        default="default",
        metavar="MODE",
        help="reuse of results by content signature: default (reuse what matches), ignore, "
        "force (recompute, rewrite export files textS wrote), assert, build",
    )


def _add_script_parser(commands: Any) -> argparse.ArgumentParser:
    script = commands.add_parser(
        "script",
        help="run a model file (texts FILE.vm is short for texts script -f FILE.vm)",
        description="Run a model file in instant, deferred or workflow mode.",
    )
    script.add_argument(
        "-f", "--model-file", help="the model to run (optional with -u: run the stored model)"
    )
    script.add_argument(
        "-m", "--mode", choices=MODES, help="evaluation mode (default: instant; workflow with -u)"
    )
    add_run_options(script)
    script.add_argument(
        "--retry-failed",
        action="store_true",
        help="workflow mode, with -u: run the model's failed nodes again (implies -r)",
    )
    script.add_argument(
        "--no-interpreter",
        action="store_true",
        help="parse, check and export, but do not evaluate prints",
    )
    script.add_argument(
        "--show-model",
        action="store_true",
        help="write the model's syntax tree as a Graphviz file FILE.dot (and FILE.svg when "
        "Graphviz is installed) instead of running it",
    )
    add_signature_option(script)
    script.add_argument(
        "--verbose", action="store_true", help="say for each node if it was computed or reused, why"
    )
    script.add_argument(
        "--quiet",
        action="store_true",
        help="no model UUID and no progress line on standard error",
    )
    script.add_argument(
        "-s",
        action=Refused,
        dest="refused_s",
        hint="-s is the session's --sleep-time; for the signature mode use --signature MODE",
    )
    script.add_argument(
        "-v",
        action=Refused,
        dest="refused_v",
        hint="-v is texts -v (the version); to say what each node did use --verbose",
    )
    return script


def _add_session_parser(commands: Any) -> None:
    session = commands.add_parser(
        "session",
        help="work on a persistent model interactively",
        description="An interactive session on a persistent (workflow) model.",
    )
    session.add_argument("-f", "--model-file", help="start with the statements of this file")
    session.add_argument(
        "-a", "--async-run", action="store_true", help="evaluate in the background (implies -r)"
    )
    session.add_argument(
        "-s", "--sleep-time", type=float, default=30.0, help="seconds between background turns"
    )
    add_run_options(session)
    add_signature_option(session)


def build_parser() -> TextsParser:
    parser = TextsParser(
        prog="texts",
        usage=USAGE,
        description="Run models written in the textS language.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-v", "--version", action="store_true", help="print version information")
    commands = parser.add_subparsers(
        dest="command",
        metavar="COMMAND",
        title="commands",
        prog="texts",
        parser_class=argparse.ArgumentParser,
    )
    parser.commands = {"script": _add_script_parser(commands)}
    _add_session_parser(commands)
    # lazily for start-up: a command imports only what it runs
    from texts.cli.models import add_models_parser  # noqa: PLC0415

    add_models_parser(commands)
    # lazily for start-up: a command imports only what it runs
    from texts.cli.lineage import add_lineage_parsers  # noqa: PLC0415

    add_lineage_parsers(commands)
    # lazily for start-up: a command imports only what it runs
    from texts.datastore.cli import add_datastore_parser  # noqa: PLC0415

    add_datastore_parser(commands)
    # lazily for start-up: a command imports only what it runs
    from texts.cli.records import add_record_parsers  # noqa: PLC0415

    add_record_parsers(commands)
    # lazily for start-up: a command imports only what it runs
    from texts.jupyter.install import add_kernel_parser  # noqa: PLC0415

    add_kernel_parser(commands)
    # lazily for start-up: a command imports only what it runs
    from texts.executors.workflow.worker import add_worker_parser  # noqa: PLC0415

    add_worker_parser(commands)
    return parser


def normalise(argv: Sequence[str]) -> list[str]:
    """Turn the short form ``texts FILE.vm ...`` into ``texts script -f FILE.vm ...``."""
    args = list(argv)
    first = args[0] if args else ""
    if first and not first.startswith("-") and first not in SUBCOMMANDS and _is_path(first):
        return ["script", "-f", first, *args[1:]]
    return args


def _is_path(text: str) -> bool:
    """A model file as the first word: ``model.vm``, a path, or any file that exists."""
    return text.endswith(".vm") or "/" in text or os.path.exists(text)


def _check_script(args: argparse.Namespace, script: argparse.ArgumentParser) -> None:
    """Usage errors of ``texts script`` that argparse cannot see (exit status 2)."""
    if args.model_file is None and not args.uuid:
        script.error(
            "the following arguments are required: -f/--model-file "
            "(or -u UUID to run a stored model)"
        )
    if args.retry_failed and not args.uuid:
        script.error("--retry-failed needs the model: texts script -u UUID --retry-failed")
    if args.model_file is None and args.mode != "workflow":
        script.error(f"-u UUID without -f runs a stored model in workflow mode, not {args.mode}")


def _implied(args: argparse.Namespace) -> None:
    """Flags that need another one turn it on: evaluation on demand or in the background,
    and retrying failed nodes, all evaluate (``-r``); ``-u`` without a file runs the
    stored model, in workflow mode."""
    if getattr(args, "on_demand", False) or getattr(args, "async_run", False):
        args.autorun = True
    if getattr(args, "retry_failed", False):
        args.autorun = True
    if args.command == "script" and args.mode is None:
        args.mode = "workflow" if args.uuid and not args.model_file else "instant"


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
    parser: TextsParser = build_parser()
    given = list(sys.argv[1:] if argv is None else argv)
    if given and given[0].startswith("-") and given[0] not in TOP_LEVEL_OPTIONS:
        parser.error(  # texts -f x.vm, texts -u UUID -r: options of a command, before it
            f"{given[0]} is not an option of texts itself; options of a run follow the "
            f"command: texts script {' '.join(given)}"
        )
    args = parser.parse_args(normalise(given))
    if args.version:
        print(version_report())
        return 0
    if args.command is None:
        parser.print_usage(sys.stderr)
        print(
            "texts: error: a command is required: texts FILE.vm or texts script -f FILE.vm "
            "(texts -h lists the commands)",
            file=sys.stderr,
        )
        return 2
    _implied(args)
    if args.command == "script":
        _check_script(args, parser.commands["script"])
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    command = args.command
    if command == "script":
        # lazily for start-up: a command imports only what it runs
        from texts.cli.script import run_script  # noqa: PLC0415

        return run_script(args)
    if command == "session":
        # lazily for start-up: a command imports only what it runs
        from texts.cli.session import run_session  # noqa: PLC0415

        return run_session(args)
    if command == "models":
        # lazily for start-up: a command imports only what it runs
        from texts.cli.models import run_models_command  # noqa: PLC0415

        return run_models_command(args)
    if command == "kernel":
        # lazily for start-up: a command imports only what it runs
        from texts.jupyter.install import run_kernel_command  # noqa: PLC0415

        return run_kernel_command(args)
    if command == "datastore":
        # lazily for start-up: a command imports only what it runs
        from texts.datastore.cli import run_datastore_command  # noqa: PLC0415

        return run_datastore_command(args)
    if command == "worker":
        # lazily for start-up: a command imports only what it runs
        from texts.executors.workflow.worker import run_worker  # noqa: PLC0415

        return run_worker(args)
    if command in ("runs", "log"):
        # lazily for start-up: a command imports only what it runs
        from texts.cli.lineage import run_lineage_command  # noqa: PLC0415

        return run_lineage_command(args)
    # lazily for start-up: a command imports only what it runs
    from texts.cli.records import run_record_command  # noqa: PLC0415

    return run_record_command(args)
