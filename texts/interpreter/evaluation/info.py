"""``info(x)``: a one-row table describing the static type of ``x`` (and its units).

Where variables are stored nodes (workflow mode), ``info`` of a variable also reports its
node's metadata. The evaluation core knows nothing of workflows: it asks the values it
evaluates with, if they speak the :class:`NodeMetadata` protocol.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from texts.interpreter import ir
from texts.interpreter.checks.infer import Inferencer
from texts.interpreter.evaluation.core import Scope, evaluate
from texts.interpreter.types import Type
from texts.interpreter.units import is_quantity
from texts.interpreter.values import Series, Table

_SCALARS = ("Quantity", "Boolean", "String")
_NO_METADATA = "less"
_WITH_DATATYPE = ("Quantity", "Series", "Array")
_TABLE_LIKE = ("Structure", "Calculator", "Algorithm", "Property", "ChemSpecies", "ChemReaction")


@runtime_checkable
class NodeMetadata(Protocol):
    """Values whose variables are stored nodes: they describe a variable's node for ``info``."""

    def node_metadata(self, name: str, detail: str) -> list[tuple[str, Any]]:
        """The rows ``info`` adds for the variable ``name`` (none for other names), at
        ``detail`` ``more`` or ``all``."""
        ...


def _numeric(type_: Type) -> bool | None:
    if type_.is_any:
        return None
    if type_.kind == "Quantity":
        return True
    if type_.kind in ("Series", "Array"):
        return type_.datatype in ("Integer", "Float", "Complex", "Number")
    return False


def info_rows(type_: Type, name: str | None) -> list[tuple[str, Any]]:
    """The static part of ``info``: name, type, scalar, numeric, datatype, datalen, ..."""
    rows: list[tuple[str, Any]] = [("name", name), ("type", type_.kind)]
    rows.append(("scalar", None if type_.is_any else type_.kind in _SCALARS))
    rows.append(("numeric", _numeric(type_)))
    if type_.kind in _WITH_DATATYPE and type_.datatype and type_.datatype != "Any":
        rows.append(("datatype", type_.datatype))
    if type_.kind in ("Series", "Table") and isinstance(type_.datalen, int):
        rows.append(("datalen", type_.datalen))
    if type_.kind == "Array" and isinstance(type_.datalen, tuple):
        rows.append(("datalen", type_.datalen))
    if type_.kind in ("Tuple", "Dict", "Table") and type_.elements is not None:
        rows.append(("datatypes", tuple(t.kind for t in type_.elements)))
    if type_.kind in _TABLE_LIKE:  # the extension's values that hold a table
        rows.append(("datalen", type_.datalen))
        rows.append(("datatypes", tuple(t.kind for t in type_.elements or ())))
    return rows


def info_table(model: Any, item: ir.InfoItem, scope: Scope) -> Table:
    type_ = Inferencer(model).infer(item.value, {})
    value_expr = item.value
    name = value_expr.name if isinstance(value_expr, ir.Ref) and not value_expr.accessors else None
    rows = info_rows(type_, name)
    if _numeric(type_):
        try:
            value = evaluate(value_expr, scope)
        except Exception:  # the reference leaves units out when evaluation fails
            value = None
        units = _units_of(value)
        if units is not None:
            rows.append(("dimensionality", str(units.dimensionality)))
            rows.append(("units", str(units)))
    if name is not None and item.detail != _NO_METADATA and isinstance(scope.values, NodeMetadata):
        rows.extend(scope.values.node_metadata(name, item.detail or "more"))
    return Table([Series(key, [value]) for key, value in rows])


def _units_of(value: Any) -> Any:
    if is_quantity(value):
        return value.units
    if isinstance(value, Series) and value.numeric:
        return value.units
    return None
