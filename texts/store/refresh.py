"""Refreshing a workflow after a node changed state, at a cost that does not grow with the model.

A model is one FireWorks workflow, and FireWorks refreshes the workflow twice per launch
(when the node is checked out and when it completes) in ``LaunchPad._refresh_wf``: it builds
a ``Workflow`` of all N nodes from the workflow document, runs ``Workflow.refresh`` on the
node and writes the whole document back (links, parent links and states of all N nodes).
Each launch therefore cost time in proportion to the model, and a model O(N²).

``refresh_workflow`` does the same refresh with FireWorks' own algorithm
(``Workflow.refresh``, ``apply_action``, ``append_wf``: children becoming READY,
``_allow_fizzled_parents``, spec updates, detours and additions) on a ``PartialWorkflow``:
a ``Workflow`` whose links, parent links, states and Fireworks are read from the document
entry by entry as the algorithm asks for them (``links.<id>``, ``fw_states.<id>``, ...).
Afterwards only the entries that changed are written, with ``$set`` in one update, together
with the workflow's state and time. Only the workflow's state needs every node's state and
links; those two maps are read in one projection, which is far cheaper than building and
rewriting the whole workflow. The lock, its expiry and what happens when the refresh fails
are FireWorks' (``WFLock``, and the fall-back of ``_refresh_wf`` that marks the node and
workflow FIZZLED).

Everything used is plain MongoDB (projections of dotted paths, ``$set``, ``$unset``,
``$push``), so the same code serves the embedded store and a real MongoDB.
``use_incremental_refresh`` installs it on one LaunchPad (``compat`` holds the points
where it touches FireWorks' private methods); FireWorks' other workflow
operations (``rerun_fw``, ``append_wf``, ``defuse_wf``, ...) are left as they are: they
rewrite the whole document, which stays in the same format.
"""

from __future__ import annotations

import traceback
import uuid
import weakref
from collections.abc import Iterable, Iterator
from typing import Any

from fireworks import LaunchPad
from fireworks.core.firework import Workflow
from fireworks.core.launchpad import LazyFirework, LockedWorkflowError

from texts.store.compat import (
    WorkflowShell,
    install_refresh,
    lazy_firework,
    upsert_fireworks,
    workflow_lock,
)

_NOT_LOADED = object()
SHAPE_FIELD = "texts_shape"
"""A token written with every refresh: the links and states this process wrote with it are
the document's as long as the token is there (FireWorks' own writes replace the whole
document and drop it, another process's refresh writes another token)."""
_HEAD_FIELDS = ("name", "metadata", "created_on", "updated_on", SHAPE_FIELD)
"""The workflow document's own fields: small, and not changed by a refresh but for the time."""

Shape = tuple[str, dict[int, list[int]], dict[int, str]]
_shapes: weakref.WeakKeyDictionary[LaunchPad, dict[Any, Shape]] = weakref.WeakKeyDictionary()
"""Per LaunchPad and workflow, the token of its last refresh here with the links and states
it left: the workflow's state needs every node's, and reading them all back from the
document at every refresh cost time in proportion to the model."""


def use_incremental_refresh(launchpad: LaunchPad) -> LaunchPad:
    """Make ``launchpad`` (and no other LaunchPad) refresh workflows with
    ``refresh_workflow``; return it."""
    install_refresh(launchpad, refresh_workflow)
    return launchpad


def refresh_workflow(launchpad: LaunchPad, fw_id: int) -> None:
    """What ``LaunchPad._refresh_wf`` does, reading and writing only what the refresh touches."""
    workflow_id = None
    try:
        with workflow_lock(launchpad, fw_id) as workflow_id:
            workflow = PartialWorkflow(launchpad, workflow_id)
            updated_ids = workflow.refresh(fw_id)
            workflow.save(updated_ids)
    except LockedWorkflowError:
        launchpad.m_logger.info(f"{fw_id=} locked. Can't refresh!")
    except Exception:
        _shapes.get(launchpad, {}).pop(workflow_id, None)
        # as FireWorks does: a node whose refresh fails, and its workflow, are FIZZLED
        launchpad.fireworks.find_one_and_update({"fw_id": fw_id}, {"$set": {"state": "FIZZLED"}})
        launchpad.workflows.find_one_and_update(
            {"nodes": fw_id}, {"$set": {"state": "FIZZLED", f"fw_states.{fw_id}": "FIZZLED"}}
        )
        raise RuntimeError(
            f"Error refreshing workflow. The full stack trace is: {traceback.format_exc()}"
        ) from None


