"""A stored model's nodes seen and steered by name: history, lost runs, rerun/cancel/recover.

The session's ``%history``, ``%rerun``, ``%cancel`` and ``%recover`` act through
FireWorks' own state changes (rerun, defuse, pause, resume, reignite, recovery from the
last launch), so the store stays a plain FireWorks database that ``lpad`` understands.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from texts.executors.workflow.models import StoredModel
from texts.interpreter.errors import TextsError

LOST_RUNNING_SECONDS = 4 * 3600
"""A RUNNING node whose launch has not pinged for this long is lost (its worker died)."""
LOST_RESERVED_SECONDS = 14 * 24 * 3600
"""A RESERVED node (submitted to a queue) that has not started for this long is lost."""


def statement_names(statements: Iterable[str]) -> list[str | None]:
    """The variable each stored statement defines (``None`` for functions, imports, tags)."""
    from texts.grammar import parse_program
    from texts.interpreter import ir

    names: list[str | None] = []
    for text in statements:
        program = parse_program(text, None)
        defined = [s.name for s in program.statements if isinstance(s, ir.VarDef)]
        names.append(defined[0] if defined else None)
    return names


def history(launchpad: Any, model: StoredModel) -> list[tuple[str, str, str]]:
    """(updated on, state, statement) of every persisted statement, in entry order.

    Statements without a node of their own (functions, imports, tags) report the model's
    root node, which every other node waits for.
    """
    ids = {**model.fw_ids}
    nodes = {
        node["fw_id"]: node
        for node in launchpad.fireworks.find(
            {"fw_id": {"$in": [*ids.values(), model.root]}},
            {"fw_id": 1, "state": 1, "updated_on": 1},
        )
    }
    rows = []
    for text, name in zip(model.statements, statement_names(model.statements), strict=True):
        node = nodes.get(ids.get(name, model.root) if name else model.root, {})
        rows.append((_time(node.get("updated_on")), node.get("state", ""), text))
    return rows


def _time(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, str):
        return value[:19].replace("T", " ")
    return ""


def lost_nodes(launchpad: Any, model: StoredModel) -> tuple[list[str], list[str]]:
    """The variables whose queue reservation or run was lost: (reserved, running)."""
    query = {"fw_id": {"$in": list(model.fw_ids.values())}}
    _, running = launchpad.detect_lostruns(
        expiration_secs=LOST_RUNNING_SECONDS, query=query, fizzle=False, rerun=False
    )[:2]
    reserved = launchpad.detect_unreserved(expiration_secs=LOST_RESERVED_SECONDS, rerun=False)
    by_id = {fw_id: name for name, fw_id in model.fw_ids.items()}
    reserved_ids = _fw_ids_of_launches(launchpad, reserved)
    return (
        [by_id[i] for i in sorted(reserved_ids) if i in by_id],
        [by_id[i] for i in sorted(running) if i in by_id],
    )


def _fw_ids_of_launches(launchpad: Any, launch_ids: Iterable[int]) -> set[int]:
    ids = list(launch_ids)
    if not ids:
        return set()
    return {
        launch["fw_id"]
        for launch in launchpad.launches.find({"launch_id": {"$in": ids}}, {"fw_id": 1})
    }


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


def change_states(launchpad: Any, model: StoredModel, action: str, names: list[str]) -> None:
    """``%rerun`` / ``%cancel`` / ``%recover``: every name is checked before any changes."""
    steps = []
    for name in names:
        if name not in model.fw_ids:
            raise TextsError("Variable error", f'Variable "{name}" not found in the model.')
        fw_id = model.fw_ids[name]
        state = launchpad.fireworks.find_one({"fw_id": fw_id}, {"state": 1})["state"]
        step = _ACTIONS[action].get(state)
        if step == "recover_lost" and fw_id not in _lost_running(launchpad, fw_id):
            step = None
        if step is None:
            raise TextsError("Variable error", f'State of variable "{name}" not allowed: {state}')
        steps.append((step, fw_id))
    for step, fw_id in steps:
        _apply(launchpad, step, fw_id)


def _lost_running(launchpad: Any, fw_id: int) -> list[int]:
    return launchpad.detect_lostruns(
        expiration_secs=LOST_RUNNING_SECONDS,
        query={"fw_id": fw_id},
        fizzle=False,
        rerun=False,
    )[1]


_STEPS: dict[str, tuple[str, dict[str, Any]]] = {
    "rerun": ("rerun_fw", {}),
    "recover": ("rerun_fw", {"recover_launch": "last"}),
    "recover_lost": ("rerun_fw", {"recover_launch": "last"}),
    "defuse": ("defuse_fw", {}),
    "reignite": ("reignite_fw", {}),
    "resume": ("resume_fw", {}),
    "pause": ("pause_fw", {}),
}
"""Each step as the LaunchPad method that performs it and its keyword arguments."""


def _apply(launchpad: Any, step: str, fw_id: int) -> None:
    method, keywords = _STEPS[step]
    getattr(launchpad, method)(fw_id, **keywords)
