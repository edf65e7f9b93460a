"""Content signatures of a model's nodes: equal signatures mean equal results.

A node's signature is a hash over what determines its value, and nothing else:

* the canonical form of its definition: the IR without positions, so white space,
  comments and the order of statements do not count;
* the signatures of the variables it uses (a Merkle chain: a change anywhere upstream
  changes every signature downstream);
* the canonical form of the model functions it calls, transitively;
* the identity of the Python objects it imports (the source of a function, else its
  module file's content, else the package version);
* the content hash of each file it reads with ``from file``, and of each file the Python
  functions it calls read when it was last computed (``python_reads``: those are only
  known once the code ran, so the run that finds them signs the node anew with them);
* the evaluator's version (texts, grammar and data schema versions).

Signatures are static: they are computed from the model before anything is evaluated, in
dependency order without recursion. A node that reads something whose content cannot be
known in advance (a URL, a file named by a computed path) is *volatile*: it has no
signature and always runs.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import inspect
import json
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from json.encoder import encode_basestring_ascii  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

import texts
from texts.interpreter import ir
from texts.interpreter.model import ImportedObject, Model
from texts.interpreter.source import Span
from texts.interpreter.walk import descendants


def canonical(node: Any) -> str:
    """A text that is equal for equal trees whatever their positions (no recursion).

    The stack holds ``(True, text)`` for text to write as it is and ``(False, item)`` for
    an item still to render; it is walked once per statement of every run, so it avoids
    building objects per token.
    """
    out: list[str] = []
    stack: list[tuple[bool, Any]] = [(False, node)]
    while stack:
        is_text, item = stack.pop()
        if is_text:
            out.append(item)
        elif isinstance(item, str):
            out.append(encode_basestring_ascii(item))  # as json.dumps writes a string
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            parts: list[tuple[bool, Any]] = [(True, type(item).__name__ + "(")]
            for name in _field_names(type(item)):
                value = getattr(item, name)
                if not _is_position(value):
                    parts.extend(((True, name + "="), (False, value), (True, ",")))
            parts.append((True, ")"))
            stack.extend(reversed(parts))
        elif isinstance(item, tuple | list):
            parts = [(True, "[")]
            for element in item:
                parts.extend(((False, element), (True, ",")))
            parts.append((True, "]"))
            stack.extend(reversed(parts))
        elif isinstance(item, int) and not isinstance(item, bool):
            out.append(f"{item:#x}")  # decimal text is refused past 4300 digits, hex is not
        else:
            out.append(json.dumps(item, default=repr))
    return "".join(out)


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(spec.name for spec in dataclasses.fields(kind))


def _is_position(value: Any) -> bool:
    """Spans (and tuples of them) locate text; they are not part of the meaning."""
    if isinstance(value, tuple) and value and all(isinstance(v, Span) for v in value):
        return True
    return isinstance(value, Span)


def digest(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Signature:
    """A node's signature and the parts it was made of (to tell what changed)."""

    value: str
    parts: dict[str, str] = field(default_factory=dict)


EVALUATOR_SOURCES = ("grammar", "interpreter", "serialization.py", "datafiles.py", "fileformats.py")
"""The parts of the package that decide what a value is: their code is in every signature."""


@functools.cache
def evaluator_version() -> str:
    """The versions, and a hash of the evaluator's own source files: an interpreter whose
    code changed (a fix, a local edit) never reuses what an older one computed."""
    # lazily for start-up: the grammar's loader and the serialization import the
    # evaluation core (NumPy, pint), which the run log's commands never need
    from texts.grammar.loader import GRAMMAR_VERSION  # noqa: PLC0415
    from texts.serialization import SCHEMA_VERSION  # noqa: PLC0415

    package = Path(texts.__file__).parent
    files = sorted(
        path
        for name in EVALUATOR_SOURCES
        for path in ([package / name] if name.endswith(".py") else (package / name).rglob("*"))
        if path.suffix in (".py", ".tx")
    )
    code = digest(b"".join(path.read_bytes() for path in files))
    return (
        f"texts {texts.__version__}, grammar {GRAMMAR_VERSION}, schema {SCHEMA_VERSION},"
        f" code {code[:16]}"
    )


