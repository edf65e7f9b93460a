"""A stored model's nodes seen and steered by name: history, lost runs, rerun/cancel/recover.

The session's ``%history``, ``%rerun``, ``%cancel`` and ``%recover`` act through
FireWorks' own state changes (rerun, defuse, pause, resume, reignite, recovery from the
last launch), so the store stays a plain FireWorks database that ``lpad`` understands.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from texts.executors.workflow.models import StoredModel, checked_model
from texts.executors.workflow.signing import resign, stored_signer
from texts.grammar import parse_program
from texts.interpreter import ir
from texts.interpreter.errors import TextsError
from texts.store.workflows import WorkflowStore


def statement_names(statements: Iterable[str]) -> list[str | None]:
    """The variable each stored statement defines (``None`` for functions, imports, tags)."""
    names: list[str | None] = []
    for text in statements:
        program = parse_program(text, None)
        defined = [s.name for s in program.statements if isinstance(s, ir.VarDef)]
        names.append(defined[0] if defined else None)
    return names


def history(store: WorkflowStore, model: StoredModel) -> list[tuple[str, str, str]]:
    """(updated on, state, statement) of every persisted statement, in entry order.

    Statements without a node of their own (functions, imports, tags) report the model's
    root node, which every other node waits for.
    """
    ids = {**model.fw_ids}
    root = [model.root] if model.root is not None else []
    states = store.states([*ids.values(), *root])
    rows = []
    for text, name in zip(model.statements, statement_names(model.statements), strict=True):
        state, updated_on = states.get(
            ids.get(name, model.root) if name else model.root, ("", None)
        )
        rows.append((_time(updated_on), state, text))
    return rows


def _time(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, str):
        return value[:19].replace("T", " ")
    return ""


def lost_nodes(store: WorkflowStore, model: StoredModel) -> tuple[list[str], list[str]]:
    """The variables whose queue reservation or run was lost: (reserved, running)."""
    running = store.lost_runs(model.fw_ids.values())
    reserved = store.lost_reservations()
    by_id = {fw_id: name for name, fw_id in model.fw_ids.items()}
    return (
        [by_id[i] for i in sorted(reserved) if i in by_id],
        [by_id[i] for i in sorted(running) if i in by_id],
    )


_ACTIONS: dict[str, dict[str, str]] = {
    "rerun": {
        "FIZZLED": "rerun",
        "COMPLETED": "rerun",
        "DEFUSED": "reignite",
        "PAUSED": "resume",
        "RUNNING": "rerun",
        "RESERVED": "rerun",
    },
    "cancel": {
        "FIZZLED": "defuse",
        "PAUSED": "defuse",
        "WAITING": "pause",
        "READY": "pause",
        "RUNNING": "defuse",
        "RESERVED": "defuse",
    },
    "recover": {"FIZZLED": "recover", "RUNNING": "recover_lost"},
}


def change_states(
    store: WorkflowStore, model: StoredModel, action: str, names: list[str], workdir: Path
) -> None:
    """``%rerun`` / ``%cancel`` / ``%recover``: every name is checked before any changes.

    What is rerun is signed anew, with its dependants (FireWorks reruns those too): an
    imported module or a file it reads may have changed since it was computed.
    """
    steps = []
    for name in names:
        if name not in model.fw_ids:
            raise TextsError("Variable error", f'Variable "{name}" not found in the model.')
        fw_id = model.fw_ids[name]
        state = store.state(fw_id)
        step = _ACTIONS[action].get(state)
        if step == "recover_lost":
            step = "recover" if fw_id in store.lost_runs([fw_id]) else None
        if step is None:
            raise TextsError("Variable error", f'State of variable "{name}" not allowed: {state}')
        steps.append((step, fw_id))
    for step, fw_id in steps:
        store.change_state(fw_id, step)
    checked = checked_model(model) if action == "rerun" else None
    if checked is not None:
        changing = checked.dependants(names)
        signer = stored_signer(store, checked, model.fw_ids, changing, workdir)
        resign(store, signer, model.fw_ids, changing)
