"""Duplicate detection by content signature: FireWorks' own mechanism, our key.

When FireWorks checks out a READY node that carries a ``_dupefinder``, it looks for a
completed node the finder calls equal and, if there is one, gives the new node that
node's launches instead of running it. Our finder calls two nodes equal when their
content signatures are (``texts.provenance.signature``): the same definition, the same
inputs all the way up, the same functions, imported code and files read, the same
evaluator. So an unchanged computation in any model of the database is never redone,
and a changed imported function is never mistaken for the old one.
"""

from __future__ import annotations

from typing import Any

from fireworks.features.dupefinder import DupeFinderBase


class SignatureDupeFinder(DupeFinderBase):
    """Completed nodes with the same content signature are duplicates."""

    _fw_name = "{{texts.executors.workflow.duplicates.SignatureDupeFinder}}"

    def query(self, spec: dict[str, Any]) -> dict[str, Any]:
        signature = spec.get("_texts", {}).get("signature")
        if signature is None:  # a node that became volatile (an input it uses now reads a URL)
            return {"fw_id": {"$in": []}}
        return {"spec._texts.signature": signature, "state": "COMPLETED"}

    def verify(self, spec1: dict[str, Any], spec2: dict[str, Any]) -> bool:
        signature = spec1.get("_texts", {}).get("signature")
        return signature is not None and signature == spec2.get("_texts", {}).get("signature")
