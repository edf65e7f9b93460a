"""``texts models``: list, show and remove the stored models of a workflow store.

A reading command never creates a store: in a directory without one it says so and
leaves the directory as it was. Removing a model asks first (``--yes`` answers for
scripts); retrying failed nodes is ``texts script -u UUID --retry-failed``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from texts.cli.stores import opened_store
from texts.interpreter.errors import TextsError


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
    command = args.models_command or "list"
    try:
        with opened_store(args.launchpad_file, Path.cwd(), create=command == "remove") as opened:
            if opened is None:
                print("No models: there is no texts store in this directory.")
                return 0
            launchpad, flush = opened
            if command == "list":
                return _list(launchpad)
            uuid = resolve_uuid(launchpad, args.uuid)
            if command == "show":
                return _show(launchpad, uuid)
            return _remove(launchpad, uuid, args.yes, flush)
    except TextsError as error:
        print(f"{error.label}: {error.message}", file=sys.stderr)
        return 1


def resolve_uuid(launchpad: Any, given: str) -> str:
    """A model's full UUID from a unique prefix."""
    found = [
        workflow["metadata"]["uuid"]
        for workflow in launchpad.workflows.find(
            {"metadata.uuid": {"$regex": f"^{_hex(given)}"}}, {"metadata.uuid": 1}
        )
    ]
    if len(found) == 1:
        return found[0]
    if not found:
        raise TextsError("Model not found", f"uuid {given}: texts models list shows the models")
    raise TextsError("Model not found", f"uuid {given} is the start of {len(found)} UUIDs")


def _hex(text: str) -> str:
    if not text or any(char not in "0123456789abcdef" for char in text.lower()):
        raise TextsError("Model not found", f"{text!r} is not a model UUID")
    return text.lower()


def node_states(launchpad: Any, workflow: dict[str, Any]) -> Counter[str]:
    """How many of a model's variable and export nodes are in each state (not its root)."""
    states: Counter[str] = Counter()
    for node in launchpad.fireworks.find(
        {"fw_id": {"$in": workflow["nodes"]}}, {"state": 1, "spec._texts.kind": 1}
    ):
        if node["spec"]["_texts"]["kind"] != "root":
            states[node["state"]] += 1
    return states


def _states_text(states: Counter[str]) -> str:
    return ", ".join(f"{count} {state}" for state, count in sorted(states.items())) or "no nodes"


def _tag_text(tags: dict[str, Any]) -> str:
    from texts.executors.workflow.values import from_document
    from texts.interpreter.format import format_value

    return ", ".join(f"{key}: {format_value(from_document(value))}" for key, value in tags.items())


def _updated(workflow: dict[str, Any]) -> str:
    value = workflow.get("updated_on")
    return value.strftime("%Y-%m-%d %H:%M:%S") if hasattr(value, "strftime") else str(value)[:19]


def _list(launchpad: Any) -> int:
    from texts.session.tables import ruled_table

    workflows = list(
        launchpad.workflows.find(
            {"metadata.uuid": {"$exists": True}},
            {"metadata": 1, "nodes": 1, "updated_on": 1},
            sort=[("updated_on", -1)],
        )
    )
    if not workflows:
        print("No models in the store.")
        return 0
    rows = []
    for workflow in workflows:
        metadata = workflow["metadata"]
        texts = metadata.get("texts", {})
        rows.append(
            (
                metadata["uuid"],
                _updated(workflow),
                texts.get("file") or "",
                _tag_text(texts.get("tag", {})),
                _states_text(node_states(launchpad, workflow)),
                metadata.get("g_uuid", "")[:12],
            )
        )
    print(ruled_table(("model UUID", "updated", "file", "tag", "nodes", "group"), rows))
    return 0


def _show(launchpad: Any, uuid: str) -> int:
    from texts.executors.workflow.control import history, lost_nodes
    from texts.executors.workflow.models import find_group, find_model
    from texts.session.tables import ruled_table

    model = find_model(launchpad, uuid)
    workflow = launchpad.workflows.find_one({"metadata.uuid": uuid})
    texts = workflow["metadata"].get("texts", {})
    group = [member.uuid for member in find_group(launchpad, model)]
    print(f"model UUID: {uuid}")
    print(f"file: {texts.get('file') or '(none: entered in a session)'}")
    print(f"group: {model.group} ({len(group)} model{'s' if len(group) != 1 else ''})")
    if model.vary:
        print("vary: " + ", ".join(f"{name} = {value}" for name, value in model.vary.items()))
    if model.tags:
        print(f"tag: {_tag_text(model.tags)}")
    print(f"nodes: {_states_text(node_states(launchpad, workflow))}")
    print(ruled_table(("Updated on", "State", "Statements"), history(launchpad, model)))
    reserved, running = lost_nodes(launchpad, model)
    if reserved or running:
        print(f"lost: {', '.join([*reserved, *running])} (recover them in a session: %recover)")
    failed = [
        name
        for name, fw_id in model.fw_ids.items()
        if launchpad.fireworks.find_one({"fw_id": fw_id}, {"state": 1})["state"] == "FIZZLED"
    ]
    if failed:
        print(
            f"failed: {', '.join(sorted(failed))} "
            f"(run them again: texts script -u {uuid} --retry-failed)"
        )
    return 0


def _remove(launchpad: Any, uuid: str, confirmed: bool, flush: Callable[[], None]) -> int:
    workflow = launchpad.workflows.find_one({"metadata.uuid": uuid})
    count = sum(node_states(launchpad, workflow).values())
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
    with contextlib.redirect_stdout(io.StringIO()):  # FireWorks prints what it deletes
        launchpad.delete_wf(workflow["nodes"][0])
    flush()
    print(f"Removed model {uuid} ({count} nodes).")
    return 0
