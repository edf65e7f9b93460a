"""The incremental workflow refresh leaves every document as FireWorks' own refresh does.

Two LaunchPads on two embedded stores run the same workflow step by step: one refreshes
with ``refresh.refresh_workflow`` (as texts' LaunchPads do), the other with FireWorks' own
``LaunchPad._refresh_wf``. After every step the workflow documents (states, workflow state,
links, parent links, nodes) and the Fireworks (states, spec keys) must agree: children
becoming READY, a failure FIZZLED with its children WAITING, ``_allow_fizzled_parents``,
spec updates, additions and detours appended at run time, duplicates, rerun, defuse, pause.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fireworks import Firework, FWorker, Workflow
from fireworks.core.rocket_launcher import launch_rocket
from fireworks.user_objects.dupefinders.dupefinder_exact import DupeFinderExact
from fireworks.user_objects.firetasks.script_task import PyTask

from texts.store.compat import quiet_rockets
from texts.store.embedded import EmbeddedStore
from texts.store.refresh import SHAPE_FIELD

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnknownMarkWarning")

ACTIONS = '''
from fireworks import Firework, FWAction
from fireworks.user_objects.firetasks.script_task import PyTask

def grow(kind):
    """Append a node at run time: an addition (a new child) or a detour (before the children)."""
    node = Firework(PyTask(func="math.fsum", args=[[1]]), name=kind)
    return FWAction(update_spec={"grown": kind}, **{kind: [node]})
'''


def add_model(lp: Any) -> dict[str, int]:
    """A workflow with every kind of dependency the refresh must handle; ids by name."""

    def node(name: str, func: str = "math.fsum", args: Any = ((1, 2),), **spec: Any) -> Firework:
        return Firework(PyTask(func=func, args=list(args)), name=name, spec=spec)

    a, b, c = node("a"), node("b"), node("c")
    d = node("d")
    bad = node("bad", "math.sqrt", [-1])  # ValueError: FIZZLED
    blocked = node("blocked")
    tolerant = node("tolerant", _allow_fizzled_parents=True)
    adds = node("adds", "actions.grow", ["additions"])
    detours = node("detours", "actions.grow", ["detours"])
    after_detour = node("after_detour")
    twin1 = node("twin1", args=[[7]], _dupefinder=DupeFinderExact())
    twin2 = node("twin2", args=[[7]], _dupefinder=DupeFinderExact())
    links = {
        a: [b, c],
        b: [d],
        c: [d],
        bad: [blocked, tolerant],
        detours: [after_detour],
        twin1: [twin2],
    }
    fireworks = [a, b, c, d, bad, blocked, tolerant, adds, detours, after_detour, twin1, twin2]
    lp.add_wf(Workflow(fireworks, links, name="model"))  # renumbers the Fireworks in place
    return {fw.name: fw.fw_id for fw in fireworks}


def snapshot(lp: Any) -> dict[str, Any]:
    """What a refresh decides, without times and launch directories."""
    (workflow,) = lp.workflows.find({})
    fireworks = {
        doc["fw_id"]: (doc["name"], doc["state"], sorted(doc["spec"]))
        for doc in lp.fireworks.find({})
    }
    return {
        "state": workflow["state"],
        "fw_states": workflow["fw_states"],
        "links": {key: sorted(children) for key, children in workflow["links"].items()},
        "parent_links": {key: sorted(p) for key, p in workflow["parent_links"].items() if p},
        "nodes": sorted(workflow["nodes"]),
        "fireworks": fireworks,
        "locked": workflow.get("locked"),
    }


@pytest.fixture
def launchpads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """[incremental, FireWorks' own] on two fresh embedded stores, rockets in tmp_path."""
    (tmp_path / "actions.py").write_text(ACTIONS)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    stores = [EmbeddedStore(tmp_path / name) for name in ("incremental", "fireworks")]
    pads = [store.open() for store in stores]
    del pads[1]._refresh_wf  # FireWorks' own method again
    assert "_refresh_wf" in vars(pads[0])
    try:
        yield pads
    finally:
        for store in stores:
            store.close()
        sys.modules.pop("actions", None)


def launch(lp: Any, fw_id: int) -> None:
    with quiet_rockets():
        launch_rocket(lp, FWorker(name="test"), fw_id=fw_id, strm_lvl="CRITICAL")


def ready(lp: Any) -> list[int]:
    return sorted(doc["fw_id"] for doc in lp.fireworks.find({"state": "READY"}, {"fw_id": 1}))


def both(launchpads: list[Any], step: Any) -> dict[str, Any]:
    """Apply ``step`` to both LaunchPads; their documents must agree afterwards."""
    for lp in launchpads:
        step(lp)
    incremental, own = (snapshot(lp) for lp in launchpads)
    assert incremental == own
    return incremental


def test_runs_with_failures_actions_and_duplicates_match_fireworks(launchpads) -> None:
    both(launchpads, add_model)
    ids = {doc["name"]: doc["fw_id"] for doc in launchpads[0].fireworks.find({})}
    while ready(launchpads[0]):
        fw_id = ready(launchpads[0])[0]
        assert ready(launchpads[1])[0] == fw_id
        state = both(launchpads, lambda lp, fw_id=fw_id: launch(lp, fw_id))
    names = {fw_id: name for fw_id, (name, _, _) in state["fireworks"].items()}
    states = {names[fw_id]: s for fw_id, (_, s, _) in state["fireworks"].items()}
    assert states["d"] == "COMPLETED"  # both parents completed: READY, then run
    assert (states["bad"], states["blocked"]) == ("FIZZLED", "WAITING")
    assert states["tolerant"] == "COMPLETED"  # allowed to run after its fizzled parent
    assert "_fizzled_parents" in state["fireworks"][ids["tolerant"]][2]
    assert states["twin2"] == "COMPLETED"  # its twin's launch, not a run of its own
    assert states["additions"] == states["detours"] == "COMPLETED"  # appended at run time
    assert "grown" in state["fireworks"][ids["after_detour"]][2]  # update_spec reached it
    assert state["state"] == "FIZZLED"
    assert state["locked"] is None

    state = both(launchpads, lambda lp: lp.rerun_fw(ids["b"]))  # b and d wait again
    assert [state["fw_states"][str(ids[n])] for n in ("b", "d")] == ["READY", "WAITING"]
    both(launchpads, lambda lp: launch(lp, ids["b"]))
    both(launchpads, lambda lp: lp.defuse_fw(ids["d"]))
    both(launchpads, lambda lp: lp.reignite_fw(ids["d"]))
    both(launchpads, lambda lp: lp.pause_fw(ids["d"]))
    both(launchpads, lambda lp: lp.resume_fw(ids["d"]))
    final = both(launchpads, lambda lp: launch(lp, ids["d"]))
    assert final["fw_states"][str(ids["d"])] == "COMPLETED"


def test_a_refresh_writes_only_the_entries_that_changed(launchpads) -> None:
    lp = launchpads[0]
    ids = add_model(lp)
    updates: list[Any] = []
    workflows = lp.workflows

    class Recording:
        def __getattr__(self, name: str) -> Any:
            return getattr(workflows, name)

        def update_one(self, filter: Any, update: Any, *args: Any, **kwargs: Any) -> Any:
            updates.append(update)
            return workflows.update_one(filter, update, *args, **kwargs)

    lp.workflows = Recording()
    launch(lp, ids["a"])
    changed = [set(update["$set"]) for update in updates]
    a, b, c = (ids[name] for name in "abc")
    shape = {"state", "updated_on", SHAPE_FIELD}
    assert changed == [
        {f"fw_states.{a}", *shape},  # checked out: RUNNING
        {f"fw_states.{a}", f"fw_states.{b}", f"fw_states.{c}", *shape},
    ]
