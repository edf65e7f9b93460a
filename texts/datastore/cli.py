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
    # lazily for start-up: a command imports only what it runs
    import sys  # noqa: PLC0415

    # lazily for start-up: a command imports only what it runs
    from texts.datastore.gc import collect_garbage  # noqa: PLC0415
    from texts.interpreter.errors import TextsError  # noqa: PLC0415
    from texts.store.errors import StoreError  # noqa: PLC0415
    from texts.store.workflows import open_workflow_store, workflow_store_exists  # noqa: PLC0415

    workdir = Path.cwd()
    store = None
    try:  # without a store here, only the stores registered with the datastore count
        if workflow_store_exists(args.launchpad_file, workdir):  # gc creates no store
            store = open_workflow_store(args.launchpad_file, workdir)
    except StoreError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 1
    try:
        collected = collect_garbage(store, args.min_age, args.dry_run)
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