def _merged(base: dict[Any, Any], over: dict[Any, Any]) -> dict[Any, Any]:
    """``base`` with the entries of ``over`` in their place."""
    merged = dict(base)
    merged.update(over)
    return merged


def _replace(mapping: dict[Any, Any], entries: dict[Any, Any]) -> None:
    """Give a lazily filled mapping these entries, without its lazy methods."""
    dict.clear(mapping)
    dict.update(mapping, entries)


class PartialWorkflow(WorkflowShell):
    """A FireWorks ``Workflow`` of which only the entries FireWorks' methods touch are read.

    ``links``, ``fw_states`` and ``id_fw`` load an entry from the workflow document when it
    is first asked for; a node's parent links come with it, and the states of its parents in
    a second query (``refresh`` needs them next). Loading a node also loads the nodes whose
    links are known but not yet loaded (the children of loaded nodes): a node that completes
    refreshes all its children, which then cost two queries together instead of two each.
    Iterating ``links`` or ``fw_states`` (the workflow's state, its leaves) reads both whole.
    """

    def __init__(self, launchpad: LaunchPad, workflow_id: Any) -> None:
        super().__init__()  # Workflow.__init__ needs every Firework: the attributes are set here
        self._launchpad = launchpad
        self._id = workflow_id
        head = launchpad.workflows.find_one({"_id": workflow_id}, dict.fromkeys(_HEAD_FIELDS, 1))
        self.name, self.metadata, self.created_on, self.updated_on, self._shape = (
            head.get(field) for field in _HEAD_FIELDS
        )
        self.id_fw = _LazyFireworks(launchpad)
        self.links = _LazyLinks(self)
        self.fw_states = _LazyStates(self)
        self._parents: dict[int, list[int]] = {}
        self._stored_links: dict[int, list[int]] = {}
        self._stored_parents: dict[int, list[int]] = {}
        self._stored_states: dict[int, str] = {}
        self._frontier: set[int] = set()
        self._complete = False
        self._appended = False

    # -- reading ------------------------------------------------------------------------

    def load(self, fw_ids: Iterable[int]) -> None:
        """Read the links, parent links and state of ``fw_ids`` (and of the frontier), then
        the states of their parents."""
        needed = {i for i in fw_ids if i >= 0 and i not in self._parents}
        if not needed:
            return
        wanted = needed | self._frontier
        fields = [f"{name}.{i}" for i in wanted for name in ("links", "parent_links", "fw_states")]
        document = self._read(fields)
        links, parents, states = (
            document.get(n, {}) for n in ("links", "parent_links", "fw_states")
        )
        for i in wanted:
            key = str(i)
            self._frontier.discard(i)
            self._parents[i] = list(parents.get(key, []))
            self._stored_parents[i] = list(self._parents[i])
            if key in states:
                self._know_state(i, states[key])
            if key in links:
                self._know_links(i, links[key])
        self.load_states(p for i in wanted for p in self._parents[i])

    def load_states(self, fw_ids: Iterable[int]) -> None:
        """Read the states of ``fw_ids`` not known yet."""
        wanted = {i for i in fw_ids if i >= 0 and not dict.__contains__(self.fw_states, i)}
        if wanted and not self._complete:
            states = self._read([f"fw_states.{i}" for i in wanted]).get("fw_states", {})
            for key, state in states.items():
                self._know_state(int(key), state)

    def load_all(self) -> None:
        """Read the links and states of every node (entries already read are kept, with any
        changes made to them)."""
        if self._complete:
            return
        cached = _shapes.get(self._launchpad, {}).get(self._id)
        if cached is not None and cached[0] == self._shape:
            _, links, states = cached
        else:
            document = self._read(["links", "fw_states"])
            links = {int(key): children for key, children in document.get("links", {}).items()}
            states = {int(key): state for key, state in document.get("fw_states", {}).items()}
        # entries read before are kept; the rest share their lists with the stored copies
        # and the cached shape, which is safe because only ``append_wf`` changes a list in
        # place and it copies them first (dictionary operations, not a loop: this runs at
        # every refresh)
        self._stored_links = _merged(links, self._stored_links)
        self._stored_states = _merged(states, self._stored_states)
        _replace(self.links, _merged(links, dict(dict.items(self.links))))
        _replace(self.fw_states, _merged(states, dict(dict.items(self.fw_states))))
        self._frontier.clear()
        self._complete = True

    def parents_of(self, fw_id: int, default: Any = None) -> Any:
        """The parents of ``fw_id`` as FireWorks' ``links.parent_links.get`` gives them (a
        node without parents has no entry): read from the document, plus the links that
        ``append_wf`` added in memory (it only adds)."""
        self.load([fw_id])
        parents = list(self._parents.get(fw_id, []))
        if self._appended:
            for parent, children in dict.items(self.links):
                if fw_id in children and parent not in parents:
                    parents.append(parent)
        return parents or default

    def _read(self, fields: list[str]) -> dict[str, Any]:
        projection = dict.fromkeys(fields, 1)
        projection["_id"] = 0
        return self._launchpad.workflows.find_one({"_id": self._id}, projection) or {}

    def _know_links(self, fw_id: int, children: list[int]) -> None:
        dict.__setitem__(self.links, fw_id, list(children))
        self._stored_links[fw_id] = list(children)
        if not self._complete:
            self._frontier.update(c for c in children if c not in self._parents)

    def _know_state(self, fw_id: int, state: str) -> None:
        dict.__setitem__(self.fw_states, fw_id, state)
        self._stored_states[fw_id] = state

    # -- FireWorks' methods that would touch every node ------------------------------------

    def append_wf(self, new_wf: Workflow, fw_ids: list[int], *args: Any, **kwargs: Any) -> Any:
        # it adds children to lists in place: they must be this workflow's own
        _replace(self.links, {key: list(ids) for key, ids in dict.items(self.links)})
        # from here on, parent links also come from links changed in memory
        self._appended = True
        return super().append_wf(new_wf, fw_ids, *args, **kwargs)

    def renumber(self, old_new: dict[int, int]) -> None:
        """Renumber the new nodes (``_upsert_fws`` gave them ids); only entries read or added
        here can name them."""
        if not old_new:
            return

        def new(i: int) -> int:
            return old_new.get(i, i)

        for mapping in (self.id_fw, self.fw_states):
            entries = list(dict.items(mapping))
            dict.clear(mapping)
            for key, value in entries:
                dict.__setitem__(mapping, new(key), value)
        for mapping in (self.links, self._parents):
            entries = list(dict.items(mapping))
            dict.clear(mapping)
            for key, ids in entries:
                dict.__setitem__(mapping, new(key), [new(i) for i in ids])

    # -- writing -----------------------------------------------------------------------

    def save(self, updated_ids: Iterable[int]) -> None:
        """Store the updated Fireworks (FireWorks' ``_upsert_fws``, which numbers new ones)
        and, in one update of the workflow document, the entries that changed, the new nodes,
        the workflow's state and time: what ``LaunchPad._update_wf`` stores, minus what did
        not change."""
        updated = [self.id_fw[i] for i in updated_ids]
        self.renumber(upsert_fireworks(self._launchpad, updated))
        new_nodes = sorted(i for i in dict.keys(self.links) if i not in self._stored_links)
        changes: dict[str, Any] = {}
        unset: dict[str, str] = {}
        for fw_id, children in dict.items(self.links):
            if self._stored_links.get(fw_id) != children:
                changes[f"links.{fw_id}"] = children
        for fw_id, parents in self._changed_parents().items():
            if parents:
                changes[f"parent_links.{fw_id}"] = parents
            else:
                unset[f"parent_links.{fw_id}"] = ""
        for fw_id, state in dict.items(self.fw_states):
            if self._stored_states.get(fw_id) != state:
                changes[f"fw_states.{fw_id}"] = state
        changes["state"] = self.state  # reads every node's links and state
        changes["updated_on"] = self.updated_on
        changes[SHAPE_FIELD] = token = uuid.uuid4().hex
        update: dict[str, Any] = {"$set": changes}
        if unset:
            update["$unset"] = unset
        if new_nodes:
            update["$push"] = {"nodes": {"$each": new_nodes}}
        self._launchpad.workflows.update_one({"_id": self._id}, update)
        _shapes.setdefault(self._launchpad, {})[self._id] = (
            token,
            dict(dict.items(self.links)),
            dict(dict.items(self.fw_states)),
        )

    def _changed_parents(self) -> dict[int, list[int]]:
        """The parent links that the changed links imply, for the nodes whose parents changed."""
        parents: dict[int, list[int]] = {}
        for parent, children in dict.items(self.links):
            before = self._stored_links.get(parent, [])
            if before == children:
                continue
            for child in set(children) - set(before):
                entry = parents.setdefault(child, self._known_parents(child))
                if parent not in entry:
                    entry.append(parent)
            for child in set(before) - set(children):
                entry = parents.setdefault(child, self._known_parents(child))
                if parent in entry:
                    entry.remove(parent)
        return {
            i: entry for i, entry in parents.items() if entry != self._stored_parents.get(i, [])
        }

    def _known_parents(self, fw_id: int) -> list[int]:
        if fw_id not in self._parents:
            self.load([fw_id])
        return list(self._parents.get(fw_id, []))


