"""The signature modes: what an executor reuses, what it records, and why a node ran.

* ``ignore``: no cache read or written;
* ``default``: reuse what matches, record what runs;
* ``assert``: as default, but an output that no longer matches its record (a file written
  by ``to file`` and edited since) is an error naming the node and what changed;
* ``force``: compute everything and record it anew;
* ``build``: record the files that exports would write, when they exist, without
  writing them (outputs produced elsewhere); values are computed as needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from texts.interpreter import ir
from texts.interpreter.errors import TextsError
from texts.interpreter.model import Model
from texts.interpreter.statements import edited_error, may_overwrite
from texts.interpreter.values import Series, Table
from texts.provenance.cache import MISSING, ResultCache
from texts.provenance.files import FileUse
from texts.provenance.lineage import WrittenFiles, nothing_written
from texts.provenance.signature import PythonReads, Signature, Signer, digest

MODES = ("ignore", "default", "assert", "force", "build")


@dataclass(frozen=True)
class Decision:
    """What happened to one node and why: ``cached``, ``computed`` or ``recorded``."""

    node: str
    outcome: str
    reason: str = ""

    def __str__(self) -> str:
        return f"{self.node}: {self.outcome}" + (f" ({self.reason})" if self.reason else "")


class Reuse:
    """One run's use of the result cache, shared by every executor."""

    def __init__(
        self,
        model: Model,
        mode: str,
        cache: ResultCache,
        model_key: str,
        workdir: Path,
        written: WrittenFiles = nothing_written,
    ) -> None:
        """``written``: what the run log knows of the files textS wrote, in any mode (a
        file another run rewrote is not edited)."""
        self.mode = mode
        self.cache = cache
        self.model_key = model_key
        self.workdir = workdir
        self.model = model
        self.signer = Signer(model, workdir)
        self.refused: dict[str, str] = {}  # cache entries found but not trusted, and why
        recorded = cache.nodes(model_key)
        self.previous = recorded if mode != "ignore" else {}
        self.recorded_files = {  # export key -> hash of the file textS wrote, in any mode
            key: node["file"] for key, node in recorded.items() if node.get("file")
        }
        self.current = dict(self.previous)
        self.signer.expect_python_reads(
            {
                name: PythonReads(node["static"], node["python reads"])
                for name, node in self.previous.items()
                if "python reads" in node
            }
        )
        self.decisions: list[Decision] = []
        self.written = written

    # ---- variables

    def cached_value(self, name: str) -> Any:
        """The variable's recorded value, or ``MISSING`` when it must be computed."""
        if self.mode in ("ignore", "force"):
            return MISSING
        signature = self.signer.variable(name)
        if signature is None:
            return MISSING
        value = self.cache.value(signature.value, name)
        if value is MISSING:
            return MISSING
        expected = self.model.types.get(name)
        if expected is not None and not kind_fits(value, expected.kind):
            # an entry is trusted only if it is a value of the node's static type
            self.refused[name] = f"the cached value is not a {expected.kind}"
            return MISSING
        self._remember(name, signature)
        self.decisions.append(Decision(name, "cached"))
        return value

    def computed(self, name: str, value: Any, files: Iterable[FileUse] = ()) -> None:
        """Record a value that was just computed, and why it had to be; ``files`` are the
        files its evaluation used (those Python code read become part of its signature)."""
        if self.mode != "ignore":
            read = [use.path for use in files if use.by_python and use.mode == "r"]
            self.signer.read_by_python(name, list(dict.fromkeys(read)))
        signature = None if self.mode == "ignore" else self.signer.variable(name)
        self.decisions.append(Decision(name, "computed", self._reason(name, signature)))
        if signature is not None and self.cache.store(signature.value, name, value):
            self._remember(name, signature)

    # ---- exports

    def export_is_current(self, statement: ir.Export) -> bool:
        """Whether an export's file already holds what it would write (so it is skipped)."""
        if self.mode in ("ignore", "force") or statement.kind != "file":
            return False
        key, signature = self._export(statement)
        recorded = self.previous.get(key)
        if signature is None or recorded is None or recorded["signature"] != signature.value:
            if self.mode == "build" and signature is not None and self._file_hash(statement):
                self._record_file(key, signature, statement, "recorded")
                return True
            return False
        current = self._file_hash(statement)
        if current == recorded.get("file"):
            self.decisions.append(Decision(key, "cached"))
            return True
        if current is not None and current == self.written(self._path(statement)):
            return False  # rewritten by a later run of textS since: written anew
        if self.mode == "default" and current is not None:
            raise edited_error(statement)
        if self.mode == "assert":
            raise TextsError(
                "Signature error",
                f"the file {statement.path!r} written by this export"
                f" {'is missing' if current is None else 'was edited'} since it was recorded",
                statement.span,
            )
        return False

    def may_replace(self, statement: ir.Export) -> bool:
        """Whether an existing export file may be overwritten (``may_overwrite``): a file
        textS wrote and recorded, unchanged since or in force and ignore mode; default mode
        refuses an edited one."""
        key, _ = self._export(statement)
        current = self._file_hash(statement)
        recorded = self._recorded_file(key, statement, current)
        return may_overwrite(statement, recorded, current, self.mode)

    def _recorded_file(self, key: str, statement: ir.Export, current: str | None) -> str | None:
        """The content hash of the file as textS last wrote it: the run log knows the
        writes of every run and mode; this model's cache knows its own (without a run
        log). The one that matches the file now, if either does."""
        recorded = [self.written(self._path(statement)), self.recorded_files.get(key)]
        known = [found for found in recorded if found is not None]
        return current if current in known else next(iter(known), None)

    def exported(self, statement: ir.Export) -> None:
        """Record the file an export has just written."""
        key, signature = self._export(statement)
        if self.mode == "ignore" or signature is None or statement.kind != "file":
            self.decisions.append(Decision(key, "computed", self._reason(key, signature)))
            return
        reason = self._reason(key, signature)
        recorded = self.previous.get(key)
        if recorded and recorded["signature"] == signature.value and self.mode != "force":
            reason = "changed: output file"
        self._record_file(key, signature, statement, "computed", reason)

    def _export(self, statement: ir.Export) -> tuple[str, Signature | None]:
        return f"{statement.path} (export)", self.signer.export(statement)

    def _path(self, statement: ir.Export) -> str:
        path = Path(statement.path)
        return str(path if path.is_absolute() else self.workdir / path)

    def _file_hash(self, statement: ir.Export) -> str | None:
        try:
            return digest(Path(self._path(statement)).read_bytes())
        except OSError:
            return None

    def _record_file(
        self,
        key: str,
        signature: Signature,
        statement: ir.Export,
        outcome: str,
        reason: str = "",
    ) -> None:
        self.current[key] = {
            "signature": signature.value,
            "parts": signature.parts,
            "file": self._file_hash(statement),
        }
        self.decisions.append(Decision(key, outcome, reason))

    # ---- why

    def _remember(self, name: str, signature: Signature) -> None:
        self.current[name] = {"signature": signature.value, "parts": signature.parts}
        reads = self.signer.python_reads(name)
        if reads is not None:  # for the next run's signature (see Signer.read_by_python)
            self.current[name].update({"static": reads.static, "python reads": reads.paths})

    def _reason(self, name: str, signature: Signature | None) -> str:
        if self.mode == "ignore":
            return "signatures ignored"
        if self.mode == "force":
            return "forced"
        if signature is None:
            return "volatile: reads what cannot be known in advance"
        if name in self.refused:
            return self.refused[name]
        recorded = self.previous.get(name)
        if recorded is None:
            return "new"
        before, after = recorded.get("parts", {}), signature.parts
        changed = [
            key for key in sorted(before.keys() | after.keys()) if before.get(key) != after.get(key)
        ]
        return f"changed: {', '.join(changed)}" if changed else "not in the cache"

    def finish(self) -> None:
        """Keep what each node was, for the next run's reasons."""
        if self.mode != "ignore":
            self.cache.record_nodes(self.model_key, self.current)

    def summary(self) -> list[str]:
        return summary(self.decisions)


_KINDS: dict[str, tuple[type, ...]] = {
    "String": (str,),
    "Boolean": (bool,),
    "Series": (Series,),
    "Table": (Table,),
    "Tuple": (tuple,),
    "Dict": (dict,),
}
"""Static kinds whose values are of one Python class (quantities and arrays take several
forms and are not judged here)."""


def kind_fits(value: Any, kind: str) -> bool:
    """Whether a value read back can be of the static kind ``kind``."""
    if kind == "Quantity":
        return not isinstance(value, str | bool | tuple | dict | Series | Table)
    expected = _KINDS.get(kind)
    return expected is None or isinstance(value, expected)


def summary(decisions: list[Decision]) -> list[str]:
    """One line per node, then the counts (what ``--verbose`` shows)."""
    counts = {outcome: 0 for outcome in ("cached", "computed", "recorded", "failed")}
    for decision in decisions:
        counts[decision.outcome] += 1
    totals = ", ".join(f"{count} {outcome}" for outcome, count in counts.items() if count)
    return [*map(str, decisions), f"Nodes: {totals or 'none'}"]
