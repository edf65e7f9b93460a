"""``texts datastore gc [--dry-run]``: the command line of the datastore."""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_MIN_AGE = 3600.0


def add_datastore_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    datastore = commands.add_parser("datastore", help="manage offloaded values")
    actions = datastore.add_subparsers(dest="datastore_command", metavar="{gc}", required=True)
    gc = actions.add_parser("gc", help="remove offloaded files that no stored model references")
    gc.add_argument("-n", "--dry-run", action="store_true", help="list them, remove nothing")
    gc.add_argument("-l", "--launchpad-file", help="the workflow database (default: as texts)")
    gc.add_argument(
        "--min-age",
        type=float,
        default=DEFAULT_MIN_AGE,
        metavar="SECONDS",
        help="spare files written more recently (default: one hour)",
    )


def run_datastore_command(args: argparse.Namespace) -> int:
    """Run ``gc`` on the workflow store ``texts`` would use here; report each file."""
    import sys

    from texts.cli.stores import store_exists
    from texts.datastore.gc import collect_garbage
    from texts.executors.workflow.mongodb import LaunchpadError
    from texts.executors.workflow.store import StoreError, open_launchpad
    from texts.interpreter.errors import TextsError

    workdir = Path.cwd()
    launchpad, store = None, None
    try:  # without a store here, only the stores registered with the datastore count
        if store_exists(args.launchpad_file, workdir):  # gc creates no store
            launchpad, store = open_launchpad(args.launchpad_file, workdir)
    except (LaunchpadError, StoreError) as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 1
    try:
        collected = collect_garbage(launchpad, workdir, args.min_age, args.dry_run)
    except TextsError as error:
        print(f"{error.label}: {error.message}", file=sys.stderr)
        return 1
    finally:
        if store is not None:
            store.close()
    verb = "would remove" if args.dry_run else "removed"
    for backend, stored in collected.files:
        print(f"{verb} {backend.location}/{stored.name} ({stored.size} bytes)")
    print(f"{verb} {len(collected.files)} unreferenced files, {collected.size} bytes")
    return 0
