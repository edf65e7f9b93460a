"""``texts export|import|push|pull|db``: the command line of the run records.

Each command works on the store ``texts`` would write its records to here: the MongoDB of
``-l FILE`` (or of FireWorks' configuration), else the embedded store of the working
directory. A failure is one line ``Label: message`` on standard error and exit status 1.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from texts.provenance.recordstore import RecordStore, open_record_store
from texts.store.errors import StoreError

_LABELS = {
    "export": "Export error",
    "import": "Import error",
    "push": "Push error",
    "pull": "Pull error",
    "db": "Store error",
}
_TARGET_HELP = "a launchpad file, or a directory (its texts store)"


def add_record_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    export = commands.add_parser("export", help="write every run record as JSON lines")
    export.add_argument("-o", "--output", help="write to this file (default: standard output)")
    imported = commands.add_parser("import", help="add the run records of an export")
    imported.add_argument("-i", "--input", help="read this file (default: standard input)")
    push = commands.add_parser("push", help="copy the run records TARGET lacks to it")
    push.add_argument("target", metavar="TARGET", help=_TARGET_HELP)
    pull = commands.add_parser("pull", help="copy the run records of SOURCE this store lacks")
    pull.add_argument("source", metavar="SOURCE", help=_TARGET_HELP)
    db = commands.add_parser("db", help="the schema version of the run records' store")
    actions = db.add_subparsers(dest="db_command", metavar="{info,upgrade}", required=True)
    info = actions.add_parser("info", help="where the store is, its version and its records")
    upgrade = actions.add_parser("upgrade", help="upgrade an older store to this textS")
    for parser in (export, imported, push, pull, info, upgrade):
        parser.add_argument("-l", "--launchpad-file", help="the database (default: as texts)")


def run_record_command(args: argparse.Namespace) -> int:
    """Run one records command; report a failure in one line."""
    command = args.command if args.command != "db" else f"db_{args.db_command}"
    try:
        _COMMANDS[command](args)
    except StoreError as error:
        print(f"{_LABELS[args.command]}: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        raise  # the reader stopped early (texts export | head): main() exits quietly
    except (OSError, UnicodeError) as error:
        print(f"{_LABELS[args.command]}: {_file_problem(error)}", file=sys.stderr)
        return 1
    return 0


def _file_problem(error: OSError | UnicodeError) -> str:
    if isinstance(error, OSError):
        return f"{error.filename or 'standard stream'}: {error.strerror}"
    return f"the input is not UTF-8 text ({error})"


@contextlib.contextmanager
def _local(args: argparse.Namespace) -> Iterator[RecordStore]:
    with open_record_store(args.launchpad_file, Path.cwd()) as records:
        yield records


@contextlib.contextmanager
def _stream(name: str | None, mode: str, default: TextIO) -> Iterator[TextIO]:
    """The file ``name`` opened as UTF-8 text, or the standard stream without one."""
    if name is None:
        yield default
        return
    with open(name, mode, encoding="utf-8") as stream:
        yield stream


def _export(args: argparse.Namespace) -> None:
    # lazily for start-up: a command imports only what it runs
    from texts.provenance.transfer import export_lines  # noqa: PLC0415

    with _local(args) as records:
        lines = export_lines(records)
        with _stream(args.output, "w", sys.stdout) as out:
            out.writelines(lines)


def _import(args: argparse.Namespace) -> None:
    # lazily for start-up: a command imports only what it runs
    from texts.provenance.transfer import import_records, read_records  # noqa: PLC0415

    with _stream(args.input, "r", sys.stdin) as lines:
        documents = read_records(lines)
    with _local(args) as records:
        added, present = import_records(records, documents)
    print(f"imported {added} records ({present} already present)")


def _push(args: argparse.Namespace) -> None:
    # lazily for start-up: a command imports only what it runs
    from texts.provenance.transfer import copy_missing, open_other  # noqa: PLC0415

    with _local(args) as records, open_other(records, args.target, existing=False) as target:
        pushed = copy_missing(records, target)
    print(f"pushed {pushed} records to {args.target}")


def _pull(args: argparse.Namespace) -> None:
    # lazily for start-up: a command imports only what it runs
    from texts.provenance.transfer import copy_missing, open_other  # noqa: PLC0415

    with _local(args) as records, open_other(records, args.source, existing=True) as source:
        pulled = copy_missing(source, records)
    print(f"pulled {pulled} records from {args.source}")


def _db_info(args: argparse.Namespace) -> None:
    # lazily for start-up: a command imports only what it runs
    from texts.provenance.schema import describe  # noqa: PLC0415

    with _local(args) as records:
        print("\n".join(describe(records)))


def _db_upgrade(args: argparse.Namespace) -> None:
    # lazily for start-up: a command imports only what it runs
    from texts.executors.workflow.runlog import records_from_workflows  # noqa: PLC0415
    from texts.provenance.schema import upgrade  # noqa: PLC0415

    with _local(args) as records:
        print("\n".join(upgrade(records, records_from_workflows)))


_COMMANDS: dict[str, Callable[[argparse.Namespace], None]] = {
    "export": _export,
    "import": _import,
    "push": _push,
    "pull": _pull,
    "db_info": _db_info,
    "db_upgrade": _db_upgrade,
}
