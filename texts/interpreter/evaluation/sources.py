"""``Type from file|url ...``: values read from data files, checked against their type."""

from __future__ import annotations

from typing import Any

from texts.interpreter import ir
from texts.interpreter.errors import TextsError
from texts.interpreter.evaluation.core import Scope, evaluate, rule
from texts.interpreter.units import is_quantity
from texts.interpreter.values import Series, Table


def kind_of(value: Any) -> str:
    """The language's name for the kind of a value (as in run-time type errors)."""
    if value is None:
        return "Null"
    if isinstance(value, bool):
        return "Bool"
    if isinstance(value, str):
        return "String"
    if is_quantity(value):
        magnitude = value.magnitude
        if type(magnitude).__name__ == "ndarray":
            return {"i": "IntArray", "f": "FloatArray", "c": "ComplexArray"}.get(
                magnitude.dtype.kind, "FloatArray"
            )
        return "Quantity"
    if isinstance(value, tuple):
        return "Tuple"
    if isinstance(value, dict):
        return "Dict"
    if isinstance(value, Series):
        return "Series"
    if isinstance(value, Table):
        return "Table"
    if type(value).__name__ == "ndarray":
        return "BoolArray" if value.dtype.kind == "b" else "StrArray"
    return getattr(value, "kind", None) or type(value).__name__


@rule(ir.FromSource)
def _from_source(expr: ir.FromSource, scope: Scope) -> Any:
    # lazily for start-up: data files (and their formats) only when a model reads one
    from texts.datafiles import read_file, read_url  # noqa: PLC0415

    path = evaluate(expr.path, scope)
    if not isinstance(path, str):
        raise TextsError("Type error", "filename must be string", expr.source_span)
    if expr.type_name == "Structure" and expr.kind == "file":  # any format ASE reads
        # kept local as the evaluation core has it (listed in the note for its rewrite)
        from texts.interpreter.amml.atoms import read_structure  # noqa: PLC0415

        return read_structure(path)
    value = read_file(path) if expr.kind == "file" else read_url(path)
    found = kind_of(value)
    if found != expr.type_name:
        raise TextsError("Type error", type_mismatch(expr.type_name, found))
    return value


_DATATYPES = {
    "Int": "Integer",
    "Float": "Float",
    "Complex": "Complex",
    "Bool": "Boolean",
    "Str": "String",
}


def type_mismatch(expected: str, found: str) -> str:
    """``type must be X but is Y``, or for two kinds of array, their datatypes; any kind
    of array is an ``Array`` to a value that is none (as the reference says)."""
    if expected.endswith("Array") and found.endswith("Array"):
        want, have = (_DATATYPES[name[: -len("Array")]] for name in (expected, found))
        return f"datatype must be {want} but is {have}"
    if expected.endswith("Array"):
        expected = "Array"
    names = {"Bool": "Boolean"}
    return f"type must be {names.get(expected, expected)} but is {names.get(found, found)}"
