"""Signatures of a stored model's nodes when some of them change.

Duplicate detection and the run log know a node by its content signature, which covers
its definition and the signatures of its inputs. So when a stored node is given a new
definition (``:=``) or is computed again (``%rerun``: an imported module or a data file
may have changed), that node *and every node that uses it* must carry the signature of
what they will now compute; otherwise a model with the old definitions would take the
new values as duplicates, and the run log would name the new values by the old hashes.
Every other stored node keeps the signature its spec holds: its value stays the one
computed under it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

from texts.interpreter.model import Model
from texts.provenance.signature import Signature, Signer
from texts.store.workflows import WorkflowStore


def stored_signer(
    store: WorkflowStore,
    model: Model,
    fw_ids: Mapping[str, int],
    changing: Collection[str],
    workdir: Path,
) -> Signer:
    """A signer of a model whose stored nodes, but those ``changing``, keep the signature
    stored with them (new nodes are signed with their inputs' stored signatures)."""
    kept = [fw_id for name, fw_id in fw_ids.items() if name not in changing]
    pinned: dict[str, str | None] = {
        node.name: node.spec.get("signature")
        for node in (store.nodes(kept) if kept else [])
        if node.name in model.variables
    }
    return Signer(model, workdir, pinned)


def resign(
    store: WorkflowStore, signer: Signer, fw_ids: Mapping[str, int], names: Iterable[str]
) -> None:
    """Give stored nodes whose definition is unchanged but whose inputs changed the
    signature of what they now compute (their nodes must not be completed: a node is
    rerun before it is resigned)."""
    ids = [fw_ids[name] for name in names]
    for node in store.nodes(ids) if ids else []:
        store.set_spec(node.fw_id, signed(node.spec, signer.variable(node.name)))


def signed(spec: Mapping[str, Any], signature: Signature | None) -> dict[str, Any]:
    """A node's spec carrying ``signature`` (none for a volatile node: it always runs)."""
    found = {key: value for key, value in spec.items() if key != "signature"}
    if signature is not None:
        found["signature"] = signature.value
    return found
