"""``texts models``: list, show and remove the stored models of a workflow store.

A reading command never creates a store: in a directory without one it says so and
leaves the directory as it was. Removing a model asks first (``--yes`` answers for
scripts); retrying failed nodes is ``texts script -u UUID --retry-failed``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from texts.interpreter.errors import TextsError
from texts.paths import shown_path

if TYPE_CHECKING:
    from texts.store.workflows import StoredModelDocument, WorkflowStore


def add_models_parser(commands: Any) -> None:
    models = commands.add_parser(
        "models",
        help="list, show or remove stored models",
        description="The stored models of the workflow store (texts script -u UUID "
        "--retry-failed runs a model's failed nodes again).",
    )
    actions = models.add_subparsers(dest="models_command", metavar="{list,show,remove}")
    listing = actions.add_parser("list", help="every model: UUID, updated, file, tag, node states")
    show = actions.add_parser("show", help="one model: its statements with their node states")
    show.add_argument("uuid", help="the model's UUID (or a unique prefix of it)")
    remove = actions.add_parser("remove", help="delete a model and its nodes from the store")
    remove.add_argument("uuid", help="the model's UUID (or a unique prefix of it)")
    remove.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    models.add_argument("-l", "--launchpad-file", help="the store (default: as texts)")
    for parser in (listing, show, remove):  # -l before or after the action
        parser.add_argument(
            "-l", "--launchpad-file", default=argparse.SUPPRESS, help="the store (as texts)"
        )


def run_models_command(args: argparse.Namespace) -> int:
    # lazily for start-up: a command imports only what it runs (the parser is built at start)
    from texts.cli.stores import opened_store  # noqa: PLC0415

    command = args.models_command or "list"
    try:
        with opened_store(args.launchpad_file, Path.cwd(), create=command == "remove") as store:
            if store is None:
                print("No models: there is no texts store in this directory.")
                return 0
            if command == "list":
                return _list(store)
            uuid = resolve_uuid(store, args.uuid)
            if command == "show":
                return _show(store, uuid)
            return _remove(store, uuid, args.yes)
    except TextsError as error:
        print(f"{error.label}: {error.message}", file=sys.stderr)
        return 1


def resolve_uuid(store: WorkflowStore, given: str) -> str:
    """A model's full UUID from a unique prefix."""
    if not given or any(char not in "0123456789abcdef" for char in given.lower()):
        raise TextsError("Model not found", f"{given!r} is not a model UUID")
    found = store.uuids_starting(given.lower())
    if len(found) == 1:
        return found[0]
    if not found:
        raise TextsError("Model not found", f"uuid {given}: texts models list shows the models")
    raise TextsError("Model not found", f"uuid {given} is the start of {len(found)} UUIDs")


def _states_text(model: StoredModelDocument) -> str:
    """How many of a model's variable and export nodes are in each state."""
    states = Counter(model.nodes.values())
    return ", ".join(f"{count} {state}" for state, count in sorted(states.items())) or "no nodes"


def _tag_text(tags: dict[str, Any]) -> str:
    # lazily for start-up: a command imports only what it runs
    from texts.datastore.documents import from_document  # noqa: PLC0415
    from texts.interpreter.format import format_value  # noqa: PLC0415

    return ", ".join(f"{key}: {format_value(from_document(value))}" for key, value in tags.items())


def _updated(model: StoredModelDocument) -> str:
    value = model.updated_on
    return value.strftime("%Y-%m-%d %H:%M:%S") if isinstance(value, datetime) else str(value)[:19]


def _list(store: WorkflowStore) -> int:
    # lazily for start-up: a command imports only what it runs
    from texts.session.tables import ruled_table  # noqa: PLC0415

    rows = [
        (
            model.uuid,
            _updated(model),
            shown_path(model.file) if model.file else "",
            _tag_text(model.tags),
            _states_text(model),
            model.group[:12],
        )
        for model in store.models()
    ]
    if not rows:
        print("No models in the store.")
        return 0
    print(ruled_table(("model UUID", "updated", "file", "tag", "nodes", "group"), rows))
    return 0


def _show(store: WorkflowStore, uuid: str) -> int:
    # lazily for start-up: a command imports only what it runs
    from texts.executors.workflow.control import history, lost_nodes  # noqa: PLC0415
    from texts.executors.workflow.models import StoredModel, find_group  # noqa: PLC0415
    from texts.session.tables import ruled_table  # noqa: PLC0415

    document = store.model(uuid)
    model = StoredModel.of(document)
    group = find_group(store, model)
    print(f"model UUID: {uuid}")
    print(f"file: {shown_path(document.file) if document.file else '(none: entered in a session)'}")
    print(f"group: {model.group} ({len(group)} model{'s' if len(group) != 1 else ''})")
    if model.vary:
        print("vary: " + ", ".join(f"{name} = {value}" for name, value in model.vary.items()))
    if model.tags:
        print(f"tag: {_tag_text(model.tags)}")
    print(f"nodes: {_states_text(document)}")
    print(ruled_table(("Updated on", "State", "Statements"), history(store, model)))
    reserved, running = lost_nodes(store, model)
    if reserved or running:
        print(f"lost: {', '.join([*reserved, *running])} (recover them in a session: %recover)")
    states = store.states(model.fw_ids.values())
    failed = sorted(
        name for name, fw_id in model.fw_ids.items() if states.get(fw_id, ("",))[0] == "FIZZLED"
    )
    if failed:
        print(
            f"failed: {', '.join(failed)} (run them again: texts script -u {uuid} --retry-failed)"
        )
    return 0


def _remove(store: WorkflowStore, uuid: str, confirmed: bool) -> int:
    count = len(store.model(uuid).nodes)
    if not confirmed:
        if not sys.stdin.isatty():
            print(
                f"texts models remove: not removing {uuid} without confirmation "
                f"(standard input is not a terminal): add --yes",
                file=sys.stderr,
            )
            return 1
        answer = input(f"Remove model {uuid} and its {count} nodes? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing removed.")
            return 1
    store.remove_model(uuid)
    store.flush()
    print(f"Removed model {uuid} ({count} nodes).")
    return 0
