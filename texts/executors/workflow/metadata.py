"""What ``info(x)`` adds in workflow mode: the metadata of the variable's FireWorks node.

The fields and their order are those of the reference (LANGUAGE.md 14.1, ``wf_info``), read
from FireWorks' own documents: the node (``fireworks``), its model (``workflows``) and its
launches, through FireWorks' own classes where it has them (a node's launches, the
representative launch, runtimes, lost runs and reservations), so the answers are the ones
FireWorks' tools give.

Differences from the reference, each because the reference's value means nothing here:

* ``fworker`` is the name of the worker that ran the representative launch (the reference
  reads a spec key that never exists and always says ``null``);
* ``runtime_secs`` is ``null`` while no launch has finished (the reference says ``0``);
* ``python version`` is left out: nodes hold source text, not a pickled closure, and
  neither the node nor FireWorks' launch records the Python that ran it;
* ``slurm state`` and ``cluster variable`` are left out: texts has no per-node queue
  state and no variable spread over several nodes;
* ``detail: all`` adds ``runtime data``, where the representative launch ran (host, ip)
  and when, instead of the reference's ``runtime_env``, which texts' nodes do not record.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from fireworks import Launch

from texts.store.compat import representative_launch
from texts.store.layout import SPEC_KEY
from texts.store.workflows import WorkflowStore


def node_metadata(store: WorkflowStore, fw_id: int, detail: str) -> list[tuple[str, Any]]:
    """The ``info`` rows of a node, in the reference's order; ``detail`` is ``more`` or ``all``."""
    node = store.firework(fw_id)
    model = store.model_of(fw_id)
    texts = node.spec[SPEC_KEY]
    launch = representative_launch(node)  # FireWorks' choice of "the" launch
    launches, archived = node.launches, node.archived_launches
    rows: list[tuple[str, Any]] = [
        ("group UUID", model.group),
        ("model UUID", model.uuid),
        ("node UUID", texts.get("uuid")),  # nodes stored before nodes had one have none
        ("node ID", fw_id),
        ("parent IDs", store.parents(fw_id)),
        ("node state", node.state),
        ("created on", _iso_seconds(node.created_on)),
        ("updated on", _iso_seconds(node.updated_on)),
        ("grammar version", texts["grammar_version"]),
        ("data schema version", texts["schema_version"]),
        ("category", node.spec.get("_category")),
        ("fworker", launch.fworker.name if launch else None),
        ("dupefinder", bool(node.spec.get("_dupefinder"))),
        ("reservation ID", store.reservation_id(fw_id)),
        ("number of launches", len(launches)),
        ("number of archived launches", len(archived)),
        ("launch_dir", tuple(each.launch_dir for each in launches)),
        ("archived launch_dir", tuple(each.launch_dir for each in archived)),
        ("runtime_secs", launch.runtime_secs if launch else None),
        ("runtime_secs total", sum(each.runtime_secs or 0 for each in [*launches, *archived])),
        ("lost launch", _is_lost(store, node.state, fw_id)),
    ]
    if detail == "all":
        rows.append(("runtime data", _runtime_data(launch) if launch else None))
    return rows


def _iso_seconds(moment: datetime | None) -> str | None:
    """A FireWorks timestamp (``None`` for an event yet to come) as ISO 8601 in UTC, to the
    second as the reference prints it."""
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def _is_lost(store: WorkflowStore, state: str, fw_id: int) -> bool:
    """FireWorks' own verdicts: a run not heard from for 4 hours, a reservation left in a
    queue for 14 days. Only a running or reserved node can be lost, so only then is asked."""
    if state == "RUNNING":
        return fw_id in store.lost_runs([fw_id])
    if state == "RESERVED":
        return fw_id in store.lost_reservations()
    return False


def _runtime_data(launch: Launch) -> dict[str, Any]:
    return {
        "host": launch.host,
        "ip": launch.ip,
        "time_start": _iso_seconds(launch.time_start),
        "time_end": _iso_seconds(launch.time_end),
    }
