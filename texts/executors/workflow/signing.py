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
from texts.provenance.signature import PythonReads, Signer
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
    names = list(names)
    learn_python_reads(store, signer, names)
    ids = [fw_ids[name] for name in names]
    for node in store.nodes(ids) if ids else []:
        store.set_spec(node.fw_id, signed(node.spec, signer, node.name))


def signed(spec: Mapping[str, Any], signer: Signer, name: str) -> dict[str, Any]:
    """A node's spec carrying the variable's signature, and its signature without the
    files its Python code read (none for a volatile node: it always runs)."""
    found = {key: value for key, value in spec.items() if key not in ("signature", "static")}
    signature = signer.variable(name)
    if signature is not None:
        found["signature"] = signature.value
    static = signer.static_signature(name)
    if static is not None:
        found["static"] = static
    return found


def learn_python_reads(store: WorkflowStore, signer: Signer, names: Iterable[str]) -> None:
    """Sign variables with the files that the Python code they call read where a node of
    the same static signature was computed (in any model of the store): those are known
    only once a node ran. A variable signed with them changes the static signature of
    what uses it, so the search goes on until it finds nothing new."""
    pending = set(names)
    while pending:
        statics = {signer.static_signature(name): name for name in sorted(pending)}
        statics.pop(None, None)
        reads = store.python_reads([static for static in statics if static is not None])
        learned = {
            name: PythonReads(static, reads[static])
            for static, name in statics.items()
            if static is not None
            and static in reads
            and signer.python_reads(name) != PythonReads(static, reads[static])
        }
        if not learned:
            return
        signer.expect_python_reads(learned)
        pending = set(signer.model.dependants(learned)) & pending