class Signer:
    """Signatures of a model's variables and exports, each computed once.

    ``pinned`` gives variables whose signature is already decided (``None``: volatile):
    the nodes of a stored model that stay as they are. Their dependants are signed with
    the signature of the value they will really receive, not with one recomputed now.
    """

    def __init__(
        self,
        model: Model,
        workdir: Path | None = None,
        pinned: Mapping[str, str | None] | None = None,
    ) -> None:
        self.model = model
        self.workdir = workdir or Path.cwd()
        self.version = evaluator_version()
        self._signatures: dict[str, Signature | None] = {
            name: None if value is None else Signature(value, {"stored": value})
            for name, value in (pinned or {}).items()
        }
        # name -> (the signature without them, the files Python code read when computed)
        self._python_reads: dict[str, PythonReads] = {}
        self._static: dict[str, str] = {}  # signatures without the files Python code read

    def expect_python_reads(self, reads: Mapping[str, PythonReads]) -> None:
        """The files the Python code of variables read when they were last computed, each
        with the signature the variable had without them: they count while that stays
        (a variable signed already is signed anew, with what uses it)."""
        self._python_reads.update(reads)
        for changed in self.model.dependants(reads):
            self._signatures.pop(changed, None)

    def python_reads(self, name: str) -> PythonReads | None:
        """What :meth:`expect_python_reads` or :meth:`read_by_python` knows of ``name``."""
        return self._python_reads.get(name)

    def read_by_python(self, name: str, paths: list[str]) -> None:
        """Python code read ``paths`` while ``name`` was computed: it and every variable
        that uses it are signed with their content from now on."""
        static = self.static_signature(name)
        if static is None or self._python_reads.get(name) == PythonReads(static, paths):
            return
        if not paths and name not in self._python_reads:
            return
        self._python_reads[name] = PythonReads(static, paths)
        for changed in self.model.dependants([name]):
            self._signatures.pop(changed, None)

    def variable(self, name: str) -> Signature | None:
        """The signature of a variable; ``None`` when it is volatile (or uses one that is)."""
        if name not in self._signatures:
            for pending in self._upstream_first(name):
                self._signatures[pending] = self._with_python_reads(
                    pending, self._sign(f"variable {pending}", self.model.variables[pending])
                )
        return self._signatures[name]

    def static_signature(self, name: str) -> str | None:
        """A variable's signature without the files its Python code read (``None`` for a
        volatile variable or one whose signature is pinned)."""
        self.variable(name)
        return self._static.get(name)

    def _with_python_reads(self, name: str, signature: Signature | None) -> Signature | None:
        if signature is None:
            return None
        self._static[name] = signature.value
        reads = self._python_reads.get(name)
        if reads is None or reads.static != signature.value or not reads.paths:
            return signature
        parts = dict(signature.parts)
        workdir = self.workdir.resolve()
        for path in reads.paths:
            content = reads.hashes.get(path) if reads.hashes else self._file_digest(path)
            parts[f"file {_shown(path, workdir)}"] = content or "missing"
        return Signature(digest(json.dumps(parts, sort_keys=True)), parts)

    def export(self, statement: ir.Export) -> Signature | None:
        """The signature of an export: what it writes and where."""
        for name in self.model.variables_used_by(statement):
            self.variable(name)
        return self._sign(f"export to {statement.kind} {statement.path}", statement)

    def _upstream_first(self, name: str) -> list[str]:
        """``name`` and the unsigned variables it depends on, dependencies first."""
        order: list[str] = []
        seen: set[str] = set()
        stack: list[tuple[str, bool]] = [(name, False)]
        while stack:
            current, expanded = stack.pop()
            if expanded:
                order.append(current)
                continue
            if current in seen or current in self._signatures:
                continue
            seen.add(current)
            stack.append((current, True))
            stack.extend((i, False) for i in self.model.inputs.get(current, ()))
        return order

    def _sign(self, what: str, statement: Any) -> Signature | None:
        parts = {"definition": digest(what + canonical(_definition_of(statement)))}
        parts["evaluator"] = self.version
        if _simulates(statement):  # a new ASE may compute other numbers
            parts["library ase"] = _ase_version()
        for name in self.model.variables_used_by(statement):
            upstream = self._signatures.get(name)
            if upstream is None:
                return None  # a volatile input makes this node volatile too
            parts[f"input {name}"] = upstream.value
        for kind, name, identity in self._definitions_used(statement):
            if identity is None:
                return None
            parts[f"{kind} {name}"] = identity
        for path in _files_read(statement):
            content = None if path is None else self._file_digest(path)
            if content is None:
                return None
            parts[f"file {path}"] = content
        return Signature(digest(json.dumps(parts, sort_keys=True)), parts)

    def _definitions_used(self, statement: Any) -> Iterator[tuple[str, str, str | None]]:
        """(kind, name, identity) of the functions and imports a statement needs."""
        for name in self.model.definitions_used(statement):
            if name in self.model.functions:
                yield "function", name, digest(canonical(self.model.functions[name]))
            else:
                yield "import", name, import_identity(self.model.imports[name])

    def _file_digest(self, name: str) -> str | None:
        path = Path(name)
        try:
            return digest((path if path.is_absolute() else self.workdir / path).read_bytes())
        except OSError:
            return None  # a missing file: the node runs and reports the error itself


