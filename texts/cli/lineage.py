"""``texts runs`` and ``texts log``: the run log as text, over ``provenance.lineage``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from texts.cli.main import Deprecated
from texts.interpreter.errors import TextsError

DEFAULT_RUNS = 20


def add_lineage_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    runs = commands.add_parser("runs", help="list recent runs, or show one with its nodes")
    runs.add_argument("run", nargs="?", help="a run id (or a prefix of it)")
    runs.add_argument("--limit", type=int, default=DEFAULT_RUNS, help="how many runs to list")
    runs.add_argument(  # -n is --dry-run elsewhere (texts datastore gc)
        "-n", dest="limit", type=int, action=Deprecated, replacement="--limit N"
    )
    runs.add_argument("-l", "--launchpad-file", help="the store (default: as texts)")
    log = commands.add_parser(
        "log", help="how a value was made, or which files were read and written"
    )
    log.add_argument("query", nargs="?", help="a variable, a node hash (or prefix) or a file path")
    log.add_argument("--files", action="store_true", help="list every file read or written")
    log.add_argument("--run", help="look in this run (default: the newest that has it)")
    log.add_argument(
        "--full", action="store_true", help="show a long value whole (else its start and end)"
    )
    uses = log.add_mutually_exclusive_group()
    uses.add_argument(
        "--limit", type=int, metavar="N", help="how many of a file's newest uses to list"
    )
    uses.add_argument("--all", action="store_true", help="list every use of a file")
    log.add_argument("-l", "--launchpad-file", help="the store (default: as texts)")


def model_groups(args: argparse.Namespace) -> dict[str, str]:
    """The vary group of each stored model (none where there is no workflow store)."""
    # lazily for start-up: a command imports only what it runs
    from texts.cli.stores import opened_store  # noqa: PLC0415

    with opened_store(args.launchpad_file, Path.cwd()) as store:
        return store.groups() if store is not None else {}


def run_lineage_command(args: argparse.Namespace) -> int:
    """Answer from the store ``texts`` would use here; errors are one line, exit 1."""
    # lazily for start-up: a command imports only what it runs
    from texts.provenance.lineage import Lineage, LineageError  # noqa: PLC0415
    from texts.provenance.recordstore import open_record_store  # noqa: PLC0415
    from texts.provenance.report import FILE_USES_SHOWN, log_text, runs_text  # noqa: PLC0415
    from texts.store.errors import StoreError  # noqa: PLC0415

    try:
        with open_record_store(args.launchpad_file, Path.cwd()) as records:
            records.require_readable()
            lineage = Lineage(records)
            if args.command == "runs":
                lines = runs_text(lineage, args.run, args.limit, model_groups(args))
            else:
                uses = None if args.all else max(args.limit or FILE_USES_SHOWN, 1)
                lines = log_text(lineage, args.query, args.files, args.run, uses, args.full)
    except StoreError as error:
        print(f"Store error: {error}", file=sys.stderr)
        return 1
    except LineageError as error:
        print(f"Lineage error: {error}", file=sys.stderr)
        return 1
    except TextsError as error:  # a workflow store that cannot be opened
        print(f"{error.label}: {error.message}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0