class _LazyFireworks(dict):  # type: ignore[type-arg]
    """``id_fw``: FireWorks' ``LazyFirework`` of a node, made when first asked for (it reads
    the node's document only when an attribute needs it)."""

    def __init__(self, launchpad: LaunchPad) -> None:
        super().__init__()
        self._launchpad = launchpad

    def __missing__(self, fw_id: int) -> LazyFirework:
        firework = lazy_firework(self._launchpad, fw_id)
        self[fw_id] = firework
        return firework


class _WholeWhenIterated(dict):  # type: ignore[type-arg]
    """A lazily filled mapping of the workflow's entries that reads all of them before it
    is iterated, counted or listed (what the workflow's state and its leaves need)."""

    _workflow: PartialWorkflow

    def __iter__(self) -> Iterator[int]:
        self._workflow.load_all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._workflow.load_all()
        return dict.__len__(self)

    def keys(self) -> Any:
        self._workflow.load_all()
        return dict.keys(self)

    def values(self) -> Any:
        self._workflow.load_all()
        return dict.values(self)

    def items(self) -> Any:
        self._workflow.load_all()
        return dict.items(self)


class _LazyLinks(_WholeWhenIterated, Workflow.Links):
    """``links``: each node's children, read when first asked for; ``parent_links`` and
    ``nodes`` answer from the same reads. Iterating reads every node's links."""

    def __init__(self, workflow: PartialWorkflow) -> None:
        dict.__init__(self)
        self._workflow = workflow

    def __missing__(self, fw_id: int) -> list[int]:
        self._workflow.load([fw_id])
        return dict.__getitem__(self, fw_id)

    def __contains__(self, fw_id: object) -> bool:
        if not dict.__contains__(self, fw_id) and isinstance(fw_id, int):
            self._workflow.load([fw_id])
        return dict.__contains__(self, fw_id)

    @property
    def parent_links(self) -> _ParentLinks:  # type: ignore[override]
        return _ParentLinks(self._workflow)

    @property
    def nodes(self) -> list[int]:
        self._workflow.load_all()
        return super().nodes


class _ParentLinks:
    """What ``Workflow.refresh`` reads of ``links.parent_links``: the parents of one node."""

    def __init__(self, workflow: PartialWorkflow) -> None:
        self._workflow = workflow

    def get(self, fw_id: int, default: Any = None) -> Any:
        return self._workflow.parents_of(fw_id, default)

    def __getitem__(self, fw_id: int) -> list[int]:
        parents = self._workflow.parents_of(fw_id, _NOT_LOADED)
        if parents is _NOT_LOADED:
            raise KeyError(fw_id)
        return parents


class _LazyStates(_WholeWhenIterated):
    """``fw_states``: each node's state as the workflow document records it, read when
    first asked for; iterating reads every node's state."""

    def __init__(self, workflow: PartialWorkflow) -> None:
        super().__init__()
        self._workflow = workflow

    def __missing__(self, fw_id: int) -> str:
        self._workflow.load_states([fw_id])
        if not dict.__contains__(self, fw_id):
            self._workflow.load([fw_id])
        return dict.__getitem__(self, fw_id)