@dataclass(frozen=True)
class PythonReads:
    """The files Python code read while a variable was computed, and the signature the
    variable had without them (they are its inputs only as long as that stays)."""

    static: str
    paths: list[str]
    # the content hashes they had when they were read (else their content now is taken)
    hashes: Mapping[str, str | None] | None = field(default=None, compare=False)


def _shown(path: str, workdir: Path) -> str:
    """A path as reasons show it: relative to the working directory when inside it."""
    found = Path(path)
    return str(found.relative_to(workdir)) if found.is_relative_to(workdir) else path


def _definition_of(statement: Any) -> Any:
    """What a statement computes: a variable's value (its name matters for series names)."""
    if isinstance(statement, ir.VarDef):
        return (statement.name, statement.value)
    return statement


def _simulates(statement: Any) -> bool:
    """Whether a statement builds values of the atomistic extension, which ASE computes."""
    return any(
        isinstance(node, _ATOMISTIC)
        or (isinstance(node, ir.FromSource) and node.type_name == "Structure")
        for node in descendants(statement)
    )


_ATOMISTIC = (ir.StructureLit, ir.CalculatorLit, ir.AlgorithmLit, ir.PropertyLit)


@functools.cache
def _ase_version() -> str:
    # lazily for start-up: only this path needs it
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("ase")
    except PackageNotFoundError:
        return "not installed"


def _files_read(statement: Any) -> Iterator[str | None]:
    """The literal paths of the files a statement reads; ``None`` for a URL or a computed
    path, whose content cannot be known before the statement runs."""
    for node in descendants(statement):
        if isinstance(node, ir.FromSource):
            literal = node.kind == "file" and isinstance(node.path, ir.String)
            yield node.path.value if literal else None


def import_identity(imported: ImportedObject) -> str | None:
    """What identifies an imported object's behaviour: the content of its module's file
    (the function and the module globals it reads), else its source, else its package's
    version; ``None`` when nothing stable is known (the node then always runs)."""
    module_name = imported.dotted.rpartition(".")[0]
    module = sys.modules.get(module_name)
    path = getattr(module, "__file__", None)
    if path:
        try:
            return digest(imported.dotted.encode() + Path(path).read_bytes())
        except OSError:
            pass
    try:
        return digest(imported.dotted + inspect.getsource(imported.obj))
    except (OSError, TypeError):
        pass
    version = getattr(module, "__version__", None)
    if version is None and module_name.partition(".")[0] in sys.builtin_module_names:
        version = sys.version
    return digest(f"{imported.dotted} {version}") if version else None
